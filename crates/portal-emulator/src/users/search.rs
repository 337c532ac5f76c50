//! Finding members: search with the `q` syntax (`community/users`,
//! `portals/self/users/search`; docs/PORTAL-API.md, Users > search), capped at 10,000 results
//! like the real search, and the org listing (`portals/self/users`; Users > org listing),
//! filtered by field and never capped. Both read the in-memory copy of the members
//! (`snapshot`), not the database.
//!
//! What is deliberately not here: the query parser (`query`) and the matching itself
//! (`snapshot`).

use axum::response::IntoResponse;

use crate::error::{PortalError, Result};
use crate::query::{self, Expr, Value as QValue};
use crate::routing::{ApiRequest, Reply};
use crate::snapshot::{Snapshot, SortField};
use crate::State;

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

pub(crate) async fn search_community(state: State, req: ApiRequest) -> Result<Reply> {
    search(state, req, "results").await
}

pub(crate) async fn search_org(state: State, req: ApiRequest) -> Result<Reply> {
    search(state, req, "results").await
}

/// `community/users` and `portals/self/users/search`: `q`, `filter`, sort, paging, capped at
/// 10,000 results like the real search.
async fn search(state: State, req: ApiRequest, key: &'static str) -> Result<Reply> {
    let caller = req.signed_in()?;
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
pub(crate) async fn list_org_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.signed_in()?;
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
