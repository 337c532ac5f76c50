//! Delegated administration as a matrix (docs/SECURITY.md, Delegated administration): who acts
//! × on whom (or which role they give) × what, each cell allowed or refused.
//!
//! The tables: [`ACTORS`] lists who acts, one row each (a default administrator, custom
//! administrators with and without the privilege to change roles, a publisher, a user);
//! [`ON_MEMBERS`] and [`ADDING`] list the operations, one row each, with the outcome for every
//! actor (a group of letters per actor, in [`ACTORS`]' order) and every column (one letter
//! each): `Y` done, `F` refused with ArcGIS's 403, `B` refused as a bad request (400). Every cell
//! starts from fresh members, so one cell's change never shows in another.

use portal_emulator::auth::{issue, TokenKind};
use portal_emulator::{privileges, Config, Profile};
use serde_json::{json, Value};

use crate::support::{error_code, urlencode, Portal, ADMIN};

/// Who acts: a name, and the role they hold (a base role id, or the name of a custom role made
/// by [`World::new`] from [`custom_role`]).
const ACTORS: &[(&str, &str)] = &[
    ("default administrator", "org_admin"),
    ("custom admin who changes roles", "custom_roles"),
    ("custom admin who does not", "custom_no_roles"),
    ("publisher", "org_publisher"),
    ("user", "org_user"),
];

/// The members acted on, one letter each in the grids.
const TARGETS: &[&str] = &["self", "default administrator", "custom admin", "user"];

/// The roles given when adding a member, one letter each in the grids of [`ADDING`].
const ROLES_GIVEN: &[&str] = &["viewer", "org_user", "org_publisher", "org_admin"];

/// Operations on one member: name, `(path, body)` for a target, and the expected grid.
type OnMember = (&'static str, fn(&str) -> (String, String), &'static str);

#[rustfmt::skip]
const ON_MEMBERS: &[OnMember] = &[
    // A role holding privileges a custom administrator lacks (publishing).
    ("give a role with more privileges", |u| role(u, "org_publisher"), "FYYY FFFF FFFF FFFF FFFF"),
    ("give a role with fewer privileges", |u| role(u, "viewer"), "FYYY FFYY FFFF FFFF FFFF"),
    ("give the Administrator role", |u| role(u, "org_admin"), "FYYY FFFF FFFF FFFF FFFF"),
    ("set the user type", |u| bulk("updateUserLicenseType", u, "&userLicenseType=GISProfessionalAdvUT"), "YYYY YFYY YFYY FFFF FFFF"),
    ("disable", |u| one(u, "disable", ""), "BYYY BFYY BFYY FFFF FFFF"),
    ("enable", |u| one(u, "enable", ""), "YYYY YFYY YFYY FFFF FFFF"),
    ("delete", |u| one(u, "delete", ""), "YYYY YFYY YFYY YFFF YFFF"),
    ("remove through removeUsers", |u| bulk("removeUsers", u, ""), "BYYY BFYY BFYY FFFF FFFF"),
    ("reassign their content", |u| one(u, "reassign", &format!("targetUsername={ADMIN}")), "YYYY YFYY YFYY FFFF FFFF"),
    ("expire the password", |u| one(u, "expirePassword", ""), "YYYY YFYY YFYY YFFF YFFF"),
    ("update the profile", |u| one(u, "update", "description=changed"), "YYYY YFYY YFYY YFFF YFFF"),
    ("change the email address", |u| one(u, "update", "email=changed%40example.com"), "YYYY YFFF YFFF YFFF YFFF"),
];

/// Ways of adding a member with a role: name, `(path, body)` for a new username and a role,
/// and the expected grid over [`ROLES_GIVEN`].
type Adding = (
    &'static str,
    fn(&str, &str) -> (String, String),
    &'static str,
);

#[rustfmt::skip]
const ADDING: &[Adding] = &[
    ("Enterprise createUser", create_user, "YYYY YYFF YYFF FFFF FFFF"),
    ("invite with a password", invite, "YYYY YYFF YYFF FFFF FFFF"),
];

/// The custom administrators' privileges: a user's, plus the administration of members
/// (with or without changing roles).
fn custom_role(changes_roles: bool) -> Vec<String> {
    let mut p = privileges::builtin("org_user").unwrap();
    for admin in [
        "viewUsers",
        "updateUsers",
        "deleteUsers",
        "disableUsers",
        "inviteUsers",
        "manageLicenses",
        "reassignUsers",
    ] {
        p.push(format!("portal:admin:{admin}"));
    }
    if changes_roles {
        p.push("portal:admin:changeUserRoles".into());
    }
    p
}

fn role(user: &str, role: &str) -> (String, String) {
    (
        "/sharing/rest/portals/self/updateUserRole".into(),
        format!("user={user}&role={role}&f=json"),
    )
}

fn bulk(operation: &str, user: &str, more: &str) -> (String, String) {
    (
        format!("/sharing/rest/portals/self/{operation}"),
        format!("users={user}{more}&f=json"),
    )
}

fn one(user: &str, operation: &str, body: &str) -> (String, String) {
    (
        format!("/sharing/rest/community/users/{user}/{operation}"),
        format!("{body}&f=json"),
    )
}

fn create_user(username: &str, role: &str) -> (String, String) {
    (
        "/portaladmin/security/users/createUser".into(),
        format!(
            "username={username}&email={username}%40example.com&role={role}\
             &userLicenseTypeId=creatorUT&provider=enterprise&idpUsername={username}&f=json"
        ),
    )
}

fn invite(username: &str, role: &str) -> (String, String) {
    let list = json!({ "invitations": [{
        "username": username, "email": format!("{username}@example.com"), "role": role,
        "userLicenseType": "creatorUT", "password": "Delegated-pass1",
        "firstname": "New", "lastname": "Member",
    }]});
    (
        "/sharing/rest/portals/self/invite".into(),
        format!("invitationList={}&f=json", urlencode(&list.to_string())),
    )
}

/// The outcome letter of an answer: the envelope's error, or the first per-member error of a
/// bulk answer (`results`, `errors`).
fn outcome(v: &Value) -> char {
    let code = error_code(v)
        .or_else(|| {
            v["results"][0]["status"]
                .as_bool()
                .filter(|ok| !ok)
                .map(|_| v["results"][0]["error"]["code"].as_i64().unwrap_or(0))
        })
        .or_else(|| v["errors"][0]["error"]["code"].as_i64());
    match code {
        None => 'Y',
        Some(403) => {
            assert_eq!(
                v.get("error").unwrap_or(&v["errors"][0]["error"])["message"]
                    .as_str()
                    .or(v["results"][0]["error"]["message"].as_str()),
                Some("You do not have permissions to access this resource or perform this operation."),
                "a refusal is ArcGIS's 403 envelope: {v}"
            );
            'F'
        }
        Some(400) => 'B',
        Some(other) => panic!("unexpected code {other}: {v}"),
    }
}

/// One organization (Enterprise, so `createUser` exists) with the custom roles made; members
/// are added for each cell.
struct World {
    portal: Portal,
    admin: String,
    roles: Vec<(&'static str, String)>,
    made: std::cell::Cell<usize>,
}

impl World {
    async fn new() -> Self {
        let config = Config {
            profile: Profile::Enterprise,
            ..Config::default()
        };
        let portal = Portal::with_config(0, config);
        let admin = issue(
            &portal.state,
            TokenKind::Access,
            Some(ADMIN),
            None,
            3600,
            None,
        )
        .unwrap();
        let mut world = World {
            portal,
            admin,
            roles: Vec::new(),
            made: 0.into(),
        };
        for (name, changes_roles) in [("custom_roles", true), ("custom_no_roles", false)] {
            let id = world.custom(name, &custom_role(changes_roles)).await;
            world.roles.push((name, id));
        }
        world
    }

    /// A custom role with these privileges; its id.
    async fn custom(&self, name: &str, privileges: &[String]) -> String {
        let v = self
            .portal
            .post_as(
                &self.admin,
                "/sharing/rest/portals/self/createRole",
                &format!("name={name}&f=json"),
            )
            .await;
        let id = v["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{v}"))
            .to_string();
        let body = json!({ "privileges": privileges }).to_string();
        let set = self
            .portal
            .post_as(
                &self.admin,
                &format!("/sharing/rest/portals/self/roles/{id}/setPrivileges"),
                &format!("privileges={}&f=json", urlencode(&body)),
            )
            .await;
        assert_eq!(set["success"], true, "{set}");
        id
    }

    /// The role id to give for a role name of [`ACTORS`].
    fn role_id(&self, role: &str) -> String {
        self.roles
            .iter()
            .find(|(name, _)| *name == role)
            .map(|(_, id)| id.clone())
            .unwrap_or_else(|| role.to_string())
    }

    /// A fresh username.
    fn fresh(&self) -> String {
        self.made.set(self.made.get() + 1);
        format!("member_{}", self.made.get())
    }

    /// A new member holding `role`, added by the default administrator.
    async fn member(&self, role: &str) -> String {
        let name = self.fresh();
        let (path, body) = create_user(&name, &self.role_id(role));
        let v = self.portal.post_as(&self.admin, &path, &body).await;
        assert_eq!(v["status"], "success", "{v}");
        name
    }

    fn token(&self, username: &str) -> String {
        issue(
            &self.portal.state,
            TokenKind::Access,
            Some(username),
            None,
            3600,
            None,
        )
        .unwrap()
    }
}

/// Compares every observed grid to the expected one, and fails with all differences at once.
fn compare(failures: &mut Vec<String>, what: &str, expected: &str, observed: &str) {
    if expected != observed {
        failures.push(format!("{what}: expected {expected}, observed {observed}"));
    }
    println!("{what:40} {observed}");
}

#[tokio::test]
async fn administrators_change_members_only_as_delegated_administration_allows() {
    let w = World::new().await;
    let mut failures = Vec::new();
    for (what, request, expected) in ON_MEMBERS {
        let mut observed = Vec::new();
        for (_, actor_role) in ACTORS {
            let mut group = String::new();
            for target in TARGETS {
                let actor = w.member(actor_role).await;
                let whom = match *target {
                    "self" => actor.clone(),
                    "default administrator" => w.member("org_admin").await,
                    "custom admin" => w.member("custom_roles").await,
                    _ => w.member("org_user").await,
                };
                let (path, body) = request(&whom);
                group.push(outcome(
                    &w.portal.post_as(&w.token(&actor), &path, &body).await,
                ));
            }
            observed.push(group);
        }
        compare(&mut failures, what, expected, &observed.join(" "));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn members_are_added_only_with_roles_the_adder_may_give() {
    let w = World::new().await;
    let mut failures = Vec::new();
    for (what, request, expected) in ADDING {
        let mut observed = Vec::new();
        for (_, actor_role) in ACTORS {
            let actor = w.member(actor_role).await;
            let token = w.token(&actor);
            let mut group = String::new();
            for role in ROLES_GIVEN {
                let (path, body) = request(&w.fresh(), role);
                group.push(outcome(&w.portal.post_as(&token, &path, &body).await));
            }
            observed.push(group);
        }
        compare(&mut failures, what, expected, &observed.join(" "));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_role_manager_gives_a_role_no_privilege_they_lack() {
    let w = World::new().await;
    let mut manager_privileges = privileges::builtin("org_user").unwrap();
    manager_privileges.push("portal:admin:manageRoles".into());
    let manager_role = w.custom("role_manager", &manager_privileges).await;
    let manager = w.member(&manager_role).await;
    let target_role = w.custom("edited", &[]).await;
    let escalated = [
        manager_privileges.clone(),
        vec!["portal:admin:manageSecurity".into()],
    ]
    .concat();
    // (who, which role, what it is given, expected outcome). The refusals come first: the
    // manager's own role is never changed before them.
    let cases: [(&str, &str, Vec<String>, char); 4] = [
        (
            "manager",
            &target_role,
            vec!["portal:admin:manageSecurity".into()],
            'F',
        ),
        ("manager", &manager_role, escalated.clone(), 'F'),
        (
            "manager",
            &target_role,
            vec!["portal:user:joinGroup".into()],
            'Y',
        ),
        ("default administrator", &target_role, escalated, 'Y'),
    ];
    for (who, role, list, expected) in cases {
        let token = if who == "manager" {
            w.token(&manager)
        } else {
            w.admin.clone()
        };
        let body = json!({ "privileges": list }).to_string();
        let v = w
            .portal
            .post_as(
                &token,
                &format!("/sharing/rest/portals/self/roles/{role}/setPrivileges"),
                &format!("privileges={}&f=json", urlencode(&body)),
            )
            .await;
        assert_eq!(
            outcome(&v),
            expected,
            "{who} sets {list:?} on role {role}: {v}"
        );
    }
}

/// The outbox's links set passwords and make members with the roles they were sent with, so
/// only a default administrator reads them: an administrator who may only invite cannot take
/// the link of a default administrator created without a password.
#[tokio::test]
async fn only_a_default_administrator_reads_the_outbox() {
    let w = World::new().await;
    let mut inviter_privileges = privileges::builtin("org_user").unwrap();
    inviter_privileges.push("portal:admin:inviteUsers".into());
    let inviter_role = w.custom("inviter", &inviter_privileges).await;
    let inviter = w.member(&inviter_role).await;
    let outbox = "/sharing/rest/portals/self/emulator/outbox?f=json";
    let refused = w.portal.get_as(&w.token(&inviter), outbox).await;
    assert_eq!(error_code(&refused), Some(403), "{refused}");
    let read = w.portal.get_as(&w.admin, outbox).await;
    assert!(read["messages"].is_array(), "{read}");
}
