//! Bulk changes with a result per member. Batched where the API allows (user types: 100 per
//! request; enable/disable and group membership: 25), bounded concurrency elsewhere (roles).
//!
//! Never applied twice: a failure after which the portal may have acted (a broken connection,
//! a 5xx) is followed by a check of the member's current state; only members not yet in the
//! wanted state are sent again. A refusal (a portal error) is final and reported with the
//! portal's reason. Cancelling stops new requests; members not reached are `Skipped`.
//!
//! Here: the public helpers (`client.bulk(options)`), outcomes and their tally, and the
//! one-request-per-member runner. Not here: the check-before-retry machinery (`verify`: the
//! chunked runner and the single-change retry), and the single-member operations themselves
//! (`crate::users`, `crate::groups`), which the helpers call.

mod licenses;
mod members;
mod verify;

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures::stream::{self, StreamExt};

use crate::models::User;
use crate::transport::Client;
use verify::{already, applied_once};

/// What happened to one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The change is in place (applied now, or found applied after a lost answer).
    Done,
    /// Not changed; the portal's reason, or the failure that persisted.
    Failed(String),
    /// Not attempted (cancelled).
    Skipped(String),
}

/// One member's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemOutcome {
    pub username: String,
    pub outcome: Outcome,
}

/// Counts of a bulk run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// Counts the outcomes.
pub fn tally(items: &[ItemOutcome]) -> Tally {
    let mut t = Tally::default();
    for i in items {
        match i.outcome {
            Outcome::Done => t.done += 1,
            Outcome::Failed(_) => t.failed += 1,
            Outcome::Skipped(_) => t.skipped += 1,
        }
    }
    t
}

/// Options of a bulk run.
#[derive(Clone)]
pub struct BulkOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Set to stop: requests not yet sent are skipped.
    pub cancel: Arc<AtomicBool>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            concurrency: 8,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// The bulk handler: `client.bulk(options)`.
pub struct Bulk<'a> {
    client: &'a Client,
    options: BulkOptions,
}

impl Client {
    /// Bulk changes with per-member outcomes.
    pub fn bulk(&self, options: BulkOptions) -> Bulk<'_> {
        Bulk {
            client: self,
            options,
        }
    }
}

fn role_matches(u: &User, role: &str) -> bool {
    match u.role_id.as_deref() {
        Some(id) => id == role,
        None => u.role.as_deref() == Some(role),
    }
}

impl Bulk<'_> {
    fn cancelled(&self) -> bool {
        self.options.cancel.load(Ordering::Relaxed)
    }

    /// Gives each member `role`; `progress(done, total)` after each.
    pub async fn set_role(
        &self,
        usernames: &[String],
        role: &str,
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        self.each(usernames, progress, |name| async move {
            let apply = || async { client.users().set_role(&name, role).await };
            let check = || async {
                Ok(client
                    .users()
                    .get(&name)
                    .await?
                    .is_some_and(|u| role_matches(&u, role)))
            };
            applied_once(apply, check).await
        })
        .await
    }

    /// Gives each member `user_type`, 100 per request.
    pub async fn set_user_type(
        &self,
        usernames: &[String],
        user_type: &str,
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        self.batched(
            usernames,
            100,
            progress,
            |chunk| async move { client.users().set_user_type(&chunk, user_type).await },
            |chunk| {
                already(client, chunk, move |u| {
                    u.user_license_type_id.as_deref() == Some(user_type)
                })
            },
        )
        .await
    }

    /// Disables (`true`) or enables (`false`) each member, 25 per request.
    pub async fn set_disabled(
        &self,
        usernames: &[String],
        disabled: bool,
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        let path = if disabled {
            "portals/self/disableUsers"
        } else {
            "portals/self/enableUsers"
        };
        self.batched(
            usernames,
            25,
            progress,
            |chunk| async move {
                let answer: crate::users::BatchResults =
                    client.write(path, vec![("users", chunk.join(","))]).await?;
                Ok(answer
                    .results
                    .into_iter()
                    .map(|r| {
                        let o = if r.status { Ok(()) } else { Err(r.reason()) };
                        (r.username, o)
                    })
                    .collect())
            },
            |chunk| already(client, chunk, move |u| u.disabled == disabled),
        )
        .await
    }

    /// Adds each member to a group, 25 per request.
    pub async fn add_to_group(
        &self,
        group: &str,
        usernames: &[String],
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        self.membership(group, usernames, true, progress).await
    }

    /// Removes each member from a group, 25 per request.
    pub async fn remove_from_group(
        &self,
        group: &str,
        usernames: &[String],
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        self.membership(group, usernames, false, progress).await
    }

    async fn membership(
        &self,
        group: &str,
        usernames: &[String],
        add: bool,
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        self.batched(
            usernames,
            crate::groups::MEMBERSHIP_BATCH,
            progress,
            |chunk| async move {
                let refused = if add {
                    client.groups().add(group, &chunk).await?
                } else {
                    client.groups().remove(group, &chunk).await?
                };
                let refused: HashSet<String> =
                    refused.into_iter().map(|u| u.to_lowercase()).collect();
                let verb = if add { "added" } else { "removed" };
                Ok(chunk
                    .into_iter()
                    .map(|u| {
                        let o = if refused.contains(&u.to_lowercase()) {
                            Err(format!("the portal did not let this member be {verb}"))
                        } else {
                            Ok(())
                        };
                        (u, o)
                    })
                    .collect())
            },
            |chunk| async move {
                let members: HashSet<String> = client
                    .groups()
                    .members(group)
                    .await?
                    .into_iter()
                    .map(|m| m.username.0.to_lowercase())
                    .collect();
                Ok(chunk
                    .into_iter()
                    .filter(|u| members.contains(&u.to_lowercase()) == add)
                    .collect())
            },
        )
        .await
    }

    /// One request per member, `concurrency` at a time.
    async fn each<F, Fut>(
        &self,
        usernames: &[String],
        mut progress: impl FnMut(usize, usize),
        work: F,
    ) -> Vec<ItemOutcome>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Outcome>,
    {
        let total = usernames.len();
        let mut results: Vec<ItemOutcome> = stream::iter(usernames.iter().cloned())
            .map(|name| {
                let skip = self.cancelled();
                let fut = work(name.clone());
                async move {
                    let outcome = if skip {
                        Outcome::Skipped("cancelled".into())
                    } else {
                        fut.await
                    };
                    ItemOutcome {
                        username: name,
                        outcome,
                    }
                }
            })
            .buffer_unordered(self.options.concurrency.max(1))
            .inspect({
                let mut done = 0;
                move |_| {
                    done += 1;
                    progress(done, total);
                }
            })
            .collect()
            .await;
        order_like(&mut results, usernames);
        results
    }
}

/// Puts outcomes in the order the members were given.
fn order_like(results: &mut [ItemOutcome], usernames: &[String]) {
    let position: std::collections::HashMap<String, usize> = usernames
        .iter()
        .enumerate()
        .map(|(i, u)| (u.to_lowercase(), i))
        .collect();
    results.sort_by_key(|r| {
        position
            .get(&r.username.to_lowercase())
            .copied()
            .unwrap_or(usize::MAX)
    });
}
