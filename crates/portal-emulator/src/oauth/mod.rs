//! OAuth2 sign-in (docs/PORTAL-API.md, Sign-in > OAuth2), one file per step a browser and an
//! app take:
//!
//! - `clients`: the registered apps and the redirects each may use. Pre-registered public
//!   clients: `pythonapi`, `arcgisonline` (redirects to the portal's own root or
//!   out-of-band) and Memberdesk's own (loopback redirects, any port);
//! - `redirect`: how a redirect URI is parsed and matched against those registrations;
//! - `authorize`: `oauth2/authorize` (under `/sharing/rest` and, for the Maps SDK for
//!   JavaScript, `/sharing`), the sign-in page that Esri's Python client parses;
//! - `signin`: the sign-in form's POST and the out-of-band approval page;
//! - `token`: `oauth2/token` for every grant;
//! - `revoke`: `revokeToken` and `signout`;
//! - `page`: the HTML of the sign-in and error pages (its CSS is `signin.css`).
//!
//! What is deliberately not here: `generateToken` (username and password for a token, in
//! `tokens`), and storing and checking tokens (`auth`).

mod authorize;
mod clients;
mod page;
mod redirect;
mod revoke;
mod signin;
mod token;

pub use clients::{ensure_clients, register_app, register_public_app};
pub(crate) use redirect::Portal;

use crate::{route, routing::Route};

/// Memberdesk's own client id, registered on every embedded portal.
pub const MEMBERDESK_CLIENT_ID: &str = "memberdesk";
/// The out-of-band redirect URI.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";
/// How long a sign-in page stays usable.
pub(crate) const PENDING_TTL_MS: i64 = 30 * 60 * 1000;
/// How long an authorization code stays usable.
pub(crate) const CODE_TTL_MS: i64 = 10 * 60 * 1000;
/// Access tokens of the code and refresh grants: 30 minutes.
pub(crate) const CODE_ACCESS_SECS: i64 = 1800;
/// Refresh tokens: two weeks unless `expiration` asks for less.
pub(crate) const REFRESH_MAX_MINUTES: i64 = 20160;

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "oauth2/authorize", authorize::authorize, token_exempt),
        // The Maps SDK for JavaScript sends the browser here, without `rest`.
        route!(Sharing, Read, "oauth2/authorize", authorize::authorize, token_exempt),
        route!(Api, Post, "oauth2/signin", signin::signin, token_exempt),
        route!(Sharing, Post, "oauth2/signin", signin::signin, token_exempt),
        route!(Sharing, Read, "oauth2/approval", signin::approval, token_exempt),
        route!(Api, Read, "oauth2/approval", signin::approval, token_exempt),
        route!(Api, Post, "oauth2/token", token::token, token_exempt),
        route!(Api, Post, "oauth2/revokeToken", revoke::revoke, token_exempt),
        route!(Api, Read, "oauth2/signout", revoke::signout, token_exempt),
    ]
}

/// Percent-encodes a value for a query string or fragment (RFC 3986 unreserved kept).
pub(crate) fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2D", "-")
        .replace("%2E", ".")
        .replace("%5F", "_")
        .replace("%7E", "~")
}
