//! Members: the user record and its views (contract §3.1), reading one user, the signed-in
//! user, and searching and listing members (§3.2–§3.6).

use r2d2_sqlite::rusqlite::{
    self, params, types::Value as SqlValue, Connection, OptionalExtension, Row,
};
use serde_json::{json, Value};

use crate::error::{PortalError, Result};
use crate::query::{self, Expr, Value as QValue};
use crate::routing::{ApiRequest, Reply};
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

/// Sorting of user lists: the column for a `sortField`, or an error naming the choices.
fn sort_column(field: Option<&str>, allowed: &[&str]) -> Result<&'static str> {
    let field = field.unwrap_or("username").to_ascii_lowercase();
    if !allowed.contains(&field.as_str()) {
        return Err(PortalError::bad_request(format!(
            "Invalid sortField '{}': use one of {}.",
            crate::params::truncate(&field),
            allowed.join(", ")
        )));
    }
    Ok(match field.as_str() {
        "fullname" => "full_name COLLATE NOCASE",
        "firstname" => "first_name COLLATE NOCASE",
        "lastname" => "last_name COLLATE NOCASE",
        "created" => "created",
        "modified" => "modified",
        "lastlogin" => "last_login",
        "mfaenabled" => "mfa_enabled",
        "role" => "role",
        "level" => "(role_id IS NOT NULL AND role_id = 'iAAAAAAAAAAAAAAA')",
        "usertype" | "userlicensetype" => "user_license_type_id",
        "email" => "email COLLATE NOCASE",
        _ => "username COLLATE NOCASE",
    })
}

fn sort_order(req: &ApiRequest) -> Result<&'static str> {
    match req
        .params
        .str("sortOrder")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("asc") => Ok("ASC"),
        Some("desc") => Ok("DESC"),
        Some(other) => Err(PortalError::bad_request(format!(
            "Invalid sortOrder '{}': use asc or desc.",
            crate::params::truncate(other)
        ))),
    }
}

/// SQL for a parsed query over the users table. `admin` decides whether private fields
/// (email) can be searched.
pub struct SqlFilter {
    pub sql: String,
    pub args: Vec<SqlValue>,
}

fn like_pattern(value: &str, contains: bool) -> String {
    let mut out = String::new();
    if contains {
        out.push('%');
    }
    for c in value.chars() {
        match c {
            '%' | '_' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '*' => out.push('%'),
            '?' => out.push('_'),
            c => out.push(c),
        }
    }
    if contains {
        out.push('%');
    }
    out
}

fn has_wildcard(v: &str) -> bool {
    v.contains('*') || v.contains('?')
}

impl SqlFilter {
    /// Builds the WHERE clause for `expr`.
    pub fn build(expr: &Expr, org_id: &str, admin: bool) -> Self {
        let mut f = SqlFilter {
            sql: String::new(),
            args: Vec::new(),
        };
        f.sql = f.expr(expr, org_id, admin);
        f
    }

    fn arg(&mut self, v: impl Into<SqlValue>) -> String {
        self.args.push(v.into());
        format!("?{}", self.args.len())
    }

    fn expr(&mut self, e: &Expr, org_id: &str, admin: bool) -> String {
        match e {
            Expr::All => "1".into(),
            Expr::And(items) => {
                let parts: Vec<String> =
                    items.iter().map(|i| self.expr(i, org_id, admin)).collect();
                format!("({})", parts.join(" AND "))
            }
            Expr::Or(items) => {
                let parts: Vec<String> =
                    items.iter().map(|i| self.expr(i, org_id, admin)).collect();
                format!("({})", parts.join(" OR "))
            }
            Expr::Not(inner) => format!("(NOT {})", self.expr(inner, org_id, admin)),
            Expr::Match { field, value } => self.matching(field.as_deref(), value, org_id, admin),
        }
    }

    /// Exact (or wildcard) match of a text column, case-insensitive.
    fn exact(&mut self, column: &str, v: &str) -> String {
        if has_wildcard(v) {
            let p = self.arg(like_pattern(v, false));
            format!("(IFNULL({column}, '') LIKE {p} ESCAPE '\\')")
        } else {
            let p = self.arg(v.to_string());
            format!("(IFNULL({column}, '') = {p} COLLATE NOCASE)")
        }
    }

    /// Word-ish match of a text column: the value anywhere in it.
    fn contains(&mut self, column: &str, v: &str) -> String {
        let p = self.arg(like_pattern(v, true));
        format!("(IFNULL({column}, '') LIKE {p} ESCAPE '\\')")
    }

    fn range(
        &mut self,
        column: &str,
        from: &Option<String>,
        to: &Option<String>,
        inclusive: bool,
    ) -> String {
        let mut parts = Vec::new();
        let (lo, hi) = if inclusive { (">=", "<=") } else { (">", "<") };
        for (bound, op) in [(from, lo), (to, hi)] {
            if let Some(b) = bound {
                let n = b.trim_start_matches('0');
                let value: i64 = if n.is_empty() {
                    0
                } else {
                    n.parse().unwrap_or(i64::MAX)
                };
                let p = self.arg(value);
                parts.push(format!("{column} {op} {p}"));
            }
        }
        if parts.is_empty() {
            "1".into()
        } else {
            format!("({})", parts.join(" AND "))
        }
    }

    fn matching(
        &mut self,
        field: Option<&str>,
        value: &QValue,
        org_id: &str,
        admin: bool,
    ) -> String {
        let text = match value {
            QValue::Term(t) | QValue::Phrase(t) => Some(t.as_str()),
            QValue::Range { .. } => None,
        };
        let numeric = |s: &mut Self, column: &str| match value {
            QValue::Range {
                from,
                to,
                inclusive,
            } => s.range(column, from, to, *inclusive),
            QValue::Term(t) | QValue::Phrase(t) => match t.parse::<i64>() {
                Ok(n) => {
                    let p = s.arg(n);
                    format!("({column} = {p})")
                }
                Err(_) => "0".into(),
            },
        };
        match field {
            None => match text {
                Some("*") => "1".into(),
                Some(t) => {
                    let a = self.contains("username", t);
                    let b = self.contains("full_name", t);
                    let c = if admin {
                        self.exact("email", t)
                    } else {
                        "0".into()
                    };
                    format!("({a} OR {b} OR {c})")
                }
                None => "0".into(),
            },
            Some("username") => text.map_or("0".into(), |t| self.exact("username", t)),
            Some("id") => text.map_or("0".into(), |t| self.exact("id", t)),
            Some("fullname" | "full_name") => {
                text.map_or("0".into(), |t| self.contains("full_name", t))
            }
            Some("firstname") => text.map_or("0".into(), |t| self.contains("first_name", t)),
            Some("lastname") => text.map_or("0".into(), |t| self.contains("last_name", t)),
            Some("description") => text.map_or("0".into(), |t| self.contains("description", t)),
            Some("tags") => text.map_or("0".into(), |t| self.contains("tags", t)),
            Some("email") if admin => text.map_or("0".into(), |t| self.exact("email", t)),
            Some("role") => text.map_or("0".into(), |t| {
                let a = self.exact("role", t);
                let b = self.exact("role_id", t);
                format!("({a} OR {b})")
            }),
            Some("provider") => text.map_or("0".into(), |t| self.exact("provider", t)),
            Some("userlicensetype" | "userlicensetypeid" | "usertype") => {
                text.map_or("0".into(), |t| self.exact("user_license_type_id", t))
            }
            Some("disabled") => match text.map(str::to_ascii_lowercase).as_deref() {
                Some("true") => "(disabled = 1)".into(),
                Some("false") => "(disabled = 0)".into(),
                _ => "0".into(),
            },
            Some("accountid" | "orgid") => match text {
                Some(t) if t == "*" || t.eq_ignore_ascii_case(org_id) => "1".into(),
                _ => "0".into(),
            },
            Some("created") => numeric(self, "created"),
            Some("modified") => numeric(self, "modified"),
            Some("lastlogin") => numeric(self, "last_login"),
            // Fields we do not index match nothing, as an unknown field does on the real search.
            Some(_) => "0".into(),
        }
    }
}

/// One page of users for a WHERE clause.
struct Page {
    total: i64,
    users: Vec<User>,
}

fn query_page(
    conn: &Connection,
    filter: &SqlFilter,
    order: &str,
    start: i64,
    num: i64,
) -> Result<Page> {
    let count_sql = format!("SELECT COUNT(*) FROM users WHERE {}", filter.sql);
    let total: i64 = conn
        .prepare_cached(&count_sql)?
        .query_row(rusqlite::params_from_iter(filter.args.iter()), |r| r.get(0))?;
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE {} ORDER BY {order}, username COLLATE NOCASE LIMIT {num} OFFSET {}",
        filter.sql,
        start - 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let users = stmt
        .query_map(
            rusqlite::params_from_iter(filter.args.iter()),
            User::from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page { total, users })
}

/// The visibility rule as SQL: admins see everyone; members see all but private profiles
/// (their own excepted).
fn visibility_sql(filter: &mut SqlFilter, caller: &crate::auth::Caller) {
    if caller.has("portal:admin:viewUsers") {
        return;
    }
    let p = filter.arg(caller.username.clone());
    filter.sql = format!(
        "({}) AND (access <> 'private' OR username = {p} COLLATE NOCASE)",
        filter.sql
    );
}

/// Paging numbers shared by every list: `start` (1-based) and `num` (≤ 100).
fn paging(req: &ApiRequest, default_num: i64) -> Result<(i64, i64)> {
    let start = req.params.int("start", 1, 1, i64::MAX / 4)?;
    let num = req.params.int("num", default_num, 0, 100)?;
    Ok((start, num))
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
    let order = format!(
        "{} {}",
        sort_column(
            req.params.str("sortField"),
            &[
                "username",
                "fullname",
                "created",
                "modified",
                "lastlogin",
                "role"
            ]
        )?,
        sort_order(&req)?
    );
    let (start, num) = paging(&req, 10)?;
    state
        .blocking(move |s| {
            let admin = caller.has("portal:admin:viewUsers");
            let mut filter = SqlFilter::build(&expr, &s.org_id, admin);
            visibility_sql(&mut filter, &caller);
            let conn = s.db.get()?;
            let (page, total) = if start > SEARCH_CAP {
                (
                    Page {
                        total: 0,
                        users: Vec::new(),
                    },
                    0,
                )
            } else {
                let num = num.min(SEARCH_CAP - start + 1);
                let page = query_page(&conn, &filter, &order, start, num)?;
                let total = page.total.min(SEARCH_CAP);
                (page, total)
            };
            let results = page
                .users
                .iter()
                .map(|u| user_view(&conn, u, Some(&caller), &s.org_id, false))
                .collect::<Result<Vec<_>>>()?;
            let next = next_start(start, num, results.len(), total);
            let mut body = json!({
                "query": q,
                "total": total,
                "start": start,
                "num": results.len(),
                "nextStart": next,
            });
            body[key] = Value::Array(results);
            Ok(Reply::Json(body))
        })
        .await
}

/// `portals/self/users`: the org's members, page by page, with no 10,000 cap (contract §3.5).
async fn list_org_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.user()?.clone();
    if !caller.has("portal:admin:viewUsers") && !caller.has("portal:user:viewOrgUsers") {
        return Err(PortalError::forbidden());
    }
    let order = format!(
        "{} {}",
        sort_column(
            req.params.str("sortField"),
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
                "userlicensetype"
            ]
        )?,
        sort_order(&req)?
    );
    let (start, num) = paging(&req, 10)?;
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
            let admin = caller.has("portal:admin:viewUsers");
            let mut filter = SqlFilter::build(&expr, &s.org_id, admin);
            visibility_sql(&mut filter, &caller);
            let conn = s.db.get()?;
            let page = query_page(&conn, &filter, &order, start, num)?;
            let users = page
                .users
                .iter()
                .map(|u| user_view(&conn, u, Some(&caller), &s.org_id, false))
                .collect::<Result<Vec<_>>>()?;
            let next = next_start(start, num, users.len(), page.total);
            Ok(Reply::Json(json!({
                "total": page.total,
                "start": start,
                "num": users.len(),
                "nextStart": next,
                "users": users,
            })))
        })
        .await
}
