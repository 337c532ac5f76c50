//! The query engine's tests: every filter, narrowing as a person types, the sorts, the
//! collation and the facet counts.

use super::*;
use portal_client::{BaseRole, ProfileVisibility};

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_795_910_400_000;

fn member(username: &str, change: impl FnOnce(&mut Member)) -> Member {
    let mut m = Member {
        username: username.into(),
        full_name: username.to_uppercase(),
        first_name: username.into(),
        last_name: String::new(),
        email: format!("{username}@example.com"),
        role: BaseRole::User,
        role_id: "org_user".into(),
        role_name: "User".into(),
        user_type: "creatorUT".into(),
        user_type_name: "Creator".into(),
        disabled: false,
        last_login: Some(NOW - DAY),
        created: NOW - 400 * DAY,
        provider: "arcgis".into(),
        idp_username: None,
        description: String::new(),
        access: ProfileVisibility::Org,
        groups: Vec::new(),
        credits: None,
        licenses: Vec::new(),
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

#[test]
fn filters_by_every_control() {
    let index = four();
    let f = MemberFilter::default;
    assert_eq!(
        names(&index, f()),
        ["asmithers", "bnever", "cold", "jsmith"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                text: "SMITH".into(),
                ..f()
            }
        ),
        ["asmithers", "jsmith"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                text: "jane smi".into(),
                ..f()
            }
        ),
        ["jsmith"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                text: "example.com cold".into(),
                ..f()
            }
        ),
        ["cold"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                role: "viewerRole".into(),
                ..f()
            }
        ),
        ["jsmith"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                user_type: "viewerUT".into(),
                ..f()
            }
        ),
        ["bnever"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                status: StatusFilter::Disabled,
                ..f()
            }
        ),
        ["asmithers"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                status: StatusFilter::Active,
                ..f()
            }
        )
        .len(),
        3
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                provider: "enterprise".into(),
                ..f()
            }
        ),
        ["cold"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                group: "g2".into(),
                ..f()
            }
        ),
        ["asmithers", "jsmith"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                group: NO_GROUP.into(),
                ..f()
            }
        ),
        ["bnever", "cold"]
    );
    assert!(names(
        &index,
        MemberFilter {
            group: "g-unknown".into(),
            ..f()
        }
    )
    .is_empty());
    assert_eq!(
        names(
            &index,
            MemberFilter {
                license: "pro/*".into(),
                ..f()
            }
        ),
        ["asmithers", "jsmith"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                license: "bundle/b1".into(),
                ..f()
            }
        ),
        ["jsmith"]
    );
    assert_eq!(
        names(
            &index,
            MemberFilter {
                license: "pro/desktopAdvN".into(),
                license_held: false,
                ..f()
            }
        ),
        ["asmithers", "bnever", "cold"]
    );
    let last = |last_login| MemberFilter { last_login, ..f() };
    assert_eq!(names(&index, last(LastLoginFilter::Never)), ["bnever"]);
    assert_eq!(
        names(
            &index,
            last(LastLoginFilter::NotSince { at: NOW - 90 * DAY })
        ),
        ["bnever", "cold"]
    );
    let between = LastLoginFilter::Between {
        from: Some(NOW - 201 * DAY),
        until: Some(NOW - 199 * DAY),
    };
    assert_eq!(names(&index, last(between)), ["cold"]);
    let open = LastLoginFilter::Between {
        from: Some(NOW - 2 * DAY),
        until: None,
    };
    assert_eq!(names(&index, last(open)), ["asmithers", "jsmith"]);
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
