//! Redirect URIs are parsed, not sliced (docs/SECURITY.md, "OAuth redirects and rendered
//! pages"): tables of hostile redirects for `oauth2/authorize`, the code exchange of
//! `oauth2/token` and `oauth2/signout`, sent over a real socket.

use crate::support::{urlencode, Portal, ADMIN, ADMIN_PASSWORD};
use crate::wire::{serve, Served};

const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// A portal with an app registered for one exact redirect, served.
async fn portal() -> (Portal, Served) {
    let p = Portal::new(0);
    portal_emulator::oauth::register_app(
        &p.state,
        "webapp",
        "webapp-secret",
        &["https://app.example/cb"],
    )
    .unwrap();
    let served = serve(&p).await;
    (p, served)
}

async fn authorize(served: &Served, client_id: &str, redirect: &str) -> crate::wire::RawAnswer {
    served
        .get(&format!(
            "/sharing/rest/oauth2/authorize?client_id={client_id}&response_type=code&redirect_uri={}",
            urlencode(redirect)
        ))
        .await
}

/// Signs in through the page for `redirect` and returns where the portal sends the browser.
async fn code_location(served: &Served, client_id: &str, redirect: &str) -> String {
    let page = authorize(served, client_id, redirect).await;
    assert_eq!(page.status, 200, "{redirect}: {}", page.body);
    let state = crate::support::oauth_state(&page.body);
    let answer = served
        .post(
            "/sharing/oauth2/signin",
            &format!(
                "oauth_state={}&username={ADMIN}&password={ADMIN_PASSWORD}",
                urlencode(&state)
            ),
        )
        .await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    answer.header("location").unwrap().to_string()
}

fn code_of(location: &str) -> String {
    let query = location.split_once('?').unwrap().1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

/// Loopback look-alikes: userinfo, other hosts, other schemes, encodings the parser would
/// rewrite, characters it would drop, fragments.
const NOT_LOOPBACK: &[&str] = &[
    "http://127.0.0.1@evil.example/",
    "http://127.0.0.1:80@evil.example/",
    "http://user@127.0.0.1/",
    "http://user:pw@localhost:8080/",
    "http://127.0.0.1.evil.example/",
    "http://localhost.evil.example/",
    "http://localhost%2eevil.example/",
    "http://evil.example/127.0.0.1",
    "http://evil.example?http://127.0.0.1/",
    "https://127.0.0.1:5000/",
    "ftp://127.0.0.1/",
    "http://127.0.0.1\\@evil.example/",
    "http://127.0.0.1\\evil.example/",
    "http://127.0.0.1/\tcb",
    "http://127.0.0.1/cb\n",
    "http://127.0.0.1\r\n/cb",
    "http://127.0.0.1/cb#fragment",
    "http://127.0.0.1/cb#",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://127.1/",
    "http://LOCALHOST/",
    "http://[::ffff:127.0.0.1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://127.0.0.1:80/",
    "http://127.0.0.1/a/../cb",
    "http:127.0.0.1/",
    "http:///127.0.0.1/",
    "//127.0.0.1/",
    " http://127.0.0.1/",
    "http://127.0.0.1/ ",
    "",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorize_accepts_only_the_registered_redirects_after_parsing() {
    let (_p, served) = portal().await;
    let accepted: &[(&str, &str)] = &[
        ("memberdesk", "http://127.0.0.1:45123/callback"),
        ("memberdesk", "http://127.0.0.1"),
        ("memberdesk", "http://localhost:1/"),
        ("memberdesk", "http://[::1]:9/cb?x=1"),
        ("memberdesk", OOB),
        // The Python client's `https://<host>` (the portal's own root), out-of-band and
        // arcgis.com, tried in that order.
        ("pythonapi", "https://127.0.0.1:1"),
        ("pythonapi", "http://127.0.0.1:1/"),
        ("pythonapi", OOB),
        ("pythonapi", "https://www.arcgis.com"),
        ("webapp", "https://app.example/cb"),
    ];
    for (client, redirect) in accepted {
        let page = authorize(&served, client, redirect).await;
        assert_eq!(page.status, 200, "{client} {redirect:?}: {}", page.body);
        assert!(page.body.contains("oauth_state"), "{client} {redirect:?}");
    }
    let mut refused: Vec<(&str, &str)> = NOT_LOOPBACK.iter().map(|r| ("memberdesk", *r)).collect();
    refused.extend([
        ("memberdesk", "https://www.arcgis.com"),
        ("memberdesk", "https://127.0.0.1:1"),
        ("memberdesk", "urn:ietf:wg:oauth:2.0:oob:auto"),
        ("pythonapi", "http://127.0.0.1:45123/callback"),
        ("pythonapi", "https://127.0.0.1:2"),
        (
            "pythonapi",
            "https://127.0.0.1:1/sharing/rest/oauth2/signout?redirect_uri=https://evil.example",
        ),
        ("pythonapi", "https://127.0.0.1:1.evil.example"),
        ("pythonapi", "https://www.arcgis.com.evil.example"),
        ("pythonapi", "https://www.arcgis.com@evil.example"),
        ("pythonapi", "https://www.arcgis.com/sharing"),
        ("pythonapi", "https://www.arcgis.com#x"),
        ("webapp", "https://app.example/cb/"),
        ("webapp", "https://app.example/cbx"),
        ("webapp", "https://app.example/cb?next=https://evil.example"),
        ("webapp", "https://app.example/cb#x"),
        ("webapp", "https://app.example/./cb"),
        ("webapp", "https://app.example/%63b"),
        ("webapp", "https://APP.example/cb"),
        ("webapp", "https://app.example:443/cb"),
        ("webapp", "http://app.example/cb"),
        ("webapp", "https://user@app.example/cb"),
        ("webapp", "https://app.example.evil.example/cb"),
        ("webapp", OOB),
        ("webapp", "http://127.0.0.1/"),
    ]);
    for (client, redirect) in &refused {
        let page = authorize(&served, client, redirect).await;
        assert_eq!(
            page.status, 400,
            "{client} {redirect:?} must be refused: {}",
            page.body
        );
        assert!(
            page.body.contains("Invalid redirect_uri"),
            "{client} {redirect:?}"
        );
        assert!(!page.body.contains("oauth_state"), "{client} {redirect:?}");
    }
    let missing = served
        .get("/sharing/rest/oauth2/authorize?client_id=memberdesk&response_type=code")
        .await;
    assert_eq!(missing.status, 400, "a redirect_uri is required");
    println!("{} accepted, {} refused", accepted.len(), refused.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_code_lands_on_the_redirect_as_registered_and_is_exchanged_only_with_that_very_redirect(
) {
    let (_p, served) = portal().await;
    let redirect = "http://127.0.0.1:45123/cb?x=1";
    let not_identical: &[Option<&str>] = &[
        None,
        Some(""),
        Some("http://127.0.0.1:45123/cb"),
        Some("http://127.0.0.1:45123/cb?x=1 "),
        Some("http://127.0.0.1:45123/cb?x=1&"),
        Some("http://127.0.0.1:45123/cb?x=2"),
        Some("http://localhost:45123/cb?x=1"),
        Some("http://127.0.0.1:45124/cb?x=1"),
        Some("HTTP://127.0.0.1:45123/cb?x=1"),
        Some("http://127.0.0.1:45123/cb?x=1#"),
        Some(OOB),
    ];
    for asked in not_identical {
        let location = code_location(&served, "memberdesk", redirect).await;
        assert!(
            location.starts_with(&format!("{redirect}&code=")),
            "{location}"
        );
        let mut body = format!(
            "client_id=memberdesk&grant_type=authorization_code&code={}",
            urlencode(&code_of(&location))
        );
        if let Some(r) = asked {
            body.push_str(&format!("&redirect_uri={}", urlencode(r)));
        }
        let answer = served.post("/sharing/rest/oauth2/token", &body).await;
        let v: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(v["error"]["error"], "invalid_request", "{asked:?}: {v}");
        assert!(v.get("access_token").is_none(), "{asked:?}");
    }
    let location = code_location(&served, "memberdesk", redirect).await;
    let body = format!(
        "client_id=memberdesk&grant_type=authorization_code&code={}&redirect_uri={}",
        urlencode(&code_of(&location)),
        urlencode(redirect)
    );
    let v: serde_json::Value =
        serde_json::from_str(&served.post("/sharing/rest/oauth2/token", &body).await.body).unwrap();
    assert!(v["access_token"].is_string(), "{v}");

    // Out-of-band: the code is shown by the portal's own page, and exchanged with the same text.
    let location = code_location(&served, "pythonapi", OOB).await;
    assert!(
        location.starts_with("http://127.0.0.1:1/sharing/oauth2/approval?code="),
        "{location}"
    );
    let body = format!(
        "client_id=pythonapi&grant_type=authorization_code&code={}&redirect_uri={OOB}",
        urlencode(&code_of(&location))
    );
    let v: serde_json::Value =
        serde_json::from_str(&served.post("/sharing/rest/oauth2/token", &body).await.body).unwrap();
    assert!(v["access_token"].is_string(), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signout_redirects_only_to_a_redirect_registered_for_the_client_or_to_the_portal() {
    let (_p, served) = portal().await;
    let followed: &[(Option<&str>, &str, &str)] = &[
        (
            Some("memberdesk"),
            "http://127.0.0.1:45123/cb",
            "http://127.0.0.1:45123/cb",
        ),
        (
            Some("pythonapi"),
            "https://127.0.0.1:1",
            "https://127.0.0.1:1/",
        ),
        (
            Some("webapp"),
            "https://app.example/cb",
            "https://app.example/cb",
        ),
        (
            None,
            "http://127.0.0.1:1/sharing/rest",
            "http://127.0.0.1:1/sharing/rest",
        ),
        (
            Some("memberdesk"),
            "https://127.0.0.1:1/home/",
            "https://127.0.0.1:1/home/",
        ),
    ];
    for (client, redirect, location) in followed {
        let answer = signout(&served, *client, redirect).await;
        assert_eq!(
            answer.status, 302,
            "{client:?} {redirect:?}: {}",
            answer.body
        );
        assert_eq!(
            answer.header("location"),
            Some(*location),
            "{client:?} {redirect:?}"
        );
    }
    let mut refused: Vec<(Option<&str>, &str)> = NOT_LOOPBACK
        .iter()
        .map(|r| (Some("memberdesk"), *r))
        .collect();
    refused.extend([
        (None, "http://127.0.0.1:45123/cb"),
        (Some("nobody"), "http://127.0.0.1:45123/cb"),
        (Some("memberdesk"), "https://evil.example/"),
        (Some("pythonapi"), "https://evil.example"),
        (Some("pythonapi"), "https://www.arcgis.com.evil.example/"),
        (Some("webapp"), "https://app.example/cb/../../evil"),
        (Some("webapp"), "https://app.example/cbx"),
        (Some("memberdesk"), OOB),
        (None, "//evil.example/"),
        (None, "/\\evil.example/"),
        (None, "https:evil.example"),
        (None, "http://127.0.0.1:1.evil.example/"),
        (None, "http://127.0.0.1:1@evil.example/"),
        (None, "http://127.0.0.1:2/sharing/rest"),
        (None, "javascript:alert(1)"),
    ]);
    for (client, redirect) in &refused {
        let answer = signout(&served, *client, redirect).await;
        assert_eq!(
            answer.status,
            200,
            "{client:?} {redirect:?}: {:?}",
            answer.header("location")
        );
        assert!(
            answer.header("location").is_none(),
            "{client:?} {redirect:?}"
        );
        assert!(
            answer.body.contains("You are signed out"),
            "{client:?} {redirect:?}"
        );
    }
    println!("{} followed, {} refused", followed.len(), refused.len());
}

async fn signout(served: &Served, client: Option<&str>, redirect: &str) -> crate::wire::RawAnswer {
    let client = client
        .map(|c| format!("client_id={c}&"))
        .unwrap_or_default();
    served
        .get(&format!(
            "/sharing/rest/oauth2/signout?{client}redirect_uri={}",
            urlencode(redirect)
        ))
        .await
}
