//! Bringing a copy of the members forward after writes, without reloading all of them.
//!
//! The triggers that count changes (`db`, migration 4) also log, per change, the member it
//! touched (`member_changes`: the version it made, the member's id, and the old id if an
//! update changed it; no id for a change to `roles`). A reader that finds the copy behind
//! reads, in one read transaction, the log since the copy's version and the current rows of
//! those members, then builds the next copy from the old one: unchanged members are shared,
//! changed ones replaced, deleted ones dropped, new ones merged in username order, and the
//! sort orders already made are carried over with the changed members taken out and put back
//! where they now sort (linear, no re-sort). The log lives in the writer's transaction: a write that rolls back leaves neither
//! a version nor a log row, and the copy never sees it.
//!
//! A full reload is still what happens when the log cannot tell: a change to `roles` (every
//! member's privileges may change), a log pruned past the copy's version (it keeps the last
//! 4,096 changes), or more changed members than a reload costs.
//!
//! What is deliberately not here: matching and paging (`mod`, `matcher`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use r2d2_sqlite::rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{Entry, Snapshot, SortField, SORT_FIELDS};
use crate::error::Result;
use crate::users::{User, USER_COLUMNS};

/// What the log says happened since a version.
enum Changes {
    /// These member ids changed (inserted, updated or deleted).
    Members(HashSet<String>),
    /// The log cannot bring the copy forward: reload.
    Reload,
}

fn changes_since(conn: &Connection, since: i64, now: i64) -> Result<Changes> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, user_id, old_id FROM member_changes WHERE version > ?1 ORDER BY version",
    )?;
    let rows = stmt.query_map(params![since], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut ids = HashSet::new();
    let mut expected = since + 1;
    for row in rows {
        let (version, id, old) = row?;
        // Every version in between must be logged, or the log was pruned past this copy.
        if version != expected {
            return Ok(Changes::Reload);
        }
        expected += 1;
        let Some(id) = id else {
            return Ok(Changes::Reload);
        };
        ids.insert(id);
        ids.extend(old);
    }
    Ok(if expected == now + 1 {
        Changes::Members(ids)
    } else {
        Changes::Reload
    })
}

impl Snapshot {
    /// The copy at the database's current version, built from this one.
    pub(super) fn brought_forward(&self, conn: &mut Connection) -> Result<Snapshot> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let version: i64 = tx.query_row(
            "SELECT value FROM meta WHERE key = 'members_version'",
            [],
            |r| r.get(0),
        )?;
        let ids = match changes_since(&tx, self.version, version)? {
            Changes::Members(ids) if ids.len() <= self.entries.len() / 4 + 64 => ids,
            _ => {
                drop(tx);
                return Snapshot::load(conn, self.keep_json);
            }
        };
        let mut fresh = Vec::new();
        {
            let mut stmt =
                tx.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?;
            for id in &ids {
                if let Some(u) = stmt.query_row(params![id], User::from_row).optional()? {
                    fresh.push(u);
                }
            }
        }
        let mut privileges = self.privileges.clone();
        for u in &fresh {
            let key = (u.role.clone(), u.role_id.clone());
            if let std::collections::hash_map::Entry::Vacant(slot) = privileges.entry(key) {
                let p = crate::users::privileges_for(&tx, &u.role, u.role_id.as_deref())?;
                slot.insert(Arc::new(p));
            }
        }
        tx.commit()?;
        Ok(self.with_rows(version, &ids, fresh, privileges))
    }

    /// This copy with the members `changed` (by id) replaced by `fresh` (their current rows;
    /// a changed member without a row was deleted).
    fn with_rows(
        &self,
        version: i64,
        changed: &HashSet<String>,
        fresh: Vec<User>,
        privileges: HashMap<(String, Option<String>), Arc<Vec<String>>>,
    ) -> Snapshot {
        let mut fresh: Vec<Arc<Entry>> =
            fresh.into_iter().map(|u| Arc::new(Entry::new(u))).collect();
        fresh.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // Merge the kept members and the fresh ones, both in username order, noting where
        // each old member went (None: changed, so replaced or gone).
        let mut entries = Vec::with_capacity(self.entries.len() + fresh.len());
        let mut moved: Vec<Option<u32>> = vec![None; self.entries.len()];
        let mut added = Vec::with_capacity(fresh.len());
        let mut gone = vec![false; self.entries.len()];
        for id in changed {
            if let Some(i) = self.by_id.get(id) {
                gone[*i as usize] = true;
            }
        }
        let mut fresh = fresh.into_iter().peekable();
        for (old, e) in self.entries.iter().enumerate() {
            if gone[old] {
                continue;
            }
            while let Some(f) = fresh.next_if(|f| f.sort_key() < e.sort_key()) {
                added.push(entries.len() as u32);
                entries.push(f);
            }
            moved[old] = Some(entries.len() as u32);
            entries.push(e.clone());
        }
        for f in fresh {
            added.push(entries.len() as u32);
            entries.push(f);
        }
        // Where every member kept its place and name, the name and id maps still hold.
        let same_places = entries.len() == self.entries.len()
            && moved
                .iter()
                .enumerate()
                .all(|(i, m)| m.is_none_or(|m| m as usize == i))
            && added.iter().all(|i| {
                let (now, was) = (&entries[*i as usize], &self.entries[*i as usize]);
                now.user.id == was.user.id && now.lc_username == was.lc_username
            });
        let indexes = same_places.then(|| (self.by_name.clone(), self.by_id.clone()));
        let next = Snapshot::assemble(version, entries, indexes, privileges, self.keep_json);
        for f in 0..SORT_FIELDS {
            let Some(old) = self.orders[f].get() else {
                continue;
            };
            // Kept members stay in order (their positions moved monotonically); each fresh
            // one is inserted where it sorts.
            let field = SortField::ALL[f];
            let mut order: Vec<u32> = old.iter().filter_map(|i| moved[*i as usize]).collect();
            for a in &added {
                let at = order.partition_point(|x| next.compare(field, *x, *a).is_lt());
                order.insert(at, *a);
            }
            let _ = next.orders[f].set(order);
        }
        next
    }

    /// Everything this copy answers with, as text: two copies of the same members at the
    /// same version give the same text (for tests that check a copy brought forward against
    /// a fresh load).
    pub fn dump(&self) -> String {
        let mut out = format!("version {}\n", self.version);
        for (i, e) in self.entries.iter().enumerate() {
            out.push_str(&format!(
                "{i} {:?} {:?} {:?}\n",
                e.user,
                self.privileges_of(&e.user),
                (self.by_name.get(&e.lc_username), self.by_id.get(&e.user.id))
            ));
        }
        out.push_str(&format!(
            "maps {} {}\nfree {:?} {:?}\n",
            self.by_name.len(),
            self.by_id.len(),
            self.free_text,
            self.free_starts
        ));
        for f in SortField::ALL {
            out.push_str(&format!("{f:?} {:?}\n", self.order(f)));
        }
        out
    }

    /// How many members this copy shares with `older` (the same entry, not a re-read one).
    pub fn shared_with(&self, older: &Snapshot) -> usize {
        let old: HashSet<*const Entry> = older.entries.iter().map(Arc::as_ptr).collect();
        self.entries
            .iter()
            .filter(|e| old.contains(&Arc::as_ptr(e)))
            .count()
    }

    /// A fresh load of the members from the database, as if no copy existed.
    pub fn reload(pool: &crate::db::DbPool, keep_json: bool) -> Result<Snapshot> {
        let mut conn = pool.get()?;
        Snapshot::load(&mut conn, keep_json)
    }
}
