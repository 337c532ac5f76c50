//! Loading the organization: every member (past the 10,000 search cap), every group's
//! members and every license's holders, read at once into the local cache with one progress;
//! and the role and user type choices the forms offer.
//!
//! What is deliberately not here: the cache's storage (`cache`), how rows are named (`names`).

use std::sync::{Arc, Mutex};

use portal_client::Client;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::groups::{read_groups, GroupSummary};
use crate::licenses::read::read_offers;
use crate::licenses::OFFERS_DOCUMENT;
use crate::members::shared::shared_all;
use crate::members::{CacheState, Choices, Member};
use crate::session::{blocking, now_ms, read_names, Console};

/// Progress of a member load, sent as pages arrive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LoadProgress {
    /// Members listed so far, of `total`.
    pub loaded: u32,
    pub total: u32,
    /// Groups whose members have been read, of `groups_total` (read beside the members).
    pub groups_read: u32,
    pub groups_total: u32,
    /// Licenses and bundles whose holders have been read, of `licenses_total` (beside too).
    pub licenses_read: u32,
    pub licenses_total: u32,
}

impl Console {
    /// Reads every member from the portal into the cache; `progress` hears as pages arrive.
    pub async fn load_members(
        &self,
        progress: impl FnMut(LoadProgress) + Send,
    ) -> Result<CacheState> {
        let (client, cache, expected, online) = {
            let active = self.active.read().await;
            let a = active.as_ref().ok_or(Error::NoSession)?;
            (
                a.client.clone(),
                a.cache.clone(),
                a.info.cache.members,
                a.arcgis_online,
            )
        };
        let started = std::time::Instant::now();
        log::info!(
            "load: reading every member, group and license (about {expected} members cached)"
        );
        let names = read_names(&client).await?;
        let mut listing = client.users().all_members();
        if expected > 0 {
            listing = listing.expected_total(u64::from(expected));
        }
        // Both listings report into one progress.
        let state = Mutex::new((
            progress,
            LoadProgress {
                loaded: 0,
                total: 0,
                groups_read: 0,
                groups_total: 0,
                licenses_read: 0,
                licenses_total: 0,
            },
        ));
        let report = |change: &dyn Fn(&mut LoadProgress)| {
            let mut guard = state.lock().expect("progress lock");
            let (send, now) = &mut *guard;
            change(now);
            send(*now);
        };
        // Each page's users become members as the page arrives: the portal's users (every
        // field of each) are never all held at once.
        let listed = listing.send_map(
            |loaded, total| {
                report(&|p| {
                    p.loaded = u32::try_from(loaded).unwrap_or(u32::MAX);
                    p.total = u32::try_from(total).unwrap_or(u32::MAX);
                })
            },
            |user| names.member(user),
        );
        let read_groups = memberships(&client, |read, total| {
            report(&|p| {
                p.groups_read = read;
                p.groups_total = total;
            })
        });
        let read_licenses = read_offers(&client, &names, online, |read, total| {
            report(&|p| {
                p.licenses_read = read;
                p.licenses_total = total;
            })
        });
        // An account that may list members but not read what was bought (a custom role
        // without the privilege, an Enterprise portal that keeps `portaladmin` from it) still
        // loads: the Licenses view then says why it has nothing.
        let read_licenses = async {
            match read_licenses.await {
                Ok(read) => Ok(Ok(read)),
                Err(e) if refused(&e) => Ok(Err(e.to_string())),
                Err(e) => Err(e),
            }
        };
        let (mut members, (groups, mut memberships), licenses) = tokio::try_join!(
            async { listed.await.map_err(Error::from) },
            read_groups,
            read_licenses
        )?;
        let (offers, mut holdings, problem) = match licenses {
            Ok((offers, holdings)) => (Some(offers), holdings, None),
            Err(why) => {
                log::warn!("load: licenses not read: {why}");
                (None, Default::default(), Some(why))
            }
        };
        for m in &mut members {
            m.groups = shared_all(memberships.remove(&m.username).unwrap_or_default());
            m.licenses = shared_all(
                holdings
                    .remove(&m.username.to_lowercase())
                    .unwrap_or_default(),
            );
        }
        let members = Arc::new(blocking(move || compacted(members)).await?);
        let offers = offers.map(Arc::new);
        let state = {
            let members = members.clone();
            let document = offers
                .as_deref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(std::io::Error::other)?;
            blocking(move || -> Result<CacheState> {
                let mut cache = cache.lock().expect("cache lock");
                cache.replace_all(&members, now_ms())?;
                // Refused: no licenses are shown rather than what was bought before with
                // nobody holding it (the rows were just read without their licenses).
                match document {
                    Some(document) => cache.put_document(OFFERS_DOCUMENT, &document)?,
                    None => cache.remove_document(OFFERS_DOCUMENT)?,
                }
                cache.state()
            })
            .await??
        };
        self.update_session(&client, |a| {
            a.members = members;
            a.info.cache = state.clone();
            a.names = Some(names);
            a.groups = Some(groups);
            a.offers = offers;
            a.licenses_problem = problem;
        })
        .await;
        log::info!(
            "load: {} members read in {} ms",
            state.members,
            started.elapsed().as_millis()
        );
        Ok(state)
    }

    /// The roles and user types the organization offers (for the edit form).
    pub async fn choices(&self) -> Result<Choices> {
        Ok(self.names().await?.1.choices().clone())
    }
}

/// Whether the portal refused a read (rather than failing to answer): the load goes on without
/// what was refused.
fn refused(e: &Error) -> bool {
    matches!(
        e,
        Error::Portal(
            portal_client::Error::Forbidden(_)
                | portal_client::Error::Portal { .. }
                | portal_client::Error::Decode { .. }
        )
    )
}

/// Groups whose members are read at once while loading (one request each), beside the 24
/// pages of the member listing. Measured with bench/console.sh (10,001 members in 200 groups
/// at 100 ms latency): 16 -> 1.85 s, 32 -> 1.21 s, 64 -> 0.90 s; 32 keeps the load well under
/// two seconds without doubling the requests a portal sees at once (429s are honoured).
const GROUPS_AT_ONCE: usize = 32;

/// The organization's groups (by title) and who belongs to each: username -> group ids, in
/// the groups' title order. One listing per group; `progress` hears (read, total)
/// as groups are done.
async fn memberships(
    client: &Client,
    mut progress: impl FnMut(u32, u32),
) -> Result<(
    Arc<Vec<GroupSummary>>,
    std::collections::HashMap<String, Vec<String>>,
)> {
    use futures::stream::{self, StreamExt, TryStreamExt};
    let groups = read_groups(client).await?;
    // Owned ids and a client per request: the future stays `Send` for the app's commands.
    let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
    let total = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    progress(0, total);
    let mut listings = stream::iter(ids)
        .map(|id| {
            let client = client.clone();
            async move { client.groups().member_names(&id).await }
        })
        .buffered(GROUPS_AT_ONCE);
    let mut lists: Vec<Vec<String>> = Vec::with_capacity(groups.len());
    while let Some(list) = listings.try_next().await? {
        lists.push(list);
        progress(u32::try_from(lists.len()).unwrap_or(u32::MAX), total);
    }
    let mut by_member: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for (g, members) in groups.iter().zip(lists) {
        for name in members {
            let ids = by_member.entry(name).or_default();
            if !ids.contains(&g.id) {
                ids.push(g.id.clone());
            }
        }
    }
    Ok((Arc::new(groups), by_member))
}

/// The members again, each string copied once into memory of its own, and the originals
/// freed. A member's strings come out of the portal's answers, allocated among everything else
/// those answers held (every other field of every user, the JSON text): once that is freed,
/// the members keep most of the allocator's pages partly used, and the process holds about
/// twice what they need (docs/memory.md). Copied on a thread of its own, whose allocations
/// start on fresh pages, the members are packed together and the old pages are given back.
fn compacted(members: Vec<Member>) -> Vec<Member> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let mut packed = Vec::with_capacity(members.len());
                packed.extend(members.iter().cloned());
                packed
            })
            .join()
            .expect("member copy")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_lets_the_load_go_on_but_a_failure_to_answer_does_not() {
        let portal = |e| Error::Portal(e);
        assert!(refused(&portal(portal_client::Error::Forbidden(
            "no".into()
        ))));
        assert!(refused(&portal(portal_client::Error::Portal {
            code: 400,
            message: "item not provisioned".into(),
            details: Vec::new(),
        })));
        assert!(!refused(&portal(portal_client::Error::Network(
            "reset".into()
        ))));
        assert!(!refused(&portal(portal_client::Error::Unavailable {
            status: 503
        })));
        assert!(!refused(&portal(portal_client::Error::AuthExpired(
            "498".into()
        ))));
        assert!(!refused(&Error::NoSession));
    }
}
