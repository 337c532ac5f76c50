//! Built-in roles, their privileges, and the user types of the organization, with which roles
//! each type allows (docs/PORTAL-API.md, Users > roles, user types, credits; Privileges and
//! access). The privilege lists are an approximation, not an authoritative Esri list.
//!
//! What is deliberately not here: custom roles (stored, in `roles`) and the endpoints that
//! list user types (`licenses`).

use portal_client::{BaseRole, RoleLimit};

/// The id of the built-in custom role "Viewer".
pub use portal_client::VIEWER_ROLE_ID;
/// The id of the built-in custom role "Data Editor".
pub const DATA_EDITOR_ROLE_ID: &str = "iBBBBBBBBBBBBBBB";

const VIEWER: &[&str] = &[
    "portal:user:joinGroup",
    "portal:user:viewOrgGroups",
    "portal:user:viewOrgItems",
    "portal:user:viewOrgUsers",
    "premium:user:geocode",
    "premium:user:networkanalysis",
    "premium:user:demographics",
    "premium:user:elevation",
];

const DATA_EDITOR_EXTRA: &[&str] = &["features:user:edit"];

const USER_EXTRA: &[&str] = &[
    "portal:user:createGroup",
    "portal:user:createItem",
    "portal:user:joinNonOrgGroup",
    "portal:user:shareToGroup",
    "portal:user:shareToOrg",
    "portal:user:shareToPublic",
    "portal:user:shareGroupToOrg",
    "portal:user:shareGroupToPublic",
    "features:user:edit",
    "premium:user:spatialanalysis",
];

const PUBLISHER_EXTRA: &[&str] = &[
    "portal:publisher:publishFeatures",
    "portal:publisher:publishTiles",
    "portal:publisher:publishScenes",
    "portal:publisher:publishServerServices",
    "portal:publisher:publishDynamicImagery",
    "portal:publisher:publishTiledImagery",
];

const ADMIN_EXTRA: &[&str] = &[
    "portal:admin:viewUsers",
    "portal:admin:updateUsers",
    "portal:admin:deleteUsers",
    "portal:admin:disableUsers",
    "portal:admin:inviteUsers",
    "portal:admin:changeUserRoles",
    "portal:admin:assignToGroups",
    "portal:admin:manageLicenses",
    "portal:admin:manageRoles",
    "portal:admin:manageCredits",
    "portal:admin:reassignUsers",
    "portal:admin:viewGroups",
    "portal:admin:updateGroups",
    "portal:admin:deleteGroups",
    "portal:admin:reassignGroups",
    "portal:admin:viewItems",
    "portal:admin:updateItems",
    "portal:admin:deleteItems",
    "portal:admin:reassignItems",
    "portal:admin:manageSecurity",
    "portal:admin:manageWebsite",
];

fn collect(parts: &[&[&str]]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        for p in *part {
            if !out.iter().any(|o| o == p) {
                out.push((*p).to_string());
            }
        }
    }
    out
}

/// The privileges of a built-in role (`org_user`, `org_publisher`, `org_admin`, or the
/// Viewer / Data Editor ids). `None` for anything else.
pub fn builtin(role: &str) -> Option<Vec<String>> {
    Some(match role {
        VIEWER_ROLE_ID => collect(&[VIEWER]),
        DATA_EDITOR_ROLE_ID => collect(&[VIEWER, DATA_EDITOR_EXTRA]),
        "org_user" => collect(&[VIEWER, USER_EXTRA]),
        "org_publisher" => collect(&[VIEWER, USER_EXTRA, PUBLISHER_EXTRA]),
        "org_admin" => collect(&[VIEWER, USER_EXTRA, PUBLISHER_EXTRA, ADMIN_EXTRA]),
        _ => return None,
    })
}

/// A user type of the organization (docs/PORTAL-API.md, Users > roles, user types, credits).
#[derive(Debug, Clone)]
pub struct UserTypeDef {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// 1 = view-only types, 2 = everything else.
    pub level: i64,
    /// The highest role a member of this type may hold: `viewer`, `org_user`, `org_publisher`,
    /// `org_admin`.
    pub max_role: &'static str,
    pub org_default: bool,
}

/// The user types an ArcGIS Online organization offers, in display order.
pub const USER_TYPES: &[UserTypeDef] = &[
    UserTypeDef {
        id: "viewerUT",
        name: "Viewer",
        description: "View items shared with them. Cannot create, edit, share or own content.",
        level: 1,
        max_role: "viewer",
        org_default: false,
    },
    UserTypeDef {
        id: "fieldWorkerUT",
        name: "Mobile Worker",
        description: "Field apps and editing; cannot create content.",
        level: 2,
        max_role: "org_user",
        org_default: false,
    },
    UserTypeDef {
        id: "editorUT",
        name: "Contributor",
        description: "Edit data and create some content.",
        level: 2,
        max_role: "org_user",
        org_default: false,
    },
    UserTypeDef {
        id: "creatorUT",
        name: "Creator",
        description: "Create, share and manage content; includes ArcGIS apps for mapping.",
        level: 2,
        max_role: "org_admin",
        org_default: true,
    },
    UserTypeDef {
        id: "GISProfessionalBasicUT",
        name: "Professional",
        description: "Creator plus ArcGIS Pro Basic.",
        level: 2,
        max_role: "org_admin",
        org_default: false,
    },
    UserTypeDef {
        id: "GISProfessionalStdUT",
        name: "Professional Plus (Standard)",
        description: "Creator plus ArcGIS Pro Standard.",
        level: 2,
        max_role: "org_admin",
        org_default: false,
    },
    UserTypeDef {
        id: "GISProfessionalAdvUT",
        name: "Professional Plus",
        description: "Creator plus ArcGIS Pro Advanced.",
        level: 2,
        max_role: "org_admin",
        org_default: false,
    },
];

/// Whether a member with this role (base role and custom role id) may have this user type.
/// Viewer-type members may only hold the Viewer role; Contributor and Mobile Worker may not
/// publish or administer.
pub fn type_allows_role(user_type: &str, base_role: &str, role_id: Option<&str>) -> bool {
    let Some(ut) = USER_TYPES
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(user_type))
    else {
        return false;
    };
    let base = BaseRole::parse(base_role).unwrap_or(BaseRole::User);
    RoleLimit::parse(ut.max_role)
        .and_then(|limit| limit.allows(role_id.unwrap_or(base_role), Some(base)))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_hold_every_lower_privilege_and_are_seen_as_admins() {
        let admin = builtin("org_admin").unwrap();
        for p in builtin("org_publisher").unwrap() {
            assert!(admin.contains(&p), "{p}");
        }
        assert_eq!(BaseRole::of_privileges(&admin), BaseRole::Admin);
        assert_eq!(
            BaseRole::of_privileges(&builtin(VIEWER_ROLE_ID).unwrap()),
            BaseRole::User
        );
    }

    #[test]
    fn viewer_types_only_take_the_viewer_role() {
        assert!(type_allows_role(
            "viewerUT",
            "org_user",
            Some(VIEWER_ROLE_ID)
        ));
        assert!(!type_allows_role("viewerUT", "org_user", None));
        assert!(!type_allows_role("editorUT", "org_publisher", None));
        assert!(type_allows_role("creatorUT", "org_admin", None));
        assert!(!type_allows_role("nosuchUT", "org_user", None));
    }
}
