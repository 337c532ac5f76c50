//! Exporting members to CSV: the rows the table shows (the UI sends their usernames, in its
//! order) with the columns chosen, groups by title and licenses by name, in a file the import
//! reads back (`import::columns`).
//!
//! A cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) is written with a leading `'`, which spreadsheets show as text; the
//! import drops that `'` again. Names and group titles are typed by members and other
//! administrators: a file opened in a spreadsheet must not run them.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::import::Column;
use crate::members::Member;
use crate::session::Console;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    /// The members, in the order written (the table's rows as filtered and sorted).
    pub usernames: Vec<String>,
    /// The columns, in the order written (the import's own columns come back on import).
    pub columns: Vec<Column>,
}

/// A cell as written: a formula-looking value is made text.
pub fn inert(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// A cell as read back: the `'` `inert` added is dropped.
pub fn uninert(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

/// `YYYY-MM-DD` (UTC) of epoch ms.
pub fn date(ms: i64) -> String {
    // Howard Hinnant's days-to-civil.
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of epoch ms.
pub fn timestamp(ms: i64) -> String {
    let seconds = ms.rem_euclid(86_400_000) / 1000;
    format!(
        "{} {:02}:{:02}:{:02}",
        date(ms),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The cell of `column` for member `m`.
fn cell(
    m: &Member,
    column: Column,
    group_titles: &HashMap<&str, &str>,
    license: &dyn Fn(&str) -> String,
) -> String {
    match column {
        Column::Username => m.username.clone(),
        Column::FirstName => m.first_name.clone(),
        Column::LastName => m.last_name.clone(),
        Column::FullName => m.full_name.clone(),
        Column::Email => m.email.clone(),
        Column::Role => m.role_name.to_string(),
        Column::UserType => m.user_type_name.to_string(),
        Column::Status => if m.disabled { "Disabled" } else { "Active" }.into(),
        Column::Credits => match m.credits {
            Some(c) if c < 0.0 => "no limit".into(),
            Some(c) => c.to_string(),
            None => String::new(),
        },
        Column::Groups => m
            .groups
            .iter()
            .map(|g| group_titles.get(g.as_str()).copied().unwrap_or(g.as_str()))
            .collect::<Vec<_>>()
            .join("; "),
        Column::Licenses => m
            .licenses
            .iter()
            .map(|k| license(k))
            .collect::<Vec<_>>()
            .join("; "),
        Column::LastLogin => m.last_login.map(date).unwrap_or_default(),
        Column::Created => date(m.created),
        Column::Provider => m.provider.to_string(),
        Column::Password | Column::IdpUsername => String::new(),
    }
}

/// The CSV text of `members` with `columns`.
pub fn write(
    members: &[&Member],
    columns: &[Column],
    group_titles: &HashMap<&str, &str>,
    license: &dyn Fn(&str) -> String,
) -> Result<String> {
    let fail = |e: &dyn std::fmt::Display| {
        Error::InvalidInput(format!("The file could not be written: {e}"))
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns.iter().map(|c| c.header()))
        .map_err(|e| fail(&e))?;
    for m in members {
        w.write_record(
            columns
                .iter()
                .map(|c| inert(&cell(m, *c, group_titles, license))),
        )
        .map_err(|e| fail(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
}

impl Console {
    /// The CSV text of an export: the members named (those the cache no longer has are left
    /// out), with the columns asked for; answers the text and how many members it holds.
    pub async fn export_members(&self, request: ExportRequest) -> Result<(String, u32)> {
        let columns: Vec<Column> = request
            .columns
            .iter()
            .copied()
            .filter(|c| c.exported())
            .collect();
        if columns.is_empty() {
            return Err(Error::InvalidInput("Choose at least one column.".into()));
        }
        let members = self.members().await?;
        let by_name: HashMap<String, &Member> = members
            .iter()
            .map(|m| (m.username.to_lowercase(), m))
            .collect();
        let chosen: Vec<&Member> = request
            .usernames
            .iter()
            .filter_map(|u| by_name.get(&u.to_lowercase()).copied())
            .collect();
        let groups = if columns.contains(&Column::Groups) {
            self.groups(false).await?
        } else {
            std::sync::Arc::new(Vec::new())
        };
        // A title two groups share, or one holding the `;` that separates groups, is written
        // as the group's id: the import reads it back to the same group.
        let mut shared: HashMap<String, usize> = HashMap::new();
        for g in groups.iter() {
            *shared.entry(g.title.to_lowercase()).or_default() += 1;
        }
        let titles: HashMap<&str, &str> = groups
            .iter()
            .map(|g| {
                let plain = shared[&g.title.to_lowercase()] == 1 && !g.title.contains(';');
                (
                    g.id.as_str(),
                    if plain {
                        g.title.as_str()
                    } else {
                        g.id.as_str()
                    },
                )
            })
            .collect();
        let offers = self.offers().await;
        let license = |k: &str| offers.as_ref().map_or(k.to_string(), |o| o.name_of(k));
        let text = write(&chosen, &columns, &titles, &license)?;
        Ok((text, u32::try_from(chosen.len()).unwrap_or(u32::MAX)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400_000), "2000-02-29");
        assert_eq!(date(1_796_083_200_000 - 1), "2026-11-30");
        assert_eq!(date(-86_400_000), "1969-12-31");
        assert_eq!(
            timestamp(1_796_083_200_000 + 3_723_000),
            "2026-12-01 01:02:03"
        );
    }

    #[test]
    fn formula_cells_are_written_as_text_and_read_back_as_typed() {
        for v in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx"] {
            let written = inert(v);
            assert!(written.starts_with('\''), "{v}");
            assert_eq!(uninert(&written), v);
        }
        assert_eq!(inert("Ann"), "Ann");
        assert_eq!(uninert("'quoted'"), "'quoted'");
    }
}
