//! Who runs a job: each job records its process (pid and, on Linux, start time), so that a job
//! whose process vanished (a crash, a kill, a power cut) is told from one still running, even
//! when its pid has been given to another process since. Noticing the jobs cut off (marking
//! them interrupted in the journal) is here too, beside the liveness it rests on.

use super::store::JournalStore;

/// Who a process is: its pid and, on Linux, its start time (`/proc/<pid>/stat`, field 22), so
/// that a pid used again by a later process (PID 1 in every container run, a busy host) is not
/// taken for the one that ran a job. `None` where it cannot be read.
fn process_key(pid: u32) -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let start = rest.split_whitespace().nth(19)?;
    Some(format!("{pid}:{start}"))
}

/// This process's key, written with each job it runs: its pid and start time on Linux, its pid
/// and a random number elsewhere (unique to this run either way).
pub(super) fn own_key() -> &'static str {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let pid = std::process::id();
        process_key(pid).unwrap_or_else(|| format!("{pid}:{}", rand::random::<u64>()))
    })
}

/// Whether the process that ran a job still runs: on Linux, the process with that pid has the
/// recorded start time; on the other Unixes, `kill -0` finds the pid. Where the OS gives no
/// cheap answer (Windows), a job of another process is taken as still running: it is never
/// marked interrupted wrongly (and cannot be resumed there yet).
pub(super) fn alive(pid: u32, key: Option<&str>) -> bool {
    if cfg!(target_os = "linux") {
        match key {
            Some(k) => process_key(pid).as_deref() == Some(k),
            None => std::path::Path::new("/proc").join(pid.to_string()).exists(),
        }
    } else if cfg!(unix) {
        std::process::Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .map_or(true, |s| s.success())
    } else {
        true
    }
}

impl JournalStore {
    /// Marks interrupted the jobs still marked running whose process is gone (a crash, a power
    /// cut, a kill); answers their ids. Cheap (only running jobs are looked at): done at open
    /// and again whenever jobs are listed, so a job of the command line killed while the app
    /// runs is noticed.
    pub fn notice_cut_off(&mut self) -> rusqlite::Result<Vec<i64>> {
        self.mark_interrupted(alive)
    }

    /// `notice_cut_off`, with `alive` saying whether the process (pid and key) still runs.
    pub fn mark_interrupted(
        &mut self,
        alive: impl Fn(u32, Option<&str>) -> bool,
    ) -> rusqlite::Result<Vec<i64>> {
        let running: Vec<(i64, u32, Option<String>)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id, pid, process FROM jobs WHERE state = 'running'")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut cut = Vec::new();
        for (id, pid, process) in running {
            let ours = match &process {
                Some(key) => key == own_key(),
                None => pid == std::process::id(),
            };
            if !ours && !alive(pid, process.as_deref()) {
                self.conn.execute(
                    "UPDATE jobs SET state = 'interrupted' WHERE id = ?1 AND state = 'running'",
                    [id],
                )?;
                log::warn!("job {id} was cut off (its process {pid} is gone): interrupted");
                cut.push(id);
            }
        }
        Ok(cut)
    }
}
