//! Resuming a job that was cut off: each change without a known outcome is read against the
//! portal first. What went through is marked done and not sent again, what never arrived is
//! sent, what someone changed since is left alone as a conflict, and a creation that needs a
//! password (never kept) is refused with the reason. The job keeps its id, and every change
//! ends with an outcome.

use console_core::journal::{JournalStore, NewChange, NewJob};
use console_core::resume::ResumeVerdict;
use console_core::{ChangeOutcome, HistoryFilter, JobState};
use portal_emulator::inspect;
use serde_json::json;

use crate::support::{another_admin, demo_portal, loaded_demo, DEMO_ADMIN};

fn role(member: &str) -> NewChange {
    NewChange {
        member: member.into(),
        field: "role".into(),
        before: Some(json!("org_user")),
        after: Some(json!("org_publisher")),
        before_text: "User".into(),
        after_text: "Publisher".into(),
    }
}

fn creation(username: &str, notified: bool) -> NewChange {
    NewChange {
        member: username.into(),
        field: "member".into(),
        before: None,
        after: Some(json!({
            "username": username,
            "firstName": "Res",
            "lastName": "Umed",
            "email": format!("{username}@example.com"),
            "role": "org_user",
            "userType": "creatorUT",
            "groups": [],
            "credits": null,
            "notified": notified,
        })),
        before_text: String::new(),
        after_text: "created: Creator, User".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_off_job_is_checked_against_the_portal_and_only_what_never_arrived_is_sent() {
    let (dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    let portal = console.session().await.unwrap().portal_url;
    let users: Vec<String> = members
        .iter()
        .filter(|m| m.user_type == "creatorUT" && m.role_id == "org_user" && !m.disabled)
        .take(3)
        .map(|m| m.username.clone())
        .collect();
    let (arrived, lost, changed) = (&users[0], &users[1], &users[2]);
    let group = console.groups(false).await.unwrap()[0].id.clone();
    // A job cut off mid-way, as the journal keeps it: written before its first request,
    // stopped on a lost answer with nothing learned.
    let mut changes = vec![role(arrived), role(lost), role(changed)];
    changes.push(NewChange {
        member: lost.clone(),
        field: format!("group:{group}"),
        before: Some(json!(false)),
        after: Some(json!(true)),
        before_text: "not in the group".into(),
        after_text: "in the group".into(),
    });
    changes.push(creation("resumed_new", true));
    changes.push(creation("resumed_pw", false));
    changes.push(creation("resumed_there", false));
    let job = {
        let mut store = JournalStore::open(&dir.path().join("journal.sqlite")).unwrap();
        let id = store
            .begin(
                &NewJob {
                    portal,
                    admin: DEMO_ADMIN.into(),
                    kind: "import".into(),
                    summary: "Import cohort.csv, 5 rows".into(),
                    undo_of: None,
                },
                &changes,
                1,
            )
            .unwrap();
        store
            .finish(id, JobState::Stopped, ChangeOutcome::Unknown, 2)
            .unwrap();
        id
    };
    // What reached the portal before the cut, and what another administrator did since.
    let (_, other) = another_admin(&console).await;
    other
        .users()
        .set_role(arrived, "org_publisher")
        .await
        .unwrap();
    other.users().set_role(changed, "org_admin").await.unwrap();
    other
        .users()
        .create(&portal_client::NewMember {
            username: "resumed_there".into(),
            password: Some(secrecy::SecretString::from("Resumed-pass-1")),
            first_name: "Res".into(),
            last_name: "Umed".into(),
            email: "resumed_there@example.com".into(),
            role: "org_user".into(),
            user_type: "creatorUT".into(),
            groups: Vec::new(),
            credits: None,
            description: None,
            idp_username: None,
        })
        .await
        .unwrap();

    let waiting = console.resumable_jobs().await.unwrap();
    assert_eq!(waiting.first().map(|j| j.id), Some(job));
    let plan = console.plan_resume(None).await.unwrap();
    assert_eq!(plan.job.id, job);
    assert_eq!(
        (plan.applied, plan.send, plan.conflicts, plan.refused),
        (2, 3, 1, 1),
        "{plan:#?}"
    );
    let verdict = |member: &str, field: &str| {
        plan.items
            .iter()
            .find(|i| i.member == member && i.field == field)
            .map(|i| i.verdict)
    };
    assert_eq!(verdict(arrived, "role"), Some(ResumeVerdict::Applied));
    assert_eq!(verdict(lost, "role"), Some(ResumeVerdict::Send));
    assert_eq!(verdict(changed, "role"), Some(ResumeVerdict::Conflict));
    assert_eq!(verdict("resumed_new", "member"), Some(ResumeVerdict::Send));
    assert_eq!(
        verdict("resumed_pw", "member"),
        Some(ResumeVerdict::Refused)
    );
    // The plan sent nothing.
    assert_eq!(
        inspect::user_row(&state, lost).unwrap().unwrap().role,
        "org_user"
    );

    let report = console.resume(Some(job), |_| {}).await.unwrap();
    assert_eq!(report.job, job, "the job keeps its id");
    assert_eq!(
        (report.done, report.failed, report.skipped),
        (5, 2, 0),
        "{report:#?}"
    );
    assert_eq!(
        inspect::user_row(&state, lost).unwrap().unwrap().role,
        "org_publisher"
    );
    assert!(inspect::user_group_ids(&state, lost)
        .unwrap()
        .contains(&group));
    assert_eq!(
        inspect::user_row(&state, changed).unwrap().unwrap().role,
        "org_admin",
        "the conflict is left as the other administrator made it"
    );
    assert!(inspect::user_row(&state, "resumed_new").unwrap().is_some());
    assert!(inspect::user_row(&state, "resumed_pw").unwrap().is_none());
    // The cache follows: the member created is a row, the role sent is in place.
    let rows = console.members().await.unwrap();
    assert!(rows.iter().any(|m| m.username == "resumed_new"));
    assert!(
        rows.iter().any(|m| m.username == "resumed_there"),
        "a creation found in place reaches the cache too"
    );
    assert_eq!(
        rows.iter().find(|m| &m.username == lost).unwrap().role_id,
        "org_publisher"
    );

    // Every change of the job has its outcome, with the reason where it was not sent.
    let jobs = console.jobs(5).await.unwrap();
    let ended = jobs.iter().find(|j| j.id == job).unwrap();
    assert_eq!(
        (ended.state, ended.done, ended.failed, ended.pending),
        (JobState::Finished, 5, 2, 0)
    );
    let history = console
        .history(HistoryFilter {
            job: Some(job),
            ..HistoryFilter::default()
        })
        .await
        .unwrap();
    let message = |member: &str, field: &str| {
        history
            .iter()
            .find(|c| c.member == member && c.field == field)
            .and_then(|c| c.message.clone())
            .unwrap_or_default()
    };
    assert!(message(arrived, "role").contains("not sent again"));
    assert!(message(changed, "role").contains("Administrator"));
    assert!(message("resumed_pw", "member").contains("password"));
    // Nothing is left to resume.
    let again = console.plan_resume(Some(job)).await.unwrap_err();
    assert!(again.to_string().contains("nothing to resume"), "{again}");
    assert!(console.resumable_jobs().await.unwrap().is_empty());
}
