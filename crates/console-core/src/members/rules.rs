//! The member forms' rules, checked before anything is sent: ArcGIS's username rules, the
//! default password policy and what counts as an email address. The UI checks the same rules
//! as people type (`ui/src/features/members/rules.ts`); one table of cases,
//! `tests/fixtures/form-rules.json`, is read by the tests of both, so they cannot drift.
//!
//! What is deliberately not here: the role/user-type rule (`portal_client::roles`) and an
//! organization's own stricter password policy (the portal says so when it refuses).

/// What breaks ArcGIS's username rules: 6 to 128 characters, letters, numbers and `. _ @ -`,
/// starting with a letter or a number.
pub fn username_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    let problem = if len < 6 {
        "must be at least 6 characters long"
    } else if len > 128 {
        "must be at most 128 characters long"
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'))
    {
        "may only contain letters, numbers and the characters . _ @ -"
    } else if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        "must start with a letter or a number"
    } else {
        return None;
    };
    Some(format!("The username {problem}."))
}

/// What breaks the default ArcGIS password policy: 8 to 128 characters, at least one letter
/// and one number, not the username. (An organization can be stricter; the portal says so
/// when it refuses.)
pub fn password_problem(username: &str, password: &str) -> Option<String> {
    let len = password.chars().count();
    let problem = if len < 8 {
        "must be at least 8 characters long"
    } else if len > 128 {
        "must be at most 128 characters long"
    } else if !password.chars().any(char::is_alphabetic) {
        "must contain at least one letter"
    } else if !password.chars().any(|c| c.is_ascii_digit()) {
        "must contain at least one number"
    } else if password.eq_ignore_ascii_case(username) {
        "must not be the username"
    } else {
        return None;
    };
    Some(format!("The password {problem}."))
}

/// Why an email address would be refused: one `@` after a non-empty name, a domain with a dot
/// inside it, and no spaces. `None` when it is fine.
pub fn email_problem(email: &str) -> Option<String> {
    let valid = !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(name, domain)| {
            let domain: Vec<char> = domain.chars().collect();
            !name.is_empty()
                && !domain.contains(&'@')
                && domain.len() >= 3
                && domain[1..domain.len() - 1].contains(&'.')
        });
    (!valid).then(|| "Enter an email address.".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The cases both the Rust and the UI tests read.
    fn cases(rule: &str) -> Vec<Value> {
        let table: Value =
            serde_json::from_str(include_str!("../../../../tests/fixtures/form-rules.json"))
                .expect("form-rules.json is JSON");
        table[rule].as_array().expect("a list of cases").clone()
    }

    /// Runs `judge` on every case of one rule's table: it answers the verdict and a label for
    /// the case; the verdict must be the table's `problem` exactly.
    fn follows_the_table(rule: &str, judge: impl Fn(&Value) -> (Option<String>, String)) {
        let cases = cases(rule);
        assert!(cases.len() >= 5, "the {rule} table has its cases");
        for case in cases {
            let (verdict, label) = judge(&case);
            assert_eq!(
                verdict,
                case["problem"].as_str().map(String::from),
                "{label}"
            );
        }
    }

    fn text<'a>(case: &'a Value, field: &str) -> &'a str {
        case[field].as_str().expect("a text field")
    }

    #[test]
    fn usernames_follow_the_shared_table_of_arcgis_rules() {
        follows_the_table("username", |case| {
            let input = text(case, "input");
            (username_problem(input), format!("username {input:?}"))
        });
    }

    #[test]
    fn passwords_follow_the_shared_table_of_the_default_policy() {
        follows_the_table("password", |case| {
            let (user, password) = (text(case, "username"), text(case, "password"));
            (
                password_problem(user, password),
                format!("password {password:?} of {user:?}"),
            )
        });
    }

    #[test]
    fn email_addresses_follow_the_shared_table() {
        follows_the_table("email", |case| {
            let input = text(case, "input");
            (email_problem(input), format!("email {input:?}"))
        });
    }
}
