//! The invitations view's logic: every open invitation with its state, withdrawing one, and
//! sending one again, each checked in the portal's database.

use console_core::InvitationState;

use crate::sessions::{loaded_demo, portal_count};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_are_listed_with_their_state_withdrawn_and_sent_again() {
    let (_dir, console, _) = loaded_demo().await;
    let portal = console.demo_portal_state().await.unwrap();
    let rows = console.invitations().await.unwrap();
    let open = portal_count(
        &portal,
        "SELECT COUNT(*) FROM invitations WHERE kind = 'org' AND accepted = 0 AND ?1 = ?1",
        "",
    );
    assert_eq!(rows.len() as i64, open, "every open invitation, once");
    for state in [
        InvitationState::Pending,
        InvitationState::Expiring,
        InvitationState::Expired,
    ] {
        assert!(
            rows.iter().any(|r| r.state == state),
            "the demo org has {state:?} invitations"
        );
    }
    let now = now_ms();
    for r in &rows {
        let expected = console_core::invitations::state_at(r.expiration, now);
        assert_eq!(r.state, expected, "{r:?}");
        assert!(!r.username.is_empty() && r.email.contains('@'));
        assert!(!r.role_name.is_empty() && !r.invited_by.is_empty());
    }
    assert!(
        rows.windows(2).all(|w| w[0].created >= w[1].created),
        "newest first"
    );

    // Withdraw one.
    let gone = rows
        .iter()
        .find(|r| r.state == InvitationState::Pending)
        .unwrap();
    console.delete_invitation(&gone.id).await.unwrap();
    assert_eq!(
        portal_count(
            &portal,
            "SELECT COUNT(*) FROM invitations WHERE id = ?1",
            &gone.id
        ),
        0
    );

    // Send an expired one and an expiring one again: same person, new 14-day link.
    for state in [InvitationState::Expired, InvitationState::Expiring] {
        let old = rows.iter().find(|r| r.state == state).unwrap();
        console.invite_again(&old.id).await.unwrap();
        assert_eq!(
            portal_count(
                &portal,
                "SELECT COUNT(*) FROM invitations WHERE id = ?1",
                &old.id
            ),
            0,
            "the old {state:?} invitation is replaced"
        );
        let fresh = console
            .invitations()
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.username == old.username)
            .expect("a new invitation for the same username");
        assert_ne!(fresh.id, old.id);
        assert_eq!(fresh.state, InvitationState::Pending);
        assert!(fresh.expiration > now + 13 * DAY_MS);
        assert_eq!(
            (
                &fresh.email,
                &fresh.role_id,
                &fresh.user_type,
                &fresh.full_name
            ),
            (&old.email, &old.role_id, &old.user_type, &old.full_name)
        );
    }
    let err = console.delete_invitation("no-such-invitation").await;
    assert!(
        err.is_err(),
        "a missing invitation is an error, not a silent success"
    );
}
