//! Storage: one SQLite database (a file with `--data PATH`, or memory), schema migrations by
//! `PRAGMA user_version`, and a pool of connections used from blocking tasks.
//!
//! WAL mode lets readers run beside the one writer; `busy_timeout` makes concurrent writers
//! wait instead of failing. Transactions are `IMMEDIATE` by default: a transaction that reads
//! and then writes would otherwise hold a read snapshot that another writer can make stale,
//! and SQLite answers that upgrade with "database is locked" at once, without waiting.
//! Read-only transactions ask for `DEFERRED` explicitly.
//!
//! What is deliberately not here: what is stored in the tables (each resource module reads
//! and writes its own) and the organization's first rows (`seed`).

use std::path::Path;

use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;

use crate::error::{rusqlite, PortalError, Result};

/// A pool of connections to the portal's database.
pub type DbPool = Pool<SqliteConnectionManager>;

/// One connection taken from the pool; back to the pool when dropped.
pub type Conn = r2d2::PooledConnection<SqliteConnectionManager>;

/// The schema, one entry per version. Append only: never edit a released migration.
const MIGRATIONS: &[&str] = &[
    // 1: the organization, members, roles, user types, groups, invitations, sign-in state.
    r#"
    CREATE TABLE org (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        url_key TEXT NOT NULL,
        created INTEGER NOT NULL
    );
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        full_name TEXT NOT NULL DEFAULT '',
        first_name TEXT NOT NULL DEFAULT '',
        last_name TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        description TEXT,
        password_hash TEXT,
        role TEXT NOT NULL,
        role_id TEXT,
        user_license_type_id TEXT NOT NULL,
        user_type TEXT NOT NULL DEFAULT 'both',
        access TEXT NOT NULL DEFAULT 'org',
        provider TEXT NOT NULL DEFAULT 'arcgis',
        idp_username TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        last_login INTEGER NOT NULL DEFAULT -1,
        created INTEGER NOT NULL,
        modified INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        categories TEXT NOT NULL DEFAULT '[]',
        culture TEXT NOT NULL DEFAULT 'en',
        culture_format TEXT NOT NULL DEFAULT 'us',
        region TEXT NOT NULL DEFAULT 'US',
        units TEXT NOT NULL DEFAULT 'english',
        preferred_view TEXT,
        thumbnail TEXT,
        assigned_credits REAL NOT NULL DEFAULT -1,
        available_credits REAL NOT NULL DEFAULT -1,
        mfa_enabled INTEGER NOT NULL DEFAULT 0,
        builtin_admin INTEGER NOT NULL DEFAULT 0,
        properties TEXT NOT NULL DEFAULT '{}',
        storage_usage INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX users_created ON users(created);
    CREATE INDEX users_modified ON users(modified);
    CREATE INDEX users_last_login ON users(last_login);
    CREATE INDEX users_full_name ON users(full_name COLLATE NOCASE);
    CREATE INDEX users_role ON users(role, role_id);
    CREATE INDEX users_license ON users(user_license_type_id);

    CREATE TABLE roles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '',
        base_role TEXT NOT NULL,
        privileges TEXT NOT NULL,
        builtin INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL,
        modified INTEGER NOT NULL
    );
    CREATE TABLE user_types (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        level INTEGER NOT NULL,
        max_role TEXT NOT NULL,
        org_default INTEGER NOT NULL DEFAULT 0,
        apps TEXT NOT NULL DEFAULT '[]',
        ordinal INTEGER NOT NULL
    );
    CREATE TABLE groups (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        owner TEXT NOT NULL COLLATE NOCASE,
        description TEXT,
        snippet TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        access TEXT NOT NULL DEFAULT 'org',
        is_invitation_only INTEGER NOT NULL DEFAULT 0,
        is_view_only INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL,
        modified INTEGER NOT NULL
    );
    CREATE TABLE group_members (
        group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        username TEXT NOT NULL COLLATE NOCASE,
        member_type TEXT NOT NULL,
        joined INTEGER NOT NULL,
        PRIMARY KEY (group_id, username)
    );
    CREATE INDEX group_members_user ON group_members(username);
    CREATE TABLE invitations (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        username TEXT COLLATE NOCASE,
        email TEXT,
        first_name TEXT,
        last_name TEXT,
        full_name TEXT,
        role TEXT,
        user_license_type TEXT,
        user_type TEXT,
        groups TEXT NOT NULL DEFAULT '[]',
        credits REAL,
        from_username TEXT NOT NULL,
        target_id TEXT,
        created INTEGER NOT NULL,
        expiration INTEGER NOT NULL,
        accepted INTEGER NOT NULL DEFAULT 0,
        must_approve INTEGER NOT NULL DEFAULT 0,
        accept_code_hash TEXT
    );
    CREATE INDEX invitations_user ON invitations(username);
    CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        username TEXT,
        client_id TEXT,
        expires INTEGER NOT NULL,
        parent_hash TEXT,
        ssl INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX tokens_parent ON tokens(parent_hash);
    CREATE TABLE oauth_pending (
        oauth_state TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        response_type TEXT NOT NULL,
        state TEXT,
        code_challenge TEXT,
        code_challenge_method TEXT,
        expiration_minutes INTEGER NOT NULL,
        created INTEGER NOT NULL
    );
    CREATE TABLE auth_codes (
        code_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        username TEXT NOT NULL,
        code_challenge TEXT,
        code_challenge_method TEXT,
        expiration_minutes INTEGER NOT NULL,
        expires INTEGER NOT NULL
    );
    CREATE TABLE apps (
        client_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        client_secret TEXT,
        redirect_uris TEXT NOT NULL,
        owner TEXT
    );
    "#,
    // 2: the outbox: invitation emails the portal would have sent, with their links.
    r#"
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        to_address TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        link TEXT,
        invitation_id TEXT,
        created INTEGER NOT NULL
    );
    "#,
    // 3: a change counter for members and roles, kept by triggers, so readers know when their
    // in-memory copy (`snapshot`) is stale without trusting any code path to say so.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO meta (key, value) VALUES ('members_version', 1);
    CREATE TRIGGER users_inserted AFTER INSERT ON users
      BEGIN UPDATE meta SET value = value + 1 WHERE key = 'members_version'; END;
    CREATE TRIGGER users_updated AFTER UPDATE ON users
      BEGIN UPDATE meta SET value = value + 1 WHERE key = 'members_version'; END;
    CREATE TRIGGER users_deleted AFTER DELETE ON users
      BEGIN UPDATE meta SET value = value + 1 WHERE key = 'members_version'; END;
    CREATE TRIGGER roles_inserted AFTER INSERT ON roles
      BEGIN UPDATE meta SET value = value + 1 WHERE key = 'members_version'; END;
    CREATE TRIGGER roles_updated AFTER UPDATE ON roles
      BEGIN UPDATE meta SET value = value + 1 WHERE key = 'members_version'; END;
    CREATE TRIGGER roles_deleted AFTER DELETE ON roles
      BEGIN UPDATE meta SET value = value + 1 WHERE key = 'members_version'; END;
    "#,
    // 4: which member each counted change touched (the id, and the old id when an update
    // changed it; none for `roles`), so the in-memory copy re-reads only those rows
    // (`snapshot`, delta). One row per version; the last 4096 are kept.
    r#"
    CREATE TABLE member_changes (
        version INTEGER PRIMARY KEY,
        user_id TEXT,
        old_id TEXT
    );
    DROP TRIGGER users_inserted;
    DROP TRIGGER users_updated;
    DROP TRIGGER users_deleted;
    DROP TRIGGER roles_inserted;
    DROP TRIGGER roles_updated;
    DROP TRIGGER roles_deleted;
    CREATE TRIGGER users_inserted AFTER INSERT ON users BEGIN
      UPDATE meta SET value = value + 1 WHERE key = 'members_version';
      INSERT INTO member_changes (version, user_id)
        SELECT value, NEW.id FROM meta WHERE key = 'members_version';
      DELETE FROM member_changes
        WHERE version <= (SELECT value FROM meta WHERE key = 'members_version') - 4096;
    END;
    CREATE TRIGGER users_updated AFTER UPDATE ON users BEGIN
      UPDATE meta SET value = value + 1 WHERE key = 'members_version';
      INSERT INTO member_changes (version, user_id, old_id)
        SELECT value, NEW.id, NULLIF(OLD.id, NEW.id) FROM meta WHERE key = 'members_version';
      DELETE FROM member_changes
        WHERE version <= (SELECT value FROM meta WHERE key = 'members_version') - 4096;
    END;
    CREATE TRIGGER users_deleted AFTER DELETE ON users BEGIN
      UPDATE meta SET value = value + 1 WHERE key = 'members_version';
      INSERT INTO member_changes (version, user_id)
        SELECT value, OLD.id FROM meta WHERE key = 'members_version';
      DELETE FROM member_changes
        WHERE version <= (SELECT value FROM meta WHERE key = 'members_version') - 4096;
    END;
    CREATE TRIGGER roles_inserted AFTER INSERT ON roles BEGIN
      UPDATE meta SET value = value + 1 WHERE key = 'members_version';
      INSERT INTO member_changes (version) SELECT value FROM meta WHERE key = 'members_version';
    END;
    CREATE TRIGGER roles_updated AFTER UPDATE ON roles BEGIN
      UPDATE meta SET value = value + 1 WHERE key = 'members_version';
      INSERT INTO member_changes (version) SELECT value FROM meta WHERE key = 'members_version';
    END;
    CREATE TRIGGER roles_deleted AFTER DELETE ON roles BEGIN
      UPDATE meta SET value = value + 1 WHERE key = 'members_version';
      INSERT INTO member_changes (version) SELECT value FROM meta WHERE key = 'members_version';
    END;
    "#,
    // 5: licenses and seats. Seats bought per user type (no row: no limit); the add-on
    // licenses bought (`listings`, what `licenses::catalog` defines, with counts per
    // entitlement) and who holds which entitlement, with its last use; the app bundles
    // bought, and each member's bundles on their own row (`users.app_bundles`, a JSON list,
    // so user search and its in-memory copy see them like any other field).
    r#"
    CREATE TABLE user_type_seats (
        type_id TEXT PRIMARY KEY,
        max_users INTEGER NOT NULL
    );
    CREATE TABLE listings (
        item_id TEXT PRIMARY KEY,
        max_users INTEGER NOT NULL,
        start_date INTEGER NOT NULL,
        end_date INTEGER NOT NULL,
        trial INTEGER NOT NULL DEFAULT 0,
        purchased INTEGER NOT NULL
    );
    CREATE TABLE listing_entitlements (
        item_id TEXT NOT NULL,
        entitlement TEXT NOT NULL,
        num INTEGER NOT NULL,
        PRIMARY KEY (item_id, entitlement)
    );
    CREATE TABLE user_entitlements (
        item_id TEXT NOT NULL,
        username TEXT NOT NULL COLLATE NOCASE,
        entitlement TEXT NOT NULL,
        assigned INTEGER NOT NULL,
        last_used INTEGER NOT NULL DEFAULT -1,
        PRIMARY KEY (item_id, username, entitlement)
    );
    CREATE INDEX user_entitlements_user ON user_entitlements(username);
    CREATE TABLE app_bundles (
        id TEXT PRIMARY KEY,
        max_users INTEGER NOT NULL,
        purchased INTEGER NOT NULL
    );
    ALTER TABLE users ADD COLUMN app_bundles TEXT NOT NULL DEFAULT '[]';
    "#,
];

fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
    )?;
    Ok(())
}

/// An open database: the pool, and for `:memory:` the scratch directory that holds it.
pub struct Database {
    pub pool: DbPool,
    /// Removed when the portal is dropped.
    pub scratch: Option<tempfile::TempDir>,
}

/// Opens (and migrates) the database at `path`. `:memory:` means a throwaway database: a
/// file in RAM-backed `/dev/shm` where there is one (else the temp directory), removed when
/// the portal goes. (SQLite's own shared-cache memory databases lock whole tables against
/// concurrent readers, which a server cannot live with; a WAL file can.)
pub fn open(path: &str) -> Result<Database> {
    let (file, scratch) = if path == ":memory:" {
        let shm = Path::new("/dev/shm");
        let mut builder = tempfile::Builder::new();
        builder.prefix("portal-emulator-");
        let dir = if shm.is_dir() {
            builder.tempdir_in(shm)
        } else {
            builder.tempdir()
        }
        .map_err(|e| PortalError::new(500, format!("cannot make a scratch database: {e}")))?;
        (dir.path().join("portal.db"), Some(dir))
    } else {
        if let Some(parent) = Path::new(path).parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                PortalError::new(500, format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        (Path::new(path).to_path_buf(), None)
    };
    let manager = SqliteConnectionManager::file(&file).with_init(configure);
    let pool = Pool::builder()
        .max_size(8)
        .build(manager)
        .map_err(|e| PortalError::new(500, format!("cannot open the database {path}: {e}")))?;
    let mut conn = pool.get()?;
    conn.execute_batch("PRAGMA journal_mode = WAL;")?;
    migrate(&mut conn)?;
    drop(conn);
    Ok(Database { pool, scratch })
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let current = usize::try_from(current).unwrap_or(usize::MAX);
    if current > MIGRATIONS.len() {
        return Err(PortalError::new(
            500,
            format!(
                "the database was made by a newer portal-emulator (schema {current}, this one knows {})",
                MIGRATIONS.len()
            ),
        ));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
