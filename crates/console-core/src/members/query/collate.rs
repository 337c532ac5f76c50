//! Text order as people read it, for the members table's sorts and the facets' names.

use std::cmp::Ordering;
use std::iter::Peekable;

/// Text order as people read it: case and accents ignored, and runs of digits compared as
/// numbers ("user2" before "user10", "Élodie" with the E's), as the web view's
/// `Intl.Collator` (base sensitivity, numeric) sorts them.
pub fn collate(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return collate_chars(a.chars().peekable(), b.chars().peekable());
    }
    collate_chars(folded(a).peekable(), folded(b).peekable())
}

/// The characters of `s` without their accents: decomposed (NFD), combining marks dropped.
fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    icu_normalizer::DecomposingNormalizerBorrowed::new_nfd()
        .normalize_iter(s.chars())
        .filter(|c| !is_combining_mark(*c))
}

/// The combining diacritical marks of the Latin, Greek and Cyrillic scripts and their
/// supplements.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn collate_chars<A, B>(mut a: Peekable<A>, mut b: Peekable<B>) -> Ordering
where
    A: Iterator<Item = char>,
    B: Iterator<Item = char>,
{
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (x, y) = (digits(&mut a), digits(&mut b));
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                let c = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
                if c != Ordering::Equal {
                    return c;
                }
            }
            (Some(x), Some(y)) => {
                let c = x.to_lowercase().cmp(y.to_lowercase());
                if c != Ordering::Equal {
                    return c;
                }
                a.next();
                b.next();
            }
        }
    }
}

fn digits(chars: &mut Peekable<impl Iterator<Item = char>>) -> String {
    let mut out = String::new();
    while let Some(c) = chars.next_if(char::is_ascii_digit) {
        out.push(c);
    }
    out
}
