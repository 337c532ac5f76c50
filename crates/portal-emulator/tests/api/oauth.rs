use base64::Engine;
use portal_emulator::inspect::refresh_token_count;
use sha2::{Digest, Sha256};

use crate::support::{error_code, urlencode, Portal, ADMIN, ADMIN_PASSWORD};

fn oauth_state_of(page: &str) -> String {
    let line = page
        .lines()
        .find(|l| l.contains("var oAuthInfo"))
        .expect("oAuthInfo line");
    let json = &line[line.find('{').unwrap()..=line.rfind('}').unwrap()];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["oauth_state"].as_str().unwrap().to_string()
}

/// `oauth2/token` with `grant_type=refresh_token` for `client_id`.
async fn refresh_grant(p: &Portal, client_id: &str, refresh: &str) -> serde_json::Value {
    let body = format!(
        "client_id={client_id}&grant_type=refresh_token&refresh_token={}",
        urlencode(refresh)
    );
    p.post("/sharing/rest/oauth2/token", &body).await
}

fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url.split_once(['?', '#'])?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

async fn sign_in(p: &Portal, authorize_query: &str, password: &str) -> crate::support::Answer {
    let page = p
        .send(
            "GET",
            &format!("/sharing/rest/oauth2/authorize?{authorize_query}"),
            &[],
            "",
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    let state = oauth_state_of(&page.text);
    let body = format!(
        "oauth_state={}&username={ADMIN}&password={password}",
        urlencode(&state)
    );
    p.send("POST", "/sharing/oauth2/signin", &[], &body).await
}

#[tokio::test]
async fn the_sign_in_page_puts_oauth_info_on_the_first_line_with_a_brace() {
    let p = Portal::new(0);
    let page = p
        .send("GET", "/sharing/rest/oauth2/authorize?client_id=pythonapi&response_type=token&redirect_uri=https://127.0.0.1:1&state=abc&expiration=600", &[], "")
        .await;
    let first_brace_line = page.text.lines().find(|l| l.contains('{')).unwrap();
    assert!(
        first_brace_line
            .trim_start()
            .starts_with("var oAuthInfo = {"),
        "{first_brace_line}"
    );
    assert!(!page.text.contains("Invalid redirect_uri"));
}

#[tokio::test]
async fn an_unregistered_redirect_or_client_is_refused_with_the_text_clients_look_for() {
    let p = Portal::new(0);
    let bad_redirect = p
        .send("GET", "/sharing/rest/oauth2/authorize?client_id=pythonapi&response_type=code&redirect_uri=https://evil.example", &[], "")
        .await;
    assert!(bad_redirect.text.contains("Invalid redirect_uri"));
    let bad_client = p
        .send("GET", "/sharing/rest/oauth2/authorize?client_id=nope&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob", &[], "")
        .await;
    assert!(bad_client.text.contains("Error: Invalid client_id"));
}

#[tokio::test]
async fn the_implicit_flow_redirects_with_the_token_in_the_fragment_and_echoes_state() {
    let p = Portal::new(0);
    let a = sign_in(&p, "client_id=pythonapi&response_type=token&redirect_uri=https://127.0.0.1:1&state=xyz%20123&expiration=600", ADMIN_PASSWORD).await;
    assert_eq!(a.status, 302);
    let location = a.headers["location"].to_str().unwrap();
    assert!(
        location.starts_with("https://127.0.0.1:1#access_token="),
        "{location}"
    );
    assert_eq!(query_value(location, "state").as_deref(), Some("xyz 123"));
    assert_eq!(
        query_value(location, "expires_in").as_deref(),
        Some("36000")
    );
    let token = query_value(location, "access_token").unwrap();
    assert_eq!(
        p.get_as(&token, "/sharing/rest/community/self?f=json")
            .await["username"],
        ADMIN
    );
}

#[tokio::test]
async fn a_wrong_password_shows_the_page_again_with_a_message_and_no_redirect() {
    let p = Portal::new(0);
    let a = sign_in(
        &p,
        "client_id=pythonapi&response_type=token&redirect_uri=https://127.0.0.1:1",
        "wrong",
    )
    .await;
    assert_eq!(a.status, 200);
    assert!(a.headers.get("location").is_none());
    assert!(a.text.contains("Invalid username or password."));
    assert!(a
        .text
        .contains("\"messages\":[\"Invalid username or password.\"]"));
}

#[tokio::test]
async fn the_out_of_band_code_lands_on_an_approval_page_whose_title_has_the_code() {
    let p = Portal::new(0);
    let a = sign_in(&p, "client_id=pythonapi&response_type=code&redirect_uri=urn:ietf:wg:oauth:2.0:oob&expiration=20160", ADMIN_PASSWORD).await;
    assert_eq!(a.status, 302);
    let location = a.headers["location"].to_str().unwrap().to_string();
    assert!(
        location.contains("/sharing/oauth2/approval?code="),
        "{location}"
    );
    let path = &location[location.find("/sharing").unwrap()..];
    let page = p.send("GET", path, &[], "").await;
    let code = query_value(&location, "code").unwrap();
    assert!(page
        .text
        .contains(&format!("<title>SUCCESS code={code}</title>")));
    let v = p
        .post("/sharing/rest/oauth2/token", &format!("client_id=pythonapi&grant_type=authorization_code&code={}&redirect_uri=urn:ietf:wg:oauth:2.0:oob", urlencode(&code)))
        .await;
    assert!(
        v["access_token"].is_string() && v["refresh_token"].is_string(),
        "{v}"
    );
    assert!(
        v.get("token_type").is_none(),
        "ArcGIS answers carry no token_type"
    );
    assert_eq!(v["refresh_token_expires_in"], 20160 * 60);
}

#[tokio::test]
async fn pkce_codes_need_the_right_verifier_are_single_use_and_refresh_then_revoke() {
    let p = Portal::new(0);
    let verifier = "a".repeat(20) + &"b".repeat(30);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let redirect = "http://127.0.0.1:45123/callback";
    let a = sign_in(
        &p,
        &format!("client_id=memberdesk&response_type=code&redirect_uri={redirect}&state=s1&code_challenge={challenge}&code_challenge_method=S256"),
        ADMIN_PASSWORD,
    )
    .await;
    let location = a.headers["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("{redirect}?code=")),
        "{location}"
    );
    assert_eq!(query_value(&location, "state").as_deref(), Some("s1"));
    let code = urlencode(&query_value(&location, "code").unwrap());
    let wrong = p
        .post("/sharing/rest/oauth2/token", &format!("client_id=memberdesk&grant_type=authorization_code&code={code}&redirect_uri={redirect}&code_verifier={}", "c".repeat(50)))
        .await;
    assert_eq!(wrong["error"]["error"], "invalid_request");
    // The failed attempt used the code up: even the right verifier cannot redeem it now.
    let again = p
        .post("/sharing/rest/oauth2/token", &format!("client_id=memberdesk&grant_type=authorization_code&code={code}&redirect_uri={redirect}&code_verifier={verifier}"))
        .await;
    assert_eq!(error_code(&again), Some(400));

    let a = sign_in(
        &p,
        &format!("client_id=memberdesk&response_type=code&redirect_uri={redirect}&code_challenge={challenge}&code_challenge_method=S256"),
        ADMIN_PASSWORD,
    )
    .await;
    let code = urlencode(&query_value(a.headers["location"].to_str().unwrap(), "code").unwrap());
    let tokens = p
        .post("/sharing/rest/oauth2/token/", &format!("client_id=memberdesk&grant_type=authorization_code&code={code}&redirect_uri={redirect}&code_verifier={verifier}"))
        .await;
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(tokens["username"], ADMIN);
    assert_eq!(refresh_token_count(&p.state, ADMIN).unwrap(), 1);
    assert_eq!(
        p.get_as(&refresh, "/sharing/rest/community/self?f=json")
            .await["error"]["code"],
        498,
        "a refresh token is no bearer token"
    );

    let refreshed = refresh_grant(&p, "memberdesk", &refresh).await;
    let access2 = refreshed["access_token"].as_str().unwrap().to_string();
    assert!(refreshed.get("refresh_token").is_none());
    assert_eq!(
        p.get_as(&access2, "/sharing/rest/community/self?f=json")
            .await["username"],
        ADMIN
    );
    let other_client = refresh_grant(&p, "pythonapi", &refresh).await;
    assert_eq!(
        error_code(&other_client),
        Some(498),
        "a refresh token works only for its client"
    );

    let revoked = p
        .post(
            "/sharing/rest/oauth2/revokeToken/",
            &format!("client_id=memberdesk&auth_token={}", urlencode(&refresh)),
        )
        .await;
    assert_eq!(revoked["success"], true);
    assert_eq!(
        refresh_token_count(&p.state, &ADMIN.to_uppercase()).unwrap(),
        0,
        "revoked, whatever the case of the username asked"
    );
    for t in [&access, &access2] {
        assert_eq!(
            error_code(&p.get_as(t, "/sharing/rest/community/self?f=json").await),
            Some(498)
        );
    }
    let after = refresh_grant(&p, "memberdesk", &refresh).await;
    assert_eq!(error_code(&after), Some(498));
}

#[tokio::test]
async fn client_credentials_give_an_app_token_without_a_user() {
    let p = Portal::new(0);
    portal_emulator::oauth::register_app(
        &p.state,
        "reportapp",
        "s3cret-value",
        &["https://app.example"],
    )
    .unwrap();
    let bad = p
        .post(
            "/sharing/rest/oauth2/token",
            "client_id=reportapp&client_secret=nope&grant_type=client_credentials",
        )
        .await;
    assert_eq!(bad["error"]["error"], "invalid_client");
    let v = p.post("/sharing/rest/oauth2/token", "client_id=reportapp&client_secret=s3cret-value&grant_type=client_credentials&expiration=60").await;
    assert_eq!(v["expires_in"], 3600);
    assert!(v.get("username").is_none());
    let token = v["access_token"].as_str().unwrap();
    let me = p.get_as(token, "/sharing/rest/portals/self?f=json").await;
    assert!(me.get("user").is_none(), "an app token has no user");
}

/// The stand-in browser of other crates' tests signs in the way a person does, lands where the
/// app listens, and reports a refusal in the page's own words.
#[cfg(feature = "testing")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stand_in_browser_signs_in_and_follows_the_redirect_to_the_app() {
    use portal_emulator::testing::sign_in_as_browser;

    let portal = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", portal.local_addr().unwrap());
    // The sign-in form posts to the portal's public URL: here, where it is served.
    let p = Portal::with_config(
        0,
        portal_emulator::Config {
            public_url: Some(base.clone()),
            ..Default::default()
        },
    );
    let app = portal_emulator::router(p.state.clone());
    tokio::spawn(portal_emulator::server::serve(portal, app, None));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let redirect = format!("http://{}/callback", listener.local_addr().unwrap());
    let shown = axum::routing::get(|| async { "You can close this tab" });
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().route("/callback", shown)).await
    });

    let authorize = format!(
        "{base}/sharing/rest/oauth2/authorize?client_id=memberdesk&response_type=code&redirect_uri={}",
        urlencode(&redirect)
    );
    let visit = sign_in_as_browser(&authorize, ADMIN, ADMIN_PASSWORD)
        .await
        .unwrap();
    assert!(
        visit.location.starts_with(&format!("{redirect}?code=")),
        "{}",
        visit.location
    );
    assert_eq!(visit.page, "You can close this tab");
    let refused = sign_in_as_browser(&authorize, ADMIN, "wrong-password-1")
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("Invalid username or password."),
        "{refused}"
    );
}
