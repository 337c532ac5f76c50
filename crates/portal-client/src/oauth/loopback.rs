//! The single-use loopback listener of an OAuth2 sign-in (RFC 8252): it waits on 127.0.0.1
//! for the browser's redirect to `/callback`, checks `state`, answers the tab with a short page
//! and hands back the authorization code.
//!
//! Not here: binding the port and redeeming the code (the parent module), and anything a web
//! server would do (one request at a time, no keep-alive, no routing beyond `/callback`).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::error::{Error, Result};

/// Waits for the browser's redirect to `/callback`, answers it with a small page, and returns
/// the code. Other paths (a favicon) get a 404 and the wait goes on; a wrong `state` or an
/// error from the portal ends the sign-in.
pub(super) async fn wait_for_redirect(
    listener: &TcpListener,
    expected_state: &str,
) -> Result<String> {
    loop {
        let (mut stream, _) = listener
            .accept()
            .await
            .map_err(|e| Error::Network(format!("loopback listener: {e}")))?;
        let mut buf = Vec::with_capacity(2048);
        let mut chunk = [0u8; 2048];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let head = String::from_utf8_lossy(&buf);
        let target = head
            .lines()
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("/");
        let url = url::Url::parse(&format!("http://127.0.0.1{target}"))
            .map_err(|e| Error::InvalidInput(format!("redirect: {e}")))?;
        if url.path() != "/callback" {
            respond(&mut stream, "404 Not Found", "Not found.").await;
            continue;
        }
        let get = |k: &str| {
            url.query_pairs()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.into_owned())
        };
        if get("state").as_deref() != Some(expected_state) {
            respond(
                &mut stream,
                "400 Bad Request",
                "This sign-in answer does not belong to Memberdesk's request. Start the sign-in again in Memberdesk.",
            )
            .await;
            return Err(Error::AuthRequired(
                "the browser's answer did not carry this sign-in's state".into(),
            ));
        }
        if let Some(error) = get("error") {
            let why = get("error_description").unwrap_or(error);
            respond(
                &mut stream,
                "200 OK",
                "The portal did not sign you in. You can close this tab and try again in Memberdesk.",
            )
            .await;
            return Err(Error::AuthRequired(format!("the portal refused: {why}")));
        }
        let Some(code) = get("code") else {
            respond(&mut stream, "400 Bad Request", "No authorization code.").await;
            return Err(Error::AuthRequired("the redirect carried no code".into()));
        };
        respond(
            &mut stream,
            "200 OK",
            "You are signed in to Memberdesk. You can close this tab.",
        )
        .await;
        return Ok(code);
    }
}

async fn respond(stream: &mut tokio::net::TcpStream, status: &str, text: &str) {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Memberdesk</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><p>{text}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
