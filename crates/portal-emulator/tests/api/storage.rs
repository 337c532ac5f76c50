use std::time::{Duration, Instant};

use portal_emulator::{seed, Config, State};

use crate::support::{error_code, Portal, ADMIN, ADMIN_PASSWORD};

#[tokio::test]
async fn a_portal_on_a_file_keeps_members_and_tokens_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portal.db").to_string_lossy().into_owned();
    let (token, org_id, member) = {
        let state = State::open(&path, Config::default()).unwrap();
        seed::ensure_admin(&state.db, ADMIN, ADMIN_PASSWORD).unwrap();
        seed::seed_users(&state.db, 30, ADMIN).unwrap();
        let p = Portal { state };
        let t = p.admin_token().await;
        let m = p.member_with("1");
        p.post_as(
            &t,
            &format!("/sharing/rest/community/users/{m}/update"),
            "description=kept&f=json",
        )
        .await;
        (t, p.state.org_id.clone(), m)
    };
    let state = State::open(&path, Config::default()).unwrap();
    assert_eq!(state.org_id, org_id, "the same organization");
    let p = Portal { state };
    let v = p
        .get_as(
            &token,
            &format!("/sharing/rest/community/users/{member}?f=json"),
        )
        .await;
    assert_eq!(v["description"], "kept", "{v}");
    let count: i64 = p
        .state
        .db
        .get()
        .unwrap()
        .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 31);
}

#[tokio::test]
async fn concurrent_writes_all_land() {
    let p = Portal::new(60);
    let t = p.admin_token().await;
    let names = p.usernames(40);
    let updates = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (
                format!("/sharing/rest/community/users/{name}/update"),
                format!("description=writer{i}&f=json"),
            )
        })
        .collect();
    for v in p.post_all_at_once(&t, updates).await {
        assert_eq!(v["success"], true, "{v}");
    }
    for (i, name) in names.iter().enumerate() {
        let v = p
            .get_as(&t, &format!("/sharing/rest/community/users/{name}?f=json"))
            .await;
        assert_eq!(v["description"], format!("writer{i}"));
    }
}

#[tokio::test]
async fn fault_injection_answers_api_calls_with_transient_failures_only() {
    let config = Config {
        fault_rate: 1.0,
        ..Default::default()
    };
    let p = Portal::with_config(0, config);
    for _ in 0..20 {
        let a = p
            .send("GET", "/sharing/rest/portals/self?f=json", &[], "")
            .await;
        match a.status.as_u16() {
            429 => assert!(
                a.headers.get("retry-after").is_some(),
                "429 carries Retry-After"
            ),
            500 => {}
            other => panic!("expected 429 or 500, got {other}"),
        }
    }
    let page = p
        .send("GET", "/sharing/oauth2/approval?code=x", &[], "")
        .await;
    assert_eq!(page.status, 200, "the sign-in pages are not faulted");
}

#[tokio::test]
async fn latency_delays_every_api_answer() {
    let config = Config {
        latency: Duration::from_millis(120),
        ..Default::default()
    };
    let p = Portal::with_config(0, config);
    let started = Instant::now();
    let v = p.get("/sharing/rest?f=json").await;
    assert_eq!(v["currentVersion"], "2025.1");
    assert!(
        started.elapsed() >= Duration::from_millis(120),
        "answered before the configured latency"
    );
    assert_eq!(error_code(&v), None);
}

/// Transactions that read before they write (group joins check membership first) must not
/// fail with "database is locked" when many run at once: each one takes the write lock when
/// it begins, so none has to upgrade a stale read.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_group_joins_all_land() {
    let p = Portal::new(200);
    let t = p.admin_token().await;
    let mut groups = Vec::new();
    for i in 0..4 {
        let v = p
            .post_as(
                &t,
                "/sharing/rest/community/createGroup",
                &format!("title=Concurrent{i}&access=org&f=json"),
            )
            .await;
        groups.push(v["group"]["id"].as_str().unwrap().to_string());
    }
    let names = p.usernames(200);
    let mut joins = Vec::new();
    for group in &groups {
        for batch in names.chunks(10) {
            joins.push((
                format!("/sharing/rest/community/groups/{group}/addUsers"),
                format!("users={}&f=json", batch.join(",")),
            ));
        }
    }
    for v in p.post_all_at_once(&t, joins).await {
        assert_eq!(v["notAdded"], serde_json::json!([]), "{v}");
    }
    let conn = p.state.db.get().unwrap();
    for group in &groups {
        let count: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND member_type = 'member'",
                [group],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(count, 200, "every member joined group {group}");
    }
}
