//! The committed TypeScript bindings must be exactly what the Rust commands generate.
//! Regenerate with `make bindings` (sets `UPDATE_BINDINGS=1` for this test).

use std::path::Path;

#[test]
fn committed_typescript_bindings_match_a_fresh_generation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed_path = root.join(memberdesk_lib::BINDINGS_PATH);
    let scratch = tempfile::tempdir().expect("temp dir");
    let fresh_path = scratch.path().join("bindings.ts");
    memberdesk_lib::export_bindings(&fresh_path).expect("bindings export");
    let fresh = std::fs::read_to_string(&fresh_path).expect("fresh bindings");

    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &fresh).expect("write committed bindings");
        return;
    }

    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is out of date with the Rust commands: run `make bindings` and commit the result",
        memberdesk_lib::BINDINGS_PATH
    );
}

#[test]
fn bindings_expose_every_command_by_its_camel_case_name() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let path = scratch.path().join("bindings.ts");
    memberdesk_lib::export_bindings(&path).expect("bindings export");
    let text = std::fs::read_to_string(&path).expect("bindings");
    for name in memberdesk_lib::commands::COMMAND_NAMES {
        let camel = camel_case(name);
        assert!(
            text.contains(&format!("\t{camel}: (")),
            "no binding for command {name}"
        );
        assert!(
            text.contains(&format!("\"{name}\"")),
            "binding for {name} invokes another name"
        );
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
