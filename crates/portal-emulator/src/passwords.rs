//! Password hashing (argon2id) and the password policy of the portal.
//!
//! What is deliberately not here: checking a password at sign-in (`auth::check_password`)
//! and changing one (`users`).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::{PortalError, Result};

/// Hashes a password with argon2id and a random salt.
pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|_| PortalError::internal("salt"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PortalError::internal("password hash"))
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
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
        assert!(verify("correct horse 1", &h));
        assert!(!verify("correct horse 2", &h));
        assert!(!verify("anything", "not-a-hash"));
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
