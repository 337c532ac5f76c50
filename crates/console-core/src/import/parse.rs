//! Reading a members CSV file into rows, before any rule: the encoding (UTF-8, with or without
//! Excel's byte-order mark; UTF-16 with one), the separator (a comma, or the semicolon or tab
//! some spreadsheets write), quoting, and the header row. A problem of the whole file (empty,
//! no header naming a Username or Email column, a column twice) stops the import; a problem of
//! one row (not UTF-8, a value too many or too few, a quote never closed) makes that row
//! invalid and the others go on.

use std::collections::BTreeMap;

use super::columns::Column;
use crate::error::{Error, Result};

/// The largest file read (bytes): far above any organization's member list.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// A file's rows, with the columns its header names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    /// The columns the import reads, in the file's order.
    pub columns: Vec<Column>,
    /// Headers the import leaves alone: facts the portal keeps (Status, Last Login, …) and
    /// headers it does not know, as written.
    pub ignored: Vec<String>,
    pub rows: Vec<CsvRow>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    /// Its number as a spreadsheet shows it: the header is row 1.
    pub number: u32,
    /// The values of the columns the import reads, trimmed.
    pub values: BTreeMap<Column, String>,
    /// Why the row cannot be read, if it cannot.
    pub problem: Option<String>,
}

impl CsvRow {
    /// The row's value of `column`, `None` when the file has no such column or the cell is
    /// empty.
    pub fn get(&self, column: Column) -> Option<&str> {
        self.values
            .get(&column)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// The file as UTF-8 bytes: a UTF-8 byte-order mark dropped, UTF-16 (with its mark) decoded.
fn utf8_bytes(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    let utf16 = |big_endian: bool| -> Result<Vec<u8>> {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|p| {
                if big_endian {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            })
            .collect();
        String::from_utf16(&units)
            .map(String::into_bytes)
            .map_err(|_| {
                Error::InvalidInput(
                    "The file says it is UTF-16 text but is not. Save it as \"CSV UTF-8\" and import it again."
                        .into(),
                )
            })
    };
    Ok(match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => rest.into(),
        [0xFF, 0xFE, ..] => utf16(false)?.into(),
        [0xFE, 0xFF, ..] => utf16(true)?.into(),
        _ => bytes.into(),
    })
}

/// The separator the header row uses: the most frequent of `,` `;` and tab outside quotes
/// (a comma when none is).
fn separator(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        seps[best]
    }
}

/// Reads a members file.
pub fn read(bytes: &[u8]) -> Result<CsvTable> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::InvalidInput(format!(
            "The file is {} MB; the import reads files up to {} MB.",
            bytes.len() / (1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        )));
    }
    let bytes = utf8_bytes(bytes)?;
    // Line breaks as `\n` (Windows' `\r\n`, old Macs' `\r`): rows are numbered by lines, and
    // no imported value holds a line break.
    let bytes: std::borrow::Cow<'_, [u8]> = if bytes.contains(&b'\r') {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1)) {
                (b'\r', Some(b'\n')) => {
                    out.push(b'\n');
                    i += 2;
                }
                (b'\r', _) => {
                    out.push(b'\n');
                    i += 1;
                }
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        out.into()
    } else {
        bytes
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::InvalidInput("The file is empty.".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(&bytes))
        .from_reader(&bytes[..]);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(Error::InvalidInput(format!(
                "The header row cannot be read: {e}."
            )))
        }
        None => return Err(Error::InvalidInput("The file is empty.".into())),
    };
    let mut positions: Vec<Option<Column>> = Vec::with_capacity(header.len());
    let mut columns = Vec::new();
    let mut ignored = Vec::new();
    for raw in header.iter() {
        let text = std::str::from_utf8(raw).map_err(|_| {
            Error::InvalidInput(
                "The header row is not UTF-8 text. Save the file as \"CSV UTF-8\" and import it again."
                    .into(),
            )
        })?;
        let text = text.trim();
        match Column::from_header(text) {
            Some(c) if columns.contains(&c) => {
                return Err(Error::InvalidInput(format!(
                    "The column \"{}\" appears twice in the header row.",
                    c.header()
                )));
            }
            Some(c) if c.imported() => {
                columns.push(c);
                positions.push(Some(c));
            }
            _ => {
                if !text.is_empty() {
                    ignored.push(text.to_string());
                }
                positions.push(None);
            }
        }
    }
    if !columns.contains(&Column::Username) && !columns.contains(&Column::Email) {
        return Err(Error::InvalidInput(
            "The file has no Username or Email column. Its first row must name the columns, \
             for example: Username, First Name, Last Name, Email, Role, User Type."
                .into(),
        ));
    }
    let mut rows = Vec::new();
    let mut last_line = 1u64;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let number = u32::try_from(last_line + 1).unwrap_or(u32::MAX);
                rows.push(CsvRow {
                    number,
                    values: BTreeMap::new(),
                    problem: Some(format!("The row cannot be read: {e}.")),
                });
                continue;
            }
        };
        // The line the row starts on, as a spreadsheet numbers its rows (blank lines count).
        last_line = record.position().map_or(last_line + 1, csv::Position::line);
        let number = u32::try_from(last_line).unwrap_or(u32::MAX);
        // A blank line (or a row of empty cells, as spreadsheets leave) is not a row.
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let mut row = CsvRow {
            number,
            values: BTreeMap::new(),
            problem: None,
        };
        if record.len() != positions.len() {
            // Its values are not read: shifted by a comma, a password could land in the
            // Username column and be shown.
            row.problem = Some(format!(
                "The row has {} values where the header has {} columns (a comma too many or \
                 too few, or a quote never closed).",
                record.len(),
                positions.len()
            ));
            rows.push(row);
            continue;
        }
        for (raw, column) in record.iter().zip(&positions) {
            let Some(column) = column else { continue };
            match std::str::from_utf8(raw) {
                // No column the import reads holds a line break: one inside a value is a
                // quote left open, which swallowed the rows after it.
                Ok(v) if v.trim().contains(['\n', '\r']) => {
                    row.problem.get_or_insert_with(|| {
                        format!(
                            "The {} value runs over several lines: a quote is not closed, and \
                             the rows after it are read as part of this one.",
                            column.header()
                        )
                    });
                }
                Ok(v) => {
                    // The export writes a formula-looking cell with a leading `'`.
                    let v = crate::export::uninert(v.trim());
                    row.values.insert(*column, v.to_string());
                }
                Err(_) => {
                    row.problem.get_or_insert_with(|| {
                        format!(
                            "The {} value is not UTF-8 text. Save the file as \"CSV UTF-8\" and \
                             import it again.",
                            column.header()
                        )
                    });
                }
            }
        }
        rows.push(row);
    }
    Ok(CsvTable {
        columns,
        ignored,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(bytes: &[u8]) -> String {
        read(bytes).unwrap_err().to_string()
    }

    #[test]
    fn reads_esris_upload_file_and_the_apps_export() {
        let esri = b"First Name,Last Name,Email,Username,Role,User Type\r\n\
                     Ada,Lovelace,ada@example.com,ada_l,Publisher,Creator\r\n";
        let t = read(esri).unwrap();
        assert_eq!(
            t.columns,
            [
                Column::FirstName,
                Column::LastName,
                Column::Email,
                Column::Username,
                Column::Role,
                Column::UserType
            ]
        );
        assert_eq!(t.rows.len(), 1);
        let row = &t.rows[0];
        assert_eq!((row.number, row.problem.as_deref()), (2, None));
        assert_eq!(row.get(Column::UserType), Some("Creator"));
        // The export's read-only columns are named as left alone.
        let export = "\u{feff}Username,Status,Last Login,Shoe Size\nada_l,Active,2026-01-02,42\n";
        let t = read(export.as_bytes()).unwrap();
        assert_eq!(t.columns, [Column::Username]);
        assert_eq!(t.ignored, ["Status", "Last Login", "Shoe Size"]);
    }

    #[test]
    fn semicolons_tabs_quotes_and_utf16_are_read() {
        let t = read("Username;Email\n\"o;brien\";\"ob@example.com\"\n".as_bytes()).unwrap();
        assert_eq!(t.rows[0].get(Column::Username), Some("o;brien"));
        let t = read(b"Username\tEmail\nann_b\tann@example.com\n").unwrap();
        assert_eq!(t.rows[0].get(Column::Email), Some("ann@example.com"));
        // A quoted value may hold the separator and a quote.
        let t = read(b"Username,First Name\nann_b,\"Ann \"\"Bee\"\", Jr\"\n").unwrap();
        assert_eq!(t.rows[0].get(Column::FirstName), Some("Ann \"Bee\", Jr"));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Username,First Name\nzoe_q,Zoë\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let t = read(&utf16).unwrap();
        assert_eq!(t.rows[0].get(Column::FirstName), Some("Zoë"));
    }

    #[test]
    fn a_bad_row_is_named_and_the_others_are_kept() {
        // Row 3 is Latin-1 ("Zoë"), row 4 has a value too many, row 7 opens a quote it never
        // closes (swallowing the row after it); blank lines are not rows.
        let mut bytes = b"Username,First Name\nann_b,Ann\nzoe_q,Zo".to_vec();
        bytes.push(0xEB);
        bytes.extend(b"\ncy_dee,Cy,extra\n\n,\nbob_b,Bob\nhal_9,\"Hal\nsue_b,Sue\n");
        let t = read(&bytes).unwrap();
        let numbers: Vec<u32> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 3, 4, 7, 8]);
        assert_eq!(t.rows[0].problem, None);
        assert!(t.rows[1].problem.as_deref().unwrap().contains("not UTF-8"));
        assert!(t.rows[2]
            .problem
            .as_deref()
            .unwrap()
            .contains("3 values where the header has 2"));
        assert_eq!(t.rows[3].problem, None);
        assert_eq!(t.rows[3].get(Column::Username), Some("bob_b"));
        assert!(t.rows[4]
            .problem
            .as_deref()
            .unwrap()
            .contains("a quote is not closed"));
    }

    #[test]
    fn a_file_without_the_columns_it_needs_is_refused_whole() {
        assert!(problem(b"").contains("empty"));
        assert!(problem(b" \n\n").contains("empty"));
        assert!(problem(b"Name,Shoe Size\nAnn,38\n").contains("no Username or Email column"));
        assert!(problem(b"Username,Email,user_name\na,b,c\n").contains("appears twice"));
        let mut latin1 = b"Pr".to_vec();
        latin1.push(0xE9);
        latin1.extend(b"nom,Username\n");
        assert!(problem(&latin1).contains("not UTF-8"));
    }
}
