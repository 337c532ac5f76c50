//! The demo portal: the embedded portal running inside the app, on 127.0.0.1 only, with a
//! persistent demo organization in the app's data folder (about 500 members, groups, custom
//! roles, pending and expired invitations), so Memberdesk can be tried without an account.
//!
//! The administrator's password is new at every start: the app owns the demo database, sets
//! a random password on it and keeps it only in memory to sign in. Nothing to store, nothing
//! to leak. Only `demo_admin` signs in as an administrator: at every start, every other member
//! holding an administrative privilege (the seeded administrators, a member promoted in an
//! earlier run, an administrator of a database seeded before this rule) gets a random password
//! nobody is told, and their tokens end. The other seeded members keep the emulator's
//! documented demo password, as in `portal-emulator serve --seed-users`, so one can sign in as
//! a member to see what a member sees; the portal listens on loopback only.

use std::path::{Path, PathBuf};

use portal_emulator::{auth, router, seed, server, Config, State};
use rand::distr::{Alphanumeric, SampleString};
use secrecy::SecretString;

use crate::error::{Error, Result};

/// The demo organization's administrator.
pub const DEMO_ADMIN: &str = "demo_admin";
/// How many members a new demo organization gets.
pub const DEMO_MEMBERS: usize = 500;

/// A running demo portal.
pub struct DemoPortal {
    /// The REST base, `http://127.0.0.1:PORT/sharing/rest`.
    pub url: String,
    /// The administrator's password for this run.
    pub admin_password: SecretString,
    server: tokio::task::JoinHandle<()>,
    /// The database, for tests that check what the portal holds.
    pub state: State,
}

impl DemoPortal {
    /// Starts the demo portal on the database in `dir` (created and seeded on first use).
    pub async fn start(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path: PathBuf = dir.join("demo-portal.db");
        let path_text = path
            .to_str()
            .ok_or_else(|| Error::Demo(format!("the path {} is not UTF-8", path.display())))?
            .to_string();
        let password = format!("Md-{}-9", Alphanumeric.sample_string(&mut rand::rng(), 24));
        let state = {
            let password = password.clone();
            tokio::task::spawn_blocking(move || -> std::result::Result<State, String> {
                let state = State::open(
                    &path_text,
                    // Inside the app the portal is listed once in a while by one
                    // console: it does not keep every member's rendered JSON.
                    Config {
                        keep_rendered_members: false,
                        ..Config::default()
                    },
                )
                .map_err(|e| e.to_string())?;
                let fresh = {
                    let conn = state.db.get().map_err(|e| e.to_string())?;
                    let members: i64 = conn
                        .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
                        .map_err(|e| e.to_string())?;
                    members == 0
                };
                seed::ensure_admin(&state.db, DEMO_ADMIN, &password).map_err(|e| e.to_string())?;
                // A new password ends the sessions of the old one (docs/SECURITY.md).
                auth::revoke_user(&state, DEMO_ADMIN).map_err(|e| e.to_string())?;
                if fresh {
                    seed::seed_users(&state.db, DEMO_MEMBERS, DEMO_ADMIN)
                        .map_err(|e| e.to_string())?;
                }
                for admin in seed::lock_admins(&state.db, DEMO_ADMIN).map_err(|e| e.to_string())? {
                    auth::revoke_user(&state, &admin).map_err(|e| e.to_string())?;
                }
                Ok(state)
            })
            .await
            .map_err(|e| Error::Demo(e.to_string()))?
            .map_err(Error::Demo)?
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/sharing/rest", listener.local_addr()?);
        let app = router(state.clone());
        let server = tokio::spawn(async move {
            if let Err(e) = server::serve(listener, app, None).await {
                eprintln!("demo portal stopped: {e}");
            }
        });
        Ok(Self {
            url,
            admin_password: SecretString::from(password),
            server,
            state,
        })
    }
}

impl Drop for DemoPortal {
    fn drop(&mut self) {
        self.server.abort();
    }
}
