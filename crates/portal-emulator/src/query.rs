//! The search syntax of `q` and `filter` (docs/PORTAL-API.md, Users > search syntax): terms,
//! `"phrases"`, `field:value`,
//! `AND`/`OR`/`NOT`, `+`/`-`, parentheses, `*`/`?` wildcards, `[a TO b]` ranges and `^n` boosts,
//! parsed with `nom` into an [`Expr`]. Terms next to each other without an operator are ANDed,
//! which is what Esri's clients rely on when they append ` accountid:<org>` to a query.
//!
//! Bounded work: a query is at most [`MAX_QUERY_LEN`] bytes, nests parentheses at most
//! [`MAX_DEPTH`] deep (counted by the recursive descent itself, so the stack a parse uses is
//! bounded whatever the text holds) and compares at most [`MAX_TERMS`] values. Anything else,
//! and anything that does not parse, is a 400 in the portal's error envelope.
//!
//! What is deliberately not here: evaluating the expression, which is per resource: members
//! are matched in memory (`snapshot::Matcher`), groups in SQL (`groups`, search).

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, multispace0, multispace1};
use nom::combinator::{all_consuming, eof, map, opt, recognize, value, verify};
use nom::error::ErrorKind;
use nom::multi::many0;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use crate::error::{PortalError, Result};
use crate::params::truncate;

/// The longest query accepted.
pub const MAX_QUERY_LEN: usize = 8192;
/// The deepest nesting of parentheses accepted, counted by the parser as it descends.
pub const MAX_DEPTH: usize = 32;
/// The most values one query may compare (`a OR b OR ...`).
pub const MAX_TERMS: usize = 1024;

/// A value to match.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A single word, possibly with `*`/`?` wildcards.
    Term(String),
    /// A quoted phrase (no wildcards).
    Phrase(String),
    /// A range; `None` bounds are open (`*`). Inclusive flags for `[` / `{`.
    Range {
        from: Option<String>,
        to: Option<String>,
        inclusive: bool,
    },
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Matches everything (`*`, or an empty query).
    All,
    /// A value in a field, or in the default fields when `field` is `None`.
    Match {
        field: Option<String>,
        value: Value,
    },
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | '"' | ':' | '[' | ']' | '{' | '}' | '^')
}

fn word(input: &str) -> IResult<&str, &str> {
    // Operators are not words: a dangling `OR` is an error, not a search for "OR".
    verify(take_while1(is_word_char), |w: &str| {
        !matches!(w, "AND" | "OR" | "NOT")
    })
    .parse(input)
}

fn phrase(input: &str) -> IResult<&str, String> {
    map(
        delimited(char('"'), opt(take_while1(|c| c != '"')), char('"')),
        |s: Option<&str>| s.unwrap_or("").to_string(),
    )
    .parse(input)
}

fn bound(input: &str) -> IResult<&str, Option<String>> {
    alt((
        map(phrase, Some),
        map(
            take_while1(|c: char| !c.is_whitespace() && c != ']' && c != '}'),
            |s: &str| {
                if s == "*" {
                    None
                } else {
                    Some(s.to_string())
                }
            },
        ),
    ))
    .parse(input)
}

fn range(input: &str) -> IResult<&str, Value> {
    let (input, open) = alt((char('['), char('{'))).parse(input)?;
    let (input, from) = preceded(multispace0, bound).parse(input)?;
    let (input, _) = delimited(multispace1, tag("TO"), multispace1).parse(input)?;
    let (input, to) = bound(input)?;
    let (input, _) = preceded(multispace0, alt((char(']'), char('}')))).parse(input)?;
    Ok((
        input,
        Value::Range {
            from,
            to,
            inclusive: open == '[',
        },
    ))
}

fn boost(input: &str) -> IResult<&str, ()> {
    value(
        (),
        opt(preceded(
            char('^'),
            take_while1(|c: char| c.is_ascii_digit() || c == '.'),
        )),
    )
    .parse(input)
}

fn field_value(input: &str) -> IResult<&str, Value> {
    let (input, v) = alt((
        map(phrase, Value::Phrase),
        range,
        map(word, |w: &str| Value::Term(w.to_string())),
    ))
    .parse(input)?;
    let (input, _) = boost(input)?;
    Ok((input, v))
}

fn field_name(input: &str) -> IResult<&str, &str> {
    let (rest, name) =
        take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.').parse(input)?;
    let (rest, _) = char(':').parse(rest)?;
    // As in Lucene's parser, blanks may follow the colon (`appbundle: <id>`, as Esri's Python
    // client sends it).
    let (rest, _) = multispace0(rest)?;
    Ok((rest, name))
}

fn keyword<'a>(
    kw: &'static str,
) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    // Operators are upper case only (lower-case "and" is a word); they must stand alone.
    recognize((
        tag(kw),
        nom::combinator::peek(alt((multispace1, tag("("), tag("-"), tag("\""), eof))),
    ))
    .map(|s: &str| s.trim())
}

/// Fails for good (no other branch is tried) when a parenthesis would open past
/// [`MAX_DEPTH`]: the depth is counted by the recursion itself, so nothing the parser treats
/// as text (a phrase, a range bound) can hide a parenthesis from it.
fn too_deep(input: &str) -> nom::Err<nom::error::Error<&str>> {
    nom::Err::Failure(nom::error::Error::new(input, ErrorKind::TooLarge))
}

/// A value, or a term in a field: what no recursion is needed for.
fn leaf(input: &str) -> IResult<&str, Expr> {
    alt((
        map((field_name, field_value), |(f, v)| Expr::Match {
            field: Some(f.to_ascii_lowercase()),
            value: v,
        }),
        map(field_value, |v| match v {
            Value::Term(ref t) if t == "*" => Expr::All,
            v => Expr::Match {
                field: None,
                value: v,
            },
        }),
    ))
    .parse(input)
}

// The four functions of the recursion (`primary` → `or_expr` → `and_expr` → `unary` →
// `primary`) are written out by hand rather than composed from combinators: each level of
// nesting then costs four small stack frames, not dozens (a debug build used ~30 KiB a level
// with combinators).

/// A parenthesised expression or a leaf.
fn primary(input: &str, depth: usize) -> IResult<&str, Expr> {
    let Some(inside) = input.strip_prefix('(') else {
        return leaf(input);
    };
    if depth >= MAX_DEPTH {
        return Err(too_deep(input));
    }
    let (inside, _) = multispace0(inside)?;
    let (rest, expr) = match or_expr(inside, depth + 1) {
        Ok(parsed) => parsed,
        Err(nom::Err::Error(_)) => (inside, Expr::All),
        Err(e) => return Err(e),
    };
    let (rest, _) = multispace0(rest)?;
    let (rest, _) = char(')').parse(rest)?;
    Ok((rest, expr))
}

fn unary(input: &str, depth: usize) -> IResult<&str, Expr> {
    let (input, prefixes) = many0(alt((
        value(true, (keyword("NOT"), multispace0)),
        value(true, char('-')),
        value(false, char('+')),
    )))
    .parse(input)?;
    let (input, expr) = primary(input, depth)?;
    let negations = prefixes.iter().filter(|n| **n).count();
    Ok((
        input,
        if negations % 2 == 1 {
            Expr::Not(Box::new(expr))
        } else {
            expr
        },
    ))
}

fn and_separator(input: &str) -> IResult<&str, ()> {
    alt((
        value((), delimited(multispace1, keyword("AND"), multispace1)),
        value((), (multispace1, nom::combinator::not(keyword("OR")))),
    ))
    .parse(input)
}

fn or_separator(input: &str) -> IResult<&str, &str> {
    delimited(multispace1, keyword("OR"), multispace1).parse(input)
}

/// `item (separator item)*`: stops before a separator not followed by an item (as nom's
/// `separated_list1`); a failure (too deep) stops everything.
fn list<'a, S>(
    input: &'a str,
    depth: usize,
    separator: fn(&'a str) -> IResult<&'a str, S>,
    item: fn(&'a str, usize) -> IResult<&'a str, Expr>,
) -> IResult<&'a str, Vec<Expr>> {
    let (mut rest, first) = item(input, depth)?;
    let mut items = vec![first];
    loop {
        let next = match separator(rest) {
            Ok((next, _)) => next,
            Err(nom::Err::Error(_)) => break,
            Err(e) => return Err(e),
        };
        match item(next, depth) {
            Ok((after, e)) => {
                items.push(e);
                rest = after;
            }
            Err(nom::Err::Error(_)) => break,
            Err(e) => return Err(e),
        }
    }
    Ok((rest, items))
}

fn and_expr(input: &str, depth: usize) -> IResult<&str, Expr> {
    let (rest, items) = list(input, depth, and_separator, unary)?;
    Ok((rest, joined(items, Expr::And)))
}

/// `depth` is how many parentheses enclose this expression.
fn or_expr(input: &str, depth: usize) -> IResult<&str, Expr> {
    let (rest, items) = list(input, depth, or_separator, and_expr)?;
    Ok((rest, joined(items, Expr::Or)))
}

/// One term as itself, several joined by `join` (AND or OR).
fn joined(mut items: Vec<Expr>, join: fn(Vec<Expr>) -> Expr) -> Expr {
    if items.len() == 1 {
        items.remove(0)
    } else {
        join(items)
    }
}

/// How many values an expression compares (each costs a pass over the members).
fn terms(expr: &Expr) -> usize {
    match expr {
        Expr::All => 0,
        Expr::Match { .. } => 1,
        Expr::Not(inner) => terms(inner),
        Expr::And(items) | Expr::Or(items) => items.iter().map(terms).sum(),
    }
}

/// Parses a query. Blank means everything. Errors name the query and where parsing stopped.
pub fn parse(q: &str) -> Result<Expr> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Expr::All);
    }
    if q.len() > MAX_QUERY_LEN {
        return Err(PortalError::bad_request(format!(
            "Invalid query: longer than {MAX_QUERY_LEN} characters."
        )));
    }
    let parsed = all_consuming(delimited(multispace0, |i| or_expr(i, 0), multispace0)).parse(q);
    match parsed {
        Ok((_, expr)) if terms(&expr) > MAX_TERMS => Err(PortalError::bad_request(format!(
            "Invalid query: more than {MAX_TERMS} terms."
        ))),
        Ok((_, expr)) => Ok(expr),
        Err(nom::Err::Failure(err)) if err.code == ErrorKind::TooLarge => {
            Err(PortalError::bad_request(format!(
                "Invalid query: parentheses nest deeper than {MAX_DEPTH} levels."
            ))
            .with_detail(format!(
                "Nesting went too deep at character {}.",
                q.len() - err.input.len() + 1
            )))
        }
        Err(e) => {
            let at = match &e {
                nom::Err::Error(err) | nom::Err::Failure(err) => err.input,
                nom::Err::Incomplete(_) => "",
            };
            let position = q.len() - at.len();
            Err(
                PortalError::bad_request(format!("Invalid query: '{}'.", truncate(q))).with_detail(
                    format!(
                        "The query could not be parsed at character {}: '{}'.",
                        position + 1,
                        truncate(at)
                    ),
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(field: Option<&str>, v: Value) -> Expr {
        Expr::Match {
            field: field.map(String::from),
            value: v,
        }
    }
    fn t(s: &str) -> Value {
        Value::Term(s.into())
    }

    #[test]
    fn adjacent_terms_are_anded_and_fields_are_lower_cased() {
        assert_eq!(
            parse("JSmith accountid:abc").unwrap(),
            Expr::And(vec![m(None, t("JSmith")), m(Some("accountid"), t("abc"))])
        );
        assert_eq!(parse("UserName:j*").unwrap(), m(Some("username"), t("j*")));
        // Blanks after the colon, as Esri's Python client sends `appbundle: <id>`.
        assert_eq!(
            parse("appbundle:  abc123 role:x").unwrap(),
            Expr::And(vec![
                m(Some("appbundle"), t("abc123")),
                m(Some("role"), t("x"))
            ])
        );
    }

    #[test]
    fn operators_group_as_expected() {
        let e = parse("(role:org_admin OR role:org_publisher) AND NOT disabled:true").unwrap();
        assert_eq!(
            e,
            Expr::And(vec![
                Expr::Or(vec![
                    m(Some("role"), t("org_admin")),
                    m(Some("role"), t("org_publisher"))
                ]),
                Expr::Not(Box::new(m(Some("disabled"), t("true")))),
            ])
        );
        assert_eq!(
            parse("-username:esri_livingatlas").unwrap(),
            Expr::Not(Box::new(m(Some("username"), t("esri_livingatlas"))))
        );
    }

    #[test]
    fn phrases_ranges_and_boosts_parse() {
        assert_eq!(
            parse("fullname:\"Jane Smith\"").unwrap(),
            m(Some("fullname"), Value::Phrase("Jane Smith".into()))
        );
        assert_eq!(
            parse("created:[0000001 TO 2000000]^2").unwrap(),
            m(
                Some("created"),
                Value::Range {
                    from: Some("0000001".into()),
                    to: Some("2000000".into()),
                    inclusive: true
                }
            )
        );
        assert_eq!(
            parse("lastlogin:[* TO 5]").unwrap(),
            m(
                Some("lastlogin"),
                Value::Range {
                    from: None,
                    to: Some("5".into()),
                    inclusive: true
                }
            )
        );
        assert_eq!(parse("*").unwrap(), Expr::All);
        assert_eq!(parse("  ").unwrap(), Expr::All);
    }

    #[test]
    fn lower_case_operators_are_words() {
        assert_eq!(
            parse("salt and pepper").unwrap(),
            Expr::And(vec![
                m(None, t("salt")),
                m(None, t("and")),
                m(None, t("pepper"))
            ])
        );
    }

    #[test]
    fn broken_queries_are_refused_with_a_position() {
        for bad in [
            "(username:a",
            "username:",
            "\"open phrase",
            "created:[1 TO",
            "a OR",
            "AND",
        ] {
            let err = parse(bad).unwrap_err();
            assert_eq!(err.code, 400, "{bad}");
            assert!(
                err.message.starts_with("Invalid query"),
                "{bad}: {}",
                err.message
            );
        }
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&deep).unwrap_err().message.contains("nest deeper"));
    }

    #[test]
    fn text_the_parser_reads_as_a_value_cannot_hide_nesting() {
        // Quotes and parentheses inside range bounds are values, not syntax...
        assert!(parse(r#"created:["(((" TO "]"]"#).is_ok());
        // ...and a lone quote in a bound does not switch depth counting off for what follows.
        let deep = format!(
            r#"created:[a" TO b] {}a{}"#,
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&deep).unwrap_err().message.contains("nest deeper"));
        let at_limit = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&at_limit).is_ok());
    }

    #[test]
    fn queries_past_the_term_cap_are_refused() {
        let many = vec!["a"; MAX_TERMS + 1].join(" OR ");
        assert!(parse(&many).unwrap_err().message.contains("terms"));
        let enough = vec!["a"; MAX_TERMS].join(" OR ");
        assert!(parse(&enough).is_ok());
    }
}
