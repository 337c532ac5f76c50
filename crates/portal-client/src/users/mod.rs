//! Members: the `client.users()` handler, one user, username checks, search (capped at 10,000
//! results by the portal) and single pages of the org listing.
//!
//! Here: the handler and its reads. Elsewhere, by concern: the whole org listing past the cap
//! (`listing`), profile, status, role, user-type and credit changes (`write`), creating members
//! (`create`). Not here: invitations, the org's and a member's own (`crate::invitations` is
//! their handler), and many members at once with per-member outcomes (`crate::bulk`).

mod create;
mod listing;
mod write;

use serde::Deserialize;

use crate::error::Result;
use crate::models::{ContentSummary, Page, User, WirePage};
use crate::transport::Client;

pub(crate) use create::invite_entry;
pub use create::NewMember;
pub use listing::{AllMembers, DEFAULT_CONCURRENCY, SPECULATIVE_PAGES};
pub(crate) use write::{BatchResults, Success};
pub use write::{UserUpdate, REMOVE_BATCH};

/// The largest page the portal serves.
pub const MAX_PAGE: u64 = 100;

/// The users handler: `client.users()`.
pub struct Users<'a> {
    client: &'a Client,
}

impl Client {
    /// Operations on members.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

/// A search of `community/users`.
pub struct Search<'a> {
    client: &'a Client,
    q: String,
    start: u64,
    num: u64,
    sort_field: Option<String>,
    descending: bool,
}

impl Search<'_> {
    /// The first result (1-based).
    pub fn start(mut self, start: u64) -> Self {
        self.start = start.max(1);
        self
    }
    /// Results per page (at most 100).
    pub fn num(mut self, num: u64) -> Self {
        self.num = num.min(MAX_PAGE);
        self
    }
    /// Sort by `username`, `fullname`, `created`, `modified`…
    pub fn sort(mut self, field: &str, descending: bool) -> Self {
        self.sort_field = Some(field.to_string());
        self.descending = descending;
        self
    }
    /// Runs the search.
    pub async fn send(self) -> Result<Page<User>> {
        let mut params = vec![
            ("q", self.q),
            ("start", self.start.to_string()),
            ("num", self.num.to_string()),
        ];
        if let Some(f) = self.sort_field {
            params.push(("sortField", f));
            params.push((
                "sortOrder",
                if self.descending { "desc" } else { "asc" }.to_string(),
            ));
        }
        let page: WirePage<User> = self.client.read("community/users", params).await?;
        Ok(page.into())
    }
}

impl<'a> Users<'a> {
    /// One user by username or id; `None` when the portal says it does not exist.
    pub async fn get(&self, name: &str) -> Result<Option<User>> {
        let path = format!("community/users/{}", encode_segment(name));
        match self.client.read::<User>(&path, Vec::new()).await {
            Ok(u) => Ok(Some(u)),
            Err(crate::Error::Portal {
                code: 400,
                ref message,
                ..
            }) if message.contains("does not exist or is inaccessible") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Whether a username is free (`community/checkUsernames`, the check ArcGIS Online's own
    /// pages make before creating a member). Its answer's shape is not documented, so it is
    /// read leniently: `Some(suggestion)` where the portal offers another name for a taken
    /// one, the name itself when free, `None` when the answer does not say.
    pub async fn check_username(&self, name: &str) -> Result<Option<String>> {
        #[derive(Deserialize)]
        struct Entry {
            requested: Option<String>,
            suggested: Option<String>,
        }
        #[derive(Deserialize)]
        struct Answer {
            #[serde(default)]
            usernames: Vec<Entry>,
        }
        let answer: Answer = self
            .client
            .read(
                "community/checkUsernames",
                vec![("usernames", name.to_string())],
            )
            .await?;
        Ok(answer
            .usernames
            .into_iter()
            .find(|e| {
                e.requested
                    .as_deref()
                    .is_none_or(|r| r.eq_ignore_ascii_case(name))
            })
            .and_then(|e| e.suggested))
    }

    /// A search of `community/users` (capped at 10,000 results by the portal).
    pub fn search(&self, q: impl Into<String>) -> Search<'a> {
        Search {
            client: self.client,
            q: q.into(),
            start: 1,
            num: 10,
            sort_field: None,
            descending: false,
        }
    }

    /// One page of the org listing, sorted by username.
    pub async fn org_page(&self, start: u64, num: u64) -> Result<Page<User>> {
        let params = vec![
            ("start", start.to_string()),
            ("num", num.min(MAX_PAGE).to_string()),
            ("sortField", "username".to_string()),
            ("sortOrder", "asc".to_string()),
        ];
        let page: WirePage<User> = self.client.read("portals/self/users", params).await?;
        Ok(page.into())
    }

    pub(crate) fn path(name: &str, op: &str) -> String {
        format!("community/users/{}/{op}", encode_segment(name))
    }

    /// How much content a member owns: what a deletion would have to reassign.
    pub async fn content_summary(&self, username: &str) -> Result<ContentSummary> {
        #[derive(Deserialize)]
        struct Answer {
            #[serde(default)]
            total: u64,
            #[serde(default)]
            folders: Vec<serde_json::Value>,
        }
        let answer: Answer = self
            .client
            .read(
                &format!("content/users/{}", encode_segment(username)),
                vec![("num", "1".to_string())],
            )
            .await?;
        Ok(ContentSummary {
            root_items: answer.total,
            folders: answer.folders.len() as u64,
        })
    }
}

/// Percent-encodes one path segment (usernames may contain `@` and `.`).
pub(crate) fn encode_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
