//! The stand-in browser as a program, for the end-to-end tests of the real app: their
//! `xdg-open` (tests/e2e/lib/fake-browser) hands it the sign-in URL the app opens, and it signs
//! in with `FAKE_BROWSER_USERNAME` / `FAKE_BROWSER_PASSWORD` through
//! [`portal_emulator::testing::sign_in_as_browser`], the same code the Rust tests use. It prints
//! each step (never the password): `open URL`, `redirect URL-without-query`, `listener said …`.

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: stand-in-browser AUTHORIZE_URL");
        return ExitCode::FAILURE;
    };
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    println!("open {url}");
    let visit = portal_emulator::testing::sign_in_as_browser(
        &url,
        &var("FAKE_BROWSER_USERNAME"),
        &var("FAKE_BROWSER_PASSWORD"),
    )
    .await;
    match visit {
        Ok(visit) => {
            let back = visit.location.split('?').next().unwrap_or_default();
            println!("redirect {back}");
            println!(
                "listener said {:?}",
                visit.page.chars().take(80).collect::<String>()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
