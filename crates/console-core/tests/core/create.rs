//! Creating members from the console: with a password (the member exists at once), by email
//! invitation, and the checks that keep a bad form from sending anything.

use console_core::{Error, NewMemberForm};
use portal_emulator::inspect;
use secrecy::SecretString;

use crate::support::{demo_portal, loaded_demo, DEMO_ADMIN};

fn form(username: &str, password: Option<&str>) -> NewMemberForm {
    NewMemberForm {
        username: username.into(),
        password: password.map(|p| SecretString::from(p.to_string())),
        first_name: "Rosalind".into(),
        last_name: "Franklin".into(),
        email: "rosalind@example.com".into(),
        role_id: "org_publisher".into(),
        user_type: "creatorUT".into(),
        groups: Vec::new(),
        credits: Some(250.0),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_created_with_a_password_or_emailed_a_link_and_bad_forms_send_nothing() {
    let (_dir, console, members) = loaded_demo().await;
    let portal = demo_portal(&console).await;

    // Availability: free, taken (with the portal's suggestion), against the rules.
    let free = console.check_username("rfranklin_gis").await.unwrap();
    assert_eq!(
        (free.problem.as_deref(), free.available),
        (None, Some(true)),
        "a free name"
    );
    let taken = console
        .check_username(&format!(" {DEMO_ADMIN} "))
        .await
        .unwrap();
    assert_eq!(taken.username, DEMO_ADMIN, "the name is checked trimmed");
    assert_eq!(taken.available, Some(false), "a member's name is taken");
    assert!(
        taken.suggestion.is_some_and(|s| s != DEMO_ADMIN),
        "the portal suggests another name"
    );
    let bad = console.check_username("no").await.unwrap();
    assert!(
        bad.problem.is_some() && bad.available.is_none(),
        "a name against the rules is not sent to the portal"
    );

    // With a password: the member exists, with the role, type and credits, and is in the table.
    let groups = console.groups(false).await.unwrap();
    let mut with_group = form("rfranklin_gis", Some("double7helix"));
    with_group.groups = vec![groups[0].id.clone()];
    let created = console.create_member(with_group).await.unwrap();
    assert!(!created.emailed, "a password: no email");
    let member = created.member;
    assert_eq!(
        (member.role_id.as_str(), member.user_type.as_str()),
        ("org_publisher", "creatorUT"),
        "the row has the chosen role and type"
    );
    let facts = inspect::user_row(&portal, "rfranklin_gis")
        .unwrap()
        .expect("the member exists at once");
    assert_eq!(
        (facts.role.as_str(), facts.user_type.as_str()),
        ("org_publisher", "creatorUT"),
        "the portal holds the chosen role and type"
    );
    assert_eq!(
        inspect::user_group_ids(&portal, "rfranklin_gis").unwrap(),
        vec![groups[0].id.clone()],
        "joined the chosen group"
    );
    let table = console.members().await.unwrap();
    assert_eq!(table.len(), members.len() + 1, "the table gains one row");
    assert!(
        table.iter().any(|m| m.username == "rfranklin_gis"),
        "the table shows the new member"
    );

    // Without a password: the member exists at once too, in the table, and is emailed a link
    // to set a password (ArcGIS Online's "add members and notify them via email").
    let emailed = console
        .create_member(form("mcurie_gis", None))
        .await
        .unwrap();
    assert!(emailed.emailed, "no password: an email with a link");
    assert_eq!(emailed.member.username, "mcurie_gis");
    assert!(
        inspect::user_row(&portal, "mcurie_gis").unwrap().is_some(),
        "the member exists at once"
    );
    assert_eq!(
        inspect::open_invitation_count(&portal, "mcurie_gis").unwrap(),
        0,
        "not an invitation to join"
    );
    assert!(
        console
            .members()
            .await
            .unwrap()
            .iter()
            .any(|m| m.username == "mcurie_gis"),
        "the table shows the new member"
    );
    let again = console.create_member(form("mcurie_gis", None)).await;
    assert!(
        matches!(again, Err(Error::InvalidInput(_))),
        "a taken name cannot be created again: {again:?}"
    );

    // Bad forms: nothing reaches the portal.
    let users_before = inspect::user_count(&portal).unwrap();
    for (bad, why) in [
        (form("ghopper_gis", Some("short1")), "8 characters"),
        (form("ghopper_gis", Some("ghopper_gis")), "number"),
        (form("gh", Some("navy1906cobol")), "6 characters"),
        (
            NewMemberForm {
                role_id: "org_admin".into(),
                user_type: "viewerUT".into(),
                ..form("ghopper_gis", Some("navy1906cobol"))
            },
            "does not allow",
        ),
        (
            NewMemberForm {
                email: "not an email".into(),
                ..form("ghopper_gis", Some("navy1906cobol"))
            },
            "email",
        ),
        (form(DEMO_ADMIN, Some("navy1906cobol")), "taken"),
    ] {
        match console.create_member(bad).await {
            Err(Error::InvalidInput(m)) => assert!(m.contains(why), "{m} should say {why}"),
            other => panic!("expected a form error about {why}: {other:?}"),
        }
    }
    assert_eq!(
        inspect::user_count(&portal).unwrap(),
        users_before,
        "no bad form made a member"
    );
}
