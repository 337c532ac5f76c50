//! What a portal requires of Memberdesk's OAuth registration, and how a refusal of it is
//! recognised and explained.
//!
//! ArcGIS matches a redirect URI exactly against the ones registered with the app, port
//! included, so Memberdesk listens on one of a few fixed loopback ports ([`LOOPBACK_PORTS`]) and
//! an organization registers each of their redirect URIs ([`redirect_uris`]). A portal that
//! does not know the client ID, or whose registration lacks the redirect, shows an error page
//! in the browser ("Invalid client_id", "Invalid redirect_uri") and never comes back to the
//! app; so the authorize URL is read once from here before the browser opens
//! ([`Client::check_registration`]), and the token endpoint's same refusals are read the same
//! way.
//!
//! It also binds the listener on the first free one of those ports (`bind_loopback`).
//!
//! What is deliberately not here: the sign-in itself (the parent module) and the words of the
//! registration steps beyond one sentence (the app's sign-in screen and the README).

use crate::error::{Error, Result};
use tokio::net::TcpListener;

use crate::transport::{check_request, Client};

/// The loopback ports Memberdesk's redirect listens on, tried in this order: the first free
/// one is used. Each needs its redirect URI registered ([`redirect_uris`]).
pub const LOOPBACK_PORTS: [u16; 3] = [45451, 45452, 45453];

/// The redirect URI of a loopback port (`http://127.0.0.1:45451/callback`).
pub fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}/callback")
}

/// Every redirect URI an organization registers for Memberdesk, one per loopback port.
pub fn redirect_uris() -> Vec<String> {
    LOOPBACK_PORTS.iter().map(|&p| redirect_uri(p)).collect()
}

/// Why a portal refused the app's registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The portal has no app with this client ID (or it was deleted).
    ClientId {
        /// The client ID that was sent.
        client_id: String,
    },
    /// The app exists, but its registration does not list this redirect URI.
    RedirectUri {
        /// The client ID that was sent.
        client_id: String,
        /// The redirect URI that was sent.
        redirect_uri: String,
    },
}

impl Refusal {
    /// The refusal a portal's page or error message names, if it names one.
    pub(crate) fn read(text: &str, client_id: &str, redirect_uri: &str) -> Option<Self> {
        let lower = text.to_ascii_lowercase();
        if lower.contains("invalid client_id") || lower.contains("invalid client id") {
            Some(Refusal::ClientId {
                client_id: client_id.to_string(),
            })
        } else if lower.contains("invalid redirect_uri") || lower.contains("invalid redirect uri") {
            Some(Refusal::RedirectUri {
                client_id: client_id.to_string(),
                redirect_uri: redirect_uri.to_string(),
            })
        } else {
            None
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let uris = redirect_uris().join(", ");
        match self {
            Refusal::ClientId { client_id } => write!(
                f,
                "This portal does not know the app client ID \"{client_id}\". Register Memberdesk \
                 in your organization (Content > New item > Developer credentials > OAuth 2.0 \
                 credentials) with the redirect URLs {uris}, then enter the client ID of that \
                 item here."
            ),
            Refusal::RedirectUri {
                client_id,
                redirect_uri,
            } => write!(
                f,
                "The app registration \"{client_id}\" does not allow Memberdesk's redirect URL \
                 {redirect_uri}. In your organization, open that item's Settings and add the \
                 redirect URLs {uris}, then sign in again."
            ),
        }
    }
}

/// The first free loopback listener of `ports`, in order.
pub(super) async fn bind_loopback(ports: &[u16]) -> Result<TcpListener> {
    let mut failures = Vec::new();
    for &port in ports {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => return Ok(listener),
            Err(e) => failures.push(format!("{port}: {e}")),
        }
    }
    Err(Error::InvalidInput(format!(
        "the sign-in listens on one of the loopback ports {}, and none is free ({}). Close the \
         program that holds them and sign in again.",
        ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        failures.join("; ")
    )))
}

/// A token endpoint's refusal of the client ID or redirect URI, as the registration refusal it
/// is; any other error as it was.
pub(super) fn registration_refused(e: Error, client_id: &str, redirect_uri: &str) -> Error {
    let text = match &e {
        Error::AuthRequired(m) | Error::Portal { message: m, .. } | Error::InvalidInput(m) => m,
        _ => return e,
    };
    match Refusal::read(text, client_id, redirect_uri) {
        Some(refusal) => Error::AppRegistration(refusal),
        None => e,
    }
}

/// How long the sign-in page is waited for before the browser opens anyway.
const PREFLIGHT_AT_MOST: std::time::Duration = std::time::Duration::from_secs(15);

/// Pages larger than this are not sign-in or error pages; only their start is read.
const PAGE_LIMIT: usize = 512 * 1024;

impl Client {
    /// Reads the authorize URL the browser is about to open and answers the portal's refusal
    /// of the client ID or redirect URI, if its page names one. A portal that cannot be read
    /// from here (a proxy only the browser knows) is left to the browser.
    pub(crate) async fn check_registration(
        &self,
        authorize: &url::Url,
        client_id: &str,
        redirect_uri: &str,
    ) -> Result<()> {
        check_request(self.rest_base(), authorize)?;
        let asked = tokio::time::timeout(
            PREFLIGHT_AT_MOST,
            self.http_for_one_request().get(authorize.clone()).send(),
        )
        .await;
        let response = match asked {
            Ok(Ok(r)) => r,
            Err(_) => {
                log::info!("sign-in: the sign-in page did not answer in time beforehand");
                return Ok(());
            }
            Ok(Err(e)) => {
                // Without the URL: it carries the sign-in's state and challenge.
                log::info!(
                    "sign-in: the sign-in page could not be read beforehand: {}",
                    e.without_url()
                );
                return Ok(());
            }
        };
        let mut page = Vec::new();
        let mut response = response;
        while let Ok(Some(chunk)) = response.chunk().await {
            page.extend_from_slice(&chunk);
            if page.len() >= PAGE_LIMIT {
                break;
            }
        }
        let page = String::from_utf8_lossy(&page);
        // ArcGIS's sign-in page carries its `oAuthInfo`: whatever else it contains, the portal
        // accepted the app.
        if page.contains("oAuthInfo") {
            return Ok(());
        }
        match Refusal::read(&page, client_id, redirect_uri) {
            Some(refusal) => {
                log::warn!("sign-in: the portal refused the app registration: {refusal:?}");
                Err(Error::AppRegistration(refusal))
            }
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arcgis_error_pages_are_read_as_their_refusal() {
        let page = "<html><body><h1>Error</h1><p>Invalid redirect_uri</p><p>Error: 400</p>";
        assert_eq!(
            Refusal::read(page, "abc", "http://127.0.0.1:45451/callback"),
            Some(Refusal::RedirectUri {
                client_id: "abc".into(),
                redirect_uri: "http://127.0.0.1:45451/callback".into()
            })
        );
        assert_eq!(
            Refusal::read("Error: Invalid client_id", "abc", "x"),
            Some(Refusal::ClientId {
                client_id: "abc".into()
            })
        );
        assert_eq!(Refusal::read("<title>Sign In</title>", "abc", "x"), None);
    }

    #[tokio::test]
    async fn a_sign_in_page_that_mentions_a_refusal_is_still_a_sign_in_page() {
        // A page with the sign-in form's `oAuthInfo` is an acceptance, whatever its scripts say.
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let body = "<script>var oAuthInfo = {}; var messages = {bad: 'Invalid redirect_uri'};</script>";
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(reply.as_bytes()).await;
        });
        let client = Client::builder(&base).build().unwrap();
        let url = url::Url::parse(&format!("{base}/sharing/rest/oauth2/authorize")).unwrap();
        client
            .check_registration(&url, "abc", "http://127.0.0.1:45451/callback")
            .await
            .expect("a sign-in page");
    }

    #[test]
    fn the_advice_names_every_redirect_url_to_register() {
        let text = Refusal::ClientId {
            client_id: "abc".into(),
        }
        .to_string();
        for uri in redirect_uris() {
            assert!(text.contains(&uri), "{text}");
        }
        assert!(text.contains("\"abc\""));
    }
}
