//! Decoding every answer: the portal reports failures inside HTTP 200 bodies, so one function
//! turns `{"error":{code,message,details}}` into a typed [`Error`] and deserializes anything
//! else straight from the bytes, naming the path of a bad field.
//!
//! Not here: HTTP statuses that mean "try again" (429, 5xx: the retry loop in the parent
//! module) and the OAuth2 token endpoint's own error shape (`crate::oauth`).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};

/// Only the `error` member of an answer; every other member is skipped without allocating.
#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(default)]
    error: Option<Value>,
}

/// Decodes an answer: the error envelope becomes a typed error; anything else is
/// deserialized straight from the bytes (no intermediate `Value`: an org listing is
/// megabytes), with the path of a bad field in the error.
pub fn decode<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T> {
    let not_json = |e: serde_json::Error| Error::Decode {
        path: String::new(),
        message: format!("not JSON (HTTP {status}): {e}"),
    };
    // Non-objects (an array, a bare string) have no envelope: the typed decode judges them.
    if let Ok(Envelope { error: Some(err) }) = serde_json::from_slice::<Envelope>(bytes) {
        if err.is_object() {
            return Err(portal_error(status, &err));
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            return not_json(e.into_inner());
        }
        Error::Decode {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        }
    })?;
    de.end().map_err(not_json)?;
    Ok(value)
}

/// The typed error for an `{"error":{code, message, details}}` envelope.
fn portal_error(status: u16, err: &Value) -> Error {
    let code = err
        .get("code")
        .and_then(Value::as_i64)
        .unwrap_or(i64::from(status));
    let message = err
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let details: Vec<String> = err
        .get("details")
        .and_then(Value::as_array)
        .map(|d| {
            d.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    match code {
        498 => Error::AuthExpired(message),
        499 => Error::AuthRequired(message),
        403 => Error::Forbidden(message),
        _ => Error::Portal {
            code,
            message,
            details,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_envelopes_become_typed_errors() {
        let e = decode::<Value>(
            200,
            br#"{"error":{"code":498,"message":"Invalid token.","details":[]}}"#,
        )
        .unwrap_err();
        assert!(matches!(e, Error::AuthExpired(_)));
        let e = decode::<Value>(200, br#"{"error":{"code":400,"message":"User does not exist or is inaccessible.","details":["x"]}}"#).unwrap_err();
        assert!(matches!(e, Error::Portal { code: 400, ref details, .. } if details == &["x"]));
        // The envelope is found wherever `error` sits among the members, and only at the top.
        let e = decode::<Value>(
            200,
            br#"{"other":[1,{"a":2}],"error":{"code":403,"message":"no"}}"#,
        )
        .unwrap_err();
        assert!(matches!(e, Error::Forbidden(_)));
        let v = decode::<Value>(200, br#"{"item":{"error":{"code":400}}}"#).unwrap();
        assert_eq!(v["item"]["error"]["code"], 400);
    }

    #[test]
    fn broken_answers_are_reported_as_not_json() {
        for body in [
            &b"<html>Bad gateway</html>"[..],
            b"{\"users\":[",
            b"{} trailing",
        ] {
            match decode::<Value>(502, body).unwrap_err() {
                Error::Decode { message, .. } => {
                    assert!(message.starts_with("not JSON (HTTP 502)"), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn decode_errors_name_the_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct P {
            users: Vec<U>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct U {
            created: i64,
        }
        let e = decode::<P>(200, br#"{"users":[{"created":1},{"created":"soon"}]}"#).unwrap_err();
        match e {
            Error::Decode { path, .. } => assert_eq!(path, "users[1].created"),
            other => panic!("{other:?}"),
        }
    }
}
