//! Strings that many members share: role ids and names, user types, providers, group ids,
//! license keys. With 100,000 members a `String` each is about a million small allocations of
//! a few hundred distinct values (docs/memory.md); a [`SharedStr`] is one allocation per
//! distinct value, however many members hold it.
//!
//! Every `SharedStr` is made through one pool of the values seen in this process. The pool
//! keeps only values some member still holds: it is swept when it has doubled since the last
//! sweep.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, LazyLock, Mutex};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A string held once per distinct value (see the module). One pointer wide (`Arc<str>` would
/// be two): a member holds a dozen of them.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::redundant_allocation)]
pub struct SharedStr(Arc<Box<str>>);

struct Pool {
    values: HashSet<SharedStr>,
    /// The pool's size after the last sweep.
    swept: usize,
}

static POOL: LazyLock<Mutex<Pool>> = LazyLock::new(|| {
    Mutex::new(Pool {
        values: HashSet::new(),
        swept: 0,
    })
});

/// Sweeps once the pool holds this many more values than after the last sweep, at least.
const SWEEP_FLOOR: usize = 1024;

impl SharedStr {
    /// The pooled value equal to `s`.
    pub fn new(s: &str) -> Self {
        let mut pool = POOL.lock().expect("string pool lock");
        if let Some(known) = pool.values.get(s) {
            return known.clone();
        }
        if pool.values.len() >= (pool.swept * 2).max(SWEEP_FLOOR) {
            // Values only the pool holds belong to members no longer cached.
            pool.values.retain(|v| Arc::strong_count(&v.0) > 1);
            pool.swept = pool.values.len();
        }
        let value = SharedStr(Arc::new(Box::from(s)));
        pool.values.insert(value.clone());
        value
    }

    pub fn as_str(&self) -> &str {
        &self.0[..]
    }
}

impl Default for SharedStr {
    fn default() -> Self {
        SharedStr::new("")
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr::new(s)
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr::new(&s)
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        SharedStr::new(s)
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.as_str().to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == other.as_str()
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(SharedStr::new(&s))
    }
}

impl rusqlite::ToSql for SharedStr {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        self.as_str().to_sql()
    }
}

impl rusqlite::types::FromSql for SharedStr {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        value.as_str().map(SharedStr::new)
    }
}

/// Each string, pooled.
pub fn shared_all<S: AsRef<str>>(list: impl IntoIterator<Item = S>) -> Vec<SharedStr> {
    list.into_iter()
        .map(|s| SharedStr::new(s.as_ref()))
        .collect()
}

/// Each pooled string as an owned `String`.
pub fn owned_all(list: &[SharedStr]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_one_allocation_and_compare_as_text() {
        let a = SharedStr::from("org_publisher_test_shared");
        let b = SharedStr::from(String::from("org_publisher_test_shared"));
        assert!(Arc::ptr_eq(&a.0, &b.0), "one allocation for one value");
        assert_eq!(a, "org_publisher_test_shared");
        assert_eq!(String::from("org_publisher_test_shared"), a);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            "\"org_publisher_test_shared\""
        );
        let back: SharedStr = serde_json::from_str("\"org_publisher_test_shared\"").unwrap();
        assert!(Arc::ptr_eq(&a.0, &back.0), "read values join the pool too");
    }
}
