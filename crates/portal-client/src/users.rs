//! Members: one user, search, and the whole organization's listing — which pages
//! `portals/self/users` (no 10,000-result cap) with bounded concurrency.

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::error::Result;
use crate::models::{Page, User, WirePage};
use crate::transport::Client;

/// The largest page the portal serves.
pub const MAX_PAGE: u64 = 100;

/// How many pages of the org listing are fetched at once by default. Measured on the
/// embedded portal at 100 ms latency: 8 keeps a 2-core machine busy without 429s from real
/// portals' rate limits (see bench/ once the client benchmark lands).
pub const DEFAULT_CONCURRENCY: usize = 8;

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

    /// Every member of the organization, each exactly once, in username order. The first page
    /// tells the total; the rest are fetched `concurrency` at a time; `progress(done, total)`
    /// is called as pages arrive.
    pub async fn all_members(
        &self,
        concurrency: usize,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Vec<User>> {
        let first = self.org_page(1, MAX_PAGE).await?;
        let total = first.total;
        let mut members = first.items;
        progress(members.len() as u64, total);
        let starts: Vec<u64> = (1..)
            .map(|i| 1 + i * MAX_PAGE)
            .take_while(|s| *s <= total)
            .collect();
        let mut pages = stream::iter(starts)
            .map(|start| async move { self.org_page(start, MAX_PAGE).await })
            .buffered(concurrency.max(1));
        while let Some(page) = pages.try_next().await? {
            members.extend(page.items);
            progress(members.len() as u64, total);
        }
        // The org may change while we page: never report anyone twice.
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        members.retain(|u| seen.insert(u.username.0.to_lowercase()));
        Ok(members)
    }
}

/// Percent-encodes one path segment (usernames may contain `@` and `.`).
pub(crate) fn encode_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
