//! Redirect URIs, parsed and never sliced as text (docs/SECURITY.md, "OAuth redirects and
//! rendered pages").
//!
//! A redirect is first read as the URL parser's canonical form: no control characters, spaces
//! or backslashes (which the parser would silently drop or turn into `/`), no userinfo, no
//! fragment, and the text must already be what the parser writes back (lower-case scheme and
//! host, no default port, no dot segments, no hexadecimal or octal IPv4, no percent-encoded
//! host); the only difference allowed is a missing `/` for an empty path
//! (`https://host:1` is `https://host:1/`). Then it must fit one of the client's
//! registrations:
//!
//! - `urn:ietf:wg:oauth:2.0:oob`: exactly that text;
//! - `loopback`: RFC 8252 §7.3, scheme `http`, host exactly `127.0.0.1`, `[::1]` or
//!   `localhost`, any port, any path and query;
//! - `self`: the portal's own root (`<scheme>://<host:port><context>/`, the scheme of the
//!   configured origin or `https`), which is what Esri's Python client sends;
//! - anything else: an absolute URL, equal to the redirect once both are parsed.
//!
//! What is deliberately not here: where the registrations are stored (`clients`).

use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use super::OOB;

/// The portal as it was configured: origin (`https://host:port`) and context path (`/portal`
/// or empty). Never taken from the request.
pub(crate) struct Portal<'a> {
    pub(crate) origin: &'a str,
    pub(crate) prefix: &'a str,
}

/// A redirect the portal accepted: its text exactly as sent (what `oauth2/token` compares)
/// and, unless it is out-of-band, the parsed URL the code or token is added to.
pub(crate) struct Redirect {
    pub(crate) text: String,
    pub(crate) url: Option<Url>,
}

/// `raw` parsed, if it is in the parser's canonical form with no userinfo and no fragment.
pub(crate) fn parse_canonical(raw: &str) -> Option<Url> {
    if raw.is_empty() || raw.len() > 2048 {
        return None;
    }
    if raw
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let url = Url::parse(raw).ok()?;
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return None;
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return None;
    }
    let written = url.as_str();
    let same = written == raw
        || (url.path() == "/"
            && url.query().is_none()
            && written.len() == raw.len() + 1
            && written.starts_with(raw));
    same.then_some(url)
}

/// Whether `url` is an RFC 8252 §7.3 loopback redirect.
pub(crate) fn is_loopback(url: &Url) -> bool {
    url.scheme() == "http"
        && match url.host() {
            Some(Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
            Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
            Some(Host::Domain(d)) => d == "localhost",
            None => false,
        }
}

/// `(scheme, host, port)` of the configured origin, the port made explicit.
fn origin_parts(portal: &Portal) -> Option<(String, String, u16)> {
    let origin = Url::parse(portal.origin).ok()?;
    Some((
        origin.scheme().to_string(),
        origin.host_str()?.to_string(),
        origin.port_or_known_default()?,
    ))
}

/// Whether `url` is on the portal's own host and port, in its scheme or in `https`.
fn on_portal_host(url: &Url, portal: &Portal) -> bool {
    let Some((scheme, host, port)) = origin_parts(portal) else {
        return false;
    };
    (url.scheme() == scheme || url.scheme() == "https")
        && url.host_str() == Some(host.as_str())
        && url.port_or_known_default() == Some(port)
}

/// The portal's root (`self`): its own host, the context path (with or without its `/`), no
/// query.
fn is_portal_root(url: &Url, portal: &Portal) -> bool {
    on_portal_host(url, portal)
        && (url.path() == format!("{}/", portal.prefix)
            || (!portal.prefix.is_empty() && url.path() == portal.prefix))
        && url.query().is_none()
}

/// Whether `url` is a page of the portal itself: its own host, at or below its context path.
pub(crate) fn is_portal_page(url: &Url, portal: &Portal) -> bool {
    on_portal_host(url, portal)
        && (portal.prefix.is_empty()
            || url.path() == portal.prefix
            || url.path().starts_with(&format!("{}/", portal.prefix)))
}

/// Whether the redirect `raw` fits one of `registered` (see the module's rules).
pub(crate) fn check(registered: &[String], raw: &str, portal: &Portal) -> Option<Redirect> {
    if raw == OOB {
        return registered
            .iter()
            .any(|r| r.as_str() == OOB)
            .then(|| Redirect {
                text: raw.to_string(),
                url: None,
            });
    }
    let url = parse_canonical(raw)?;
    let fits = registered.iter().any(|r| match r.as_str() {
        OOB => false,
        "loopback" => is_loopback(&url),
        "self" => is_portal_root(&url, portal),
        exact => parse_canonical(exact).is_some_and(|e| e == url),
    });
    fits.then(|| Redirect {
        text: raw.to_string(),
        url: Some(url),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PORTAL: Portal = Portal {
        origin: "http://127.0.0.1:7000",
        prefix: "",
    };

    fn fits(registered: &[&str], raw: &str) -> bool {
        let registered: Vec<String> = registered.iter().map(|s| s.to_string()).collect();
        check(&registered, raw, &PORTAL).is_some()
    }

    #[test]
    fn loopback_redirects_take_any_port_and_path_but_nothing_around_the_host() {
        for ok in [
            "http://127.0.0.1:53122/callback",
            "http://localhost:8080/",
            "http://[::1]:1/cb?x=1",
            "http://127.0.0.1",
        ] {
            assert!(fits(&["loopback"], ok), "{ok} is a loopback redirect");
        }
        for bad in [
            "http://127.0.0.1.evil.example/",
            "https://127.0.0.1:5000/",
            "http://127.0.0.1@evil.example/",
            "http://user@127.0.0.1/",
            "http://user:pw@127.0.0.1/",
            "http://localhost%2eevil.example/",
            "http://LOCALHOST/",
            "http://2130706433/",
            "http://0x7f.0.0.1/",
            "http://127.1/",
            "http://127.0.0.1:80/",
            "http://127.0.0.1\\@evil.example/",
            "http://127.0.0.1/\tcb",
            "http://127.0.0.1/cb\n",
            "http://127.0.0.1/cb#frag",
            "http://127.0.0.1/a/../b",
            " http://127.0.0.1/",
            "http:127.0.0.1/",
            "http:/127.0.0.1/",
        ] {
            assert!(!fits(&["loopback"], bad), "{bad:?} must be refused");
        }
    }

    #[test]
    fn other_redirects_match_a_registered_one_exactly() {
        let reg = ["https://app.example/cb", OOB];
        assert!(fits(&reg, "https://app.example/cb"));
        assert!(fits(&reg, OOB));
        for bad in [
            "https://app.example/cb/",
            "https://app.example/cb/more",
            "https://app.example/cb?x=1",
            "https://app.example/cbx",
            "https://APP.example/cb",
            "https://app.example:443/cb",
            "https://app.example.evil/cb",
            "urn:ietf:wg:oauth:2.0:oob:auto",
            "URN:ietf:wg:oauth:2.0:oob",
        ] {
            assert!(!fits(&reg, bad), "{bad:?} must be refused");
        }
        assert!(
            !fits(&["https://app.example/cb"], OOB),
            "OOB only when registered"
        );
    }

    #[test]
    fn self_is_the_portal_root_on_its_own_host_and_port() {
        assert!(fits(&["self"], "https://127.0.0.1:7000"));
        assert!(fits(&["self"], "http://127.0.0.1:7000/"));
        for bad in [
            "https://127.0.0.1:7001",
            "https://localhost:7000",
            "https://127.0.0.1:7000/sharing/rest/oauth2/signout?redirect_uri=x",
            "https://127.0.0.1:7000.evil.example",
        ] {
            assert!(!fits(&["self"], bad), "{bad:?} must be refused");
        }
    }
}
