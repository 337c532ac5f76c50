//! The page a person opens from an email's link (`/sharing/invitation/accept`, outside the
//! REST API), for two kinds of link:
//! - an invitation to join (`org`): choose a password (and a username when the invitation has
//!   none), then the account exists;
//! - a member created without a password (`activation`): the account exists; set its
//!   password, once.
//!
//! Its form action and links are absolute URLs made from the configured origin
//! (`ApiRequest::portal_url`); the request's id and code appear only percent-encoded in a
//! query.
//!
//! What is deliberately not here: the invitations of members to groups (`received`).

use axum::http::StatusCode;
use r2d2_sqlite::rusqlite::{params, Connection, OptionalExtension};

use super::invitee::{create_member, exists_user, InviteeRecord};
use crate::error::Result;
use crate::oauth::enc;
use crate::routing::{ApiRequest, Reply};
use crate::util::{html_escape, now_ms, secret_hash};
use crate::validate;
use crate::State;

fn html(title: &str, body: &str) -> String {
    format!("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body><main>\n{body}\n</main></body></html>\n", html_escape(title))
}

/// An open link: the member to be (or, for an activation, the member whose password is set),
/// its expiry, and whether it is an activation.
struct OpenLink {
    record: InviteeRecord,
    expiration: i64,
    activation: bool,
}

/// Finds an open invitation or activation link by id and accept code.
fn open_invitation(conn: &Connection, id: &str, code: &str) -> Result<Option<OpenLink>> {
    let row = conn
        .query_row(
            "SELECT username, email, first_name, last_name, full_name, role, user_license_type, user_type, groups, credits, expiration, kind
             FROM invitations WHERE id = ?1 AND kind IN ('org', 'activation') AND accepted = 0 AND accept_code_hash = ?2",
            params![id, secret_hash(code)],
            |r| {
                let role: String = r.get::<_, Option<String>>(5)?.unwrap_or_default();
                let groups: String = r.get(8)?;
                Ok((
                    InviteeRecord {
                        username: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                        email: r.get(1)?,
                        first: r.get(2)?,
                        last: r.get(3)?,
                        full: r.get(4)?,
                        base_role: role.clone(),
                        role_id: Some(role),
                        user_type: r.get(6)?,
                        esri_access: r.get(7)?,
                        groups: serde_json::from_str(&groups).unwrap_or_default(),
                        credits: r.get(9)?,
                        provider: "arcgis".into(),
                        idp_username: None,
                    },
                    r.get::<_, i64>(10)?,
                    r.get::<_, String>(11)? == "activation",
                ))
            },
        )
        .optional()?;
    let Some((mut record, expiration, activation)) = row else {
        return Ok(None);
    };
    if !activation {
        let role = record.role_id.as_deref().unwrap_or("org_user");
        let (base, role_id) = validate::role(conn, role)?;
        record.base_role = base;
        record.role_id = role_id;
    }
    Ok(Some(OpenLink {
        record,
        expiration,
        activation,
    }))
}

/// The page an invitee opens from the email: choose a password, then the account exists.
pub(crate) async fn page(state: State, req: ApiRequest) -> Result<Reply> {
    let id = req.params.str("id").unwrap_or("").to_string();
    let code = req.params.str("code").unwrap_or("").to_string();
    let action = req.portal_url("/sharing/invitation/accept");
    state
        .with_db(move |s, conn| {
            let Some(OpenLink { record, expiration, activation }) = open_invitation(&conn, &id, &code)? else {
                return Ok(Reply::Html(StatusCode::NOT_FOUND, html("Invitation", "<h1>This invitation is not valid</h1><p>It may have been accepted, deleted or mistyped.</p>")));
            };
            if expiration < now_ms() {
                return Ok(Reply::Html(StatusCode::GONE, html("Invitation", "<h1>This invitation has expired</h1><p>Ask your administrator to invite you again.</p>")));
            }
            let who = if record.username.is_empty() {
                "<label for=\"username\">Choose a username</label>\n<input id=\"username\" name=\"username\" autocomplete=\"username\" required>\n".to_string()
            } else {
                String::new()
            };
            let shown = if record.username.is_empty() { record.email.clone() } else { record.username.clone() };
            let (heading, lead, button) = if activation {
                ("Welcome to", "Set the password of your account", "Set password")
            } else {
                ("Join", "Create your account for", "Accept invitation")
            };
            let body = format!(
                "<h1>{heading} {org}</h1>\n<p>{lead} <strong>{user}</strong>.</p>\n<form method=\"post\" action=\"{action}\">\n<input type=\"hidden\" name=\"id\" value=\"{id}\">\n<input type=\"hidden\" name=\"code\" value=\"{code}\">\n{who}<label for=\"password\">Password</label>\n<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required>\n<button type=\"submit\">{button}</button>\n</form>",
                org = html_escape(&s.org_name),
                user = html_escape(&shown),
                action = html_escape(&action),
                id = html_escape(&id),
                code = html_escape(&code),
            );
            Ok(Reply::Html(StatusCode::OK, html("Accept invitation", &body)))
        })
        .await
}

pub(crate) async fn submit(state: State, req: ApiRequest) -> Result<Reply> {
    let id = req.params.str("id").unwrap_or("").to_string();
    let code = req.params.str("code").unwrap_or("").to_string();
    let password = req.params.raw("password").unwrap_or("").to_string();
    let chosen = req.params.str("username").unwrap_or("").to_string();
    let page = req.portal_url("/sharing/invitation/accept");
    state
        .with_db(move |_, mut conn| {
            let tx = conn.transaction()?;
            let Some(OpenLink { mut record, expiration, activation }) = open_invitation(&tx, &id, &code)? else {
                return Ok(Reply::Html(StatusCode::NOT_FOUND, html("Invitation", "<h1>This invitation is not valid</h1>")));
            };
            if record.username.is_empty() {
                record.username = chosen.clone();
                if let Err(e) = validate::username(&record.username, 128) {
                    return Ok(Reply::Html(StatusCode::BAD_REQUEST, html("Invitation", &format!("<h1>Choose another username</h1><p role=\"alert\">{}</p>", html_escape(&e.message)))));
                }
            }
            if expiration < now_ms() {
                return Ok(Reply::Html(StatusCode::GONE, html("Invitation", "<h1>This invitation has expired</h1>")));
            }
            if let Err(e) = crate::passwords::check_policy(&record.username, &password) {
                let why = html_escape(&e.details.join(" "));
                return Ok(Reply::Html(StatusCode::BAD_REQUEST, html("Invitation", &format!("<h1>Choose another password</h1><p role=\"alert\">{why}</p><p><a href=\"{}\">Back</a></p>", html_escape(&format!("{page}?id={}&code={}", enc(&id), enc(&code)))))));
            }
            let hash = crate::passwords::hash(&password)?;
            if activation {
                // The link sets the password only while the account has none and still has
                // the address the link was sent to: a corrected email kills a misdirected link.
                let set = tx.execute(
                    "UPDATE users SET password_hash = ?1, modified = ?2 WHERE username = ?3 AND password_hash IS NULL AND email = ?4 COLLATE NOCASE",
                    params![hash, now_ms(), record.username, record.email],
                )?;
                if set == 0 {
                    return Ok(Reply::Html(StatusCode::CONFLICT, html("Invitation", "<h1>This link no longer sets a password</h1><p>The account has a password or another email address now. Sign in, or ask your administrator for a new link.</p>")));
                }
            } else if exists_user(&tx, &record.username)? {
                return Ok(Reply::Html(StatusCode::CONFLICT, html("Invitation", "<h1>This username is already taken</h1>")));
            } else {
                // The invitation's seat becomes the member's: it goes first, in the same
                // transaction, with any other invitation of the same person to the same type
                // (sent again), so the member is not counted twice against the seats.
                tx.execute("DELETE FROM invitations WHERE id = ?1", params![id])?;
                tx.execute(
                    "DELETE FROM invitations WHERE kind = 'org' AND accepted = 0
                     AND email = ?1 COLLATE NOCASE AND user_license_type = ?2",
                    params![record.email, record.user_type],
                )?;
                create_member(&tx, &record, Some(&hash))?;
            }
            tx.execute("DELETE FROM invitations WHERE id = ?1", params![id])?;
            tx.commit()?;
            Ok(Reply::Html(StatusCode::OK, html("Welcome", &format!("<h1>Welcome, {}</h1><p>Your account is ready. You can sign in now.</p>", html_escape(&record.username)))))
        })
        .await
}
