//! What the members table asks for: a window of the members a filter shows, in the order
//! chosen; the counts its filter controls offer; the usernames a filter shows (select all,
//! export); one member; the members a pasted list names. The cached rows stay here: only the rows on screen cross into the
//! web view (docs/memory.md).
//!
//! One [`MemberIndex`] is kept for the cached rows and made again on the first question after
//! they change (a load, an edit, a deletion).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use super::query::{MemberFacets, MemberFilter, MemberIndex, MemberSort};
use super::Member;
use crate::error::Result;
use crate::session::{blocking, Console};

/// The most rows one page answers.
pub const MAX_PAGE: u32 = 1_000;

/// A window of the members a filter shows.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberPage {
    /// Every cached member.
    pub total: u32,
    /// The members the filter shows.
    pub matched: u32,
    /// The position of the first row in the filter's order.
    pub offset: u32,
    /// The rows from `offset` on (at most the limit asked for).
    pub rows: Vec<Member>,
}

/// What a pasted list of usernames, emails or IdP usernames matched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ListMatch {
    /// The members matched, by username, in the list's order, each once.
    pub usernames: Vec<String>,
    /// The entries that match no member, as written.
    pub unmatched: Vec<String>,
    /// How many entries matched a username, an email, an IdP username.
    pub by_username: u32,
    pub by_email: u32,
    pub by_idp: u32,
}

/// Matches each entry to a member by username, then by email (every member with that email),
/// then by IdP username, all without regard to case.
pub fn match_list(entries: &[String], members: &[Member]) -> ListMatch {
    let mut by_name = HashMap::new();
    let mut by_email: HashMap<String, Vec<&Member>> = HashMap::new();
    let mut by_idp = HashMap::new();
    for m in members {
        by_name.insert(m.username.to_lowercase(), m);
        if !m.email.is_empty() {
            by_email.entry(m.email.to_lowercase()).or_default().push(m);
        }
        if let Some(idp) = m.idp_username.as_deref().filter(|i| !i.is_empty()) {
            by_idp.insert(idp.to_lowercase(), m);
        }
    }
    let mut out = ListMatch::default();
    let mut chosen = HashSet::new();
    let mut take = |m: &Member, out: &mut ListMatch| {
        if chosen.insert(m.username.clone()) {
            out.usernames.push(m.username.clone());
        }
    };
    for entry in entries {
        let key = entry.to_lowercase();
        if let Some(m) = by_name.get(&key) {
            out.by_username += 1;
            take(m, &mut out);
        } else if let Some(list) = by_email.get(&key) {
            out.by_email += 1;
            for m in list {
                take(m, &mut out);
            }
        } else if let Some(m) = by_idp.get(&key) {
            out.by_idp += 1;
            take(m, &mut out);
        } else {
            out.unmatched.push(entry.clone());
        }
    }
    out
}

impl Console {
    /// The index of the cached rows, made if they changed since the last question. Questions
    /// asked together (the page, the counts, an open member) wait for one index; the cached
    /// rows are read under the lock, so an index is never kept for rows already replaced, nor
    /// after signing out (which clears it under the same lock).
    async fn member_index(&self) -> Result<Arc<MemberIndex>> {
        let mut kept = self.member_index.lock().await;
        let members = self.members().await?;
        if let Some(index) = kept.as_ref().filter(|i| Arc::ptr_eq(i.members(), &members)) {
            return Ok(index.clone());
        }
        let index = blocking(move || Arc::new(MemberIndex::new(members))).await?;
        *kept = Some(index.clone());
        Ok(index)
    }

    /// Up to `limit` (at most [`MAX_PAGE`]) of the members `filter` shows, from `offset` on,
    /// in `sort`'s order.
    pub async fn member_page(
        &self,
        filter: MemberFilter,
        sort: MemberSort,
        offset: u32,
        limit: u32,
    ) -> Result<MemberPage> {
        let index = self.member_index().await?;
        blocking(move || {
            let matched = index.matching(&filter, sort);
            let members = index.members();
            let from = (offset as usize).min(matched.len());
            let to = from
                .saturating_add(limit.min(MAX_PAGE) as usize)
                .min(matched.len());
            MemberPage {
                total: count(members.len()),
                matched: count(matched.len()),
                offset,
                rows: matched[from..to]
                    .iter()
                    .map(|&i| members[i as usize].clone())
                    .collect(),
            }
        })
        .await
    }

    /// The usernames of every member `filter` shows, in `sort`'s order.
    pub async fn matching_usernames(
        &self,
        filter: MemberFilter,
        sort: MemberSort,
    ) -> Result<Vec<String>> {
        let index = self.member_index().await?;
        blocking(move || {
            let members = index.members();
            index
                .matching(&filter, sort)
                .iter()
                .map(|&i| members[i as usize].username.clone())
                .collect()
        })
        .await
    }

    /// How many cached members have each role, user type, group and license.
    pub async fn member_facets(&self) -> Result<MemberFacets> {
        let index = self.member_index().await?;
        blocking(move || index.facets()).await
    }

    /// The cached members a pasted list names ([`match_list`]).
    pub async fn match_list(&self, entries: Vec<String>) -> Result<ListMatch> {
        let members = self.members().await?;
        blocking(move || match_list(&entries, &members)).await
    }

    /// One cached member, by username (in any case); none if not cached.
    pub async fn member(&self, username: &str) -> Result<Option<Member>> {
        self.members().await?;
        Ok(self.cached(username).await)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::test_member;

    #[test]
    fn a_list_matches_usernames_then_emails_then_idp_usernames_ignoring_case() {
        let member = |name: &str, email: &str, idp: Option<&str>| Member {
            email: email.into(),
            idp_username: idp.map(Into::into),
            ..test_member(name)
        };
        let members = [
            member("ann", "ann@example.com", None),
            member("bob", "shared@example.com", None),
            member("bob2", "Shared@example.com", None),
            member("cy_acme", "cy@example.com", Some("Cy.Smith@acme.org")),
        ];
        let entries: Vec<String> = [
            "ANN",
            "shared@example.com",
            "cy.smith@ACME.org",
            "ann@example.com",
            "nobody",
            "ghost@example.com",
        ]
        .map(String::from)
        .into();
        let m = match_list(&entries, &members);
        assert_eq!(
            m.usernames,
            ["ann", "bob", "bob2", "cy_acme"],
            "each once, in the list's order"
        );
        assert_eq!(m.unmatched, ["nobody", "ghost@example.com"]);
        assert_eq!((m.by_username, m.by_email, m.by_idp), (1, 2, 1));
    }
}
