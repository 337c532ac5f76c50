//! Where refresh tokens are kept between runs: the OS keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows), never a file of ours.
//!
//! The store's calls block (they talk to a system service), so the console calls them from
//! blocking threads. `MemoryStore` keeps secrets for the life of the process only: for tests,
//! and for nothing else.

use std::collections::HashMap;
use std::sync::Mutex;

use secrecy::{ExposeSecret, SecretString};

/// The keychain service name every Memberdesk entry is filed under.
pub const SERVICE: &str = "Memberdesk";

/// A failure of the secret store, in words for people.
#[derive(Debug, thiserror::Error)]
#[error("the system keychain failed: {0}")]
pub struct SecretError(pub String);

/// A place for secrets, keyed by account.
pub trait SecretStore: Send + Sync {
    /// The secret of `account`, if one is kept.
    fn get(&self, account: &str) -> Result<Option<SecretString>, SecretError>;
    /// Keeps `secret` for `account`, replacing any earlier one.
    fn set(&self, account: &str, secret: &SecretString) -> Result<(), SecretError>;
    /// Forgets `account`'s secret (no error when none is kept).
    fn delete(&self, account: &str) -> Result<(), SecretError>;
}

/// The OS keychain, through the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct Keychain;

fn entry(account: &str) -> Result<keyring::Entry, SecretError> {
    keyring::Entry::new(SERVICE, account).map_err(|e| SecretError(e.to_string()))
}

impl SecretStore for Keychain {
    fn get(&self, account: &str) -> Result<Option<SecretString>, SecretError> {
        match entry(account)?.get_password() {
            Ok(secret) => Ok(Some(SecretString::from(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(SecretError(e.to_string())),
        }
    }

    fn set(&self, account: &str, secret: &SecretString) -> Result<(), SecretError> {
        entry(account)?
            .set_password(secret.expose_secret())
            .map_err(|e| SecretError(e.to_string()))
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        match entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SecretError(e.to_string())),
        }
    }
}

/// Secrets in this process's memory only (tests).
#[derive(Default)]
pub struct MemoryStore(Mutex<HashMap<String, String>>);

impl MemoryStore {
    /// The accounts that have a secret (tests check what was kept and what was removed).
    pub fn accounts(&self) -> Vec<String> {
        let mut a: Vec<String> = self.0.lock().expect("store").keys().cloned().collect();
        a.sort();
        a
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<SecretString>, SecretError> {
        Ok(self
            .0
            .lock()
            .expect("store")
            .get(account)
            .map(|s| SecretString::from(s.clone())))
    }

    fn set(&self, account: &str, secret: &SecretString) -> Result<(), SecretError> {
        self.0
            .lock()
            .expect("store")
            .insert(account.to_string(), secret.expose_secret().to_string());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        self.0.lock().expect("store").remove(account);
        Ok(())
    }
}
