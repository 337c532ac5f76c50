//! Request parameters, read the way the real portal reads them: from the query string AND the
//! body (form-urlencoded or multipart), names matched without regard to case, list values as
//! comma lists, JSON arrays or repeated keys, booleans in any case (docs/PORTAL-API.md,
//! Transport > parameters).
//!
//! What is deliberately not here: what each operation makes of its parameters (checked in
//! its handler, shared rules in `validate`).

use serde_json::Value;

use crate::error::{PortalError, Result};

/// The largest value of one parameter we accept; longer values are refused with a clear error.
pub const MAX_VALUE_LEN: usize = 1 << 20;

/// All parameters of one request, body first, then query string.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parameters from `(name, value)` pairs.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }

    /// Adds the pairs of a urlencoded string (a query string or a form body).
    pub fn extend_urlencoded(&mut self, input: &[u8]) {
        self.pairs
            .extend(form_urlencoded::parse(input).into_owned());
    }

    /// Adds one pair.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.pairs.push((name.into(), value.into()));
    }

    /// Every value given for `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, as given (possibly empty).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first non-blank value of `name`, trimmed.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// A required non-blank value.
    pub fn required(&self, name: &str) -> Result<&str> {
        self.str(name).ok_or_else(|| {
            PortalError::bad_request(format!("'{name}' must be specified."))
                .with_detail(format!("Missing parameter: {name}"))
        })
    }

    /// A list: a JSON array of strings, a comma-separated string, or the key repeated.
    pub fn list(&self, name: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for value in self.all(name) {
            out.extend(parse_list(name, value)?);
        }
        Ok(out)
    }

    /// A boolean given as true/false in any case; `None` when absent or blank.
    pub fn bool(&self, name: &str) -> Result<Option<bool>> {
        match self.str(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(PortalError::bad_request(format!(
                "Invalid value for '{name}': expected true or false, got '{}'.",
                truncate(v)
            ))),
        }
    }

    /// An integer, with a default when absent; values outside `min..=max` are clamped
    /// (as the real portal clamps `num`), values that are not numbers are refused.
    pub fn int(&self, name: &str, default: i64, min: i64, max: i64) -> Result<i64> {
        match self.str(name) {
            None => Ok(default),
            Some(v) => {
                let parsed: i64 = v.parse().map_err(|_| {
                    PortalError::bad_request(format!(
                        "Invalid value for '{name}': '{}' is not a whole number.",
                        truncate(v)
                    ))
                })?;
                Ok(parsed.clamp(min, max))
            }
        }
    }

    /// A number (credits), refused when not a number.
    pub fn float(&self, name: &str) -> Result<Option<f64>> {
        match self.str(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    PortalError::bad_request(format!(
                        "Invalid value for '{name}': '{}' is not a number.",
                        truncate(v)
                    ))
                }),
        }
    }

    /// A JSON value; malformed JSON is refused naming the parameter and the position.
    pub fn json(&self, name: &str) -> Result<Option<Value>> {
        match self.str(name) {
            None => Ok(None),
            Some(v) => serde_json::from_str(v)
                .map(Some)
                .map_err(|e| PortalError::bad_request(format!("'{name}' is not valid JSON: {e}."))),
        }
    }

    /// Whether the caller asked for pretty-printed JSON (`f=pjson`).
    pub fn pretty(&self) -> bool {
        self.str("f")
            .is_some_and(|f| f.eq_ignore_ascii_case("pjson"))
    }

    /// Checks every value against [`MAX_VALUE_LEN`].
    pub fn check_sizes(&self) -> Result<()> {
        match self.pairs.iter().find(|(_, v)| v.len() > MAX_VALUE_LEN) {
            Some((k, _)) => Err(PortalError::bad_request(format!(
                "The value of '{}' is too long (more than {MAX_VALUE_LEN} bytes).",
                truncate(k)
            ))),
            None => Ok(()),
        }
    }
}

/// Parses one list value: JSON array (of strings or numbers) or comma-separated.
pub fn parse_list(name: &str, value: &str) -> Result<Vec<String>> {
    let trimmed = value.trim();
    if trimmed.starts_with('[') {
        let items: Vec<Value> = serde_json::from_str(trimmed).map_err(|e| {
            PortalError::bad_request(format!("'{name}' is not a valid JSON array: {e}."))
        })?;
        return items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.trim().to_string()),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(PortalError::bad_request(format!(
                    "'{name}' must be a list of strings, found {other}."
                ))),
            })
            .filter(|r| r.as_ref().map_or(true, |s| !s.is_empty()))
            .collect();
    }
    Ok(trimmed
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect())
}

/// Shortens a value for an error message.
pub fn truncate(value: &str) -> String {
    const LIMIT: usize = 80;
    if value.chars().count() <= LIMIT {
        value.to_string()
    } else {
        let cut: String = value.chars().take(LIMIT).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &str) -> Params {
        let mut p = Params::default();
        p.extend_urlencoded(query.as_bytes());
        p
    }

    #[test]
    fn lists_accept_comma_lists_json_arrays_and_repeated_keys() {
        assert_eq!(
            params("users=a,%20b,,c").list("users").unwrap(),
            ["a", "b", "c"]
        );
        assert_eq!(
            params("users=%5B%22a%22%2C%22b%22%5D")
                .list("users")
                .unwrap(),
            ["a", "b"]
        );
        assert_eq!(params("users=a&users=b").list("users").unwrap(), ["a", "b"]);
        assert!(params("users=%5B%22a%22").list("users").is_err());
    }

    #[test]
    fn names_match_without_regard_to_case_and_booleans_too() {
        let p = params("sortField=username&Authorize=True");
        assert_eq!(p.str("sortfield"), Some("username"));
        assert_eq!(p.bool("authorize").unwrap(), Some(true));
        assert!(params("x=yes").bool("x").is_err());
    }

    #[test]
    fn huge_numbers_are_clamped_and_words_refused() {
        assert_eq!(
            params("num=99999999999").int("num", 10, 1, 100).unwrap(),
            100
        );
        assert_eq!(params("num=-5").int("num", 10, 1, 100).unwrap(), 1);
        assert!(params("num=ten").int("num", 10, 1, 100).is_err());
        assert!(params("num=1e400").int("num", 10, 1, 100).is_err());
    }
}
