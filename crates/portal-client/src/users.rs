//! Members: one user, search, and the whole organization's listing — which pages
//! `portals/self/users` (no 10,000-result cap) with bounded concurrency.

use futures::stream::{self, StreamExt, TryStreamExt};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::models::{ContentSummary, Invitation, Page, User, UserInvitation, WirePage};
use crate::transport::Client;

/// The largest page the portal serves.
pub const MAX_PAGE: u64 = 100;

/// How many pages of the org listing are fetched at once by default. Measured with
/// `list_members` on the embedded portal at 100 ms latency, 10,000 members, TLS, this 2-core
/// machine (sign-in included): 8 -> 2.03 s, 16 -> 1.23 s, 24 -> 0.99 s, 32 -> 1.01 s,
/// 48 -> 0.95 s. 24 is the knee; beyond it the CPU, not the latency, is the limit (and a real
/// portal should not see a burst of more).
pub const DEFAULT_CONCURRENCY: usize = 24;

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

    /// Every member of the organization, each exactly once, in username order: see
    /// [`AllMembers`].
    pub fn all_members(&self) -> AllMembers<'a> {
        AllMembers {
            client: self.client,
            concurrency: DEFAULT_CONCURRENCY,
            expected_total: None,
        }
    }
}

/// Pages asked for together with the first one when the org's size is unknown: a small org
/// pays at most this many empty answers, a large one saves a round trip.
pub const SPECULATIVE_PAGES: u64 = 3;

/// The whole org listing. The first page tells the total; the rest are fetched
/// `concurrency` at a time. The pages most likely needed are asked for together with the
/// first one — as many as `expected_total` (the size seen last time) says, else
/// [`SPECULATIVE_PAGES`] — which saves one round trip; pages past the end come back empty.
pub struct AllMembers<'a> {
    client: &'a Client,
    concurrency: usize,
    expected_total: Option<u64>,
}

impl AllMembers<'_> {
    /// Pages in flight at once (at least 1).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// The org's size when it was last listed, to ask for the right pages at once.
    pub fn expected_total(mut self, total: u64) -> Self {
        self.expected_total = Some(total);
        self
    }

    /// Runs the listing; `progress(done, total)` is called as pages arrive.
    pub async fn send(self, mut progress: impl FnMut(u64, u64)) -> Result<Vec<User>> {
        let users = Users {
            client: self.client,
        };
        let users = &users;
        let pages_expected = match self.expected_total {
            Some(total) => total.div_ceil(MAX_PAGE).max(1) - 1,
            None => SPECULATIVE_PAGES,
        };
        let first_round = 1 + pages_expected.min(self.concurrency as u64 - 1);
        let fetch = |page: u64| async move {
            let answer = users.org_page(1 + page * MAX_PAGE, MAX_PAGE).await?;
            Ok::<_, Error>((page, answer))
        };
        // Pages complete in any order; a slot is refilled as soon as any page is in (an ordered
        // buffer would wait for the oldest and leave slots idle). Order is restored at the end.
        let mut pages: Vec<(u64, Page<User>)> = stream::iter(0..first_round)
            .map(fetch)
            .buffer_unordered(first_round as usize)
            .try_collect()
            .await?;
        let total = pages
            .iter()
            .find(|(page, _)| *page == 0)
            .map_or(0, |(_, answer)| answer.total);
        let mut done: u64 = pages.iter().map(|(_, p)| p.items.len() as u64).sum();
        progress(done, total);
        let mut rest = stream::iter(first_round..)
            .take_while(|page| std::future::ready(page * MAX_PAGE < total))
            .map(fetch)
            .buffer_unordered(self.concurrency);
        while let Some(page) = rest.try_next().await? {
            done += page.1.items.len() as u64;
            pages.push(page);
            progress(done, total);
        }
        pages.sort_unstable_by_key(|(page, _)| *page);
        let mut members: Vec<User> = Vec::with_capacity(done as usize);
        // The org may change while we page: never report anyone twice.
        let mut seen = std::collections::HashSet::with_capacity(done as usize);
        for (_, page) in pages {
            members.extend(
                page.items
                    .into_iter()
                    .filter(|u| seen.insert(u.username.0.to_lowercase())),
            );
        }
        Ok(members)
    }
}

/// Changes to a member's profile; only the fields set are sent.
#[derive(Debug, Clone, Default)]
pub struct UserUpdate {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub description: Option<String>,
    /// `private`, `org` or `public`.
    pub access: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// A member to create.
#[derive(Debug, Clone, Default)]
pub struct NewMember {
    pub username: String,
    /// With a password the member exists at once; without, an email invitation is sent.
    pub password: Option<secrecy::SecretString>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// `org_user`, `org_publisher`, `org_admin` or a custom role id.
    pub role: String,
    pub user_type: String,
    /// Group ids to join.
    pub groups: Vec<String>,
    /// Credits to assign (ArcGIS Online), `None` for the organization's default.
    pub credits: Option<f64>,
    pub description: Option<String>,
}

/// The usual `{"success":true}` answer (Portal Admin says `{"status":"success"}`).
#[derive(Debug, Deserialize)]
pub(crate) struct Success {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    status: Option<String>,
}

impl Success {
    pub(crate) fn check(self, what: &str) -> Result<()> {
        if self.success || self.status.as_deref() == Some("success") {
            Ok(())
        } else {
            Err(Error::Portal {
                code: 400,
                message: format!("the portal did not confirm: {what}"),
                details: Vec::new(),
            })
        }
    }
}

/// One `{"username","status"}` result of a batch operation.
#[derive(Debug, Deserialize)]
pub(crate) struct BatchResult {
    pub username: String,
    #[serde(default, alias = "success")]
    pub status: bool,
    #[serde(default)]
    pub error: Option<serde_json::Value>,
}

/// `{"results":[…]}`.
#[derive(Debug, Deserialize)]
pub(crate) struct BatchResults {
    #[serde(default)]
    pub results: Vec<BatchResult>,
}

impl BatchResult {
    /// Why this item failed, in the portal's words.
    pub(crate) fn reason(&self) -> String {
        self.error
            .as_ref()
            .and_then(|e| e.get("message").and_then(|m| m.as_str()).map(String::from))
            .unwrap_or_else(|| "the portal refused the change".into())
    }
}

impl<'a> Users<'a> {
    fn path(name: &str, op: &str) -> String {
        format!("community/users/{}/{op}", encode_segment(name))
    }

    /// Updates a member's profile.
    pub async fn update(&self, username: &str, change: &UserUpdate) -> Result<()> {
        let mut params: Vec<(&str, String)> = Vec::new();
        let fields = [
            ("firstName", &change.first_name),
            ("lastName", &change.last_name),
            ("fullname", &change.full_name),
            ("email", &change.email),
            ("description", &change.description),
            ("access", &change.access),
        ];
        for (key, value) in fields {
            if let Some(v) = value {
                params.push((key, v.clone()));
            }
        }
        if let Some(tags) = &change.tags {
            // An empty list is sent as "," (the portal's way to clear tags).
            let joined = tags.join(",");
            params.push((
                "tags",
                if joined.is_empty() {
                    ",".into()
                } else {
                    joined
                },
            ));
        }
        if params.iter().any(|(_, v)| v.is_empty()) {
            params.push(("clearEmptyFields", "true".into()));
        }
        let answer: Success = self
            .client
            .write(&Self::path(username, "update"), params)
            .await?;
        answer.check("update")
    }

    /// Deletes a member; their content and groups go to `reassign_to` first when given.
    pub async fn delete(&self, username: &str, reassign_to: Option<&str>) -> Result<()> {
        if let Some(target) = reassign_to {
            let answer: Success = self
                .client
                .write(
                    &Self::path(username, "reassign"),
                    vec![("targetUsername", target.to_string())],
                )
                .await?;
            answer.check("reassign")?;
        }
        let answer: Success = self
            .client
            .write(&Self::path(username, "delete"), Vec::new())
            .await?;
        answer.check("delete")
    }

    /// Disables a member (they can no longer sign in).
    pub async fn disable(&self, username: &str) -> Result<()> {
        let answer: Success = self
            .client
            .write(&Self::path(username, "disable"), Vec::new())
            .await?;
        answer.check("disable")
    }

    /// Enables a disabled member.
    pub async fn enable(&self, username: &str) -> Result<()> {
        let answer: Success = self
            .client
            .write(&Self::path(username, "enable"), Vec::new())
            .await?;
        answer.check("enable")
    }

    /// Gives a member a role: `org_user`, `org_publisher`, `org_admin` or a custom role id.
    pub async fn set_role(&self, username: &str, role: &str) -> Result<()> {
        let answer: Success = self
            .client
            .write(
                "portals/self/updateUserRole",
                vec![("user", username.to_string()), ("role", role.to_string())],
            )
            .await?;
        answer.check("role change")
    }

    /// Gives many members one user type in one request; per member, `Ok` or the reason.
    pub async fn set_user_type(
        &self,
        usernames: &[String],
        user_type: &str,
    ) -> Result<Vec<(String, std::result::Result<(), String>)>> {
        let answer: BatchResults = self
            .client
            .write(
                "portals/self/updateUserLicenseType",
                vec![
                    ("users", usernames.join(",")),
                    ("userLicenseType", user_type.to_string()),
                ],
            )
            .await?;
        Ok(answer
            .results
            .into_iter()
            .map(|r| {
                let outcome = if r.status { Ok(()) } else { Err(r.reason()) };
                (r.username, outcome)
            })
            .collect())
    }

    /// Assigns credits (ArcGIS Online); answers the usernames the portal did not assign.
    pub async fn assign_credits(&self, assignments: &[(String, f64)]) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            not_assigned_users: Vec<serde_json::Value>,
        }
        let list: Vec<serde_json::Value> = assignments
            .iter()
            .map(|(u, c)| serde_json::json!({"username": u, "credits": c}))
            .collect();
        let answer: Answer = self
            .client
            .write(
                "portals/self/assignUserCredits",
                vec![("userAssignments", serde_json::Value::from(list).to_string())],
            )
            .await?;
        Ok(answer
            .not_assigned_users
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other
                    .get("username")
                    .and_then(|u| u.as_str())
                    .unwrap_or_default()
                    .to_string(),
            })
            .collect())
    }

    /// Creates a member: on ArcGIS Online through `portals/self/invite` (with a password the
    /// member exists at once; without, an email invitation is pending); on Enterprise through
    /// `/portaladmin/security/users/createUser`, then joins the groups.
    pub async fn create(&self, member: &NewMember) -> Result<()> {
        let portal = self.client.portal_self().await?;
        if portal.is_arcgis_online() {
            return self.invite(member).await;
        }
        let Some(password) = &member.password else {
            return Err(Error::InvalidInput(
                "ArcGIS Enterprise creates built-in members with a password".into(),
            ));
        };
        let base = self.client.rest_base().as_str();
        let admin = base
            .strip_suffix("sharing/rest/")
            .map(|root| format!("{root}portaladmin/security/users/createUser"))
            .ok_or_else(|| Error::InvalidInput("portal URL without /sharing/rest".into()))?;
        let url = url::Url::parse(&admin).map_err(|e| Error::InvalidInput(e.to_string()))?;
        let mut params = vec![
            ("username", member.username.clone()),
            (
                "password",
                secrecy::ExposeSecret::expose_secret(password).to_string(),
            ),
            ("firstname", member.first_name.clone()),
            ("lastname", member.last_name.clone()),
            ("email", member.email.clone()),
            ("role", member.role.clone()),
            ("userLicenseTypeId", member.user_type.clone()),
            ("provider", "arcgis".to_string()),
        ];
        if let Some(d) = &member.description {
            params.push(("description", d.clone()));
        }
        let answer: Success = self.client.post_absolute(url, params, true).await?;
        answer.check("createUser")?;
        for group in &member.groups {
            let not_added = self
                .client
                .groups()
                .add(group, std::slice::from_ref(&member.username))
                .await?;
            if !not_added.is_empty() {
                return Err(Error::Portal {
                    code: 400,
                    message: format!("created, but not added to group {group}"),
                    details: Vec::new(),
                });
            }
        }
        Ok(())
    }

    async fn invite(&self, member: &NewMember) -> Result<()> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            success: bool,
            #[serde(default)]
            not_invited: Vec<String>,
            #[serde(default)]
            errors: Vec<serde_json::Value>,
        }
        let mut invitation = serde_json::json!({
            "username": member.username,
            "firstname": member.first_name,
            "lastname": member.last_name,
            "fullname": format!("{} {}", member.first_name, member.last_name).trim(),
            "email": member.email,
            "role": member.role,
            "userLicenseType": member.user_type,
            "groups": member.groups.join(","),
            "userCreditAssignment": member.credits.unwrap_or(-1.0),
            "targetUserProvider": "arcgis",
        });
        if let Some(p) = &member.password {
            invitation["password"] = secrecy::ExposeSecret::expose_secret(p).into();
        }
        let list = serde_json::json!({"invitations": [invitation], "apps": [], "appBundles": []});
        let answer: Answer = self
            .client
            .write(
                "portals/self/invite",
                vec![("invitationList", list.to_string())],
            )
            .await?;
        if !answer.success || !answer.not_invited.is_empty() {
            let why = answer
                .errors
                .first()
                .and_then(|e| e.pointer("/error/message").and_then(|m| m.as_str()))
                .unwrap_or("the portal did not invite this member")
                .to_string();
            return Err(Error::Portal {
                code: 400,
                message: why,
                details: answer.not_invited,
            });
        }
        Ok(())
    }

    /// Every pending organization invitation.
    pub async fn invitations(&self) -> Result<Vec<Invitation>> {
        self.client
            .all_pages("portals/self/invitations", Vec::new())
            .await
    }

    /// One invitation by id.
    pub async fn invitation(&self, id: &str) -> Result<Invitation> {
        self.client
            .read(
                &format!("portals/self/invitations/{}", encode_segment(id)),
                Vec::new(),
            )
            .await
    }

    /// The invitations a member has received and not yet answered (to groups).
    pub async fn received_invitations(&self, username: &str) -> Result<Vec<UserInvitation>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            #[serde(default)]
            user_invitations: Vec<UserInvitation>,
        }
        let answer: Answer = self
            .client
            .read(&Self::path(username, "invitations"), Vec::new())
            .await?;
        Ok(answer.user_invitations)
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

    /// Deletes (withdraws) an invitation.
    pub async fn delete_invitation(&self, id: &str) -> Result<()> {
        let answer: Success = self
            .client
            .write(
                &format!("portals/self/invitations/{}/delete", encode_segment(id)),
                Vec::new(),
            )
            .await?;
        answer.check("delete invitation")
    }
}

/// Percent-encodes one path segment (usernames may contain `@` and `.`).
pub(crate) fn encode_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
