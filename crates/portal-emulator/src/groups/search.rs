//! `community/groups`: groups found with the `q` syntax (title, owner, id, tags, access,
//! org id), sorted and paged; private groups only for their members and administrators.
//!
//! What is deliberately not here: member search (`users`), whose query runs on the in-memory
//! copy of the members; groups are few and searched in SQL.

use r2d2_sqlite::rusqlite;
use serde_json::json;

use super::{group_json_from_row, with_membership, GROUP_COLUMNS};
use crate::error::Result;
use crate::query::{self, Expr, Value as QValue};
use crate::routing::{ApiRequest, Reply};
use crate::State;

fn group_filter(expr: &Expr, org_id: &str, args: &mut Vec<rusqlite::types::Value>) -> String {
    let arg = |v: String, args: &mut Vec<rusqlite::types::Value>| {
        args.push(v.into());
        format!("?{}", args.len())
    };
    match expr {
        Expr::All => "1".into(),
        Expr::And(items) => format!(
            "({})",
            items
                .iter()
                .map(|i| group_filter(i, org_id, args))
                .collect::<Vec<_>>()
                .join(" AND ")
        ),
        Expr::Or(items) => format!(
            "({})",
            items
                .iter()
                .map(|i| group_filter(i, org_id, args))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
        Expr::Not(inner) => format!("(NOT {})", group_filter(inner, org_id, args)),
        Expr::Match { field, value } => {
            let text = match value {
                QValue::Term(t) | QValue::Phrase(t) => t.clone(),
                QValue::Range { .. } => return "0".into(),
            };
            let like = |t: &str| {
                format!(
                    "%{}%",
                    t.replace('%', "\\%").replace('_', "\\_").replace('*', "%")
                )
            };
            match field.as_deref() {
                None if text == "*" => "1".into(),
                None => {
                    let a = arg(like(&text), args);
                    format!("(title LIKE {a} ESCAPE '\\' OR IFNULL(snippet,'') LIKE {a} ESCAPE '\\' OR tags LIKE {a} ESCAPE '\\')")
                }
                Some("title") => {
                    let a = arg(like(&text), args);
                    format!("(title LIKE {a} ESCAPE '\\')")
                }
                Some("owner") => {
                    let a = arg(text, args);
                    format!("(owner = {a} COLLATE NOCASE)")
                }
                Some("id") => {
                    let a = arg(text, args);
                    format!("(id = {a})")
                }
                Some("tags") => {
                    let a = arg(like(&text), args);
                    format!("(tags LIKE {a} ESCAPE '\\')")
                }
                Some("access") => {
                    let a = arg(text.to_ascii_lowercase(), args);
                    format!("(access = {a})")
                }
                Some("accountid" | "orgid") => {
                    if text == "*" || text.eq_ignore_ascii_case(org_id) {
                        "1".into()
                    } else {
                        "0".into()
                    }
                }
                Some(_) => "0".into(),
            }
        }
    }
}

/// `community/groups`: search with `q`, sort (`title`, `owner`, `created`, `modified`), paging.
pub(crate) async fn search(state: State, req: ApiRequest) -> Result<Reply> {
    let caller = req.caller.clone();
    let q = req.params.raw("q").unwrap_or("").to_string();
    let expr = query::parse(&q)?;
    let sort = req.sort_column(&[
        ("title", "title COLLATE NOCASE"),
        ("owner", "owner COLLATE NOCASE"),
        ("created", "created"),
        ("modified", "modified"),
    ])?;
    let order = req.sql_order();
    let (start, num) = req.paging(10)?;
    state
        .with_db(move |s, conn| {
            let mut args = Vec::new();
            let mut filter = group_filter(&expr, &s.org_id, &mut args);
            match &caller {
                Some(c) if c.has("portal:admin:viewGroups") => {}
                Some(c) => {
                    args.push(c.username.clone().into());
                    filter = format!("({filter}) AND (access <> 'private' OR id IN (SELECT group_id FROM group_members WHERE username = ?{}))", args.len());
                }
                None => filter = format!("({filter}) AND access = 'public'"),
            }
            let total: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM groups WHERE {filter}"), rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
            let sql = format!("SELECT {GROUP_COLUMNS} FROM groups WHERE {filter} ORDER BY {sort} {order}, id LIMIT {num} OFFSET {}", start - 1);
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| group_json_from_row(r, &s.org_id))?.collect::<rusqlite::Result<Vec<_>>>()?;
            let results = rows.into_iter().map(|g| with_membership(&conn, g, caller.as_ref())).collect::<Result<Vec<_>>>()?;
            let next = crate::util::next_start(start, results.len(), total);
            Ok(Reply::Json(json!({ "query": q, "total": total, "start": start, "num": results.len(), "nextStart": next, "results": results })))
        })
        .await
}
