//! Creating members from the console: with a password (the member exists at once), by email
//! invitation, and the checks that keep a bad form from sending anything.

use console_core::{Error, NewMemberForm};
use secrecy::SecretString;

use crate::sessions::{loaded_demo, portal_count};

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
async fn members_are_created_with_a_password_or_invited_and_bad_forms_send_nothing() {
    let (_dir, console, members) = loaded_demo().await;
    let portal = console.demo_portal_state().await.unwrap();

    // Availability: free, taken (with the portal's suggestion), against the rules.
    let free = console.check_username("rfranklin_gis").await.unwrap();
    assert_eq!(
        (free.problem.as_deref(), free.available),
        (None, Some(true))
    );
    let taken = console.check_username(" demo_admin ").await.unwrap();
    assert_eq!(taken.username, "demo_admin");
    assert_eq!(taken.available, Some(false));
    assert!(taken.suggestion.is_some_and(|s| s != "demo_admin"));
    let bad = console.check_username("no").await.unwrap();
    assert!(bad.problem.is_some() && bad.available.is_none());

    // With a password: the member exists, with the role, type and credits, and is in the table.
    let groups = console.groups(false).await.unwrap();
    let mut with_group = form("rfranklin_gis", Some("double7helix"));
    with_group.groups = vec![groups[0].id.clone()];
    let created = console.create_member(with_group).await.unwrap();
    assert!(!created.invited);
    let member = created.member.unwrap();
    assert_eq!(
        (member.role_id.as_str(), member.user_type.as_str()),
        ("org_publisher", "creatorUT")
    );
    assert_eq!(
        portal_count(
            &portal,
            "SELECT COUNT(*) FROM users WHERE username = ?1 AND role = 'org_publisher'",
            "rfranklin_gis"
        ),
        1
    );
    assert_eq!(
        portal_count(
            &portal,
            "SELECT COUNT(*) FROM group_members WHERE username = ?1",
            "rfranklin_gis"
        ),
        1,
        "joined the chosen group"
    );
    let table = console.members().await.unwrap();
    assert_eq!(table.len(), members.len() + 1);
    assert!(table.iter().any(|m| m.username == "rfranklin_gis"));

    // Without a password: a pending invitation, no member yet.
    let invited = console
        .create_member(form("mcurie_gis", None))
        .await
        .unwrap();
    assert!(invited.invited && invited.member.is_none());
    assert_eq!(
        portal_count(
            &portal,
            "SELECT COUNT(*) FROM invitations WHERE username = ?1 AND accepted = 0",
            "mcurie_gis"
        ),
        1
    );
    assert_eq!(
        portal_count(
            &portal,
            "SELECT COUNT(*) FROM users WHERE username = ?1",
            "mcurie_gis"
        ),
        0
    );
    // The invited name is now taken too.
    let again = console.create_member(form("mcurie_gis", None)).await;
    assert!(matches!(again, Err(Error::InvalidInput(_))), "{again:?}");

    // Bad forms: nothing reaches the portal.
    let users_before = portal_count(&portal, "SELECT COUNT(*) FROM users WHERE ?1 = ?1", "");
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
        (form("demo_admin", Some("navy1906cobol")), "taken"),
    ] {
        match console.create_member(bad).await {
            Err(Error::InvalidInput(m)) => assert!(m.contains(why), "{m} should say {why}"),
            other => panic!("expected a form error about {why}: {other:?}"),
        }
    }
    assert_eq!(
        portal_count(&portal, "SELECT COUNT(*) FROM users WHERE ?1 = ?1", ""),
        users_before
    );
}
