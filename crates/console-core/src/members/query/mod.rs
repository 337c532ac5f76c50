//! Filtering and sorting the cached members in Rust, so that only the rows a table shows need
//! to cross into the web view (docs/memory.md: 100,000 members as JavaScript objects cost the
//! web process 100 to 190 MiB).
//!
//! The same filters as the members page's controls, with the same meaning:
//! - `text`: every word, ignoring case, in the username, full name or email;
//! - role, user type, provider: equal ids; status: active or disabled;
//! - last sign-in: never, not since a moment (never counts), or between two moments (the web
//!   view turns the person's local days into epoch ms);
//! - a group (or no group at all), a license held or not held (`<item id>/*`: anything of it).
//!
//! A [`MemberIndex`] is built once per set of cached rows: the search text of every member in
//! one lower-cased string, and each sort order when first asked for. Typing on narrows the
//! last result, and deleting goes back to a result on the way, as the web view's filter did.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::Member;

mod collate;
pub use collate::collate;

/// The group filter's value for members of no group.
pub const NO_GROUP: &str = "(none)";

/// Who the table shows.
#[derive(Debug, Clone, PartialEq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberFilter {
    /// Words that must all appear in the username, full name or email, in any case.
    pub text: String,
    /// A role id (custom roles too); empty for any.
    pub role: String,
    /// A user type id; empty for any.
    pub user_type: String,
    pub status: StatusFilter,
    pub last_login: LastLoginFilter,
    /// `arcgis` or `enterprise`; empty for any.
    pub provider: String,
    /// A group id, [`NO_GROUP`], or empty for any.
    pub group: String,
    /// A license key (`<item id>/<entitlement>`, `<item id>/*`, `bundle/<id>`); empty for any.
    pub license: String,
    /// With a license: the members who hold it (true), or who do not (false).
    pub license_held: bool,
}

impl Default for MemberFilter {
    fn default() -> Self {
        MemberFilter {
            text: String::new(),
            role: String::new(),
            user_type: String::new(),
            status: StatusFilter::All,
            last_login: LastLoginFilter::Any,
            provider: String::new(),
            group: String::new(),
            license: String::new(),
            license_held: true,
        }
    }
}

/// Active, disabled, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum StatusFilter {
    #[default]
    All,
    Active,
    Disabled,
}

/// The last sign-in a member must have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LastLoginFilter {
    #[default]
    Any,
    /// Never signed in.
    Never,
    /// Not signed in since `at` (epoch ms): last before it, or never.
    NotSince {
        #[specta(type = f64)]
        at: i64,
    },
    /// Last signed in at or after `from` and before `until` (epoch ms; either open).
    Between {
        #[specta(type = Option<f64>)]
        from: Option<i64>,
        #[specta(type = Option<f64>)]
        until: Option<i64>,
    },
}

/// A column the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SortKey {
    Username,
    FullName,
    Email,
    RoleName,
    UserTypeName,
    Disabled,
    LastLogin,
    Created,
}

/// A sort: by a column, either way; ties keep username order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberSort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for MemberSort {
    fn default() -> Self {
        MemberSort {
            key: SortKey::Username,
            descending: false,
        }
    }
}

/// A value a filter offers, with how many members have it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Facet {
    pub id: String,
    pub name: String,
    pub count: u32,
}

/// How many members have each value the filters offer (over every member).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberFacets {
    /// Roles, most common first.
    pub roles: Vec<Facet>,
    /// User types, most common first.
    pub user_types: Vec<Facet>,
    /// Members per group id (groups with members only).
    pub groups: Vec<Facet>,
    /// Members of no group.
    pub no_group: u32,
    /// Holders per license key, and per `<item id>/*` (a member counted once per license).
    pub licenses: Vec<Facet>,
}

/// The cached members ready to be filtered and sorted.
pub struct MemberIndex {
    members: Arc<Vec<Member>>,
    /// Lower-cased `username \0 full name \0 email` of every member, one after another.
    text: String,
    /// Where each member's text starts in `text`, and where the last one ends.
    starts: Vec<u32>,
    /// Each sort asked for: member positions in that order.
    orders: Mutex<HashMap<MemberSort, Arc<Vec<u32>>>>,
    /// The results on the way to the last text, for the filters and sort they were made with.
    narrowing: Mutex<Narrowing>,
}

#[derive(Default)]
struct Narrowing {
    others: Option<(MemberFilter, MemberSort)>,
    /// (normalized text, positions that pass), each text a prefix of the next.
    results: Vec<(String, Arc<Vec<u32>>)>,
}

impl MemberIndex {
    pub fn new(members: Arc<Vec<Member>>) -> Self {
        // Room for the text at once (it is about this long), so that it is not grown by
        // doubling and left with up to twice the room it needs.
        let mut text = String::with_capacity(
            members
                .iter()
                .map(|m| m.username.len() + m.full_name.len() + m.email.len() + 2)
                .sum(),
        );
        let mut starts = Vec::with_capacity(members.len() + 1);
        for m in members.iter() {
            starts.push(offset(&text));
            for (i, part) in [&m.username, &m.full_name, &m.email]
                .into_iter()
                .enumerate()
            {
                if i > 0 {
                    text.push('\0');
                }
                text.extend(part.chars().flat_map(char::to_lowercase));
            }
        }
        starts.push(offset(&text));
        text.shrink_to_fit();
        MemberIndex {
            members,
            text,
            starts,
            orders: Mutex::new(HashMap::new()),
            narrowing: Mutex::new(Narrowing::default()),
        }
    }

    /// The rows this index was built from.
    pub fn members(&self) -> &Arc<Vec<Member>> {
        &self.members
    }

    /// The positions of the members that pass `filter`, in `sort`'s order.
    pub fn matching(&self, filter: &MemberFilter, sort: MemberSort) -> Arc<Vec<u32>> {
        let text = normalized(&filter.text);
        let others = (
            MemberFilter {
                text: String::new(),
                ..filter.clone()
            },
            sort,
        );
        let mut narrowing = self.narrowing.lock().expect("narrowing lock");
        if narrowing.others.as_ref() != Some(&others) {
            narrowing.others = Some(others);
            narrowing.results.clear();
        }
        narrowing
            .results
            .retain(|(done, _)| text.starts_with(done.as_str()));
        if let Some((done, result)) = narrowing.results.last() {
            if *done == text {
                return result.clone();
            }
        }
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        let result = match narrowing.results.last() {
            // Typing on: only the members of the last result can still pass.
            Some((_, base)) => self.passing(base.iter().copied(), filter, &words),
            None => {
                let order = self.order(sort);
                self.passing(order.iter().copied(), filter, &words)
            }
        };
        let result = Arc::new(result);
        narrowing.results.push((text, result.clone()));
        result
    }

    fn passing(
        &self,
        from: impl Iterator<Item = u32>,
        filter: &MemberFilter,
        words: &[&str],
    ) -> Vec<u32> {
        from.filter(|&i| {
            let m = &self.members[i as usize];
            passes(m, filter) && {
                let hay = self.search_text(i);
                words.iter().all(|w| hay.contains(w))
            }
        })
        .collect()
    }

    fn search_text(&self, i: u32) -> &str {
        let (start, end) = (self.starts[i as usize], self.starts[i as usize + 1]);
        &self.text[start as usize..end as usize]
    }

    /// Every member's position in `sort`'s order, made once per sort.
    fn order(&self, sort: MemberSort) -> Arc<Vec<u32>> {
        if let Some(order) = self.orders.lock().expect("orders lock").get(&sort) {
            return order.clone();
        }
        let members = &self.members;
        let mut order: Vec<u32> = (0..offset_len(members.len())).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&members[a as usize], &members[b as usize]);
            let c = compare(a, b, sort.key);
            let c = if sort.descending { c.reverse() } else { c };
            c.then_with(|| collate(&a.username, &b.username))
        });
        let order = Arc::new(order);
        self.orders
            .lock()
            .expect("orders lock")
            .insert(sort, order.clone());
        order
    }

    /// How many members have each role, user type, group and license.
    pub fn facets(&self) -> MemberFacets {
        let mut roles: HashMap<&str, (&str, u32)> = HashMap::new();
        let mut types: HashMap<&str, (&str, u32)> = HashMap::new();
        let mut groups: HashMap<&str, u32> = HashMap::new();
        let mut licenses: HashMap<String, u32> = HashMap::new();
        let mut no_group = 0;
        for m in self.members.iter() {
            roles
                .entry(m.role_id.as_str())
                .or_insert((m.role_name.as_str(), 0))
                .1 += 1;
            types
                .entry(m.user_type.as_str())
                .or_insert((m.user_type_name.as_str(), 0))
                .1 += 1;
            if m.groups.is_empty() {
                no_group += 1;
            }
            for g in &m.groups {
                *groups.entry(g.as_str()).or_default() += 1;
            }
            let mut products: Vec<&str> = Vec::new();
            for key in &m.licenses {
                *licenses.entry(key.to_string()).or_default() += 1;
                if let Some((item, _)) = key.split_once('/') {
                    if item != "bundle" && !products.contains(&item) {
                        products.push(item);
                    }
                }
            }
            for item in products {
                *licenses.entry(format!("{item}/*")).or_default() += 1;
            }
        }
        let named = |counts: HashMap<&str, (&str, u32)>| {
            let mut list: Vec<Facet> = counts
                .into_iter()
                .map(|(id, (name, count))| Facet {
                    id: id.to_string(),
                    name: if !name.is_empty() {
                        name.to_string()
                    } else if !id.is_empty() {
                        id.to_string()
                    } else {
                        "(none)".to_string()
                    },
                    count,
                })
                .collect();
            list.sort_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then_with(|| collate(&a.name, &b.name))
            });
            list
        };
        let counted = |counts: Vec<(String, u32)>| {
            let mut list: Vec<Facet> = counts
                .into_iter()
                .map(|(id, count)| Facet {
                    name: id.clone(),
                    id,
                    count,
                })
                .collect();
            list.sort_by(|a, b| a.id.cmp(&b.id));
            list
        };
        MemberFacets {
            roles: named(roles),
            user_types: named(types),
            groups: counted(
                groups
                    .into_iter()
                    .map(|(g, n)| (g.to_string(), n))
                    .collect(),
            ),
            no_group,
            licenses: counted(licenses.into_iter().collect()),
        }
    }
}

fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).expect("search text under 4 GiB")
}

fn offset_len(n: usize) -> u32 {
    u32::try_from(n).expect("under 4 billion members")
}

/// The filter's text as it is matched: lower-cased words single-spaced, and a trailing space
/// kept (a finished word: "ann " is a prefix of "ann lee" but not of "anna").
fn normalized(text: &str) -> String {
    let lower: String = text.chars().flat_map(char::to_lowercase).collect();
    let mut out = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    if lower.ends_with(char::is_whitespace) && !out.is_empty() {
        out.push(' ');
    }
    out
}

/// Whether a member holds what a license key names (`<item id>/*`: anything of it).
pub fn holds(m: &Member, key: &str) -> bool {
    match key.strip_suffix('*') {
        Some(prefix) if prefix.ends_with('/') => m.licenses.iter().any(|k| k.starts_with(prefix)),
        _ => m.licenses.iter().any(|k| k == key),
    }
}

/// Every filter but the text.
fn passes(m: &Member, f: &MemberFilter) -> bool {
    if !f.role.is_empty() && m.role_id != f.role {
        return false;
    }
    if !f.user_type.is_empty() && m.user_type != f.user_type {
        return false;
    }
    match f.status {
        StatusFilter::Active if m.disabled => return false,
        StatusFilter::Disabled if !m.disabled => return false,
        _ => {}
    }
    if !f.provider.is_empty() && m.provider != f.provider {
        return false;
    }
    if f.group == NO_GROUP {
        if !m.groups.is_empty() {
            return false;
        }
    } else if !f.group.is_empty() && !m.groups.iter().any(|k| k == &f.group) {
        return false;
    }
    if !f.license.is_empty() && holds(m, &f.license) != f.license_held {
        return false;
    }
    match (f.last_login, m.last_login) {
        (LastLoginFilter::Any, _) => true,
        (LastLoginFilter::Never, last) => last.is_none(),
        (LastLoginFilter::NotSince { at }, last) => last.is_none_or(|t| t < at),
        (LastLoginFilter::Between { .. }, None) => false,
        (LastLoginFilter::Between { from, until }, Some(t)) => {
            from.is_none_or(|f| t >= f) && until.is_none_or(|u| t < u)
        }
    }
}

/// Two members by a column, ascending; "never" signed in sorts before any date.
fn compare(a: &Member, b: &Member, key: SortKey) -> Ordering {
    match key {
        SortKey::Username => collate(&a.username, &b.username),
        SortKey::FullName => collate(&a.full_name, &b.full_name),
        SortKey::Email => collate(&a.email, &b.email),
        SortKey::RoleName => collate(&a.role_name, &b.role_name),
        SortKey::UserTypeName => collate(&a.user_type_name, &b.user_type_name),
        SortKey::Disabled => a.disabled.cmp(&b.disabled),
        SortKey::LastLogin => a.last_login.unwrap_or(-1).cmp(&b.last_login.unwrap_or(-1)),
        SortKey::Created => a.created.cmp(&b.created),
    }
}

#[cfg(test)]
mod tests;
