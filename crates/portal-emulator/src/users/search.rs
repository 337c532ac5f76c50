//! Finding members: search with the `q` syntax (`community/users`,
//! `portals/self/users/search`; docs/PORTAL-API.md, Users > search), capped at 10,000 results
//! like the real search, and the org listing (`portals/self/users`; Users > org listing),
//! filtered by field and never capped. Both read the in-memory copy of the members
//! (`snapshot`), not the database.
//!
//! What is deliberately not here: the query parser (`query`) and the matching itself
//! (`snapshot`).

use axum::response::IntoResponse;

use crate::auth::Caller;
use crate::error::{PortalError, Result};
use crate::query::{self, Expr, Value as QValue};
use crate::routing::{ApiRequest, Reply};
use crate::snapshot::{Entry, Snapshot, SortField};
use crate::users::visibility::{self, Viewer};
use crate::State;

/// The real portal stops searches at 10,000 results (docs/PORTAL-API.md, Users > search); org
/// listings do not stop.
pub const SEARCH_CAP: i64 = 10_000;

/// What search results can be sorted by (named in this order when refused).
const SEARCH_SORTS: &[&str] = &[
    "username",
    "fullname",
    "created",
    "modified",
    "lastlogin",
    "role",
];

/// What the org listing can be sorted by (named in this order when refused).
const LISTING_SORTS: &[&str] = &[
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
];

/// `sortField` (one of `allowed`, default `username`, and a field the caller reads on other
/// members) and whether `sortOrder` is `desc`.
fn sorting(req: &ApiRequest, caller: &Caller, allowed: &[&str]) -> Result<(SortField, bool)> {
    let asked = req.params.str("sortField");
    if let Some(name) = asked {
        visibility::check_field(Some(caller), &name.to_ascii_lowercase(), "sort by")?;
    }
    let field = SortField::parse(asked, allowed).ok_or_else(|| {
        PortalError::bad_request(format!(
            "Invalid sortField '{}': use one of {}.",
            crate::params::truncate(asked.unwrap_or("")),
            allowed.join(", ")
        ))
    })?;
    let descending = match req
        .params
        .str("sortOrder")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(PortalError::bad_request(format!(
                "Invalid sortOrder '{}': use asc or desc.",
                crate::params::truncate(other)
            )))
        }
    };
    Ok((field, descending))
}

/// One page of the members matching `expr` that the caller may see, sorted, counting at most
/// `limit` matches.
struct Page {
    total: usize,
    returned: usize,
    /// The members' JSON array, as the caller may see each.
    json: String,
}

impl Page {
    fn of(
        s: &State,
        caller: &Caller,
        expr: &Expr,
        (field, descending): (SortField, bool),
        (start, num): (usize, usize),
        limit: usize,
    ) -> Result<Page> {
        let snapshot = s.members.get(&s.db)?;
        let reader = visibility::reader_of_others(Some(caller));
        let matcher = snapshot
            .matcher(expr, &s.org_id, reader)
            .visible_to(Viewer::of(Some(caller)));
        let (total, page) = snapshot.page(&matcher, field, descending, start, num, limit);
        Ok(Page {
            total,
            returned: page.len(),
            json: render_page(&snapshot, &page, caller, &s.org_id),
        })
    }
}

/// Renders one page of members as the caller may see them.
fn render_page(snapshot: &Snapshot, page: &[&Entry], caller: &Caller, org_id: &str) -> String {
    let mut out = String::from("[");
    for (i, e) in page.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let reader = visibility::reader_of(Some(caller), &e.user.username);
        out.push_str(&e.json(snapshot, org_id, reader));
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

/// `community/users` and `portals/self/users/search`: `q`, `filter`, sort, paging, capped at
/// 10,000 results like the real search.
pub(crate) async fn search(state: State, req: ApiRequest) -> Result<Reply> {
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
    visibility::check_query(Some(&caller), &expr)?;
    let sort = sorting(&req, &caller, SEARCH_SORTS)?;
    let (start, num) = req.paging(10)?;
    state
        .blocking(move |s| {
            let page = if start > SEARCH_CAP {
                Page { total: 0, returned: 0, json: "[]".into() }
            } else {
                let cap = SEARCH_CAP as usize;
                let within = num.min(SEARCH_CAP - start + 1) as usize;
                let page = Page::of(s, &caller, &expr, sort, (start as usize, within), cap)?;
                Page { total: page.total.min(cap), ..page }
            };
            let (total, returned) = (page.total, page.returned);
            let next = next_start(start, num, returned, total as i64);
            let body = format!(
                "{{\"query\":{},\"total\":{total},\"start\":{start},\"num\":{returned},\"nextStart\":{next},\"results\":{}}}",
                serde_json::to_string(&q).unwrap_or_else(|_| "\"\"".into()),
                page.json
            );
            Ok(raw_json(body))
        })
        .await
}

/// `portals/self/users`: the org's members, page by page, with no 10,000 cap (docs/PORTAL-API.md,
/// Users > org listing).
pub(crate) async fn list_org_users(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.signed_in()?;
    if !caller.has("portal:admin:viewUsers") && !caller.has("portal:user:viewOrgUsers") {
        return Err(PortalError::forbidden());
    }
    let sort = sorting(&req, &caller, LISTING_SORTS)?;
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
    visibility::check_query(Some(&caller), &expr)?;
    state
        .blocking(move |s| {
            let within = (start as usize, num as usize);
            let page = Page::of(s, &caller, &expr, sort, within, usize::MAX)?;
            let (total, returned) = (page.total, page.returned);
            let next = next_start(start, num, returned, total as i64);
            let body = format!(
                "{{\"total\":{total},\"start\":{start},\"num\":{returned},\"nextStart\":{next},\"users\":{}}}",
                page.json
            );
            Ok(raw_json(body))
        })
        .await
}
