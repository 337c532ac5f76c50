//! Passwords an operator of the portal sets, outside any REST call: one member's password
//! (tests, and an operator's own tools), and the lock-out of administrators for the app's demo
//! portal, where no well-known password may give administrator access.
//!
//! What is deliberately not here: the demo's own administrator (`ensure_admin` in the parent,
//! called with the app's fresh password), ending the locked members' tokens (`auth::revoke_user`,
//! which needs the running portal's token cache: the caller does it), and the REST password
//! change (`users`).

use r2d2_sqlite::rusqlite::params;
use rand::distr::{Alphanumeric, SampleString};

use crate::db::DbPool;
use crate::error::Result;

/// What makes a member an administrator, in SQL over `users`: the `org_admin` role, or a role
/// (custom or built-in) holding any `:admin:` privilege, as `auth::Caller::is_admin` decides.
const HOLDS_ADMIN_PRIVILEGE: &str = "(role = 'org_admin' OR role_id IN \
     (SELECT id FROM roles WHERE privileges LIKE '%:admin:%'))";

/// Sets `username`'s password (hashed; the policy is not checked: an operator's act).
pub fn set_password(pool: &DbPool, username: &str, password: &str) -> Result<()> {
    let hash = crate::passwords::hash(password)?;
    pool.get()?.execute(
        "UPDATE users SET password_hash = ?1 WHERE username = ?2 COLLATE NOCASE",
        params![hash, username],
    )?;
    Ok(())
}

/// Gives every member who holds an administrative privilege and signs in with a password,
/// except `keep`, a new random password that is never stored or shown, and answers their
/// usernames. Whatever password they had (the seeded members' shared one, or one set while
/// they were not administrators) no longer signs them in. One random password, hashed once,
/// serves them all: nobody knows it, and 500 hashes would slow every start.
pub fn lock_admins(pool: &DbPool, keep: &str) -> Result<Vec<String>> {
    let conn = pool.get()?;
    let mut stmt = conn.prepare(&format!(
        "SELECT username FROM users WHERE password_hash IS NOT NULL \
         AND username <> ?1 COLLATE NOCASE AND {HOLDS_ADMIN_PRIVILEGE}"
    ))?;
    let admins = stmt
        .query_map(params![keep], |r| r.get::<_, String>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    drop(stmt);
    // A set-password link of an administrator created without a password would make a known
    // password as well: those links go, whoever they were sent to.
    conn.execute(
        &format!(
            "DELETE FROM invitations WHERE kind = 'activation' AND username IN \
             (SELECT username FROM users WHERE username <> ?1 COLLATE NOCASE AND {HOLDS_ADMIN_PRIVILEGE})"
        ),
        params![keep],
    )?;
    if admins.is_empty() {
        return Ok(admins);
    }
    let unknown = Alphanumeric.sample_string(&mut rand::rng(), 40);
    let hash = crate::passwords::hash(&unknown)?;
    conn.execute(
        &format!(
            "UPDATE users SET password_hash = ?1 WHERE password_hash IS NOT NULL \
             AND username <> ?2 COLLATE NOCASE AND {HOLDS_ADMIN_PRIVILEGE}"
        ),
        params![hash, keep],
    )?;
    Ok(admins)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::check_password;
    use crate::seed::{ensure_admin, seed_users, DEMO_PASSWORD};
    use crate::{Config, State};

    #[test]
    fn every_member_holding_an_admin_privilege_but_the_kept_one_loses_the_shared_password() {
        let state = State::open(":memory:", Config::default()).unwrap();
        ensure_admin(&state.db, "keeper", "Keeper-pass-1").unwrap();
        seed_users(&state.db, 200, "keeper").unwrap();
        let conn = state.db.get().unwrap();
        // A custom role with one administrative privilege on a plain user's base role.
        conn.execute(
            "INSERT INTO roles (id, name, base_role, privileges, created, modified)
             VALUES ('viewsusers', 'Member viewer', 'org_user', ?1, 0, 0)",
            params![r#"["portal:user:joinGroup","portal:admin:viewUsers"]"#],
        )
        .unwrap();
        let plain = |skip: i64| -> String {
            conn.query_row(
                "SELECT username FROM users WHERE role = 'org_user' AND role_id IS NULL
                 AND password_hash IS NOT NULL ORDER BY username LIMIT 1 OFFSET ?1",
                params![skip],
                |r| r.get(0),
            )
            .unwrap()
        };
        let (custom_admin, member) = (plain(0), plain(1));
        conn.execute(
            "UPDATE users SET role_id = 'viewsusers' WHERE username = ?1",
            params![custom_admin],
        )
        .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT username FROM users WHERE role = 'org_admin' AND username <> 'keeper'
                 AND password_hash IS NOT NULL",
            )
            .unwrap();
        let mut admins: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        drop(stmt);
        drop(conn);
        assert!(!admins.is_empty(), "the seed makes administrators");
        admins.push(custom_admin);
        for admin in &admins {
            assert!(check_password(&state, admin, DEMO_PASSWORD)
                .unwrap()
                .is_ok());
        }

        // A set-password link of an administrator created without one, and of a member.
        let conn = state.db.get().unwrap();
        for (id, who) in [
            ("link-admin", admins[0].as_str()),
            ("link-member", member.as_str()),
        ] {
            conn.execute(
                "INSERT INTO invitations (id, kind, username, from_username, created, expiration)
                 VALUES (?1, 'activation', ?2, 'keeper', 0, 9999999999999)",
                params![id, who],
            )
            .unwrap();
        }
        drop(conn);

        let mut locked = lock_admins(&state.db, "keeper").unwrap();
        let links: Vec<String> = {
            let conn = state.db.get().unwrap();
            let mut stmt = conn
                .prepare("SELECT id FROM invitations WHERE kind = 'activation' ORDER BY id")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(
            links,
            vec!["link-member".to_string()],
            "an administrator's set-password link goes, a member's stays"
        );
        locked.sort();
        admins.sort();
        assert_eq!(
            locked, admins,
            "every administrator but the kept one, and no one else"
        );
        for admin in &admins {
            assert!(
                check_password(&state, admin, DEMO_PASSWORD)
                    .unwrap()
                    .is_err(),
                "{admin} still signs in with the shared password"
            );
        }
        assert!(check_password(&state, "keeper", "Keeper-pass-1")
            .unwrap()
            .is_ok());
        assert!(
            check_password(&state, &member, DEMO_PASSWORD)
                .unwrap()
                .is_ok(),
            "a member who is not an administrator keeps the shared password"
        );
    }
}
