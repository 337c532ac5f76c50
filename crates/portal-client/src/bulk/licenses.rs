//! Licenses and bundles for many members, at the portal's batch limits (25 a request), with a
//! result per member.
//!
//! Both provisioning operations apply to all the members of a request or to none. So when the
//! portal refuses a request of several members (one of them cannot hold the license, or the
//! seats run out part way), nothing was applied and each member is sent again alone: the
//! members who can take the change get it, and each refused member gets the portal's own
//! reason. After a failure the portal may have acted on, the members' current state is read
//! back before anything is sent again (`verify`).

use std::collections::{BTreeMap, HashSet};
use std::future::Future;

use super::verify::applied_once;
use super::{Bulk, ItemOutcome, Outcome};
use crate::error::{Error, Result};
use crate::licenses::{BUNDLE_BATCH, ENTITLEMENT_BATCH};
use crate::transport::Client;

type PerMember = Vec<(String, std::result::Result<(), String>)>;

/// Sends `chunk` with `send`; when the portal refuses a chunk of several members, each is
/// sent alone (through `applied_once`, with `check` after a failure the portal may have
/// acted on), so that one member's refusal does not stop the others.
async fn each_if_refused<S, SF, C, CF>(chunk: Vec<String>, send: S, check: C) -> Result<PerMember>
where
    S: Fn(Vec<String>) -> SF,
    SF: Future<Output = Result<()>>,
    C: Fn(String) -> CF,
    CF: Future<Output = Result<bool>>,
{
    match send(chunk.clone()).await {
        Ok(()) => Ok(chunk.into_iter().map(|u| (u, Ok(()))).collect()),
        Err(e @ Error::Portal { .. }) if chunk.len() == 1 => {
            Ok(vec![(chunk[0].clone(), Err(e.reason()))])
        }
        Err(Error::Portal { .. }) => {
            let mut out = Vec::with_capacity(chunk.len());
            for name in chunk {
                let outcome =
                    applied_once(|| send(vec![name.clone()]), || check(name.clone())).await;
                out.push(match outcome {
                    Outcome::Done => (name, Ok(())),
                    Outcome::Failed(why) | Outcome::Skipped(why) => (name, Err(why)),
                });
            }
            Ok(out)
        }
        Err(e) => Err(e),
    }
}

impl Bulk<'_> {
    /// Sets each member's entitlements in a listing to the list given for them (an empty list
    /// revokes the listing). Members wanting the same list share requests of 25.
    pub async fn set_entitlements(
        &self,
        item_id: &str,
        wanted: &[(String, Vec<String>)],
        mut progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        let total = wanted.len();
        let mut by_list: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        for (name, list) in wanted {
            let mut list = list.clone();
            list.sort();
            list.dedup();
            by_list.entry(list).or_default().push(name.clone());
        }
        let mut out = Vec::with_capacity(total);
        for (list, names) in by_list {
            let done_before = out.len();
            let list = &list;
            let results = self
                .batched(
                    &names,
                    ENTITLEMENT_BATCH,
                    |done, _| progress(done_before + done, total),
                    |chunk| async move {
                        each_if_refused(
                            chunk,
                            |members| async move {
                                client.licenses().provision(item_id, &members, list).await
                            },
                            |name| holds_exactly(client, item_id, name, list),
                        )
                        .await
                    },
                    |chunk| async move {
                        let mut ok = HashSet::new();
                        for name in chunk {
                            if holds_exactly(client, item_id, name.clone(), list).await? {
                                ok.insert(name);
                            }
                        }
                        Ok(ok)
                    },
                )
                .await;
            out.extend(results);
        }
        super::order_like(
            &mut out,
            &wanted.iter().map(|w| w.0.clone()).collect::<Vec<_>>(),
        );
        out
    }

    /// Gives (`give`) or takes an app bundle, named by its item id, 25 members a request.
    pub async fn set_bundle(
        &self,
        bundle_item_id: &str,
        usernames: &[String],
        give: bool,
        progress: impl FnMut(usize, usize),
    ) -> Vec<ItemOutcome> {
        let client = self.client;
        self.batched(
            usernames,
            BUNDLE_BATCH,
            progress,
            |chunk| async move {
                each_if_refused(
                    chunk,
                    |members| async move {
                        client
                            .licenses()
                            .provision_bundle(bundle_item_id, &members, !give)
                            .await
                    },
                    |name| async move {
                        let holders = bundle_holders(client, bundle_item_id).await?;
                        Ok(holders.contains(&name.to_lowercase()) == give)
                    },
                )
                .await
            },
            |chunk| async move {
                let holders = bundle_holders(client, bundle_item_id).await?;
                Ok(chunk
                    .into_iter()
                    .filter(|u| holders.contains(&u.to_lowercase()) == give)
                    .collect())
            },
        )
        .await
    }
}

/// Whether the member's entitlements in the listing are exactly `list` (sorted).
async fn holds_exactly(
    client: &Client,
    item_id: &str,
    name: String,
    list: &[String],
) -> Result<bool> {
    let mut held = client.licenses().holder(item_id, &name).await?;
    held.entitlements.sort();
    Ok(held.entitlements == list)
}

/// The bundle's holders, lower-cased.
async fn bundle_holders(client: &Client, bundle_item_id: &str) -> Result<HashSet<String>> {
    Ok(client
        .licenses()
        .bundle_holders(bundle_item_id)
        .await?
        .into_iter()
        .map(|u| u.to_lowercase())
        .collect())
}
