//! Where Esri's clients send the browser: the OAuth pages answer under `/sharing/rest/oauth2/`
//! and `/sharing/oauth2/` alike (the Maps SDK for JavaScript uses the second for `authorize`,
//! Python posts the sign-in form there), with or without a web-adaptor prefix. The Maps SDK's
//! own sign-in, end to end in a real browser, is in tests/compat/js/maps-sdk.test.mjs.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::support::{urlencode, Portal, ADMIN, ADMIN_PASSWORD};

/// The page without the one value that differs on every call (the sign-in's `oauth_state`).
fn without_oauth_state(page: &str) -> String {
    page.lines()
        .filter(|l| !l.contains("oauth_state"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn oauth_state_of(page: &str) -> String {
    let marker = "name=\"oauth_state\" value=\"";
    let start = page.find(marker).expect("the form carries oauth_state") + marker.len();
    page[start..][..page[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn every_browser_facing_oauth_page_answers_the_same_with_and_without_rest() {
    let p = Portal::new(0);
    let pkce = "client_id=memberdesk&response_type=code&redirect_uri=http://127.0.0.1:8123/&code_challenge=abc&code_challenge_method=plain";
    // (method, operation and query, body): valid and refused requests of each page.
    let pages = [
        ("GET", format!("authorize?{pkce}"), ""),
        (
            "GET",
            "authorize?client_id=pythonapi&response_type=token&redirect_uri=https://127.0.0.1:1"
                .into(),
            "",
        ),
        (
            "GET",
            "authorize?client_id=nope&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob"
                .into(),
            "",
        ),
        (
            "GET",
            "authorize?client_id=memberdesk&response_type=code&redirect_uri=https://evil.example/"
                .into(),
            "",
        ),
        ("GET", "approval?code=abc".into(), ""),
        (
            "POST",
            "signin".into(),
            "oauth_state=unknown&username=x&password=y",
        ),
    ];
    for (method, operation, body) in &pages {
        for prefix in ["", "/portal"] {
            let with_rest = p
                .send(
                    method,
                    &format!("{prefix}/sharing/rest/oauth2/{operation}"),
                    &[],
                    body,
                )
                .await;
            let without = p
                .send(
                    method,
                    &format!("{prefix}/sharing/oauth2/{operation}"),
                    &[],
                    body,
                )
                .await;
            assert_eq!(
                (without.status, without_oauth_state(&without.text)),
                (with_rest.status, without_oauth_state(&with_rest.text)),
                "{method} {prefix}/sharing/oauth2/{operation} answers as under /sharing/rest"
            );
        }
    }
}

#[tokio::test]
async fn the_maps_sdk_sign_in_through_sharing_oauth2_authorize_ends_in_a_cross_origin_token() {
    let p = Portal::new(0);
    let app = "http://127.0.0.1:8123";
    let verifier = "v".repeat(43);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let state = r#"{"portalUrl":"https://127.0.0.1:1","uid":"u1"}"#;
    // The query the SDK 4.x builds in IdentityManagerBase._doOAuthSignIn.
    let page = p
        .send(
            "GET",
            &format!(
                "/sharing/oauth2/authorize?client_id=memberdesk&response_type=code&state={}&expiration=20160&redirect_uri={}&code_challenge={challenge}&code_challenge_method=S256",
                urlencode(state),
                urlencode(&format!("{app}/"))
            ),
            &[],
            "",
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    let form = format!(
        "oauth_state={}&username={ADMIN}&password={ADMIN_PASSWORD}",
        urlencode(&oauth_state_of(&page.text))
    );
    let back = p.send("POST", "/sharing/oauth2/signin", &[], &form).await;
    assert_eq!(back.status, 302, "{}", back.text);
    let location = back.headers["location"].to_str().unwrap();
    let query = location
        .strip_prefix(&format!("{app}/?"))
        .unwrap_or_else(|| panic!("back to the app's page: {location}"));
    let params: std::collections::HashMap<_, _> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(
        params["state"], state,
        "the SDK's state comes back unchanged"
    );

    // The page trades the code from its own origin: the answer must let it read the token.
    let token = p
        .send(
            "POST",
            "/sharing/rest/oauth2/token",
            &[("origin", app)],
            &format!(
                "grant_type=authorization_code&code={}&redirect_uri={}&client_id=memberdesk&code_verifier={verifier}&f=json",
                urlencode(&params["code"]),
                urlencode(&format!("{app}/"))
            ),
        )
        .await;
    assert_eq!(token.headers["access-control-allow-origin"], app);
    let token = token.json();
    assert_eq!(token["username"], ADMIN);
    let access = token["access_token"].as_str().expect("an access token");
    assert_eq!(
        p.get_as(access, "/sharing/rest/community/self?f=json")
            .await["username"],
        ADMIN
    );
}
