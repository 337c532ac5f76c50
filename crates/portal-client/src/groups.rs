//! Groups: search, get, members, and membership changes. `addUsers`/`removeUsers` take at most
//! 25 users per request (docs/PORTAL-API.md, *Membership changes*); these helpers split and
//! merge.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::models::{Group, GroupMember, Page, WirePage};
use crate::transport::Client;
use crate::users::{encode_segment, BatchResults, Success};

/// Users per `addUsers`/`removeUsers` request.
pub const MEMBERSHIP_BATCH: usize = 25;

/// Members per `userList` page, and pages of one group read at once.
const MEMBER_PAGE: u64 = 100;
const MEMBER_PAGES_AT_ONCE: usize = 4;

/// One `userList` page: the owner (on every page) and members, `total` without the owner.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MemberPage {
    owner: Option<GroupMember>,
    users: Vec<GroupMember>,
    #[serde(default)]
    total: u64,
    next_start: i64,
}

/// The groups handler: `client.groups()`.
pub struct Groups<'a> {
    client: &'a Client,
}

impl Client {
    /// Operations on groups.
    pub fn groups(&self) -> Groups<'_> {
        Groups { client: self }
    }
}

fn group_path(id: &str, op: &str) -> String {
    if op.is_empty() {
        format!("community/groups/{}", encode_segment(id))
    } else {
        format!("community/groups/{}/{op}", encode_segment(id))
    }
}

impl Groups<'_> {
    /// A page of `community/groups` for query `q`.
    pub async fn search(&self, q: &str, start: u64, num: u64) -> Result<Page<Group>> {
        let page: WirePage<Group> = self
            .client
            .read(
                "community/groups",
                vec![
                    ("q", q.to_string()),
                    ("start", start.to_string()),
                    ("num", num.min(100).to_string()),
                    ("sortField", "title".into()),
                    ("sortOrder", "asc".into()),
                ],
            )
            .await?;
        Ok(page.into())
    }

    /// Every group of the organization.
    pub async fn all(&self) -> Result<Vec<Group>> {
        let org = self.client.portal_self().await?.id.unwrap_or_default();
        let q = if org.is_empty() {
            "*".to_string()
        } else {
            format!("orgid:{org}")
        };
        let mut out = Vec::new();
        let mut start = 1;
        loop {
            let page = self.search(&q, start, 100).await?;
            let got = page.items.len();
            out.extend(page.items);
            match page.next_start {
                Some(n) if got > 0 && n > start => start = n,
                _ => return Ok(out),
            }
        }
    }

    /// One group; `None` when the portal says it does not exist.
    pub async fn get(&self, id: &str) -> Result<Option<Group>> {
        match self.client.read(&group_path(id, ""), Vec::new()).await {
            Ok(g) => Ok(Some(g)),
            Err(Error::Portal {
                code: 400,
                ref message,
                ..
            }) if message.contains("does not exist or is inaccessible") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// How many members a group has, its owner included (one small `userList` page).
    pub async fn member_count(&self, id: &str) -> Result<u64> {
        #[derive(Deserialize)]
        struct Answer {
            total: u64,
            owner: Option<serde_json::Value>,
        }
        let page: Answer = self
            .client
            .read(
                &group_path(id, "userList"),
                vec![("start", "1".to_string()), ("num", "1".into())],
            )
            .await?;
        Ok(page.total + u64::from(page.owner.is_some()))
    }

    /// Every member of a group (the owner included, as `owner`). The first page says how
    /// many there are; the other pages are then read a few at a time.
    pub async fn members(&self, id: &str) -> Result<Vec<GroupMember>> {
        use futures::stream::{self, StreamExt, TryStreamExt};
        let first = self.member_page(id, 1).await?;
        let mut out: Vec<GroupMember> = first.owner.into_iter().collect();
        let got = first.users.len() as u64;
        out.extend(first.users);
        if first.next_start <= 1 || got == 0 {
            return Ok(out);
        }
        if first.total == 0 {
            // No total in the answer: follow `nextStart` page by page.
            let mut start = first.next_start as u64;
            loop {
                let page = self.member_page(id, start).await?;
                let got = page.users.len();
                out.extend(page.users);
                if page.next_start <= start as i64 || got == 0 {
                    return Ok(out);
                }
                start = page.next_start as u64;
            }
        }
        let starts: Vec<u64> = (1..)
            .map(|k| 1 + k * MEMBER_PAGE)
            .take_while(|s| *s <= first.total)
            .collect();
        let rest: Vec<MemberPage> = stream::iter(starts)
            .map(|start| self.member_page(id, start))
            .buffered(MEMBER_PAGES_AT_ONCE)
            .try_collect()
            .await?;
        out.extend(rest.into_iter().flat_map(|p| p.users));
        Ok(out)
    }

    /// The usernames of a group's members, the owner included: one request to
    /// `community/groups/{id}/users` (documented as deprecated, still answered by ArcGIS
    /// Online and Enterprise), or the `userList` pages where a portal refuses it.
    pub async fn member_names(&self, id: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Answer {
            owner: Option<String>,
            #[serde(default)]
            admins: Vec<String>,
            #[serde(default)]
            users: Vec<String>,
        }
        match self
            .client
            .read::<Answer>(&group_path(id, "users"), Vec::new())
            .await
        {
            Ok(a) => {
                // `admins` repeats the owner.
                let mut seen = std::collections::HashSet::new();
                Ok(a.owner
                    .into_iter()
                    .chain(a.admins)
                    .chain(a.users)
                    .filter(|name| seen.insert(name.to_lowercase()))
                    .collect())
            }
            Err(Error::Portal { .. }) | Err(Error::Decode { .. }) => Ok(self
                .members(id)
                .await?
                .into_iter()
                .map(|m| m.username.0)
                .collect()),
            Err(e) => Err(e),
        }
    }

    async fn member_page(&self, id: &str, start: u64) -> Result<MemberPage> {
        self.client
            .read(
                &group_path(id, "userList"),
                vec![
                    ("start", start.to_string()),
                    ("num", MEMBER_PAGE.to_string()),
                ],
            )
            .await
    }

    /// Adds members (25 per request); answers who was not added.
    pub async fn add(&self, id: &str, usernames: &[String]) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            not_added: Vec<String>,
        }
        let mut refused = Vec::new();
        for chunk in usernames.chunks(MEMBERSHIP_BATCH) {
            let a: Answer = self
                .client
                .write(
                    &group_path(id, "addUsers"),
                    vec![("users", chunk.join(","))],
                )
                .await?;
            refused.extend(a.not_added);
        }
        Ok(refused)
    }

    /// Removes members (25 per request); answers who was not removed.
    pub async fn remove(&self, id: &str, usernames: &[String]) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            not_removed: Vec<String>,
        }
        let mut refused = Vec::new();
        for chunk in usernames.chunks(MEMBERSHIP_BATCH) {
            let a: Answer = self
                .client
                .write(
                    &group_path(id, "removeUsers"),
                    vec![("users", chunk.join(","))],
                )
                .await?;
            refused.extend(a.not_removed);
        }
        Ok(refused)
    }

    /// Invites members to a group (`group_member` or `group_admin`), valid `minutes`.
    pub async fn invite(
        &self,
        id: &str,
        usernames: &[String],
        role: &str,
        minutes: u32,
    ) -> Result<()> {
        let a: Success = self
            .client
            .write(
                &group_path(id, "invite"),
                vec![
                    ("users", usernames.join(",")),
                    ("role", role.to_string()),
                    ("expiration", minutes.to_string()),
                ],
            )
            .await?;
        a.check("group invitation")
    }

    /// Makes members managers of the group.
    pub async fn promote(&self, id: &str, usernames: &[String]) -> Result<()> {
        self.update_users(id, "admins", usernames).await
    }

    /// Makes managers ordinary members again.
    pub async fn demote(&self, id: &str, usernames: &[String]) -> Result<()> {
        self.update_users(id, "users", usernames).await
    }

    async fn update_users(&self, id: &str, key: &'static str, usernames: &[String]) -> Result<()> {
        let answer: BatchResults = self
            .client
            .write(
                &group_path(id, "updateUsers"),
                vec![(key, usernames.join(","))],
            )
            .await?;
        match answer.results.iter().find(|r| !r.status) {
            Some(r) => Err(Error::Portal {
                code: 400,
                message: format!("{}: {}", r.username, r.reason()),
                details: Vec::new(),
            }),
            None => Ok(()),
        }
    }
}
