//! What the examples share: the fixed flags `--portal URL --username U --password P
//! [--ca-cert PEM]`, building the client and signing in.

use std::collections::HashMap;

use portal_client::Client;
use secrecy::SecretString;

/// Parsed flags: the common ones, plus the example's own in `extra`.
pub struct Args {
    pub portal: String,
    pub username: String,
    pub password: SecretString,
    pub ca_cert: Option<String>,
    pub extra: HashMap<String, String>,
}

/// Stops with the usage line.
pub fn usage(name: &str, own: &str) -> ! {
    eprintln!("usage: {name} --portal URL --username U --password P [--ca-cert PEM] {own}");
    std::process::exit(2);
}

/// Reads `--flag value` pairs; `own` lists the example's own flags.
pub fn parse(name: &str, own_usage: &str, own: &[&str]) -> Args {
    let mut args = std::env::args().skip(1);
    let mut seen: HashMap<String, String> = HashMap::new();
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| usage(name, own_usage));
        let key = flag.trim_start_matches("--").to_string();
        let known = ["portal", "username", "password", "ca-cert"].contains(&key.as_str())
            || own.contains(&key.as_str());
        if !flag.starts_with("--") || !known {
            usage(name, own_usage);
        }
        seen.insert(key, value);
    }
    let mut take = |k: &str| seen.remove(k);
    let (Some(portal), Some(username), Some(password)) =
        (take("portal"), take("username"), take("password"))
    else {
        usage(name, own_usage)
    };
    let ca_cert = take("ca-cert");
    Args {
        portal,
        username,
        password: SecretString::from(password),
        ca_cert,
        extra: seen,
    }
}

/// Stops with a message.
pub fn fail(name: &str, message: impl std::fmt::Display) -> ! {
    eprintln!("{name}: {message}");
    std::process::exit(1);
}

/// Builds the client and signs in with `generateToken`.
pub async fn sign_in(name: &str, args: &Args) -> Client {
    let mut builder = Client::builder(args.portal.clone());
    if let Some(path) = &args.ca_cert {
        let pem = std::fs::read(path).unwrap_or_else(|e| fail(name, format!("{path}: {e}")));
        builder = builder.extra_ca_pem(pem);
    }
    let client = builder.build().unwrap_or_else(|e| fail(name, e));
    client
        .sign_in_with_password(&args.username, &args.password, 120)
        .await
        .unwrap_or_else(|e| fail(name, format!("sign-in failed: {e}")));
    client
}
