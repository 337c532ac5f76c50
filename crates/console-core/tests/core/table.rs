//! The members table's questions, answered from the cache: windows of a filter's members in
//! order, the usernames it shows, the facet counts and one member; an edit shows in the next
//! answer, and nothing is answered once signed out.

use console_core::members::query::{collate, MemberFilter, MemberSort, SortKey};
use console_core::{Error, MemberEdit};

use crate::support::loaded_demo;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_reads_windows_of_a_filter_in_order() {
    let (_dir, console, members) = loaded_demo().await;
    let everyone = MemberFilter::default();
    let by_name = MemberSort::default();

    let first = console
        .member_page(everyone.clone(), by_name, 0, 50)
        .await
        .unwrap();
    assert_eq!(
        (first.total, first.matched, first.rows.len()),
        (501, 501, 50),
        "a window of 50 of the 501 members"
    );
    let names = console
        .matching_usernames(everyone.clone(), by_name)
        .await
        .unwrap();
    assert_eq!(names.len(), 501, "every username, once");
    assert!(
        names.windows(2).all(|w| collate(&w[0], &w[1]).is_le()),
        "in username order"
    );
    let last = console
        .member_page(everyone.clone(), by_name, 480, 50)
        .await
        .unwrap();
    assert_eq!(
        (last.offset, last.rows.len()),
        (480, 21),
        "the last window stops at the end"
    );
    let windows: Vec<&str> = first
        .rows
        .iter()
        .chain(&last.rows)
        .map(|m| m.username.as_str())
        .collect();
    let expected: Vec<&str> = names[..50]
        .iter()
        .chain(&names[480..])
        .map(String::as_str)
        .collect();
    assert_eq!(windows, expected, "the windows are slices of one order");
    let beyond = console
        .member_page(everyone.clone(), by_name, 600, 50)
        .await
        .unwrap();
    assert!(
        beyond.rows.is_empty(),
        "past the end: no rows, still the counts"
    );
    assert_eq!(beyond.matched, 501);

    // A filter and a sort, newest sign-in first.
    let viewers = MemberFilter {
        user_type: "viewerUT".into(),
        ..MemberFilter::default()
    };
    let newest = MemberSort {
        key: SortKey::LastLogin,
        descending: true,
    };
    let page = console
        .member_page(viewers.clone(), newest, 0, 1000)
        .await
        .unwrap();
    let expected = members.iter().filter(|m| m.user_type == "viewerUT").count();
    assert!(expected > 0, "the demo org has viewers");
    assert_eq!(page.matched as usize, expected, "only viewers");
    assert!(page.rows.iter().all(|m| m.user_type == "viewerUT"));
    assert!(
        page.rows
            .windows(2)
            .all(|w| w[0].last_login.unwrap_or(-1) >= w[1].last_login.unwrap_or(-1)),
        "most recent sign-in first"
    );

    let facets = console.member_facets().await.unwrap();
    let viewer_facet = facets
        .user_types
        .iter()
        .find(|f| f.id == "viewerUT")
        .unwrap();
    assert_eq!(
        viewer_facet.count as usize, expected,
        "the facet counts the same viewers"
    );
    assert_eq!(
        facets.roles.iter().map(|f| f.count).sum::<u32>(),
        501,
        "every member has one role"
    );

    let one = &names[7];
    let found = console
        .member(&one.to_uppercase())
        .await
        .unwrap()
        .expect("cached");
    assert_eq!(&found.username, one, "found in any case");
    assert!(console.member("nobody_here").await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_shows_in_the_next_answer_and_signing_out_ends_them() {
    let (_dir, console, members) = loaded_demo().await;
    let viewer = members
        .iter()
        .find(|m| m.user_type == "viewerUT")
        .unwrap()
        .clone();
    let ada = MemberFilter {
        text: "ada zzlovelace".into(),
        ..MemberFilter::default()
    };
    let before = console
        .member_page(ada.clone(), MemberSort::default(), 0, 50)
        .await
        .unwrap();
    assert_eq!(before.matched, 0, "nobody is called that yet");
    console
        .update_member(MemberEdit {
            username: viewer.username.clone(),
            first_name: "Ada".into(),
            last_name: "Zzlovelace".into(),
            email: viewer.email.clone(),
            description: viewer.description.clone(),
            access: viewer.access,
            role_id: viewer.role_id.to_string(),
            user_type: viewer.user_type.to_string(),
            credits: viewer.credits,
        })
        .await
        .unwrap();
    let after = console
        .member_page(ada, MemberSort::default(), 0, 50)
        .await
        .unwrap();
    let shown: Vec<&str> = after.rows.iter().map(|m| m.username.as_str()).collect();
    assert_eq!(
        shown,
        [viewer.username.as_str()],
        "the edited member, found by the new name"
    );

    console.sign_out().await.unwrap();
    let err = console
        .member_page(MemberFilter::default(), MemberSort::default(), 0, 50)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NoSession),
        "no answers once signed out: {err:?}"
    );
}
