use portal_client::Client;
use portal_emulator::{router, seed, server, Config, State};
use secrecy::SecretString;

pub const ADMIN: &str = "client_admin";
pub const ADMIN_PASSWORD: &str = "Client-pass-1";

/// A running embedded portal (HTTPS) and a client trusting exactly its certificate.
pub struct Live {
    pub url: String,
    pub client: Client,
}

pub async fn start(members: usize, config: Config) -> Live {
    let config = Config {
        tls: true,
        ..config
    };
    let state = State::open(":memory:", config).unwrap();
    seed::ensure_admin(&state.db, ADMIN, ADMIN_PASSWORD).unwrap();
    if members > 0 {
        seed::seed_users(&state.db, members, ADMIN).unwrap();
    }
    let cert = server::self_signed().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let app = router(state.clone());
    tokio::spawn(server::serve(listener, app, Some(cert.config)));
    let client = Client::builder(&url)
        .extra_ca_pem(cert.cert_pem.into_bytes())
        .build()
        .unwrap();
    client
        .sign_in_with_password(ADMIN, &SecretString::from(ADMIN_PASSWORD), 60)
        .await
        .unwrap();
    Live { url, client }
}
