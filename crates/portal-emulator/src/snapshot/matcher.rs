//! A search query compiled against the members' copy ([`Matcher`]), and the globs (`*`, `?`)
//! it compares text with: compiled once per request, then tried on every member.
//!
//! What is deliberately not here: parsing `q` (`query`) and the order and paging of results
//! (`Snapshot::page`).

use super::{Entry, Snapshot};
use crate::query::{Expr, Value as QValue};
use crate::users::visibility::{may_read, record_field, Reader, Viewer};

#[derive(Debug, Clone)]
pub struct Glob {
    /// The lower-cased pattern.
    text: String,
    wild: bool,
    /// `text` with `*` around it, for matches anywhere.
    anywhere: String,
    /// A plain prefix pattern (`abc*`), the common case, matched without the glob engine.
    prefix: Option<String>,
    /// A substring searcher for patterns without wildcards, built once.
    finder: memchr::memmem::Finder<'static>,
}

impl Glob {
    fn new(pattern: &str) -> Self {
        let text = pattern.to_lowercase();
        let wild = text.contains(['*', '?']);
        let prefix = text
            .strip_suffix('*')
            .filter(|p| !p.contains(['*', '?']))
            .map(String::from);
        let finder = memchr::memmem::Finder::new(text.as_bytes()).into_owned();
        Glob {
            anywhere: format!("*{text}*"),
            text,
            wild,
            prefix,
            finder,
        }
    }

    /// Whole-string match.
    fn matches(&self, text: &str) -> bool {
        if !self.wild {
            return text == self.text;
        }
        if let Some(p) = &self.prefix {
            return text.starts_with(p.as_str());
        }
        glob(self.text.as_bytes(), text.as_bytes())
    }

    /// Match anywhere in the text.
    fn contained_in(&self, text: &str) -> bool {
        if !self.wild {
            return self.finder.find(text.as_bytes()).is_some();
        }
        glob(self.anywhere.as_bytes(), text.as_bytes())
    }
}

/// Glob matching; byte-wise for ASCII, by characters otherwise (so `?` is one character).
fn glob(p: &[u8], t: &[u8]) -> bool {
    if p.is_ascii() && t.is_ascii() {
        return glob_units(p, t);
    }
    let p: Vec<char> = String::from_utf8_lossy(p).chars().collect();
    let t: Vec<char> = String::from_utf8_lossy(t).chars().collect();
    glob_units(&p, &t)
}

/// Iterative glob matching with one backtrack point (linear in practice).
fn glob_units<T: PartialEq + Copy + Into<u32>>(p: &[T], t: &[T]) -> bool {
    let star = |c: T| c.into() == u32::from('*');
    let any = |c: T| c.into() == u32::from('?');
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut back, mut mark) = (None, 0usize);
    while ti < t.len() {
        if pi < p.len() && (any(p[pi]) || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && star(p[pi]) {
            back = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = back {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && star(p[pi]) {
        pi += 1;
    }
    pi == p.len()
}

/// A compiled query: what a member must satisfy.
pub enum Matcher {
    All,
    Nothing,
    And(Vec<Matcher>),
    Or(Vec<Matcher>),
    Not(Box<Matcher>),
    /// Free text with wildcards; `bool`: the email is searched too (the reader reads it).
    FreeText(Glob, bool),
    /// Free text without wildcards, answered for every member at compile time.
    FreeTextHits(Vec<bool>, Option<Glob>),
    Exact(TextField, Glob),
    Contains(TextField, Glob),
    RoleIs(Glob),
    /// Given this app bundle (its id, however the query named it).
    Bundle(&'static str),
    Disabled(bool),
    Number(NumField, Option<i64>, Option<i64>, bool),
    /// The accounts the viewer may see at all.
    Visible(Viewer),
}

/// Text fields a matcher reads.
#[derive(Debug, Clone, Copy)]
pub enum TextField {
    Username,
    Id,
    Full,
    First,
    Last,
    Email,
    Desc,
    Tags,
    Provider,
    Type,
}

/// Numeric fields a matcher reads.
#[derive(Debug, Clone, Copy)]
pub enum NumField {
    Created,
    Modified,
    LastLogin,
}

fn bound(b: &Option<String>) -> Option<i64> {
    b.as_ref().map(|s| {
        let n = s.trim_start_matches('0');
        if n.is_empty() {
            0
        } else {
            n.parse().unwrap_or(i64::MAX)
        }
    })
}

impl Matcher {
    /// `reader` is how the caller stands toward the members searched: a term on a field they
    /// may not read matches nothing (search refuses such queries before they get here).
    pub(super) fn compile(
        expr: &Expr,
        org_id: &str,
        reader: Reader,
        snapshot: &Snapshot,
    ) -> Matcher {
        let admin = may_read(reader, "email");
        match expr {
            Expr::All => Matcher::All,
            Expr::And(items) => Matcher::And(
                items
                    .iter()
                    .map(|i| Self::compile(i, org_id, reader, snapshot))
                    .collect(),
            ),
            Expr::Or(items) => Matcher::Or(
                items
                    .iter()
                    .map(|i| Self::compile(i, org_id, reader, snapshot))
                    .collect(),
            ),
            Expr::Not(inner) => {
                Matcher::Not(Box::new(Self::compile(inner, org_id, reader, snapshot)))
            }
            Expr::Match { field, value } => {
                let text = match value {
                    QValue::Term(t) | QValue::Phrase(t) => Some(t.as_str()),
                    QValue::Range { .. } => None,
                };
                let numeric = |f: NumField| match value {
                    QValue::Range {
                        from,
                        to,
                        inclusive,
                    } => Matcher::Number(f, bound(from), bound(to), *inclusive),
                    QValue::Term(t) | QValue::Phrase(t) => match t.parse::<i64>() {
                        Ok(n) => Matcher::Number(f, Some(n), Some(n), true),
                        Err(_) => Matcher::Nothing,
                    },
                };
                let exact = |f: TextField| {
                    text.map_or(Matcher::Nothing, |t| Matcher::Exact(f, Glob::new(t)))
                };
                let contains = |f: TextField| {
                    text.map_or(Matcher::Nothing, |t| Matcher::Contains(f, Glob::new(t)))
                };
                match field.as_deref() {
                    None => match text {
                        Some("*") => Matcher::All,
                        Some(t) => {
                            let g = Glob::new(t);
                            if g.wild || g.text.contains('\0') || g.text.is_empty() {
                                Matcher::FreeText(g, admin)
                            } else {
                                let hits = snapshot.free_text_hits(&g.text);
                                Matcher::FreeTextHits(hits, admin.then_some(g))
                            }
                        }
                        None => Matcher::Nothing,
                    },
                    Some(f) if record_field(f).is_some_and(|rf| !may_read(reader, rf)) => {
                        Matcher::Nothing
                    }
                    Some("username") => exact(TextField::Username),
                    Some("id") => exact(TextField::Id),
                    Some("fullname" | "full_name") => contains(TextField::Full),
                    Some("firstname") => contains(TextField::First),
                    Some("lastname") => contains(TextField::Last),
                    Some("description") => contains(TextField::Desc),
                    Some("tags") => contains(TextField::Tags),
                    Some("email") => exact(TextField::Email),
                    Some("role" | "roleid") => {
                        text.map_or(Matcher::Nothing, |t| Matcher::RoleIs(Glob::new(t)))
                    }
                    Some("provider") => exact(TextField::Provider),
                    Some("userlicensetype" | "userlicensetypeid" | "usertype") => {
                        exact(TextField::Type)
                    }
                    // A bundle by its id or its item id (Esri's Python client sends the latter).
                    Some("appbundle" | "appbundles") => text
                        .and_then(crate::licenses::catalog::bundle)
                        .map_or(Matcher::Nothing, |b| Matcher::Bundle(b.id)),
                    Some("disabled") => match text.map(str::to_ascii_lowercase).as_deref() {
                        Some("true") => Matcher::Disabled(true),
                        Some("false") => Matcher::Disabled(false),
                        _ => Matcher::Nothing,
                    },
                    Some("accountid" | "orgid") => match text {
                        Some(t) if t == "*" || t.eq_ignore_ascii_case(org_id) => Matcher::All,
                        _ => Matcher::Nothing,
                    },
                    Some("created") => numeric(NumField::Created),
                    Some("modified") => numeric(NumField::Modified),
                    Some("lastlogin") => numeric(NumField::LastLogin),
                    Some(_) => Matcher::Nothing,
                }
            }
        }
    }

    /// Adds the rule of which accounts the viewer sees (`users::visibility`).
    pub fn visible_to(self, viewer: Viewer) -> Matcher {
        if viewer.sees_all() {
            self
        } else {
            Matcher::And(vec![self, Matcher::Visible(viewer)])
        }
    }

    fn text(e: &Entry, f: TextField) -> &str {
        match f {
            TextField::Username => &e.lc_username,
            TextField::Id => &e.user.id,
            TextField::Full => &e.lc_full,
            TextField::First => &e.lc_first,
            TextField::Last => &e.lc_last,
            TextField::Email => &e.lc_email,
            TextField::Desc => &e.lc_desc,
            TextField::Tags => &e.lc_tags,
            TextField::Provider => &e.lc_provider,
            TextField::Type => &e.lc_type,
        }
    }

    /// Whether member `e`, at position `i` of the copy, matches.
    pub fn matches(&self, i: usize, e: &Entry) -> bool {
        match self {
            Matcher::All => true,
            Matcher::Nothing => false,
            Matcher::And(items) => items.iter().all(|m| m.matches(i, e)),
            Matcher::Or(items) => items.iter().any(|m| m.matches(i, e)),
            Matcher::Not(inner) => !inner.matches(i, e),
            Matcher::FreeText(g, admin) => {
                let in_names = if g.wild {
                    g.contained_in(&e.lc_username) || g.contained_in(&e.lc_full)
                } else {
                    // One search over both names: the query has no newline to span them.
                    g.contained_in(&e.lc_free)
                };
                in_names || (*admin && g.matches(&e.lc_email))
            }
            Matcher::FreeTextHits(hits, email) => {
                hits[i] || email.as_ref().is_some_and(|g| g.matches(&e.lc_email))
            }
            Matcher::Exact(f, g) => g.matches(Self::text(e, *f)),
            Matcher::Contains(f, g) => g.contained_in(Self::text(e, *f)),
            Matcher::RoleIs(g) => g.matches(&e.lc_role) || g.matches(&e.lc_role_id),
            Matcher::Bundle(id) => e.user.app_bundles.iter().any(|b| b == id),
            Matcher::Disabled(d) => e.user.disabled == *d,
            Matcher::Number(f, lo, hi, inclusive) => {
                let v = match f {
                    NumField::Created => e.user.created,
                    NumField::Modified => e.user.modified,
                    NumField::LastLogin => e.user.last_login,
                };
                let lo_ok = lo.is_none_or(|l| if *inclusive { v >= l } else { v > l });
                let hi_ok = hi.is_none_or(|h| if *inclusive { v <= h } else { v < h });
                lo_ok && hi_ok
            }
            Matcher::Visible(viewer) => viewer.sees(&e.user.access, &e.lc_username),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    fn g(p: &str, t: &str) -> bool {
        glob(p.as_bytes(), t.as_bytes())
    }

    #[test]
    fn globs_match_stars_and_question_marks() {
        assert!(g("j*", "jsmith"));
        assert!(g("*smith", "jsmith"));
        assert!(g("j?mith", "jsmith"));
        assert!(!g("j?mith", "jssmith"));
        assert!(g("*a*b*c*", "xxaxxbxxcxx"));
        assert!(!g("*a*b*c*d", "xxaxxbxxcxx"));
        assert!(g("*", ""));
        assert!(g("m?ller", "müller"), "? is one character, not one byte");
    }
}
