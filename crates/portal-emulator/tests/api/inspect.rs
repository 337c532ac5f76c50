//! `inspect` answers what the API answers: other crates' tests rely on it instead of the
//! portal's tables, so each helper is checked here against the API's own view.

use std::collections::BTreeSet;

use portal_emulator::inspect::{self, UserFacts};
use serde_json::Value;

use crate::support::{Portal, ADMIN};

fn names(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn members_and_their_fields_are_what_the_api_shows() {
    let p = Portal::new(30);
    let t = p.admin_token().await;
    let listing = p
        .get_as(&t, "/sharing/rest/portals/self/users?num=1&f=json")
        .await;
    assert_eq!(inspect::user_count(&p.state).unwrap(), listing["total"]);

    let name = p.member_with("role_id IS NOT NULL");
    let v = p
        .get_as(&t, &format!("/sharing/rest/community/users/{name}?f=json"))
        .await;
    let facts = inspect::user_row(&p.state, &name.to_uppercase())
        .unwrap()
        .expect("found in any case");
    assert_eq!(
        facts,
        UserFacts {
            username: name.clone(),
            full_name: v["fullName"].as_str().unwrap().into(),
            email: v["email"].as_str().unwrap().into(),
            description: v["description"].as_str().map(String::from),
            access: v["access"].as_str().unwrap().into(),
            role: v["role"].as_str().unwrap().into(),
            role_id: v["roleId"].as_str().map(String::from),
            user_type: v["userLicenseTypeId"].as_str().unwrap().into(),
            disabled: v["disabled"].as_bool().unwrap(),
            assigned_credits: v["assignedCredits"].as_f64().unwrap(),
        }
    );
    assert!(facts.role_id.is_some());
    assert_eq!(inspect::user_row(&p.state, "nobody_here").unwrap(), None);
}

#[tokio::test]
async fn groups_owners_and_memberships_are_what_the_api_shows() {
    let p = Portal::new(60);
    let t = p.admin_token().await;
    let all = inspect::memberships(&p.state).unwrap();
    let found = p
        .get_as(&t, "/sharing/rest/community/groups?q=*&num=100&f=json")
        .await;
    let groups = found["results"].as_array().unwrap();
    assert!(groups.len() >= 5, "the seeded org has groups");
    let mut in_groups = 0;
    for g in groups {
        let id = g["id"].as_str().unwrap();
        let users = p
            .get_as(
                &t,
                &format!("/sharing/rest/community/groups/{id}/users?f=json"),
            )
            .await;
        let mut listed = names(&users["admins"]);
        listed.extend(names(&users["users"]));
        let held: BTreeSet<String> = inspect::group_member_names(&p.state, id)
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(held, listed, "{id}");
        assert_eq!(
            inspect::group_owner(&p.state, id).unwrap().as_deref(),
            users["owner"].as_str()
        );
        in_groups += held.len();
        for name in &held {
            assert!(
                all.iter().any(|m| &m.username == name && m.group_id == id),
                "{name} in {id}"
            );
        }
    }
    assert_eq!(all.len(), in_groups, "every membership, once");
    assert_eq!(inspect::group_owner(&p.state, "0123nope").unwrap(), None);

    let owned = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/groups?q=owner:{ADMIN}&num=100&f=json"),
        )
        .await;
    let owned: BTreeSet<String> = owned["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect();
    let held: BTreeSet<String> = inspect::groups_owned_by(&p.state, ADMIN)
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(held, owned);

    let member = all.iter().find(|m| m.member_type == "member").unwrap();
    let own = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/users/{}?f=json", member.username),
        )
        .await;
    let listed: BTreeSet<String> = own["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect();
    let held: BTreeSet<String> = inspect::user_group_ids(&p.state, &member.username)
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(held, listed);
}

#[tokio::test]
async fn invitations_are_counted_as_the_api_lists_them() {
    let p = Portal::new(30);
    let t = p.admin_token().await;
    let listed = p
        .get_as(&t, "/sharing/rest/portals/self/invitations?num=1&f=json")
        .await;
    assert_eq!(
        inspect::open_org_invitation_count(&p.state).unwrap(),
        listed["total"]
    );
    let list = r#"{"invitations":[{"email":"ada@example.com"}]}"#;
    let sent = p
        .post_as(
            &t,
            "/sharing/rest/portals/self/invite",
            &format!("invitationList={}&f=json", crate::support::urlencode(list)),
        )
        .await;
    assert_eq!(sent["notInvited"], serde_json::json!([]), "{sent}");
    assert_eq!(
        inspect::open_org_invitation_count(&p.state).unwrap(),
        listed["total"].as_i64().unwrap() + 1
    );
    assert_eq!(inspect::open_invitation_count(&p.state, ADMIN).unwrap(), 0);
    let newest = p
        .get_as(&t, "/sharing/rest/portals/self/invitations?num=1&f=json")
        .await;
    let id = newest["invitations"][0]["id"].as_str().unwrap().to_string();
    assert!(inspect::org_invitation_exists(&p.state, &id).unwrap());
    p.post_as(
        &t,
        &format!("/sharing/rest/portals/self/invitations/{id}/delete"),
        "f=json",
    )
    .await;
    assert!(!inspect::org_invitation_exists(&p.state, &id).unwrap());
    assert_eq!(
        inspect::open_org_invitation_count(&p.state).unwrap(),
        listed["total"]
    );
}
