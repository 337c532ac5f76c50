//! The security baseline of the webview, checked on the configuration files themselves so a
//! careless edit fails the build rather than shipping.

use std::path::Path;

use serde_json::Value;

fn read_json(relative: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

#[test]
fn the_main_window_capability_grants_exactly_the_app_commands() {
    let capability = read_json("src-tauri/capabilities/main.json");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .expect("permissions array")
        .iter()
        .map(|p| p.as_str().expect("permissions are plain identifiers"))
        .collect();
    let mut expected: Vec<String> = memberdesk_lib::commands::COMMAND_NAMES
        .iter()
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    expected.sort();
    let mut granted_sorted: Vec<String> = granted.iter().map(|s| s.to_string()).collect();
    granted_sorted.sort();
    assert_eq!(
        granted_sorted, expected,
        "the capability must grant each app command and nothing else (no core:default, no \
         plugin permission the UI does not use)"
    );
}

#[test]
fn the_csp_allows_no_remote_origin_and_the_prototype_is_frozen() {
    let conf = read_json("tauri.conf.json");
    let security = &conf["app"]["security"];
    assert_eq!(security["freezePrototype"], Value::Bool(true));
    assert_ne!(conf["app"]["withGlobalTauri"], Value::Bool(true));
    let csp = security["csp"]
        .as_object()
        .expect("CSP as an object of directives");
    let connect = csp["connect-src"].as_str().expect("connect-src");
    for source in connect.split_whitespace() {
        assert!(
            ["ipc:", "http://ipc.localhost", "'self'"].contains(&source),
            "connect-src must not reach the network, found {source}"
        );
    }
    for (directive, value) in csp {
        let value = value.as_str().expect("directive value");
        assert!(
            !value.contains("https:") && !value.contains('*'),
            "{directive} allows remote or wildcard sources: {value}"
        );
        assert!(!value.contains("unsafe-eval"), "{directive} allows eval");
    }
    assert_eq!(csp["script-src"].as_str(), Some("'self'"));
    assert_eq!(csp["object-src"].as_str(), Some("'none'"));
}

#[test]
fn the_window_is_titled_memberdesk() {
    let conf = read_json("tauri.conf.json");
    assert_eq!(conf["productName"], "Memberdesk");
    assert_eq!(conf["app"]["windows"][0]["title"], "Memberdesk");
    assert_eq!(conf["app"]["windows"][0]["label"], "main");
}
