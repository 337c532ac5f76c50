//! The journal's SQLite file: one per data folder (`journal.sqlite`), shared by every portal
//! profile and by every process that uses the folder (the app and the command line), so it is
//! opened in WAL mode with a busy timeout and each write is one short transaction.
//!
//! Unlike the member cache, the journal is a record, not a copy: it is never thrown away. Its
//! layout is migrated forward by `user_version`.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::process::own_key;
use super::{Change, ChangeOutcome, HistoryFilter, Job, JobState, NewChange, NewJob, Settled};
use crate::error::{Error, Result};

/// The layout, one migration per version; `user_version` says how many ran.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    portal TEXT NOT NULL,
    admin TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    started INTEGER NOT NULL,
    ended INTEGER,
    state TEXT NOT NULL,
    undo_of INTEGER REFERENCES jobs(id),
    pid INTEGER NOT NULL
);
CREATE INDEX jobs_started ON jobs(started);
CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    job INTEGER NOT NULL REFERENCES jobs(id),
    seq INTEGER NOT NULL,
    member TEXT NOT NULL,
    field TEXT NOT NULL,
    before TEXT,
    after TEXT,
    before_text TEXT NOT NULL,
    after_text TEXT NOT NULL,
    outcome TEXT NOT NULL,
    message TEXT,
    at INTEGER
);
CREATE INDEX changes_job ON changes(job, seq);
CREATE INDEX changes_member ON changes(member COLLATE NOCASE);
"#,
    // Who runs a job: pid and start time (`process_key`), so a pid used again is told apart.
    "ALTER TABLE jobs ADD COLUMN process TEXT;",
];

/// Why the journal file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// The open journal file.
pub struct JournalStore {
    pub(super) conn: Connection,
}

fn json(value: &Option<serde_json::Value>) -> Option<String> {
    value.as_ref().map(serde_json::Value::to_string)
}

fn parse(text: Option<String>) -> Option<serde_json::Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

const JOB_COLUMNS: &str = "j.id, j.portal, j.admin, j.kind, j.summary, j.started, j.ended, \
     j.state, j.undo_of, \
     (SELECT count(*) FROM changes c WHERE c.job = j.id), \
     (SELECT count(*) FROM changes c WHERE c.job = j.id AND c.outcome = 'done'), \
     (SELECT count(*) FROM changes c WHERE c.job = j.id AND c.outcome = 'failed'), \
     (SELECT count(*) FROM changes c WHERE c.job = j.id AND c.outcome = 'skipped'), \
     (SELECT count(*) FROM changes c WHERE c.job = j.id AND c.outcome IN ('pending', 'unknown'))";

fn job_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
    let state: String = row.get(7)?;
    Ok(Job {
        id: row.get(0)?,
        portal: row.get(1)?,
        admin: row.get(2)?,
        kind: row.get(3)?,
        summary: row.get(4)?,
        started: row.get(5)?,
        ended: row.get(6)?,
        state: JobState::parse(&state),
        undo_of: row.get(8)?,
        changes: row.get(9)?,
        done: row.get(10)?,
        failed: row.get(11)?,
        skipped: row.get(12)?,
        pending: row.get(13)?,
    })
}

impl JournalStore {
    /// Opens (creating) the journal at `path`, brings its layout up to date, and marks
    /// interrupted the jobs whose process vanished while they ran.
    pub fn open(path: &Path) -> Result<Self> {
        let mut store = Self::open_file(path).map_err(Error::journal)?;
        store.notice_cut_off().map_err(Error::journal)?;
        Ok(store)
    }

    fn open_file(path: &Path) -> std::result::Result<Self, OpenError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let latest = MIGRATIONS.len() as i64;
        let version = |c: &Connection| -> rusqlite::Result<i64> {
            c.pragma_query_value(None, "user_version", |r| r.get(0))
        };
        if version(&conn)? < latest {
            // Another process (the app, the command line) may be creating the file too: the
            // version is read again under the write lock.
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let from = usize::try_from(version(&tx)?).unwrap_or(MIGRATIONS.len());
            for sql in MIGRATIONS.iter().skip(from) {
                tx.execute_batch(sql)?;
            }
            tx.pragma_update(None, "user_version", latest)?;
            tx.commit()?;
        }
        Ok(Self { conn })
    }

    /// Writes a job and its changes, all pending, in one transaction; answers the job's id.
    pub fn begin(
        &mut self,
        job: &NewJob,
        changes: &[NewChange],
        now: i64,
    ) -> rusqlite::Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO jobs (portal, admin, kind, summary, started, state, undo_of, pid, \
             process) VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7, ?8)",
            params![
                job.portal,
                job.admin,
                job.kind,
                job.summary,
                now,
                job.undo_of,
                std::process::id(),
                own_key()
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO changes (job, seq, member, field, before, after, before_text, \
                 after_text, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
            )?;
            for (seq, c) in changes.iter().enumerate() {
                insert.execute(params![
                    id,
                    seq as i64,
                    c.member,
                    c.field,
                    json(&c.before),
                    json(&c.after),
                    c.before_text,
                    c.after_text,
                ])?;
            }
        }
        tx.commit()?;
        log::info!(
            "job {id} ({}) started: {} changes: {}",
            job.kind,
            changes.len(),
            job.summary
        );
        Ok(id)
    }

    /// Writes the outcome of changes of job `job` (matched by member, case-insensitively, and
    /// field); only changes still pending or unknown are settled, so an outcome is written once.
    pub fn settle(&mut self, job: i64, settled: &[Settled], now: i64) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare(
                "UPDATE changes SET outcome = ?1, message = ?2, at = ?3 \
                 WHERE job = ?4 AND member = ?5 COLLATE NOCASE AND field = ?6 \
                 AND outcome IN ('pending', 'unknown')",
            )?;
            for s in settled {
                update.execute(params![
                    s.outcome.id(),
                    s.message,
                    now,
                    job,
                    s.member,
                    s.field
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Ends a job: changes still pending are marked `outcome` (skipped when it was cancelled,
    /// unknown when it stopped on an error), and the job gets its end state.
    pub fn finish(
        &mut self,
        job: i64,
        state: JobState,
        leftover: ChangeOutcome,
        now: i64,
    ) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE changes SET outcome = ?1, at = ?2 WHERE job = ?3 AND outcome = 'pending'",
            params![leftover.id(), now, job],
        )?;
        tx.execute(
            "UPDATE jobs SET state = ?1, ended = ?2 WHERE id = ?3",
            params![state.id(), now, job],
        )?;
        let outcomes = {
            let mut counts = tx.prepare(
                "SELECT outcome, COUNT(*) FROM changes WHERE job = ?1 GROUP BY outcome ORDER BY 1",
            )?;
            let rows = counts.query_map(params![job], |r| {
                Ok(format!(
                    "{} {}",
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(0)?
                ))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?.join(", ")
        };
        tx.commit()?;
        log::info!("job {job} ended {}: {outcomes}", state.id());
        Ok(())
    }

    /// Takes up job `job` again in this process (a resume): running, not ended. Answers
    /// false when another process has already taken it up.
    pub fn reopen(&mut self, job: i64) -> rusqlite::Result<bool> {
        let n = self.conn.execute(
            "UPDATE jobs SET state = 'running', ended = NULL, pid = ?1, process = ?2 \
             WHERE id = ?3 AND state <> 'running'",
            params![std::process::id(), own_key(), job],
        )?;
        if n == 1 {
            log::info!("job {job} taken up again (a resume)");
        }
        Ok(n == 1)
    }

    /// One job with its counts.
    pub fn job(&self, id: i64) -> rusqlite::Result<Option<Job>> {
        self.conn
            .query_row(
                &format!("SELECT {JOB_COLUMNS} FROM jobs j WHERE j.id = ?1"),
                [id],
                job_row,
            )
            .optional()
    }

    /// The most recent jobs first, at most `limit`, of `portal` when given.
    pub fn jobs(&self, portal: Option<&str>, limit: u32) -> rusqlite::Result<Vec<Job>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs j WHERE (?1 IS NULL OR j.portal = ?1) \
             ORDER BY j.started DESC, j.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![portal, limit], job_row)?;
        rows.collect()
    }

    /// The changes matching `filter`, the most recent first, at most `filter.limit`.
    pub fn changes(&self, filter: &HistoryFilter) -> rusqlite::Result<Vec<Change>> {
        let like = |s: &Option<String>| {
            s.as_ref()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(|s| {
                    format!(
                        "%{}%",
                        s.replace('\\', "\\\\")
                            .replace('%', "\\%")
                            .replace('_', "\\_")
                    )
                })
        };
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.job, c.seq, c.member, c.field, c.before, c.after, c.before_text, \
                    c.after_text, c.outcome, c.message, coalesce(c.at, j.started), j.admin, \
                    j.kind, j.portal, j.summary \
             FROM changes c JOIN jobs j ON j.id = c.job \
             WHERE (?1 IS NULL OR j.portal = ?1) \
               AND (?2 IS NULL OR j.id = ?2) \
               AND (?3 IS NULL OR c.member LIKE ?3 ESCAPE '\\') \
               AND (?4 IS NULL OR j.admin LIKE ?4 ESCAPE '\\') \
               AND (?5 IS NULL OR c.field = ?5 OR c.field LIKE ?5 || ':%') \
               AND (?6 IS NULL OR coalesce(c.at, j.started) >= ?6) \
               AND (?7 IS NULL OR coalesce(c.at, j.started) < ?7) \
             ORDER BY coalesce(c.at, j.started) DESC, c.job DESC, c.seq DESC \
             LIMIT ?8",
        )?;
        let rows = stmt.query_map(
            params![
                filter.portal,
                filter.job,
                like(&filter.member),
                like(&filter.admin),
                filter.field.as_deref().filter(|f| !f.is_empty()),
                filter.from,
                filter.to,
                filter.limit.unwrap_or(5_000),
            ],
            |row| {
                let outcome: String = row.get(9)?;
                Ok(Change {
                    id: row.get(0)?,
                    job: row.get(1)?,
                    seq: row.get(2)?,
                    member: row.get(3)?,
                    field: row.get(4)?,
                    before: parse(row.get(5)?),
                    after: parse(row.get(6)?),
                    before_text: row.get(7)?,
                    after_text: row.get(8)?,
                    outcome: ChangeOutcome::parse(&outcome),
                    message: row.get(10)?,
                    at: row.get(11)?,
                    admin: row.get(12)?,
                    kind: row.get(13)?,
                    portal: row.get(14)?,
                    summary: row.get(15)?,
                })
            },
        )?;
        rows.collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> NewJob {
        NewJob {
            portal: "https://portal.example/sharing/rest".into(),
            admin: "admin".into(),
            kind: "setRole".into(),
            summary: "Role → Publisher, 2 members".into(),
            undo_of: None,
        }
    }

    fn change(member: &str) -> NewChange {
        NewChange {
            member: member.into(),
            field: "role".into(),
            before: Some(serde_json::json!("org_user")),
            after: Some(serde_json::json!("org_publisher")),
            before_text: "User".into(),
            after_text: "Publisher".into(),
        }
    }

    fn settled(member: &str, outcome: ChangeOutcome) -> Settled {
        Settled {
            member: member.into(),
            field: "role".into(),
            outcome,
            message: None,
        }
    }

    #[test]
    fn an_outcome_is_written_once_and_the_rest_is_settled_by_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let mut store = JournalStore::open(&path).unwrap();
        let id = store
            .begin(&job(), &[change("Ann"), change("bob")], 10)
            .unwrap();
        let pending = store.job(id).unwrap().unwrap();
        assert_eq!((pending.state, pending.pending), (JobState::Running, 2));
        // The member matches whatever the case; a second outcome does not overwrite the first.
        store
            .settle(id, &[settled("ann", ChangeOutcome::Done)], 11)
            .unwrap();
        store
            .settle(id, &[settled("ANN", ChangeOutcome::Failed)], 12)
            .unwrap();
        store
            .finish(id, JobState::Cancelled, ChangeOutcome::Skipped, 13)
            .unwrap();
        let done = store.job(id).unwrap().unwrap();
        assert_eq!(
            (
                done.state,
                done.done,
                done.failed,
                done.skipped,
                done.pending,
                done.ended
            ),
            (JobState::Cancelled, 1, 0, 1, 0, Some(13))
        );
        // Reopened (a layout already up to date), the record is all there.
        drop(store);
        let store = JournalStore::open(&path).unwrap();
        let all = store.changes(&HistoryFilter::default()).unwrap();
        assert_eq!(all.len(), 2);
        let ann = all.iter().find(|c| c.member == "Ann").unwrap();
        assert_eq!((ann.outcome, ann.at), (ChangeOutcome::Done, 11));
    }

    #[test]
    fn a_running_job_of_a_vanished_process_is_interrupted_and_ours_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = JournalStore::open(&dir.path().join("journal.sqlite")).unwrap();
        let ours = store.begin(&job(), &[change("ann")], 10).unwrap();
        let theirs = store.begin(&job(), &[change("bob")], 10).unwrap();
        let alive_elsewhere = store.begin(&job(), &[change("cy")], 10).unwrap();
        store
            .conn
            .execute(
                "UPDATE jobs SET pid = 4000000001, process = '4000000001:7' WHERE id = ?1",
                [theirs],
            )
            .unwrap();
        store
            .conn
            .execute(
                "UPDATE jobs SET pid = 4000000002, process = '4000000002:9' WHERE id = ?1",
                [alive_elsewhere],
            )
            .unwrap();
        // A job of an earlier process that had this process's pid (PID 1 in a container).
        let same_pid = store.begin(&job(), &[change("dee")], 10).unwrap();
        store
            .conn
            .execute(
                "UPDATE jobs SET process = ?1 WHERE id = ?2",
                params![format!("{}:1", std::process::id()), same_pid],
            )
            .unwrap();
        let cut = store
            .mark_interrupted(|pid, key| pid == 4_000_000_002 && key == Some("4000000002:9"))
            .unwrap();
        assert_eq!(cut, vec![theirs, same_pid]);
        let state = |id| store.job(id).unwrap().unwrap().state;
        assert_eq!(state(theirs), JobState::Interrupted);
        assert_eq!(state(ours), JobState::Running);
        assert_eq!(state(alive_elsewhere), JobState::Running);
        // Its changes stay pending: what the portal holds says what happened.
        assert_eq!(store.job(theirs).unwrap().unwrap().pending, 1);
    }
}
