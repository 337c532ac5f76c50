use serde_json::json;

use crate::support::{error_code, Answer, Portal};

fn invitation_list(items: serde_json::Value) -> String {
    let text = json!({ "invitations": items }).to_string();
    format!(
        "invitationList={}&f=json",
        form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
    )
}

/// Posts the accept page's form with `password`, as the invitee would.
async fn accept(p: &Portal, query: &str, password: &str) -> Answer {
    let body = format!("{query}&password={password}");
    p.send("POST", "/sharing/invitation/accept", &[], &body)
        .await
}

#[tokio::test]
async fn an_invitation_with_a_password_creates_the_member_at_once_with_role_type_and_groups() {
    let p = Portal::new(60);
    let t = p.admin_token().await;
    let group: String = p
        .state
        .db
        .get()
        .unwrap()
        .query_row("SELECT id FROM groups LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let body = invitation_list(json!([{
        "username": "carol_new1", "password": "carol-pass-1", "firstname": "Carol", "lastname": "C",
        "email": "carol@example.com", "role": "org_publisher", "userLicenseType": "creatorUT",
        "groups": group, "userCreditAssignment": 100
    }]));
    let v = p
        .post_as(&t, "/sharing/rest//portals/self/invite", &body)
        .await;
    assert_eq!(v["success"], true);
    assert_eq!(v["notInvited"], json!([]));
    let u = p
        .get_as(&t, "/sharing/rest/community/users/carol_new1?f=json")
        .await;
    assert_eq!(u["role"], "org_publisher");
    assert_eq!(u["fullName"], "Carol C");
    assert_eq!(u["groups"][0]["id"], group.as_str());
    p.token("carol_new1", "carol-pass-1").await;
}

#[tokio::test]
async fn bad_invitations_are_named_with_their_reason_while_good_ones_go_through() {
    let p = Portal::new(10);
    let t = p.admin_token().await;
    let taken = p.member_with("1");
    let body = invitation_list(json!([
        { "username": "good_one1", "email": "good@example.com", "role": "org_user" },
        { "username": taken, "email": "x@example.com" },
        { "username": "bad mail1", "email": "x@example.com" },
        { "username": "viewer_pub1", "email": "v@example.com", "role": "org_publisher", "userLicenseType": "viewerUT" },
        { "username": "weak_pass1", "email": "w@example.com", "password": "short" },
    ]));
    let v = p
        .post_as(&t, "/sharing/rest/portals/self/invite", &body)
        .await;
    assert_eq!(
        v["notInvited"],
        json!([taken, "bad mail1", "viewer_pub1", "weak_pass1"])
    );
    let errors = v["errors"].as_array().unwrap();
    assert!(errors[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("already taken"));
    assert!(errors[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not compatible"));
    let list = p
        .get_as(&t, "/sharing/rest/portals/self/invitations?num=100&f=json")
        .await;
    assert!(list["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["username"] == "good_one1"));
    let garbage = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/invite",
            "invitationList=%7Bnot json&f=json",
        )
        .await;
    assert_eq!(error_code(&garbage), Some(400));
}

#[tokio::test]
async fn an_email_invitation_is_listed_until_the_invitee_accepts_it_on_the_accept_page() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let body = invitation_list(
        json!([{ "username": "dave_invited", "email": "dave@example.com", "role": "iAAAAAAAAAAAAAAA", "userLicenseType": "viewerUT" }]),
    );
    assert_eq!(
        p.post_as(&t, "/sharing/rest/portals/self/invite", &body)
            .await["notInvited"],
        json!([])
    );
    let list = p
        .get_as(&t, "/sharing/rest/portals/self/invitations?f=json")
        .await;
    let inv = &list["invitations"][0];
    assert_eq!(inv["username"], "dave_invited");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let days = (inv["expiration"].as_i64().unwrap() - now) as f64 / 86_400_000.0;
    assert!(
        (13.9..=14.0).contains(&days),
        "expires in 14 days, got {days}"
    );
    let one = p
        .get_as(
            &t,
            &format!(
                "/sharing/rest/portals/self/invitations/{}?f=json",
                inv["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(one["email"], "dave@example.com");
    assert_eq!(
        error_code(
            &p.get_as(&t, "/sharing/rest/community/users/dave_invited?f=json")
                .await
        ),
        Some(400)
    );

    let (path, page) = p.open_newest_mail_link(&t).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("dave_invited"));
    let query = path.split_once('?').unwrap().1;
    let weak = accept(&p, query, "short").await;
    assert_eq!(weak.status, 400);
    let ok = accept(&p, query, "dave-pass-1").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let dave = p
        .get_as(&t, "/sharing/rest/community/users/dave_invited?f=json")
        .await;
    assert_eq!(dave["roleId"], "iAAAAAAAAAAAAAAA");
    assert_eq!(dave["userLicenseTypeId"], "viewerUT");
    p.token("dave_invited", "dave-pass-1").await;
    let after = p
        .get_as(&t, "/sharing/rest/portals/self/invitations?f=json")
        .await;
    assert_eq!(after["total"], 0);
    let again = accept(&p, query, "dave-pass-1").await;
    assert_eq!(again.status, 404, "an invitation is accepted once");
}

#[tokio::test]
async fn a_deleted_invitation_is_gone_and_its_link_dead() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let body =
        invitation_list(json!([{ "username": "erin_invited", "email": "erin@example.com" }]));
    p.post_as(&t, "/sharing/rest/portals/self/invite", &body)
        .await;
    let list = p
        .get_as(&t, "/sharing/rest/portals/self/invitations?f=json")
        .await;
    let id = list["invitations"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        p.post_as(
            &t,
            &format!("/sharing/rest/portals/self/invitations/{id}/delete"),
            "f=json"
        )
        .await["success"],
        true
    );
    assert_eq!(
        error_code(
            &p.post_as(
                &t,
                &format!("/sharing/rest/portals/self/invitations/{id}/delete"),
                "f=json"
            )
            .await
        ),
        Some(400)
    );
    let (_, page) = p.open_newest_mail_link(&t).await;
    assert_eq!(page.status, 404);
}

#[tokio::test]
async fn seeded_invitations_include_fresh_expiring_and_expired_ones() {
    let p = Portal::new(500);
    let t = p.admin_token().await;
    let list = p
        .get_as(&t, "/sharing/rest/portals/self/invitations?num=100&f=json")
        .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let day = 86_400_000;
    let exp: Vec<i64> = list["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["expiration"].as_i64().unwrap())
        .collect();
    assert!(exp.iter().any(|e| *e < now), "some expired");
    assert!(
        exp.iter().any(|e| *e > now && *e < now + 3 * day),
        "some expiring within 3 days"
    );
    assert!(exp.iter().any(|e| *e > now + 3 * day), "some fresh");
}
