//! Reading what the organization bought and who holds it: the purchases and each listing's
//! holders, the app bundles and who was given each, and the seats of every user type. Part of
//! loading the organization, read beside the members with its own progress.
//!
//! What is deliberately not here: the portal calls themselves (`portal_client::licenses`).

use std::collections::HashMap;

use futures::stream::{self, StreamExt, TryStreamExt};
use portal_client::licenses::{entitlement_name, exclusive_group};
use portal_client::Client;

use super::{
    bundle_key, entitlement_key, BundleOffer, EntitlementOffer, Offers, ProductOffer, TypeOffer,
};
use crate::error::Result;
use crate::members::Names;
use crate::session::now_ms;

/// Listings and bundles whose holders are read at once.
const HOLDER_LISTS_AT_ONCE: usize = 4;

/// Username (lower-cased) -> the license keys they hold.
pub type Holdings = HashMap<String, Vec<String>>;

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// What the organization bought, and who holds each license and bundle. `progress(read,
/// total)` hears as each listing's and bundle's holders are read.
pub async fn read_offers(
    client: &Client,
    names: &Names,
    arcgis_online: bool,
    mut progress: impl FnMut(u32, u32),
) -> Result<(Offers, Holdings)> {
    let licenses = client.licenses();
    // Pending invitations hold seats of their user type; a portal that does not list them to
    // this account (or at all) holds none that can be seen.
    let invitations = async {
        match client.invitations().list().await {
            Ok(list) => Ok(list),
            Err(e) if e.is_transient() => Err(e),
            Err(_) => Ok(Vec::new()),
        }
    };
    let (purchases, bundles, seats, invitations) = tokio::try_join!(
        licenses.purchases(),
        licenses.app_bundles(),
        licenses.seats(arcgis_online),
        invitations
    )?;
    let now = now_ms();
    let mut invited: HashMap<String, u32> = HashMap::new();
    for i in invitations
        .iter()
        .filter(|i| !i.accepted && i.expiration > now)
    {
        if let Some(t) = &i.user_license_type {
            *invited.entry(t.clone()).or_default() += 1;
        }
    }
    let user_types = seats
        .into_iter()
        .map(|s| TypeOffer {
            name: names.user_type_name(&s.user_type),
            purchased: s.max_users.map(count),
            invited: invited.get(&s.user_type).copied().unwrap_or(0),
            id: s.user_type,
        })
        .collect();
    let products: Vec<ProductOffer> = purchases
        .into_iter()
        .filter(|p| {
            p.listing
                .license_by
                .as_deref()
                .is_none_or(|b| b == "licenseByUser")
        })
        .map(|p| {
            let org =
                p.provision
                    .org_entitlements
                    .unwrap_or(portal_client::licenses::OrgEntitlements {
                        max_users: None,
                        entitlements: Default::default(),
                    });
            ProductOffer {
                entitlements: org
                    .entitlements
                    .iter()
                    .map(|(id, c)| EntitlementOffer {
                        key: entitlement_key(&p.listing.item_id, id),
                        id: id.clone(),
                        name: entitlement_name(id),
                        purchased: count(c.num),
                        exclusive: exclusive_group(id).map(str::to_string),
                    })
                    .collect(),
                max_users: org.max_users.map(count),
                user_types: p.listing.user_types,
                ends: p.provision.end_date.filter(|e| *e > 0),
                title: if p.listing.title.is_empty() {
                    p.listing.item_id.clone()
                } else {
                    p.listing.title
                },
                item_id: p.listing.item_id,
            }
        })
        .collect();
    let bundles: Vec<BundleOffer> = bundles
        .into_iter()
        .map(|b| BundleOffer {
            key: bundle_key(&b.id),
            item_id: b.app_bundle_item_id.clone().unwrap_or_else(|| b.id.clone()),
            name: if b.name.is_empty() {
                b.id.clone()
            } else {
                b.name
            },
            purchased: b.max_users.map(count),
            included_in: b.user_license_types,
            user_types: b.assignable_user_license_types,
            id: b.id,
        })
        .collect();
    // Holders: of every product, and of every bundle that was bought (an included bundle is
    // given to nobody).
    enum List {
        /// A product's item id.
        Product(String),
        /// A bundle's item id and key.
        Bundle(String, String),
    }
    let lists: Vec<List> = products
        .iter()
        .map(|p| List::Product(p.item_id.clone()))
        .chain(
            bundles
                .iter()
                .filter(|b| b.purchased.is_some())
                .map(|b| List::Bundle(b.item_id.clone(), b.key.clone())),
        )
        .collect();
    let total = u32::try_from(lists.len()).unwrap_or(u32::MAX);
    progress(0, total);
    let mut reads = stream::iter(lists)
        .map(|list| {
            let client = client.clone();
            async move {
                match list {
                    List::Product(item_id) => {
                        let holders = client.licenses().holders(&item_id, |_, _| {}).await?;
                        Ok::<_, portal_client::Error>(
                            holders
                                .into_iter()
                                .map(|h| {
                                    let keys = h
                                        .entitlements
                                        .iter()
                                        .map(|e| entitlement_key(&item_id, e))
                                        .collect::<Vec<_>>();
                                    (h.username, keys)
                                })
                                .collect::<Vec<_>>(),
                        )
                    }
                    List::Bundle(item_id, key) => {
                        let holders = client.licenses().bundle_holders(&item_id).await?;
                        Ok(holders
                            .into_iter()
                            .map(|u| (u, vec![key.clone()]))
                            .collect())
                    }
                }
            }
        })
        .buffered(HOLDER_LISTS_AT_ONCE);
    let mut holdings: Holdings = HashMap::new();
    let mut read = 0;
    while let Some(list) = reads.try_next().await? {
        for (username, keys) in list {
            holdings
                .entry(username.to_lowercase())
                .or_default()
                .extend(keys);
        }
        read += 1;
        progress(read, total);
    }
    let offers = Offers {
        user_types,
        products,
        bundles,
        read_at: now,
    };
    Ok((offers, holdings))
}
