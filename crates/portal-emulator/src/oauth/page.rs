//! The HTML of sign-in: the page with the form (its first line with a brace carries
//! `oAuthInfo`, which Esri's Python client parses) and the error page. The page's style is
//! `signin.css`.
//!
//! What is deliberately not here: deciding what to show (the handlers in `authorize` and
//! `signin` do).

use serde_json::Value;

use crate::routing::Reply;
use crate::util::html_escape;

/// JSON text safe inside a `<script>` on one line: no `<`, `>`, `&`, and no braces inside
/// strings (the Python client's parsers look for the first `{...}` and for `};`).
fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => {
                    escaped = false;
                    out.push(c);
                }
                '\\' => {
                    escaped = true;
                    out.push(c);
                }
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                '{' => out.push_str("\\u007b"),
                '}' => out.push_str("\\u007d"),
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                c => out.push(c),
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

/// The sign-in page. The `oAuthInfo` line is the first line of the page with a brace.
/// `action` is the form's absolute URL, made from the configured origin
/// (`ApiRequest::portal_url`).
pub(crate) fn signin_page(action: &str, info: &Value, message: Option<&str>) -> String {
    let oauth_state = info["oauth_state"].as_str().unwrap_or("");
    let message_html = message
        .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>", html_escape(m)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Sign In</title>\n<script>\nvar oAuthInfo = {json};\n</script>\n<style>\n{css}\n</style>\n</head>\n<body>\n<main>\n<h1>Sign in</h1>\n<p class=\"org\">Embedded ArcGIS portal</p>\n{message_html}\n<form method=\"post\" action=\"{action}\">\n<input type=\"hidden\" name=\"oauth_state\" value=\"{state}\">\n<label for=\"user_username\">Username</label>\n<input id=\"user_username\" name=\"username\" autocomplete=\"username\" required autofocus>\n<label for=\"user_password\">Password</label>\n<input id=\"user_password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n<button id=\"signIn\" type=\"submit\">Sign In</button>\n</form>\n</main>\n</body>\n</html>\n",
        json = script_json(info),
        action = html_escape(action),
        state = html_escape(oauth_state),
        css = CSS.trim_end(),
    )
}

/// The sign-in page's style sheet.
const CSS: &str = include_str!("signin.css");

pub(crate) fn error_page(status: axum::http::StatusCode, text: &str) -> Reply {
    Reply::Html(
        status,
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head>\n<body><h1>Error</h1><p>{}</p><p>Error: {}</p></body></html>\n",
            html_escape(text),
            status.as_u16()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn script_json_keeps_braces_and_tags_out_of_strings() {
        let v = json!({"oauth_state": "a};</script>{b", "n": 1});
        let s = script_json(&v);
        assert!(!s.contains("};") && !s.contains("</script>"));
        assert_eq!(s.matches('{').count(), 1);
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
