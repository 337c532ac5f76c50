//! The dry run of a 10,000-row members file against a 100,000-member organization, on its own
//! (bench/import.sh runs this): reading the file (encoding, separator, quoting) and planning
//! every row (the cache lookups, ArcGIS's username, password and email rules, role and user
//! type names and compatibility, groups, seats, duplicates inside the file).
//!
//! ```text
//! cargo run --release -p console-core --example import_dry_run [-- ROWS MEMBERS]
//! ```
//! The file mixes what an HR export holds: updates of existing members (role, user type,
//! names, groups), new members with passwords, invitations and a few bad rows. Five runs; the
//! last line is `rows=N members=M create=C invite=I update=U unchanged=S invalid=E
//! median_ms=T min_ms=T max_ms=T`.

use std::fmt::Write as _;
use std::time::Instant;

use console_core::import::plan::{dry_run, Context};
use console_core::licenses::{Offers, TypeOffer};
use console_core::members::{Member, Names};
use console_core::GroupSummary;
use portal_client::{BaseRole, ProfileVisibility, Role, UserType};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("ROWS and MEMBERS are numbers"))
        .collect();
    let rows = args.first().copied().unwrap_or(10_000);
    let count = args.get(1).copied().unwrap_or(100_000);
    let types = [
        ("creatorUT", "Creator", "org_admin"),
        ("viewerUT", "Viewer", "viewer"),
        ("editorUT", "Contributor", "org_user"),
    ];
    let names = Names::new(
        &[Role {
            id: "iAAAAAAAAAAAAAAA".into(),
            name: "Viewer".into(),
            description: None,
            privileges: Some(vec!["portal:user:joinGroup".into()]),
        }],
        &types
            .iter()
            .map(|(id, name, max)| UserType {
                id: (*id).into(),
                name: (*name).into(),
                description: None,
                max_role: Some((*max).into()),
            })
            .collect::<Vec<_>>(),
    );
    let groups: Vec<GroupSummary> = (0..200)
        .map(|g| GroupSummary {
            id: format!("{g:032x}"),
            title: format!("Team {g}"),
            owner: "admin".into(),
            access: "org".into(),
        })
        .collect();
    let members: Vec<Member> = (0..count)
        .map(|i| {
            let (t, tn, _) = types[i % 3];
            let role = if t == "viewerUT" {
                "iAAAAAAAAAAAAAAA"
            } else {
                "org_user"
            };
            Member {
                username: format!("member_{i:06}"),
                full_name: format!("Member {i}"),
                first_name: "Member".into(),
                last_name: format!("{i}"),
                email: format!("member.{i}@example.com"),
                role: BaseRole::User,
                role_id: role.into(),
                role_name: names.role_name(role).into(),
                user_type: t.into(),
                user_type_name: tn.into(),
                disabled: false,
                last_login: None,
                created: 0,
                provider: "arcgis".into(),
                idp_username: None,
                description: String::new(),
                access: ProfileVisibility::default(),
                groups: vec![groups[i % 200].id.as_str().into()],
                credits: None,
                licenses: Vec::new(),
            }
        })
        .collect();
    let offers = Offers {
        user_types: vec![TypeOffer {
            id: "creatorUT".into(),
            name: "Creator".into(),
            // Room for every row that asks for a Creator seat (the seat check still runs).
            purchased: Some(u32::try_from(count / 3 + rows).unwrap_or(u32::MAX)),
            invited: 0,
        }],
        ..Offers::default()
    };
    // 40% updates, 40% creates, 10% invitations, 10% bad rows.
    let mut file =
        String::from("Username,First Name,Last Name,Email,Role,User Type,Groups,Password\n");
    for r in 0..rows {
        let line = match r % 10 {
            0..=3 => {
                let m = (r * 7919) % count;
                format!("member_{m:06},Member,{m},,Publisher,Creator,Team {};Team {},\n", m % 200, r % 200)
            }
            4..=7 => format!(
                "new_person_{r:05},New,Person {r},new.{r}@example.com,User,Creator,Team {},Secret-pass-{r}\n",
                r % 200
            ),
            8 => format!(",,,invitee.{r}@example.com,Viewer,Viewer,,\n"),
            _ => format!("bad {r},Bad,Row,not-an-email,Chief,Creator,Nowhere,short\n"),
        };
        file.push_str(&line);
    }
    let cx = Context {
        members: &members,
        names: &names,
        groups: &groups,
        offers: Some(&offers),
        online: true,
    };
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let started = Instant::now();
        let plan = dry_run(file.as_bytes(), &cx).expect("the file reads");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(plan);
    }
    times.sort_by(f64::total_cmp);
    let plan = last.expect("five runs");
    let mut out = String::new();
    let _ = write!(
        out,
        "rows={} members={count} create={} invite={} update={} unchanged={} invalid={} median_ms={:.1} min_ms={:.1} max_ms={:.1}",
        plan.rows.len(),
        plan.create,
        plan.invite,
        plan.update,
        plan.unchanged,
        plan.invalid,
        times[2],
        times[0],
        times[4]
    );
    println!("{out}");
}
