//! The dry run's rules, row by row.

use super::*;
use crate::import::parse;
use crate::licenses::TypeOffer;
use portal_client::{Role, UserType, VIEWER_ROLE_ID};

fn names() -> Names {
    let user_type = |id: &str, name: &str, max: &str| UserType {
        id: id.into(),
        name: name.into(),
        description: None,
        max_role: Some(max.into()),
    };
    Names::new(
        &[Role {
            id: VIEWER_ROLE_ID.into(),
            name: "Viewer".into(),
            description: None,
            privileges: Some(vec!["portal:user:joinGroup".into()]),
        }],
        &[
            user_type("creatorUT", "Creator", "org_admin"),
            user_type("viewerUT", "Viewer", "viewer"),
        ],
    )
}

fn member(username: &str, user_type: &str, role: &str, groups: &[&str]) -> Member {
    let names = names();
    Member {
        full_name: format!("{username} Person"),
        first_name: username.into(),
        last_name: "Person".into(),
        email: format!("{username}@example.com"),
        role_id: role.into(),
        role_name: names.role_name(role).into(),
        user_type: user_type.into(),
        user_type_name: names.user_type_name(user_type).into(),
        groups: groups.iter().map(|g| (*g).into()).collect(),
        ..crate::members::test_member(username)
    }
}

fn group(id: &str, title: &str, owner: &str) -> GroupSummary {
    GroupSummary {
        id: id.into(),
        title: title.into(),
        owner: owner.into(),
        access: "org".into(),
    }
}

/// Plans `csv` against two members and three groups; Creator has `creator_seats` seats.
fn plan_of(csv: &str, online: bool, creator_seats: Option<u32>) -> ImportPlan {
    let members = [
        member("ann_user", "creatorUT", "org_user", &["g1", "g2"]),
        member("vic_viewer", "viewerUT", VIEWER_ROLE_ID, &[]),
    ];
    let groups = [
        group("g1", "Field Crews", "boss"),
        group("g2", "Owners Club", "ann_user"),
        group("g3", "Twins", "boss"),
        group("g4", "Twins", "boss"),
    ];
    let offers = Offers {
        user_types: vec![TypeOffer {
            id: "creatorUT".into(),
            name: "Creator".into(),
            purchased: creator_seats,
            invited: 0,
        }],
        ..Offers::default()
    };
    let names = names();
    let cx = Context {
        members: &members,
        names: &names,
        groups: &groups,
        offers: Some(&offers),
        online,
    };
    plan(&parse::read(csv.as_bytes()).unwrap(), &cx).0
}

fn reason(plan: &ImportPlan, row: u32) -> String {
    let r = plan.rows.iter().find(|r| r.row == row).unwrap();
    assert_eq!(r.action, RowAction::Invalid, "{r:?}");
    r.reason.clone().unwrap()
}

#[test]
fn existing_members_change_only_in_the_columns_and_cells_given() {
    let plan = plan_of(
        "Username,First Name,Email,Role,User Type,Groups,Password\n\
         ANN_USER,,,publisher,,Field Crews; Owners Club; g3,Secret-pass-1\n\
         vic_viewer,vic_viewer,,Viewer,viewerUT,,\n",
        true,
        None,
    );
    let ann = &plan.rows[0];
    assert_eq!(ann.action, RowAction::Update);
    assert_eq!(ann.username, "ann_user", "the cache's spelling");
    let changes: Vec<(&str, &str, &str)> = ann
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
        .collect();
    assert_eq!(
        changes,
        [
            ("role", "User", "Publisher"),
            ("group:g3", "not in Twins", "in Twins")
        ]
    );
    assert_eq!(
        ann.notes,
        ["The password of an existing member is not changed."]
    );
    assert_eq!(plan.rows[1].action, RowAction::Unchanged);
    assert_eq!((plan.update, plan.unchanged, plan.invalid), (1, 1, 0));
}

#[test]
fn each_broken_rule_is_named_and_the_good_rows_stay_good() {
    let plan = plan_of(
        "Username,First Name,Last Name,Email,Role,User Type,Groups,Password,Credits\n\
         new_one1,New,One,new1@example.com,User,Creator,,Secret-pass-1,\n\
         ab,Short,Name,short@example.com,User,Creator,,Secret-pass-1,\n\
         weak_pw1,Weak,Pw,weak@example.com,User,Creator,,password,\n\
         no_names,,,nonames@example.com,User,Creator,,Secret-pass-1,\n\
         bad_mail,Bad,Mail,bad@,User,Creator,,Secret-pass-1,\n\
         viewer_pub,Vee,Pub,vp@example.com,Publisher,Viewer,,Secret-pass-1,\n\
         no_group,No,Group,ng@example.com,User,Creator,Nowhere,Secret-pass-1,\n\
         twin_grp,Twin,Group,tg@example.com,User,Creator,Twins,Secret-pass-1,\n\
         new_one1,Again,One,again@example.com,User,Creator,,Secret-pass-1,\n\
         ann_user,,,,,,Field Crews,,\n\
         ann_user2,No,Role,nr@example.com,Chief,Creator,,Secret-pass-1,lots\n\
         ,,,invited@example.com,User,Creator,,,\n\
         ,,,INVITED@example.com,User,Creator,,,\n\
         ,,,,User,Creator,,,\n",
        true,
        None,
    );
    assert_eq!(plan.rows[0].action, RowAction::Create);
    assert!(reason(&plan, 3).contains("at least 6 characters"));
    assert!(reason(&plan, 4).contains("at least one number"));
    assert!(reason(&plan, 5).contains("first and a last name"));
    assert!(reason(&plan, 6).contains("'bad@' is not one"));
    assert!(reason(&plan, 7).contains("does not allow the role"));
    assert!(reason(&plan, 8).contains("no group 'Nowhere'"));
    assert!(reason(&plan, 9).contains("2 groups are titled 'Twins'"));
    assert_eq!(reason(&plan, 10), "The username new_one1 is also on row 2.");
    assert!(reason(&plan, 11).contains("owns the group 'Owners Club' and cannot leave it"));
    let several = reason(&plan, 12);
    assert!(
        several.contains("no role 'Chief'") && several.contains("'lots' is not"),
        "{several}"
    );
    assert_eq!(plan.rows[11].action, RowAction::Invite);
    assert!(reason(&plan, 14).contains("one invitation per person"));
    assert_eq!(
        reason(&plan, 15),
        "The row has neither a username nor an email."
    );
    assert_eq!((plan.create, plan.invite, plan.invalid), (1, 1, 12));
}

#[test]
fn arcgis_online_and_enterprise_differ_on_passwords_and_invitations() {
    let csv = "Username,First Name,Last Name,Email,Role,User Type,IdP Username\n\
               mail_me1,Mail,Me,m@example.com,User,Creator,\n\
               saml_one,Saml,One,s@example.com,User,Creator,saml.one@idp\n\
               ,,,join@example.com,User,Creator,\n";
    let online = plan_of(csv, true, None);
    assert_eq!(online.rows[0].notes, ["Emailed a link to set a password."]);
    assert_eq!(
        online.rows[1].notes,
        ["Signs in through the organization's identity provider."]
    );
    assert_eq!(online.rows[2].action, RowAction::Invite);
    let enterprise = plan_of(csv, false, None);
    assert!(reason(&enterprise, 2).contains("needs a password"));
    assert_eq!(enterprise.rows[1].action, RowAction::Create);
    assert!(reason(&enterprise, 4).contains("adds members with a username"));
}

#[test]
fn seats_go_to_rows_in_the_files_order() {
    // One Creator is held by ann_user: of 3 seats, 2 are free.
    let plan = plan_of(
        "Username,First Name,Last Name,Email,Role,User Type\n\
         first_1,F,One,f1@example.com,User,Creator\n\
         vic_viewer,,,,User,Creator\n\
         third_3,T,Three,t3@example.com,User,Creator\n\
         fourth_4,F,Four,f4@example.com,Viewer,Viewer\n",
        true,
        Some(3),
    );
    let actions: Vec<RowAction> = plan.rows.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [
            RowAction::Create,
            RowAction::Update,
            RowAction::Invalid,
            RowAction::Create
        ]
    );
    assert!(reason(&plan, 4).starts_with("No seat of Creator left (3 bought"));
}
