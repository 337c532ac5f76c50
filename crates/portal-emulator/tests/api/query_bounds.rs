//! The search syntax cannot exhaust the portal (docs/SECURITY.md, Search and visibility):
//! generated queries (deeply nested, quoted, ranges whose bounds hold quotes and parentheses,
//! random bytes) are parsed on a thread with a small stack, and each answers a parse or a 400;
//! none panics or overflows. Over a real server, a query nested 100,000 deep is a 400 and the
//! portal keeps serving. The slowest parse is printed, not asserted.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::support::{urlencode, Portal};

/// The stack the parses run on: far below the 2 MiB of the portal's worker threads, so a
/// parse whose stack grows with its input would overflow here first.
const SMALL_STACK: usize = 256 * 1024;

/// A range bound: plain, `*`, or quoted with syntax inside.
fn bound() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{1,6}",
        Just("*".to_string()),
        "\"[()\\[\\]{}\" a-z]{0,6}\"",
        "[a-z]{0,3}\"[a-z(]{0,3}",
    ]
}

/// One term: a word, a phrase, a field, a range.
fn term() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9*?]{1,8}",
        "\"[^\"]{0,10}\"",
        "[a-z]{1,9}:[a-zA-Z0-9*]{1,6}",
        (
            "[a-z]{1,9}",
            bound(),
            bound(),
            prop_oneof![Just('['), Just('{')],
            prop_oneof![Just(']'), Just('}')]
        )
            .prop_map(|(f, a, b, open, close)| format!("{f}:{open}{a} TO {b}{close}")),
        "[()\"\\[\\]{}:^*]{1,4}",
    ]
}

/// Queries built by nesting, operators and stray syntax, with unbalanced parentheses and
/// long runs of them at random.
fn query() -> impl Strategy<Value = String> {
    let nested = term().prop_recursive(48, 400, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|q| format!("({q})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} OR {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} AND {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} {b}")),
            inner.clone().prop_map(|q| format!("NOT {q}")),
            inner.clone().prop_map(|q| format!("-{q}")),
            (inner.clone(), bound()).prop_map(|(q, b)| format!("{q} x:[{b} TO *]")),
        ]
    });
    let deep = (0usize..3000, 0usize..3000, nested.clone(), "[ (\"a-z]{0,3}").prop_map(
        |(open, close, core, stray)| {
            format!("{}{stray}{core}{}", "(".repeat(open), ")".repeat(close))
        },
    );
    let bytes = proptest::collection::vec(any::<u8>(), 0..600)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned());
    prop_oneof![nested, deep, bytes, "\\PC{0,300}"]
}

#[test]
fn no_query_panics_overflows_or_answers_anything_but_a_parse_or_a_400() {
    let mut runner = TestRunner::deterministic();
    let strategy = query();
    let mut cases: Vec<String> = (0..3000)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    // The classic shapes, whatever the generator drew.
    cases.push("(".repeat(100_000));
    cases.push(format!("{}a{}", "(".repeat(8000), ")".repeat(8000)));
    cases.push(format!(r#"created:[a" TO b] {}"#, "(".repeat(5000)));
    cases.push(format!(r#"created:["(((" TO "]"] {}a"#, "(".repeat(5000)));
    cases.push("NOT ".repeat(2000));
    cases.push("-".repeat(8000));
    cases.push(vec!["a"; 4000].join(" OR "));
    let worker = std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let (mut parsed, mut refused) = (0usize, 0usize);
            let mut slowest = (Duration::ZERO, 0usize);
            for q in &cases {
                // The best of three runs: a busy machine preempting one run is not the parser.
                let mut took = Duration::MAX;
                let mut answer = None;
                for _ in 0..3 {
                    let started = Instant::now();
                    answer = Some(portal_emulator::query::parse(q));
                    took = took.min(started.elapsed());
                }
                let answer = answer.unwrap();
                if took > slowest.0 {
                    slowest = (took, q.len());
                }
                match answer {
                    Ok(_) => parsed += 1,
                    Err(e) => {
                        assert_eq!(e.code, 400, "{q:.200}: {}", e.message);
                        assert!(e.message.starts_with("Invalid query"), "{}", e.message);
                        refused += 1;
                    }
                }
            }
            (parsed, refused, slowest)
        })
        .unwrap();
    let (parsed, refused, slowest) = worker.join().expect("a parse panicked");
    println!(
        "query parser: {parsed} parsed, {refused} refused on a {} KiB stack; slowest {:?} ({} bytes)",
        SMALL_STACK / 1024,
        slowest.0,
        slowest.1
    );
    println!("(the best of three runs of each; a debug build unless run with --release)");
    assert!(parsed > 100 && refused > 100, "both kinds drawn");
}

/// A query nested 100,000 deep, over a real connection: a 400 in the error envelope, and the
/// portal answers the next request as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_nested_100000_deep_is_a_400_and_the_portal_keeps_serving() {
    let p = Portal::new(20);
    let token = p.admin_token().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = portal_emulator::router(p.state.clone());
    tokio::spawn(portal_emulator::server::serve(listener, app, None));
    // Parentheses are sent as they are (a form value may hold them): 100,000 of them then fit
    // in the body limit, so the parser, not the body cap, is what answers.
    let form = |q: &str| {
        format!(
            "q={}&f=json&token={token}",
            urlencode(q).replace("%28", "(")
        )
    };
    // Past the length cap, and within it but past the depth the parser allows.
    let hostile = [
        ("(".repeat(100_000), "longer than"),
        (
            format!(r#"created:[a" TO b] {}"#, "(".repeat(5000)),
            "nest deeper",
        ),
    ];
    for path in [
        "/sharing/rest/community/users",
        "/sharing/rest/community/groups",
    ] {
        for (q, why) in &hostile {
            let answer = post(addr, path, &form(q)).await;
            assert!(answer.contains("\"code\":400"), "{path}: {answer:.300}");
            assert!(answer.contains(why), "{path}: {answer:.300}");
        }
    }
    let after = post(
        addr,
        "/sharing/rest/community/users",
        &format!("q=*&f=json&token={token}"),
    )
    .await;
    assert!(after.contains("\"total\":"), "still serving: {after:.300}");
}

/// POSTs a form over a fresh connection and returns the response text.
async fn post(addr: std::net::SocketAddr, path: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}
