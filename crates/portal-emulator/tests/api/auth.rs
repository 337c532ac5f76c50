use crate::support::{error_code, Portal, ADMIN, ADMIN_PASSWORD};

#[tokio::test]
async fn generate_token_answers_token_and_expires_and_no_expires_in() {
    let p = Portal::new(0);
    let v = p
        .post("/sharing/rest/generateToken", &format!("username={ADMIN}&password={ADMIN_PASSWORD}&client=referer&referer=x&expiration=60&f=json"))
        .await;
    assert!(v["token"].is_string());
    let expires = v["expires"].as_i64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(
        (expires - now - 3_600_000).abs() < 60_000,
        "expires in ~60 minutes"
    );
    assert!(v.get("expires_in").is_none());
}

#[tokio::test]
async fn a_wrong_password_gets_the_documented_error_and_no_token() {
    let p = Portal::new(0);
    let v = p
        .post(
            "/sharing/rest/generateToken",
            &format!("username={ADMIN}&password=wrong&f=json"),
        )
        .await;
    assert_eq!(error_code(&v), Some(400));
    assert_eq!(v["error"]["message"], "Unable to generate token.");
    assert_eq!(v["error"]["details"][0], "Invalid username or password.");
    let unknown = p
        .post(
            "/sharing/rest/generateToken",
            "username=nobody_here&password=x&f=json",
        )
        .await;
    assert_eq!(
        unknown, v,
        "unknown users and wrong passwords look the same"
    );
}

#[tokio::test]
async fn generate_token_is_post_only() {
    let p = Portal::new(0);
    let v = p
        .get(&format!(
            "/sharing/rest/generateToken?username={ADMIN}&password={ADMIN_PASSWORD}&f=json"
        ))
        .await;
    assert_eq!(error_code(&v), Some(405));
}

#[tokio::test]
async fn tokens_are_accepted_from_the_esri_header_the_standard_header_and_the_parameter() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let via_esri = p.get_as(&t, "/sharing/rest/community/self?f=json").await;
    assert_eq!(via_esri["username"], ADMIN);
    let bearer = format!("Bearer {t}");
    let via_std = p
        .send(
            "GET",
            "/sharing/rest/community/self?f=json",
            &[("authorization", &bearer)],
            "",
        )
        .await;
    assert_eq!(via_std.json()["username"], ADMIN);
    let via_param = p
        .get(&format!("/sharing/rest/community/self?f=json&token={t}"))
        .await;
    assert_eq!(via_param["username"], ADMIN);
    let via_body = p
        .post("/sharing/rest/community/self", &format!("f=json&token={t}"))
        .await;
    assert_eq!(via_body["username"], ADMIN);
}

#[tokio::test]
async fn a_valid_header_token_wins_over_a_bogus_token_parameter() {
    // The Python client's AGOL create path posts `token=token` beside a valid header token.
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let v = p
        .post_as(&t, "/sharing/rest/community/self", "f=json&token=token")
        .await;
    assert_eq!(v["username"], ADMIN);
}

#[tokio::test]
async fn no_token_is_499_and_a_bad_token_is_498_even_on_public_resources() {
    let p = Portal::new(0);
    let anon = p.get("/sharing/rest/community/self?f=json").await;
    assert_eq!(error_code(&anon), Some(499));
    assert_eq!(anon["error"]["messageCode"], "GWM_0003");
    let bad = p
        .get_as("not-a-token", "/sharing/rest/community/self?f=json")
        .await;
    assert_eq!(error_code(&bad), Some(498));
    let bad_public = p
        .get_as("not-a-token", "/sharing/rest/portals/self?f=json")
        .await;
    assert_eq!(error_code(&bad_public), Some(498));
}

#[tokio::test]
async fn token_ttl_overrides_the_requested_lifetime_and_expired_tokens_are_refused() {
    let config = portal_emulator::Config {
        token_ttl: Some(1),
        ..Default::default()
    };
    let p = Portal::with_config(0, config);
    let t = p.admin_token().await;
    assert_eq!(
        p.get_as(&t, "/sharing/rest/community/self?f=json").await["username"],
        ADMIN
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let v = p.get_as(&t, "/sharing/rest/community/self?f=json").await;
    assert_eq!(error_code(&v), Some(498));
}

#[tokio::test]
async fn tokens_are_stored_hashed_not_in_clear() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let conn = p.state.db.get().unwrap();
    let in_clear: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM tokens WHERE token_hash = ?1",
            [&t],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(in_clear, 0);
    let stored: i64 = conn
        .query_row("SELECT COUNT(*) FROM tokens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 1);
}
