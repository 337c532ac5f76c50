//! Licenses against the embedded portal over TLS: the purchases and every holder read once,
//! seats from where each kind of portal keeps them, and licenses and bundles for many members
//! with lost answers, each applied once, refused members reported one by one.

use std::collections::HashSet;

use portal_client::bulk::{tally, BulkOptions};
use portal_client::licenses::Purchase;
use portal_client::Outcome;
use portal_emulator::licenses::catalog::{ARCGIS_PRO_ITEM, BUSINESS_ANALYST_BUNDLE};
use portal_emulator::{Config, Profile};

use crate::support::{every_member_once, start, start_with, Flaky, Live, ADMIN};

fn pro(purchases: &[Purchase]) -> &Purchase {
    purchases
        .iter()
        .find(|p| p.listing.item_id == ARCGIS_PRO_ITEM)
        .expect("ArcGIS Pro bought")
}

/// Members of `user_type` (not the administrator) who hold nothing of ArcGIS Pro.
async fn without_pro(live: &Live, user_type: &str) -> Vec<String> {
    let holders: HashSet<String> = live
        .client
        .licenses()
        .holders(ARCGIS_PRO_ITEM, |_, _| {})
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.username.to_lowercase())
        .collect();
    every_member_once(&live.client, 4)
        .await
        .into_iter()
        .filter(|u| {
            u.username.0 != ADMIN
                && u.user_license_type_id.as_deref() == Some(user_type)
                && !holders.contains(&u.username.0.to_lowercase())
        })
        .map(|u| u.username.0)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_holder_is_read_once_across_pages_read_together() {
    let live = start(4000, Config::default()).await;
    let purchases = live.client.licenses().purchases().await.unwrap();
    assert_eq!(purchases.len(), 2);
    let mut last = (0, 0);
    let holders = live
        .client
        .licenses()
        .holders(ARCGIS_PRO_ITEM, |read, total| {
            assert!(read > last.0 && read <= total);
            last = (read, total);
        })
        .await
        .unwrap();
    assert!(holders.len() > 150, "several pages: {}", holders.len());
    assert_eq!(last, (holders.len() as u64, holders.len() as u64));
    let names: HashSet<String> = holders.iter().map(|h| h.username.to_lowercase()).collect();
    assert_eq!(names.len(), holders.len(), "each holder once");
    let counts = pro(&purchases)
        .provision
        .org_entitlements
        .clone()
        .unwrap()
        .entitlements;
    for (ent, bought) in counts {
        let held = holders
            .iter()
            .filter(|h| h.entitlements.contains(&ent))
            .count() as i64;
        assert!(held <= bought.num, "{ent}: {held} > {}", bought.num);
    }
    let one = &holders[holders.len() / 2];
    let again = live
        .client
        .licenses()
        .holder(ARCGIS_PRO_ITEM, &one.username)
        .await
        .unwrap();
    assert_eq!(&again, one);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_come_from_user_types_online_and_from_portaladmin_on_enterprise() {
    for profile in [Profile::Agol, Profile::Enterprise] {
        let live = start(
            700,
            Config {
                profile,
                ..Config::default()
            },
        )
        .await;
        let online = live.client.portal_self().await.unwrap().is_arcgis_online();
        assert_eq!(online, profile == Profile::Agol);
        let seats = live.client.licenses().seats(online).await.unwrap();
        let of = |t: &str| seats.iter().find(|s| s.user_type == t).unwrap().clone();
        let full = of("GISProfessionalAdvUT");
        assert_eq!(full.max_users, Some(full.used), "{profile:?}: seeded full");
        let creator = of("creatorUT");
        assert!(creator.max_users.unwrap() > creator.used);
        let members = every_member_once(&live.client, 4).await;
        let creators = members
            .iter()
            .filter(|u| u.user_license_type_id.as_deref() == Some("creatorUT"))
            .count() as i64;
        assert_eq!(creator.used, creators);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entitlements_for_many_members_land_once_and_refusals_come_back_one_by_one() {
    let flaky = Flaky::new("provisionUserEntitlements", "userEntitlements");
    let live = start_with(2500, Config::default(), Some(flaky.clone())).await;
    let purchases = live.client.licenses().purchases().await.unwrap();
    let bought = pro(&purchases).provision.org_entitlements.clone().unwrap();
    let std_num = bought.entitlements["desktopStdN"].num;
    let holders = live
        .client
        .licenses()
        .holders(ARCGIS_PRO_ITEM, |_, _| {})
        .await
        .unwrap();
    let std_held = holders
        .iter()
        .filter(|h| h.entitlements.iter().any(|e| e == "desktopStdN"))
        .count() as i64;
    let free = (std_num - std_held) as usize;
    let creators = without_pro(&live, "creatorUT").await;
    let viewers = without_pro(&live, "viewerUT").await;
    let mut names: Vec<String> = creators[..free + 4].to_vec();
    names.extend(viewers[..2].iter().cloned());
    let wanted: Vec<(String, Vec<String>)> = names
        .iter()
        .map(|n| (n.clone(), vec!["desktopStdN".to_string()]))
        .collect();
    let outcomes = live
        .client
        .bulk(BulkOptions::default())
        .set_entitlements(ARCGIS_PRO_ITEM, &wanted, |_, _| {})
        .await;
    assert_eq!(
        outcomes.iter().map(|o| &o.username).collect::<Vec<_>>(),
        names.iter().collect::<Vec<_>>(),
        "one outcome per member, in the order given"
    );
    let t = tally(&outcomes);
    assert_eq!((t.done, t.failed), (free, 6), "{outcomes:?}");
    for o in &outcomes[free + 4..] {
        let Outcome::Failed(why) = &o.outcome else {
            panic!("a Viewer cannot hold ArcGIS Pro: {o:?}")
        };
        assert!(why.contains("Viewer"), "{why}");
    }
    let applied = flaky.applied.lock().unwrap().clone();
    for o in outcomes.iter().filter(|o| o.outcome == Outcome::Done) {
        assert_eq!(
            applied.get(&o.username.to_lowercase()).copied(),
            Some(1),
            "{o:?}"
        );
        let held = live
            .client
            .licenses()
            .holder(ARCGIS_PRO_ITEM, &o.username)
            .await
            .unwrap();
        assert_eq!(held.entitlements, ["desktopStdN"]);
    }
    assert!(*flaky.lost.lock().unwrap() > 0, "some answers were lost");

    // Revoking them all (an empty list) lands once too, and the seats come back.
    let done: Vec<(String, Vec<String>)> = outcomes
        .iter()
        .filter(|o| o.outcome == Outcome::Done)
        .map(|o| (o.username.clone(), Vec::new()))
        .collect();
    let revoked = live
        .client
        .bulk(BulkOptions::default())
        .set_entitlements(ARCGIS_PRO_ITEM, &done, |_, _| {})
        .await;
    assert_eq!(tally(&revoked).done, free);
    let after = live
        .client
        .licenses()
        .holders(ARCGIS_PRO_ITEM, |_, _| {})
        .await
        .unwrap();
    assert_eq!(after.len(), holders.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundles_for_many_members_are_given_and_taken_once() {
    let flaky = Flaky::new("provisionUserAppBundle", "users");
    let live = start_with(1500, Config::default(), Some(flaky.clone())).await;
    let bundles = live.client.licenses().app_bundles().await.unwrap();
    let ba = bundles
        .iter()
        .find(|b| b.id == BUSINESS_ANALYST_BUNDLE)
        .unwrap();
    let item = ba.app_bundle_item_id.clone().unwrap();
    let before = live.client.licenses().bundle_holders(&item).await.unwrap();
    let free = ba.max_users.unwrap() as usize - before.len();
    let taken: HashSet<&String> = before.iter().collect();
    let mut names: Vec<String> = without_pro(&live, "creatorUT")
        .await
        .into_iter()
        .filter(|n| !taken.contains(n))
        .take(free)
        .collect();
    names.extend(without_pro(&live, "viewerUT").await.into_iter().take(1));
    let given = live
        .client
        .bulk(BulkOptions::default())
        .set_bundle(&item, &names, true, |_, _| {})
        .await;
    let t = tally(&given);
    assert_eq!((t.done, t.failed), (free, 1), "{given:?}");
    let holders = live.client.licenses().bundle_holders(&item).await.unwrap();
    assert_eq!(holders.len(), before.len() + free);
    let taken_back = live
        .client
        .bulk(BulkOptions::default())
        .set_bundle(&item, &names[..free], false, |_, _| {})
        .await;
    assert_eq!(tally(&taken_back).done, free);
    let mut after = live.client.licenses().bundle_holders(&item).await.unwrap();
    let mut before = before;
    after.sort();
    before.sort();
    assert_eq!(after, before);
    let applied = flaky.applied.lock().unwrap();
    for n in &names[..free] {
        assert_eq!(
            applied.get(&n.to_lowercase()).copied(),
            Some(2),
            "{n}: given once, taken once"
        );
    }
}
