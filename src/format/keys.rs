//! The key walk every file format shares: each table's keys checked against the keys it may
//! hold, every unknown key reported at once with a "did you mean" and removed (serde would
//! stop at the first), and every text checked for control characters on the way.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Diagnostic, SourceMap, suggest};

/// The keys a table at a path may hold (`None`: any), for [`remove_unknown_with`].
pub type AllowedKeys<'a> = dyn Fn(&[&str]) -> Option<Vec<String>> + 'a;

/// Reports and removes unknown keys: `allowed` says which keys each table may hold.
/// The tables of an array of tables (`[[events]]`) are checked at the array's path.
pub fn remove_unknown_with(
    doc: &mut DeTable,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
    allowed: &AllowedKeys,
) {
    remove_unknown_placed(doc, map, found, allowed, &[]);
}

/// [`remove_unknown_with`], and a key written in the wrong table is told where it belongs:
/// `homes` is every dotted key the format accepts (`population.agents`,
/// `parties.<party>.members`), so that `agents` at the top reads "belongs under
/// [population]" rather than "did you mean `events`?".
pub fn remove_unknown_placed(
    doc: &mut DeTable,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
    allowed: &AllowedKeys,
    homes: &[String],
) {
    let walker = Walker {
        map,
        allowed_at: allowed,
        homes,
    };
    walker.walk(doc, &mut Vec::new(), found);
}

/// Where a key that is unknown in its table belongs instead, as a sentence, if the format
/// accepts it in one to three other tables.
fn belongs(key: &str, path: &[String], homes: &[String]) -> Option<String> {
    let here = path.join(".");
    let tables: Vec<&str> = homes
        .iter()
        .filter_map(|home| {
            let table = home.strip_suffix(key)?.strip_suffix('.')?;
            (table != here).then_some(table)
        })
        .collect();
    if tables.is_empty() || tables.len() > 3 {
        return None;
    }
    let shown: Vec<String> = tables.iter().map(|t| table_header(t)).collect();
    Some(format!(
        "`{key}` belongs under {}, not {}",
        shown.join(" or "),
        if path.is_empty() {
            "at the top of the file".to_string()
        } else {
            format!("under {}", table_header(&here))
        }
    ))
}

/// A dotted table path as its header is written: `[population]`, `[[events]]`,
/// `[parties.<name>]`.
fn table_header(table: &str) -> String {
    match table {
        "events" | "claim" | "axis" | "outcome" => format!("[[{table}]]"),
        _ => format!("[{}]", table.replace("<party>", "<name>")),
    }
}

struct Walker<'w, 'a> {
    map: &'w SourceMap,
    allowed_at: &'w AllowedKeys<'a>,
    homes: &'w [String],
}

impl Walker<'_, '_> {
    fn walk(&self, table: &mut DeTable, path: &mut Vec<String>, found: &mut Vec<Diagnostic>) {
        let (map, allowed_at) = (self.map, self.allowed_at);
        let names: Vec<&str> = path.iter().map(String::as_str).collect();
        let allowed = allowed_at(&names);
        let keys: Vec<(String, Range<usize>)> = table
            .iter()
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .collect();
        let mut any_unknown = false;
        for (key, span) in keys {
            if let Some(allowed) = &allowed
                && !allowed.contains(&key)
            {
                any_unknown = true;
                let dotted = path
                    .iter()
                    .cloned()
                    .chain(std::iter::once(key.clone()))
                    .collect::<Vec<_>>()
                    .join(".");
                let expected = if allowed.is_empty() {
                    "this table takes no keys".to_string()
                } else {
                    format!("expected one of {}", allowed.join(", "))
                };
                let message = match belongs(&key, path, self.homes) {
                    Some(home) => home,
                    None => format!(
                        "unknown key `{key}`{}; {expected}",
                        suggest(&key, allowed.iter().map(String::as_str))
                    ),
                };
                found.push(map.diagnostic(Some(span), Some(&dotted), message));
                continue;
            }
            let Some(value) = table.get_mut(key.as_str()) else {
                continue;
            };
            path.push(key.clone());
            match value.get_mut() {
                DeValue::Table(inner) => self.walk(inner, path, found),
                DeValue::Array(items) => {
                    for item in items.iter_mut() {
                        match item.get_mut() {
                            DeValue::Table(inner) => self.walk(inner, path, found),
                            _ => check_text(item, path, map, found),
                        }
                    }
                }
                _ => check_text(value, path, map, found),
            }
            path.pop();
        }
        // Removed in one pass: removing each from the ordered map as it is found would shift
        // the rest every time, quadratic in a file of thousands of unknown keys.
        if any_unknown && let Some(allowed) = &allowed {
            for (key, value) in std::mem::take(table) {
                if allowed.iter().any(|a| a == key.get_ref()) {
                    table.insert(key, value);
                }
            }
        }
    }
}

/// Reports a string (or strings in nested arrays) holding a control character other than
/// a newline, a tab, or a carriage return before a newline: no value of these files needs one, and printed by `list`, `explain`
/// or a report it could send escape sequences to a terminal.
fn check_text(
    value: &Spanned<DeValue>,
    path: &[String],
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
) {
    match value.get_ref() {
        DeValue::String(text) => {
            // A carriage return is allowed before a newline (a multi-line string in a file
            // with Windows line ends).
            let bad = text
                .char_indices()
                .find(|&(k, c)| {
                    c.is_control()
                        && c != '\n'
                        && c != '\t'
                        && !(c == '\r' && text[k + 1..].starts_with('\n'))
                })
                .map(|(_, c)| c);
            if let Some(c) = bad {
                found.push(map.diagnostic(
                    Some(value.span()),
                    Some(&path.join(".")),
                    format!(
                        "the text holds the control character U+{:04X}; only newlines and tabs are allowed",
                        c as u32
                    ),
                ));
            }
        }
        DeValue::Array(items) => {
            for item in items {
                check_text(item, path, map, found);
            }
        }
        _ => {}
    }
}
