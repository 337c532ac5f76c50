//! Creating the organization, its administrator and a realistic demo membership.
//!
//! `--seed-users N` must stay fast at 100,000 members: one transaction, prepared statements,
//! one password hash shared by every seeded member (they all have the demo password), and a
//! seeded random generator so the same N always gives the same org. The names it draws from
//! are in `names`.
//!
//! The app's demo portal then locks the seeded administrators out of that shared password
//! (`admins`).
//!
//! What is deliberately not here: the schema (`db`) and the pre-registered OAuth clients
//! (`oauth`), which every portal gets whether seeded or not.

mod admins;
mod licenses;
mod names;

pub use admins::{lock_admins, set_password};

use std::collections::HashSet;

use r2d2_sqlite::rusqlite::{params, OptionalExtension};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::db::DbPool;
use crate::error::{PortalError, Result};
use crate::privileges::{self, DATA_EDITOR_ROLE_ID, VIEWER_ROLE_ID};
use crate::util::{alnum_id, hex_id, now_ms};
use names::{ascii_lower, DEPARTMENTS, FIRST, GROUP_KINDS, LAST};

/// The password every seeded member has, so a demo can sign in as anyone.
pub const DEMO_PASSWORD: &str = "demo-password-1";

/// Creates the organization and its built-in roles when the database is new; returns
/// `(org id, name, url key)`.
pub fn ensure_org(pool: &DbPool) -> Result<(String, String, String)> {
    let conn = pool.get()?;
    let existing: Option<(String, String, String)> = conn
        .query_row("SELECT id, name, url_key FROM org LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    crate::oauth::ensure_clients(&conn)?;
    if let Some(org) = existing {
        return Ok(org);
    }
    let id = alnum_id(16);
    let now = now_ms();
    let (name, key) = ("Memberdesk Demo Organization", "memberdesk-demo");
    conn.execute(
        "INSERT INTO org (id, name, url_key, created) VALUES (?1, ?2, ?3, ?4)",
        params![id, name, key, now],
    )?;
    for (rid, rname, desc) in [
        (
            VIEWER_ROLE_ID,
            "Viewer",
            "Can view content shared with them; cannot create or edit.",
        ),
        (
            DATA_EDITOR_ROLE_ID,
            "Data Editor",
            "Viewer privileges plus editing of features.",
        ),
    ] {
        let privs = privileges::builtin(rid).unwrap_or_default();
        conn.execute(
            "INSERT INTO roles (id, name, description, base_role, privileges, builtin, created, modified)
             VALUES (?1, ?2, ?3, 'org_user', ?4, 1, ?5, ?5)",
            params![rid, rname, desc, json!(privs).to_string(), now],
        )?;
    }
    Ok((id, name.to_string(), key.to_string()))
}

/// Creates (or resets the password of) the default administrator: built-in account, org_admin.
pub fn ensure_admin(pool: &DbPool, username: &str, password: &str) -> Result<()> {
    crate::passwords::check_policy(username, password).map_err(|e| {
        PortalError::bad_request(format!("--admin {username}: {}", e.details.join(" ")))
    })?;
    let hash = crate::passwords::hash(password)?;
    let conn = pool.get()?;
    let now = now_ms();
    let updated = conn.execute(
        "UPDATE users SET password_hash = ?1, role = 'org_admin', role_id = NULL, disabled = 0,
         builtin_admin = 1 WHERE username = ?2",
        params![hash, username],
    )?;
    if updated == 0 {
        conn.execute(
            "INSERT INTO users (id, username, full_name, first_name, last_name, email, password_hash,
               role, user_license_type_id, user_type, access, created, modified, builtin_admin)
             VALUES (?1, ?2, ?3, 'Default', 'Administrator', ?4, ?5, 'org_admin', 'creatorUT', 'both',
               'org', ?6, ?6, 1)",
            params![
                hex_id(32),
                username,
                "Default Administrator",
                format!("{username}@example.com"),
                hash,
                now
            ],
        )?;
    }
    Ok(())
}

/// What seeding made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub users: usize,
    pub groups: usize,
    pub memberships: usize,
    pub invitations: usize,
    pub custom_roles: usize,
    /// Members given an add-on license or an app bundle.
    pub license_holders: usize,
}

/// Adds `n` realistic members, groups and invitations. Deterministic for a given `n`.
pub fn seed_users(pool: &DbPool, n: usize, owner: &str) -> Result<SeedReport> {
    let mut rng = StdRng::seed_from_u64(0x5EED_0000 ^ n as u64);
    let shared_hash = crate::passwords::hash(DEMO_PASSWORD)?;
    let now = now_ms();
    const DAY: i64 = 86_400_000;
    let mut conn = pool.get()?;
    let tx = conn.transaction()?;
    let mut report = SeedReport::default();

    // Two custom roles besides Viewer and Data Editor.
    let mut custom_roles = Vec::new();
    for (name, desc, base) in [
        (
            "Analyst",
            "Runs analysis and shares results with the org.",
            "org_user",
        ),
        (
            "Content Manager",
            "Publishes and curates the org's content.",
            "org_publisher",
        ),
    ] {
        let existing: Option<String> = tx
            .query_row("SELECT id FROM roles WHERE name = ?1", params![name], |r| {
                r.get(0)
            })
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                let id = alnum_id(16);
                let privs = privileges::builtin(base).unwrap_or_default();
                tx.execute(
                    "INSERT INTO roles (id, name, description, base_role, privileges, builtin, created, modified)
                     VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6)",
                    params![id, name, desc, base, json!(privs).to_string(), now - 400 * DAY],
                )?;
                report.custom_roles += 1;
                id
            }
        };
        custom_roles.push((id, base));
    }

    let mut taken: HashSet<String> = {
        let mut stmt = tx.prepare("SELECT lower(username) FROM users")?;
        let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
        names.collect::<std::result::Result<_, _>>()?
    };
    let mut admins: Vec<String> = vec![owner.to_string()];
    let mut members: Vec<String> = Vec::with_capacity(n);
    {
        let mut insert = tx.prepare(
            "INSERT INTO users (id, username, full_name, first_name, last_name, email, description,
               password_hash, role, role_id, user_license_type_id, user_type, access, provider,
               idp_username, disabled, last_login, created, modified, tags, assigned_credits,
               available_credits, culture, region)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
               ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        )?;
        for i in 0..n {
            // The first member is always John Smith (jsmith), the user of Esri's examples.
            let (first, last) = if i == 0 {
                ("John", "Smith")
            } else {
                (
                    FIRST[rng.random_range(0..FIRST.len())],
                    LAST[rng.random_range(0..LAST.len())],
                )
            };
            let base = format!("{}{}", ascii_lower(&first[..1]), ascii_lower(last));
            let mut username = if base.len() >= 6 {
                base.clone()
            } else {
                format!("{base}_gis")
            };
            let mut k = 2;
            while taken.contains(&username) {
                username = format!("{base}{k}");
                k += 1;
            }
            taken.insert(username.clone());
            let dept = DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())];
            let roll: f64 = rng.random();
            let (role, role_id, user_type): (&str, Option<&str>, &str) = if roll < 0.03 {
                (
                    "org_admin",
                    None,
                    if rng.random_bool(0.5) {
                        "creatorUT"
                    } else {
                        "GISProfessionalAdvUT"
                    },
                )
            } else if roll < 0.16 {
                (
                    "org_publisher",
                    None,
                    if rng.random_bool(0.7) {
                        "creatorUT"
                    } else {
                        "GISProfessionalStdUT"
                    },
                )
            } else if roll < 0.21 {
                let (id, base_role) = &custom_roles[rng.random_range(0..custom_roles.len())];
                (*base_role, Some(id.as_str()), "creatorUT")
            } else if roll < 0.62 {
                let ut = ["creatorUT", "editorUT", "fieldWorkerUT"][rng.random_range(0..3)];
                ("org_user", None, ut)
            } else if roll < 0.72 {
                (
                    "org_user",
                    Some(DATA_EDITOR_ROLE_ID),
                    ["editorUT", "fieldWorkerUT"][rng.random_range(0..2)],
                )
            } else {
                ("org_user", Some(VIEWER_ROLE_ID), "viewerUT")
            };
            let created = now - rng.random_range(DAY..6 * 365 * DAY);
            let last_login = if rng.random_bool(0.12) {
                -1
            } else {
                rng.random_range(created..now)
            };
            let enterprise = rng.random_bool(0.1);
            let domain = if enterprise {
                "city.example.gov"
            } else {
                "example.com"
            };
            let email = format!(
                "{}.{}{}@{domain}",
                ascii_lower(first),
                ascii_lower(last),
                i % 97
            );
            let access = match rng.random_range(0..10) {
                0 => "private",
                1 | 2 => "public",
                _ => "org",
            };
            let credits = if role == "org_admin" || rng.random_bool(0.8) {
                -1.0
            } else {
                f64::from(rng.random_range(1..20) * 50)
            };
            insert.execute(params![
                hex_id(32),
                username,
                format!("{first} {last}"),
                first,
                last,
                email,
                format!(
                    "{dept} — {}",
                    if role == "org_admin" {
                        "GIS administrator"
                    } else {
                        "staff"
                    }
                ),
                if enterprise {
                    None
                } else {
                    Some(shared_hash.as_str())
                },
                role,
                role_id,
                user_type,
                if rng.random_bool(0.3) {
                    "arcgisonly"
                } else {
                    "both"
                },
                access,
                if enterprise { "enterprise" } else { "arcgis" },
                enterprise.then(|| email.clone()),
                rng.random_bool(0.03),
                last_login,
                created,
                created.max(last_login),
                json!([dept]).to_string(),
                credits,
                credits,
                "en",
                "US",
            ])?;
            if role == "org_admin" {
                admins.push(username.clone());
            }
            members.push(username);
        }
    }
    report.users = n;

    // Groups: about one per 50 members (5 to 200), owned by administrators.
    let group_count = if n == 0 { 0 } else { (n / 50).clamp(5, 200) };
    let mut group_ids = Vec::with_capacity(group_count);
    {
        let mut insert = tx.prepare(
            "INSERT INTO groups (id, title, owner, description, snippet, tags, access,
               is_invitation_only, created, modified)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        )?;
        let mut owners = tx.prepare(
            "INSERT OR IGNORE INTO group_members (group_id, username, member_type, joined)
             VALUES (?1, ?2, 'owner', ?3)",
        )?;
        for g in 0..group_count {
            let id = hex_id(32);
            let dept = DEPARTMENTS[g % DEPARTMENTS.len()];
            let kind = GROUP_KINDS[(g / DEPARTMENTS.len()) % GROUP_KINDS.len()];
            let round = g / (DEPARTMENTS.len() * GROUP_KINDS.len());
            let title = if round == 0 {
                format!("{dept} {kind}")
            } else {
                format!("{dept} {kind} {}", round + 1)
            };
            let owner_name = &admins[rng.random_range(0..admins.len())];
            let created = now - rng.random_range(DAY..3 * 365 * DAY);
            insert.execute(params![
                id,
                title,
                owner_name,
                format!("Members of {dept} working as {}.", kind.to_lowercase()),
                format!("{dept} — {kind}"),
                json!([dept, kind]).to_string(),
                ["org", "org", "private", "public"][g % 4],
                g % 5 == 0,
                created,
            ])?;
            owners.execute(params![id, owner_name, created])?;
            group_ids.push(id);
        }
        report.groups = group_count;
    }
    if !group_ids.is_empty() {
        let mut member = tx.prepare(
            "INSERT OR IGNORE INTO group_members (group_id, username, member_type, joined)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for username in &members {
            for _ in 0..rng.random_range(0..4) {
                let gid = &group_ids[rng.random_range(0..group_ids.len())];
                let kind = if rng.random_bool(0.05) {
                    "admin"
                } else {
                    "member"
                };
                report.memberships += member.execute(params![
                    gid,
                    username,
                    kind,
                    now - rng.random_range(DAY..700 * DAY)
                ])?;
            }
        }
    }

    // Pending org invitations: some fresh, some expiring within 3 days, some expired.
    let invitation_count = if n == 0 { 0 } else { (n / 50).clamp(5, 2000) };
    {
        let mut insert = tx.prepare(
            "INSERT INTO invitations (id, kind, username, email, first_name, last_name, full_name,
               role, user_license_type, user_type, groups, from_username, created, expiration)
             VALUES (?1, 'org', ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'both', ?9, ?10, ?11, ?12)",
        )?;
        for i in 0..invitation_count {
            let first = FIRST[rng.random_range(0..FIRST.len())];
            let last = LAST[rng.random_range(0..LAST.len())];
            let base = format!("{}{}", ascii_lower(&first[..1]), ascii_lower(last));
            let mut username = format!("{base}_new");
            let mut k = 2;
            while taken.contains(&username) {
                username = format!("{base}_new{k}");
                k += 1;
            }
            taken.insert(username.clone());
            let age_days = match i % 4 {
                0 => rng.random_range(0..5),   // fresh
                1 => rng.random_range(11..14), // expires within 3 days
                2 => rng.random_range(15..60), // expired
                _ => rng.random_range(0..11),
            };
            let created = now - age_days * DAY - rng.random_range(0..DAY / 2);
            let (role, ut) = if i % 3 == 0 {
                (VIEWER_ROLE_ID, "viewerUT")
            } else {
                ("org_user", "creatorUT")
            };
            let groups = if group_ids.is_empty() || i % 2 == 0 {
                json!([])
            } else {
                json!([group_ids[rng.random_range(0..group_ids.len())]])
            };
            insert.execute(params![
                hex_id(32),
                username,
                format!("{}.{}@example.com", ascii_lower(first), ascii_lower(last)),
                first,
                last,
                format!("{first} {last}"),
                role,
                ut,
                groups.to_string(),
                admins[rng.random_range(0..admins.len())],
                created,
                created + 14 * DAY,
            ])?;
        }
        report.invitations = invitation_count;
    }
    if n > 0 {
        report.license_holders = licenses::seed_licenses(&tx, n, now)?;
    }
    tx.commit()?;
    Ok(report)
}
