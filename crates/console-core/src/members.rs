//! Members as the console shows them, and the local cache that keeps the whole organization
//! on this computer (SQLite), so the table can filter and sort every member with no round
//! trip to the portal and open instantly on the next start.
//!
//! What is deliberately not here: filtering and sorting (the table does that on rows it
//! already holds) and anything that talks to the portal (see `console`).

use std::collections::HashMap;
use std::path::Path;

use portal_client::{Role, User, UserType};
use rusqlite::{params, Connection};
use serde::Serialize;

use crate::error::Result;

/// One member, flattened for the table: role and user type come with their display names.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub username: String,
    pub full_name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// `org_admin`, `org_publisher` or `org_user`: the base level.
    pub role: String,
    /// The custom role's id, or the base role when there is none.
    pub role_id: String,
    /// What people call the role: "Administrator", "Viewer", a custom role's name.
    pub role_name: String,
    /// The user type's id (`creatorUT`), empty when the portal does not say.
    pub user_type: String,
    /// What people call the user type ("Creator").
    pub user_type_name: String,
    pub disabled: bool,
    /// Last sign-in (epoch ms), `None` for never.
    #[specta(type = Option<f64>)]
    pub last_login: Option<i64>,
    /// Created (epoch ms).
    #[specta(type = f64)]
    pub created: i64,
    /// `arcgis` for built-in accounts, `enterprise` for SAML and other identity providers.
    pub provider: String,
    pub description: String,
    /// Who may see the profile: `private`, `org` or `public`.
    pub access: String,
    /// The ids of the groups the member belongs to (as owner, manager or member).
    pub groups: Vec<String>,
    /// Credits assigned to the member (ArcGIS Online; `-1`: no limit), `None` when the portal
    /// does not manage credits.
    pub credits: Option<f64>,
}

/// Display names for base roles, custom roles and user types.
#[derive(Debug, Default, Clone)]
pub struct Names {
    roles: HashMap<String, String>,
    /// The base role (`org_user`, `org_publisher`, `org_admin`) of each custom role.
    bases: HashMap<String, String>,
    user_types: HashMap<String, String>,
    choices: Choices,
}

/// A role or user type a member can be given, for the edit form.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub id: String,
    pub name: String,
    /// A role's base role (`org_user`, `org_publisher`, `org_admin`); `None` for user types.
    pub base_role: Option<String>,
    /// The highest base role a user type allows (`viewer`: only the Viewer role); `None` for
    /// roles, and for user types the portal does not describe.
    pub max_role: Option<String>,
}

/// What the edit form offers: the organization's roles (base and custom) and user types.
#[derive(Debug, Default, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Choices {
    pub roles: Vec<Choice>,
    pub user_types: Vec<Choice>,
}

impl Names {
    /// The names the portal gave, with the built-in roles' names added.
    pub fn new(roles: &[Role], user_types: &[UserType]) -> Self {
        let mut names = Names::default();
        for (id, name) in [
            ("org_admin", "Administrator"),
            ("org_publisher", "Publisher"),
            ("org_user", "User"),
        ] {
            names.roles.insert(id.into(), name.into());
            names.bases.insert(id.into(), id.into());
            names.choices.roles.push(Choice {
                id: id.into(),
                name: name.into(),
                base_role: Some(id.into()),
                max_role: None,
            });
        }
        for role in roles {
            names.roles.insert(role.id.clone(), role.name.clone());
            // Without its privileges a custom role's level is unknown: nothing is assumed.
            let base = role
                .privileges
                .as_deref()
                .map(|p| base_role_of(p).to_string());
            if let Some(b) = &base {
                names.bases.insert(role.id.clone(), b.clone());
            }
            names.choices.roles.push(Choice {
                id: role.id.clone(),
                name: role.name.clone(),
                base_role: base,
                max_role: None,
            });
        }
        for t in user_types {
            let name = if t.name.is_empty() { &t.id } else { &t.name };
            names.user_types.insert(t.id.clone(), name.clone());
            names.choices.user_types.push(Choice {
                id: t.id.clone(),
                name: name.clone(),
                base_role: None,
                max_role: t.max_role.clone(),
            });
        }
        names
    }

    /// The roles and user types to choose from.
    pub fn choices(&self) -> &Choices {
        &self.choices
    }

    /// A role's display name (its id when the portal did not name it).
    pub fn role_name(&self, role_id: &str) -> String {
        self.roles
            .get(role_id)
            .cloned()
            .unwrap_or(role_id.to_string())
    }

    /// The base role a role amounts to: itself for a base role, from its privileges for a
    /// custom role (administrative privileges make an administrator, publishing ones a
    /// publisher), the way ArcGIS Online classifies custom roles.
    /// `None` for a custom role whose privileges the portal did not give.
    pub fn base_role(&self, role_id: &str) -> Option<String> {
        self.bases.get(role_id).cloned()
    }

    /// A user type's display name (its id when the portal did not name it).
    pub fn user_type_name(&self, user_type: &str) -> String {
        self.user_types
            .get(user_type)
            .cloned()
            .unwrap_or(user_type.to_string())
    }

    /// A member row from the portal's view of a user.
    pub fn member(&self, u: User) -> Member {
        let role = u.role.unwrap_or_default();
        let role_id = u.role_id.filter(|r| !r.is_empty()).unwrap_or(role.clone());
        let role_name = self.role_name(&role_id);
        let user_type = u.user_license_type_id.unwrap_or_default();
        let user_type_name = self.user_type_name(&user_type);
        Member {
            username: u.username.0,
            full_name: u.full_name,
            first_name: u.first_name,
            last_name: u.last_name,
            email: u.email.unwrap_or_default(),
            role,
            role_id,
            role_name,
            user_type,
            user_type_name,
            disabled: u.disabled,
            last_login: u.last_login,
            created: u.created,
            provider: u.provider.unwrap_or_else(|| "arcgis".into()),
            description: u.description.unwrap_or_default(),
            access: u.access.unwrap_or_else(|| "org".into()),
            groups: Vec::new(),
            credits: u.assigned_credits,
        }
    }
}

/// The base role a custom role's privileges amount to.
fn base_role_of(privileges: &[String]) -> &'static str {
    if privileges.iter().any(|p| p.contains(":admin:")) {
        "org_admin"
    } else if privileges
        .iter()
        .any(|p| p.starts_with("portal:publisher:"))
    {
        "org_publisher"
    } else {
        "org_user"
    }
}

/// When the cache was last filled, and how many members it holds.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CacheState {
    pub members: u32,
    /// Epoch ms of the last complete load, `None` if never loaded.
    #[specta(type = Option<f64>)]
    pub loaded_at: Option<i64>,
}

/// The members of one portal profile, kept in one SQLite file.
pub struct MemberCache {
    conn: Connection,
}

/// The cache's layout. A cache of another version is thrown away and rebuilt: it is only a
/// copy of what the portal holds.
const SCHEMA_VERSION: i64 = 3;

const SCHEMA: &str = r#"
DROP TABLE IF EXISTS members;
DROP TABLE IF EXISTS meta;
CREATE TABLE members (
    username TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    role_id TEXT NOT NULL,
    role_name TEXT NOT NULL,
    user_type TEXT NOT NULL,
    user_type_name TEXT NOT NULL,
    disabled INTEGER NOT NULL,
    last_login INTEGER,
    created INTEGER NOT NULL,
    provider TEXT NOT NULL,
    description TEXT NOT NULL,
    access TEXT NOT NULL,
    groups TEXT NOT NULL,
    credits REAL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"#;

const INSERT: &str =
    "INSERT OR REPLACE INTO members VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

fn insert(stmt: &mut rusqlite::Statement<'_>, m: &Member) -> rusqlite::Result<usize> {
    stmt.execute(params![
        m.username,
        m.full_name,
        m.first_name,
        m.last_name,
        m.email,
        m.role,
        m.role_id,
        m.role_name,
        m.user_type,
        m.user_type_name,
        m.disabled,
        m.last_login,
        m.created,
        m.provider,
        m.description,
        m.access,
        m.groups.join(","),
        m.credits
    ])
}

impl MemberCache {
    /// Opens (or creates) the cache file.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            conn.execute_batch(SCHEMA)?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        Ok(Self { conn })
    }

    /// Replaces every member at once: a reader sees the old org or the new one, never a mix.
    pub fn replace_all(&mut self, members: &[Member], loaded_at: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM members", [])?;
        {
            let mut stmt = tx.prepare(INSERT)?;
            for m in members {
                insert(&mut stmt, m)?;
            }
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('loaded_at', ?1)",
            params![loaded_at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Puts members' current state into the cache (after an edit or a bulk change), in one
    /// transaction.
    pub fn upsert(&mut self, members: &[Member]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(INSERT)?;
            for m in members {
                insert(&mut stmt, m)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes members (deleted from the portal), in one transaction.
    pub fn remove(&mut self, usernames: &[String]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM members WHERE username = ?1")?;
            for name in usernames {
                stmt.execute(params![name])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every cached member, in username order.
    pub fn all(&self) -> Result<Vec<Member>> {
        let mut stmt = self
            .conn
            .prepare("SELECT * FROM members ORDER BY username COLLATE NOCASE")?;
        let rows = stmt.query_map([], |r| {
            Ok(Member {
                username: r.get(0)?,
                full_name: r.get(1)?,
                first_name: r.get(2)?,
                last_name: r.get(3)?,
                email: r.get(4)?,
                role: r.get(5)?,
                role_id: r.get(6)?,
                role_name: r.get(7)?,
                user_type: r.get(8)?,
                user_type_name: r.get(9)?,
                disabled: r.get(10)?,
                last_login: r.get(11)?,
                created: r.get(12)?,
                provider: r.get(13)?,
                description: r.get(14)?,
                access: r.get(15)?,
                groups: r
                    .get::<_, String>(16)?
                    .split(',')
                    .filter(|g| !g.is_empty())
                    .map(str::to_string)
                    .collect(),
                credits: r.get(17)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many members are cached and when they were loaded.
    pub fn state(&self) -> Result<CacheState> {
        let members: u32 = self
            .conn
            .query_row("SELECT COUNT(*) FROM members", [], |r| r.get(0))?;
        let loaded_at = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'loaded_at'", [], |r| {
                r.get(0)
            })
            .ok();
        Ok(CacheState { members, loaded_at })
    }
}
