//! Where the client may send a request: only to the portal's own origin (scheme, host, port),
//! and over HTTPS unless that host is this computer. Every request the client makes is checked
//! before it leaves ([`check_request`]), and every HTTP redirect is checked by the reqwest
//! policy ([`redirect_policy`]) before it is followed: a redirect to another origin, or to
//! plain HTTP off loopback, ends the request with [`Error::Redirect`] and nothing is sent there.
//!
//! Why refuse rather than follow without the token: reqwest drops only the standard
//! `Authorization`/`Cookie` headers on a cross-host redirect and keeps `X-Esri-Authorization`,
//! and a 307/308 sends the form body again, where the password (`generateToken`), the refresh
//! token (`oauth2/token`) and the revoked token (`revokeToken`) travel. Dropping "the token"
//! would mean knowing every field that is a secret, now and later; refusing the hop covers
//! them all, and an answer from another site is not the portal's answer anyway.
//!
//! Not here: the HTTPS rule for the portal URL a person types (`rest_base`, which uses
//! [`is_loopback`]), and the retry loop (a refused redirect is never retried).

use url::{Origin, Url};

use crate::error::Error;

/// Redirects followed within the portal's origin before giving up (reqwest's default).
const MAX_REDIRECTS: usize = 10;

/// Whether `host` is this computer, where plain HTTP is allowed.
pub(crate) fn is_loopback(host: Option<&str>) -> bool {
    matches!(host, Some("127.0.0.1" | "localhost" | "[::1]" | "::1"))
}

/// Why a redirect was not followed. Carried through reqwest as the error's source.
#[derive(Debug)]
struct Refusal(String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// The verdict on one hop to `next` for a portal at `portal`: `None` to follow, or why not.
fn refusal(portal: &Origin, next: &Url) -> Option<Refusal> {
    let shown = next.origin().ascii_serialization();
    if next.scheme() == "http" && !is_loopback(next.host_str()) {
        return Some(Refusal(format!(
            "the portal redirected to {shown}, which is plain HTTP; HTTPS is required except \
             on this computer, so nothing was sent there"
        )));
    }
    if &next.origin() != portal {
        return Some(Refusal(format!(
            "the portal redirected to {shown}, another site than the portal ({}); the session \
             is only sent to the portal, so nothing was sent there",
            portal.ascii_serialization()
        )));
    }
    None
}

/// The redirect policy of the client of the portal whose REST base is `rest`: hops within
/// the portal's origin are followed (at most [`MAX_REDIRECTS`]), any other is an error.
pub(super) fn redirect_policy(rest: &Url) -> reqwest::redirect::Policy {
    let portal = rest.origin();
    reqwest::redirect::Policy::custom(move |attempt| {
        if let Some(refused) = refusal(&portal, attempt.url()) {
            return attempt.error(refused);
        }
        // `previous` starts with the first URL, which is not a redirect.
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(Refusal("the portal redirected too many times".into()));
        }
        attempt.follow()
    })
}

/// Refuses to send a request anywhere but the portal's origin (a path that joins to another
/// host, an absolute URL handed in by mistake).
pub(crate) fn check_request(rest: &Url, url: &Url) -> Result<(), Error> {
    if url.origin() == rest.origin() {
        return Ok(());
    }
    Err(Error::InvalidInput(format!(
        "{} is not on the portal ({}); the session is only sent to the portal",
        url.origin().ascii_serialization(),
        rest.origin().ascii_serialization()
    )))
}

/// Turns a failed send into the client's error: a refused redirect becomes
/// [`Error::Redirect`] (never retried), anything else [`Error::Network`].
pub(crate) fn send_error(e: &reqwest::Error) -> Error {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(refused) = s.downcast_ref::<Refusal>() {
            return Error::Redirect(refused.0.clone());
        }
        source = s.source();
    }
    Error::Network(super::describe(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(portal: &str, next: &str) -> Option<String> {
        let portal = Url::parse(portal).unwrap().origin();
        refusal(&portal, &Url::parse(next).unwrap()).map(|r| r.0)
    }

    #[test]
    fn only_hops_within_the_portals_origin_are_followed() {
        let portal = "https://org.example.com/portal/sharing/rest/";
        assert!(verdict(portal, "https://org.example.com/other/path?x=1").is_none());
        assert!(verdict(portal, "https://org.example.com:443/a").is_none());
        for other in [
            "https://evil.example.com/sharing/rest/generateToken",
            "https://org.example.com:8443/a",
            "https://sub.org.example.com/a",
            "ftp://org.example.com/a",
            "https://127.0.0.1/a",
        ] {
            let why = verdict(portal, other).unwrap_or_else(|| panic!("{other} was followed"));
            assert!(why.contains("another site"), "{other}: {why}");
        }
    }

    #[test]
    fn plain_http_off_loopback_is_refused_after_a_redirect_with_its_own_reason() {
        for portal in ["https://org.example.com/", "http://127.0.0.1:8080/"] {
            for next in ["http://org.example.com/a", "http://10.0.0.5:8080/a"] {
                let why = verdict(portal, next).unwrap();
                assert!(
                    why.contains("HTTPS is required"),
                    "{portal} -> {next}: {why}"
                );
            }
        }
        // A loopback portal may move within its own origin; another loopback port is another
        // origin all the same.
        assert!(verdict("http://127.0.0.1:8080/", "http://127.0.0.1:8080/b").is_none());
        let why = verdict("http://127.0.0.1:8080/", "http://127.0.0.1:9090/b").unwrap();
        assert!(why.contains("another site"), "{why}");
    }

    #[test]
    fn a_request_off_the_portals_origin_is_never_sent() {
        let rest = Url::parse("https://org.example.com/portal/sharing/rest/").unwrap();
        assert!(check_request(&rest, &rest.join("community/self").unwrap()).is_ok());
        for path in [
            "//evil.example.com/x",
            "https://evil.example.com/x",
            "http:x",
        ] {
            let url = rest.join(path).unwrap();
            assert!(check_request(&rest, &url).is_err(), "{path} -> {url}");
        }
    }
}
