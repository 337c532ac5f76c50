//! A password change ends the member's other sessions (docs/SECURITY.md, "OAuth redirects and
//! rendered pages"): every access and refresh token of the member except the one the change
//! was made with, whichever operation changed it and whoever asked.

use portal_emulator::seed::DEMO_PASSWORD;

use crate::support::{error_code, urlencode, Portal};

const NEW_PASSWORD: &str = "a-new-Password-77";

/// A member's sessions: two generateToken tokens, and an OAuth refresh token with an access
/// token minted from it (the implicit flow is not needed: `authorization_code` through the page).
struct Sessions {
    first: String,
    second: String,
    oauth_access: String,
    oauth_refresh: String,
}

async fn oauth_pair(p: &Portal, username: &str, password: &str) -> (String, String) {
    let redirect = "http://127.0.0.1:45123/cb";
    let page = p
        .send(
            "GET",
            &format!("/sharing/rest/oauth2/authorize?client_id=memberdesk&response_type=code&redirect_uri={redirect}"),
            &[],
            "",
        )
        .await;
    let state = crate::support::oauth_state(&page.text);
    let signed_in = p
        .send(
            "POST",
            "/sharing/oauth2/signin",
            &[],
            &format!(
                "oauth_state={}&username={username}&password={}",
                urlencode(&state),
                urlencode(password)
            ),
        )
        .await;
    let location = signed_in.headers["location"].to_str().unwrap();
    let code = form_urlencoded::parse(location.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let v = p
        .post(
            "/sharing/rest/oauth2/token",
            &format!("client_id=memberdesk&grant_type=authorization_code&code={}&redirect_uri={redirect}", urlencode(&code)),
        )
        .await;
    (
        v["access_token"].as_str().unwrap().to_string(),
        v["refresh_token"].as_str().unwrap().to_string(),
    )
}

async fn sessions_of(p: &Portal, username: &str) -> Sessions {
    let (oauth_access, oauth_refresh) = oauth_pair(p, username, DEMO_PASSWORD).await;
    Sessions {
        first: p.token(username, DEMO_PASSWORD).await,
        second: p.token(username, DEMO_PASSWORD).await,
        oauth_access,
        oauth_refresh,
    }
}

async fn works(p: &Portal, token: &str) -> bool {
    error_code(&p.get_as(token, "/sharing/rest/community/self?f=json").await).is_none()
}

async fn refresh_works(p: &Portal, refresh: &str) -> bool {
    let v = p
        .post(
            "/sharing/rest/oauth2/token",
            &format!(
                "client_id=memberdesk&grant_type=refresh_token&refresh_token={}",
                urlencode(refresh)
            ),
        )
        .await;
    v["access_token"].is_string()
}

/// The ways a member changes their own password, each made with the member's `first` token.
async fn change_own_password(p: &Portal, how: &str, username: &str, token: &str) {
    let v = match how {
        "reset" => {
            p.post_as(
                token,
                &format!("/sharing/rest/community/users/{username}/reset"),
                &format!("password={DEMO_PASSWORD}&newPassword={NEW_PASSWORD}&f=json"),
            )
            .await
        }
        _ => {
            p.post_as(
                token,
                &format!("/sharing/rest/community/users/{username}/update"),
                &format!("password={NEW_PASSWORD}&f=json"),
            )
            .await
        }
    };
    assert_eq!(v["success"], true, "{how}: {v}");
}

#[tokio::test]
async fn a_member_changing_their_password_ends_every_other_session_but_keeps_the_one_used() {
    for how in ["reset", "update"] {
        let p = Portal::new(3);
        let member = p.member_with("role = 'org_user'");
        let other = p.member_with(&format!("builtin_admin = 0 AND username <> '{member}'"));
        let s = sessions_of(&p, &member).await;
        let bystander = p.token(&other, DEMO_PASSWORD).await;
        for t in [&s.first, &s.second, &s.oauth_access] {
            assert!(works(&p, t).await, "{how}: every session works before");
        }
        change_own_password(&p, how, &member, &s.first).await;
        assert!(
            works(&p, &s.first).await,
            "{how}: the session that made the change stays"
        );
        assert!(
            !works(&p, &s.second).await,
            "{how}: another generateToken token ends"
        );
        assert!(
            !works(&p, &s.oauth_access).await,
            "{how}: an OAuth access token ends"
        );
        assert!(
            !refresh_works(&p, &s.oauth_refresh).await,
            "{how}: an OAuth refresh token ends"
        );
        assert!(
            works(&p, &bystander).await,
            "{how}: other members keep their sessions"
        );
        let old = p
            .post(
                "/sharing/rest/generateToken",
                &format!(
                    "username={member}&password={DEMO_PASSWORD}&client=referer&referer=t&f=json"
                ),
            )
            .await;
        assert!(
            old.get("token").is_none(),
            "{how}: the old password no longer signs in"
        );
    }
}

#[tokio::test]
async fn a_change_made_from_an_oauth_session_keeps_that_session_and_its_refresh_token() {
    let p = Portal::new(3);
    let member = p.member_with("role = 'org_user'");
    let s = sessions_of(&p, &member).await;
    change_own_password(&p, "reset", &member, &s.oauth_access).await;
    assert!(
        works(&p, &s.oauth_access).await,
        "the access token used stays"
    );
    assert!(
        refresh_works(&p, &s.oauth_refresh).await,
        "and the refresh token it came from"
    );
    assert!(!works(&p, &s.first).await && !works(&p, &s.second).await);
}

#[tokio::test]
async fn an_administrator_setting_a_password_ends_every_session_of_the_member() {
    let p = Portal::new(3);
    let admin = p.admin_token().await;
    let member = p.member_with("role = 'org_user'");
    let s = sessions_of(&p, &member).await;
    let v = p
        .post_as(
            &admin,
            &format!("/sharing/rest/community/users/{member}/update"),
            &format!("password={NEW_PASSWORD}&f=json"),
        )
        .await;
    assert_eq!(v["success"], true, "{v}");
    for t in [&s.first, &s.second, &s.oauth_access] {
        assert!(!works(&p, t).await, "every token of the member ends");
    }
    assert!(!refresh_works(&p, &s.oauth_refresh).await);
    assert!(
        works(&p, &admin).await,
        "the administrator's own session stays"
    );
    let fresh = p.token(&member, NEW_PASSWORD).await;
    assert!(works(&p, &fresh).await, "the new password signs in");
}
