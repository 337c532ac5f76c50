//! Licenses from the console: read with the organization and kept with the cache, counted into
//! the Licenses view's picture, previews that name refusals and seats before anything is sent,
//! licenses and bundles in bulk, reclaiming idle seats and swapping user types, each checked
//! in the portal.

use console_core::licenses::swap::swap_moves;
use console_core::{BulkKind, BulkOutcome, BulkRequest, Member, ReclaimRequest, SeatKind, Verdict};
use portal_emulator::inspect;
use portal_emulator::licenses::catalog::{ARCGIS_PRO_ITEM, BUSINESS_ANALYST_BUNDLE};

use crate::support::{demo_console, demo_portal, loaded_demo, row, DEMO_ADMIN};

fn key(ent: &str) -> String {
    format!("{ARCGIS_PRO_ITEM}/{ent}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_reads_who_holds_what_and_the_picture_counts_it_from_the_rows() {
    let (dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    // Every row holds what the portal says it holds.
    let mut holders = 0;
    for m in members.iter() {
        let mut mine = m.licenses.clone();
        mine.sort();
        assert_eq!(
            mine,
            inspect::licenses_of(&state, &m.username).unwrap(),
            "{}",
            m.username
        );
        holders += usize::from(!mine.is_empty());
    }
    assert!(holders > 20, "the demo org has holders: {holders}");
    let picture = console.license_picture().await.unwrap();
    let types = inspect::user_type_counts(&state).unwrap();
    for line in picture
        .lines
        .iter()
        .filter(|l| l.kind == SeatKind::UserType)
    {
        assert_eq!(
            i64::from(line.assigned),
            types.get(&line.key).copied().unwrap_or(0),
            "{}",
            line.name
        );
    }
    let adv = picture
        .lines
        .iter()
        .find(|l| l.key == "GISProfessionalAdvUT")
        .unwrap();
    assert_eq!(adv.free(), Some(0), "seeded full");
    let std = picture
        .lines
        .iter()
        .find(|l| l.key == key("desktopStdN"))
        .unwrap();
    assert_eq!(std.group, "ArcGIS Pro");
    assert_eq!(std.name, "ArcGIS Pro Standard");
    let held = members
        .iter()
        .filter(|m| m.licenses.iter().any(|k| *k == std.key))
        .count();
    assert_eq!(std.assigned as usize, held);
    assert!(std.idle.days30 >= std.idle.days90 && std.idle.days90 >= std.idle.days365);
    assert!(picture.lines.iter().any(|l| l.kind == SeatKind::Bundle));

    // The next start reads the picture from the cache before any load.
    drop(console);
    let (again, _) = demo_console(dir.path()).await;
    let cached = again.license_picture().await.unwrap();
    assert_eq!(cached.lines, picture.lines);
}

fn names_where(members: &[Member], keep: impl Fn(&Member) -> bool, n: usize) -> Vec<String> {
    members
        .iter()
        .filter(|m| m.username != DEMO_ADMIN && !m.disabled && keep(m))
        .take(n)
        .map(|m| m.username.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_names_refusals_and_missing_seats_and_sends_nothing() {
    let (_dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    let workers = names_where(
        &members,
        |m| m.user_type == "fieldWorkerUT" && m.role_id == "org_user",
        5,
    );
    let creators = names_where(
        &members,
        |m| m.user_type == "creatorUT" && m.role_id == "org_user",
        4,
    );
    let plan = console
        .preview_bulk(BulkRequest {
            kind: BulkKind::SetRole,
            target: "org_publisher".into(),
            usernames: [workers.clone(), creators.clone()].concat(),
        })
        .await
        .unwrap();
    assert_eq!((plan.change, plan.refused), (4, 5), "{plan:?}");
    assert!(
        plan.summary
            .iter()
            .any(|s| s == "5 cannot: Mobile Worker does not allow Publisher"),
        "{:?}",
        plan.summary
    );

    // Professional Plus is full: every creator is refused for want of a seat.
    let clean = names_where(
        &members,
        |m| m.user_type == "creatorUT" && m.role_id == "org_user" && m.licenses.is_empty(),
        3,
    );
    let plan = console
        .preview_bulk(BulkRequest {
            kind: BulkKind::SetUserType,
            target: "GISProfessionalAdvUT".into(),
            usernames: clean.clone(),
        })
        .await
        .unwrap();
    assert_eq!(plan.refused, 3);
    assert!(
        plan.summary
            .iter()
            .any(|s| s == "3 seats of Professional Plus short"),
        "{:?}",
        plan.summary
    );
    for name in &clean {
        assert_eq!(
            inspect::user_row(&state, name).unwrap().unwrap().user_type,
            "creatorUT",
            "nothing sent"
        );
    }

    // A Pro holder cannot go down to Contributor until the license is revoked.
    let holder = names_where(
        &members,
        |m| {
            m.user_type == "creatorUT"
                && m.role_id == "org_user"
                && m.licenses.iter().any(|k| k.starts_with(ARCGIS_PRO_ITEM))
        },
        1,
    );
    let plan = console
        .preview_bulk(BulkRequest {
            kind: BulkKind::SetUserType,
            target: "editorUT".into(),
            usernames: [holder.clone(), clean[..1].to_vec()].concat(),
        })
        .await
        .unwrap();
    assert_eq!(plan.items[0].verdict, Verdict::Refused);
    assert!(
        plan.items[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("revoke it first"),
        "{plan:?}"
    );
    assert_eq!(plan.items[1].verdict, Verdict::Change);

    // Going on with the ones that can: exactly those change.
    let go: Vec<String> = plan
        .items
        .iter()
        .filter(|i| i.verdict == Verdict::Change)
        .map(|i| i.username.clone())
        .collect();
    let report = console
        .bulk(
            BulkRequest {
                kind: BulkKind::SetUserType,
                target: "editorUT".into(),
                usernames: go.clone(),
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.done, 1);
    assert_eq!(
        inspect::user_row(&state, &go[0])
            .unwrap()
            .unwrap()
            .user_type,
        "editorUT"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn licenses_and_bundles_in_bulk_keep_what_else_members_hold() {
    let (_dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    // A member holding Standard and Spatial Analyst moves to Advanced and keeps the extension.
    let who = names_where(
        &members,
        |m| {
            m.user_type == "creatorUT"
                && m.licenses.iter().any(|k| *k == key("desktopStdN"))
                && m.licenses.iter().any(|k| *k == key("spatialAnalystN"))
        },
        1,
    )
    .pop()
    .expect("the demo org has Standard holders with Spatial Analyst");
    let assign = BulkRequest {
        kind: BulkKind::AssignLicense,
        target: key("desktopAdvN"),
        usernames: vec![who.clone()],
    };
    let plan = console.preview_bulk(assign.clone()).await.unwrap();
    assert_eq!(plan.change, 1, "{plan:?}");
    let report = console.bulk(assign, |_| {}).await.unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    let expected = vec![key("desktopAdvN"), key("spatialAnalystN")];
    assert_eq!(inspect::licenses_of(&state, &who).unwrap(), expected);
    let mut mine = row(&console.members().await.unwrap(), &who)
        .licenses
        .clone();
    mine.sort();
    assert_eq!(mine, expected, "the row follows the portal");

    // A license given behind the console's back (after its load) is kept too: the list sent
    // is built from what the portal holds now, not from the cache.
    let other = names_where(
        &members,
        |m| m.user_type == "creatorUT" && m.licenses.is_empty(),
        1,
    )
    .pop()
    .unwrap();
    let (_, admin) = crate::support::another_admin(&console).await;
    admin
        .licenses()
        .provision(
            ARCGIS_PRO_ITEM,
            std::slice::from_ref(&other),
            &["spatialAnalystN".to_string()],
        )
        .await
        .unwrap();
    console
        .bulk(
            BulkRequest {
                kind: BulkKind::AssignLicense,
                target: key("desktopStdN"),
                usernames: vec![other.clone()],
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        inspect::licenses_of(&state, &other).unwrap(),
        vec![key("desktopStdN"), key("spatialAnalystN")]
    );

    // Standard replaces Advanced (one Pro level per member).
    console
        .bulk(
            BulkRequest {
                kind: BulkKind::AssignLicense,
                target: key("desktopStdN"),
                usernames: vec![who.clone()],
            },
            |_| {},
        )
        .await
        .unwrap();
    assert!(inspect::licenses_of(&state, &who)
        .unwrap()
        .contains(&key("desktopStdN")));
    assert!(!inspect::licenses_of(&state, &who)
        .unwrap()
        .contains(&key("desktopAdvN")));
    // Revoking the whole license empties it.
    let report = console
        .bulk(
            BulkRequest {
                kind: BulkKind::RevokeLicense,
                target: format!("{ARCGIS_PRO_ITEM}/*"),
                usernames: vec![who.clone()],
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.done, 1);
    assert!(inspect::licenses_of(&state, &who)
        .unwrap()
        .iter()
        .all(|k| !k.starts_with(ARCGIS_PRO_ITEM)));

    // A bundle: a Viewer is refused in the preview and by the portal; the creator gets it.
    let bundle = format!("bundle/{BUSINESS_ANALYST_BUNDLE}");
    let viewer = names_where(&members, |m| m.user_type == "viewerUT", 1);
    let give = BulkRequest {
        kind: BulkKind::GiveBundle,
        target: bundle.clone(),
        usernames: [vec![who.clone()], viewer.clone()].concat(),
    };
    let plan = console.preview_bulk(give.clone()).await.unwrap();
    assert_eq!(plan.items[1].verdict, Verdict::Refused, "{plan:?}");
    let report = console.bulk(give, |_| {}).await.unwrap();
    assert_eq!((report.done, report.failed), (1, 1));
    assert_eq!(report.items[1].outcome, BulkOutcome::Failed);
    assert!(inspect::licenses_of(&state, &who)
        .unwrap()
        .contains(&bundle));
    console
        .bulk(
            BulkRequest {
                kind: BulkKind::TakeBundle,
                target: bundle.clone(),
                usernames: vec![who.clone()],
            },
            |_| {},
        )
        .await
        .unwrap();
    assert!(!inspect::licenses_of(&state, &who)
        .unwrap()
        .contains(&bundle));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reclaiming_idle_seats_downgrades_and_revokes_in_the_order_the_portal_accepts() {
    let (_dir, console, _) = loaded_demo().await;
    let state = demo_portal(&console).await;
    let request = crate::support::pro_reclaim(&console).await;
    let plan = console.plan_reclaim(request.clone()).await.unwrap();
    assert!(plan.items.len() > 10, "{}", plan.items.len());
    let freed_creators = plan
        .freed
        .iter()
        .find(|f| f.key == "creatorUT")
        .map_or(0, |f| f.count);
    assert_eq!(
        freed_creators as usize,
        plan.items.iter().filter(|i| i.downgrade).count()
    );
    // The plan revokes Pro before a downgrade to Viewer, which cannot hold it.
    let with_pro = plan
        .items
        .iter()
        .find(|i| i.downgrade && !i.revoke.is_empty())
        .expect("an idle creator holding ArcGIS Pro");
    assert!(with_pro
        .revoke
        .iter()
        .all(|k| k.starts_with(ARCGIS_PRO_ITEM) || k.starts_with("bundle/")));
    let mut kept: Vec<String> = plan
        .items
        .iter()
        .take(12)
        .map(|i| i.username.clone())
        .collect();
    if !kept.contains(&with_pro.username) {
        kept.push(with_pro.username.clone());
    }
    let before = console.license_picture().await.unwrap();
    let mut heard = Vec::new();
    let report = console
        .reclaim(request, kept.clone(), |p| heard.push(p))
        .await
        .unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(report.done as usize, kept.len());
    assert_eq!(heard.last().map(|p| p.done), heard.last().map(|p| p.total));
    for name in &kept {
        let item = plan.items.iter().find(|i| &i.username == name).unwrap();
        let facts = inspect::user_row(&state, name).unwrap().unwrap();
        if item.downgrade {
            assert_eq!(facts.user_type, "viewerUT", "{name}");
            assert_eq!(
                facts.role_id.as_deref(),
                Some(portal_client::VIEWER_ROLE_ID)
            );
        }
        let held = inspect::licenses_of(&state, name).unwrap();
        assert!(
            held.iter().all(|k| !item.revoke.contains(k)),
            "{name}: {held:?}"
        );
    }
    let after = console.license_picture().await.unwrap();
    let count = |p: &console_core::LicensePicture, k: &str| {
        p.lines.iter().find(|l| l.key == k).unwrap().assigned
    };
    let downgraded = kept
        .iter()
        .filter(|n| plan.items.iter().any(|i| &i.username == *n && i.downgrade))
        .count() as u32;
    assert_eq!(
        count(&after, "creatorUT"),
        count(&before, "creatorUT") - downgraded,
        "the seats came back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swap_of_user_types_never_needs_a_spare_seat() {
    let (_dir, console, members) = loaded_demo().await;
    let state = demo_portal(&console).await;
    // Professional Plus is full; its member goes to Creator first, freeing the seat.
    let pro = names_where(
        &members,
        |m| m.user_type == "GISProfessionalAdvUT" && m.role_id == "org_admin",
        1,
    );
    let creator = names_where(
        &members,
        |m| m.user_type == "creatorUT" && m.role_id == "org_admin" && m.licenses.is_empty(),
        1,
    );
    let report = console.swap_user_types(&pro[0], &creator[0]).await.unwrap();
    assert!(
        report.steps[0].starts_with(&format!("{}:", pro[0])),
        "{report:?}"
    );
    assert_eq!(
        inspect::user_row(&state, &pro[0])
            .unwrap()
            .unwrap()
            .user_type,
        "creatorUT"
    );
    assert_eq!(
        inspect::user_row(&state, &creator[0])
            .unwrap()
            .unwrap()
            .user_type,
        "GISProfessionalAdvUT"
    );

    // Both full: one member waits in a third type with a free seat.
    let (_, names_offers) = (0, console.license_offers().await.unwrap().unwrap());
    let mut offers = names_offers.clone();
    let rows = console.members().await.unwrap();
    let count = |t: &str| rows.iter().filter(|m| m.user_type == t).count() as u32;
    for t in offers.user_types.iter_mut() {
        if t.id == "creatorUT" || t.id == "GISProfessionalAdvUT" {
            t.purchased = Some(count(&t.id));
        }
    }
    let a = row(&rows, &pro[0]).clone();
    let b = row(&rows, &creator[0]).clone();
    let names = console_core::members::Names::new(
        &[],
        &[
            portal_client::UserType {
                id: "creatorUT".into(),
                name: "Creator".into(),
                description: None,
                max_role: Some("org_admin".into()),
            },
            portal_client::UserType {
                id: "GISProfessionalAdvUT".into(),
                name: "Professional Plus".into(),
                description: None,
                max_role: Some("org_admin".into()),
            },
            portal_client::UserType {
                id: "GISProfessionalStdUT".into(),
                name: "Professional".into(),
                description: None,
                max_role: Some("org_admin".into()),
            },
            portal_client::UserType {
                id: "viewerUT".into(),
                name: "Viewer".into(),
                description: None,
                max_role: Some("viewer".into()),
            },
        ],
    );
    let moves = swap_moves(&a, &b, &rows, &names, &offers).unwrap();
    assert_eq!(moves.len(), 3, "{moves:?}");
    assert_eq!(moves[0].username, a.username);
    assert_ne!(
        moves[0].user_type, "viewerUT",
        "a Viewer type does not allow an administrator"
    );
    assert_eq!(moves[2].username, a.username);
    assert_eq!(moves[2].user_type, b.user_type);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reclaim_plan_downgrades_no_more_members_than_the_lower_type_has_seats_for() {
    let (_dir, console, _) = loaded_demo().await;
    let picture = console.license_picture().await.unwrap();
    let workers = picture
        .lines
        .iter()
        .find(|l| l.key == "fieldWorkerUT")
        .unwrap();
    let free = workers.free().unwrap();
    assert!(
        free > 0 && free < 20,
        "Mobile Worker is nearly full: {free}"
    );
    let plan = console
        .plan_reclaim(ReclaimRequest {
            days: 30,
            include_never: true,
            user_types: vec!["creatorUT".into()],
            downgrade_to: Some("fieldWorkerUT".into()),
            downgrade_role: Some("org_user".into()),
            licenses: Vec::new(),
        })
        .await
        .unwrap();
    let down = plan.items.iter().filter(|i| i.downgrade).count() as i64;
    assert_eq!(down, free, "as many downgrades as free seats");
    let left_out: Vec<_> = plan.items.iter().filter(|i| !i.downgrade).collect();
    assert!(!left_out.is_empty());
    for i in left_out {
        assert!(
            i.revoke.is_empty(),
            "nothing is revoked for a downgrade that cannot happen: {i:?}"
        );
        assert!(
            i.problem
                .as_deref()
                .unwrap_or("")
                .contains("no seat of Mobile Worker"),
            "{i:?}"
        );
    }
}
