//! Users (docs/PORTAL-API.md, Users): the member record and every operation on members, one
//! file per concern:
//!
//! - `record`: the member as stored, its JSON views, finding one, who may see whom;
//! - `read`: the signed-in member (`community/self`), one member, their content;
//! - `search`: member search (`community/users`, `portals/self/users/search`) and the org
//!   listing (`portals/self/users`);
//! - `counts`: members per role, user type or provider;
//! - `update`: a member's profile (`community/users/{u}/update`);
//! - `properties`: a member's app properties;
//! - `password`: a member's own password change and `expirePassword`;
//! - `admin`: the organization's administration of members: delete, reassign, disable and
//!   enable (one or many), role and user-type changes, credits, removal;
//! - `usernames`: `checkUsernames`;
//! - `visibility`: who may read which field of a member, and see which accounts (one table
//!   for records, search filters, sorting and member lists).
//!
//! What is deliberately not here: creating members (`invitations`, and `portaladmin` on
//! Enterprise), a member's licenses (`licenses`) and their group invitations (`invitations`).

mod admin;
mod counts;
mod password;
mod properties;
mod read;
mod record;
mod search;
mod target;
mod update;
mod usernames;
pub mod visibility;

pub use record::{existing, find, groups_of, privileges_for, user_view, User, USER_COLUMNS};
pub use search::SEARCH_CAP;
pub(crate) use target::{OnTarget, Target};
pub use visibility::visible_to;

use crate::{route, routing::Route};

#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    vec![
        route!(Api, Read, "community/self", read::get_self),
        route!(Api, Read, "community/users", search::search),
        route!(Api, Read, "community/users/{}", read::get_user),
        route!(Api, Read, "portals/self/users", search::list_org_users),
        route!(Api, Read, "portals/{}/users", search::list_org_users),
        route!(Api, Read, "portals/self/users/search", search::search),
        route!(Api, Read, "portals/{}/users/search", search::search),
        route!(Api, Post, "community/users/{}/update", update::update, upload),
        route!(Api, Post, "community/users/{}/delete", admin::delete),
        route!(Api, Post, "community/users/{}/reassign", admin::reassign),
        route!(Api, Post, "community/users/{}/reset", password::reset),
        route!(Api, Post, "community/users/{}/expirePassword", password::expire_password),
        route!(Api, Read, "portals/self/users/counts", counts::counts),
        route!(Api, Post, "community/users/{}/disable", admin::disable),
        route!(Api, Post, "community/users/{}/enable", admin::enable),
        route!(Api, Read, "community/users/{}/properties", properties::properties),
        route!(Api, Post, "community/users/{}/setProperties", properties::set_properties),
        route!(Api, Post, "portals/self/disableUsers", admin::disable_many),
        route!(Api, Post, "portals/self/enableUsers", admin::enable_many),
        route!(Api, Post, "portals/self/updateUserRole", admin::update_role),
        route!(Api, Post, "portals/self/updateUserLicenseType", admin::update_user_type),
        route!(Api, Post, "portals/self/assignUserCredits", admin::assign_credits),
        route!(Api, Post, "portals/self/removeUsers", admin::remove_users),
        route!(Api, Read, "community/checkUsernames", usernames::check_usernames),
        route!(Api, Read, "content/users/{}", read::user_content),
    ]
}
