//! The local member cache: the whole organization in one SQLite file per portal profile, so
//! the table opens at once on the next start and filters every member with no round trip.
//!
//! What is deliberately not here: anything that talks to the portal (`load`).

use std::path::Path;

use portal_client::{BaseRole, ProfileVisibility};
use rusqlite::{params, Connection};
use serde::Serialize;

use crate::error::Result;
use crate::members::{Member, SharedStr};

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
const SCHEMA_VERSION: i64 = 5;

const SCHEMA: &str = r#"
DROP TABLE IF EXISTS members;
DROP TABLE IF EXISTS meta;
DROP TABLE IF EXISTS documents;
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
    credits REAL,
    licenses TEXT NOT NULL,
    idp_username TEXT
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE documents (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"#;

const INSERT: &str =
    "INSERT OR REPLACE INTO members VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";

fn insert(stmt: &mut rusqlite::Statement<'_>, m: &Member) -> rusqlite::Result<usize> {
    stmt.execute(params![
        m.username,
        m.full_name,
        m.first_name,
        m.last_name,
        m.email,
        m.role.id(),
        m.role_id,
        m.role_name,
        m.user_type,
        m.user_type_name,
        m.disabled,
        m.last_login,
        m.created,
        m.provider,
        m.description,
        m.access.id(),
        m.groups.join(","),
        m.credits,
        m.licenses.join(","),
        m.idp_username
    ])
}

impl MemberCache {
    /// Deletes the cache file of a profile, with SQLite's journal files; a cache that was
    /// never made is no error.
    pub fn delete_file(path: &Path) -> Result<()> {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            match std::fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        Ok(())
    }

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
                role: BaseRole::parse(&r.get::<_, String>(5)?).unwrap_or(BaseRole::User),
                role_id: r.get(6)?,
                role_name: r.get(7)?,
                user_type: r.get(8)?,
                user_type_name: r.get(9)?,
                disabled: r.get(10)?,
                last_login: r.get(11)?,
                created: r.get(12)?,
                provider: r.get(13)?,
                description: r.get(14)?,
                access: ProfileVisibility::parse(&r.get::<_, String>(15)?).unwrap_or_default(),
                groups: r
                    .get::<_, String>(16)?
                    .split(',')
                    .filter(|g| !g.is_empty())
                    .map(SharedStr::from)
                    .collect(),
                credits: r.get(17)?,
                licenses: r
                    .get::<_, String>(18)?
                    .split(',')
                    .filter(|k| !k.is_empty())
                    .map(SharedStr::from)
                    .collect(),
                idp_username: r.get(19)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Keeps a document of the organization (JSON) beside its members: what was read with
    /// them and is not a member row (the licenses bought).
    pub fn put_document(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO documents (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }

    /// Forgets a document kept with [`MemberCache::put_document`].
    pub fn remove_document(&mut self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM documents WHERE key = ?1", params![key])?;
        Ok(())
    }

    /// A document kept with [`MemberCache::put_document`].
    pub fn document(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM documents WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
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
