//! What the members table asks for: a window of the members a filter shows, in the order
//! chosen; the counts its filter controls offer; the usernames a filter shows (select all,
//! export); one member. The cached rows stay here: only the rows on screen cross into the
//! web view (docs/memory.md).
//!
//! One [`MemberIndex`] is kept for the cached rows and made again on the first question after
//! they change (a load, an edit, a deletion).

use std::sync::Arc;

use serde::Serialize;

use super::query::{MemberFacets, MemberFilter, MemberIndex, MemberSort};
use super::Member;
use crate::error::{Error, Result};
use crate::session::Console;

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

impl Console {
    /// The index of the cached rows, made if they changed since the last question.
    async fn member_index(&self) -> Result<Arc<MemberIndex>> {
        let members = self.members().await?;
        {
            let kept = self.member_index.lock().expect("member index lock");
            if let Some(index) = kept.as_ref().filter(|i| Arc::ptr_eq(i.members(), &members)) {
                return Ok(index.clone());
            }
        }
        let index = blocking(move || Arc::new(MemberIndex::new(members))).await?;
        *self.member_index.lock().expect("member index lock") = Some(index.clone());
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

    /// One cached member, by username (in any case); none if not cached.
    pub async fn member(&self, username: &str) -> Result<Option<Member>> {
        self.members().await?;
        Ok(self.cached(username).await)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Work over every cached member, off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e)))
}
