//! Adding and inviting people: `portals/self/invite` (an `invitationList`) and
//! `portals/self/inviteByEmail`. As on ArcGIS Online, an entry that names a username creates
//! the member at once: with a password, silently; without one, with an email carrying a link
//! to set it; with `targetUserProvider: enterprise`, as an organization-specific login with no
//! password. Only an entry without a username (and `inviteByEmail`) is an invitation to join,
//! pending until the invitee accepts it and chooses a username.
//!
//! What is deliberately not here: reading and withdrawing invitations (`org`) and accepting
//! them (`accept`).

use r2d2_sqlite::rusqlite::{params, Connection};
use serde_json::{json, Value};

use super::invitee::{create_member, exists_user, InviteeRecord};
use super::DEFAULT_EXPIRATION_MS;
use crate::auth::Caller;
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::util::{hex_id, now_ms, secret, secret_hash};
use crate::validate;
use crate::State;

/// One entry of an `invitationList`, checked. An empty `username` makes it an invitation to
/// join.
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

fn pending_invitation(conn: &Connection, username: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM invitations WHERE kind = 'org' AND username = ?1 AND accepted = 0 AND expiration > ?2)",
        params![username, now_ms()],
        |r| r.get(0),
    )?)
}

fn check_invitee(conn: &Connection, v: &Value) -> Result<Invitee> {
    let username = str_field(v, "username").unwrap_or("");
    if !username.is_empty() {
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
    }
    let who = if username.is_empty() {
        "an invitation to join".to_string()
    } else {
        format!("'{username}'")
    };
    let email = str_field(v, "email")
        .ok_or_else(|| PortalError::bad_request(format!("The entry of {who} needs an email.")))?;
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
                "Group '{}' in the entry of {who}.",
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
        if username.is_empty() {
            return Err(PortalError::bad_request(
                "A password needs a username: without one, the entry is an invitation to join.",
            ));
        }
        if provider == "enterprise" {
            return Err(PortalError::bad_request(format!(
                "{who} signs in with the organization's login (targetUserProvider enterprise): it takes no password."
            )));
        }
        crate::passwords::check_policy(username, pw)?;
    }
    let idp_username = str_field(v, "idpUsername").map(String::from);
    if provider == "enterprise" && !username.is_empty() && idp_username.is_none() {
        return Err(PortalError::bad_request(format!(
            "{who} is an organization-specific login (targetUserProvider enterprise): it needs an 'idpUsername'."
        )));
    }
    if idp_username.is_some() && provider != "enterprise" {
        return Err(PortalError::bad_request(
            "'idpUsername' goes with targetUserProvider enterprise.",
        ));
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
        idp_username,
    })
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

/// `portals/self/invite`: each entry with a username creates the member at once (see the
/// module's comment); each without one becomes a pending invitation to join. Every email goes
/// to the outbox. Answers `{"success":true,"notInvited":[…]}` plus, for people, `errors`
/// saying why (entries without a username are named by their email).
pub(crate) async fn invite(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:inviteUsers")?;
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
    let base = req.portal_url("");
    state
        .with_db(move |s, mut conn| {
            let mut not_invited = Vec::new();
            let mut errors = Vec::new();
            for v in &invitations {
                let name = str_field(v, "username")
                    .or(str_field(v, "email"))
                    .unwrap_or("")
                    .to_string();
                let tx = conn.transaction()?;
                let outcome = check_invitee(&tx, v).and_then(|i| {
                    crate::delegation::may_grant(&tx, &caller, &i.base_role, i.role_id.as_deref())?;
                    let record = InviteeRecord::from(&i);
                    let mail = Mail {
                        caller: &caller,
                        base: &base,
                        message: message.as_deref(),
                        org_name: &s.org_name,
                        expiration_minutes,
                    };
                    if record.username.is_empty() {
                        // A pending invitation holds a seat of its user type (one already
                        // pending for the same person and type holds it for this one).
                        crate::licenses::seats::check_room_for_invitation(
                            &tx,
                            &record.user_type,
                            &record.email,
                        )?;
                        return mail.invitation(&tx, &record, &i.role_as_given);
                    }
                    match &i.password {
                        Some(pw) => create_member(&tx, &record, Some(&crate::passwords::hash(pw)?)),
                        None => {
                            create_member(&tx, &record, None)?;
                            mail.account(&tx, &record)
                        }
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

/// The emails `invite` and `inviteByEmail` send (to the outbox), with the links they carry.
struct Mail<'a> {
    caller: &'a Caller,
    base: &'a str,
    message: Option<&'a str>,
    org_name: &'a str,
    expiration_minutes: i64,
}

impl Mail<'_> {
    /// An invitation to join: pending (listed in `portals/self/invitations`) until the invitee
    /// accepts it on the accept page, choosing a username when it has none.
    fn invitation(&self, conn: &Connection, i: &InviteeRecord, role_as_given: &str) -> Result<()> {
        let (id, link) = self.link(conn, "org", i, Some(role_as_given))?;
        let org = self.org_name;
        let whom = if i.username.is_empty() {
            &i.email
        } else {
            &i.username
        };
        self.send(
            conn,
            &i.email,
            &format!("Invitation to join {org}"),
            &format!("You have been invited to join {org} as {whom}. Accept: {link}"),
            Some((&link, &id)),
        )
    }

    /// A member created without a password, told of their account: with a link to set the
    /// password (the same accept page, once), or, for an organization-specific login, to sign
    /// in through the organization's identity provider.
    fn account(&self, conn: &Connection, i: &InviteeRecord) -> Result<()> {
        let org = self.org_name;
        let text = format!("An account was created for you in {org}: {}.", i.username);
        if i.provider == "enterprise" {
            let text = format!("{text} Sign in with your organization's login.");
            return self.send(
                conn,
                &i.email,
                &format!("Your account in {org}"),
                &text,
                None,
            );
        }
        let (id, link) = self.link(conn, "activation", i, None)?;
        let text = format!("{text} Set your password: {link}");
        let subject = format!("Your account in {org}");
        self.send(conn, &i.email, &subject, &text, Some((&link, &id)))
    }

    /// Records a link of `kind` (`org`: an invitation to join; `activation`: setting the
    /// password of a member created without one) and returns its id and URL.
    fn link(
        &self,
        conn: &Connection,
        kind: &str,
        i: &InviteeRecord,
        role_as_given: Option<&str>,
    ) -> Result<(String, String)> {
        let id = hex_id(32);
        let code = secret();
        let now = now_ms();
        conn.execute(
            "INSERT INTO invitations (id, kind, username, email, first_name, last_name, full_name, role,
               user_license_type, user_type, groups, credits, from_username, created, expiration,
               accept_code_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                id,
                kind,
                Some(i.username.as_str()).filter(|u| !u.is_empty()),
                i.email,
                i.first,
                i.last,
                i.full,
                role_as_given.map(|r| i.role_id.clone().unwrap_or_else(|| r.to_string())),
                i.user_type,
                i.esri_access,
                json!(i.groups).to_string(),
                i.credits,
                self.caller.username,
                now,
                now + self.expiration_minutes * 60_000,
                secret_hash(&code)
            ],
        )?;
        let link = format!(
            "{}/sharing/invitation/accept?id={id}&code={code}",
            self.base
        );
        Ok((id, link))
    }

    fn send(
        &self,
        conn: &Connection,
        to: &str,
        subject: &str,
        text: &str,
        link: Option<(&str, &str)>,
    ) -> Result<()> {
        let body = match self.message {
            Some(m) => format!("{m}\n\n{text}"),
            None => text.to_string(),
        };
        conn.execute(
            "INSERT INTO outbox (to_address, subject, body, link, invitation_id, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![to, subject, body, link.map(|l| l.0), link.map(|l| l.1), now_ms()],
        )?;
        Ok(())
    }
}

/// `portals/self/inviteByEmail` (Python's `gis.users.invite`): invitations to email
/// addresses; the invitee chooses a username when accepting. `expiration` in minutes.
pub(crate) async fn invite_by_email(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.holding("portal:admin:inviteUsers")?;
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
    let base = req.portal_url("");
    state
        .with_db(move |s, mut conn| {
            let tx = conn.transaction()?;
            let (base_role, role_id) = validate::role(&tx, &role_given)?;
            crate::delegation::may_grant(&tx, &caller, &base_role, role_id.as_deref())?;
            let user_type = if role_id.as_deref() == Some(crate::privileges::VIEWER_ROLE_ID) {
                "viewerUT"
            } else {
                "creatorUT"
            };
            validate::compatible(user_type, &base_role, role_id.as_deref())?;
            let mail = Mail {
                caller: &caller,
                base: &base,
                message: message.as_deref(),
                org_name: &s.org_name,
                expiration_minutes: minutes,
            };
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
                mail.invitation(&tx, &record, &role_given)?;
            }
            tx.commit()?;
            Ok(Reply::Json(json!({ "success": true })))
        })
        .await
}
