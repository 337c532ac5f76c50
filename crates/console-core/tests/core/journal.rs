//! The journal: every change the console sends is recorded with its job, its value before
//! and after, and what became of it (the portal's reason when refused); History reads it back
//! filtered, and another console on the same data folder (the command line) sees it too.

use console_core::{BulkKind, BulkRequest, ChangeOutcome, HistoryFilter, JobState, MemberEdit};
use portal_emulator::inspect;

use crate::support::{demo_portal, loaded_demo};

/// A bulk role change for creators and viewers is one job: one change per member with the role
/// before and after, done for the creators and failed with the portal's reason for the
/// viewers; the job's counts add up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_change_is_recorded_with_each_members_before_after_and_outcome() {
    let (dir, console, members) = loaded_demo().await;
    let creators: Vec<_> = members
        .iter()
        .filter(|m| m.user_type == "creatorUT" && m.role_id == "org_user")
        .take(3)
        .collect();
    let viewer = members
        .iter()
        .find(|m| m.user_type == "viewerUT")
        .expect("the demo org has viewers");
    let mut usernames: Vec<String> = creators.iter().map(|m| m.username.clone()).collect();
    usernames.push(viewer.username.clone());
    let report = console
        .bulk(
            BulkRequest {
                kind: BulkKind::SetRole,
                target: "org_publisher".into(),
                usernames,
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!((report.done, report.failed), (3, 1));

    let jobs = console.jobs(10).await.unwrap();
    let job = jobs.first().expect("the job is recorded");
    assert_eq!(job.kind, "setRole");
    assert_eq!(job.state, JobState::Finished);
    assert_eq!(job.summary, "Role → Publisher, 4 members");
    assert_eq!(job.admin, console.session().await.unwrap().username);
    assert_eq!(
        (job.changes, job.done, job.failed, job.skipped, job.pending),
        (4, 3, 1, 0, 0),
        "{job:?}"
    );
    assert!(job.ended.is_some_and(|e| e >= job.started));

    let changes = console
        .history(HistoryFilter {
            job: Some(job.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(changes.len(), 4);
    for m in &creators {
        let c = changes.iter().find(|c| c.member == m.username).unwrap();
        assert_eq!(c.field, "role");
        assert_eq!(c.before, Some(serde_json::json!("org_user")));
        assert_eq!(c.after, Some(serde_json::json!("org_publisher")));
        assert_eq!(
            (c.before_text.as_str(), c.after_text.as_str()),
            ("User", "Publisher")
        );
        assert_eq!(c.outcome, ChangeOutcome::Done);
        assert_eq!(c.message, None);
    }
    let refused = changes
        .iter()
        .find(|c| c.member == viewer.username)
        .unwrap();
    assert_eq!(refused.outcome, ChangeOutcome::Failed);
    assert!(
        refused.message.as_deref().is_some_and(|m| !m.is_empty()),
        "the portal's reason is kept: {refused:?}"
    );

    // The journal is a file of the data folder: another process on it (the command line)
    // reads the same jobs.
    let file = console_core::journal::JournalStore::open(&dir.path().join("journal.sqlite"))
        .expect("the journal opens beside the running console");
    let seen = file.jobs(None, 10).unwrap();
    assert_eq!(seen.first().map(|j| j.id), Some(job.id));
}

/// A group change records membership before and after; filtering by member, by field family
/// and by date finds it, and a filter that matches nothing finds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_filters_by_member_field_and_date() {
    let (_dir, console, members) = loaded_demo().await;
    let groups = console.groups(false).await.unwrap();
    let group = groups.first().expect("the demo org has groups");
    let outsider = members
        .iter()
        .find(|m| !m.groups.iter().any(|k| *k == group.id) && !m.disabled)
        .expect("someone is not in the group");
    let report = console
        .bulk(
            BulkRequest {
                kind: BulkKind::AddToGroup,
                target: group.id.clone(),
                usernames: vec![outsider.username.clone()],
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    let by_member = |member: &str, field: Option<&str>| HistoryFilter {
        member: Some(member.to_string()),
        field: field.map(str::to_string),
        ..Default::default()
    };
    // Part of the username, any case.
    let part = outsider.username[..outsider.username.len() - 1].to_uppercase();
    let found = console
        .history(by_member(&part, Some("group")))
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let c = &found[0];
    assert_eq!(c.field, format!("group:{}", group.id));
    assert_eq!(c.before, Some(serde_json::json!(false)));
    assert_eq!(c.after, Some(serde_json::json!(true)));
    assert_eq!(c.after_text, format!("in {}", group.title));
    assert_eq!(c.outcome, ChangeOutcome::Done);
    assert!(console
        .history(by_member(&part, Some("role")))
        .await
        .unwrap()
        .is_empty());
    // A percent sign is a character, not a wildcard.
    assert!(console
        .history(by_member("%", None))
        .await
        .unwrap()
        .is_empty());
    let after = HistoryFilter {
        from: Some(c.at + 1),
        ..Default::default()
    };
    assert!(console.history(after).await.unwrap().is_empty());
    let around = HistoryFilter {
        from: Some(c.at),
        to: Some(c.at + 1),
        ..Default::default()
    };
    assert_eq!(console.history(around).await.unwrap().len(), 1);
    // The same filter as CSV, a row per change under the header.
    let (text, count) = console
        .history_csv(by_member(&part, Some("group")))
        .await
        .unwrap();
    assert_eq!(count, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "When (UTC),Job,Kind,Administrator,Member,Field,Before,After,Outcome,Message"
    );
    assert!(
        lines[1].contains(&format!(
            ",addToGroup,demo_admin,{},group:{},not in {},in {},done,",
            outsider.username, group.id, group.title, group.title
        )),
        "{}",
        lines[1]
    );
}

/// An edit is a job of its own with a change per field it changed (and none for the fields it
/// left), each checked against what the portal holds after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_records_each_changed_field() {
    let (_dir, console, members) = loaded_demo().await;
    let m = members
        .iter()
        .find(|m| m.user_type == "creatorUT" && m.role_id == "org_user" && !m.disabled)
        .unwrap()
        .clone();
    let edit = MemberEdit {
        username: m.username.clone(),
        first_name: "Grace".into(),
        last_name: m.last_name.clone(),
        email: m.email.clone(),
        description: m.description.clone(),
        access: m.access,
        role_id: "org_publisher".into(),
        user_type: m.user_type.to_string(),
        credits: None,
    };
    console.update_member(edit).await.unwrap();
    let job = console.jobs(1).await.unwrap().remove(0);
    assert_eq!(job.kind, "edit");
    assert_eq!(job.summary, format!("Edit {}", m.username));
    let changes = console
        .history(HistoryFilter {
            job: Some(job.id),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["firstName", "role"],
        "only what changed: {changes:?}"
    );
    let name = changes.iter().find(|c| c.field == "firstName").unwrap();
    assert_eq!(name.before_text, m.first_name);
    assert_eq!(name.after_text, "Grace");
    assert!(changes.iter().all(|c| c.outcome == ChangeOutcome::Done));
    let facts = inspect::user_row(&demo_portal(&console).await, &m.username)
        .unwrap()
        .unwrap();
    assert_eq!(facts.role_id.unwrap_or(facts.role), "org_publisher");
}

/// An edit the portal refuses part of (a Viewer type cannot be an Administrator) records the
/// refused field as failed with the portal's reason, and what went through as done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_edit_records_the_refusal() {
    let (_dir, console, members) = loaded_demo().await;
    let viewer = members
        .iter()
        .find(|m| m.user_type == "viewerUT" && !m.disabled)
        .unwrap()
        .clone();
    let edit = MemberEdit {
        username: viewer.username.clone(),
        first_name: "Refused".into(),
        last_name: viewer.last_name.clone(),
        email: viewer.email.clone(),
        description: viewer.description.clone(),
        access: viewer.access,
        role_id: "org_admin".into(),
        user_type: viewer.user_type.to_string(),
        credits: None,
    };
    let error = console.update_member(edit).await.unwrap_err();
    let job = console.jobs(1).await.unwrap().remove(0);
    assert_eq!((job.done, job.failed), (1, 1), "{job:?}");
    let changes = console
        .history(HistoryFilter {
            job: Some(job.id),
            ..Default::default()
        })
        .await
        .unwrap();
    let role = changes.iter().find(|c| c.field == "role").unwrap();
    assert_eq!(role.outcome, ChangeOutcome::Failed);
    assert_eq!(role.message.as_deref(), Some(error.to_string().as_str()));
    let name = changes.iter().find(|c| c.field == "firstName").unwrap();
    assert_eq!(name.outcome, ChangeOutcome::Done);
}
