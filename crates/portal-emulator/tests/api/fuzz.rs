//! Property tests: hostile input never panics and never gets a 5xx; it gets the portal's
//! error envelope (or a normal answer).

use proptest::prelude::*;

use crate::support::Portal;

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_query_parser_never_panics_and_errors_are_400s(q in "\\PC{0,200}") {
        if let Err(e) = portal_emulator::query::parse(&q) {
            prop_assert_eq!(e.code, 400);
        }
    }

    #[test]
    fn the_query_parser_survives_operator_soup(q in "[()\"\\[\\]{}:*?^ +\\-a-zA-Z0-9]{0,120}|(AND |OR |NOT |TO ){0,30}") {
        let _ = portal_emulator::query::parse(&q);
    }

    #[test]
    fn form_decoding_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut p = portal_emulator::params::Params::default();
        p.extend_urlencoded(&bytes);
        let _ = p.list("users");
        let _ = p.bool("x");
        let _ = p.int("num", 10, 1, 100);
        let _ = p.json("invitationList");
    }
}

/// Random paths and bodies against a live router: never a 5xx, always JSON under the API.
#[tokio::test]
async fn random_requests_never_get_a_server_error() {
    let p = Portal::new(5);
    let token = p.admin_token().await;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let segment = prop_oneof![
        Just("community".to_string()),
        Just("users".to_string()),
        Just("portals".to_string()),
        Just("self".to_string()),
        Just("groups".to_string()),
        Just("invite".to_string()),
        Just("update".to_string()),
        Just("updateUserRole".to_string()),
        Just("addUsers".to_string()),
        Just("oauth2".to_string()),
        Just("token".to_string()),
        "[a-zA-Z0-9_%.~-]{0,12}",
    ];
    let strategy = (
        proptest::collection::vec(segment, 0..6),
        "[a-zA-Z0-9_=&%+.,\\[\\]{}\":-]{0,200}",
        any::<bool>(),
    );
    let mut cases = Vec::new();
    for _ in 0..300 {
        let tree = strategy.new_tree(&mut runner).expect("generate a case");
        cases.push(proptest::strategy::ValueTree::current(&tree));
    }
    for (segments, body, post) in cases {
        let path = format!("/sharing/rest/{}", segments.join("/"));
        let header = format!("Bearer {token}");
        let method = if post { "POST" } else { "GET" };
        let uri = if post {
            path.clone()
        } else {
            format!("{path}?{body}")
        };
        let a = p
            .send(
                method,
                &uri,
                &[("x-esri-authorization", &header)],
                if post { &body } else { "" },
            )
            .await;
        assert!(
            a.status.as_u16() < 500,
            "{method} {path} {body} -> {}",
            a.status
        );
        if a.status == 200
            && a.headers
                .get("content-type")
                .is_some_and(|c| c.to_str().unwrap().starts_with("application/json"))
        {
            let v = a.json();
            if let Some(code) = v.get("error").and_then(|e| e["code"].as_i64()) {
                assert!(code < 500, "{method} {path} {body} -> {v}");
            }
        }
    }
}
