//! Small helpers: the clock, random ids and secrets, hashing of secrets at rest, HTML escaping,
//! the `nextStart` of a page.
//!
//! What is deliberately not here: anything that knows a resource; helpers that do belong to
//! their resource's module.

use rand::Rng;
use sha2::{Digest, Sha256};

/// Milliseconds since the Unix epoch, as ArcGIS dates are.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A random lower-case hex id of `len` characters (32 for users and groups).
pub fn hex_id(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect()
}

/// A random id from the alphanumeric set, as role ids (16 characters) look.
pub fn alnum_id(len: usize) -> String {
    const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| SET[rng.random_range(0..SET.len())] as char)
        .collect()
}

/// A fresh bearer secret (token, refresh token, code): 256 random bits, URL-safe.
pub fn secret() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::random();
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    #[cfg(feature = "testing")]
    crate::testing::record_secret(&secret);
    secret
}

/// How a secret is stored: its SHA-256, so a copy of the database grants nothing.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The `nextStart` of a page: the next 1-based position, or `-1` when this page (of
/// `returned` items from `start`) reaches the end of `total`.
pub fn next_start(start: i64, returned: usize, total: i64) -> i64 {
    let next = start + returned as i64;
    if returned == 0 || next > total {
        -1
    } else {
        next
    }
}
