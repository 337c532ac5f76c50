//! The pages the portal renders (sign-in, approval, signed out, invitation) hold no URL made of
//! request text: every `action`, `href`, `src`... is on the configured origin whatever Host,
//! `X-Forwarded-*` or path the request came with; and a path segment that decodes to `/` or
//! `\` is refused on every route (docs/SECURITY.md, "OAuth redirects and rendered pages").

use portal_emulator::{seed, Config, State};

use crate::support::{urlencode, Portal, ADMIN, ADMIN_PASSWORD, PUBLIC_URL};
use crate::wire::{serve, RawAnswer, Served};

/// Attributes whose value a browser follows or loads (HTML's URL-valued attributes).
const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "archive",
    "background",
    "cite",
    "codebase",
    "data",
    "formaction",
    "href",
    "icon",
    "longdesc",
    "manifest",
    "ping",
    "poster",
    "src",
    "srcset",
    "usemap",
    "xlink:href",
];

/// `(tag, attribute, value)` of every attribute of every tag of `html`.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with(['!', '/']) {
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let tag_name = tag[..name_end].to_ascii_lowercase();
        let mut chars = tag[name_end..].chars().peekable();
        loop {
            while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
            let mut name = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '/') {
                name.push(c);
            }
            if name.is_empty() {
                break;
            }
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            let mut value = String::new();
            if chars.next_if_eq(&'=').is_some() {
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                match chars.peek().copied() {
                    Some(q @ ('"' | '\'')) => {
                        chars.next();
                        for c in chars.by_ref() {
                            if c == q {
                                break;
                            }
                            value.push(c);
                        }
                    }
                    _ => {
                        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                            value.push(c);
                        }
                    }
                }
            }
            out.push((tag_name.clone(), name.to_ascii_lowercase(), value));
        }
    }
    out
}

/// Every URL of the page a browser would follow or load: URL-valued attributes, and the target
/// of a `<meta http-equiv="refresh">`.
fn urls_in(html: &str) -> Vec<String> {
    let attrs = attributes(html);
    let mut urls: Vec<String> = attrs
        .iter()
        .filter(|(_, name, _)| URL_ATTRIBUTES.contains(&name.as_str()))
        .map(|(_, _, value)| value.replace("&amp;", "&"))
        .collect();
    let refresh = attrs.iter().any(|(tag, name, value)| {
        tag == "meta" && name == "http-equiv" && value.eq_ignore_ascii_case("refresh")
    });
    if refresh {
        urls.extend(
            attrs
                .iter()
                .filter(|(tag, name, _)| tag == "meta" && name == "content")
                .map(|(_, _, v)| v.clone()),
        );
    }
    urls
}

#[test]
fn the_url_finder_sees_every_kind_of_link() {
    let html = "<form method=post action=\"https://a/1\"><img src='https://a/2'><a data-x=1 href=https://a/3>x</a><button formaction=\"https://a/4\"></button><meta http-equiv=\"refresh\" content=\"0;url=https://a/5\"></form>";
    assert_eq!(urls_in(html).len(), 5, "{:?}", urls_in(html));
}

/// Asks that every URL of `answer` (its page and its Location) is on `origin`, that there are
/// at least `min` (a page that loses its links fails too), and that no text of the hostile
/// request shows anywhere in it; returns how many URLs were checked.
fn assert_on_origin(what: &str, answer: &RawAnswer, origin: &str, min: usize) -> usize {
    let mut urls = urls_in(&answer.body);
    urls.extend(answer.header("location").map(String::from));
    for url in &urls {
        assert!(
            url.starts_with(&format!("{origin}/")),
            "{what}: {url:?} is not on {origin}\n{}",
            answer.body
        );
    }
    assert!(urls.len() >= min, "{what}: no URL found\n{}", answer.body);
    assert!(
        !answer.body.contains("evil") && !answer.header("location").unwrap_or("").contains("evil"),
        "{what}: request text in the answer\n{}",
        answer.body
    );
    urls.len()
}

/// Host and forwarding headers a hostile client or proxy could send.
const HOSTILE_HEADERS: &[&[(&str, &str)]] = &[
    &[("Host", "evil.example")],
    &[
        ("Host", "evil.example:443"),
        ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Port", "443"),
        ("X-Forwarded-Prefix", "/evil"),
        ("X-Original-URL", "/evil"),
    ],
    &[("Forwarded", "for=1.2.3.4;host=evil.example;proto=https")],
];

/// Path prefixes the router takes as a web adaptor or collapses.
const HOSTILE_PREFIXES: &[&str] = &["", "/evil.example", "//evil.example"];

async fn get(served: &Served, headers: &[(&str, &str)], target: String) -> RawAnswer {
    served.send("GET", &target, headers, "").await
}

async fn post(
    served: &Served,
    headers: &[(&str, &str)],
    target: String,
    body: String,
) -> RawAnswer {
    served.send("POST", &target, headers, &body).await
}

/// Visits every page the portal renders, with each hostile header set and path prefix, and
/// checks every URL in them; returns how many URLs were checked.
async fn visit_every_page(portal: &Portal, served: &Served, origin: &str) -> usize {
    let admin = portal.admin_token().await;
    let mut checked = 0;
    for headers in HOSTILE_HEADERS {
        for prefix in HOSTILE_PREFIXES {
            let signin_page = get(served, headers, format!(
                "{prefix}/sharing/rest/oauth2/authorize?client_id=pythonapi&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob"
            ))
            .await;
            assert_eq!(signin_page.status, 200, "{}", signin_page.body);
            checked += assert_on_origin("sign-in page", &signin_page, origin, 1);
            let oauth_state = crate::support::oauth_state(&signin_page.body);
            let wrong = post(
                served,
                headers,
                format!("{prefix}/sharing/oauth2/signin"),
                format!(
                    "oauth_state={}&username={ADMIN}&password=wrong",
                    urlencode(&oauth_state)
                ),
            )
            .await;
            checked += assert_on_origin("sign-in page after a wrong password", &wrong, origin, 1);
            let right = post(
                served,
                headers,
                format!("{prefix}/sharing/oauth2/signin"),
                format!(
                    "oauth_state={}&username={ADMIN}&password={ADMIN_PASSWORD}",
                    urlencode(&oauth_state)
                ),
            )
            .await;
            assert_eq!(right.status, 302, "{}", right.body);
            checked += assert_on_origin("out-of-band redirect", &right, origin, 0);
            let approval = get(
                served,
                headers,
                format!("{prefix}/sharing/oauth2/approval?code=abc"),
            )
            .await;
            assert_eq!(approval.status, 200);
            checked += assert_on_origin("approval page", &approval, origin, 0);
            let signed_out = get(
                served,
                headers,
                format!("{prefix}/sharing/rest/oauth2/signout"),
            )
            .await;
            checked += assert_on_origin("signed-out page", &signed_out, origin, 1);

            let invite = format!(
                "invitationList={}&f=json",
                urlencode(
                    &serde_json::json!({"invitations": [{"username": format!("patricia_{checked}"), "email": "pat@example.com", "role": "org_user", "userLicenseType": "creatorUT"}]})
                        .to_string()
                )
            );
            let invited = portal
                .post_as(&admin, "/sharing/rest/portals/self/invite", &invite)
                .await;
            assert_eq!(invited["notInvited"], serde_json::json!([]), "{invited}");
            let (path, _) = portal.open_newest_mail_link(&admin).await;
            let query = path.split_once('?').unwrap().1.to_string();
            let invitation = get(
                served,
                headers,
                format!("{prefix}/sharing/invitation/accept?{query}"),
            )
            .await;
            assert_eq!(invitation.status, 200, "{}", invitation.body);
            checked += assert_on_origin("invitation page", &invitation, origin, 1);
            let weak = post(
                served,
                headers,
                format!("{prefix}/sharing/invitation/accept"),
                format!("{query}&password=short"),
            )
            .await;
            assert_eq!(weak.status, 400, "{}", weak.body);
            checked += assert_on_origin("invitation page, weak password", &weak, origin, 1);
        }
    }
    checked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_url_of_every_page_is_on_the_configured_public_url_whatever_the_request_says() {
    let portal = Portal::new(0);
    let served = serve(&portal).await;
    let checked = visit_every_page(&portal, &served, PUBLIC_URL).await;
    println!("{checked} URLs checked on {PUBLIC_URL}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_public_url_pages_link_to_the_address_the_portal_listens_on() {
    let state = State::open(":memory:", Config::default()).unwrap();
    seed::ensure_admin(&state.db, ADMIN, ADMIN_PASSWORD).unwrap();
    let portal = Portal { state };
    let served = serve(&portal).await;
    let origin = format!("http://{}", served.addr);
    let checked = visit_every_page(&portal, &served, &origin).await;
    println!("{checked} URLs checked on {origin}");
}

/// Encodings of `/` and `\` in a path segment, once and twice encoded, in both cases.
const ENCODED_SEPARATORS: &[&str] = &["%2F", "%2f", "%5C", "%5c", "%252F", "%255C", "%25252f"];

#[tokio::test]
async fn a_segment_decoding_to_a_separator_is_refused_on_every_route() {
    let portal = Portal::new(0);
    let token = portal.admin_token().await;
    let patterns: Vec<_> = portal
        .state
        .route_table()
        .into_iter()
        .map(|(area, pattern, _, _)| (area, pattern))
        .collect();
    assert!(patterns.len() > 40, "every route is listed");
    let mut refused = 0;
    for (area, pattern) in &patterns {
        let root = match area {
            portal_emulator::routing::Area::Api => "/sharing/rest",
            portal_emulator::routing::Area::Sharing => "/sharing",
            portal_emulator::routing::Area::PortalAdmin => "/portaladmin",
        };
        for sep in ENCODED_SEPARATORS {
            let hidden = format!("x{sep}evil.example");
            let path = if pattern.contains("{}") {
                format!("{root}/{}", pattern.replace("{}", &hidden))
            } else {
                // No value in the path: the separator hides in the last word of it.
                format!("{root}/{pattern}{hidden}")
            };
            for (method, prefix) in [("GET", ""), ("POST", ""), ("GET", "/portal")] {
                let target = format!("{prefix}{path}?f=json&token={token}");
                let answer = portal.send(method, &target, &[], "").await;
                assert_eq!(answer.status, 400, "{method} {target}: {}", answer.text);
                assert_eq!(answer.json()["error"]["code"], 400, "{method} {target}");
                refused += 1;
            }
        }
    }
    println!("{refused} requests refused over {} routes", patterns.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn separators_hidden_in_a_raw_path_are_refused_over_the_wire() {
    let portal = Portal::new(0);
    let served = serve(&portal).await;
    for target in [
        "/sharing/rest/community/users/a\\b?f=json",
        "/sharing/rest/community/users/a%2Fb?f=json",
        "/%2F%2Fevil.example/sharing/rest/oauth2/authorize?client_id=memberdesk",
        "/%5Cevil.example/sharing/oauth2/signin",
        "/sharing/invitation/accept%2F..%2F..?id=1",
        "/portaladmin/security/users/createUser%252F",
    ] {
        let answer = served.get(target).await;
        assert_eq!(answer.status, 400, "{target}: {}", answer.body);
        let v: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(v["error"]["code"], 400, "{target}");
    }
    let fine = served
        .get("/sharing/rest/community/users/a%20b?f=json")
        .await;
    assert_eq!(
        fine.status, 200,
        "an encoded space is data, not a separator"
    );
}
