//! Members: the user record and its views (contract §3.1), reading one user, the signed-in
//! user, and searching and listing members (§3.2–§3.6).

use axum::response::IntoResponse;
use r2d2_sqlite::rusqlite::{self, params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use crate::error::{PortalError, Result};
use crate::query::{self, Expr, Value as QValue};
use crate::routing::{ApiRequest, Reply};
use crate::snapshot::{Snapshot, SortField};
use crate::{route, routing::Route, State};

/// The columns every user query selects, in [`User::from_row`] order.
pub const USER_COLUMNS: &str =
    "id, username, full_name, first_name, last_name, email, description, \
    role, role_id, user_license_type_id, user_type, access, provider, idp_username, disabled, \
    last_login, created, modified, tags, categories, culture, culture_format, region, units, \
    preferred_view, thumbnail, assigned_credits, available_credits, mfa_enabled, storage_usage";

/// A member, as stored.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub description: Option<String>,
    pub role: String,
    pub role_id: Option<String>,
    pub user_license_type_id: String,
    pub user_type: String,
    pub access: String,
    pub provider: String,
    pub idp_username: Option<String>,
    pub disabled: bool,
    pub last_login: i64,
    pub created: i64,
    pub modified: i64,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub culture: String,
    pub culture_format: String,
    pub region: String,
    pub units: String,
    pub preferred_view: Option<String>,
    pub thumbnail: Option<String>,
    pub assigned_credits: f64,
    pub available_credits: f64,
    pub mfa_enabled: bool,
    pub storage_usage: i64,
}

impl User {
    /// Reads a row selected with [`USER_COLUMNS`].
    pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        let list = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default();
        Ok(Self {
            id: r.get(0)?,
            username: r.get(1)?,
            full_name: r.get(2)?,
            first_name: r.get(3)?,
            last_name: r.get(4)?,
            email: r.get(5)?,
            description: r.get(6)?,
            role: r.get(7)?,
            role_id: r.get(8)?,
            user_license_type_id: r.get(9)?,
            user_type: r.get(10)?,
            access: r.get(11)?,
            provider: r.get(12)?,
            idp_username: r.get(13)?,
            disabled: r.get(14)?,
            last_login: r.get(15)?,
            created: r.get(16)?,
            modified: r.get(17)?,
            tags: list(r.get(18)?),
            categories: list(r.get(19)?),
            culture: r.get(20)?,
            culture_format: r.get(21)?,
            region: r.get(22)?,
            units: r.get(23)?,
            preferred_view: r.get(24)?,
            thumbnail: r.get(25)?,
            assigned_credits: r.get(26)?,
            available_credits: r.get(27)?,
            mfa_enabled: r.get(28)?,
            storage_usage: r.get(29)?,
        })
    }

    /// The fields anyone who may see the user gets (contract §3.1, anonymous view).
    pub fn public_json(&self, org_id: &str) -> Value {
        json!({
            "username": self.username,
            "udn": Value::Null,
            "id": self.id,
            "fullName": self.full_name,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "description": self.description,
            "tags": self.tags,
            "culture": self.culture,
            "region": self.region,
            "units": self.units,
            "thumbnail": self.thumbnail,
            "created": self.created,
            "modified": self.modified,
            "provider": self.provider,
            "orgId": org_id,
        })
    }

    /// The self / administrator view: every field. `groups` is filled by the caller where the
    /// view includes them; search results carry an empty list.
    pub fn full_json(&self, org_id: &str, privileges: &[String], groups: Value) -> Value {
        let mut v = self.public_json(org_id);
        let extra = json!({
            "email": self.email,
            "emailStatus": "verified",
            "userType": self.user_type,
            "idpUsername": self.idp_username,
            "favGroupId": Value::Null,
            "lastLogin": self.last_login,
            "mfaEnabled": self.mfa_enabled,
            "mfaEnforcementExempt": false,
            "access": self.access,
            "storageUsage": self.storage_usage,
            "storageQuota": 2_199_023_255_552_i64,
            "role": self.role,
            "privileges": privileges,
            "level": if self.role_id.as_deref() == Some(crate::privileges::VIEWER_ROLE_ID) { "1" } else { "2" },
            "userLicenseTypeId": self.user_license_type_id,
            "disabled": self.disabled,
            "cultureFormat": self.culture_format,
            "preferredView": self.preferred_view,
            "categories": self.categories,
            "assignedCredits": self.assigned_credits,
            "availableCredits": self.available_credits,
            "groups": groups,
        });
        if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), extra) {
            obj.extend(more);
            if let Some(role_id) = &self.role_id {
                obj.insert("roleId".into(), json!(role_id));
            }
        }
        v
    }
}

/// The privileges of a role: built-in ones from the table in `privileges`, custom ones from
/// the database.
pub fn privileges_for(conn: &Connection, role: &str, role_id: Option<&str>) -> Result<Vec<String>> {
    if let Some(id) = role_id {
        if let Some(p) = crate::privileges::builtin(id) {
            return Ok(p);
        }
        let stored: Option<String> = conn
            .query_row(
                "SELECT privileges FROM roles WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(text) = stored {
            return Ok(serde_json::from_str(&text).unwrap_or_default());
        }
    }
    Ok(crate::privileges::builtin(role).unwrap_or_default())
}

/// Finds a user by username (case-insensitive) or by 32-hex id (contract §3.3).
pub fn find(conn: &Connection, name_or_id: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = ?1 OR id = ?1 LIMIT 1");
    Ok(conn
        .query_row(&sql, params![name_or_id], User::from_row)
        .optional()?)
}

/// Whether `caller` may see `user` at all (contract §3.1, §6 access rules).
pub fn visible_to(user: &User, caller: Option<&crate::auth::Caller>) -> bool {
    match caller {
        Some(c) if c.is(&user.username) || c.has("portal:admin:viewUsers") => true,
        Some(c) if !c.app_only => user.access != "private",
        Some(_) => user.access == "public" || user.access == "org",
        None => user.access == "public",
    }
}

/// Whether `caller` sees the private fields of `user` (email, role, privileges, groups…).
pub fn sees_private_fields(user: &User, caller: Option<&crate::auth::Caller>) -> bool {
    caller.is_some_and(|c| c.is(&user.username) || c.has("portal:admin:viewUsers"))
}

/// The groups of a user, each a group object plus `userMembership` (self/admin view).
pub fn groups_of(conn: &Connection, username: &str, org_id: &str) -> Result<Value> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.title, g.owner, g.description, g.snippet, g.tags, g.access,
                g.is_invitation_only, g.is_view_only, g.created, g.modified, m.member_type
         FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.username = ?1 ORDER BY g.title COLLATE NOCASE",
    )?;
    let rows = stmt.query_map(params![username], |r| {
        let mut g = crate::groups::group_json_from_row(r, org_id)?;
        let member_type: String = r.get(11)?;
        g["userMembership"] =
            json!({"username": username, "memberType": member_type, "applications": 0});
        Ok(g)
    })?;
    Ok(Value::Array(rows.collect::<rusqlite::Result<Vec<_>>>()?))
}

/// The JSON of a user as `caller` may see it; `with_groups` for the user resource itself.
pub fn user_view(
    conn: &Connection,
    user: &User,
    caller: Option<&crate::auth::Caller>,
    org_id: &str,
    with_groups: bool,
) -> Result<Value> {
    if sees_private_fields(user, caller) {
        let privileges = privileges_for(conn, &user.role, user.role_id.as_deref())?;
        let groups = if with_groups {
            groups_of(conn, &user.username, org_id)?
        } else {
            json!([])
        };
        Ok(user.full_json(org_id, &privileges, groups))
    } else {
        Ok(user.public_json(org_id))
    }
}

/// The routes of this module.
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "community/self", get_self),
        route!(Api, Read, "community/users", search_community),
        route!(Api, Read, "community/users/{}", get_user),
        route!(Api, Read, "portals/self/users", list_org_users),
        route!(Api, Read, "portals/{}/users", list_org_users),
        route!(Api, Read, "portals/self/users/search", search_org),
        route!(Api, Read, "portals/{}/users/search", search_org),
    ]
}

async fn get_self(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = find(&conn, &caller.username)?.ok_or_else(PortalError::user_not_found)?;
            Ok(Reply::Json(user_view(
                &conn,
                &user,
                Some(&caller),
                &s.org_id,
                true,
            )?))
        })
        .await
}

async fn get_user(state: State, req: ApiRequest) -> Result<Reply> {
    let name = req.capture(0).to_string();
    let caller = req.caller.clone();
    state
        .blocking(move |s| {
            let conn = s.db.get()?;
            let user = find(&conn, &name)?
                .filter(|u| visible_to(u, caller.as_ref()))
                .ok_or_else(PortalError::user_not_found)?;
            Ok(Reply::Json(user_view(
                &conn,
                &user,
                caller.as_ref(),
                &s.org_id,
                true,
            )?))
        })
        .await
}

/// The real portal stops searches at 10,000 results (contract §3.4); org listings do not stop.
pub const SEARCH_CAP: i64 = 10_000;

fn sort_field(req: &ApiRequest, allowed: &[&str]) -> Result<SortField> {
    SortField::parse(req.params.str("sortField"), allowed).ok_or_else(|| {
        PortalError::bad_request(format!(
            "Invalid sortField '{}': use one of {}.",
            crate::params::truncate(req.params.str("sortField").unwrap_or("")),
            allowed.join(", ")
        ))
    })
}

fn descending(req: &ApiRequest) -> Result<bool> {
    match req
        .params
        .str("sortOrder")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("asc") => Ok(false),
        Some("desc") => Ok(true),
        Some(other) => Err(PortalError::bad_request(format!(
            "Invalid sortOrder '{}': use asc or desc.",
            crate::params::truncate(other)
        ))),
    }
}

/// Renders one page of members as the caller may see them.
fn render_page(
    snapshot: &Snapshot,
    page: &[&crate::snapshot::Entry],
    caller: &crate::auth::Caller,
    org_id: &str,
) -> String {
    let admin = caller.has("portal:admin:viewUsers");
    let mut out = String::from("[");
    for (i, e) in page.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&e.json(snapshot, org_id, admin || caller.is(&e.user.username)));
    }
    out.push(']');
    out
}

fn raw_json(body: String) -> Reply {
    Reply::Raw(
        (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )],
            body,
        )
            .into_response(),
    )
}

fn next_start(start: i64, num: i64, returned: usize, limit: i64) -> i64 {
    let next = start + returned as i64;
    if returned == 0 || num == 0 || next > limit {
        -1
    } else {
        next
    }
}

async fn search_community(state: State, req: ApiRequest) -> Result<Reply> {
    search(state, req, "results").await
}

async fn search_org(state: State, req: ApiRequest) -> Result<Reply> {
    search(state, req, "results").await
}

/// `community/users` and `portals/self/users/search`: `q`, `filter`, sort, paging, capped at
/// 10,000 results like the real search.
async fn search(state: State, req: ApiRequest, key: &'static str) -> Result<Reply> {
    let caller = req.user()?.clone();
    let q = req.params.raw("q").unwrap_or("").to_string();
    let mut expr = query::parse(&q)?;
    if let Some(filter) = req.params.str("filter") {
        expr = Expr::And(vec![expr, query::parse(filter)?]);
    }
    if req.params.bool("excludeSystemUsers")?.unwrap_or(false) {
        expr = Expr::And(vec![
            expr,
            Expr::Not(Box::new(Expr::Match {
                field: Some("username".into()),
                value: QValue::Term("esri_*".into()),
            })),
        ]);
    }
    let field = sort_field(
        &req,
        &[
            "username",
            "fullname",
            "created",
            "modified",
            "lastlogin",
            "role",
        ],
    )?;
    let desc = descending(&req)?;
    let (start, num) = req.paging(10)?;
    state
        .blocking(move |s| {
            let snapshot = s.members.get(&s.db)?;
            let admin = caller.has("portal:admin:viewUsers");
            let matcher = snapshot.matcher(&expr, &s.org_id, admin).visible_to(&caller);
            let cap = SEARCH_CAP as usize;
            let (total, page) = if start > SEARCH_CAP {
                (0, Vec::new())
            } else {
                let num = num.min(SEARCH_CAP - start + 1) as usize;
                let (total, page) = snapshot.page(&matcher, field, desc, start as usize, num, cap);
                (total.min(cap), page)
            };
            let next = next_start(start, num, page.len(), total as i64);
            let body = format!(
                "{{\"query\":{},\"total\":{total},\"start\":{start},\"num\":{},\"nextStart\":{next},\"{key}\":{}}}",
                serde_json::to_string(&q).unwrap_or_else(|_| "\"\"".into()),
                page.len(),
                render_page(&snapshot, &page, &caller, &s.org_id)
            );
            Ok(raw_json(body))
        })
        .await
}

/// `portals/self/users`: the org's members, page by page, with no 10,000 cap (contract §3.5).
async fn list_org_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    if !caller.has("portal:admin:viewUsers") && !caller.has("portal:user:viewOrgUsers") {
        return Err(PortalError::forbidden());
    }
    let field = sort_field(
        &req,
        &[
            "username",
            "fullname",
            "created",
            "modified",
            "lastlogin",
            "mfaenabled",
            "level",
            "role",
            "firstname",
            "lastname",
            "email",
            "usertype",
            "userlicensetype",
        ],
    )?;
    let desc = descending(&req)?;
    let (start, num) = req.paging(10)?;
    // Filters are exact matches on one field each, combined with AND (or OR when asked).
    let mut clauses = Vec::new();
    for (param, field) in [
        ("userLicenseType", "userlicensetype"),
        ("provider", "provider"),
        ("role", "role"),
        ("username", "username"),
        ("fullname", "fullname"),
        ("firstname", "firstname"),
        ("lastname", "lastname"),
    ] {
        let values = req.params.list(param)?;
        if !values.is_empty() {
            clauses.push(Expr::Or(
                values
                    .into_iter()
                    .map(|v| Expr::Match {
                        field: Some(field.into()),
                        value: QValue::Term(v),
                    })
                    .collect(),
            ));
        }
    }
    let any = req
        .params
        .bool("applyFiltersIntersection")?
        .map(|all| !all)
        .unwrap_or(false)
        || req
            .params
            .str("filterCombination")
            .is_some_and(|c| c.eq_ignore_ascii_case("or"));
    let expr = if clauses.is_empty() {
        Expr::All
    } else if any {
        Expr::Or(clauses)
    } else {
        Expr::And(clauses)
    };
    state
        .blocking(move |s| {
            let snapshot = s.members.get(&s.db)?;
            let admin = caller.has("portal:admin:viewUsers");
            let matcher = snapshot.matcher(&expr, &s.org_id, admin).visible_to(&caller);
            let (total, page) =
                snapshot.page(&matcher, field, desc, start as usize, num as usize, usize::MAX);
            let next = next_start(start, num, page.len(), total as i64);
            let body = format!(
                "{{\"total\":{total},\"start\":{start},\"num\":{},\"nextStart\":{next},\"users\":{}}}",
                page.len(),
                render_page(&snapshot, &page, &caller, &s.org_id)
            );
            Ok(raw_json(body))
        })
        .await
}
