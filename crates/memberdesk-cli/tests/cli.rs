//! The command line against an embedded portal over HTTPS (its own certificate, trusted with
//! `--ca-cert`): export, a dry run that sends nothing, an import whose bad rows are named while
//! the good ones go through, the journal it leaves (`jobs`, `history`), and the failures that
//! exit non-zero with one line.

use std::path::{Path, PathBuf};
use std::process::Output;

use portal_emulator::{inspect, router, seed, server, Config, State};

const ADMIN: &str = "cli_admin";
const PASSWORD: &str = "Cli-pass-123";

struct Portal {
    url: String,
    state: State,
    ca: PathBuf,
    data: tempfile::TempDir,
}

async fn portal() -> Portal {
    portal_with(Config::default(), |r| r).await
}

/// A portal with `config` (served over HTTPS), its router wrapped by `wrap`.
async fn portal_with(config: Config, wrap: impl FnOnce(axum::Router) -> axum::Router) -> Portal {
    let state = State::open(
        ":memory:",
        Config {
            tls: true,
            ..config
        },
    )
    .unwrap();
    seed::ensure_admin(&state.db, ADMIN, PASSWORD).unwrap();
    seed::seed_users(&state.db, 40, ADMIN).unwrap();
    let cert = server::self_signed().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(server::serve(
        listener,
        wrap(router(state.clone())),
        Some(cert.config.clone()),
    ));
    let data = tempfile::tempdir().unwrap();
    let ca = data.path().join("portal-ca.pem");
    std::fs::write(&ca, &cert.cert_pem).unwrap();
    Portal {
        url,
        state,
        ca,
        data,
    }
}

impl Portal {
    /// Runs the command line signed in to this portal, the password in the environment.
    async fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, Some(PASSWORD), None).await
    }

    async fn run_with(
        &self,
        args: &[&str],
        env_password: Option<&str>,
        stdin: Option<&str>,
    ) -> Output {
        let mut child = self.start(args, env_password);
        {
            use tokio::io::AsyncWriteExt;
            let mut input = child.stdin.take().unwrap();
            if let Some(text) = stdin {
                input.write_all(text.as_bytes()).await.unwrap();
            }
        }
        child.wait_with_output().await.unwrap()
    }

    /// The command line started, signed in to this portal (the password in the environment
    /// when given), its standard streams piped.
    fn start(&self, args: &[&str], env_password: Option<&str>) -> tokio::process::Child {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_memberdesk-cli"));
        cmd.args(["--portal", &self.url, "--username", ADMIN, "--ca-cert"])
            .arg(&self.ca)
            .args(args)
            .env("MEMBERDESK_DATA_DIR", self.data.path().join("data"))
            .env_remove("MEMBERDESK_PASSWORD")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        if let Some(p) = env_password {
            cmd.env("MEMBERDESK_PASSWORD", p);
        }
        cmd.spawn().unwrap()
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.data.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The export's rows as (username, role, user type).
fn exported(path: &Path) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |h: &str| headers.iter().position(|x| x == h).unwrap();
    let (u, r, t) = (at("Username"), at("Role"), at("User Type"));
    reader
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[u].to_string(), rec[r].to_string(), rec[t].to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_import_with_a_dry_run_first_and_the_journal_after() {
    let p = portal().await;
    let out = p.data.path().join("members.csv");
    let o = p.run(&["export", "--out", out.to_str().unwrap()]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().last(),
        Some("members=41"),
        "40 seeded and the admin"
    );
    let rows = exported(&out);
    assert_eq!(rows.len(), 41);
    // A Creator with the User role whose username is in no other member's (the filter is a
    // substring of username, full name or email).
    let (member, _, _) = rows
        .iter()
        .find(|(u, r, t)| {
            u != ADMIN
                && r == "User"
                && t == "Creator"
                && rows
                    .iter()
                    .filter(|(o, _, _)| o.contains(u.as_str()))
                    .count()
                    == 1
        })
        .expect("a Creator with the User role")
        .clone();
    let filtered = p
        .run(&[
            "export",
            "--out",
            out.to_str().unwrap(),
            "--filter",
            &member.to_uppercase(),
        ])
        .await;
    assert_eq!(
        stdout(&filtered).trim(),
        "members=1",
        "{}",
        stderr(&filtered)
    );

    let file = p.file(
        "people.csv",
        &format!(
            "Username,First Name,Last Name,Email,Role,User Type,Password\n\
             {member},,,,Publisher,,\n\
             new_person1,New,Person,new1@example.com,User,Creator,Secret-pass-1\n\
             ,,,invitee@example.com,Viewer,Viewer,\n\
             bad_email1,Bad,Email,not-an-email,User,Creator,Secret-pass-1\n\
             new_person1,Twice,Over,twice@example.com,User,Creator,Secret-pass-1\n"
        ),
    );
    let dry = p
        .run(&["import", file.to_str().unwrap(), "--dry-run"])
        .await;
    let text = stdout(&dry);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}\n{}", stderr(&dry));
    assert_eq!(lines[0], "row 2: update (role: User → Publisher)");
    assert_eq!(lines[1], "row 3: create");
    assert_eq!(lines[2], "row 4: invite");
    assert!(lines[3].starts_with("row 5: invalid: "), "{}", lines[3]);
    assert!(lines[3].contains("not-an-email"), "{}", lines[3]);
    assert_eq!(
        lines[4],
        "row 6: invalid: The username new_person1 is also on row 3."
    );
    assert_eq!(
        lines[5],
        "rows=5 create=1 invite=1 update=1 unchanged=0 invalid=2 applied=0 failed=0"
    );
    assert!(!dry.status.success(), "invalid rows make a dry run fail");
    assert_eq!(
        stderr(&dry).lines().last(),
        Some("memberdesk-cli: 2 invalid rows")
    );
    // Nothing was sent.
    assert!(inspect::user_row(&p.state, "new_person1")
        .unwrap()
        .is_none());
    let facts = inspect::user_row(&p.state, &member).unwrap().unwrap();
    assert_eq!(facts.role_id.unwrap_or(facts.role), "org_user");

    let invitations = inspect::open_org_invitation_count(&p.state).unwrap();
    let run = p.run(&["import", file.to_str().unwrap()]).await;
    let text = stdout(&run);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "row 2: update done", "{text}\n{}", stderr(&run));
    assert_eq!(lines[1], "row 3: create done");
    assert_eq!(lines[2], "row 4: invite done");
    assert!(lines[3].starts_with("row 5: invalid: "));
    assert_eq!(
        lines.last().copied(),
        Some("rows=5 create=1 invite=1 update=1 unchanged=0 invalid=2 applied=3 failed=0")
    );
    assert!(
        !run.status.success(),
        "the invalid rows are a failure to report"
    );
    let facts = inspect::user_row(&p.state, &member).unwrap().unwrap();
    assert_eq!(facts.role_id.unwrap_or(facts.role), "org_publisher");
    assert!(inspect::user_row(&p.state, "new_person1")
        .unwrap()
        .is_some());
    assert_eq!(
        inspect::open_org_invitation_count(&p.state).unwrap(),
        invitations + 1,
        "the invitation was sent"
    );

    // The journal, read without signing in.
    let jobs = p.run_with(&["jobs"], None, None).await;
    assert!(jobs.status.success(), "{}", stderr(&jobs));
    let first = stdout(&jobs).lines().next().unwrap_or_default().to_string();
    let id = first.split(' ').next().unwrap().to_string();
    assert!(
        first.contains(" import ")
            && first.contains(" 3 done=3 failed=0 skipped=0 pending=0 finished "),
        "{first}"
    );
    let history = p.run_with(&["history", "--job", &id], None, None).await;
    let text = stdout(&history);
    assert!(
        text.lines()
            .any(|l| l.contains(&format!("{member} role: User → Publisher done"))),
        "{text}"
    );
    assert!(text
        .lines()
        .any(|l| l.contains("new_person1 member: ") && l.ends_with(" done")));
    assert!(
        !text.contains("Secret-pass-1"),
        "passwords are never recorded"
    );
    let mine = p
        .run_with(&["history", "--member", &member], None, None)
        .await;
    assert_eq!(stdout(&mine).lines().count(), 1, "{}", stdout(&mine));

    // The import undone: a dry run first, then the role back, the new member (who never
    // signed in) deleted, the invitation withdrawn; the invalid rows left nothing to undo.
    let dry = p.run(&["undo", "--job", &id, "--dry-run"]).await;
    assert!(dry.status.success(), "{}", stderr(&dry));
    let text = stdout(&dry);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].ends_with(&format!(" {member} role: undo (Publisher → User)")),
        "{text}"
    );
    assert!(
        lines[1].ends_with(" new_person1 member: undo (delete the member)"),
        "{text}"
    );
    assert!(
        lines[2].ends_with(" invitee@example.com invitation: undo (withdraw the invitation)"),
        "{text}"
    );
    assert_eq!(
        lines[3],
        "changes=3 undo=3 unchanged=0 conflicts=0 refused=0 applied=0 failed=0"
    );
    let facts = inspect::user_row(&p.state, &member).unwrap().unwrap();
    assert_eq!(
        facts.role_id.unwrap_or(facts.role),
        "org_publisher",
        "a dry run sends nothing"
    );

    let undo = p.run(&["undo", "--job", &id]).await;
    assert!(
        undo.status.success(),
        "{}\n{}",
        stdout(&undo),
        stderr(&undo)
    );
    assert_eq!(
        stdout(&undo).lines().last(),
        Some("changes=3 undo=3 unchanged=0 conflicts=0 refused=0 applied=3 failed=0")
    );
    let facts = inspect::user_row(&p.state, &member).unwrap().unwrap();
    assert_eq!(facts.role_id.unwrap_or(facts.role), "org_user");
    assert!(inspect::user_row(&p.state, "new_person1")
        .unwrap()
        .is_none());
    assert_eq!(
        inspect::open_org_invitation_count(&p.state).unwrap(),
        invitations
    );
    let jobs = stdout(&p.run_with(&["jobs"], None, None).await);
    assert!(
        jobs.lines()
            .next()
            .is_some_and(|l| l.contains(" undo ") && l.contains(&format!("Undo of job {id}"))),
        "{jobs}"
    );
    // Nothing is left to undo (the role is back, the member gone, the invitation no longer
    // pending): said, and not a failure.
    let again = p.run(&["undo", "--job", &id]).await;
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        stdout(&again).lines().last(),
        Some("changes=3 undo=0 unchanged=2 conflicts=0 refused=1 applied=0 failed=0")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_comes_from_stdin_and_failures_are_one_line() {
    let p = portal().await;
    let out = p.data.path().join("m.csv");
    let o = p
        .run_with(
            &["export", "--out", out.to_str().unwrap()],
            None,
            Some(&format!("{PASSWORD}\n")),
        )
        .await;
    assert!(o.status.success(), "{}", stderr(&o));

    let none = p
        .run_with(&["export", "--out", out.to_str().unwrap()], None, Some(""))
        .await;
    assert!(!none.status.success());
    assert_eq!(stderr(&none).lines().count(), 1, "{}", stderr(&none));
    assert!(stderr(&none).contains("MEMBERDESK_PASSWORD"));

    let wrong = p
        .run_with(
            &["export", "--out", out.to_str().unwrap()],
            Some("Wrong-pass-1"),
            None,
        )
        .await;
    assert!(!wrong.status.success());
    assert_eq!(stderr(&wrong).lines().count(), 1, "{}", stderr(&wrong));
    assert!(!stderr(&wrong).contains("Wrong-pass-1"));

    let malformed = p.file("bad.csv", "Name,Shoe Size\nAnn,38\n");
    let o = p
        .run(&["import", malformed.to_str().unwrap(), "--dry-run"])
        .await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no Username or Email column"),
        "{}",
        stderr(&o)
    );

    // Without --ca-cert the portal's own certificate is not trusted.
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_memberdesk-cli"));
    let untrusted = cmd
        .args(["--portal", &p.url, "--username", ADMIN, "export", "--out"])
        .arg(&out)
        .env("MEMBERDESK_DATA_DIR", p.data.path().join("data"))
        .env("MEMBERDESK_PASSWORD", PASSWORD)
        .output()
        .await
        .unwrap();
    assert!(!untrusted.status.success());
    assert_eq!(stderr(&untrusted).lines().count(), 1);
}

/// An import of 40 profile changes is killed (SIGKILL) while its requests are in flight. The
/// next run finds the job interrupted; `resume` reads each change without an outcome against
/// the portal, sends only the ones that never arrived, and every member ends with the new
/// name, each update applied once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_mid_job_is_resumed_without_applying_anything_twice() {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    // Each member's profile updates the portal carried out (counted once answered).
    let applied: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    let counter = applied.clone();
    let p = portal_with(
        Config {
            latency: std::time::Duration::from_millis(300),
            ..Config::default()
        },
        move |r| {
            r.layer(axum::middleware::from_fn(
                move |req: axum::extract::Request, next: axum::middleware::Next| {
                    let counter = counter.clone();
                    async move {
                        let path = req.uri().path().to_string();
                        let response = next.run(req).await;
                        let user = path
                            .strip_prefix("/sharing/rest/community/users/")
                            .and_then(|rest| rest.strip_suffix("/update"));
                        if let Some(user) = user {
                            *counter
                                .lock()
                                .unwrap()
                                .entry(user.to_lowercase())
                                .or_default() += 1;
                        }
                        response
                    }
                },
            ))
        },
    )
    .await;
    let out = p.data.path().join("members.csv");
    let o = p.run(&["export", "--out", out.to_str().unwrap()]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let members: Vec<String> = exported(&out)
        .into_iter()
        .map(|(u, _, _)| u)
        .filter(|u| u != ADMIN)
        .collect();
    assert_eq!(members.len(), 40);
    let mut csv = String::from("Username,First Name\n");
    for m in &members {
        csv.push_str(&format!("{m},Renamed\n"));
    }
    let file = p.file("renames.csv", &csv);

    let mut child = p.start(&["import", file.to_str().unwrap()], Some(PASSWORD));
    // Killed once the portal has carried out some of the updates, with more on their way
    // (8 at a time) and the rest not sent yet: the journal has no outcome for any of them.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while applied.lock().unwrap().values().sum::<u32>() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the import never got going"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it could be killed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();

    let jobs = stdout(&p.run_with(&["jobs"], None, None).await);
    let first = jobs.lines().next().unwrap_or_default().to_string();
    assert!(
        first.contains(" import ") && first.contains(" interrupted "),
        "{jobs}"
    );
    let pending: u32 = first
        .split(' ')
        .find_map(|w| w.strip_prefix("pending="))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(pending, 40, "{first}");
    let id = first.split(' ').next().unwrap().to_string();

    let dry = p.run(&["resume", "--dry-run"]).await;
    assert!(dry.status.success(), "{}", stderr(&dry));
    let text = stdout(&dry);
    assert!(
        text.lines()
            .next()
            .unwrap_or_default()
            .starts_with(&format!("job {id} import interrupted")),
        "{text}"
    );
    let counts = text.lines().last().unwrap_or_default().to_string();
    assert!(
        counts.starts_with("changes=40 applied=")
            && counts.contains(" conflicts=0 refused=0 done=0 failed=0"),
        "{text}"
    );

    let count_of = |key: &str| -> u32 {
        counts
            .split(' ')
            .find_map(|w| w.strip_prefix(key))
            .unwrap()
            .parse()
            .unwrap()
    };
    // Some went through before the kill (not sent again), the rest never arrived.
    assert!(
        count_of("applied=") >= 1 && count_of("send=") >= 1,
        "{text}"
    );
    assert!(text.contains(" firstName: send ("), "{text}");
    let resumed = p.run(&["resume", "--job", &id]).await;
    assert!(
        resumed.status.success(),
        "{}\n{}",
        stdout(&resumed),
        stderr(&resumed)
    );
    let last = stdout(&resumed)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(
        last.starts_with(&format!("changes={pending} "))
            && last.ends_with(&format!(" done={pending} failed=0")),
        "{last}"
    );
    // Nothing lost: every member has the new name. Nothing twice: each update carried out
    // once, whether before the kill or by the resume.
    for m in &members {
        let facts = inspect::user_row(&p.state, m).unwrap().unwrap();
        assert!(
            facts.full_name.starts_with("Renamed"),
            "{m}: {}",
            facts.full_name
        );
        let n = applied
            .lock()
            .unwrap()
            .get(&m.to_lowercase())
            .copied()
            .unwrap_or(0);
        assert!(n <= 1, "{m} was updated {n} times");
    }
    let jobs = stdout(&p.run_with(&["jobs"], None, None).await);
    let line = jobs
        .lines()
        .find(|l| l.starts_with(&format!("{id} ")))
        .unwrap();
    assert!(
        line.contains(" 40 done=40 failed=0 skipped=0 pending=0 finished "),
        "{line}"
    );
    // Nothing is left to resume: said, and not a failure (a script runs `resume` first).
    let again = p.run(&["resume"]).await;
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        stdout(&again).trim(),
        "No job of this portal is waiting to be resumed."
    );
    // A job named that has nothing left is a failure, with the reason.
    let named = p.run(&["resume", "--job", &id]).await;
    assert!(!named.status.success());
    assert!(
        stderr(&named).contains("nothing to resume"),
        "{}",
        stderr(&named)
    );
}

/// Offboarding from the command line: the impact report (a dry run deletes nothing, and the
/// signed-in account is refused), then the members deleted in one job with their groups to
/// the receiver; a member without a receiver who owns a group is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offboarding_reports_the_impact_then_deletes_with_one_receiver() {
    let p = portal().await;
    let out = p.data.path().join("members.csv");
    assert!(p
        .run(&["export", "--out", out.to_str().unwrap()])
        .await
        .status
        .success());
    let names: Vec<String> = exported(&out)
        .into_iter()
        .map(|(u, _, _)| u)
        .filter(|u| u != ADMIN)
        .collect();
    let owners: Vec<String> = inspect::memberships(&p.state)
        .unwrap()
        .into_iter()
        .filter_map(|m| inspect::group_owner(&p.state, &m.group_id).ok().flatten())
        .filter(|o| o != ADMIN)
        .collect();
    let owner = owners
        .first()
        .expect("a seeded member owns a group")
        .clone();
    let plain: Vec<String> = names
        .iter()
        .filter(|u| !owners.contains(u))
        .take(3)
        .cloned()
        .collect();
    let receiver = plain[2].clone();
    let list = p.file(
        "leavers.txt",
        &format!("# leaving this month\n{}\n\n{}\n", plain[0], plain[1]),
    );

    let dry = p
        .run(&[
            "offboard",
            &owner,
            ADMIN,
            "--from",
            list.to_str().unwrap(),
            "--dry-run",
        ])
        .await;
    let text = stdout(&dry);
    assert!(
        !dry.status.success(),
        "refused members make the report fail"
    );
    assert!(
        text.contains(&format!("member {owner}: refused: ")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "member {ADMIN}: refused: You cannot delete the account you are signed in with."
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("member {}: delete (", plain[0])),
        "{text}"
    );
    assert_eq!(
        text.lines().last(),
        Some("members=4 delete=2 refused=2 deleted=0 failed=0"),
        "{text}"
    );
    assert!(
        inspect::user_row(&p.state, &plain[0]).unwrap().is_some(),
        "a dry run deletes nothing"
    );

    let run = p
        .run(&[
            "offboard",
            &owner,
            "--from",
            list.to_str().unwrap(),
            "--receiver",
            &receiver,
        ])
        .await;
    let text = stdout(&run);
    assert!(run.status.success(), "{text}\n{}", stderr(&run));
    assert_eq!(
        text.lines().last(),
        Some("members=3 delete=3 refused=0 deleted=3 failed=0"),
        "{text}"
    );
    for gone in [&owner, &plain[0], &plain[1]] {
        assert!(
            inspect::user_row(&p.state, gone).unwrap().is_none(),
            "{gone} is deleted"
        );
    }
    assert!(inspect::groups_owned_by(&p.state, &owner)
        .unwrap()
        .is_empty());
    assert!(!inspect::groups_owned_by(&p.state, &receiver)
        .unwrap()
        .is_empty());
    let jobs = stdout(&p.run_with(&["jobs"], None, None).await);
    assert!(
        jobs.lines()
            .next()
            .is_some_and(|l| l.contains(" offboard ") && l.contains(" finished ")),
        "{jobs}"
    );
}
