//! Licenses and seats: `client.licenses()`. What the organization bought (add-on licenses
//! sold by user, app bundles, seats of each user type), who holds what, and giving or taking
//! licenses and bundles (docs/PORTAL-API.md, Licenses and seats).
//!
//! Seats are read where each kind of portal keeps them: ArcGIS Online puts `maxUsers` on each
//! user type (`portals/self/userLicenseTypes`); ArcGIS Enterprise answers
//! `/portaladmin/license`. Members per type come from `portals/self/users/counts`.
//!
//! Not here: many members at once with a result each and the check before any retry
//! (`crate::bulk`, which calls [`Licenses::provision`] and [`Licenses::provision_bundle`]).

use std::collections::BTreeMap;

use futures::stream::{self, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::transport::Client;
use crate::users::{encode_segment, Success};

/// Members per `provisionUserEntitlements` request (ArcGIS's limit).
pub const ENTITLEMENT_BATCH: usize = 25;
/// Members per `provisionUserAppBundle` request.
pub const BUNDLE_BATCH: usize = 25;
/// Holders per `userEntitlements` page, and pages of one listing read at once.
const HOLDER_PAGE: u64 = 100;
const HOLDER_PAGES_AT_ONCE: usize = 6;

/// ArcGIS Pro's license levels: a member holds at most one of them (extensions such as
/// Spatial Analyst come on top).
pub const PRO_LEVELS: &[&str] = &["desktopBasicN", "desktopStdN", "desktopAdvN"];

/// The group of entitlements of which a member may hold only one (`None`: no such rule).
pub fn exclusive_group(entitlement: &str) -> Option<&'static str> {
    PRO_LEVELS
        .iter()
        .any(|l| l.eq_ignore_ascii_case(entitlement))
        .then_some("ArcGIS Pro level")
}

/// What people call an entitlement: ArcGIS's names for those Esri documents, else the id.
pub fn entitlement_name(id: &str) -> String {
    match id {
        "desktopBasicN" => "ArcGIS Pro Basic",
        "desktopStdN" => "ArcGIS Pro Standard",
        "desktopAdvN" => "ArcGIS Pro Advanced",
        "spatialAnalystN" => "Spatial Analyst",
        "3DAnalystN" => "3D Analyst",
        "networkAnalystN" => "Network Analyst",
        "geostatAnalystN" => "Geostatistical Analyst",
        "imageAnalystN" => "Image Analyst",
        "navigatorN" => "ArcGIS Navigator",
        other => other,
    }
    .to_string()
}

/// An add-on license bought (`portals/self/purchases`): the listing and its provision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Purchase {
    pub listing: Listing,
    pub provision: Provision,
}

/// What a purchase is of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    pub item_id: String,
    #[serde(default)]
    pub title: String,
    /// `licenseByUser` for licenses given member by member.
    #[serde(default)]
    pub license_by: Option<String>,
    /// The user types that may hold it, where the portal says (the embedded portal does).
    #[serde(default)]
    pub user_types: Option<Vec<String>>,
}

/// How much of a listing was bought, and for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Provision {
    #[serde(default)]
    pub start_date: Option<i64>,
    /// `-1`: no end.
    #[serde(default)]
    pub end_date: Option<i64>,
    #[serde(default)]
    pub trial: bool,
    #[serde(default)]
    pub org_entitlements: Option<OrgEntitlements>,
}

/// Members who may hold the listing at once, and how many of each entitlement were bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgEntitlements {
    #[serde(default)]
    pub max_users: Option<i64>,
    #[serde(default)]
    pub entitlements: BTreeMap<String, EntitlementCount>,
}

/// One entitlement's purchased count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EntitlementCount {
    pub num: i64,
}

/// A member's entitlements in one listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    pub username: String,
    /// The last use of the license (`-1` or absent: never).
    #[serde(default)]
    pub last_login: Option<i64>,
    #[serde(default)]
    pub entitlements: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HolderPage {
    user_entitlements: Vec<Holder>,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    next_start: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OneHolder {
    user_entitlements: Option<Holder>,
}

#[derive(Deserialize)]
struct Purchases {
    #[serde(default)]
    purchases: Vec<Purchase>,
    #[serde(default)]
    trials: Vec<Purchase>,
}

/// An app bundle of the organization (`portals/self/appBundles`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppBundle {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub abbr: Option<String>,
    #[serde(default)]
    pub app_bundle_item_id: Option<String>,
    /// Seats bought, where the bundle was bought (not only included in user types).
    #[serde(default)]
    pub max_users: Option<i64>,
    /// User types that include it.
    #[serde(default)]
    pub user_license_types: Vec<String>,
    /// User types whose members may be given it, where the portal says.
    #[serde(default)]
    pub assignable_user_license_types: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BundlePage {
    app_bundles: Vec<AppBundle>,
    #[serde(default)]
    next_start: Option<i64>,
}

/// Seats of one user type: bought (`None`: the portal sets no limit) and held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSeats {
    pub user_type: String,
    pub max_users: Option<i64>,
    pub used: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireUserType {
    id: String,
    #[serde(default)]
    max_users: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnterpriseLicense {
    #[serde(default)]
    user_types: Vec<EnterpriseUserType>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnterpriseUserType {
    id: String,
    #[serde(default)]
    maximum_registered_members: Option<i64>,
}

#[derive(Deserialize)]
struct Counts {
    results: Vec<Count>,
}

#[derive(Deserialize)]
struct Count {
    key: String,
    count: i64,
}

/// The licenses handler: `client.licenses()`.
pub struct Licenses<'a> {
    client: &'a Client,
}

impl Client {
    /// Licenses, bundles and seats.
    pub fn licenses(&self) -> Licenses<'_> {
        Licenses { client: self }
    }
}

fn listing_path(item_id: &str, op: &str) -> String {
    format!("content/listings/{}/{op}", encode_segment(item_id))
}

impl Licenses<'_> {
    /// The add-on licenses bought and in force, trials included.
    pub async fn purchases(&self) -> Result<Vec<Purchase>> {
        let p: Purchases = self
            .client
            .read("portals/self/purchases", vec![("status", "active".into())])
            .await?;
        Ok(p.purchases.into_iter().chain(p.trials).collect())
    }

    /// Every holder of a listing. When the first page says how many there are, the other
    /// pages are read several at a time; `progress(read, total)` after each page.
    pub async fn holders(
        &self,
        item_id: &str,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Vec<Holder>> {
        let path = listing_path(item_id, "userEntitlements");
        let first = self.holder_page(&path, 1).await?;
        let mut out = first.user_entitlements;
        let Some(total) = first.total else {
            // No total: follow `nextStart` one page at a time.
            let mut next = first.next_start.unwrap_or(-1);
            while next > 0 {
                let page = self.holder_page(&path, next as u64).await?;
                if page.user_entitlements.is_empty() {
                    break;
                }
                out.extend(page.user_entitlements);
                progress(out.len() as u64, out.len() as u64);
                next = page.next_start.unwrap_or(-1);
            }
            return Ok(out);
        };
        progress(out.len() as u64, total);
        // The pages as long as the first one was: a portal that serves fewer than asked for
        // still has every holder read.
        let page = out.len() as u64;
        if page == 0 {
            return Ok(out);
        }
        let starts: Vec<u64> = (1..)
            .map(|i| 1 + i * page)
            .take_while(|s| *s <= total)
            .collect();
        let mut pages = stream::iter(starts)
            .map(|start| {
                let path = &path;
                async move { self.holder_page(path, start).await }
            })
            .buffered(HOLDER_PAGES_AT_ONCE);
        while let Some(page) = pages.try_next().await? {
            out.extend(page.user_entitlements);
            progress(out.len() as u64, total);
        }
        Ok(out)
    }

    async fn holder_page(&self, path: &str, start: u64) -> Result<HolderPage> {
        self.client
            .read(
                path,
                vec![
                    ("start", start.to_string()),
                    ("num", HOLDER_PAGE.to_string()),
                ],
            )
            .await
    }

    /// One member's entitlements in a listing (empty when they hold none).
    pub async fn holder(&self, item_id: &str, username: &str) -> Result<Holder> {
        let path = format!(
            "{}/{}",
            listing_path(item_id, "userEntitlements"),
            encode_segment(username)
        );
        let one: OneHolder = self.client.read(&path, Vec::new()).await?;
        Ok(one.user_entitlements.unwrap_or(Holder {
            username: username.to_string(),
            last_login: None,
            entitlements: Vec::new(),
        }))
    }

    /// Sets the members' entitlements in a listing to exactly `entitlements` (empty: revoke
    /// all). At most [`ENTITLEMENT_BATCH`] members; the portal applies it to all or none.
    pub async fn provision(
        &self,
        item_id: &str,
        usernames: &[String],
        entitlements: &[String],
    ) -> Result<()> {
        if usernames.is_empty() || usernames.len() > ENTITLEMENT_BATCH {
            return Err(Error::InvalidInput(format!(
                "between 1 and {ENTITLEMENT_BATCH} members per request"
            )));
        }
        let body = serde_json::json!({ "users": usernames, "entitlements": entitlements });
        let answer: Success = self
            .client
            .write(
                &listing_path(item_id, "provisionUserEntitlements"),
                vec![
                    ("userEntitlements", body.to_string()),
                    ("suppressCustomerEmail", "true".into()),
                ],
            )
            .await?;
        answer.check("the licenses were not changed")
    }

    /// The organization's app bundles.
    pub async fn app_bundles(&self) -> Result<Vec<AppBundle>> {
        let mut out = Vec::new();
        let mut start = 1_i64;
        loop {
            let page: BundlePage = self
                .client
                .read(
                    "portals/self/appBundles",
                    vec![("start", start.to_string()), ("num", "100".into())],
                )
                .await?;
            let got = page.app_bundles.len();
            out.extend(page.app_bundles);
            match page.next_start {
                Some(next) if got > 0 && next > start => start = next,
                _ => return Ok(out),
            }
        }
    }

    /// The usernames of the members given a bundle (user search `appbundle:<id>`, as Esri's
    /// Python client finds them).
    pub async fn bundle_holders(&self, bundle_id: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut start = 1;
        loop {
            let page = self
                .client
                .users()
                .search(format!("appbundle:{bundle_id}"))
                .start(start)
                .num(100)
                .send()
                .await?;
            let got = page.items.len() as u64;
            out.extend(page.items.into_iter().map(|u| u.username.0));
            match page.next_start {
                Some(next) if got > 0 && next > start => start = next,
                _ => return Ok(out),
            }
        }
    }

    /// Gives (`revoke = false`) or takes a bundle, named by its item id
    /// (`appBundleItemId`), at most [`BUNDLE_BATCH`] members, to all or none. Taking a bundle
    /// a member does not hold is not an error.
    pub async fn provision_bundle(
        &self,
        bundle_item_id: &str,
        usernames: &[String],
        revoke: bool,
    ) -> Result<()> {
        if usernames.is_empty() || usernames.len() > BUNDLE_BATCH {
            return Err(Error::InvalidInput(format!(
                "between 1 and {BUNDLE_BATCH} members per request"
            )));
        }
        let path = listing_path(bundle_item_id, "provisionUserAppBundle");
        let answer: Success = self
            .client
            .write(
                &path,
                vec![
                    ("users", usernames.join(",")),
                    ("revoke", revoke.to_string()),
                ],
            )
            .await?;
        answer.check("the licenses were not changed")
    }

    /// Members per key of `portals/self/users/counts` (`userLicenseType`, `appBundle`, `role`).
    pub async fn counts(&self, kind: &str) -> Result<BTreeMap<String, i64>> {
        let c: Counts = self
            .client
            .read(
                "portals/self/users/counts",
                vec![("type", kind.to_string())],
            )
            .await?;
        Ok(c.results.into_iter().map(|r| (r.key, r.count)).collect())
    }

    /// Seats of every user type: bought (from the user types on ArcGIS Online, from
    /// `/portaladmin/license` on Enterprise) and held.
    pub async fn seats(&self, arcgis_online: bool) -> Result<Vec<TypeSeats>> {
        let used = self.counts("userLicenseType").await?;
        let bought: Vec<(String, Option<i64>)> = if arcgis_online {
            self.client
                .all_pages::<WireUserType>("portals/self/userLicenseTypes", Vec::new())
                .await?
                .into_iter()
                .map(|t| (t.id, t.max_users))
                .collect()
        } else {
            let url = self.client.portal_admin_url("license")?;
            let license: EnterpriseLicense =
                self.client.post_absolute(url, Vec::new(), true).await?;
            license
                .user_types
                .into_iter()
                .map(|t| (t.id, t.maximum_registered_members.filter(|m| *m >= 0)))
                .collect()
        };
        Ok(bought
            .into_iter()
            .map(|(user_type, max_users)| TypeSeats {
                used: used.get(&user_type).copied().unwrap_or(0),
                user_type,
                max_users,
            })
            .collect())
    }
}
