//! Licenses and seats as the console shows them: what the organization bought ([`Offers`]:
//! seats of each user type, add-on licenses with their entitlements, app bundles), who holds
//! what (each member row's `licenses`), and the picture the Licenses view draws from both
//! (`picture`). Reading them from the portal is part of loading the organization (`read`).
//!
//! The picture is not stored: it is counted from the member rows whenever it is asked for, so
//! after an edit, a bulk change or a deletion it cannot disagree with the table.
//!
//! What is deliberately not here: previews of bulk changes (`bulk::plan`), which read the
//! offers and rows through [`Offers`]' rules; the portal calls (`portal_client::licenses`).

pub mod picture;
pub mod read;
pub mod reclaim;
pub mod swap;

use serde::{Deserialize, Serialize};

pub use picture::{Idle, LicensePicture, SeatKind, SeatLine};
pub use reclaim::{ReclaimItem, ReclaimPlan, ReclaimRequest};
pub use swap::SwapReport;

/// The cache document that keeps the [`Offers`].
pub const OFFERS_DOCUMENT: &str = "offers";

/// The key of an entitlement in member rows and the picture: `<item id>/<entitlement>`.
pub fn entitlement_key(item_id: &str, entitlement: &str) -> String {
    format!("{item_id}/{entitlement}")
}

/// The key of an app bundle given to a member: `bundle/<bundle id>`.
pub fn bundle_key(bundle_id: &str) -> String {
    format!("bundle/{bundle_id}")
}

/// Seats of a user type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TypeOffer {
    pub id: String,
    pub name: String,
    /// Seats bought; `None` when the portal sets no limit.
    pub purchased: Option<u32>,
    /// Pending invitations to join with this user type: each holds a seat until it is
    /// accepted, withdrawn or expires (as of the read).
    #[serde(default)]
    pub invited: u32,
}

/// One entitlement of an add-on license.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EntitlementOffer {
    /// `<item id>/<entitlement>`.
    pub key: String,
    pub id: String,
    pub name: String,
    pub purchased: u32,
    /// At most one entitlement of this group per member (ArcGIS Pro's levels).
    pub exclusive: Option<String>,
}

/// An add-on license (a license-by-user listing) the organization bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductOffer {
    pub item_id: String,
    pub title: String,
    /// Members who may hold any of it at once.
    pub max_users: Option<u32>,
    /// The user types whose members may hold it, when the portal says.
    pub user_types: Option<Vec<String>>,
    pub entitlements: Vec<EntitlementOffer>,
    /// Epoch ms the purchase ends, `None` for no end.
    #[specta(type = Option<f64>)]
    pub ends: Option<i64>,
}

/// An app bundle of the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BundleOffer {
    /// `bundle/<id>`.
    pub key: String,
    pub id: String,
    pub item_id: String,
    pub name: String,
    /// Seats bought; `None` for a bundle only included in user types.
    pub purchased: Option<u32>,
    /// User types that include it.
    pub included_in: Vec<String>,
    /// User types whose members may be given it, when the portal says.
    pub user_types: Option<Vec<String>>,
}

/// What the organization bought, read with the members.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Offers {
    pub user_types: Vec<TypeOffer>,
    pub products: Vec<ProductOffer>,
    pub bundles: Vec<BundleOffer>,
    /// Epoch ms of the read.
    #[specta(type = f64)]
    pub read_at: i64,
}

/// What a license key names.
#[derive(Debug, Clone, Copy)]
pub enum Held<'a> {
    Entitlement(&'a ProductOffer, &'a EntitlementOffer),
    Bundle(&'a BundleOffer),
}

impl Offers {
    /// The product and entitlement, or the bundle, a key names.
    pub fn find(&self, key: &str) -> Option<Held<'_>> {
        if let Some(b) = self.bundles.iter().find(|b| b.key == key) {
            return Some(Held::Bundle(b));
        }
        self.products.iter().find_map(|p| {
            p.entitlements
                .iter()
                .find(|e| e.key == key)
                .map(|e| Held::Entitlement(p, e))
        })
    }

    /// The display name of a key ("ArcGIS Pro Standard", a bundle's name), else the key.
    pub fn name_of(&self, key: &str) -> String {
        match self.find(key) {
            Some(Held::Entitlement(_, e)) => e.name.clone(),
            Some(Held::Bundle(b)) => b.name.clone(),
            None => key.to_string(),
        }
    }

    /// Why a member of `user_type` cannot hold what `key` names; `None` when they can, or
    /// when the portal did not say which user types may hold it.
    pub fn refusal(&self, key: &str, user_type: &str, type_name: &str) -> Option<String> {
        match self.find(key)? {
            Held::Entitlement(p, _) => {
                let types = p.user_types.as_ref()?;
                (!types.iter().any(|t| t == user_type))
                    .then(|| format!("{type_name} does not allow {}", p.title))
            }
            Held::Bundle(b) => {
                if b.included_in.iter().any(|t| t == user_type) {
                    return Some(format!("{} is included in {type_name}", b.name));
                }
                let types = b.user_types.as_ref()?;
                (!types.iter().any(|t| t == user_type))
                    .then(|| format!("{type_name} does not allow {}", b.name))
            }
        }
    }

    /// Why a member holding what `key` names cannot take the user type `user_type`: ArcGIS
    /// asks for the license to be revoked first. A bundle the new type includes is no obstacle.
    pub fn blocks_type(&self, key: &str, user_type: &str, type_name: &str) -> Option<String> {
        match self.find(key)? {
            Held::Bundle(b) if b.included_in.iter().any(|t| t == user_type) => None,
            _ => self.refusal(key, user_type, type_name),
        }
    }

    /// Seats of a user type that members cannot take: bought, less those pending invitations
    /// hold (`None`: no limit, or not said).
    pub fn type_seats(&self, user_type: &str) -> Option<i64> {
        self.user_types
            .iter()
            .find(|t| t.id == user_type)
            .and_then(|t| t.purchased.map(|p| i64::from(p) - i64::from(t.invited)))
    }
}

impl crate::session::Console {
    /// The Licenses view's picture, counted from the cached members and the offers.
    pub async fn license_picture(&self) -> crate::error::Result<LicensePicture> {
        let rows = self.members().await?;
        let offers = self.offers().await;
        let mut picture = picture::picture(offers.as_deref(), &rows, crate::session::now_ms());
        picture.problem = self.licenses_problem().await;
        Ok(picture)
    }

    /// What the organization bought (for names, the forms and the filters); `None` before the
    /// first load that read it.
    pub async fn license_offers(&self) -> crate::error::Result<Option<Offers>> {
        self.members().await?;
        Ok(self.offers().await.map(|o| o.as_ref().clone()))
    }
}
