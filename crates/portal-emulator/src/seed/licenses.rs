//! The demo organization's purchases: seats for every user type (a few nearly full, one full),
//! ArcGIS Pro at two levels with an extension, ArcGIS Navigator, and the Business Analyst app
//! bundle; holders drawn from the members of the types that may hold each, some of whom have
//! not used their license, or signed in, for over a year.
//!
//! Drawn with its own seeded generator after the members, so the same `n` gives the same org
//! and the members drawn before do not change.

use r2d2_sqlite::rusqlite::{params, Connection};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::error::Result;
use crate::licenses::catalog::{ARCGIS_PRO_ITEM, BUSINESS_ANALYST_BUNDLE, NAVIGATOR_ITEM};
use crate::privileges::USER_TYPES;

const DAY: i64 = 86_400_000;

/// A member who may be given a license: `(username, user type, created, last login)`.
type Candidate = (String, String, i64, i64);

fn candidates(conn: &Connection) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare(
        "SELECT username, user_license_type_id, created, last_login FROM users
         WHERE builtin_admin = 0 ORDER BY username",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// When a license given at `assigned` was last used by a member last signed in at
/// `last_login`: never for about one in five, else between the two.
fn last_use(rng: &mut StdRng, assigned: i64, last_login: i64) -> i64 {
    if last_login < assigned || rng.random_bool(0.2) {
        -1
    } else {
        rng.random_range(assigned..=last_login)
    }
}

/// Seeds the purchases; returns how many members were given a license or bundle.
pub(super) fn seed_licenses(conn: &Connection, n: usize, now: i64) -> Result<usize> {
    let mut rng = StdRng::seed_from_u64(0x11CE_0000 ^ n as u64);
    // Seats per user type, from what the members and the pending invitations hold now.
    for t in USER_TYPES {
        let used = crate::licenses::seats::used(conn, t.id)?;
        let max = match t.id {
            "creatorUT" => used + (used / 10).max(25),
            "GISProfessionalAdvUT" => used,
            "GISProfessionalStdUT" => used + 3,
            "GISProfessionalBasicUT" => used + 10,
            "fieldWorkerUT" => used + (used / 20).max(5),
            "editorUT" => used + used * 3 / 10 + 5,
            _ => used + used / 2 + 10,
        };
        conn.execute(
            "INSERT OR REPLACE INTO user_type_seats (type_id, max_users) VALUES (?1, ?2)",
            params![t.id, max],
        )?;
    }
    let members = candidates(conn)?;
    let (start, end) = (now - 200 * DAY, now + 165 * DAY);
    let mut given = 0;
    let mut insert = conn.prepare(
        "INSERT OR IGNORE INTO user_entitlements (item_id, username, entitlement, assigned, last_used)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    // ArcGIS Pro: Standard or Advanced for about one Creator in eight; Spatial Analyst for a
    // quarter of those and a fifth of the Professional types (who have Pro with their type).
    let (mut std_n, mut adv_n, mut sa_n, mut pro_users) = (0_i64, 0_i64, 0_i64, 0_i64);
    for (name, ut, created, last_login) in &members {
        let creator = ut == "creatorUT";
        let professional = ut.starts_with("GISProfessional");
        let level = (creator && rng.random_bool(0.125)).then(|| {
            if rng.random_bool(0.7) {
                "desktopStdN"
            } else {
                "desktopAdvN"
            }
        });
        let analyst =
            (level.is_some() && rng.random_bool(0.25)) || (professional && rng.random_bool(0.2));
        if level.is_none() && !analyst {
            continue;
        }
        let assigned = rng.random_range(*created..now.max(*created + 1));
        let used = last_use(&mut rng, assigned, *last_login);
        for ent in level
            .into_iter()
            .chain(analyst.then_some("spatialAnalystN"))
        {
            insert.execute(params![ARCGIS_PRO_ITEM, name, ent, assigned, used])?;
        }
        match level {
            Some("desktopStdN") => std_n += 1,
            Some(_) => adv_n += 1,
            None => {}
        }
        sa_n += i64::from(analyst);
        pro_users += 1;
        given += 1;
    }
    purchase(
        conn,
        ARCGIS_PRO_ITEM,
        pro_users + 7,
        (start, end),
        &[
            ("desktopStdN", std_n + 2),
            ("desktopAdvN", adv_n + 5),
            ("spatialAnalystN", sa_n + 3),
        ],
    )?;
    // ArcGIS Navigator: about one Mobile Worker or Contributor in sixteen.
    let mut nav_n = 0;
    for (name, ut, created, last_login) in &members {
        if !matches!(ut.as_str(), "fieldWorkerUT" | "editorUT") || !rng.random_bool(0.0625) {
            continue;
        }
        let assigned = rng.random_range(*created..now.max(*created + 1));
        let used = last_use(&mut rng, assigned, *last_login);
        insert.execute(params![NAVIGATOR_ITEM, name, "navigatorN", assigned, used])?;
        nav_n += 1;
        given += 1;
    }
    purchase(
        conn,
        NAVIGATOR_ITEM,
        nav_n + 10,
        (start, end),
        &[("navigatorN", nav_n + 10)],
    )?;
    // Business Analyst: about one Creator or Professional in twenty-five.
    let mut ba_n = 0;
    for (name, ut, ..) in &members {
        if !(ut == "creatorUT" || ut.starts_with("GISProfessional")) || !rng.random_bool(0.04) {
            continue;
        }
        conn.execute(
            "UPDATE users SET app_bundles = ?1 WHERE username = ?2",
            params![json!([BUSINESS_ANALYST_BUNDLE]).to_string(), name],
        )?;
        ba_n += 1;
        given += 1;
    }
    conn.execute(
        "INSERT OR REPLACE INTO app_bundles (id, max_users, purchased) VALUES (?1, ?2, ?3)",
        params![BUSINESS_ANALYST_BUNDLE, ba_n + 5, start],
    )?;
    Ok(given)
}

fn purchase(
    conn: &Connection,
    item_id: &str,
    max_users: i64,
    (start, end): (i64, i64),
    counts: &[(&str, i64)],
) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO listings (item_id, max_users, start_date, end_date, trial, purchased)
         VALUES (?1, ?2, ?3, ?4, 0, ?3)",
        params![item_id, max_users, start, end],
    )?;
    for (ent, num) in counts {
        conn.execute(
            "INSERT OR REPLACE INTO listing_entitlements (item_id, entitlement, num) VALUES (?1, ?2, ?3)",
            params![item_id, ent, num],
        )?;
    }
    Ok(())
}
