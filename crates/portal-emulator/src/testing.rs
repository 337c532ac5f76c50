//! Helpers for tests of other crates, behind the `testing` feature: a stand-in for the system
//! browser in an OAuth sign-in, so that every test signs in the same way a person does.
//!
//! What is deliberately not here: reading what the portal holds (`inspect`, always on), and
//! anything the app uses when it runs (the feature is for dev-dependencies only).

use reqwest::header::LOCATION;
use reqwest::{redirect, StatusCode, Url};

/// The file every secret this portal hands out or is given is appended to, one per line, when
/// the environment names one (`PORTAL_EMULATOR_SECRETS_LOG`): tokens, authorization codes and
/// passwords. The end-to-end run greps the app's log for them. Only in `testing` builds.
pub const SECRETS_LOG: &str = "PORTAL_EMULATOR_SECRETS_LOG";

/// Appends `secret` to the [`SECRETS_LOG`] file, once per process for each value.
pub(crate) fn record_secret(secret: &str) {
    use std::io::Write;
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<std::collections::HashSet<String>>> = OnceLock::new();
    let Some(path) = std::env::var_os(SECRETS_LOG) else {
        return;
    };
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .expect("secrets lock");
    if secret.is_empty() || !seen.insert(secret.to_string()) {
        return;
    }
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| writeln!(f, "{secret}"));
    if let Err(e) = written {
        eprintln!(
            "portal-emulator: {}: {e}",
            std::path::Path::new(&path).display()
        );
    }
}

/// What the stand-in browser saw at the end of a sign-in.
#[derive(Debug, Clone)]
pub struct BrowserVisit {
    /// Where the portal sent the browser after the sign-in form, as it said it: the app's
    /// redirect URI with the `code` (or, for the implicit flow, the token in the fragment; for
    /// an out-of-band client, the approval page).
    pub location: String,
    /// The page found there, e.g. what the app's loopback listener showed.
    pub page: String,
}

/// Why the stand-in browser could not sign in.
#[derive(Debug, thiserror::Error)]
#[error("stand-in browser: {0}")]
pub struct BrowserError(String);

impl From<reqwest::Error> for BrowserError {
    fn from(e: reqwest::Error) -> Self {
        BrowserError(e.to_string())
    }
}

/// Plays the system browser in an OAuth sign-in: opens `authorize_url` (the portal's
/// `oauth2/authorize` page, as an app hands it to the browser), posts the sign-in form with
/// `username` and `password`, and follows the portal's redirect once, to where the app listens.
/// It trusts any certificate: it only ever talks to a test's own portal.
pub async fn sign_in_as_browser(
    authorize_url: &str,
    username: &str,
    password: &str,
) -> Result<BrowserVisit, BrowserError> {
    // reqwest is built without a crypto provider (as portal-client builds it): use ring, the
    // portal's own, unless the process has chosen one already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(redirect::Policy::none())
        .build()?;
    let authorize = Url::parse(authorize_url)
        .map_err(|e| BrowserError(format!("the authorize URL {authorize_url}: {e}")))?;
    let page = http.get(authorize.clone()).send().await?.text().await?;
    let (oauth_state, action) = sign_in_form(&page).ok_or_else(|| {
        BrowserError(format!(
            "no sign-in form on the authorize page: {}",
            excerpt(&page)
        ))
    })?;
    let action = authorize
        .join(&action)
        .map_err(|e| BrowserError(format!("the form's action {action}: {e}")))?;
    let answer = http
        .post(action)
        .form(&[
            ("oauth_state", oauth_state.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await?;
    let status = answer.status();
    let location = answer
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(String::from);
    let Some(location) = location.filter(|_| status == StatusCode::FOUND) else {
        let text = answer.text().await.unwrap_or_default();
        return Err(BrowserError(format!(
            "the portal did not accept the sign-in ({status}): {}",
            refusal(&text).unwrap_or_else(|| excerpt(&text))
        )));
    };
    let target = authorize
        .join(&location)
        .map_err(|e| BrowserError(format!("the redirect {location}: {e}")))?;
    let page = http.get(target).send().await?.text().await?;
    Ok(BrowserVisit { location, page })
}

/// An app's "open this URL in the system browser" for its OAuth sign-in, played by the
/// stand-in browser: it signs in as `username` in the background and checks it came back to a
/// loopback listener (as a desktop app's redirect does). The receiver gets what it saw, once
/// the app's listener has answered.
pub fn loopback_browser(
    username: &str,
    password: &str,
) -> (
    impl FnOnce(&str) -> Result<(), String> + Send + 'static,
    tokio::sync::oneshot::Receiver<BrowserVisit>,
) {
    let (seen, visit) = tokio::sync::oneshot::channel();
    let (username, password) = (username.to_string(), password.to_string());
    let open = move |url: &str| {
        let url = url.to_string();
        tokio::spawn(async move {
            let visit = sign_in_as_browser(&url, &username, &password)
                .await
                .expect("the stand-in browser signs in");
            assert!(
                visit.location.starts_with("http://127.0.0.1:"),
                "back to the loopback listener: {}",
                visit.location
            );
            let _ = seen.send(visit);
        });
        Ok(())
    };
    (open, visit)
}

/// The `oauth_state` (from the `oAuthInfo` line Esri's clients parse) and the action of the
/// sign-in page's form.
fn sign_in_form(page: &str) -> Option<(String, String)> {
    let line = page.lines().find(|l| l.contains("var oAuthInfo"))?;
    let info: serde_json::Value =
        serde_json::from_str(line.get(line.find('{')?..=line.rfind('}')?)?).ok()?;
    let state = info["oauth_state"].as_str()?.to_string();
    let form = &page[page.find("<form")?..];
    let action = form.split("action=\"").nth(1)?.split('"').next()?;
    Some((state, html_unescape(action)))
}

/// The message of a sign-in page shown again (`<p class="error" role="alert">…</p>`).
fn refusal(page: &str) -> Option<String> {
    let after = page.split("role=\"alert\">").nth(1)?;
    Some(html_unescape(after.split("</p>").next()?))
}

fn excerpt(text: &str) -> String {
    text.chars().take(300).collect()
}

/// Undoes `util::html_escape`.
fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
