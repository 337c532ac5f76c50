//! The invitations view: every open invitation with its state, withdrawing one, and sending
//! one again, each checked against what the portal holds.

use console_core::InvitationState;
use portal_emulator::inspect;

use crate::support::{demo_portal, loaded_demo};

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
    let portal = demo_portal(&console).await;
    let rows = console.invitations().await.unwrap();
    let open = inspect::open_org_invitation_count(&portal).unwrap();
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
        assert_eq!(r.state, expected, "the state follows the expiry: {r:?}");
        assert!(
            !r.username.is_empty() && r.email.contains('@'),
            "each row names whom it invites: {r:?}"
        );
        assert!(
            !r.role_name.is_empty() && !r.invited_by.is_empty(),
            "each row names the role and who sent it: {r:?}"
        );
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
    assert!(
        inspect::org_invitation_exists(&portal, &gone.id).unwrap(),
        "the listed invitation is the portal's"
    );
    console.delete_invitation(&gone.id).await.unwrap();
    assert!(
        !inspect::org_invitation_exists(&portal, &gone.id).unwrap(),
        "a withdrawn invitation is gone from the portal"
    );

    // Send an expired one and an expiring one again: same person, new 14-day link.
    for state in [InvitationState::Expired, InvitationState::Expiring] {
        let old = rows.iter().find(|r| r.state == state).unwrap();
        assert!(
            inspect::org_invitation_exists(&portal, &old.id).unwrap(),
            "the listed {state:?} invitation is the portal's"
        );
        console.invite_again(&old.id).await.unwrap();
        assert!(
            !inspect::org_invitation_exists(&portal, &old.id).unwrap(),
            "the old {state:?} invitation is replaced"
        );
        let fresh = console
            .invitations()
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.email == old.email && r.id != old.id)
            .expect("a new invitation for the same email");
        assert_ne!(fresh.id, old.id, "a new invitation, not the old one");
        assert_eq!(
            fresh.state,
            InvitationState::Pending,
            "the new one is pending"
        );
        assert!(
            fresh.expiration > now + 13 * DAY_MS,
            "the new link lasts 14 days"
        );
        assert_eq!(
            (
                &fresh.email,
                &fresh.role_id,
                &fresh.user_type,
                &fresh.full_name
            ),
            (&old.email, &old.role_id, &old.user_type, &old.full_name),
            "the same person, role and type"
        );
    }
    let err = console.delete_invitation("no-such-invitation").await;
    assert!(
        err.is_err(),
        "a missing invitation is an error, not a silent success"
    );
}
