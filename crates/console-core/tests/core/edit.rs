//! Editing a member: the profile, role, user type and credits are saved in an order the
//! portal accepts, the portal holds them and the cache follows; a refused change comes back
//! with the portal's reason, and a bad email never leaves.

use console_core::{Error, MemberEdit};
use portal_emulator::inspect;

use crate::support::{demo_portal, loaded_demo, row};

/// The edit form saves the profile, the role and the user type, in an order the portal
/// accepts; the portal holds the new values and the cache shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_saves_profile_role_and_user_type_and_the_cache_follows() {
    let (_dir, console, members) = loaded_demo().await;
    // A Viewer (user type viewerUT, custom role) becomes a Publisher with a Creator type: the
    // type must change first, or the portal refuses the role.
    let viewer = members
        .iter()
        .find(|m| m.user_type == "viewerUT" && !m.disabled)
        .expect("the demo org has viewers")
        .clone();
    let choices = console.choices().await.unwrap();
    assert!(
        choices.roles.iter().any(|r| r.id == "org_publisher"),
        "the form offers the Publisher role"
    );
    assert!(
        choices.user_types.iter().any(|t| t.id == "creatorUT"),
        "the form offers the Creator type"
    );
    let edit = MemberEdit {
        username: viewer.username.clone(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        description: "<b>not markup</b> & kept as typed".into(),
        access: portal_client::ProfileVisibility::Private,
        role_id: "org_publisher".into(),
        user_type: "creatorUT".into(),
        credits: Some(250.0),
    };
    let saved = console.update_member(edit.clone()).await.unwrap();
    assert_eq!(
        saved.full_name, "Ada Lovelace",
        "the names make the full name"
    );
    assert_eq!(saved.credits, Some(250.0), "the answer has the new credits");
    assert_eq!(
        saved.groups, viewer.groups,
        "an edit keeps the member's groups"
    );
    assert_eq!(
        saved.role_id, "org_publisher",
        "the answer has the new role"
    );
    assert_eq!(saved.user_type, "creatorUT", "the answer has the new type");
    let facts = inspect::user_row(&demo_portal(&console).await, &viewer.username)
        .unwrap()
        .expect("the member is still in the portal");
    assert_eq!(facts.full_name, "Ada Lovelace", "the portal holds the name");
    assert_eq!(facts.email, "ada@example.com", "the portal holds the email");
    assert_eq!(
        facts.description.as_deref(),
        Some("<b>not markup</b> & kept as typed"),
        "the portal holds the description as typed"
    );
    assert_eq!(facts.access, "private", "the portal holds the visibility");
    assert_eq!(facts.role, "org_publisher", "the portal holds the role");
    assert!(
        facts.role_id.is_none() || facts.role_id.as_deref() == Some("org_publisher"),
        "no custom role is left behind: {:?}",
        facts.role_id
    );
    assert_eq!(facts.user_type, "creatorUT", "the portal holds the type");
    assert_eq!(
        facts.assigned_credits, 250.0,
        "the portal holds the assigned credits"
    );
    let cached = console.members().await.unwrap();
    assert_eq!(
        row(&cached, &viewer.username),
        &saved,
        "the table shows what the portal holds"
    );
    assert_eq!(cached.len(), members.len(), "an edit adds or drops no row");
    // And back down: Viewer type with the Viewer role; the role must go down first.
    let back = MemberEdit {
        role_id: viewer.role_id.to_string(),
        user_type: "viewerUT".into(),
        credits: None,
        ..edit
    };
    let saved = console.update_member(back).await.unwrap();
    assert_eq!(
        (saved.role_id.as_str(), saved.user_type.as_str()),
        (viewer.role_id.as_str(), "viewerUT"),
        "the role goes down before the type"
    );
}

/// A change the portal refuses is reported with its reason, and a bad email never leaves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_edit_reports_the_portals_reason() {
    let (_dir, console, members) = loaded_demo().await;
    let viewer = members
        .iter()
        .find(|m| m.user_type == "viewerUT")
        .expect("the demo org has viewers")
        .clone();
    let edit = MemberEdit {
        username: viewer.username.clone(),
        first_name: viewer.first_name.clone(),
        last_name: viewer.last_name.clone(),
        email: viewer.email.clone(),
        description: viewer.description.clone(),
        access: viewer.access,
        role_id: "org_admin".into(),
        user_type: "viewerUT".into(),
        credits: None,
    };
    let err = console.update_member(edit.clone()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Portal(portal_client::Error::Portal { .. }) | Error::Refused(_)
        ),
        "a Viewer type cannot hold the Administrator role: {err:?}"
    );
    let err = console
        .update_member(MemberEdit {
            email: "not-an-email".into(),
            role_id: viewer.role_id.to_string(),
            ..edit
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(_)),
        "a bad email is the form's error: {err:?}"
    );
}
