//! Offboarding in bulk: the impact report (content, groups owned, licenses held) with the
//! members who cannot go and why, then one job that takes their licenses back, hands content
//! and groups to one receiver, and removes the members in batches; each member's outcome, the
//! journal's record of it, and the cache after.

use console_core::offboard::OffboardRequest;
use console_core::{BulkOutcome, HistoryFilter, JobState};
use portal_emulator::inspect;

use crate::support::{demo_portal, loaded_demo, DEMO_ADMIN};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_leave_in_one_job_with_their_licenses_back_and_their_groups_to_one_receiver() {
    let (_dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    let groups = console.groups(false).await.unwrap();
    let active = |m: &&console_core::Member| !m.disabled && m.username != DEMO_ADMIN;
    // A group owner (not the administrator), a license holder, and a member with neither.
    let owner = members
        .iter()
        .filter(active)
        .find(|m| groups.iter().any(|g| g.owner == m.username))
        .expect("the demo has group owners besides the administrator")
        .username
        .clone();
    let holder = members
        .iter()
        .filter(active)
        .find(|m| {
            m.username != owner
                && m.licenses.iter().any(|k| !k.starts_with("bundle/"))
                && !groups.iter().any(|g| g.owner == m.username)
        })
        .expect("the demo has license holders")
        .clone();
    let plain = members
        .iter()
        .filter(active)
        .find(|m| {
            m.username != owner
                && m.username != holder.username
                && m.licenses.is_empty()
                && !groups.iter().any(|g| g.owner == m.username)
        })
        .unwrap()
        .username
        .clone();
    let receiver = members
        .iter()
        .filter(active)
        .find(|m| m.role_id == "org_admin" && m.username != owner && m.username != holder.username)
        .unwrap()
        .username
        .clone();
    let owned: Vec<String> = groups
        .iter()
        .filter(|g| g.owner == owner)
        .map(|g| g.id.clone())
        .collect();
    let selection = vec![
        owner.clone(),
        holder.username.clone(),
        plain.clone(),
        DEMO_ADMIN.to_string(),
        "nobody_here".to_string(),
    ];

    // Without a receiver, the owner cannot go; the signed-in account and a stranger never.
    let plan = console
        .plan_offboard(OffboardRequest {
            usernames: selection.clone(),
            receiver: None,
        })
        .await
        .unwrap();
    assert_eq!((plan.deletable, plan.refused), (2, 3), "{plan:#?}");
    let refusal = |plan: &console_core::offboard::OffboardPlan, u: &str| {
        plan.members
            .iter()
            .find(|m| m.username == u)
            .and_then(|m| m.refused.clone())
    };
    assert!(refusal(&plan, &owner)
        .unwrap()
        .contains("choose who receives them"));
    assert!(refusal(&plan, DEMO_ADMIN)
        .unwrap()
        .contains("signed in with"));
    assert!(refusal(&plan, "nobody_here")
        .unwrap()
        .contains("not a member"));
    let held = plan
        .members
        .iter()
        .find(|m| m.username == holder.username)
        .unwrap();
    assert_eq!(held.licenses.len(), holder.licenses.len());
    assert!(held.refused.is_none());
    // Refused members are listed first.
    assert!(plan.members[..3].iter().all(|m| m.refused.is_some()));

    // The receiver cannot be among those who leave.
    let mut with_receiver = selection.clone();
    with_receiver.push(receiver.clone());
    let plan = console
        .plan_offboard(OffboardRequest {
            usernames: with_receiver.clone(),
            receiver: Some(receiver.clone()),
        })
        .await
        .unwrap();
    assert_eq!((plan.deletable, plan.refused), (3, 3), "{plan:#?}");
    assert!(refusal(&plan, &receiver).unwrap().contains("receiver"));
    assert_eq!(plan.groups as usize, owned.len());
    assert!(
        inspect::user_row(&state, &owner).unwrap().is_some(),
        "a plan sends nothing"
    );

    let report = console
        .offboard(
            OffboardRequest {
                usernames: with_receiver,
                receiver: Some(receiver.clone()),
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        (report.done, report.failed, report.skipped),
        (3, 3, 0),
        "{report:#?}"
    );
    for gone in [&owner, &holder.username, &plain] {
        assert!(
            inspect::user_row(&state, gone).unwrap().is_none(),
            "{gone} is deleted"
        );
        let item = report.items.iter().find(|i| &i.username == gone).unwrap();
        assert_eq!(item.outcome, BulkOutcome::Done);
    }
    for kept in [DEMO_ADMIN, receiver.as_str()] {
        assert!(inspect::user_row(&state, kept).unwrap().is_some());
        let item = report.items.iter().find(|i| i.username == kept).unwrap();
        assert!(item.reason.as_deref().unwrap().starts_with("Not deleted: "));
    }
    for g in &owned {
        assert_eq!(
            inspect::group_owner(&state, g).unwrap().as_deref(),
            Some(receiver.as_str())
        );
    }
    // The cache follows: the members gone, the receiver in the groups handed over.
    let rows = console.members().await.unwrap();
    assert!(!rows
        .iter()
        .any(|m| m.username == owner || m.username == plain));
    let r = rows.iter().find(|m| m.username == receiver).unwrap();
    assert!(owned.iter().all(|g| r.groups.iter().any(|k| *k == *g)));

    // One job: the licenses taken back and each account, with its receiver.
    let job = console.jobs(1).await.unwrap().pop().unwrap();
    assert_eq!(
        (job.kind.as_str(), job.state),
        ("offboard", JobState::Finished)
    );
    assert_eq!((job.failed, job.pending, job.skipped), (0, 0, 0), "{job:?}");
    let history = console
        .history(HistoryFilter {
            job: Some(job.id),
            ..HistoryFilter::default()
        })
        .await
        .unwrap();
    let licenses_back = history
        .iter()
        .filter(|c| c.member == holder.username && c.field.starts_with("license:"))
        .count();
    assert!(licenses_back >= 1, "{history:#?}");
    assert!(history
        .iter()
        .any(|c| c.member == owner && c.field == "member" && c.after_text.contains(&receiver)));
    // Undo cannot bring the members back, nor give licenses to accounts that are gone.
    let undo = console
        .plan_undo(console_core::undo::UndoRequest {
            job: job.id,
            change: None,
        })
        .await
        .unwrap();
    assert_eq!(undo.undo, 0, "{undo:#?}");
    assert_eq!(undo.refused as usize, undo.items.len());
    let license = undo
        .items
        .iter()
        .find(|i| i.member == holder.username && i.field.starts_with("license:"))
        .unwrap();
    assert!(license
        .reason
        .as_deref()
        .unwrap()
        .contains("deleted by this job"));
}
