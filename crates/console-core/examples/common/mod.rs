//! What the benchmark examples share: their arguments, and a console signed in with a password
//! in a scratch data folder. (Included by each example with `mod common;`.)

use std::path::Path;

use console_core::{Console, PortalKind};
use secrecy::SecretString;

/// The program's arguments after its name: exactly `N` of them, or the usage and exit 2.
pub fn args<const N: usize>(usage: &str) -> [String; N] {
    let mut args = std::env::args();
    args.next(); // the program's name
    args.collect::<Vec<_>>().try_into().unwrap_or_else(|_| {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    })
}

/// A console in a fresh scratch folder (kept as long as the `TempDir`), signed in with the
/// password; a failed sign-in ends the program with its reason.
pub async fn signed_in(url: &str, username: &str, password: &str) -> (tempfile::TempDir, Console) {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let console = sign_in(dir.path(), url, username, password).await;
    (dir, console)
}

/// A console on the data folder `dir` (a restart when it has been used), signed in with the
/// password; a failed sign-in ends the program with its reason.
pub async fn sign_in(dir: &Path, url: &str, username: &str, password: &str) -> Console {
    let console = Console::new(dir);
    console
        .sign_in_password(
            PortalKind::Enterprise,
            url,
            username,
            SecretString::from(password.to_string()),
        )
        .await
        .unwrap_or_else(|e| {
            eprintln!("sign-in failed: {e}");
            std::process::exit(1);
        });
    console
}
