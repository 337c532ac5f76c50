//! Licenses and seats: purchases and their holders, provisioning (all or nothing, within the
//! purchase and the user types that may hold it), app bundles, and the seats of user types on
//! every path that gives a member a type.

use serde_json::{json, Value};

use crate::support::{error_code, urlencode, Portal};
use portal_emulator::licenses::catalog::{
    ARCGIS_PRO_ITEM, BUSINESS_ANALYST_BUNDLE, FIELD_APPS_BUNDLE, NAVIGATOR_ITEM,
};
use portal_emulator::{Config, Profile};

const REST: &str = "/sharing/rest";

fn pro_purchase(purchases: &Value) -> Value {
    purchases["purchases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["listing"]["title"] == "ArcGIS Pro")
        .cloned()
        .expect("ArcGIS Pro is purchased")
}

/// Every holder of a listing, read page by page (`num` chosen to split pages unevenly).
async fn holders(p: &Portal, token: &str, item: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut start = 1;
    loop {
        let page = p
            .get_as(
                token,
                &format!(
                    "{REST}/content/listings/{item}/userEntitlements?f=json&start={start}&num=7"
                ),
            )
            .await;
        all.extend(page["userEntitlements"].as_array().unwrap().iter().cloned());
        let next = page["nextStart"].as_i64().unwrap();
        if next < 0 {
            assert_eq!(page["total"].as_i64().unwrap() as usize, all.len());
            return all;
        }
        start = next;
    }
}

async fn provision(p: &Portal, token: &str, item: &str, users: &[String], ents: &[&str]) -> Value {
    let body = json!({ "users": users, "entitlements": ents }).to_string();
    p.post_as(
        token,
        &format!("{REST}/content/listings/{item}/provisionUserEntitlements"),
        &format!("f=json&userEntitlements={}", urlencode(&body)),
    )
    .await
}

async fn held(p: &Portal, token: &str, item: &str, user: &str) -> Vec<String> {
    let v = p
        .get_as(
            token,
            &format!("{REST}/content/listings/{item}/userEntitlements/{user}?f=json"),
        )
        .await;
    serde_json::from_value(v["userEntitlements"]["entitlements"].clone()).unwrap()
}

/// Members matching `condition` who hold nothing of `item`, by username.
fn members_without(p: &Portal, item: &str, condition: &str, n: usize) -> Vec<String> {
    let conn = p.state.db.get().unwrap();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT username FROM users WHERE builtin_admin = 0 AND {condition}
             AND username NOT IN (SELECT username FROM user_entitlements WHERE item_id = ?1)
             ORDER BY username LIMIT ?2"
        ))
        .unwrap();
    stmt.query_map(rusqlite_params(item, n), |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn rusqlite_params(item: &str, n: usize) -> [Box<dyn r2d2_sqlite::rusqlite::ToSql>; 2] {
    [Box::new(item.to_string()), Box::new(n as i64)]
}

#[tokio::test]
async fn purchases_list_what_was_bought_and_the_holders_stay_within_it() {
    let p = Portal::new(600);
    let t = p.admin_token().await;
    let purchases = p
        .get_as(&t, &format!("{REST}/portals/self/purchases?f=json"))
        .await;
    assert_eq!(purchases["purchases"].as_array().unwrap().len(), 2);
    let pro = pro_purchase(&purchases);
    assert_eq!(pro["listing"]["itemId"], ARCGIS_PRO_ITEM);
    assert_eq!(pro["listing"]["licenseBy"], "licenseByUser");
    let provision = &pro["provision"];
    assert!(provision["endDate"].as_i64().unwrap() > portal_emulator::util::now_ms());
    let counts = provision["orgEntitlements"]["entitlements"]
        .as_object()
        .unwrap();
    let mut levels: Vec<&str> = counts.keys().map(String::as_str).collect();
    levels.sort();
    assert_eq!(levels, ["desktopAdvN", "desktopStdN", "spatialAnalystN"]);
    let all = holders(&p, &t, ARCGIS_PRO_ITEM).await;
    assert!(!all.is_empty());
    assert!(all.len() as i64 <= provision["orgEntitlements"]["maxUsers"].as_i64().unwrap());
    for (ent, v) in counts {
        let n = all
            .iter()
            .filter(|h| {
                h["entitlements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e == ent)
            })
            .count() as i64;
        assert!(
            n <= v["num"].as_i64().unwrap(),
            "{ent}: {n} holders past {v}"
        );
    }
    let mut names: Vec<&str> = all
        .iter()
        .map(|h| h["username"].as_str().unwrap())
        .collect();
    let listed = names.len();
    names.dedup();
    assert_eq!(names.len(), listed, "each holder once");
    // Some holders have never used their license.
    assert!(all.iter().any(|h| h["lastLogin"] == -1));
    // No expired purchases; all of them with status=all.
    let expired = p
        .get_as(
            &t,
            &format!("{REST}/portals/self/purchases?f=json&status=expired"),
        )
        .await;
    assert_eq!(expired["purchases"], json!([]));
    let unknown = p
        .get_as(
            &t,
            &format!("{REST}/portals/self/purchases?f=json&status=soon"),
        )
        .await;
    assert_eq!(error_code(&unknown), Some(400));
}

#[tokio::test]
async fn provisioning_sets_exactly_the_list_and_an_empty_list_revokes() {
    let p = Portal::new(300);
    let t = p.admin_token().await;
    let who = members_without(&p, ARCGIS_PRO_ITEM, "user_license_type_id = 'creatorUT'", 1);
    let user = &who[0];
    assert!(held(&p, &t, ARCGIS_PRO_ITEM, user).await.is_empty());
    let ok = provision(
        &p,
        &t,
        ARCGIS_PRO_ITEM,
        &who,
        &["desktopStdN", "spatialAnalystN"],
    )
    .await;
    assert_eq!(ok, json!({ "success": true }));
    assert_eq!(
        held(&p, &t, ARCGIS_PRO_ITEM, user).await,
        ["desktopStdN", "spatialAnalystN"]
    );
    provision(&p, &t, ARCGIS_PRO_ITEM, &who, &["desktopAdvN"]).await;
    assert_eq!(held(&p, &t, ARCGIS_PRO_ITEM, user).await, ["desktopAdvN"]);
    let mine = p
        .get_as(
            &t,
            &format!("{REST}/community/users/{user}/provisionedListings?f=json"),
        )
        .await;
    assert_eq!(mine["provisionedListings"][0]["itemId"], ARCGIS_PRO_ITEM);
    assert_eq!(
        provision(&p, &t, ARCGIS_PRO_ITEM, &who, &[]).await,
        json!({ "success": true })
    );
    assert!(held(&p, &t, ARCGIS_PRO_ITEM, user).await.is_empty());
    // Revoking again is not an error.
    assert_eq!(
        provision(&p, &t, ARCGIS_PRO_ITEM, &who, &[]).await,
        json!({ "success": true })
    );
}

#[tokio::test]
async fn provisioning_is_refused_whole_past_the_purchase_for_types_that_cannot_hold_it_and_past_25_users(
) {
    let p = Portal::new(1500);
    let t = p.admin_token().await;
    let pro = pro_purchase(
        &p.get_as(&t, &format!("{REST}/portals/self/purchases?f=json"))
            .await,
    );
    let num = pro["provision"]["orgEntitlements"]["entitlements"]["desktopStdN"]["num"]
        .as_i64()
        .unwrap();
    let before = holders(&p, &t, ARCGIS_PRO_ITEM).await;
    let std_held = before
        .iter()
        .filter(|h| {
            h["entitlements"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e == "desktopStdN")
        })
        .count() as i64;
    let free = (num - std_held) as usize;
    assert!(free > 0 && free < 25, "seeded nearly full: {free} free");
    let creators = members_without(
        &p,
        ARCGIS_PRO_ITEM,
        "user_license_type_id = 'creatorUT'",
        free + 1,
    );
    let refused = provision(&p, &t, ARCGIS_PRO_ITEM, &creators, &["desktopStdN"]).await;
    assert_eq!(error_code(&refused), Some(400), "{refused}");
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("desktopStdN"));
    assert_eq!(
        holders(&p, &t, ARCGIS_PRO_ITEM).await.len(),
        before.len(),
        "nothing applied"
    );
    let fits = provision(&p, &t, ARCGIS_PRO_ITEM, &creators[..free], &["desktopStdN"]).await;
    assert_eq!(fits, json!({ "success": true }));

    let viewer = members_without(&p, ARCGIS_PRO_ITEM, "user_license_type_id = 'viewerUT'", 1);
    let mut mixed = creators[free..].to_vec();
    mixed.extend(viewer.clone());
    let wrong_type = provision(&p, &t, ARCGIS_PRO_ITEM, &mixed, &["spatialAnalystN"]).await;
    assert!(
        wrong_type["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Viewer"),
        "{wrong_type}"
    );
    assert!(
        held(&p, &t, ARCGIS_PRO_ITEM, &creators[free])
            .await
            .is_empty(),
        "all or nothing"
    );

    let many = members_without(
        &p,
        ARCGIS_PRO_ITEM,
        "user_license_type_id = 'creatorUT'",
        26,
    );
    let too_many = provision(&p, &t, ARCGIS_PRO_ITEM, &many, &[]).await;
    assert!(
        too_many["error"]["message"]
            .as_str()
            .unwrap()
            .contains("25"),
        "{too_many}"
    );
    let two_levels = provision(
        &p,
        &t,
        ARCGIS_PRO_ITEM,
        &many[..1],
        &["desktopStdN", "desktopAdvN"],
    )
    .await;
    assert_eq!(error_code(&two_levels), Some(400));
    let not_bought = provision(&p, &t, ARCGIS_PRO_ITEM, &many[..1], &["desktopBasicN"]).await;
    assert_eq!(error_code(&not_bought), Some(400));
    let unknown_item = provision(&p, &t, "0123456789abcdef0123456789abcdef", &many[..1], &[]).await;
    assert_eq!(unknown_item["error"]["message"], "item not provisioned");
    let ghost = provision(
        &p,
        &t,
        NAVIGATOR_ITEM,
        &["nobody_here".into()],
        &["navigatorN"],
    )
    .await;
    assert_eq!(error_code(&ghost), Some(400));

    // A member without the privilege is refused.
    let member = p.member_with("role = 'org_user' AND role_id IS NULL");
    let mt = p.token(&member, portal_emulator::seed::DEMO_PASSWORD).await;
    let forbidden = provision(&p, &mt, NAVIGATOR_ITEM, &many[..1], &[]).await;
    assert_eq!(error_code(&forbidden), Some(403));
}

async fn set_type(p: &Portal, token: &str, users: &[String], user_type: &str) -> Vec<Value> {
    let v = p
        .post_as(
            token,
            &format!("{REST}/portals/self/updateUserLicenseType"),
            &format!(
                "f=json&users={}&userLicenseType={user_type}",
                users.join(",")
            ),
        )
        .await;
    v["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .clone()
}

async fn seats(p: &Portal, token: &str, user_type: &str) -> (i64, i64) {
    let types = p
        .get_as(
            token,
            &format!("{REST}/portals/self/userLicenseTypes?f=json&num=20"),
        )
        .await;
    let max = types["userLicenseTypes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == user_type)
        .unwrap()["maxUsers"]
        .as_i64()
        .unwrap();
    let counts = p
        .get_as(
            token,
            &format!("{REST}/portals/self/users/counts?f=json&type=userLicenseType"),
        )
        .await;
    let used = counts["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == user_type)
        .map_or(0, |r| r["count"].as_i64().unwrap());
    (max, used)
}

#[tokio::test]
async fn a_user_type_is_refused_past_its_seats_for_one_member_in_a_batch_and_on_creation() {
    let p = Portal::new(800);
    let t = p.admin_token().await;
    let (max, used) = seats(&p, &t, "GISProfessionalAdvUT").await;
    assert_eq!(max, used, "seeded full");
    let creator = members_without(
        &p,
        "-",
        "user_license_type_id = 'creatorUT' AND role = 'org_user' AND role_id IS NULL",
        1,
    );
    let one = set_type(&p, &t, &creator, "GISProfessionalAdvUT").await;
    assert_eq!(one[0]["status"], false);
    assert!(
        one[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Professional Plus"),
        "{one:?}"
    );

    // Professional (Standard) has 3 free: of 5 asked, the first 3 go and the last 2 are refused.
    let (max, used) = seats(&p, &t, "GISProfessionalStdUT").await;
    assert_eq!(max - used, 3);
    let five = members_without(&p, "-", "user_license_type_id = 'creatorUT' AND role = 'org_user' AND role_id IS NULL AND app_bundles = '[]'", 5);
    let results = set_type(&p, &t, &five, "GISProfessionalStdUT").await;
    let statuses: Vec<bool> = results
        .iter()
        .map(|r| r["status"].as_bool().unwrap())
        .collect();
    assert_eq!(statuses, [true, true, true, false, false]);
    assert_eq!(seats(&p, &t, "GISProfessionalStdUT").await, (max, max));

    // Creating a member of a full type is refused; the invitation names why.
    let invite = json!([{
        "email": "new.pro@example.com", "firstname": "New", "lastname": "Pro",
        "username": "new_pro_member", "password": "Str0ng-pass-word", "role": "org_user",
        "userLicenseType": "GISProfessionalAdvUT", "fullname": "New Pro"
    }]);
    let v = p
        .post_as(
            &t,
            &format!("{REST}/portals/self/invite"),
            &format!(
                "f=json&invitationList={}",
                urlencode(&json!({ "invitations": invite }).to_string())
            ),
        )
        .await;
    assert_eq!(v["notInvited"], json!(["new_pro_member"]), "{v}");
    let none = p
        .get_as(&t, &format!("{REST}/community/users/new_pro_member?f=json"))
        .await;
    assert_eq!(error_code(&none), Some(400));
}

#[tokio::test]
async fn a_type_change_is_refused_while_the_member_holds_what_the_type_cannot_hold() {
    let p = Portal::new(400);
    let t = p.admin_token().await;
    let who = members_without(&p, ARCGIS_PRO_ITEM, "user_license_type_id = 'creatorUT' AND role = 'org_user' AND role_id IS NULL AND app_bundles = '[]'", 1);
    provision(&p, &t, ARCGIS_PRO_ITEM, &who, &["desktopStdN"]).await;
    let refused = set_type(&p, &t, &who, "editorUT").await;
    assert_eq!(refused[0]["status"], false);
    assert!(refused[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("ArcGIS Pro"));
    provision(&p, &t, ARCGIS_PRO_ITEM, &who, &[]).await;
    assert_eq!(set_type(&p, &t, &who, "editorUT").await[0]["status"], true);
}

async fn bundle(p: &Portal, token: &str, id: &str, users: &[String], revoke: bool) -> Value {
    p.post_as(
        token,
        &format!("{REST}/portals/self/appBundles/{id}/provisionUserAppBundle"),
        &format!("f=json&users={}&revoke={revoke}", users.join(",")),
    )
    .await
}

async fn bundle_holders(p: &Portal, token: &str, query_id: &str) -> Vec<String> {
    let v = p
        .get_as(
            token,
            &format!(
                "{REST}/portals/self/users/search?f=json&num=100&q={}",
                urlencode(&format!("appbundle: {query_id}"))
            ),
        )
        .await;
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn app_bundles_are_given_within_their_seats_found_by_search_and_revoked_without_error() {
    let p = Portal::new(500);
    let t = p.admin_token().await;
    let bundles = p
        .get_as(&t, &format!("{REST}/portals/self/appBundles?f=json"))
        .await;
    let ba = bundles["appBundles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == BUSINESS_ANALYST_BUNDLE)
        .cloned()
        .unwrap();
    let item = ba["appBundleItemId"].as_str().unwrap().to_string();
    let (max, assigned) = (
        ba["maxUsers"].as_i64().unwrap(),
        ba["assignedUsers"].as_i64().unwrap(),
    );
    let before = bundle_holders(&p, &t, &item).await;
    assert_eq!(before.len() as i64, assigned);
    assert_eq!(
        bundle_holders(&p, &t, BUSINESS_ANALYST_BUNDLE).await,
        before
    );

    let free = (max - assigned) as usize;
    let creators = members_without(
        &p,
        "-",
        "user_license_type_id = 'creatorUT' AND app_bundles = '[]'",
        free + 1,
    );
    let refused = bundle(&p, &t, BUSINESS_ANALYST_BUNDLE, &creators, false).await;
    assert_eq!(error_code(&refused), Some(400), "{refused}");
    assert_eq!(
        bundle_holders(&p, &t, &item).await.len(),
        before.len(),
        "nothing applied"
    );
    // Python's path: content/listings/{bundle item}/provisionUserAppBundle.
    let ok = p
        .post_as(
            &t,
            &format!("{REST}/content/listings/{item}/provisionUserAppBundle"),
            &format!("f=json&users={}&revoke=false", creators[..free].join(",")),
        )
        .await;
    assert_eq!(ok, json!({ "success": true }));
    assert_eq!(bundle_holders(&p, &t, &item).await.len() as i64, max);
    let counts = p
        .get_as(
            &t,
            &format!("{REST}/portals/self/users/counts?f=json&type=appBundle"),
        )
        .await;
    assert_eq!(
        counts["results"],
        json!([{ "key": BUSINESS_ANALYST_BUNDLE, "count": max }])
    );

    // Revoking from holders and non-holders alike succeeds.
    let revoke = bundle(&p, &t, BUSINESS_ANALYST_BUNDLE, &creators, true).await;
    assert_eq!(revoke, json!({ "success": true }));
    assert_eq!(
        bundle(&p, &t, BUSINESS_ANALYST_BUNDLE, &creators, true).await,
        json!({ "success": true })
    );
    assert_eq!(bundle_holders(&p, &t, &item).await, before);

    // A bundle a user type includes cannot be given; a Viewer cannot hold Business Analyst.
    let included = bundle(&p, &t, FIELD_APPS_BUNDLE, &creators[..1], false).await;
    assert!(
        included["error"]["message"]
            .as_str()
            .unwrap()
            .contains("included"),
        "{included}"
    );
    let viewer = members_without(&p, "-", "user_license_type_id = 'viewerUT'", 1);
    let wrong = bundle(&p, &t, BUSINESS_ANALYST_BUNDLE, &viewer, false).await;
    assert!(
        wrong["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Viewer"),
        "{wrong}"
    );
    let theirs = p
        .get_as(
            &t,
            &format!("{REST}/community/users/{}/appBundles?f=json", creators[0]),
        )
        .await;
    assert_eq!(
        theirs["appBundles"],
        json!([]),
        "what the user type includes is not listed"
    );
    bundle(&p, &t, BUSINESS_ANALYST_BUNDLE, &creators[..1], false).await;
    let theirs = p
        .get_as(
            &t,
            &format!("{REST}/community/users/{}/appBundles?f=json", creators[0]),
        )
        .await;
    assert_eq!(theirs["appBundles"][0]["id"], BUSINESS_ANALYST_BUNDLE);
}

#[tokio::test]
async fn deleting_a_member_frees_their_licenses() {
    let p = Portal::new(300);
    let t = p.admin_token().await;
    let before = holders(&p, &t, ARCGIS_PRO_ITEM).await;
    let holder = before
        .iter()
        .map(|h| h["username"].as_str().unwrap().to_string())
        .find(|u| {
            let conn = p.state.db.get().unwrap();
            conn.query_row("SELECT COUNT(*) FROM groups WHERE owner = ?1", [u], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap()
                == 0
        })
        .unwrap();
    let v = p
        .post_as(
            &t,
            &format!("{REST}/community/users/{holder}/delete"),
            "f=json",
        )
        .await;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(
        holders(&p, &t, ARCGIS_PRO_ITEM).await.len(),
        before.len() - 1
    );
}

#[tokio::test]
async fn enterprise_reports_seats_in_portaladmin_license_and_online_in_user_types() {
    let config = Config {
        profile: Profile::Enterprise,
        ..Config::default()
    };
    let p = Portal::with_config(400, config);
    let t = p.admin_token().await;
    let license = p.get_as(&t, "/portaladmin/license?f=json").await;
    let types = license["userTypes"]
        .as_array()
        .unwrap_or_else(|| panic!("{license}"));
    let creator = types.iter().find(|u| u["id"] == "creatorUT").unwrap();
    assert!(
        creator["maximumRegisteredMembers"].as_i64().unwrap()
            > creator["currentRegisteredMembers"].as_i64().unwrap()
    );
    let adv = types
        .iter()
        .find(|u| u["id"] == "GISProfessionalAdvUT")
        .unwrap();
    assert_eq!(
        adv["maximumRegisteredMembers"],
        adv["currentRegisteredMembers"]
    );
    let system = p.get_as(&t, "/portaladmin/system?f=json").await;
    assert!(system["resources"].is_array());
    let listed = p
        .get_as(&t, &format!("{REST}/portals/self/userLicenseTypes?f=json"))
        .await;
    assert!(listed["userLicenseTypes"][0].get("maxUsers").is_none());

    let online = Portal::new(50);
    let ot = online.admin_token().await;
    let none = online.get_as(&ot, "/portaladmin/license?f=json").await;
    assert_eq!(error_code(&none), Some(400));
}

#[tokio::test]
async fn a_listing_reads_as_what_was_bought_and_a_bundle_listing_leads_back_to_its_holders() {
    let p = Portal::new(200);
    let t = p.admin_token().await;
    let pro = p
        .get_as(
            &t,
            &format!("{REST}/content/listings/{ARCGIS_PRO_ITEM}?f=json"),
        )
        .await;
    assert_eq!(pro["itemId"], ARCGIS_PRO_ITEM, "{pro}");
    assert_eq!(pro["title"], "ArcGIS Pro");
    let bundles = p
        .get_as(&t, &format!("{REST}/portals/self/appBundles?f=json"))
        .await;
    let ba = bundles["appBundles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == BUSINESS_ANALYST_BUNDLE)
        .cloned()
        .unwrap();
    let item = ba["appBundleItemId"].as_str().unwrap().to_string();

    // Esri's Python client, after Bundle.assign: it reads the listing again, then searches
    // the holders by the appBundleItemId it finds there.
    let creator = members_without(
        &p,
        "-",
        "user_license_type_id = 'creatorUT' AND app_bundles = '[]'",
        1,
    );
    let given = p
        .post_as(
            &t,
            &format!("{REST}/content/listings/{item}/provisionUserAppBundle"),
            &format!("f=json&users={}&revoke=false", creator[0]),
        )
        .await;
    assert_eq!(given, json!({ "success": true }));
    let listing = p
        .get_as(&t, &format!("{REST}/content/listings/{item}?f=json"))
        .await;
    assert_eq!(listing["itemId"], item.as_str(), "{listing}");
    assert_eq!(listing["appBundleItemId"], item.as_str());
    assert_eq!(listing["id"], BUSINESS_ANALYST_BUNDLE);
    assert_eq!(listing["maxUsers"], ba["maxUsers"]);
    assert_eq!(
        listing["assignedUsers"].as_i64().unwrap(),
        ba["assignedUsers"].as_i64().unwrap() + 1
    );
    let found = bundle_holders(&p, &t, listing["appBundleItemId"].as_str().unwrap()).await;
    assert!(found.contains(&creator[0]), "{found:?}");
    // By the bundle's id too (Python's User.bundles names the listing so).
    let by_id = p
        .get_as(
            &t,
            &format!("{REST}/content/listings/{FIELD_APPS_BUNDLE}?f=json"),
        )
        .await;
    assert_eq!(by_id["id"], FIELD_APPS_BUNDLE, "{by_id}");

    let unknown = p
        .get_as(
            &t,
            &format!("{REST}/content/listings/0123456789abcdef0123456789abcdef?f=json"),
        )
        .await;
    assert_eq!(error_code(&unknown), Some(400), "{unknown}");
}

async fn invite_to_join(p: &Portal, token: &str, email: &str, user_type: &str) -> Value {
    let list = json!({ "invitations": [{
        "email": email, "role": "org_user", "userLicenseType": user_type,
    }] });
    p.post_as(
        token,
        &format!("{REST}/portals/self/invite"),
        &format!("f=json&invitationList={}", urlencode(&list.to_string())),
    )
    .await
}

#[tokio::test]
async fn a_pending_invitation_holds_a_seat_until_it_is_accepted_or_withdrawn() {
    let p = Portal::new(800);
    let t = p.admin_token().await;
    // Professional (Standard) has 3 seats free: three invitations take them, a fourth is refused.
    let (max, used) = seats(&p, &t, "GISProfessionalStdUT").await;
    assert_eq!(max - used, 3);
    for k in 0..3 {
        let v = invite_to_join(
            &p,
            &t,
            &format!("pro{k}@example.com"),
            "GISProfessionalStdUT",
        )
        .await;
        assert_eq!(v["notInvited"], json!([]), "{v}");
    }
    let refused = invite_to_join(&p, &t, "pro3@example.com", "GISProfessionalStdUT").await;
    assert_eq!(
        refused["notInvited"],
        json!(["pro3@example.com"]),
        "{refused}"
    );
    // Inviting the same person again (as "invite again" does) needs no second seat.
    let again = invite_to_join(&p, &t, "PRO0@example.com", "GISProfessionalStdUT").await;
    assert_eq!(again["notInvited"], json!([]), "{again}");
    // Nor can a member take the type meanwhile.
    let creator = members_without(&p, "-", "user_license_type_id = 'creatorUT' AND role = 'org_user' AND role_id IS NULL AND app_bundles = '[]'", 1);
    assert_eq!(
        set_type(&p, &t, &creator, "GISProfessionalStdUT").await[0]["status"],
        false
    );

    // Accepting turns the invitation's seat into the member's: not counted twice.
    let (path, _) = p.open_newest_mail_link(&t).await;
    let query = format!(
        "{}&username=pro_joiner&password=Joiner-pass-1",
        path.split_once('?').unwrap().1
    );
    let accepted = p
        .send("POST", "/sharing/invitation/accept", &[], &query)
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    let joiner = p
        .get_as(&t, &format!("{REST}/community/users/pro_joiner?f=json"))
        .await;
    assert_eq!(
        joiner["userLicenseTypeId"], "GISProfessionalStdUT",
        "{joiner} {}",
        accepted.text
    );

    // Withdrawing an invitation frees its seat.
    let open = p
        .get_as(
            &t,
            &format!("{REST}/portals/self/invitations?f=json&num=100"),
        )
        .await;
    let id = open["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["userLicenseType"] == "GISProfessionalStdUT")
        .map(|i| i["id"].as_str().unwrap().to_string())
        .expect("a pending Professional invitation");
    let withdrawn = p
        .post_as(
            &t,
            &format!("{REST}/portals/self/invitations/{id}/delete"),
            "f=json",
        )
        .await;
    assert_eq!(withdrawn["success"], true, "{withdrawn}");
    assert_eq!(
        set_type(&p, &t, &creator, "GISProfessionalStdUT").await[0]["status"],
        true
    );
}

#[tokio::test]
async fn a_license_assigned_past_what_was_bought_can_still_be_revoked() {
    let p = Portal::new(600);
    let t = p.admin_token().await;
    let holders = holders(&p, &t, ARCGIS_PRO_ITEM).await;
    assert!(holders.len() > 3);
    // The organization's purchase shrank below what is assigned (a renewal for fewer seats).
    p.state
        .db
        .get()
        .unwrap()
        .execute(
            "UPDATE listings SET max_users = 2 WHERE item_id = ?1",
            [ARCGIS_PRO_ITEM],
        )
        .unwrap();
    let one = vec![holders[0]["username"].as_str().unwrap().to_string()];
    assert_eq!(
        provision(&p, &t, ARCGIS_PRO_ITEM, &one, &[]).await,
        json!({ "success": true })
    );
    let more = members_without(&p, ARCGIS_PRO_ITEM, "user_license_type_id = 'creatorUT'", 1);
    let refused = provision(&p, &t, ARCGIS_PRO_ITEM, &more, &["spatialAnalystN"]).await;
    assert_eq!(
        error_code(&refused),
        Some(400),
        "giving is still refused: {refused}"
    );
}
