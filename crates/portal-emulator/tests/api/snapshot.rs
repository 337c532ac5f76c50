//! The in-memory copy of the members is brought forward by the rows a write changed, not
//! reloaded (docs/ARCHITECTURE.md, the member snapshot), and stays what a fresh load from
//! SQLite would give: after every kind of write, after writes racing reads, and after a write
//! that rolls back.

use portal_emulator::snapshot::Snapshot;

use crate::support::{error_code, Portal};

/// The copy reads see now, checked against a fresh load; returns it.
fn check(p: &Portal, after: &str) -> std::sync::Arc<Snapshot> {
    let current = p.state.members.get(&p.state.db).unwrap();
    let fresh = Snapshot::reload(&p.state.db, true).unwrap();
    let (a, b) = (current.dump(), fresh.dump());
    if a != b {
        let at = a
            .lines()
            .zip(b.lines())
            .find(|(x, y)| x != y)
            .map(|(x, y)| format!("\n  copy:  {x:.400}\n  fresh: {y:.400}"))
            .unwrap_or_else(|| "(one is longer)".into());
        panic!("after {after}, the copy differs from a fresh load:{at}");
    }
    current
}

/// Sorts every field once, so the copy carries sort orders to bring forward.
async fn sort_everything(p: &Portal, token: &str) {
    for field in [
        "fullname",
        "created",
        "modified",
        "lastlogin",
        "role",
        "username",
    ] {
        let v = p
            .get_as(
                token,
                &format!("/sharing/rest/community/users?q=*&sortField={field}&f=json"),
            )
            .await;
        assert_eq!(error_code(&v), None, "{v}");
    }
    for field in [
        "firstname",
        "lastname",
        "email",
        "level",
        "mfaenabled",
        "usertype",
    ] {
        let uri = format!("/sharing/rest/portals/self/users?sortField={field}&f=json");
        assert_eq!(error_code(&p.get_as(token, &uri).await), None);
    }
}

fn sql(p: &Portal, statement: &str, args: &[&str]) {
    let conn = p.state.db.get().unwrap();
    conn.execute(
        statement,
        r2d2_sqlite::rusqlite::params_from_iter(args.iter()),
    )
    .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

#[tokio::test]
async fn every_kind_of_write_brings_the_copy_forward_to_what_a_reload_gives() {
    let p = Portal::new(400);
    let t = p.admin_token().await;
    sort_everything(&p, &t).await;
    let first = check(&p, "the first read");
    let names = p.usernames(20);
    let post = |path: String, body: String| {
        let (p, t) = (p.clone(), t.clone());
        async move {
            let v = p.post_as(&t, &path, &body).await;
            assert_eq!(error_code(&v), None, "{path} {body}: {v}");
        }
    };
    let n = |i: usize| names[i].clone();
    let users = "/sharing/rest/community/users";
    post(
        format!("{users}/{}/update", n(0)),
        "fullname=Zed+Aardvark&description=new&tags=a,b&f=json".into(),
    )
    .await;
    check(&p, "a profile update");
    let creator = |other: &str| {
        p.member_with(&format!("user_license_type_id = 'creatorUT' AND role = 'org_user' AND role_id IS NULL AND username NOT IN ('{other}')"))
    };
    let (c1, c2) = (creator(""), creator(&creator("")));
    post(
        "/sharing/rest/portals/self/updateUserRole".into(),
        format!("user={c1}&role=org_publisher&f=json"),
    )
    .await;
    check(&p, "a role change");
    post(
        "/sharing/rest/portals/self/updateUserLicenseType".into(),
        format!("users={}&userLicenseType=creatorUT&f=json", n(2)),
    )
    .await;
    check(&p, "a user type change");
    post(format!("{users}/{}/disable", n(3)), "f=json".into()).await;
    check(&p, "a disable");
    post(format!("{users}/{}/enable", n(3)), "f=json".into()).await;
    check(&p, "an enable");
    post(format!("{users}/{}/delete", n(4)), "f=json".into()).await;
    check(&p, "a delete");
    // A new member, a rename (the member moves in username order) and a changed id.
    sql(&p, "INSERT INTO users (id, username, full_name, email, role, user_license_type_id, created, modified) VALUES ('0000000000000000000000000000abcd', 'aaa_new_member', 'New Member', 'new@example.com', 'org_user', 'creatorUT', 1, 1)", &[]);
    check(&p, "a new member");
    sql(
        &p,
        "UPDATE users SET username = 'zzz_renamed' WHERE username = ?1",
        &[&n(5)],
    );
    check(&p, "a rename");
    sql(
        &p,
        "UPDATE users SET id = 'ffffffffffffffffffffffffffff0001' WHERE username = ?1",
        &[&n(6)],
    );
    check(&p, "an id change");
    // Several writes between two reads, one member changed twice, one created and deleted.
    post(
        format!("{users}/{}/update", n(7)),
        "firstname=Anne&f=json".into(),
    )
    .await;
    post(
        format!("{users}/{}/update", n(7)),
        "lastname=Zimmer&f=json".into(),
    )
    .await;
    sql(&p, "INSERT INTO users (id, username, role, user_license_type_id, created, modified) VALUES ('0000000000000000000000000000abce', 'short_lived', 'org_user', 'creatorUT', 1, 1)", &[]);
    sql(&p, "DELETE FROM users WHERE username = 'short_lived'", &[]);
    post(
        "/sharing/rest/portals/self/updateUserRole".into(),
        format!("user={c2}&role=org_admin&f=json"),
    )
    .await;
    check(&p, "a burst of writes");
    // Group membership is not in the copy; it must not disturb it.
    let group = p
        .post_as(
            &t,
            "/sharing/rest/community/createGroup",
            "title=G&access=org&tags=x&f=json",
        )
        .await["group"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    post(
        format!("/sharing/rest/community/groups/{group}/addUsers"),
        format!("users={},{}&f=json", n(9), n(10)),
    )
    .await;
    post(
        format!("/sharing/rest/community/groups/{group}/removeUsers"),
        format!("users={}&f=json", n(9)),
    )
    .await;
    let last = check(&p, "group changes");
    assert!(
        last.shared_with(&first) > 300,
        "unchanged members are shared from copy to copy, not reloaded ({} shared)",
        last.shared_with(&first)
    );
    // A change to the roles table may reach every member (a full reload, by design).
    sql(
        &p,
        "UPDATE roles SET privileges = '[\"portal:user:joinGroup\"]' WHERE id = 'iBBBBBBBBBBBBBBB'",
        &[],
    );
    sql(
        &p,
        "UPDATE users SET role_id = 'iBBBBBBBBBBBBBBB' WHERE username = ?1",
        &[&n(11)],
    );
    check(&p, "a role's privileges changed");
    sort_everything(&p, &t).await;
    check(&p, "sorting again");
}

#[tokio::test]
async fn a_write_that_rolls_back_leaves_the_copy_as_it_was() {
    let p = Portal::new(100);
    let before = check(&p, "the first read");
    let name = p.usernames(1).remove(0);
    {
        let mut conn = p.state.db.get().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute(
            "UPDATE users SET full_name = 'Rolled Back' WHERE username = ?1",
            [&name],
        )
        .unwrap();
        tx.execute(
            "DELETE FROM users WHERE username <> ?1 AND builtin_admin = 0",
            [&name],
        )
        .unwrap();
        // Readers meanwhile see the committed state only.
        let during = check(&p, "a read during the open write");
        assert_eq!(during.version, before.version);
        drop(tx);
    }
    let after = check(&p, "the rollback");
    assert_eq!(after.version, before.version, "nothing was committed");
    assert!(!after.dump().contains("Rolled Back"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_racing_reads_leave_the_copy_equal_to_a_reload() {
    let p = Portal::new(300);
    let t = p.admin_token().await;
    sort_everything(&p, &t).await;
    let conn = p.state.db.get().unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT username FROM users WHERE user_license_type_id = 'creatorUT' AND builtin_admin = 0 ORDER BY username LIMIT 40")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    let mut tasks = Vec::new();
    for (i, name) in names.into_iter().enumerate() {
        let (wp, wt) = (p.clone(), t.clone());
        tasks.push(tokio::spawn(async move {
            let (p, t) = (wp, wt);
            let body = format!("fullname=Racer+{i}&f=json");
            p.post_as(
                &t,
                &format!("/sharing/rest/community/users/{name}/update"),
                &body,
            )
            .await;
            let role = if i % 2 == 0 {
                "org_publisher"
            } else {
                "org_user"
            };
            p.post_as(
                &t,
                "/sharing/rest/portals/self/updateUserRole",
                &format!("user={name}&role={role}&f=json"),
            )
            .await;
        }));
        let (rp, rt) = (p.clone(), t.clone());
        tasks.push(tokio::spawn(async move {
            let (p, t) = (rp, rt);
            p.get_as(
                &t,
                "/sharing/rest/community/users?q=racer&sortField=fullname&f=json",
            )
            .await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    check(&p, "racing writes and reads");
}
