//! The demo portal's administrators: only `demo_admin`, with the password made at this start,
//! signs in as an administrator. Every other member holding an administrative privilege is
//! locked out of the seeded members' shared password at every start: the seeded
//! administrators, a member promoted in an earlier run, an administrator whose password is the
//! shared one again (a database seeded before this rule); their tokens end too. Members who
//! are not administrators keep the shared password.

use console_core::demo::{DemoPortal, DEMO_ADMIN};
use portal_client::{Client, User};
use portal_emulator::inspect;
use portal_emulator::seed::{self, DEMO_PASSWORD};
use secrecy::SecretString;

async fn sign_in(
    url: &str,
    username: &str,
    password: &SecretString,
) -> portal_client::Result<Client> {
    let client = Client::builder(url).build()?;
    client.sign_in_with_password(username, password, 60).await?;
    Ok(client)
}

fn shared() -> SecretString {
    SecretString::from(DEMO_PASSWORD)
}

/// Every member of the demo portal, as its administrator lists them.
async fn members(admin: &Client) -> Vec<User> {
    admin.users().all_members().send(|_, _| {}).await.unwrap()
}

/// The administrators who sign in with a password, `demo_admin` aside.
fn other_admins(members: &[User]) -> Vec<String> {
    members
        .iter()
        .filter(|m| m.role.as_deref() == Some("org_admin") && m.username.0 != DEMO_ADMIN)
        .filter(|m| m.provider.as_deref() == Some("arcgis"))
        .map(|m| m.username.0.clone())
        .collect()
}

/// Signs in as each of `admins` with the shared password; answers those who got in.
async fn who_gets_in(url: &str, admins: &[String]) -> Vec<String> {
    let mut got_in = Vec::new();
    for admin in admins {
        if sign_in(url, admin, &shared()).await.is_ok() {
            got_in.push(admin.clone());
        }
    }
    got_in
}

fn token_count(demo: &DemoPortal, username: &str) -> i64 {
    inspect::token_count(&demo.state, username).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_demo_admin_with_this_starts_password_signs_in_as_an_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let first = DemoPortal::start(dir.path()).await.unwrap();
    let admin = sign_in(&first.url, DEMO_ADMIN, &first.admin_password)
        .await
        .expect("demo_admin signs in with this start's password");
    assert!(admin.me().await.unwrap().is_admin());

    let everyone = members(&admin).await;
    let admins = other_admins(&everyone);
    println!("{} seeded administrators with a password", admins.len());
    assert!(
        !admins.is_empty(),
        "the seed makes administrators besides demo_admin"
    );
    let got_in = who_gets_in(&first.url, &admins).await;
    assert!(
        got_in.is_empty(),
        "seeded administrators signed in with the shared password: {got_in:?}"
    );

    // The rule is about administrators: a member keeps the shared password.
    let member = everyone
        .iter()
        .find(|m| {
            m.role.as_deref() == Some("org_user")
                && m.role_id.is_none()
                && m.provider.as_deref() == Some("arcgis")
                && m.user_license_type_id.as_deref() == Some("creatorUT")
                && !m.disabled
        })
        .expect("the seed has creators who are plain users")
        .username
        .0
        .clone();
    let member_client = sign_in(&first.url, &member, &shared())
        .await
        .expect("a member who is not an administrator keeps the shared password");

    // During this run the member becomes an administrator, and a seeded administrator gets
    // the shared password back (as in a demo database seeded before this rule).
    admin.users().set_role(&member, "org_admin").await.unwrap();
    seed::set_password(&first.state.db, &admins[0], DEMO_PASSWORD).unwrap();
    assert!(member_client.me().await.unwrap().is_admin(), "promoted");
    assert!(
        token_count(&first, &member) > 0,
        "the promoted member holds a token"
    );
    assert!(
        token_count(&first, DEMO_ADMIN) > 0,
        "demo_admin holds a token"
    );
    let old_password = first.admin_password.clone();
    drop((admin, member_client, first));

    let second = DemoPortal::start(dir.path()).await.unwrap();
    let again = [admins[0].clone(), member.clone()];
    let got_in = who_gets_in(&second.url, &again).await;
    assert!(
        got_in.is_empty(),
        "after a restart, signed in as administrators: {got_in:?}"
    );
    assert_eq!(
        token_count(&second, &member),
        0,
        "the promoted member's tokens ended"
    );
    assert_eq!(
        token_count(&second, DEMO_ADMIN),
        0,
        "demo_admin's new password ended the last start's sessions"
    );
    assert!(
        sign_in(&second.url, DEMO_ADMIN, &old_password)
            .await
            .is_err(),
        "the last start's password no longer signs in"
    );
    let admin = sign_in(&second.url, DEMO_ADMIN, &second.admin_password)
        .await
        .expect("demo_admin signs in with the new start's password");
    let admins = other_admins(&members(&admin).await);
    let got_in = who_gets_in(&second.url, &admins).await;
    assert!(
        got_in.is_empty(),
        "administrators signed in with the shared password: {got_in:?}"
    );
}
