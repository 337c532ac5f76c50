use crate::support::{error_code, Portal, ADMIN};
use portal_emulator::seed::DEMO_PASSWORD;

#[tokio::test]
async fn update_changes_only_the_given_fields_and_ignores_username_in_the_body() {
    let p = Portal::new(30);
    let t = p.admin_token().await;
    let name = p.member_with("access = 'org'");
    let before = p
        .get_as(&t, &format!("/sharing/rest/community/users/{name}?f=json"))
        .await;
    let v = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{name}/update"),
            "username=someoneelse&description=%3Cb%3EHi%3C%2Fb%3E&tags=a,b&f=json",
        )
        .await;
    assert_eq!(v, serde_json::json!({"success": true, "username": name}));
    let after = p
        .get_as(&t, &format!("/sharing/rest/community/users/{name}?f=json"))
        .await;
    assert_eq!(
        after["description"], "<b>Hi</b>",
        "stored as given; rendering is the client's business"
    );
    assert_eq!(after["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(after["email"], before["email"]);
    assert_eq!(after["fullName"], before["fullName"]);
}

#[tokio::test]
async fn a_member_may_update_themselves_but_not_others() {
    let p = Portal::new(50);
    let me = p.member_with("role = 'org_user' AND role_id IS NULL AND access = 'org'");
    let other = p.member_with(&format!("access = 'org' AND username <> '{me}'"));
    let t = p.token(&me, DEMO_PASSWORD).await;
    let own = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{me}/update"),
            "description=mine&f=json",
        )
        .await;
    assert_eq!(own["success"], true);
    let theirs = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{other}/update"),
            "description=yours&f=json",
        )
        .await;
    assert_eq!(error_code(&theirs), Some(403));
}

#[tokio::test]
async fn bad_update_values_are_refused_naming_the_field_and_nothing_changes() {
    let p = Portal::new(10);
    let t = p.admin_token().await;
    let name = p.member_with("1");
    for (body, needle) in [
        ("email=not-an-email", "email"),
        ("access=everyone", "access"),
        ("password=short", "password policy"),
        ("fullname=%01bad", "control characters"),
    ] {
        let v = p
            .post_as(
                &t,
                &format!("/sharing/rest/community/users/{name}/update"),
                body,
            )
            .await;
        assert_eq!(error_code(&v), Some(400), "{body}");
        assert!(v.to_string().to_lowercase().contains(needle), "{body}: {v}");
    }
}

#[tokio::test]
async fn role_changes_respect_the_user_type_and_keep_an_administrator() {
    let p = Portal::new(80);
    let t = p.admin_token().await;
    let viewer = p.member_with("user_license_type_id = 'viewerUT'");
    let refused = p
        .post_as(
            &t,
            "/sharing/rest//portals/self/updateuserrole",
            &format!("user={viewer}&role=org_publisher&f=json"),
        )
        .await;
    assert_eq!(error_code(&refused), Some(400));
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not compatible"));
    let creator = p.member_with(
        "user_license_type_id = 'creatorUT' AND role = 'org_user' AND role_id IS NULL",
    );
    let ok = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/updateUserRole",
            &format!("user={creator}&role=org_publisher&f=json"),
        )
        .await;
    assert_eq!(ok["success"], true);
    let u = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/users/{creator}?f=json"),
        )
        .await;
    assert_eq!(u["role"], "org_publisher");
    let custom = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/updateUserRole",
            &format!("user={creator}&role=iBBBBBBBBBBBBBBB&f=json"),
        )
        .await;
    assert_eq!(custom["success"], true);
    assert_eq!(
        p.get_as(
            &t,
            &format!("/sharing/rest/community/users/{creator}?f=json")
        )
        .await["roleId"],
        "iBBBBBBBBBBBBBBB"
    );
    let own = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/updateUserRole",
            &format!("user={ADMIN}&role=org_user&f=json"),
        )
        .await;
    assert_eq!(
        error_code(&own),
        Some(403),
        "nobody changes their own role (docs/SECURITY.md, Delegated administration)"
    );
}

#[tokio::test]
async fn user_type_changes_report_each_user_and_accept_python_json_lists() {
    let p = Portal::new(80);
    let t = p.admin_token().await;
    let creator = p.member_with(
        "user_license_type_id = 'creatorUT' AND role = 'org_user' AND role_id IS NULL",
    );
    let admin = p.member_with("role = 'org_admin' AND user_license_type_id = 'creatorUT'");
    let body = format!("users=%5B%22{creator}%22%2C%22{admin}%22%2C%22ghost_user%22%5D&userLicenseType=editorUT&f=json");
    let v = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/updateUserLicenseType",
            &body,
        )
        .await;
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["status"], true);
    assert_eq!(
        results[1]["status"], false,
        "an administrator cannot be a Contributor"
    );
    assert_eq!(results[2]["status"], false);
    assert_eq!(
        p.get_as(
            &t,
            &format!("/sharing/rest/community/users/{creator}?f=json")
        )
        .await["userLicenseTypeId"],
        "editorUT"
    );
}

#[tokio::test]
async fn disabling_ends_the_members_sessions_and_enabling_restores_sign_in() {
    let p = Portal::new(40);
    let t = p.admin_token().await;
    let member = p.member_with("role = 'org_user' AND role_id IS NULL");
    let mt = p.token(&member, DEMO_PASSWORD).await;
    let v = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{member}/disable"),
            "f=json",
        )
        .await;
    assert_eq!(v["success"], true);
    assert_eq!(
        error_code(&p.get_as(&mt, "/sharing/rest/community/self?f=json").await),
        Some(498)
    );
    let no = p
        .post(
            "/sharing/rest/generateToken",
            &format!("username={member}&password={DEMO_PASSWORD}&f=json"),
        )
        .await;
    assert_eq!(error_code(&no), Some(400));
    let many = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/enableUsers",
            &format!("users={member},ghost_user&f=json"),
        )
        .await;
    assert_eq!(many["results"][0]["status"], true);
    assert_eq!(many["results"][1]["status"], false);
    p.token(&member, DEMO_PASSWORD).await;
    let mine = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{ADMIN}/disable"),
            "f=json",
        )
        .await;
    assert_eq!(
        error_code(&mine),
        Some(400),
        "an admin cannot disable themselves"
    );
}

#[tokio::test]
async fn delete_refuses_group_owners_until_their_groups_are_reassigned() {
    let p = Portal::new(100);
    let t = p.admin_token().await;
    let owner = p.member_with(
        "role = 'org_admin' AND username IN (SELECT owner FROM groups) AND builtin_admin = 0",
    );
    let refused = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{owner}/delete"),
            "f=json",
        )
        .await;
    assert_eq!(error_code(&refused), Some(400));
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("owns"));
    let r = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{owner}/reassign"),
            &format!("targetUsername={ADMIN}&f=json"),
        )
        .await;
    assert_eq!(r["success"], true);
    let ok = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{owner}/delete"),
            "f=json",
        )
        .await;
    assert_eq!(ok["success"], true);
    let gone = p
        .get_as(&t, &format!("/sharing/rest/community/users/{owner}?f=json"))
        .await;
    assert_eq!(
        gone["error"]["message"],
        "User does not exist or is inaccessible."
    );
    let builtin = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{ADMIN}/delete"),
            "f=json",
        )
        .await;
    assert_eq!(error_code(&builtin), Some(400));
}

#[tokio::test]
async fn bulk_lists_over_the_limit_are_refused_not_truncated() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let users: Vec<String> = (0..26).map(|i| format!("user_{i:03}")).collect();
    let v = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/disableUsers",
            &format!("users={}&f=json", users.join(",")),
        )
        .await;
    assert_eq!(error_code(&v), Some(400));
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("at most 25"));
}

#[tokio::test]
async fn credits_are_assigned_and_bad_entries_reported() {
    let p = Portal::new(20);
    let t = p.admin_token().await;
    let m = p.member_with("1");
    let body = format!("userAssignments=%5B%7B%22username%22%3A%22{m}%22%2C%22credits%22%3A250%7D%2C%7B%22username%22%3A%22ghost_user%22%2C%22credits%22%3A5%7D%5D&f=json");
    let v = p
        .post_as(&t, "/sharing/rest/portals/self/assignUserCredits", &body)
        .await;
    assert_eq!(v["notAssignedUsers"], serde_json::json!(["ghost_user"]));
    assert_eq!(
        p.get_as(&t, &format!("/sharing/rest/community/users/{m}?f=json"))
            .await["assignedCredits"],
        250.0
    );
    let bad = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/assignUserCredits",
            "userAssignments=%5Bnot json&f=json",
        )
        .await;
    assert_eq!(error_code(&bad), Some(400));
}

#[tokio::test]
async fn members_cannot_use_admin_operations() {
    let p = Portal::new(30);
    let member = p.member_with("role = 'org_user' AND role_id IS NULL");
    let t = p.token(&member, DEMO_PASSWORD).await;
    for (path, body) in [
        (
            "/sharing/rest/portals/self/updateUserRole",
            format!("user={member}&role=org_admin"),
        ),
        (
            "/sharing/rest/portals/self/disableUsers",
            format!("users={ADMIN}"),
        ),
        (
            "/sharing/rest/portals/self/updateUserLicenseType",
            format!("users={member}&userLicenseType=creatorUT"),
        ),
        (
            "/sharing/rest/portals/self/removeUsers",
            format!("users={ADMIN}"),
        ),
    ] {
        let v = p.post_as(&t, path, &body).await;
        assert_eq!(error_code(&v), Some(403), "{path}: {v}");
    }
}

#[tokio::test]
async fn the_enterprise_profile_creates_users_through_portaladmin() {
    let config = portal_emulator::Config {
        profile: portal_emulator::Profile::Enterprise,
        ..Default::default()
    };
    let p = Portal::with_config(0, config);
    let t = p.admin_token().await;
    let me = p.get_as(&t, "/sharing/rest/portals/self?f=json").await;
    assert_eq!(me["portalMode"], "singletenant");
    let cfg = p.get_as(&t, "/portaladmin/security/config?f=json").await;
    assert_eq!(cfg["defaultUserTypeIdForUser"], "creatorUT");
    let body = "username=ent_user1&password=ent-pass-12&firstname=Ent&lastname=User&email=ent@example.com&role=org_user&userLicenseTypeId=creatorUT&f=json";
    let v = p
        .post_as(&t, "/portaladmin/security/users/createUser", body)
        .await;
    assert_eq!(v, serde_json::json!({"status": "success"}));
    assert_eq!(
        p.get_as(&t, "/sharing/rest/community/users/ent_user1?f=json")
            .await["fullName"],
        "Ent User"
    );
    let long = p
        .post_as(
            &t,
            "/portaladmin/security/users/createUser",
            &body.replace("ent_user1", "a_name_longer_than_24_chars"),
        )
        .await;
    assert_eq!(error_code(&long), Some(400));
    let agol = Portal::new(0);
    let at = agol.admin_token().await;
    assert_eq!(
        error_code(
            &agol
                .post_as(&at, "/portaladmin/security/users/createUser", body)
                .await
        ),
        Some(400)
    );
}

#[tokio::test]
async fn custom_roles_are_created_given_privileges_and_deleted_only_when_unused() {
    let p = Portal::new(10);
    let t = p.admin_token().await;
    let v = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/createRole",
            "name=Auditors&description=Read+only+admins&f=json",
        )
        .await;
    let id = v["id"].as_str().unwrap().to_string();
    let set = p
        .post_as(&t, &format!("/sharing/rest/portals/self/roles/{id}/setPrivileges"), "privileges=%7B%22privileges%22%3A%5B%22portal%3Aadmin%3AviewUsers%22%2C%22portal%3Auser%3AjoinGroup%22%5D%7D&f=json")
        .await;
    assert_eq!(set["success"], true, "{set}");
    let privs = p
        .get_as(
            &t,
            &format!("/sharing/rest/portals/self/roles/{id}/privileges?f=json"),
        )
        .await;
    assert_eq!(
        privs["privileges"],
        serde_json::json!(["portal:admin:viewUsers", "portal:user:joinGroup"])
    );
    let member = p.member_with(
        "user_license_type_id = 'creatorUT' AND role = 'org_user' AND role_id IS NULL",
    );
    p.post_as(
        &t,
        "/sharing/rest/portals/self/updateUserRole",
        &format!("user={member}&role={id}&f=json"),
    )
    .await;
    let u = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/users/{member}?f=json"),
        )
        .await;
    assert_eq!(
        u["role"], "org_admin",
        "an admin privilege makes the base level admin"
    );
    assert_eq!(u["roleId"], id.as_str());
    let held = p
        .post_as(
            &t,
            &format!("/sharing/rest/portals/self/roles/{id}/delete"),
            "f=json",
        )
        .await;
    assert_eq!(error_code(&held), Some(400));
    let builtin = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/roles/iAAAAAAAAAAAAAAA/delete",
            "f=json",
        )
        .await;
    assert_eq!(error_code(&builtin), Some(400));
    let counts = p
        .get_as(
            &t,
            "/sharing/rest/portals/self/users/counts?type=role&f=json",
        )
        .await;
    assert!(counts["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["key"] == id.as_str() && r["count"] == 1));
}

#[tokio::test]
async fn a_member_resets_their_own_password_with_the_current_one() {
    let p = Portal::new(10);
    let m = p.member_with("role = 'org_user'");
    let t = p.token(&m, DEMO_PASSWORD).await;
    let wrong = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{m}/reset"),
            "password=nope&newPassword=brand-new-pass-1&f=json",
        )
        .await;
    assert_eq!(error_code(&wrong), Some(400));
    let ok = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{m}/reset"),
            &format!("password={DEMO_PASSWORD}&newPassword=brand-new-pass-1&f=json"),
        )
        .await;
    assert_eq!(ok["success"], true);
    p.token(&m, "brand-new-pass-1").await;
}
