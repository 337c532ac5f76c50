use serde_json::json;

use crate::support::{error_code, Portal, ADMIN};
use portal_emulator::seed::DEMO_PASSWORD;

async fn new_group(p: &Portal, token: &str, title: &str) -> String {
    let v = p
        .post_as(
            token,
            "/sharing/rest/community/createGroup",
            &format!("title={title}&access=org&tags=a,b&f=json"),
        )
        .await;
    assert_eq!(v["success"], true, "{v}");
    v["group"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn add_and_remove_members_in_batches_of_25_and_retries_are_harmless() {
    let p = Portal::new(80);
    let t = p.admin_token().await;
    let g = new_group(&p, &t, "Bulk").await;
    let names: Vec<String> = {
        let conn = p.state.db.get().unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT username FROM users WHERE builtin_admin = 0 ORDER BY username LIMIT 26",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let too_many = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/addUsers"),
            &format!("users={}&f=json", names.join(",")),
        )
        .await;
    assert_eq!(error_code(&too_many), Some(400));
    let batch = &names[..25];
    let body = format!("users={},ghost_user&f=json", batch[..24].join(","));
    let v = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/addUsers"),
            &body,
        )
        .await;
    assert_eq!(v["notAdded"], json!(["ghost_user"]));
    let again = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/addUsers"),
            &body,
        )
        .await;
    assert_eq!(
        again["notAdded"],
        json!(["ghost_user"]),
        "members already in stay, nothing is doubled"
    );
    let list = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/userList?num=100&f=json"),
        )
        .await;
    assert_eq!(list["total"], 24);
    assert_eq!(list["owner"]["username"], ADMIN);
    let users = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/users?f=json"),
        )
        .await;
    assert_eq!(users["users"].as_array().unwrap().len(), 24);
    assert_eq!(users["admins"], json!([ADMIN]));
    let removed = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/removeUsers"),
            &format!("users={},{ADMIN}&f=json", batch[0]),
        )
        .await;
    assert_eq!(
        removed["notRemoved"],
        json!([ADMIN]),
        "the owner cannot be removed"
    );
    let list = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/userList?num=100&f=json"),
        )
        .await;
    assert_eq!(list["total"], 23);
}

#[tokio::test]
async fn group_invitations_are_accepted_or_declined_by_the_invitee() {
    let p = Portal::new(40);
    let t = p.admin_token().await;
    let g = new_group(&p, &t, "Invited").await;
    let a = p.member_with("role = 'org_user' AND role_id IS NULL");
    let b = p.member_with(&format!("role = 'org_user' AND username <> '{a}'"));
    let v = p
        .post_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/invite"),
            &format!("users={a},{b}&role=group_admin&expiration=1440&f=json"),
        )
        .await;
    assert_eq!(v["success"], true);
    for (who, accept) in [(&a, true), (&b, false)] {
        let wt = p.token(who, DEMO_PASSWORD).await;
        let list = p
            .get_as(
                &wt,
                &format!("/sharing/rest/community/users/{who}/invitations?f=json"),
            )
            .await;
        let inv = &list["userInvitations"][0];
        assert_eq!(inv["groupId"], g.as_str());
        let id = inv["id"].as_str().unwrap();
        let one = p
            .get_as(
                &wt,
                &format!("/sharing/rest/community/users/{who}/invitations/{id}?f=json"),
            )
            .await;
        assert_eq!(one["group"]["title"], "Invited");
        let op = if accept { "accept" } else { "decline" };
        let r = p
            .post_as(
                &wt,
                &format!("/sharing/rest/community/users/{who}/invitations/{id}/{op}"),
                "f=json",
            )
            .await;
        assert_eq!(r["success"], true);
        assert_eq!(r["groupId"], g.as_str());
    }
    let users = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/users?f=json"),
        )
        .await;
    assert!(
        users["admins"].as_array().unwrap().contains(&json!(a)),
        "accepted as group_admin: {users}"
    );
    assert!(!users["users"].as_array().unwrap().contains(&json!(b)));
}

#[tokio::test]
async fn private_groups_are_invisible_to_outsiders_and_members_cannot_manage_them() {
    let p = Portal::new(40);
    let t = p.admin_token().await;
    let v = p
        .post_as(
            &t,
            "/sharing/rest/community/createGroup",
            "title=Secret&access=private&f=json",
        )
        .await;
    let g = v["group"]["id"].as_str().unwrap().to_string();
    let m = p.member_with("role = 'org_user' AND role_id IS NULL");
    let mt = p.token(&m, DEMO_PASSWORD).await;
    let hidden = p
        .get_as(&mt, &format!("/sharing/rest/community/groups/{g}?f=json"))
        .await;
    assert_eq!(
        hidden["error"]["message"],
        "Group does not exist or is inaccessible."
    );
    p.post_as(
        &t,
        &format!("/sharing/rest/community/groups/{g}/addUsers"),
        &format!("users={m}&f=json"),
    )
    .await;
    let seen = p
        .get_as(&mt, &format!("/sharing/rest/community/groups/{g}?f=json"))
        .await;
    assert_eq!(seen["userMembership"]["memberType"], "member");
    let denied = p
        .post_as(
            &mt,
            &format!("/sharing/rest/community/groups/{g}/addUsers"),
            &format!("users={ADMIN}&f=json"),
        )
        .await;
    assert_eq!(error_code(&denied), Some(403));
    let left = p
        .post_as(
            &mt,
            &format!("/sharing/rest/community/groups/{g}/leave"),
            "f=json",
        )
        .await;
    assert_eq!(left["success"], true);
}

#[tokio::test]
async fn group_search_finds_by_title_and_owner_and_pages() {
    let p = Portal::new(300);
    let t = p.admin_token().await;
    let all = p
        .get_as(&t, "/sharing/rest/community/groups?q=*&num=2&f=json")
        .await;
    assert_eq!(all["total"], 6, "300 members seed 6 groups");
    assert_eq!(all["nextStart"], 3);
    let planning = p
        .get_as(
            &t,
            "/sharing/rest/community/groups?q=title:Planning&num=100&f=json",
        )
        .await;
    for g in planning["results"].as_array().unwrap() {
        assert!(g["title"].as_str().unwrap().contains("Planning"));
    }
    let bad_sort = p
        .get_as(
            &t,
            "/sharing/rest/community/groups?q=*&sortField=shoe&f=json",
        )
        .await;
    assert_eq!(error_code(&bad_sort), Some(400));
    assert!(bad_sort["error"]["message"]
        .as_str()
        .unwrap()
        .contains("title, owner, created, modified"));
    let newest = p
        .get_as(
            &t,
            "/sharing/rest/community/groups?q=*&sortField=CREATED&sortOrder=desc&num=100&f=json",
        )
        .await;
    let created: Vec<i64> = newest["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["created"].as_i64().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let owned = p
        .get_as(
            &t,
            &format!("/sharing/rest/community/groups?q=owner:{ADMIN}&num=100&f=json"),
        )
        .await;
    for g in owned["results"].as_array().unwrap() {
        assert_eq!(g["owner"], ADMIN);
    }
}

#[tokio::test]
async fn deleting_a_group_removes_its_memberships() {
    let p = Portal::new(20);
    let t = p.admin_token().await;
    let g = new_group(&p, &t, "Temporary").await;
    let m = p.member_with("1");
    p.post_as(
        &t,
        &format!("/sharing/rest/community/groups/{g}/addUsers"),
        &format!("users={m}&f=json"),
    )
    .await;
    assert_eq!(
        p.post_as(
            &t,
            &format!("/sharing/rest/community/groups/{g}/delete"),
            "f=json"
        )
        .await["success"],
        true
    );
    let gone = p
        .get_as(&t, &format!("/sharing/rest/community/groups/{g}?f=json"))
        .await;
    assert_eq!(error_code(&gone), Some(400));
    let n: i64 = p
        .state
        .db
        .get()
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM group_members WHERE group_id = ?1",
            [&g],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
}
