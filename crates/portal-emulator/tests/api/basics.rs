use axum::http::StatusCode;

use crate::support::{error_code, Portal};

#[tokio::test]
async fn root_answers_the_version_the_python_client_parses_even_with_a_trailing_slash() {
    let p = Portal::new(0);
    let v = p.get("/sharing/rest/?f=json").await;
    assert_eq!(v["currentVersion"], "2025.1");
    let parts: Vec<i64> = v["currentVersion"]
        .as_str()
        .unwrap()
        .split('.')
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(parts, [2025, 1]);
}

#[tokio::test]
async fn unknown_api_paths_get_an_error_envelope_with_http_200() {
    let p = Portal::new(0);
    let a = p
        .send("GET", "/sharing/rest/no/such/thing?f=json", &[], "")
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(error_code(&a.json()), Some(400));
    assert_eq!(a.json()["error"]["message"], "Invalid URL");
    let outside = p.send("GET", "/rest/info", &[], "").await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    assert!(outside.headers.get("www-authenticate").is_none());
}

#[tokio::test]
async fn info_names_the_token_service_and_says_tokens_are_used() {
    let p = Portal::new(0);
    let v = p.get("/sharing/rest/info?f=json").await;
    assert_eq!(v["authInfo"]["isTokenBasedSecurity"], true);
    assert!(v["authInfo"]["tokenServicesUrl"]
        .as_str()
        .unwrap()
        .ends_with("/sharing/rest/generateToken"));
}

#[tokio::test]
async fn portals_self_has_the_fields_the_python_client_needs() {
    let p = Portal::new(0);
    let token = p.admin_token().await;
    let v = p.get_as(&token, "/sharing/rest//portals/self?f=json").await;
    assert_eq!(v["portalName"], "ArcGIS Online");
    assert_eq!(v["portalMode"], "multitenant");
    assert_eq!(v["defaultUserCreditAssignment"], -1);
    assert_eq!(v["user"]["username"], crate::support::ADMIN);
    assert_eq!(v["id"].as_str().unwrap().len(), 16);
    let anonymous = p.get("/sharing/rest/portals/self?f=json").await;
    assert!(
        anonymous.get("user").is_none(),
        "anonymous portals/self must have no user"
    );
}

#[tokio::test]
async fn languages_and_regions_are_top_level_arrays() {
    let p = Portal::new(0);
    assert!(p
        .get("/sharing/rest/portals/languages?f=json")
        .await
        .is_array());
    assert!(p
        .get("/sharing/rest/portals/regions?f=json")
        .await
        .is_array());
}

#[tokio::test]
async fn pjson_pretty_prints_the_same_json() {
    let p = Portal::new(0);
    let a = p.send("GET", "/sharing/rest?f=pjson", &[], "").await;
    assert!(a.text.contains('\n'));
    assert_eq!(a.json()["currentVersion"], "2025.1");
}

#[tokio::test]
async fn operation_names_match_in_any_case_and_under_a_web_adaptor() {
    let p = Portal::new(0);
    let token = p.admin_token().await;
    let a = p
        .get_as(&token, "/sharing/rest/PORTALS/Self/USERLICENSETYPES?f=json")
        .await;
    assert!(
        a["userLicenseTypes"]
            .as_array()
            .is_some_and(|l| !l.is_empty()),
        "{a}"
    );
    let b = p
        .get_as(&token, "/portal/sharing/rest/community/self?f=json")
        .await;
    assert_eq!(b["username"], crate::support::ADMIN);
}

#[tokio::test]
async fn a_bad_multipart_or_oversized_value_is_refused_with_a_clear_error() {
    let p = Portal::new(0);
    let a = p
        .send(
            "POST",
            "/sharing/rest/generateToken",
            &[("content-type", "multipart/form-data; boundary=x")],
            "garbage",
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(error_code(&a.json()), Some(400));
    // One value over 1 MiB, in a body the route allows (uploads take 10 MiB).
    let big = format!("description={}&f=json", "a".repeat(1_100_000));
    let v = p
        .post("/sharing/rest/community/users/someone/update", &big)
        .await;
    assert_eq!(error_code(&v), Some(400));
    assert!(
        v["error"]["message"].as_str().unwrap().contains("too long"),
        "{v}"
    );
}

#[tokio::test]
async fn cors_echoes_the_origin_and_preflights_allow_the_esri_header() {
    let p = Portal::new(0);
    let a = p
        .send(
            "GET",
            "/sharing/rest?f=json",
            &[("origin", "https://app.example")],
            "",
        )
        .await;
    assert_eq!(
        a.headers["access-control-allow-origin"],
        "https://app.example"
    );
    let pre = p
        .send(
            "OPTIONS",
            "/sharing/rest/community/self",
            &[("origin", "https://app.example")],
            "",
        )
        .await;
    assert_eq!(pre.status, StatusCode::NO_CONTENT);
    assert!(pre.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("X-Esri-Authorization"));
}

#[tokio::test]
async fn the_robustness_switches_send_real_statuses_and_text_plain_tokens() {
    let p = Portal::with_config(
        0,
        portal_emulator::Config {
            real_error_status: true,
            token_as_text_plain: true,
            ..Default::default()
        },
    );
    let anonymous = p
        .send("GET", "/sharing/rest/community/self?f=json", &[], "")
        .await;
    assert_eq!(anonymous.status.as_u16(), 499);
    assert_eq!(anonymous.json()["error"]["code"], 499, "the envelope stays");
    let t = p.admin_token().await;
    let missing = p
        .send(
            "GET",
            "/sharing/rest/community/users/nobody_here?f=json",
            &[("X-Esri-Authorization", &format!("Bearer {t}"))],
            "",
        )
        .await;
    assert_eq!(missing.status.as_u16(), 400);
    let fine = p
        .send(
            "GET",
            "/sharing/rest/community/self?f=json",
            &[("X-Esri-Authorization", &format!("Bearer {t}"))],
            "",
        )
        .await;
    assert_eq!(fine.status.as_u16(), 200);

    portal_emulator::oauth::register_app(&p.state, "robot", "robot-secret", &[]).unwrap();
    let token = p
        .send(
            "POST",
            "/sharing/rest/oauth2/token",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            "client_id=robot&client_secret=robot-secret&grant_type=client_credentials&f=json",
        )
        .await;
    assert_eq!(token.status.as_u16(), 200);
    assert!(token.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert!(token.json()["access_token"].is_string());
}
