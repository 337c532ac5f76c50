//! Serving the router over HTTP or HTTPS. HTTPS uses a self-signed certificate for 127.0.0.1
//! and localhost made at start (the Python client insists on HTTPS: docs/PORTAL-API.md,
//! Client quirks).
//!
//! What is deliberately not here: the portal itself (`router`), which tests call in process
//! without any server.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
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

/// Serves `app` on `listener` until the process ends; TLS when `tls` is given.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<()> {
    let served_at = ServedAt::of(listener.local_addr()?, tls.is_some());
    let app = app.layer(axum::Extension(served_at));
    let Some(tls) = tls else {
        return axum::serve(listener, app).await;
    };
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    loop {
        let (stream, _peer): (_, SocketAddr) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                eprintln!("portal-emulator: accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let Ok(tls_stream) = acceptor.accept(stream).await else {
                return;
            };
            let service =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    app.clone().oneshot(req.map(axum::body::Body::new))
                });
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls_stream), service)
                .await;
        });
    }
}
