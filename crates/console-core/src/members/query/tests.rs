//! The query engine's tests: every filter, narrowing as a person types, the sorts, the
//! collation and the facet counts.

use super::*;

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_795_910_400_000;

fn member(username: &str, change: impl FnOnce(&mut Member)) -> Member {
    let mut m = Member {
        full_name: username.to_uppercase(),
        email: format!("{username}@example.com"),
        last_login: Some(NOW - DAY),
        created: NOW - 400 * DAY,
        ..crate::members::test_member(username)
    };
    change(&mut m);
    m
}

fn four() -> MemberIndex {
    MemberIndex::new(Arc::new(vec![
        member("jsmith", |m| {
            m.full_name = "Jane Smith".into();
            m.role_id = "viewerRole".into();
            m.role_name = "Viewer".into();
            m.groups = vec!["g1".into(), "g2".into()];
            m.licenses = vec!["pro/desktopAdvN".into(), "bundle/b1".into()];
        }),
        member("asmithers", |m| {
            m.full_name = "Al Smithers".into();
            m.disabled = true;
            m.groups = vec!["g2".into()];
            m.licenses = vec!["pro/desktopBasicN".into(), "pro/3DAnalystN".into()];
        }),
        member("bnever", |m| {
            m.last_login = None;
            m.user_type = "viewerUT".into();
            m.user_type_name = "Viewer".into();
        }),
        member("cold", |m| {
            m.last_login = Some(NOW - 200 * DAY);
            m.provider = "enterprise".into();
        }),
    ]))
}

fn names(index: &MemberIndex, filter: MemberFilter) -> Vec<&str> {
    index
        .matching(&filter, MemberSort::default())
        .iter()
        .map(|&i| index.members()[i as usize].username.as_str())
        .collect()
}

/// The members that pass the default filter changed by `change`.
fn passing(index: &MemberIndex, change: impl FnOnce(&mut MemberFilter)) -> Vec<&str> {
    let mut filter = MemberFilter::default();
    change(&mut filter);
    names(index, filter)
}

#[test]
fn filters_by_every_control() {
    let index = four();
    let i = &index;
    assert_eq!(
        passing(i, |_| {}),
        ["asmithers", "bnever", "cold", "jsmith"]
    );
    assert_eq!(
        passing(i, |f| f.text = "SMITH".into()),
        ["asmithers", "jsmith"]
    );
    assert_eq!(passing(i, |f| f.text = "jane smi".into()), ["jsmith"]);
    assert_eq!(passing(i, |f| f.text = "example.com cold".into()), ["cold"]);
    assert_eq!(passing(i, |f| f.role = "viewerRole".into()), ["jsmith"]);
    assert_eq!(passing(i, |f| f.user_type = "viewerUT".into()), ["bnever"]);
    assert_eq!(
        passing(i, |f| f.status = StatusFilter::Disabled),
        ["asmithers"]
    );
    assert_eq!(passing(i, |f| f.status = StatusFilter::Active).len(), 3);
    assert_eq!(passing(i, |f| f.provider = "enterprise".into()), ["cold"]);
    assert_eq!(
        passing(i, |f| f.group = "g2".into()),
        ["asmithers", "jsmith"]
    );
    assert_eq!(
        passing(i, |f| f.group = NO_GROUP.into()),
        ["bnever", "cold"]
    );
    assert!(passing(i, |f| f.group = "g-unknown".into()).is_empty());
    assert_eq!(
        passing(i, |f| f.license = "pro/*".into()),
        ["asmithers", "jsmith"]
    );
    assert_eq!(passing(i, |f| f.license = "bundle/b1".into()), ["jsmith"]);
    let not_advanced = passing(i, |f| {
        f.license = "pro/desktopAdvN".into();
        f.license_held = false;
    });
    assert_eq!(not_advanced, ["asmithers", "bnever", "cold"]);
    let last = |filter| passing(i, |f| f.last_login = filter);
    assert_eq!(last(LastLoginFilter::Never), ["bnever"]);
    assert_eq!(
        last(LastLoginFilter::NotSince { at: NOW - 90 * DAY }),
        ["bnever", "cold"]
    );
    let around_200_days = LastLoginFilter::Between {
        from: Some(NOW - 201 * DAY),
        until: Some(NOW - 199 * DAY),
    };
    assert_eq!(last(around_200_days), ["cold"]);
    let since_2_days = LastLoginFilter::Between {
        from: Some(NOW - 2 * DAY),
        until: None,
    };
    assert_eq!(last(since_2_days), ["asmithers", "jsmith"]);
}

#[test]
fn typing_on_and_deleting_give_what_a_full_pass_gives() {
    let index = MemberIndex::new(Arc::new(
        (0..300)
            .map(|i| {
                member(&format!("user{i}"), |m| {
                    m.full_name = ["Jane Smith", "Al Smithers", "Bo Lee", "Cy Jones"][i % 4].into();
                    m.disabled = i % 7 == 0;
                })
            })
            .collect(),
    ));
    let steps = [
        "s",
        "sm",
        "smi",
        "smith",
        "smithe",
        "smith",
        "smi",
        "",
        "j",
        "ja jones",
        "ja",
        "ja ",
        "user1",
        "user12 smith",
    ];
    for status in [StatusFilter::All, StatusFilter::Disabled] {
        for text in steps {
            let filter = MemberFilter {
                text: text.into(),
                status,
                ..MemberFilter::default()
            };
            let fresh = MemberIndex::new(index.members().clone());
            assert_eq!(
                names(&index, filter.clone()),
                names(&fresh, filter),
                "{text:?}"
            );
        }
    }
    // Only the results on the way to the last text are kept: "", "user1", "user12 smith".
    assert_eq!(index.narrowing.lock().unwrap().results.len(), 3);
}

#[test]
fn sorts_by_a_column_either_way_with_ties_in_username_order() {
    let index = four();
    let by = |key, descending| {
        index
            .matching(&MemberFilter::default(), MemberSort { key, descending })
            .iter()
            .map(|&i| index.members()[i as usize].username.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by(SortKey::LastLogin, false),
        ["bnever", "cold", "asmithers", "jsmith"]
    );
    assert_eq!(by(SortKey::FullName, true)[0], "jsmith");
    assert_eq!(
        by(SortKey::Disabled, true),
        ["asmithers", "bnever", "cold", "jsmith"]
    );
    assert_eq!(
        by(SortKey::UserTypeName, false),
        ["asmithers", "cold", "jsmith", "bnever"]
    );
}

#[test]
fn collates_without_case_and_numbers_as_numbers() {
    let mut names = vec!["user10", "User2", "user1", "alpha", "Beta", "user01b"];
    names.sort_by(|a, b| collate(a, b));
    assert_eq!(
        names,
        ["alpha", "Beta", "user1", "user01b", "User2", "user10"]
    );
    let mut names = vec!["Zoe", "Emma", "Élodie", "eliza", "Øystein", "Ángel", "Ozzy"];
    names.sort_by(|a, b| collate(a, b));
    // Accents folded ("Élodie" with the E's); a letter of its own (Ø) stays where it is.
    assert_eq!(
        names,
        ["Ángel", "eliza", "Élodie", "Emma", "Ozzy", "Zoe", "Øystein"]
    );
}

#[test]
fn counts_the_values_the_filters_offer() {
    let facets = four().facets();
    assert_eq!(
        facets.roles[0],
        Facet {
            id: "org_user".into(),
            name: "User".into(),
            count: 3
        }
    );
    assert_eq!(
        facets
            .user_types
            .iter()
            .map(|f| f.count)
            .collect::<Vec<_>>(),
        [3, 1]
    );
    let groups: Vec<(&str, u32)> = facets
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.count))
        .collect();
    assert_eq!(groups, [("g1", 1), ("g2", 2)]);
    assert_eq!(facets.no_group, 2);
    let licenses: Vec<(&str, u32)> = facets
        .licenses
        .iter()
        .map(|l| (l.id.as_str(), l.count))
        .collect();
    assert_eq!(
        licenses,
        [
            ("bundle/b1", 1),
            ("pro/*", 2),
            ("pro/3DAnalystN", 1),
            ("pro/desktopAdvN", 1),
            ("pro/desktopBasicN", 1)
        ]
    );
}
