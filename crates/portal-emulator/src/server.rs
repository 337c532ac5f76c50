//! Serving the router over HTTP or HTTPS. HTTPS uses a self-signed certificate for 127.0.0.1
//! and localhost made at start (the Python client insists on HTTPS: docs/PORTAL-API.md,
//! Client quirks).
//!
//! Every connection is bounded ([`Limits`]): a cap on how many are served at once, a time
//! limit on sending a request head (which is also the keep-alive idle timeout, and bounds the
//! TLS handshake), and a size limit on the head. Bodies are limited per route (`body`).
//!
//! What is deliberately not here: the portal itself (`router`), which tests call in process
//! without any server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// A self-signed certificate and the TLS settings that serve it.
pub struct SelfSigned {
    /// The certificate as PEM, for clients to trust exactly it (`--cert-out`).
    pub cert_pem: String,
    pub config: Arc<rustls::ServerConfig>,
}

/// Makes a certificate for 127.0.0.1, ::1 and localhost.
pub fn self_signed() -> std::io::Result<SelfSigned> {
    let names = vec![
        "127.0.0.1".to_string(),
        "localhost".to_string(),
        "::1".to_string(),
    ];
    let certified = rcgen::generate_simple_self_signed(names).map_err(std::io::Error::other)?;
    let cert_der: CertificateDer<'static> = certified.cert.der().clone();
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![cert_der], key_der)
        .map_err(std::io::Error::other)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(SelfSigned {
        cert_pem: certified.cert.pem(),
        config: Arc::new(config),
    })
}

/// The origin a server listens on (`http(s)://127.0.0.1:PORT`), handed to the portal with
/// every request it serves: what its links are built from when no public URL is configured.
/// It comes from the listening socket, never from the request.
#[derive(Debug, Clone)]
pub struct ServedAt(pub String);

impl ServedAt {
    /// The origin of `addr`; an unspecified address (`0.0.0.0`, `::`) reads as loopback.
    pub fn of(addr: SocketAddr, tls: bool) -> Self {
        let mut addr = addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr.ip() {
                std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let scheme = if tls { "https" } else { "http" };
        ServedAt(format!("{scheme}://{addr}"))
    }
}

/// What one served portal allows its connections (docs/SECURITY.md, Bounded resources).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections served at once; the next waits in the listen queue until one ends.
    pub max_connections: usize,
    /// A connection that has not sent a complete request head this long after it opened (or
    /// after its previous answer, on a kept-alive connection) is closed: at once the
    /// header-read timeout and the keep-alive idle timeout. It also bounds a TLS handshake.
    pub header_read_timeout: Duration,
    /// The most a request head (request line and headers) may take, in bytes.
    pub max_head_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 256,
            header_read_timeout: Duration::from_secs(20),
            max_head_bytes: 64 * 1024,
        }
    }
}

/// Serves `app` on `listener` until the process ends; TLS when `tls` is given.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<()> {
    serve_with(listener, app, tls, Limits::default()).await
}

/// [`serve`] with other [`Limits`] (tests shorten them).
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
    limits: Limits,
) -> std::io::Result<()> {
    let served_at = ServedAt::of(listener.local_addr()?, tls.is_some());
    let app = app.layer(axum::Extension(served_at));
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let limits = Arc::new(limits);
    loop {
        // A free slot first: beyond the cap, connections wait in the listen queue.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let (stream, _peer): (_, SocketAddr) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                eprintln!("portal-emulator: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let app = app.clone();
        let limits = limits.clone();
        tokio::spawn(async move {
            let _slot = slot;
            match acceptor {
                None => serve_connection(TokioIo::new(stream), app, &limits).await,
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(limits.header_read_timeout, acceptor.accept(stream));
                    if let Ok(Ok(tls_stream)) = handshake.await {
                        serve_connection(TokioIo::new(tls_stream), app, &limits).await;
                    }
                }
            }
        });
    }
}

async fn serve_connection<I>(io: I, app: Router, limits: &Limits)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        app.clone().oneshot(req.map(axum::body::Body::new))
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_head_bytes.max(8192))
        .serve_connection(io, service)
        .await;
}
