//! Bounded resources, over real sockets: a connection that never finishes its request head is
//! closed, over HTTP and during a TLS handshake; connections beyond the cap wait while the
//! portal keeps answering the ones it serves. Times are printed, not asserted: a connection
//! that was never closed would hang the test, which then fails on its generous guard.

use std::time::{Duration, Instant};

use portal_emulator::router;
use portal_emulator::server::{self, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::Portal;

/// How long a test waits for something that must happen before calling it a hang.
const GUARD: Duration = Duration::from_secs(60);

async fn serve(limits: Limits, tls: bool) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(Portal::new(0).state);
    let tls = tls.then(|| server::self_signed().unwrap().config);
    tokio::spawn(server::serve_with(listener, app, tls, limits));
    addr
}

/// Reads until the server closes the connection; what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = tokio::time::timeout(GUARD, stream.read_to_end(&mut out)).await;
    assert!(read.is_ok(), "the server never closed the connection");
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads one answer with a `Content-Length` on a kept-alive connection.
async fn read_answer(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0usize);
            if buf.len() >= end + 4 + length {
                return text;
            }
        }
        let n = tokio::time::timeout(GUARD, stream.read(&mut chunk))
            .await
            .expect("no answer")
            .unwrap();
        assert!(n > 0, "closed before answering: {text}");
        buf.extend_from_slice(&chunk[..n]);
    }
}

const INFO: &[u8] = b"GET /sharing/rest/info?f=json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

#[tokio::test]
async fn a_connection_that_never_finishes_its_request_head_is_closed() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let addr = serve(limits, false).await;
    let started = Instant::now();
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /sharing/rest/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let sent = read_to_close(&mut slow).await;
    assert!(
        !sent.contains("200 OK"),
        "a half-sent request is never answered: {sent}"
    );
    println!("half-sent head closed after {:?}", started.elapsed());

    // A kept-alive connection left idle after an answer is closed the same way.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(INFO).await.unwrap();
    assert!(read_answer(&mut idle).await.starts_with("HTTP/1.1 200"));
    let started = Instant::now();
    read_to_close(&mut idle).await;
    println!(
        "idle kept-alive connection closed after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_tls_handshake_that_never_comes_is_closed() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let addr = serve(limits, true).await;
    let started = Instant::now();
    let mut silent = TcpStream::connect(addr).await.unwrap();
    read_to_close(&mut silent).await;
    println!("silent TLS connection closed after {:?}", started.elapsed());
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_while_the_portal_keeps_answering() {
    let limits = Limits {
        max_connections: 2,
        header_read_timeout: Duration::from_secs(10),
        ..Limits::default()
    };
    let addr = serve(limits, false).await;
    // Two connections take both places: one a working client, one silent.
    let mut working = TcpStream::connect(addr).await.unwrap();
    working.write_all(INFO).await.unwrap();
    assert!(read_answer(&mut working).await.starts_with("HTTP/1.1 200"));
    let mut silent = TcpStream::connect(addr).await.unwrap();
    // A third connection sends its request and waits for a place.
    let mut waiting = TcpStream::connect(addr).await.unwrap();
    waiting.write_all(INFO).await.unwrap();
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(300), waiting.read(&mut byte)).await;
    assert!(
        early.is_err(),
        "the third connection is not served while both places are taken"
    );
    // The served client keeps being answered meanwhile.
    for _ in 0..3 {
        working.write_all(INFO).await.unwrap();
        assert!(read_answer(&mut working).await.starts_with("HTTP/1.1 200"));
    }
    // When the working client leaves, the waiting one is served.
    drop(working);
    let started = Instant::now();
    assert!(read_answer(&mut waiting).await.starts_with("HTTP/1.1 200"));
    println!(
        "waiting connection served {:?} after a place freed",
        started.elapsed()
    );
    // The silent one is closed by the header timeout.
    let started = Instant::now();
    read_to_close(&mut silent).await;
    println!("silent connection closed after {:?}", started.elapsed());
}
