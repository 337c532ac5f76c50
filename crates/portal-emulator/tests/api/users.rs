use std::collections::HashSet;

use crate::support::{error_code, urlencode, Portal, ADMIN};

#[tokio::test]
async fn a_user_is_found_by_username_in_any_case_and_by_id() {
    let p = Portal::new(20);
    let t = p.admin_token().await;
    let name = p.member_with("1");
    let by_name = p
        .get_as(
            &t,
            &format!(
                "/sharing/rest/community/users/{}?f=json",
                name.to_uppercase()
            ),
        )
        .await;
    assert_eq!(by_name["username"], name.as_str());
    let id = by_name["id"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    let by_id = p
        .get_as(&t, &format!("/sharing/rest/community/users/{id}?f=json"))
        .await;
    assert_eq!(by_id["username"], name.as_str());
}

#[tokio::test]
async fn an_unknown_user_gets_the_text_the_python_client_matches() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let v = p
        .get_as(&t, "/sharing/rest/community/users/nobody_at_all?f=json")
        .await;
    assert_eq!(error_code(&v), Some(400));
    assert_eq!(
        v["error"]["message"],
        "User does not exist or is inaccessible."
    );
}

#[tokio::test]
async fn the_self_view_has_privileges_and_groups_and_admins_are_recognisable() {
    let p = Portal::new(60);
    let t = p.admin_token().await;
    let me = p.get_as(&t, "/sharing/rest/community/self?f=json").await;
    let privileges: Vec<&str> = me["privileges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(privileges.iter().any(|p| p.contains(":admin:")));
    assert!(
        me["groups"].as_array().is_some_and(|g| !g.is_empty()),
        "the seeding admin owns groups"
    );
    let group = &me["groups"][0];
    assert_eq!(group["userMembership"]["username"], ADMIN);
    assert!(group["id"].is_string() && group["owner"].is_string());
}

#[tokio::test]
async fn members_do_not_see_private_profiles_nor_other_members_private_fields() {
    let p = Portal::new(200);
    let member = p.member_with("role = 'org_user' AND role_id IS NULL AND access <> 'private'");
    let t = p.token(&member, portal_emulator::seed::DEMO_PASSWORD).await;
    let private = p.member_with("access = 'private'");
    let hidden = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/users/{private}?f=json"),
        )
        .await;
    assert_eq!(
        hidden["error"]["message"],
        "User does not exist or is inaccessible."
    );
    let other = p.member_with(&format!("access = 'org' AND username <> '{member}'"));
    let seen = p
        .get_as(&t, &format!("/sharing/rest/community/users/{other}?f=json"))
        .await;
    assert_eq!(seen["username"], other.as_str());
    assert!(
        seen.get("email").is_none()
            && seen.get("privileges").is_none()
            && seen.get("role").is_none(),
        "{seen}"
    );
    let admin = p.admin_token().await;
    let full = p
        .get_as(
            &admin,
            &format!("/sharing/rest/community/users/{private}?f=json"),
        )
        .await;
    assert!(
        full["email"].is_string(),
        "an admin sees private profiles and their email"
    );
}

#[tokio::test]
async fn search_pages_with_next_start_until_minus_one_and_returns_each_match_once() {
    let p = Portal::new(150);
    let t = p.admin_token().await;
    let mut seen = HashSet::new();
    let mut start = 1;
    let mut total = None;
    loop {
        let v = p
            .get_as(&t, &format!("/sharing/rest/community/users?q=username:j*&num=7&start={start}&sortField=username&f=json"))
            .await;
        total.get_or_insert(v["total"].as_i64().unwrap());
        for u in v["results"].as_array().unwrap() {
            let name = u["username"].as_str().unwrap();
            assert!(name.starts_with('j'), "{name} does not match username:j*");
            assert!(seen.insert(name.to_string()), "{name} returned twice");
        }
        start = v["nextStart"].as_i64().unwrap();
        if start == -1 {
            break;
        }
    }
    assert_eq!(seen.len() as i64, total.unwrap());
    assert!(!seen.is_empty());
}

#[tokio::test]
async fn search_understands_the_query_syntax_the_clients_send() {
    let p = Portal::new(120);
    let t = p.admin_token().await;
    let org = p.get_as(&t, "/sharing/rest/portals/self?f=json").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let all = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/users?q=accountid:{org}&num=1&f=json"),
        )
        .await;
    assert_eq!(all["total"], 121);
    let none = p
        .get_as(
            &t,
            "/sharing/rest/community/users?q=accountid:someotherorg&f=json",
        )
        .await;
    assert_eq!(none["total"], 0);
    let admins = p
        .get_as(&t, &format!("/sharing/rest/community/users?q=(role:org_admin OR role:org_publisher) AND accountid:{org}&num=100&f=json"))
        .await;
    for u in admins["results"].as_array().unwrap() {
        assert!(
            ["org_admin", "org_publisher"].contains(&u["role"].as_str().unwrap()),
            "{u}"
        );
    }
    let not_admins = p
        .get_as(
            &t,
            "/sharing/rest/community/users?q=* -role:org_admin&num=1&f=json",
        )
        .await;
    assert_eq!(
        not_admins["total"].as_i64().unwrap()
            + p.get_as(
                &t,
                "/sharing/rest/community/users?q=role:org_admin&num=1&f=json"
            )
            .await["total"]
                .as_i64()
                .unwrap(),
        121
    );
    let never = p
        .get_as(
            &t,
            "/sharing/rest/community/users?q=lastlogin:[* TO 0]&num=100&f=json",
        )
        .await;
    for u in never["results"].as_array().unwrap() {
        assert_eq!(u["lastLogin"], -1);
    }
}

#[tokio::test]
async fn a_query_the_parser_rejects_gets_a_clear_400() {
    let p = Portal::new(0);
    let t = p.admin_token().await;
    let v = p
        .get_as(&t, "/sharing/rest/community/users?q=(username:a&f=json")
        .await;
    assert_eq!(error_code(&v), Some(400));
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Invalid query"));
    let sort = p
        .get_as(
            &t,
            "/sharing/rest/community/users?q=*&sortField=shoe&f=json",
        )
        .await;
    assert!(sort["error"]["message"]
        .as_str()
        .unwrap()
        .contains("sortField"));
    let num = p
        .get_as(&t, "/sharing/rest/community/users?q=*&num=99999999&f=json")
        .await;
    assert!(num["results"].as_array().unwrap().len() <= 100);
}

#[tokio::test]
async fn search_stops_at_ten_thousand_but_the_org_listing_goes_on() {
    let p = Portal::new(10_050);
    let t = p.admin_token().await;
    let first = p
        .get_as(&t, "/sharing/rest/community/users?q=*&num=100&f=json")
        .await;
    assert_eq!(first["total"], 10_000);
    let last = p
        .get_as(
            &t,
            "/sharing/rest/community/users?q=*&num=100&start=9901&f=json",
        )
        .await;
    assert_eq!(last["results"].as_array().unwrap().len(), 100);
    assert_eq!(last["nextStart"], -1);
    let beyond = p
        .get_as(
            &t,
            "/sharing/rest/community/users?q=*&num=100&start=10001&f=json",
        )
        .await;
    assert!(beyond["results"].as_array().unwrap().is_empty());

    let listing = p
        .get_as(
            &t,
            "/sharing/rest/portals/self/users?num=100&start=10001&f=json",
        )
        .await;
    assert_eq!(listing["total"], 10_051);
    assert_eq!(listing["users"].as_array().unwrap().len(), 51);
    assert_eq!(listing["nextStart"], -1);
    let middle = p
        .get_as(
            &t,
            "/sharing/rest/portals/self/users?num=100&start=9901&f=json",
        )
        .await;
    assert_eq!(middle["nextStart"], 10_001);
}

#[tokio::test]
async fn the_org_listing_filters_by_role_and_user_type() {
    let p = Portal::new(300);
    let t = p.admin_token().await;
    let viewers = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/users",
            "userLicenseType=viewerUT&num=100&f=json",
        )
        .await;
    assert!(viewers["total"].as_i64().unwrap() > 0);
    for u in viewers["users"].as_array().unwrap() {
        assert_eq!(u["userLicenseTypeId"], "viewerUT");
    }
    let sorted = p
        .get_as(
            &t,
            "/sharing/rest/portals/self/users?sortField=created&sortOrder=desc&num=50&f=json",
        )
        .await;
    let created: Vec<i64> = sorted["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["created"].as_i64().unwrap())
        .collect();
    assert!(
        created.windows(2).all(|w| w[0] >= w[1]),
        "sorted by created, newest first"
    );
}

/// Every member, with the admin's view (email included), from the org listing.
async fn all_members(p: &Portal, t: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut start = 1;
    while start != -1 {
        let v = p
            .get_as(
                t,
                &format!("/sharing/rest/portals/self/users?start={start}&num=100&f=json"),
            )
            .await;
        out.extend(v["users"].as_array().unwrap().iter().cloned());
        start = v["nextStart"].as_i64().unwrap();
    }
    out
}

#[tokio::test]
async fn free_text_finds_exactly_the_members_whose_names_or_email_hold_it() {
    let p = Portal::new(300);
    let t = p.admin_token().await;
    let members = all_members(&p, &t).await;
    let text = |u: &serde_json::Value, f: &str| u[f].as_str().unwrap_or("").to_lowercase();
    let first = &members[40];
    let next = &members[41];
    let full = text(first, "fullName");
    let name = text(next, "username");
    let needles = vec![
        // A piece of a full name, in another case.
        full[1..full.len().min(5)].to_uppercase(),
        // A piece of a username.
        name[..3].to_string(),
        // A full name's end and the next member's start: never a match across members.
        format!("{}{}", &full[full.len() - 2..], &name[..2]),
        // An email matches whole, for an administrator.
        text(first, "email"),
        "nobody-has-this".to_string(),
    ];
    for needle in needles {
        let lc = needle.to_lowercase();
        let expected: HashSet<String> = members
            .iter()
            .filter(|u| {
                text(u, "username").contains(&lc)
                    || text(u, "fullName").contains(&lc)
                    || text(u, "email") == lc
            })
            .map(|u| u["username"].as_str().unwrap().to_string())
            .collect();
        let v = p
            .get_as(
                &t,
                &format!(
                    "/sharing/rest/community/users?q={}&num=100&f=json",
                    urlencode(&needle)
                ),
            )
            .await;
        let found: HashSet<String> = v["results"]
            .as_array()
            .unwrap_or_else(|| panic!("{needle}: {v}"))
            .iter()
            .map(|u| u["username"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(found, expected, "free text {needle:?}");
        assert_eq!(v["total"].as_u64().unwrap() as usize, expected.len());
    }
}

/// A portal that does not keep rendered members (the one inside the app) lists the same
/// members with the same fields, and a change shows in the next listing.
#[tokio::test]
async fn without_kept_json_listings_are_the_same_and_follow_changes() {
    let config = portal_emulator::Config {
        keep_rendered_members: false,
        ..Default::default()
    };
    let p = Portal::with_config(40, config);
    let kept = Portal::new(40);
    let t = p.admin_token().await;
    let uri = "/sharing/rest/portals/self/users?num=100&f=json";
    let listed = p.get_as(&t, uri).await;
    let reference = kept.get_as(&kept.admin_token().await, uri).await;
    let fields = |v: &serde_json::Value| -> Vec<Vec<String>> {
        v["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                let mut keys: Vec<String> = u.as_object().unwrap().keys().cloned().collect();
                keys.sort();
                keys
            })
            .collect()
    };
    assert_eq!(listed["users"].as_array().unwrap().len(), 41);
    assert_eq!(
        fields(&listed),
        fields(&reference),
        "the same fields for every member"
    );
    let someone = p.member_with("disabled = 0");
    let changed = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/users/{someone}/update"),
            "description=rendered%20afresh&f=json",
        )
        .await;
    assert_eq!(changed["success"], true, "{changed}");
    let again = p.get_as(&t, uri).await;
    let user = again["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == someone.as_str())
        .unwrap()
        .clone();
    assert_eq!(user["description"], "rendered afresh");
}
