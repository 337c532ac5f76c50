//! Organization invitations and creating members (contract §3.9a, §4.1): `portals/self/invite`
//! with or without passwords, the invitations list, one invitation, delete, and the accept
//! page an invitee opens from the email. Emails are not sent: they land in an outbox that an
//! administrator can read (`portals/self/emulator/outbox`, an extension of this portal).

use r2d2_sqlite::rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::{hex_id, html_escape, now_ms, secret, secret_hash};
use crate::validate;
use crate::{route, routing::Route, State};

/// Invitations last 14 days unless the request says otherwise.
pub const DEFAULT_EXPIRATION_MS: i64 = 14 * 86_400_000;

pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Post, "portals/self/invite", invite),
        route!(Api, Post, "portals/self/inviteByEmail", invite_by_email),
        route!(Api, Read, "portals/self/invitations", list),
        route!(Api, Read, "portals/self/invitations/{}", get),
        route!(Api, Post, "portals/self/invitations/{}/delete", delete),
        route!(Api, Read, "portals/self/emulator/outbox", outbox),
        route!(
            Sharing,
            Read,
            "invitation/accept",
            accept_page,
            token_exempt
        ),
        route!(
            Sharing,
            Post,
            "invitation/accept",
            accept_submit,
            token_exempt
        ),
    ]
}

/// One invitation of an `invitationList`, checked.
struct Invitee {
    username: String,
    email: String,
    first: String,
    last: String,
    full: String,
    base_role: String,
    role_id: Option<String>,
    role_as_given: String,
    user_type: &'static str,
    esri_access: String,
    groups: Vec<String>,
    credits: Option<f64>,
    password: Option<String>,
    provider: String,
    idp_username: Option<String>,
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn exists_user(conn: &Connection, username: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM users WHERE username = ?1)",
        params![username],
        |r| r.get(0),
    )?)
}

fn pending_invitation(conn: &Connection, username: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM invitations WHERE kind = 'org' AND username = ?1 AND accepted = 0 AND expiration > ?2)",
        params![username, now_ms()],
        |r| r.get(0),
    )?)
}

fn check_invitee(conn: &Connection, v: &Value) -> Result<Invitee> {
    let username = str_field(v, "username")
        .ok_or_else(|| PortalError::bad_request("Each invitation needs a username."))?;
    validate::username(username, 128)?;
    if exists_user(conn, username)? {
        return Err(PortalError::bad_request(format!(
            "The username '{username}' is already taken."
        )));
    }
    if pending_invitation(conn, username)? {
        return Err(PortalError::bad_request(format!(
            "'{username}' already has a pending invitation."
        )));
    }
    let email = str_field(v, "email").ok_or_else(|| {
        PortalError::bad_request(format!("The invitation of '{username}' needs an email."))
    })?;
    validate::email(email)?;
    let first = str_field(v, "firstname")
        .or(str_field(v, "firstName"))
        .unwrap_or("");
    let last = str_field(v, "lastname")
        .or(str_field(v, "lastName"))
        .unwrap_or("");
    for (field, value) in [("firstname", first), ("lastname", last)] {
        validate::text(field, value, 128)?;
    }
    let full = str_field(v, "fullname")
        .map(String::from)
        .unwrap_or_else(|| format!("{first} {last}").trim().to_string());
    validate::text("fullname", &full, 255)?;
    let role_as_given = str_field(v, "role").unwrap_or("org_user").to_string();
    let (base_role, role_id) = validate::role(conn, &role_as_given)?;
    let user_type = validate::user_type(
        str_field(v, "userLicenseType")
            .or(str_field(v, "userType_id"))
            .unwrap_or("creatorUT"),
    )?;
    validate::compatible(user_type, &base_role, role_id.as_deref())?;
    let esri_access = match str_field(v, "userType") {
        None => "both".to_string(),
        Some(t) if t.eq_ignore_ascii_case("arcgisonly") || t.eq_ignore_ascii_case("both") => {
            t.to_ascii_lowercase()
        }
        Some(t) => {
            return Err(PortalError::bad_request(format!(
                "Invalid userType '{}': use arcgisonly or both.",
                crate::params::truncate(t)
            )))
        }
    };
    let groups: Vec<String> = match v.get("groups") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => crate::params::parse_list("groups", s)?,
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        Some(_) => {
            return Err(PortalError::bad_request(
                "'groups' must be a list of group ids.",
            ))
        }
    };
    for g in &groups {
        let found: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM groups WHERE id = ?1)",
            params![g],
            |r| r.get(0),
        )?;
        if !found {
            return Err(PortalError::group_not_found().with_detail(format!(
                "Group '{}' in the invitation of '{username}'.",
                crate::params::truncate(g)
            )));
        }
    }
    let credits = match v.get("userCreditAssignment") {
        None | Some(Value::Null) => None,
        Some(c) => Some(
            c.as_f64()
                .filter(|c| c.is_finite() && (*c >= 0.0 || *c == -1.0))
                .ok_or_else(|| {
                    PortalError::bad_request(
                        "'userCreditAssignment' must be -1 or a positive number.",
                    )
                })?,
        ),
    };
    let provider = str_field(v, "targetUserProvider")
        .unwrap_or("arcgis")
        .to_ascii_lowercase();
    if provider != "arcgis" && provider != "enterprise" {
        return Err(PortalError::bad_request(
            "Invalid targetUserProvider: use arcgis or enterprise.",
        ));
    }
    let password = v
        .get("password")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(String::from);
    if let Some(pw) = &password {
        crate::passwords::check_policy(username, pw)?;
    }
    Ok(Invitee {
        username: username.to_string(),
        email: email.to_string(),
        first: first.to_string(),
        last: last.to_string(),
        full,
        base_role,
        role_id,
        role_as_given,
        user_type,
        esri_access,
        groups,
        credits,
        password,
        provider,
        idp_username: str_field(v, "idpUsername").map(String::from),
    })
}

/// Creates the member of an invitation (now with a password, or when an invitation is
/// accepted), with its groups.
pub fn create_member(
    conn: &Connection,
    i: &InviteeRecord,
    password_hash: Option<&str>,
) -> Result<()> {
    let now = now_ms();
    let credits = i.credits.unwrap_or(-1.0);
    conn.execute(
        "INSERT INTO users (id, username, full_name, first_name, last_name, email, password_hash,
           role, role_id, user_license_type_id, user_type, access, provider, idp_username,
           created, modified, assigned_credits, available_credits)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'org', ?12, ?13, ?14, ?14, ?15, ?15)",
        params![
            hex_id(32),
            i.username,
            i.full,
            i.first,
            i.last,
            i.email,
            password_hash,
            i.base_role,
            i.role_id,
            i.user_type,
            i.esri_access,
            i.provider,
            i.idp_username,
            now,
            credits
        ],
    )?;
    for g in &i.groups {
        conn.execute(
            "INSERT OR IGNORE INTO group_members (group_id, username, member_type, joined) VALUES (?1, ?2, 'member', ?3)",
            params![g, i.username, now],
        )?;
    }
    Ok(())
}

/// The fields of a member to be, as kept on an invitation.
pub struct InviteeRecord {
    pub username: String,
    pub email: String,
    pub first: String,
    pub last: String,
    pub full: String,
    pub base_role: String,
    pub role_id: Option<String>,
    pub user_type: String,
    pub esri_access: String,
    pub groups: Vec<String>,
    pub credits: Option<f64>,
    pub provider: String,
    pub idp_username: Option<String>,
}

impl From<&Invitee> for InviteeRecord {
    fn from(i: &Invitee) -> Self {
        Self {
            username: i.username.clone(),
            email: i.email.clone(),
            first: i.first.clone(),
            last: i.last.clone(),
            full: i.full.clone(),
            base_role: i.base_role.clone(),
            role_id: i.role_id.clone(),
            user_type: i.user_type.to_string(),
            esri_access: i.esri_access.clone(),
            groups: i.groups.clone(),
            credits: i.credits,
            provider: i.provider.clone(),
            idp_username: i.idp_username.clone(),
        }
    }
}

/// `portals/self/invite`: each invitation with a password creates the member at once; each
/// without one becomes a pending invitation with an email in the outbox. Answers
/// `{"success":true,"notInvited":[…]}` plus, for people, `errors` saying why.
async fn invite(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:inviteUsers")?;
    let list = req
        .params
        .json("invitationList")?
        .ok_or_else(|| PortalError::bad_request("'invitationList' must be specified."))?;
    let invitations = list
        .get("invitations")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| {
            PortalError::bad_request(
                "'invitationList' must be an object with an 'invitations' array.",
            )
        })?;
    if invitations.len() > 100 {
        return Err(PortalError::bad_request(
            "Too many invitations: at most 100 per request.",
        ));
    }
    let message = req.params.str("message").map(String::from);
    let expiration_minutes = req.params.int(
        "expiration",
        DEFAULT_EXPIRATION_MS / 60_000,
        1,
        365 * 24 * 60,
    )?;
    let base = format!("{}{}", req.origin, req.prefix);
    state
        .blocking(move |s| {
            let mut conn = s.db.get()?;
            let mut not_invited = Vec::new();
            let mut errors = Vec::new();
            for v in &invitations {
                let name = str_field(v, "username").unwrap_or("").to_string();
                let tx = conn.transaction()?;
                let outcome = check_invitee(&tx, v).and_then(|i| {
                    let record = InviteeRecord::from(&i);
                    match &i.password {
                        Some(pw) => create_member(&tx, &record, Some(&crate::passwords::hash(pw)?)),
                        None => add_invitation(
                            &tx,
                            &caller,
                            &record,
                            &i.role_as_given,
                            expiration_minutes,
                            &base,
                            message.as_deref(),
                            &s.org_name,
                        ),
                    }
                });
                match outcome {
                    Ok(()) => tx.commit()?,
                    Err(e) => {
                        drop(tx);
                        not_invited.push(json!(name));
                        errors.push(json!({ "username": name, "error": e.body()["error"] }));
                    }
                }
            }
            Ok(Reply::Json(
                json!({ "success": true, "notInvited": not_invited, "errors": errors }),
            ))
        })
        .await
}

#[allow(clippy::too_many_arguments)]
fn add_invitation(
    conn: &Connection,
    caller: &Caller,
    i: &InviteeRecord,
    role_as_given: &str,
    expiration_minutes: i64,
    base: &str,
    message: Option<&str>,
    org_name: &str,
) -> Result<()> {
    let id = hex_id(32);
    let code = secret();
    let now = now_ms();
    conn.execute(
        "INSERT INTO invitations (id, kind, username, email, first_name, last_name, full_name, role,
           user_license_type, user_type, groups, credits, from_username, created, expiration,
           accept_code_hash)
         VALUES (?1, 'org', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            id,
            Some(i.username.as_str()).filter(|u| !u.is_empty()),
            i.email,
            i.first,
            i.last,
            i.full,
            i.role_id.clone().unwrap_or_else(|| role_as_given.to_string()),
            i.user_type,
            i.esri_access,
            json!(i.groups).to_string(),
            i.credits,
            caller.username,
            now,
            now + expiration_minutes * 60_000,
            secret_hash(&code)
        ],
    )?;
    let link = format!("{base}/sharing/invitation/accept?id={id}&code={code}");
    conn.execute(
        "INSERT INTO outbox (to_address, subject, body, link, invitation_id, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            i.email,
            format!("Invitation to join {org_name}"),
            format!("{}\n\nYou have been invited to join {org_name} as {}. Accept: {link}", message.unwrap_or(""), i.username),
            link,
            id,
            now
        ],
    )?;
    Ok(())
}

/// `portals/self/inviteByEmail` (Python's `gis.users.invite`): invitations to email
/// addresses; the invitee chooses a username when accepting. `expiration` in minutes.
async fn invite_by_email(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:inviteUsers")?;
    let emails = req.params.list("emails")?;
    if emails.is_empty() || emails.len() > 100 {
        return Err(PortalError::bad_request(
            "'emails' must list 1 to 100 addresses.",
        ));
    }
    if req.params.bool("validateEmail")?.unwrap_or(true) {
        for e in &emails {
            validate::email(e)?;
        }
    }
    let role_given = req.params.str("role").unwrap_or("org_user").to_string();
    let provider = req
        .params
        .str("targetUserProvider")
        .unwrap_or("arcgis")
        .to_ascii_lowercase();
    let minutes = req.params.int("expiration", 1440, 1, 365 * 24 * 60)?;
    let message = req.params.str("message").map(String::from);
    let base = format!("{}{}", req.origin, req.prefix);
    state
        .blocking(move |s| {
            let mut conn = s.db.get()?;
            let tx = conn.transaction()?;
            let (base_role, role_id) = validate::role(&tx, &role_given)?;
            let user_type = if role_id.as_deref() == Some(crate::privileges::VIEWER_ROLE_ID) {
                "viewerUT"
            } else {
                "creatorUT"
            };
            validate::compatible(user_type, &base_role, role_id.as_deref())?;
            for email in &emails {
                let record = InviteeRecord {
                    username: String::new(),
                    email: email.clone(),
                    first: String::new(),
                    last: String::new(),
                    full: String::new(),
                    base_role: base_role.clone(),
                    role_id: role_id.clone(),
                    user_type: user_type.to_string(),
                    esri_access: "both".into(),
                    groups: Vec::new(),
                    credits: None,
                    provider: provider.clone(),
                    idp_username: None,
                };
                add_invitation(
                    &tx,
                    &caller,
                    &record,
                    &role_given,
                    minutes,
                    &base,
                    message.as_deref(),
                    &s.org_name,
                )?;
            }
            tx.commit()?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

const INVITATION_COLUMNS: &str = "id, username, email, first_name, last_name, full_name, role, user_license_type, user_type, groups, credits, from_username, created, expiration, accepted, must_approve";

fn invitation_json(r: &Row<'_>) -> r2d2_sqlite::rusqlite::Result<Value> {
    let groups: String = r.get(9)?;
    Ok(json!({
        "id": r.get::<_, String>(0)?,
        "username": r.get::<_, Option<String>>(1)?,
        "email": r.get::<_, Option<String>>(2)?,
        "firstName": r.get::<_, Option<String>>(3)?,
        "lastName": r.get::<_, Option<String>>(4)?,
        "fullName": r.get::<_, Option<String>>(5)?,
        "role": r.get::<_, Option<String>>(6)?,
        "userLicenseType": r.get::<_, Option<String>>(7)?,
        "userType": r.get::<_, Option<String>>(8)?,
        "groups": serde_json::from_str::<Value>(&groups).unwrap_or(json!([])),
        "userCreditAssignment": r.get::<_, Option<f64>>(10)?,
        "fromUsername": r.get::<_, String>(11)?,
        "created": r.get::<_, i64>(12)?,
        "expiration": r.get::<_, i64>(13)?,
        "accepted": r.get::<_, bool>(14)?,
        "mustApprove": r.get::<_, bool>(15)?,
        "type": "email",
        "targetType": "org",
        "level": if r.get::<_, Option<String>>(7)?.as_deref() == Some("viewerUT") { 1 } else { 2 },
    }))
}

fn require_inviter(caller: &Caller) -> Result<()> {
    if caller.has("portal:admin:inviteUsers") || caller.has("portal:admin:viewUsers") {
        Ok(())
    } else {
        Err(PortalError::forbidden())
    }
}

/// `portals/self/invitations`: every org invitation not yet accepted, expired ones included
/// (their `expiration` tells), newest first, paged.
async fn list(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    require_inviter(&caller)?;
    let (start, num) = req.paging(10)?;
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let total: i64 = conn.query_row("SELECT COUNT(*) FROM invitations WHERE kind = 'org' AND accepted = 0", [], |r| r.get(0))?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {INVITATION_COLUMNS} FROM invitations WHERE kind = 'org' AND accepted = 0
                 ORDER BY created DESC, id LIMIT ?1 OFFSET ?2"
            ))?;
            let items = stmt.query_map(params![num, start - 1], invitation_json)?.collect::<r2d2_sqlite::rusqlite::Result<Vec<_>>>()?;
            let next = crate::util::next_start(start, items.len(), total);
            Ok(Reply::Json(json!({ "total": total, "start": start, "num": items.len(), "nextStart": next, "invitations": items })))
        })
        .await
}

fn not_found() -> PortalError {
    PortalError::bad_request("Invitation does not exist or is inaccessible.")
}

async fn get(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    require_inviter(&caller)?;
    let id = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let v = conn
                .query_row(&format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE id = ?1 AND kind = 'org'"), params![id], invitation_json)
                .optional()?
                .ok_or_else(not_found)?;
            Ok(Reply::Json(v))
        })
        .await
}

async fn delete(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:inviteUsers")?;
    let id = req.capture(0).to_string();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let n = conn.execute(
                "DELETE FROM invitations WHERE id = ?1 AND kind = 'org' AND accepted = 0",
                params![id],
            )?;
            if n == 0 {
                return Err(not_found());
            }
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}

async fn outbox(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    caller.require("portal:admin:inviteUsers")?;
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let mut stmt = conn.prepare("SELECT to_address, subject, body, link, invitation_id, created FROM outbox ORDER BY id DESC LIMIT 500")?;
            let messages = stmt
                .query_map([], |r| {
                    Ok(json!({
                        "to": r.get::<_, String>(0)?, "subject": r.get::<_, String>(1)?, "body": r.get::<_, String>(2)?,
                        "link": r.get::<_, Option<String>>(3)?, "invitationId": r.get::<_, Option<String>>(4)?, "created": r.get::<_, i64>(5)?,
                    }))
                })?
                .collect::<r2d2_sqlite::rusqlite::Result<Vec<_>>>()?;
            Ok(Reply::Json(json!({ "messages": messages })))
        })
        .await
}

fn page(title: &str, body: &str) -> String {
    format!("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body><main>\n{body}\n</main></body></html>\n", html_escape(title))
}

/// Finds an open invitation by id and accept code.
fn open_invitation(
    conn: &Connection,
    id: &str,
    code: &str,
) -> Result<Option<(InviteeRecord, i64)>> {
    let row = conn
        .query_row(
            "SELECT username, email, first_name, last_name, full_name, role, user_license_type, user_type, groups, credits, expiration
             FROM invitations WHERE id = ?1 AND kind = 'org' AND accepted = 0 AND accept_code_hash = ?2",
            params![id, secret_hash(code)],
            |r| {
                let role: String = r.get(5)?;
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
                ))
            },
        )
        .optional()?;
    let Some((mut record, expiration)) = row else {
        return Ok(None);
    };
    let (base, role_id) = validate::role(conn, record.role_id.as_deref().unwrap_or("org_user"))?;
    record.base_role = base;
    record.role_id = role_id;
    Ok(Some((record, expiration)))
}

/// The page an invitee opens from the email: choose a password, then the account exists.
async fn accept_page(state: State, req: ApiRequest) -> Result<Reply> {
    use axum::http::StatusCode;
    let id = req.params.str("id").unwrap_or("").to_string();
    let code = req.params.str("code").unwrap_or("").to_string();
    let action = format!("{}/sharing/invitation/accept", req.prefix);
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let Some((record, expiration)) = open_invitation(&conn, &id, &code)? else {
                return Ok(Reply::Html(StatusCode::NOT_FOUND, page("Invitation", "<h1>This invitation is not valid</h1><p>It may have been accepted, deleted or mistyped.</p>")));
            };
            if expiration < now_ms() {
                return Ok(Reply::Html(StatusCode::GONE, page("Invitation", "<h1>This invitation has expired</h1><p>Ask your administrator to invite you again.</p>")));
            }
            let who = if record.username.is_empty() {
                "<label for=\"username\">Choose a username</label>\n<input id=\"username\" name=\"username\" autocomplete=\"username\" required>\n".to_string()
            } else {
                String::new()
            };
            let shown = if record.username.is_empty() { record.email.clone() } else { record.username.clone() };
            let body = format!(
                "<h1>Join {org}</h1>\n<p>Create your account for <strong>{user}</strong>.</p>\n<form method=\"post\" action=\"{action}\">\n<input type=\"hidden\" name=\"id\" value=\"{id}\">\n<input type=\"hidden\" name=\"code\" value=\"{code}\">\n{who}<label for=\"password\">Password</label>\n<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required>\n<button type=\"submit\">Accept invitation</button>\n</form>",
                org = html_escape(&s.org_name),
                user = html_escape(&shown),
                action = html_escape(&action),
                id = html_escape(&id),
                code = html_escape(&code),
            );
            Ok(Reply::Html(StatusCode::OK, page("Accept invitation", &body)))
        })
        .await
}

async fn accept_submit(state: State, req: ApiRequest) -> Result<Reply> {
    use axum::http::StatusCode;
    let id = req.params.str("id").unwrap_or("").to_string();
    let code = req.params.str("code").unwrap_or("").to_string();
    let password = req.params.raw("password").unwrap_or("").to_string();
    let chosen = req.params.str("username").unwrap_or("").to_string();
    state
        .blocking(move |s| {
            let mut conn = s.db.get()?;
            let tx = conn.transaction()?;
            let Some((mut record, expiration)) = open_invitation(&tx, &id, &code)? else {
                return Ok(Reply::Html(StatusCode::NOT_FOUND, page("Invitation", "<h1>This invitation is not valid</h1>")));
            };
            if record.username.is_empty() {
                record.username = chosen.clone();
                if let Err(e) = validate::username(&record.username, 128) {
                    return Ok(Reply::Html(StatusCode::BAD_REQUEST, page("Invitation", &format!("<h1>Choose another username</h1><p role=\"alert\">{}</p>", html_escape(&e.message)))));
                }
            }
            if expiration < now_ms() {
                return Ok(Reply::Html(StatusCode::GONE, page("Invitation", "<h1>This invitation has expired</h1>")));
            }
            if let Err(e) = crate::passwords::check_policy(&record.username, &password) {
                let why = html_escape(&e.details.join(" "));
                return Ok(Reply::Html(StatusCode::BAD_REQUEST, page("Invitation", &format!("<h1>Choose another password</h1><p role=\"alert\">{why}</p><p><a href=\"?id={}&amp;code={}\">Back</a></p>", html_escape(&id), html_escape(&code)))));
            }
            if exists_user(&tx, &record.username)? {
                return Ok(Reply::Html(StatusCode::CONFLICT, page("Invitation", "<h1>This username is already taken</h1>")));
            }
            create_member(&tx, &record, Some(&crate::passwords::hash(&password)?))?;
            tx.execute("DELETE FROM invitations WHERE id = ?1", params![id])?;
            tx.commit()?;
            Ok(Reply::Html(StatusCode::OK, page("Welcome", &format!("<h1>Welcome, {}</h1><p>Your account is ready. You can sign in now.</p>", html_escape(&record.username)))))
        })
        .await
}
