//! Updates end to end without a window: a local HTTP server serves an update manifest and a
//! package, and the app's own check and download (`commands::updates`) run in a mock app whose
//! updater trusts a key made here. A correctly signed update is offered and its bytes verify;
//! a tampered, unsigned, foreign-signed or other-version one is refused with the message the administrator
//! sees. The release's real public key is checked to be one minisign reads.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use memberdesk_lib::commands::updates::{check, download_verified, UpdateError};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The files a test server serves (path → bytes), filled once its address is known.
type Files = Arc<std::sync::Mutex<HashMap<String, Vec<u8>>>>;

/// A plain HTTP server on a fresh loopback port: its base URL and its files.
async fn serve() -> (String, Files) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files: Files = Arc::default();
    let served = files.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let files = served.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&head);
                let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
                let found = files.lock().unwrap().get(&path).cloned();
                let (status, body) = match found {
                    Some(b) => ("200 OK", b),
                    None => ("404 Not Found", b"not found".to_vec()),
                };
                let reply = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    });
    (base, files)
}

/// A mock app (version 0.1.0, as `mock_context` builds it) whose updater trusts `pubkey`.
fn app_trusting(pubkey: &str) -> tauri::App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        serde_json::json!({
            "pubkey": pubkey,
            "dangerousInsecureTransportProtocol": true,
            // As in tauri.conf.json: a signature names the version it was made for.
            "requireSignedVersion": true,
        }),
    );
    mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .expect("the mock app starts")
}

struct Key {
    pk: minisign::PublicKey,
    sk: minisign::SecretKey,
}

impl Key {
    fn new() -> Self {
        let minisign::KeyPair { pk, sk } =
            minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        Self { pk, sk }
    }

    /// The public key as `tauri.conf.json` holds it (base64 of minisign's key file).
    fn config(&self) -> String {
        STANDARD.encode(self.pk.to_box().unwrap().to_string())
    }

    /// The signature of `bytes` as a `.sig` file holds it (base64 of minisign's signature file).
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let signature = minisign::sign(
            Some(&self.pk),
            &self.sk,
            Cursor::new(bytes),
            Some(&format!(
                "timestamp:0\tfile:memberdesk.deb\tversion:{version}"
            )),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        STANDARD.encode(signature.to_string())
    }
}

/// The manifest of `version` whose package is `/memberdesk.deb` with `signature`, for every
/// Linux, macOS and Windows target name the updater may look up.
fn manifest(base: &str, version: &str, signature: &str) -> Vec<u8> {
    let entry =
        serde_json::json!({ "signature": signature, "url": format!("{base}/memberdesk.deb") });
    let targets = [
        "linux-x86_64",
        "linux-x86_64-deb",
        "linux-x86_64-rpm",
        "linux-x86_64-appimage",
        "linux-aarch64",
        "linux-aarch64-deb",
        "darwin-x86_64",
        "darwin-aarch64",
        "windows-x86_64",
        "windows-x86_64-msi",
        "windows-x86_64-nsis",
    ];
    let platforms: serde_json::Map<_, _> = targets
        .iter()
        .map(|t| (t.to_string(), entry.clone()))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "version": version,
        "notes": "Faster loads.",
        "pub_date": "2026-12-01T12:00:00Z",
        "platforms": platforms,
    }))
    .unwrap()
}

const PACKAGE: &[u8] = b"!<arch>\ndebian-binary   a stand-in for the release's package bytes";

/// Serves a manifest announcing `version` with `signature` over `package` (as served), and
/// checks it with an app trusting `trusted`.
async fn offered(
    trusted: &Key,
    version: &str,
    package: &[u8],
    signature: &str,
) -> (
    tauri::App<MockRuntime>,
    Option<tauri_plugin_updater::Update>,
) {
    let (base, files) = serve().await;
    {
        let mut files = files.lock().unwrap();
        files.insert("/latest.json".into(), manifest(&base, version, signature));
        files.insert("/memberdesk.deb".into(), package.to_vec());
    }
    let app = app_trusting(&trusted.config());
    let update = check(app.handle(), Some(&format!("{base}/latest.json")))
        .await
        .expect("the manifest is read");
    (app, update)
}

#[tokio::test]
async fn a_correctly_signed_update_is_offered_and_its_download_verifies() {
    let key = Key::new();
    let (_app, update) = offered(&key, "9.9.9", PACKAGE, &key.sign(PACKAGE, "9.9.9")).await;
    let update = update.expect("9.9.9 is newer than 0.1.0: offered");
    assert_eq!(update.version, "9.9.9");
    assert_eq!(update.current_version, "0.1.0");
    assert_eq!(update.body.as_deref(), Some("Faster loads."));
    let bytes = download_verified(&update)
        .await
        .expect("the signature verifies");
    assert_eq!(bytes, PACKAGE);
}

#[tokio::test]
async fn the_running_version_or_an_older_one_is_not_offered() {
    let key = Key::new();
    for version in ["0.1.0", "0.0.9"] {
        let (_app, update) = offered(&key, version, PACKAGE, &key.sign(PACKAGE, version)).await;
        assert!(update.is_none(), "{version} was offered");
    }
}

fn refused(result: Result<Vec<u8>, UpdateError>) -> String {
    match result {
        Err(e @ UpdateError::Signature(_)) => e.to_string(),
        other => panic!(
            "expected a refused signature, got {:?}",
            other.map(|b| b.len())
        ),
    }
}

#[tokio::test]
async fn a_tampered_unsigned_or_foreign_signed_update_is_refused_with_a_clear_message() {
    let key = Key::new();
    // Tampered: signed, then one byte changed on the way.
    let mut tampered = PACKAGE.to_vec();
    tampered[10] ^= 1;
    let (_app, update) = offered(&key, "9.9.9", &tampered, &key.sign(PACKAGE, "9.9.9")).await;
    let message = refused(download_verified(&update.expect("offered")).await);
    assert!(
        message
            .starts_with("The update was refused: its signature does not match Memberdesk's key"),
        "{message}"
    );
    assert!(message.ends_with("Nothing was installed."), "{message}");

    // Unsigned: an empty signature.
    let (_app, update) = offered(&key, "9.9.9", PACKAGE, "").await;
    refused(download_verified(&update.expect("offered")).await);

    // Signed, but with another key than the one the app trusts.
    let stranger = Key::new();
    let (_app, update) = offered(&key, "9.9.9", PACKAGE, &stranger.sign(PACKAGE, "9.9.9")).await;
    refused(download_verified(&update.expect("offered")).await);

    // An older release, correctly signed, announced as a newer one (a rollback).
    let (_app, update) = offered(&key, "9.9.9", PACKAGE, &key.sign(PACKAGE, "0.0.1")).await;
    refused(download_verified(&update.expect("offered")).await);

    // Not a signature at all.
    let (_app, update) = offered(&key, "9.9.9", PACKAGE, "bm90IGEgc2lnbmF0dXJl").await;
    refused(download_verified(&update.expect("offered")).await);
}

#[test]
fn the_release_public_key_in_the_config_is_a_minisign_key() {
    let config: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    let pubkey = config["plugins"]["updater"]["pubkey"]
        .as_str()
        .expect("plugins.updater.pubkey in tauri.conf.json");
    let text = String::from_utf8(STANDARD.decode(pubkey).expect("base64")).expect("text");
    let key = minisign::PublicKeyBox::from_string(&text)
        .and_then(|b| b.into_public_key())
        .expect("a minisign public key");
    let _ = key;
    assert_eq!(
        config["plugins"]["updater"]["requireSignedVersion"],
        serde_json::json!(true),
        "a signature must name its version (no older release offered as a newer one)"
    );
    let endpoints = config["plugins"]["updater"]["endpoints"]
        .as_array()
        .expect("endpoints");
    assert!(
        endpoints
            .iter()
            .all(|e| e.as_str().is_some_and(|u| u.starts_with("https://"))),
        "{endpoints:?}"
    );
}
