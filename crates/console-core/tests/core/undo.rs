//! Undo: a recorded job set back from its "before" values as a new job, previewed first; a
//! change someone else has changed since is a conflict and left alone; a created member is
//! deleted only if they never signed in and own nothing; a deleted one cannot come back.

use console_core::undo::{UndoRequest, UndoVerdict};
use console_core::{BulkKind, BulkRequest, JobState, NewMemberForm};
use portal_emulator::inspect;
use portal_emulator::licenses::catalog::ARCGIS_PRO_ITEM;
use secrecy::SecretString;

use crate::support::{another_admin, demo_portal, loaded_demo, row};

fn whole(job: i64) -> UndoRequest {
    UndoRequest { job, change: None }
}

async fn last_job(console: &console_core::Console) -> console_core::Job {
    console
        .jobs(1)
        .await
        .unwrap()
        .pop()
        .expect("a job is recorded")
}

/// Three creators made publishers; another administrator then makes one of them an
/// administrator. Undo sets the other two back to User, lists the third as a conflict with
/// both values, and is itself a job that can be undone (a redo).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_role_change_is_undone_except_where_someone_changed_it_since() {
    let (_dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    let chosen: Vec<String> = members
        .iter()
        .filter(|m| m.user_type == "creatorUT" && m.role_id == "org_user" && !m.disabled)
        .take(3)
        .map(|m| m.username.clone())
        .collect();
    let report = console
        .bulk(
            BulkRequest {
                kind: BulkKind::SetRole,
                target: "org_publisher".into(),
                usernames: chosen.clone(),
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.done, 3, "{report:?}");
    let job = last_job(&console).await;
    let (_, other) = another_admin(&console).await;
    other
        .users()
        .set_role(&chosen[2], "org_admin")
        .await
        .unwrap();

    let plan = console.plan_undo(whole(job.id)).await.unwrap();
    assert_eq!(plan.job, job.id);
    assert_eq!(
        (plan.undo, plan.unchanged, plan.conflicts, plan.refused),
        (2, 0, 1, 0),
        "{plan:?}"
    );
    let conflict = plan
        .items
        .iter()
        .find(|i| i.verdict == UndoVerdict::Conflict)
        .unwrap();
    assert_eq!(conflict.member, chosen[2]);
    assert_eq!(conflict.current_text, "Administrator");
    assert_eq!(conflict.after_text, "Publisher");
    let why = conflict.reason.as_deref().unwrap();
    assert!(
        why.contains("Administrator") && why.contains("Publisher"),
        "{why}"
    );
    for i in plan.items.iter().filter(|i| i.verdict == UndoVerdict::Undo) {
        assert_eq!(
            (i.before_text.as_str(), i.current_text.as_str()),
            ("User", "Publisher")
        );
    }
    // The plan sent nothing.
    assert_eq!(
        inspect::user_row(&state, &chosen[0]).unwrap().unwrap().role,
        "org_publisher"
    );

    let mut ticks = Vec::new();
    let undone = console
        .undo(whole(job.id), |p| ticks.push(p))
        .await
        .unwrap();
    assert_eq!(
        (undone.done, undone.failed, undone.skipped),
        (2, 0, 0),
        "{undone:?}"
    );
    assert!(ticks.last().is_some_and(|p| p.done == p.total), "{ticks:?}");
    for name in &chosen[..2] {
        assert_eq!(
            inspect::user_row(&state, name).unwrap().unwrap().role,
            "org_user"
        );
        assert_eq!(
            row(&console.members().await.unwrap(), name).role_id,
            "org_user"
        );
    }
    assert_eq!(
        inspect::user_row(&state, &chosen[2]).unwrap().unwrap().role,
        "org_admin",
        "the conflict is left as the other administrator made it"
    );
    let undo_job = last_job(&console).await;
    assert_eq!(undo_job.id, undone.job);
    assert_eq!(undo_job.kind, "undo");
    assert_eq!(undo_job.undo_of, Some(job.id));
    assert_eq!(undo_job.state, JobState::Finished);
    assert!(undo_job
        .summary
        .starts_with(&format!("Undo of job {}: Role → Publisher", job.id)));
    assert_eq!((undo_job.changes, undo_job.done), (2, 2));

    // Undone already: nothing left but the conflict, and a second undo sends nothing.
    let again = console.plan_undo(whole(job.id)).await.unwrap();
    assert_eq!((again.undo, again.unchanged, again.conflicts), (0, 2, 1));
    let refused = console.undo(whole(job.id), |_| {}).await.unwrap_err();
    assert!(refused.to_string().contains("Nothing of job"), "{refused}");

    // The undo is a job like another: undoing it makes them publishers again.
    let redo = console.undo(whole(undone.job), |_| {}).await.unwrap();
    assert_eq!(redo.done, 2, "{redo:?}");
    assert_eq!(
        inspect::user_row(&state, &chosen[0]).unwrap().unwrap().role,
        "org_publisher"
    );
}

/// One change of a job is undone alone; group membership and a license's entitlements go
/// back to what they were.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_change_or_a_group_and_license_job_is_undone() {
    let (_dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    let groups = console.groups(false).await.unwrap();
    let group = groups.first().unwrap();
    let outsiders: Vec<String> = members
        .iter()
        .filter(|m| !m.groups.iter().any(|k| *k == group.id) && !m.disabled)
        .take(2)
        .map(|m| m.username.clone())
        .collect();
    console
        .bulk(
            BulkRequest {
                kind: BulkKind::AddToGroup,
                target: group.id.clone(),
                usernames: outsiders.clone(),
            },
            |_| {},
        )
        .await
        .unwrap();
    let job = last_job(&console).await;
    let changes = console
        .history(console_core::HistoryFilter {
            job: Some(job.id),
            member: Some(outsiders[0].clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    // (The filter matches part of a username: `aallen` finds `aallen2` too.)
    let mine = changes.iter().find(|c| c.member == outsiders[0]).unwrap();
    let one = UndoRequest {
        job: job.id,
        change: Some(mine.id),
    };
    let plan = console.plan_undo(one).await.unwrap();
    assert_eq!(plan.items.len(), 1, "{plan:?}");
    assert_eq!(plan.items[0].member, outsiders[0]);
    console.undo(one, |_| {}).await.unwrap();
    assert!(!inspect::user_group_ids(&state, &outsiders[0])
        .unwrap()
        .contains(&group.id));
    assert!(
        inspect::user_group_ids(&state, &outsiders[1])
            .unwrap()
            .contains(&group.id),
        "the job's other change stays"
    );

    // A license: Advanced given to a creator holding nothing of ArcGIS Pro, then taken back.
    let key = |e: &str| format!("{ARCGIS_PRO_ITEM}/{e}");
    let who = members
        .iter()
        .find(|m| m.user_type == "creatorUT" && m.licenses.is_empty() && !m.disabled)
        .unwrap()
        .username
        .clone();
    let report = console
        .bulk(
            BulkRequest {
                kind: BulkKind::AssignLicense,
                target: key("desktopAdvN"),
                usernames: vec![who.clone()],
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    assert_eq!(
        inspect::licenses_of(&state, &who).unwrap(),
        vec![key("desktopAdvN")]
    );
    let job = last_job(&console).await;
    let undone = console.undo(whole(job.id), |_| {}).await.unwrap();
    assert_eq!(undone.done, 1, "{undone:?}");
    assert!(inspect::licenses_of(&state, &who).unwrap().is_empty());
    assert!(row(&console.members().await.unwrap(), &who)
        .licenses
        .is_empty());
}

fn form(username: &str) -> NewMemberForm {
    NewMemberForm {
        username: username.into(),
        password: Some(SecretString::from("Undo-me-please-1".to_string())),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: format!("{username}@example.com"),
        role_id: "org_user".into(),
        user_type: "creatorUT".into(),
        groups: Vec::new(),
        credits: None,
    }
}

/// A member created by mistake is deleted by undo while they have never signed in; one who
/// has signed in is refused with the reason, and a deleted member cannot be brought back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creations_are_undone_only_for_members_who_never_signed_in() {
    let (_dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    console.create_member(form("undo_fresh")).await.unwrap();
    let fresh_job = last_job(&console).await;
    console.create_member(form("undo_active")).await.unwrap();
    let active_job = last_job(&console).await;
    let url = console.session().await.unwrap().portal_url;
    portal_client::Client::builder(url)
        .build()
        .unwrap()
        .sign_in_with_password(
            "undo_active",
            &SecretString::from("Undo-me-please-1".to_string()),
            60,
        )
        .await
        .unwrap();

    let plan = console.plan_undo(whole(fresh_job.id)).await.unwrap();
    assert_eq!(plan.undo, 1, "{plan:?}");
    let undone = console.undo(whole(fresh_job.id), |_| {}).await.unwrap();
    assert_eq!(undone.done, 1, "{undone:?}");
    assert!(inspect::user_row(&state, "undo_fresh").unwrap().is_none());
    assert!(
        !console
            .members()
            .await
            .unwrap()
            .iter()
            .any(|m| m.username == "undo_fresh"),
        "the row is gone from the table"
    );

    let plan = console.plan_undo(whole(active_job.id)).await.unwrap();
    assert_eq!(plan.refused, 1, "{plan:?}");
    let why = plan.items[0].reason.as_deref().unwrap();
    assert!(why.contains("signed in"), "{why}");
    assert!(console.undo(whole(active_job.id), |_| {}).await.is_err());
    assert!(inspect::user_row(&state, "undo_active").unwrap().is_some());

    // A deletion cannot be undone.
    let leaver = members
        .iter()
        .find(|m| m.role_id == "org_user" && m.provider == "arcgis" && !m.disabled)
        .unwrap();
    console
        .delete_member(&leaver.username, Some(crate::support::DEMO_ADMIN.into()))
        .await
        .unwrap();
    let plan = console
        .plan_undo(whole(last_job(&console).await.id))
        .await
        .unwrap();
    assert_eq!(plan.refused, 1, "{plan:?}");
    assert!(plan.items[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("cannot be brought back"));

    // A job of another portal, or none, is not found.
    assert!(console.plan_undo(whole(999_999)).await.is_err());
}

/// Last night's reclaim undone: the member gets their user type and role back first, then the
/// licenses the lower type could not hold.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reclaim_is_undone_user_type_first_then_licenses() {
    let (_dir, console, _) = loaded_demo().await;
    let state = demo_portal(&console).await;
    let request = crate::support::pro_reclaim(&console).await;
    let plan = console.plan_reclaim(request.clone()).await.unwrap();
    let item = plan
        .items
        .iter()
        .find(|i| i.downgrade && !i.revoke.is_empty())
        .expect("an idle creator holding ArcGIS Pro");
    let who = item.username.clone();
    let before = inspect::user_row(&state, &who).unwrap().unwrap();
    let mut held = inspect::licenses_of(&state, &who).unwrap();
    held.sort();
    let report = console
        .reclaim(request, vec![who.clone()], |_| {})
        .await
        .unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    assert_eq!(
        inspect::user_row(&state, &who).unwrap().unwrap().user_type,
        "viewerUT"
    );

    let job = last_job(&console).await;
    let plan = console.plan_undo(whole(job.id)).await.unwrap();
    assert_eq!(plan.conflicts + plan.refused, 0, "{plan:?}");
    let undone = console.undo(whole(job.id), |_| {}).await.unwrap();
    assert_eq!(undone.failed, 0, "{undone:?}");
    let after = inspect::user_row(&state, &who).unwrap().unwrap();
    assert_eq!(
        (
            after.user_type.as_str(),
            after.role_id.as_deref(),
            after.role.as_str()
        ),
        (
            before.user_type.as_str(),
            before.role_id.as_deref(),
            before.role.as_str()
        )
    );
    let mut again = inspect::licenses_of(&state, &who).unwrap();
    again.sort();
    assert_eq!(again, held, "the licenses are back");
}
