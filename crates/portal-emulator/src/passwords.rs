//! Password hashing (argon2id) and the password policy of the portal.
//!
//! Hashing is bounded: every hash and every check goes through one gate of
//! [`hashing_permits`] argon2 work areas (19 MiB each, made on first use and kept), so at most
//! that many run at once and their memory is fixed. Callers wait their turn on the blocking
//! pool; when [`HASHING_QUEUE`] callers are already waiting, the next is refused at once with
//! a 429 envelope (docs/SECURITY.md, Bounded resources).
//!
//! What is deliberately not here: checking a password at sign-in and the lockout after failed
//! attempts (`auth::check_password`, `lockout`), and changing one (`users`).

use std::sync::{Condvar, LazyLock, Mutex, MutexGuard};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::{PortalError, Result};

/// How many callers may wait for a work area before the next is refused.
pub const HASHING_QUEUE: usize = 32;

/// How many hashes run at once: the machine's cores, at most four (each holds 19 MiB).
pub fn hashing_permits() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// The memory one argon2 work area holds, in bytes (the default argon2id parameters).
pub const WORK_AREA_BYTES: usize = Params::DEFAULT_M_COST as usize * Block::SIZE;

static GATE: LazyLock<Gate> = LazyLock::new(|| {
    Gate::new(
        hashing_permits(),
        HASHING_QUEUE,
        Params::DEFAULT_M_COST as usize,
    )
});

/// A fixed set of argon2 work areas: taking one is the permit to hash.
pub struct Gate {
    state: Mutex<GateState>,
    returned: Condvar,
    permits: usize,
    queue: usize,
    blocks: usize,
}

struct GateState {
    free: Vec<Vec<Block>>,
    made: usize,
    waiting: usize,
}

/// A work area on loan; it goes back to the gate when dropped, even on a panic.
struct Loan<'a> {
    gate: &'a Gate,
    area: Option<Vec<Block>>,
}

impl Drop for Loan<'_> {
    fn drop(&mut self) {
        if let Some(area) = self.area.take() {
            self.gate.lock().free.push(area);
            self.gate.returned.notify_one();
        }
    }
}

impl Gate {
    /// A gate of `permits` work areas of `blocks` argon2 blocks, with `queue` waiting places.
    pub fn new(permits: usize, queue: usize, blocks: usize) -> Self {
        Self {
            state: Mutex::new(GateState {
                free: Vec::new(),
                made: 0,
                waiting: 0,
            }),
            returned: Condvar::new(),
            permits: permits.max(1),
            queue,
            blocks,
        }
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many callers are waiting for a work area now.
    pub fn waiting(&self) -> usize {
        self.lock().waiting
    }

    /// Runs `work` with a work area: at once if one is free, after a wait if the queue has
    /// room, or not at all (error 429) when the queue is full.
    pub fn run<T>(&self, work: impl FnOnce(&mut [Block]) -> T) -> Result<T> {
        let free = {
            let mut state = self.lock();
            loop {
                if let Some(area) = state.free.pop() {
                    break Some(area);
                }
                if state.made < self.permits {
                    state.made += 1;
                    break None;
                }
                if state.waiting >= self.queue {
                    return Err(busy());
                }
                state.waiting += 1;
                state = self
                    .returned
                    .wait(state)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                state.waiting -= 1;
            }
        };
        let area = free.unwrap_or_else(|| vec![Block::default(); self.blocks]);
        let mut loan = Loan {
            gate: self,
            area: Some(area),
        };
        let area = loan.area.as_deref_mut().unwrap_or_default();
        Ok(work(area))
    }
}

/// The answer when too many password checks are already waiting.
fn busy() -> PortalError {
    PortalError::new(429, "Too many requests. Try again later.")
        .with_detail("Too many sign-ins and password changes are in progress.")
}

fn internal(_: impl std::fmt::Debug) -> PortalError {
    PortalError::internal("password hash")
}

/// Hashes a password with argon2id (default parameters) and a random salt, as a PHC string.
pub fn hash(password: &str) -> Result<String> {
    #[cfg(feature = "testing")]
    crate::testing::record_secret(password);
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(internal)?;
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_buf).map_err(internal)?;
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    GATE.run(|area| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, area)
    })?
    .map_err(internal)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(internal)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(internal)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the stored hash. A malformed hash, or one that needs more memory
/// than a work area holds, never matches. Error 429 when the gate's queue is full.
pub fn verify(password: &str, stored: &str) -> Result<bool> {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Ok(false);
    };
    let (Ok(algorithm), Some(expected)) = (Algorithm::try_from(parsed.algorithm), parsed.hash)
    else {
        return Ok(false);
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return Ok(false),
    };
    let (Ok(params), Some(salt)) = (Params::try_from(&parsed), parsed.salt) else {
        return Ok(false);
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_buf) else {
        return Ok(false);
    };
    if params.block_count() > Params::DEFAULT_M_COST as usize {
        return Ok(false);
    }
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    let computed = GATE.run(|area| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, area)
    })?;
    // `Output` compares in constant time.
    Ok(computed.is_ok() && Output::new(&out).is_ok_and(|o| o == expected))
}

/// ArcGIS Online's default policy: at least 8 characters, with a letter and a number, and not
/// the username.
pub fn check_policy(username: &str, password: &str) -> Result<()> {
    let problem = if password.chars().count() < 8 {
        Some("Password must be at least 8 characters long.")
    } else if password.chars().count() > 128 {
        Some("Password must be at most 128 characters long.")
    } else if !password.chars().any(|c| c.is_alphabetic()) {
        Some("Password must contain at least one letter.")
    } else if !password.chars().any(|c| c.is_ascii_digit()) {
        Some("Password must contain at least one number.")
    } else if password.eq_ignore_ascii_case(username) {
        Some("Password must not be the same as the username.")
    } else {
        None
    };
    match problem {
        Some(p) => Err(
            PortalError::bad_request("Password does not meet the password policy.").with_detail(p),
        ),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let h = hash("correct horse 1").unwrap();
        assert!(verify("correct horse 1", &h).unwrap());
        assert!(!verify("correct horse 2", &h).unwrap());
        assert!(!verify("anything", "not-a-hash").unwrap());
    }

    #[test]
    fn hashes_made_by_the_argon2_crate_itself_still_verify_and_ours_read_back_there() {
        use argon2::password_hash::PasswordHasher;
        use argon2::PasswordVerifier;
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = Argon2::default()
            .hash_password(b"stored before 1", &salt)
            .unwrap()
            .to_string();
        assert!(verify("stored before 1", &theirs).unwrap());
        let ours = hash("stored after 1").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"stored after 1", &parsed)
            .is_ok());
    }

    #[test]
    fn a_full_gate_queues_up_to_its_bound_then_refuses_at_once() {
        use std::sync::mpsc;
        use std::sync::Arc;
        let gate = Arc::new(Gate::new(1, 1, 8));
        let (release, held) = mpsc::channel::<()>();
        let (started, running) = mpsc::channel::<()>();
        let holder = {
            let gate = gate.clone();
            std::thread::spawn(move || {
                gate.run(|_| {
                    started.send(()).unwrap();
                    held.recv().unwrap();
                })
            })
        };
        running.recv().unwrap();
        let waiter = {
            let gate = gate.clone();
            std::thread::spawn(move || gate.run(|area| area.len()))
        };
        while gate.waiting() < 1 {
            std::thread::yield_now();
        }
        let refused = gate.run(|_| ()).unwrap_err();
        assert_eq!(refused.code, 429, "the caller beyond the queue is refused");
        release.send(()).unwrap();
        assert!(holder.join().unwrap().is_ok());
        assert_eq!(
            waiter.join().unwrap().unwrap(),
            8,
            "the queued caller ran after"
        );
        assert!(gate.run(|_| ()).is_ok(), "the work area came back");
    }

    #[test]
    fn the_policy_names_what_is_wrong() {
        let err = check_policy("jsmith", "short1").unwrap_err();
        assert_eq!(
            err.details,
            ["Password must be at least 8 characters long."]
        );
        assert!(check_policy("jsmith", "longenough").is_err());
        assert!(check_policy("jsmith1x", "JSMITH1X").is_err());
        assert!(check_policy("jsmith", "longenough1").is_ok());
    }
}
