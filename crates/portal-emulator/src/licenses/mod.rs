//! Licenses and seats (docs/PORTAL-API.md, Licenses and seats): user types with the seats
//! bought (`seats`), add-on licenses sold by user (`listings`), app bundles (`bundles`), what
//! can be bought (`catalog`), and either read as a listing (`items`).
//!
//! Every path that gives a member a user type goes through [`change_type`] (or
//! `seats::check_room` when a member is made), so no way around the seats or the licenses a
//! type can hold is left open.
//!
//! What is deliberately not here: the user types' definitions and which roles each allows
//! (`privileges`), and the endpoint that changes a member's user type (`users::admin`).

pub mod bundles;
pub mod catalog;
mod items;
pub mod listings;
pub mod seats;

use r2d2_sqlite::rusqlite::{params, Connection};

use crate::error::Result;
use crate::users::User;
use crate::{route, routing::Route};

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "portals/self/userLicenseTypes", seats::user_license_types),
        route!(Api, Read, "community/users/{}/userLicenseType", seats::user_license_type),
        route!(Api, Read, "portals/self/purchases", listings::purchases),
        route!(Api, Read, "content/listings/{}", items::listing),
        route!(Api, Read, "content/listings/{}/userEntitlements", listings::user_entitlements),
        route!(Api, Read, "content/listings/{}/userEntitlements/{}", listings::user_entitlement),
        route!(Api, Post, "content/listings/{}/provisionUserEntitlements", listings::provision),
        route!(Api, Read, "community/users/{}/provisionedListings", listings::provisioned_listings),
        route!(Api, Read, "portals/self/appBundles", bundles::app_bundles),
        route!(Api, Read, "portals/self/appBundles/{}", bundles::app_bundle),
        route!(Api, Post, "portals/self/appBundles/{}/provisionUserAppBundle", bundles::provision),
        route!(Api, Post, "content/listings/{}/provisionUserAppBundle", bundles::provision),
        route!(Api, Read, "community/users/{}/appBundles", bundles::user_app_bundles),
    ]
}

/// Checks that `user` may take `user_type` (a seat free, every license and bundle they hold
/// allowed by it) and, when the change goes through, keeps their bundles right: a bundle the
/// new type includes stops taking a seat. Call it in the transaction that changes the type.
pub fn change_type(conn: &Connection, user: &User, user_type: &str) -> Result<()> {
    if user.user_license_type_id.eq_ignore_ascii_case(user_type) {
        return Ok(());
    }
    seats::check_room(conn, user_type, 1)?;
    listings::check_type_keeps_licenses(conn, user, user_type)?;
    let kept = bundles::bundles_for_type(user, user_type)?;
    if kept.len() != user.app_bundles.len() {
        conn.execute(
            "UPDATE users SET app_bundles = ?1 WHERE id = ?2",
            params![serde_json::json!(kept).to_string(), user.id],
        )?;
    }
    Ok(())
}

/// Frees what a member being deleted holds.
pub fn release(conn: &Connection, user: &User) -> Result<()> {
    listings::release(conn, &user.username)
}
