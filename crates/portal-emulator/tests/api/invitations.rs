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
    let good = p
        .get_as(&t, "/sharing/rest/community/users/good_one1?f=json")
        .await;
    assert_eq!(good["username"], "good_one1", "the good entry went through");
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
async fn an_entry_without_a_username_is_listed_until_the_invitee_accepts_it_choosing_a_username() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let body = invitation_list(
        json!([{ "email": "dave@example.com", "role": "iAAAAAAAAAAAAAAA", "userLicenseType": "viewerUT" }]),
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
    assert_eq!(inv["email"], "dave@example.com");
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

    let (path, page) = p.open_newest_mail_link(&t).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Choose a username"), "{}", page.text);
    let query = format!("{}&username=dave_invited", path.split_once('?').unwrap().1);
    let weak = accept(&p, &query, "short").await;
    assert_eq!(weak.status, 400);
    let ok = accept(&p, &query, "dave-pass-1").await;
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
    let again = accept(&p, &query, "dave-pass-1").await;
    assert_eq!(again.status, 404, "an invitation is accepted once");
}

/// ArcGIS Online's "add members and notify them via email": the member exists at once, has
/// never signed in and cannot until they set a password through the email's link (once).
#[tokio::test]
async fn an_entry_with_a_username_and_no_password_is_a_member_at_once_who_sets_a_password_by_link()
{
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let body = invitation_list(json!([{
        "username": "fiona_new1", "email": "fiona@example.com", "firstname": "Fiona", "lastname": "N",
        "role": "org_publisher", "userLicenseType": "creatorUT", "userCreditAssignment": 50
    }]));
    let v = p
        .post_as(&t, "/sharing/rest/portals/self/invite", &body)
        .await;
    assert_eq!(v["notInvited"], json!([]), "{v}");
    let fiona = p
        .get_as(&t, "/sharing/rest/community/users/fiona_new1?f=json")
        .await;
    assert_eq!(fiona["role"], "org_publisher", "{fiona}");
    assert_eq!(fiona["fullName"], "Fiona N");
    assert_eq!(fiona["assignedCredits"], 50.0);
    assert!(
        fiona["lastLogin"].as_i64().unwrap_or(-1) <= 0,
        "never signed in"
    );
    let list = p
        .get_as(&t, "/sharing/rest/portals/self/invitations?f=json")
        .await;
    assert_eq!(list["total"], 0, "not an invitation to join: {list}");
    let no_password = p
        .post(
            "/sharing/rest/generateToken",
            "username=fiona_new1&password=&client=referer&referer=test&f=json",
        )
        .await;
    assert!(no_password["token"].is_null(), "{no_password}");

    let (path, page) = p.open_newest_mail_link(&t).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("fiona_new1") && !page.text.contains("Choose a username"));
    let query = path.split_once('?').unwrap().1;
    assert_eq!(accept(&p, query, "short").await.status, 400);
    let ok = accept(&p, query, "fiona-pass-1").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    p.token("fiona_new1", "fiona-pass-1").await;
    assert_eq!(
        accept(&p, query, "other-pass-2").await.status,
        404,
        "the link sets the password once"
    );
    p.token("fiona_new1", "fiona-pass-1").await;

    // A member deleted before using the link takes the link along: it cannot set the
    // password of a later member of the same name.
    let body = invitation_list(json!([{ "username": "hal_new1", "email": "hal@example.com" }]));
    p.post_as(&t, "/sharing/rest/portals/self/invite", &body)
        .await;
    let (path, _) = p.open_newest_mail_link(&t).await;
    let deleted = p
        .post_as(
            &t,
            "/sharing/rest/community/users/hal_new1/delete",
            "f=json",
        )
        .await;
    assert_eq!(deleted["success"], true, "{deleted}");
    p.post_as(&t, "/sharing/rest/portals/self/invite", &body)
        .await;
    let stale = accept(&p, path.split_once('?').unwrap().1, "hal-pass-123").await;
    assert_eq!(stale.status, 404, "{}", stale.text);

    // A link sent to a mistyped address dies when the address is corrected.
    let body = invitation_list(json!([{ "username": "ivy_new1", "email": "ivy@exmaple.com" }]));
    p.post_as(&t, "/sharing/rest/portals/self/invite", &body)
        .await;
    let (path, _) = p.open_newest_mail_link(&t).await;
    let fixed = p
        .post_as(
            &t,
            "/sharing/rest/community/users/ivy_new1/update",
            "email=ivy%40example.com&f=json",
        )
        .await;
    assert_eq!(fixed["success"], true, "{fixed}");
    let misdirected = accept(&p, path.split_once('?').unwrap().1, "ivy-pass-123").await;
    assert_eq!(misdirected.status, 409, "{}", misdirected.text);
    assert!(
        p.post(
            "/sharing/rest/generateToken",
            "username=ivy_new1&password=ivy-pass-123&client=referer&referer=test&f=json",
        )
        .await["token"]
            .is_null(),
        "the misdirected link set no password"
    );
}

/// An organization-specific login (`targetUserProvider: enterprise` + `idpUsername`) is a
/// member at once with no password; the email has nothing to set.
#[tokio::test]
async fn an_enterprise_login_entry_is_a_member_at_once_without_a_password() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let body = invitation_list(json!([{
        "username": "gus_saml1", "email": "gus@example.com", "targetUserProvider": "enterprise",
        "idpUsername": "gus@corp.example.com", "role": "org_user", "userLicenseType": "creatorUT"
    }]));
    let v = p
        .post_as(&t, "/sharing/rest/portals/self/invite", &body)
        .await;
    assert_eq!(v["notInvited"], json!([]), "{v}");
    let gus = p
        .get_as(&t, "/sharing/rest/community/users/gus_saml1?f=json")
        .await;
    assert_eq!(gus["provider"], "enterprise", "{gus}");
    assert_eq!(gus["idpUsername"], "gus@corp.example.com");
    let mail = p
        .get_as(&t, "/sharing/rest/portals/self/emulator/outbox?f=json")
        .await;
    assert_eq!(mail["messages"][0]["to"], "gus@example.com");
    assert!(mail["messages"][0]["link"].is_null(), "{mail}");
}

/// Entries that contradict themselves are refused with their reason, each on its own.
#[tokio::test]
async fn contradictory_entries_are_refused_with_their_reason() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let cases = [
        (
            json!({ "email": "a@example.com", "password": "alone-pass-1" }),
            "needs a username",
        ),
        (
            json!({ "username": "idp_pw1", "email": "b@example.com", "targetUserProvider": "enterprise", "idpUsername": "b", "password": "idp-pass-12" }),
            "takes no password",
        ),
        (
            json!({ "username": "idp_none1", "email": "c@example.com", "targetUserProvider": "enterprise" }),
            "idpUsername",
        ),
        (
            json!({ "username": "arc_idp1", "email": "d@example.com", "idpUsername": "d" }),
            "targetUserProvider enterprise",
        ),
        (json!({ "username": "no_mail1" }), "needs an email"),
    ];
    for (entry, why) in cases {
        let v = p
            .post_as(
                &t,
                "/sharing/rest/portals/self/invite",
                &invitation_list(json!([entry])),
            )
            .await;
        assert_eq!(
            v["notInvited"].as_array().map(Vec::len),
            Some(1),
            "{entry}: {v}"
        );
        let message = v["errors"][0]["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(why), "{entry}: {message}");
    }
    for name in ["idp_pw1", "idp_none1", "arc_idp1", "no_mail1"] {
        let row = portal_emulator::inspect::user_row(&p.state, name).unwrap();
        assert!(row.is_none(), "{name} was not created");
    }
}

#[tokio::test]
async fn a_deleted_invitation_is_gone_and_its_link_dead() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let body = invitation_list(json!([{ "email": "erin@example.com" }]));
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
