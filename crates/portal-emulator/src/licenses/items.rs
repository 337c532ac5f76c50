//! `content/listings/{itemId}`: a license-by-user listing the organization bought, or an app
//! bundle it has, read as a listing (the properties Esri's docs give a listing: `itemId`,
//! `type`, `title`, `owner`, `created`, …).
//!
//! A bundle's listing also carries the bundle's own fields (`id`, `appBundleItemId`, `apps`,
//! …, as in `portals/self/appBundles`; `id` is then the bundle's id): Esri's Python client
//! forgets a bundle's properties after `Bundle.assign` or `revoke` and reads them again here,
//! then searches its holders by `appBundleItemId`. Esri's docs do not list these fields on a
//! listing; this is this portal's reading.
//!
//! What is deliberately not here: the marketplace (listing, pricing, vendors), and listings
//! the organization has not bought.

use serde_json::{json, Value};

use super::{bundles, catalog, listings};
use crate::error::{PortalError, Result};
use crate::routing::{ApiRequest, Reply};
use crate::State;

fn listing_json(item_id: &str, title: &str, created: i64, keywords: &[&str]) -> Value {
    json!({
        "itemId": item_id,
        "type": "Application",
        "typeKeywords": keywords,
        "title": title,
        "owner": "esri",
        "created": created,
        "tags": [],
        "trialSupported": false,
    })
}

/// `content/listings/{itemId}`: what the organization bought under that item id.
pub(super) async fn listing(state: State, req: ApiRequest) -> Result<Reply> {
    req.user()?;
    let id = req.capture(0).to_string();
    state
        .with_db(move |_, conn| {
            let bought = catalog::listing(&id)
                .map(|def| listings::purchase(&conn, def))
                .transpose()?
                .flatten();
            if let Some(p) = bought {
                return Ok(Reply::Json(listing_json(
                    p.def.item_id,
                    p.def.title,
                    p.purchased,
                    &["Application", "licenseByUser"],
                )));
            }
            let held = catalog::bundle(&id)
                .map(|b| bundles::organization_has(&conn, b).map(|has| has.then_some(b)))
                .transpose()?
                .flatten();
            let b = held.ok_or_else(|| {
                PortalError::bad_request("Item does not exist or is inaccessible.")
            })?;
            let mut v = listing_json(
                b.item_id,
                b.name,
                bundles::purchased(&conn, b)?,
                &["Application", "App Bundle"],
            );
            if let (Value::Object(v), Value::Object(fields)) =
                (&mut v, bundles::bundle_json(&conn, b)?)
            {
                v.extend(fields);
            }
            Ok(Reply::Json(v))
        })
        .await
}
