//! An in-memory, read-only copy of the members (and role privileges) for the hot read paths:
//! user search, the org listing, and resolving the caller of every request.
//!
//! Correctness first: a change counter in the database, kept by triggers on `users` and
//! `roles`, says when the copy is stale; it is read in the same transaction as the rows, so a
//! copy is never newer or older than the version it carries. Rendered JSON of each member is
//! made on first use and kept with the copy.
//!
//! Writes do not make the next read reload everything: the same triggers log which member
//! each change touched (`member_changes`, in the writer's own transaction, so a write that
//! rolls back logs nothing), and the next read brings the copy forward by re-reading only
//! those rows (`delta`). No write path has to remember to tell the copy anything.
//!
//! What is deliberately not here: writes (they go to SQLite), and views with groups (the user
//! resource reads those from the database).
//!
//! The query a search compiles into, and how it matches a member, is in `matcher`.

mod delta;
mod matcher;

pub use matcher::{Glob, Matcher, NumField, TextField};

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use r2d2_sqlite::rusqlite::{Connection, TransactionBehavior};

use crate::error::Result;
use crate::query::Expr;
use crate::users::visibility::{reads_private, Reader};
use crate::users::{User, USER_COLUMNS};

/// One member with the lower-cased text the matcher compares.
pub struct Entry {
    pub user: User,
    lc_username: String,
    lc_full: String,
    lc_first: String,
    lc_last: String,
    lc_email: String,
    lc_desc: String,
    lc_tags: String,
    lc_role: String,
    lc_role_id: String,
    lc_type: String,
    lc_provider: String,
    /// `username` and `full name`, lower-cased, joined by a newline (free-text search).
    lc_free: String,
    full_json: OnceLock<String>,
    public_json: OnceLock<String>,
}

/// Fields a member list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    Username,
    FullName,
    FirstName,
    LastName,
    Email,
    Created,
    Modified,
    LastLogin,
    Role,
    Level,
    MfaEnabled,
    UserType,
}

const SORT_FIELDS: usize = 12;

impl SortField {
    /// Every field, in `index` order.
    pub const ALL: [SortField; SORT_FIELDS] = [
        Self::Username,
        Self::FullName,
        Self::FirstName,
        Self::LastName,
        Self::Email,
        Self::Created,
        Self::Modified,
        Self::LastLogin,
        Self::Role,
        Self::Level,
        Self::MfaEnabled,
        Self::UserType,
    ];

    /// From a `sortField` value, if it is one of `allowed`.
    pub fn parse(value: Option<&str>, allowed: &[&str]) -> Option<Self> {
        let v = value.unwrap_or("username").to_ascii_lowercase();
        if !allowed.contains(&v.as_str()) {
            return None;
        }
        Some(match v.as_str() {
            "fullname" => Self::FullName,
            "firstname" => Self::FirstName,
            "lastname" => Self::LastName,
            "email" => Self::Email,
            "created" => Self::Created,
            "modified" => Self::Modified,
            "lastlogin" => Self::LastLogin,
            "role" => Self::Role,
            "level" => Self::Level,
            "mfaenabled" => Self::MfaEnabled,
            "usertype" | "userlicensetype" => Self::UserType,
            _ => Self::Username,
        })
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Member positions by lower-cased username, or by id; shared by copies where none moved.
type Index = Arc<HashMap<String, u32>>;

/// A consistent copy of the members at one version.
pub struct Snapshot {
    pub version: i64,
    /// In username order; shared with the copies brought forward from this one.
    entries: Vec<Arc<Entry>>,
    by_name: Index,
    by_id: Index,
    privileges: HashMap<(String, Option<String>), Arc<Vec<String>>>,
    orders: [OnceLock<Vec<u32>>; SORT_FIELDS],
    /// Every member's `lc_free`, each followed by a NUL: one buffer that a SIMD substring
    /// search crosses in one pass, instead of one short search per member.
    free_text: String,
    /// Where each member's text starts in `free_text`.
    free_starts: Vec<u32>,
    /// Keep each member's rendered JSON once made (fast repeated listings), or render it for
    /// every answer (a portal inside an app, listed once in a while, keeps its memory).
    keep_json: bool,
}

fn lc(s: &str) -> String {
    s.to_lowercase()
}

impl Snapshot {
    fn load(conn: &mut Connection, keep_json: bool) -> Result<Self> {
        // A read-only transaction: one consistent view, no write lock.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let version: i64 = tx.query_row(
            "SELECT value FROM meta WHERE key = 'members_version'",
            [],
            |r| r.get(0),
        )?;
        let mut users = {
            let mut stmt = tx.prepare(&format!("SELECT {USER_COLUMNS} FROM users"))?;
            let rows = stmt.query_map([], User::from_row)?;
            rows.collect::<std::result::Result<Vec<_>, _>>()?
        };
        users.sort_by_cached_key(|u| (lc(&u.username), u.username.clone()));
        let mut privileges = HashMap::new();
        for u in &users {
            let key = (u.role.clone(), u.role_id.clone());
            if let std::collections::hash_map::Entry::Vacant(slot) = privileges.entry(key) {
                let p = crate::users::privileges_for(&tx, &u.role, u.role_id.as_deref())?;
                slot.insert(Arc::new(p));
            }
        }
        tx.commit()?;
        let entries = users.into_iter().map(|u| Arc::new(Entry::new(u))).collect();
        Ok(Self::assemble(
            version, entries, None, privileges, keep_json,
        ))
    }

    /// A copy over `entries` (in username order); `indexes` are the name and id maps when
    /// the caller knows they did not change.
    fn assemble(
        version: i64,
        entries: Vec<Arc<Entry>>,
        indexes: Option<(Index, Index)>,
        privileges: HashMap<(String, Option<String>), Arc<Vec<String>>>,
        keep_json: bool,
    ) -> Self {
        let mut free_text = String::new();
        let mut free_starts = Vec::with_capacity(entries.len());
        for e in &entries {
            free_starts.push(free_text.len() as u32);
            free_text.push_str(&e.lc_free);
            free_text.push('\0');
        }
        let (by_name, by_id) = indexes.unwrap_or_else(|| {
            let by_name = entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.lc_username.clone(), i as u32))
                .collect();
            let by_id = entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.user.id.clone(), i as u32))
                .collect();
            (Arc::new(by_name), Arc::new(by_id))
        });
        Snapshot {
            keep_json,
            version,
            entries,
            by_name,
            by_id,
            privileges,
            orders: Default::default(),
            free_text,
            free_starts,
        }
    }

    /// Compiles a query against this copy, for a caller who reads others as `reader`.
    pub fn matcher(&self, expr: &Expr, org_id: &str, reader: Reader) -> Matcher {
        Matcher::compile(expr, org_id, reader, self)
    }

    /// Which members hold `needle` (lower-cased, no wildcard) in their names: one pass of a
    /// substring search over all of them.
    fn free_text_hits(&self, needle: &str) -> Vec<bool> {
        let mut hits = vec![false; self.entries.len()];
        for at in memchr::memmem::find_iter(self.free_text.as_bytes(), needle.as_bytes()) {
            let i = self.free_starts.partition_point(|s| *s as usize <= at) - 1;
            hits[i] = true;
        }
        hits
    }

    /// The member with this username (any case) or id.
    pub fn find(&self, name_or_id: &str) -> Option<&Entry> {
        self.by_name
            .get(&lc(name_or_id))
            .or_else(|| self.by_id.get(name_or_id))
            .map(|i| &*self.entries[*i as usize])
    }

    /// The privileges of a member's role.
    pub fn privileges_of(&self, user: &User) -> Arc<Vec<String>> {
        self.privileges
            .get(&(user.role.clone(), user.role_id.clone()))
            .cloned()
            .unwrap_or_else(|| Arc::new(crate::privileges::builtin(&user.role).unwrap_or_default()))
    }

    /// Member indexes in ascending order of `field` (ties by username).
    fn order(&self, field: SortField) -> &[u32] {
        self.orders[field.index()].get_or_init(|| {
            let mut idx: Vec<u32> = (0..self.entries.len() as u32).collect();
            self.sort(field, &mut idx);
            idx
        })
    }

    /// Sorts member indexes by `field`, ties by username order (the index).
    fn sort(&self, field: SortField, idx: &mut [u32]) {
        if field == SortField::Username {
            idx.sort_unstable();
        } else {
            idx.sort_by(|a, b| self.compare(field, *a, *b));
        }
    }

    /// How members `a` and `b` (indexes) compare by `field`, ties by username order.
    fn compare(&self, field: SortField, a: u32, b: u32) -> std::cmp::Ordering {
        let (x, y) = (&self.entries[a as usize], &self.entries[b as usize]);
        let by = match field {
            SortField::FullName => x.lc_full.cmp(&y.lc_full),
            SortField::FirstName => x.lc_first.cmp(&y.lc_first),
            SortField::LastName => x.lc_last.cmp(&y.lc_last),
            SortField::Email => x.lc_email.cmp(&y.lc_email),
            SortField::Created => x.user.created.cmp(&y.user.created),
            SortField::Modified => x.user.modified.cmp(&y.user.modified),
            SortField::LastLogin => x.user.last_login.cmp(&y.user.last_login),
            SortField::Role => x.lc_role.cmp(&y.lc_role),
            SortField::Level => level(x).cmp(&level(y)),
            SortField::MfaEnabled => x.user.mfa_enabled.cmp(&y.user.mfa_enabled),
            SortField::UserType => x.lc_type.cmp(&y.lc_type),
            SortField::Username => std::cmp::Ordering::Equal,
        };
        by.then(a.cmp(&b))
    }

    /// One page of the members matching `matcher`, in `field` order: `(total, page)`.
    pub fn page(
        &self,
        matcher: &Matcher,
        field: SortField,
        descending: bool,
        start: usize,
        num: usize,
        limit: usize,
    ) -> (usize, Vec<&Entry>) {
        let order = self.order(field);
        let mut total = 0usize;
        let mut page = Vec::with_capacity(num);
        let skip = start.saturating_sub(1);
        let mut visit = |i: &u32| {
            let e: &Entry = &self.entries[*i as usize];
            if matcher.matches(*i as usize, e) {
                if total >= skip && page.len() < num && total < limit {
                    page.push(e);
                }
                total += 1;
            }
        };
        if descending {
            order.iter().rev().for_each(&mut visit);
        } else {
            order.iter().for_each(&mut visit);
        }
        (total, page)
    }
}

/// The sort key of `level`: viewers (level 1) before everyone else (level 2).
fn level(e: &Entry) -> bool {
    e.user.role_id.as_deref() != Some(crate::privileges::VIEWER_ROLE_ID)
}

impl Entry {
    fn new(u: User) -> Self {
        Entry {
            lc_username: lc(&u.username),
            lc_full: lc(&u.full_name),
            lc_first: lc(&u.first_name),
            lc_last: lc(&u.last_name),
            lc_email: lc(&u.email),
            lc_desc: lc(u.description.as_deref().unwrap_or("")),
            lc_tags: lc(&u.tags.join(",")),
            lc_role: lc(&u.role),
            lc_role_id: lc(u.role_id.as_deref().unwrap_or("")),
            lc_type: lc(&u.user_license_type_id),
            lc_provider: lc(&u.provider),
            lc_free: format!("{}\n{}", lc(&u.username), lc(&u.full_name)),
            user: u,
            full_json: OnceLock::new(),
            public_json: OnceLock::new(),
        }
    }

    /// Where this member sorts in the copy (username order).
    fn sort_key(&self) -> (&str, &str) {
        (&self.lc_username, &self.user.username)
    }

    /// The JSON of this member as `reader` reads it (groups left empty); kept for the next
    /// answer when the snapshot keeps rendered JSON (one copy per view).
    pub fn json(&self, snapshot: &Snapshot, org_id: &str, reader: Reader) -> Cow<'_, str> {
        let full = reads_private(reader);
        let render = || {
            let p = snapshot.privileges_of(&self.user);
            self.user
                .json_for(reader, org_id, &p, serde_json::json!([]))
                .to_string()
        };
        match (snapshot.keep_json, full) {
            (false, _) => Cow::Owned(render()),
            (true, true) => Cow::Borrowed(self.full_json.get_or_init(render)),
            (true, false) => Cow::Borrowed(self.public_json.get_or_init(render)),
        }
    }
}

/// The portal's copy, refreshed when the database says it is stale.
pub struct SnapshotCache {
    current: RwLock<Option<Arc<Snapshot>>>,
    rebuilding: Mutex<()>,
    keep_json: bool,
}

impl Default for SnapshotCache {
    fn default() -> Self {
        Self::new(true)
    }
}

impl SnapshotCache {
    /// A cache whose copies keep each member's rendered JSON (`keep_json`) or not.
    pub fn new(keep_json: bool) -> Self {
        Self {
            current: RwLock::new(None),
            rebuilding: Mutex::new(()),
            keep_json,
        }
    }

    /// The current copy: one tiny read of the change counter; after a change, the copy brought
    /// forward by the rows that changed.
    pub fn get(&self, pool: &crate::db::DbPool) -> Result<Arc<Snapshot>> {
        let mut conn = pool.get()?;
        let version: i64 = conn.query_row(
            "SELECT value FROM meta WHERE key = 'members_version'",
            [],
            |r| r.get(0),
        )?;
        if let Some(s) = self.current.read().ok().and_then(|g| g.clone()) {
            if s.version == version {
                return Ok(s);
            }
        }
        let _one_at_a_time = self
            .rebuilding
            .lock()
            .map_err(|_| crate::error::PortalError::internal("snapshot"))?;
        if let Some(s) = self.current.read().ok().and_then(|g| g.clone()) {
            if s.version >= version {
                return Ok(s);
            }
        }
        let current = self.current.read().ok().and_then(|g| g.clone());
        let fresh = Arc::new(match current {
            Some(old) => old.brought_forward(&mut conn)?,
            None => Snapshot::load(&mut conn, self.keep_json)?,
        });
        if let Ok(mut slot) = self.current.write() {
            *slot = Some(fresh.clone());
        }
        Ok(fresh)
    }
}
