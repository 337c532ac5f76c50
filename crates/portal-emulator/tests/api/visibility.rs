//! Who learns what about a member (docs/SECURITY.md, Search and visibility), as a matrix:
//! caller class (administrator, the member themselves, another member, no token) × field ×
//! {read it on the record, filter by it, sort by it}. A field is public or private; what a
//! caller cannot read, they cannot filter or sort by either. And a private account is seen
//! by no one but its owner and administrators: not by id, not in a search, not in a group's
//! member lists, not counted.

use serde_json::Value;

use crate::support::{error_code, urlencode, Portal, ADMIN};
use portal_emulator::seed::DEMO_PASSWORD;

/// Record fields anyone who may see a member reads (written out here, independently of the
/// portal's own table, so a change to either is caught).
const PUBLIC: &[&str] = &[
    "username",
    "udn",
    "id",
    "fullName",
    "firstName",
    "lastName",
    "description",
    "tags",
    "culture",
    "region",
    "units",
    "thumbnail",
    "created",
    "modified",
    "provider",
    "orgId",
];

/// Private record fields the matrix checks by name (the record holds more; every field not
/// in `PUBLIC` is checked private by `records_show_each_caller_exactly_what_they_may_read`).
const PRIVATE: &[&str] = &[
    "email",
    "role",
    "roleId",
    "lastLogin",
    "disabled",
    "userType",
    "userLicenseTypeId",
    "level",
    "privileges",
    "groups",
    "assignedCredits",
    "availableCredits",
    "mfaEnabled",
    "access",
    "idpUsername",
    "storageUsage",
];

/// Search terms, each on a field, and whether the field is public.
const TERMS: &[(&str, bool)] = &[
    ("username:a*", true),
    ("id:0", true),
    ("fullname:a", true),
    ("firstname:a", true),
    ("lastname:a", true),
    ("description:a", true),
    ("tags:a", true),
    ("provider:arcgis", true),
    ("orgid:*", true),
    ("created:[0 TO 9999999999999]", true),
    ("modified:[0 TO 9999999999999]", true),
    ("email:a*", false),
    ("role:org_user", false),
    ("roleid:iAAAAAAAAAAAAAAA", false),
    ("lastlogin:[0 TO 9999999999999]", false),
    ("disabled:false", false),
    ("usertype:creatorUT", false),
    ("userlicensetype:creatorUT", false),
    ("userlicensetypeid:creatorUT", false),
];

/// Sort fields, the endpoint that offers each, and whether the field is public.
const SORTS: &[(&str, &str, bool)] = &[
    ("username", "community/users", true),
    ("fullname", "community/users", true),
    ("created", "community/users", true),
    ("modified", "community/users", true),
    ("firstname", "portals/self/users", true),
    ("lastname", "portals/self/users", true),
    ("lastlogin", "community/users", false),
    ("role", "community/users", false),
    ("email", "portals/self/users", false),
    ("level", "portals/self/users", false),
    ("mfaenabled", "portals/self/users", false),
    ("usertype", "portals/self/users", false),
    ("userlicensetype", "portals/self/users", false),
];

/// A portal, an administrator's token, a plain member's token and name, and a private
/// member's name.
async fn org() -> (Portal, String, String, String, String) {
    let p = Portal::new(60);
    let admin = p.admin_token().await;
    let member = p.member_with("role = 'org_user' AND role_id IS NULL AND access <> 'private'");
    let t = p.token(&member, DEMO_PASSWORD).await;
    let private = p.member_with("access = 'private' AND role = 'org_user' AND role_id IS NULL");
    (p, admin, t, member, private)
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not a record: {v}"))
        .keys()
        .cloned()
        .collect()
}

#[tokio::test]
async fn records_show_each_caller_exactly_what_they_may_read() {
    let (p, admin, t, member, _) = org().await;
    let other = p.member_with(&format!("access = 'public' AND username <> '{member}'"));
    // A custom role, so that `roleId` is on the record to be shown or hidden.
    let conn = p.state.db.get().unwrap();
    conn.execute(
        "UPDATE users SET role_id = 'iBBBBBBBBBBBBBBB' WHERE username IN (?1, ?2)",
        [&member, &other],
    )
    .unwrap();
    drop(conn);
    let url = |u: &str| format!("/sharing/rest/community/users/{u}?f=json");
    let as_admin = p.get_as(&admin, &url(&other)).await;
    let as_self = p.get_as(&t, &url(&member)).await;
    let as_member = p.get_as(&t, &url(&other)).await;
    let as_anonymous = p.get(&url(&other)).await;
    for field in PUBLIC.iter().chain(PRIVATE) {
        let public = PUBLIC.contains(field);
        for (class, record, reads) in [
            ("admin", &as_admin, true),
            ("self", &as_self, true),
            ("member", &as_member, public),
            ("anonymous", &as_anonymous, public),
        ] {
            assert_eq!(
                record.get(*field).is_some(),
                reads,
                "{class} reading {field}: {record}"
            );
        }
    }
    // Whatever else the record holds is private: a field added later is hidden by default.
    for (class, record) in [("member", &as_member), ("anonymous", &as_anonymous)] {
        for k in keys(record) {
            assert!(PUBLIC.contains(&k.as_str()), "{class} reads {k}");
        }
    }
    for k in keys(&as_admin) {
        assert!(
            PUBLIC.contains(&k.as_str()) || as_member.get(&k).is_none(),
            "{k} is neither public nor hidden from members"
        );
    }
}

#[tokio::test]
async fn a_caller_filters_only_by_fields_they_may_read() {
    let (p, admin, t, member, _) = org().await;
    for (term, public) in TERMS {
        let field = term.split(':').next().unwrap();
        for (class, token, allowed) in [("admin", &admin, true), ("member", &t, *public)] {
            for param in ["q", "filter"] {
                let uri = format!(
                    "/sharing/rest/community/users?{param}={}&f=json",
                    urlencode(term)
                );
                let v = p.get_as(token, &uri).await;
                if allowed {
                    assert_eq!(error_code(&v), None, "{class} {param}={term}: {v}");
                } else {
                    assert_eq!(error_code(&v), Some(400), "{class} {param}={term}: {v}");
                    let message = v["error"]["message"].as_str().unwrap();
                    assert!(message.contains(field), "the refusal names {field}: {v}");
                }
            }
        }
    }
    // The field is refused however it is hidden in the query: nested, negated, in an OR.
    for q in [
        "(a OR (b AND NOT email:x*))",
        "-role:org_admin",
        "username:a* OR lastlogin:[0 TO 1]",
    ] {
        let uri = format!("/sharing/rest/community/users?q={}&f=json", urlencode(q));
        assert_eq!(error_code(&p.get_as(&t, &uri).await), Some(400), "{q}");
        assert_eq!(error_code(&p.get_as(&admin, &uri).await), None, "{q}");
    }
    // Free text searches the email only for those who read it.
    let email: String = {
        let conn = p.state.db.get().unwrap();
        let other = p.member_with(&format!("access = 'org' AND username <> '{member}'"));
        conn.query_row(
            "SELECT email FROM users WHERE username = ?1",
            [&other],
            |r| r.get(0),
        )
        .unwrap()
    };
    let uri = format!(
        "/sharing/rest/community/users?q={}&f=json",
        urlencode(&email)
    );
    assert!(p.get_as(&admin, &uri).await["total"].as_i64() >= Some(1));
    assert_eq!(p.get_as(&t, &uri).await["total"], 0);
    // The org listing's own filters follow the same rule.
    for (param, public) in [
        ("role", false),
        ("userLicenseType", false),
        ("username", true),
    ] {
        let uri = format!("/sharing/rest/portals/self/users?{param}=x&f=json");
        let v = p.get_as(&t, &uri).await;
        assert_eq!(error_code(&v).is_none(), public, "member, {param}: {v}");
        assert_eq!(error_code(&p.get_as(&admin, &uri).await), None, "{param}");
    }
}

#[tokio::test]
async fn a_caller_sorts_only_by_fields_they_may_read() {
    let (p, admin, t, _, _) = org().await;
    for (field, endpoint, public) in SORTS {
        let uri = format!("/sharing/rest/{endpoint}?sortField={field}&f=json");
        let v = p.get_as(&admin, &uri).await;
        assert_eq!(error_code(&v), None, "admin sorts by {field}: {v}");
        let v = p.get_as(&t, &uri).await;
        if *public {
            assert_eq!(error_code(&v), None, "member sorts by {field}: {v}");
        } else {
            assert_eq!(error_code(&v), Some(400), "member sorts by {field}: {v}");
            assert!(v["error"]["message"].as_str().unwrap().contains(field));
        }
    }
}

#[tokio::test]
async fn private_accounts_are_seen_only_by_their_owner_and_administrators() {
    let (p, admin, t, member, private) = org().await;
    let private_token = p.token(&private, DEMO_PASSWORD).await;
    let by_name = format!("/sharing/rest/community/users/{private}?f=json");
    let id = p.get_as(&admin, &by_name).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let by_id = format!("/sharing/rest/community/users/{id}?f=json");
    let search = format!(
        "/sharing/rest/community/users?q={}&num=100&f=json",
        urlencode(&format!("username:{private}"))
    );
    // A group everyone may see, holding the private member and the plain one.
    let group = p
        .post_as(
            &admin,
            "/sharing/rest/community/createGroup",
            "title=Everyone&access=public&tags=x&f=json",
        )
        .await["group"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let added = p
        .post_as(
            &admin,
            &format!("/sharing/rest/community/groups/{group}/addUsers"),
            &format!("users={private},{member}&f=json"),
        )
        .await;
    assert_eq!(added["notAdded"], serde_json::json!([]), "{added}");
    let users = format!("/sharing/rest/community/groups/{group}/users?f=json");
    let list = format!("/sharing/rest/community/groups/{group}/userList?num=100&f=json");
    let lists_private = |v: &Value| v.to_string().contains(&format!("\"{private}\""));
    for (class, token, sees) in [
        ("admin", Some(&admin), true),
        ("self", Some(&private_token), true),
        ("member", Some(&t), false),
        ("anonymous", None, false),
    ] {
        let get = |uri: String| {
            let p = p.clone();
            let token = token.cloned();
            async move {
                match token {
                    Some(t) => p.get_as(&t, &uri).await,
                    None => p.get(&uri).await,
                }
            }
        };
        for uri in [&by_name, &by_id] {
            let v = get(uri.clone()).await;
            assert_eq!(v["username"].is_string(), sees, "{class} reads {uri}: {v}");
        }
        let found = get(search.clone()).await;
        assert_eq!(lists_private(&found), sees, "{class} searches: {found}");
        if token.is_some() {
            assert_eq!(found["total"].as_i64() == Some(1), sees, "{class}: {found}");
        }
        for uri in [&users, &list] {
            let v = get(uri.clone()).await;
            assert_eq!(lists_private(&v), sees, "{class} lists {uri}: {v}");
        }
        if class == "member" {
            let v = get(list.clone()).await;
            assert!(
                v.to_string().contains(&member),
                "a member sees who they may: {v}"
            );
            assert_eq!(v["total"], 1, "the hidden member is not counted: {v}");
        }
        let check = get(format!(
            "/sharing/rest/community/checkUsernames?usernames={private}&f=json"
        ))
        .await;
        assert_eq!(
            error_code(&check).is_some(),
            token.is_none(),
            "{class}: {check}"
        );
        let counts = get("/sharing/rest/portals/self/users/counts?type=role&f=json".into()).await;
        assert_eq!(
            error_code(&counts).is_none(),
            class == "admin",
            "{class}: {counts}"
        );
    }
    assert_ne!(member, ADMIN);
}
