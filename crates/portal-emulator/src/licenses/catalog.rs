//! What can be bought: the add-on licenses (license-by-user listings) and app bundles this
//! portal knows, each with the user types that may hold it. Which of them the organization
//! has purchased, and how many, is stored (`listings`, `app_bundles` tables, made by `seed`).
//!
//! The identifiers follow ArcGIS's own where they are public (`desktopStdN`,
//! `desktopAdvN`, `spatialAnalystN`, the user type ids); the item ids are this portal's.
//!
//! What is deliberately not here: who holds what (`listings`, `bundles`) and the user types
//! themselves (`privileges`).

/// The user types that may hold ArcGIS Pro (Creator, and the Professional types, which
/// include it).
const PRO_TYPES: &[&str] = &[
    "creatorUT",
    "GISProfessionalBasicUT",
    "GISProfessionalStdUT",
    "GISProfessionalAdvUT",
];

/// Every user type above Viewer.
const FIELD_TYPES: &[&str] = &[
    "fieldWorkerUT",
    "editorUT",
    "creatorUT",
    "GISProfessionalBasicUT",
    "GISProfessionalStdUT",
    "GISProfessionalAdvUT",
];

/// One entitlement of a listing: a license level or an extension. At most one of ArcGIS Pro's
/// levels per member (`portal_client::licenses::exclusive_group`, the rule written once).
#[derive(Debug, Clone, Copy)]
pub struct EntitlementDef {
    pub id: &'static str,
}

/// A license-by-user listing: what `portals/self/purchases` lists once purchased.
#[derive(Debug, Clone, Copy)]
pub struct ListingDef {
    pub item_id: &'static str,
    pub title: &'static str,
    pub entitlements: &'static [EntitlementDef],
    /// The user types whose members may hold any of its entitlements.
    pub user_types: &'static [&'static str],
}

impl ListingDef {
    pub fn entitlement(&self, id: &str) -> Option<&'static EntitlementDef> {
        self.entitlements
            .iter()
            .find(|e| e.id.eq_ignore_ascii_case(id))
    }

    pub fn allows_type(&self, user_type: &str) -> bool {
        self.user_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(user_type))
    }
}

pub const ARCGIS_PRO_ITEM: &str = "a7c4e1f0b35d4c8e9f2a6b1d0c3e5f79";
pub const NAVIGATOR_ITEM: &str = "3d9b0e6a2c714f58b1e4a0c9d7f26e13";

pub const LISTINGS: &[ListingDef] = &[
    ListingDef {
        item_id: ARCGIS_PRO_ITEM,
        title: "ArcGIS Pro",
        entitlements: &[
            EntitlementDef {
                id: "desktopBasicN",
            },
            EntitlementDef { id: "desktopStdN" },
            EntitlementDef { id: "desktopAdvN" },
            EntitlementDef {
                id: "spatialAnalystN",
            },
        ],
        user_types: PRO_TYPES,
    },
    ListingDef {
        item_id: NAVIGATOR_ITEM,
        title: "ArcGIS Navigator",
        entitlements: &[EntitlementDef { id: "navigatorN" }],
        user_types: FIELD_TYPES,
    },
];

/// A listing by item id.
pub fn listing(item_id: &str) -> Option<&'static ListingDef> {
    LISTINGS
        .iter()
        .find(|l| l.item_id.eq_ignore_ascii_case(item_id))
}

/// An app bundle: a set of apps given to members as one license.
#[derive(Debug, Clone, Copy)]
pub struct BundleDef {
    pub id: &'static str,
    pub name: &'static str,
    pub abbr: &'static str,
    pub item_id: &'static str,
    pub apps: &'static [&'static str],
    /// User types that include it: their members have it without holding a seat.
    pub included_in: &'static [&'static str],
    /// User types whose members may be given it.
    pub user_types: &'static [&'static str],
}

impl BundleDef {
    pub fn includes_type(&self, user_type: &str) -> bool {
        self.included_in
            .iter()
            .any(|t| t.eq_ignore_ascii_case(user_type))
    }

    pub fn allows_type(&self, user_type: &str) -> bool {
        self.user_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(user_type))
    }
}

pub const FIELD_APPS_BUNDLE: &str = "fieldAppsBundle0";
pub const BUSINESS_ANALYST_BUNDLE: &str = "baWebMobileStd00";

pub const BUNDLES: &[BundleDef] = &[
    BundleDef {
        id: FIELD_APPS_BUNDLE,
        name: "Field Apps Bundle",
        abbr: "FAB",
        item_id: "0b6c2e8d41f94a7db3c5e9f1a2d4b6c8",
        apps: &[
            "ArcGIS Field Maps",
            "ArcGIS Survey123",
            "ArcGIS QuickCapture",
            "ArcGIS Workforce",
        ],
        included_in: FIELD_TYPES,
        user_types: FIELD_TYPES,
    },
    BundleDef {
        id: BUSINESS_ANALYST_BUNDLE,
        name: "ArcGIS Business Analyst Web and Mobile Apps Standard",
        abbr: "BAStd",
        item_id: "e2f4a6c8b0d14e3fa5c7e9b1d3f5a7c9",
        apps: &[
            "ArcGIS Business Analyst Web App",
            "ArcGIS Business Analyst Mobile App",
        ],
        included_in: &[],
        user_types: PRO_TYPES,
    },
];

/// A bundle by its id or its item id (Esri's Python client names a bundle by its item id).
pub fn bundle(id_or_item: &str) -> Option<&'static BundleDef> {
    BUNDLES.iter().find(|b| {
        b.id.eq_ignore_ascii_case(id_or_item) || b.item_id.eq_ignore_ascii_case(id_or_item)
    })
}

/// A user type's display name, or the id itself when unknown.
pub fn type_name(user_type: &str) -> &str {
    crate::privileges::USER_TYPES
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(user_type))
        .map_or(user_type, |t| t.name)
}
