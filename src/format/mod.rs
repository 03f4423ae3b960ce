//! What the three file formats (scenario, claims and sweep files) share: the
//! [`Diagnostic`]s they report, the [`SourceMap`] that points a span back at its file, line
//! and column, and the opening every parser makes: the text parsed as TOML
//! ([`parse_table`]), every unknown key reported and removed ([`remove_unknown_with`]), and
//! the document deserialised with every wrong-typed value reported ([`deserialize_all`]),
//! all at once rather than one per run. Also the checks and wording they share: ids
//! ([`is_id`]), "did you mean" ([`suggest`]) and a value as shown to people ([`show`]).
//!
//! This is the bottom of the crate: it imports nothing else of it, so every format, and
//! every tool that describes one, can use it.

mod diagnostic;
mod keys;
mod source;

pub use diagnostic::{Diagnostic, Diagnostics, SHOWN, TextIndex};
pub use keys::{AllowedKeys, remove_unknown_placed, remove_unknown_with};
pub use source::SourceMap;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Longest id of a claim or name of a sweep: both name files and folders.
pub const ID_MAX_LEN: usize = 64;

/// Whether `text` may name a file or folder: one or more lowercase ASCII letters, digits,
/// `-` and `_`. Scenario names, claim ids and sweep names all must.
pub fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// [`is_id`], and no longer than [`ID_MAX_LEN`].
pub fn is_short_id(text: &str) -> bool {
    is_id(text) && text.len() <= ID_MAX_LEN
}

/// A file's bytes as text, or, when they are not UTF-8, a diagnostic at the first byte that
/// is not: its line, its column (in characters) and its offset, and how to mend the file.
pub fn decode(bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Everything before the bad byte is text; its line and column are counted there.
            let before = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
            let line_start = before.rfind('\n').map_or(0, |k| k + 1);
            let line = before.matches('\n').count() + 1;
            let column = before[line_start..].chars().count() + 1;
            let shown_line = String::from_utf8_lossy(
                &bytes[line_start..]
                    .split(|&b| b == b'\n')
                    .next()
                    .unwrap_or_default()
                    .iter()
                    .take(200)
                    .copied()
                    .collect::<Vec<u8>>(),
            )
            .into_owned();
            Err(Diagnostic {
                file: file.to_string(),
                line,
                column,
                key: None,
                message: format!(
                    "byte {good} (0x{:02X}) is not UTF-8; save the file as UTF-8 (files in Latin-1 or Windows-1251 must be converted)",
                    bytes[good]
                ),
                source_line: shown_line,
                caret: column,
            })
        }
    }
}

/// Longest file or folder name the common file systems take, in bytes.
const NAME_MAX: usize = 255;

/// Whether `text` may be one file or folder name in an output folder: lowercase ASCII
/// letters, digits, `-`, `_` and `.` (an id, or ids joined, `historical.view-lessons`), not
/// beginning with a dot (so never `.` or `..`, nor hidden), at most 255 bytes. No separator,
/// so never a path of more than one step, nor an absolute one.
pub fn is_file_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= NAME_MAX
        && !text.starts_with('.')
        && text.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// A name refused where it would have become a file or folder name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "refused to write under the name {name:?} in {dir}: a name that becomes a file or folder is lowercase letters, digits, `-`, `_` and `.`, never a path"
)]
pub struct UnsafeName {
    pub name: String,
    pub dir: String,
}

/// `dir` joined with `name` followed by `suffix` (`.svg`, or nothing for a folder), if
/// `name` [`is_file_name`]. Every format checks its names when the file is read; this is the
/// second line of defence, where output paths are made, so that a name a check missed still
/// cannot reach outside the output folder.
pub fn join_name(dir: &Path, name: &str, suffix: &str) -> Result<PathBuf, UnsafeName> {
    let whole = format!("{name}{suffix}");
    if is_file_name(name) && is_file_name(&whole) {
        Ok(dir.join(whole))
    } else {
        Err(UnsafeName {
            name: name.to_string(),
            dir: dir.display().to_string(),
        })
    }
}

/// The text of a file (or of one file of a chain, behind its padding) as a TOML document,
/// or the syntax error, located by `map`.
pub fn parse_table<'a>(
    padded: &'a str,
    map: &SourceMap,
) -> Result<Spanned<DeTable<'a>>, Diagnostics> {
    DeTable::parse(padded).map_err(|e| {
        let message = match e.message().trim() {
            // The parser's own words for a document nested past its depth limit.
            "recursion limit" => "the keys or values nest too deeply to read (a dotted key of too many parts, or arrays or tables inside one another too many times); no file of this format nests more than a few levels".to_string(),
            other => other.to_string(),
        };
        Diagnostics(vec![map.diagnostic(e.span(), None, message)])
    })
}

/// A file's document after the shared opening: its spec, the map to point diagnostics into,
/// and the diagnostics found so far (unknown keys), to which the format adds its own checks.
pub struct Opened<T> {
    pub spec: T,
    pub map: SourceMap,
    pub found: Vec<Diagnostic>,
}

/// The opening of a one-file format (claims and sweep files): parses `text`, reports and
/// removes unknown keys (`allowed` says which keys each table may hold), and deserialises
/// the rest into `T`. A wrong-typed value is reported and a stand-in takes its place (see
/// [`deserialize_all`]; `too_large` words a number its type cannot hold), so the format's
/// own checks still run over the rest of the file: the caller must treat a non-empty
/// `found` as failure. Fails at once only when no stand-in can serve.
pub fn open<T: DeserializeOwned>(
    text: &str,
    file: &str,
    allowed: &AllowedKeys,
    too_large: &TooLarge,
) -> Result<Opened<T>, Diagnostics> {
    open_with_defaults(text, file, allowed, too_large, &|_| None)
}

/// [`open`], standing in for a wrong value with its key's default where `default_of` knows
/// one ([`deserialize_with_defaults`]): a value of a closed set of names written as another
/// type (`statistic = 3`) has no stand-in serde's message could suggest, and would end the
/// search for the wrong values after it.
pub fn open_with_defaults<T: DeserializeOwned>(
    text: &str,
    file: &str,
    allowed: &AllowedKeys,
    too_large: &TooLarge,
    default_of: &DefaultOf,
) -> Result<Opened<T>, Diagnostics> {
    let mut map = SourceMap::default();
    map.push(file, text);
    let mut doc = parse_table(text, &map)?;
    let mut found = Vec::new();
    remove_unknown_with(doc.get_mut(), &map, &mut found, allowed);
    match deserialize_with_defaults(&mut doc, &map, &mut found, too_large, default_of) {
        Some(spec) => Ok(Opened { spec, map, found }),
        None => Err(Diagnostics::new(found)),
    }
}

/// Words a whole number its key's type cannot hold (too large, or negative for a count):
/// given the dotted key, the number and the most the type holds, the whole message, or
/// `None` for the plain "expected a whole number from 0 to ..., found ...". Formats use it
/// to name their own, tighter range (a count that starts at 1 says so) and what such a size
/// would cost.
pub type TooLarge<'a> = dyn Fn(&str, i128, u64) -> Option<String> + 'a;

/// Most wrong-typed values collected from one document: as many as a report shows
/// ([`SHOWN`]).
const MOST_WRONG_TYPED: usize = SHOWN;

/// Bytes of text [`deserialize_all`] may read again in all, looking for more wrong-typed
/// values: each value found costs one more pass over the whole document, so a file of
/// megabytes gets fewer passes (its first few wrong values) and every file of a realistic
/// size (tens of kilobytes) all of them up to [`MOST_WRONG_TYPED`]; a parse stays within
/// the time `tests/properties.rs` allows a hostile file.
const REREAD_BUDGET: usize = 2 << 20;

/// Deserialises `doc` into `T`, pushing one diagnostic for every wrong-typed value (up to
/// [`SHOWN`], fewer in a file of megabytes: see [`REREAD_BUDGET`]).
///
/// serde stops at the first error. So each wrong value, once reported, is replaced by a
/// stand-in of the kind serde asked for (a `0`, an empty string, the first name of a list
/// of names...) and the document deserialised again. A stand-in refused in its turn (a
/// table missing the keys its type needs) is taken out instead, which serves wherever the
/// key has a default. The search ends when the document deserialises, or at an error that
/// neither serves (a missing key, a value only a richer stand-in would do for), which is
/// then the last reported.
///
/// Returns the value when the document deserialises, with or without stand-ins: the
/// format's own checks then go on over the rest of the file, so that a wrong type does not
/// hide a range or a name check after it. The stand-ins only let the checks go on: a caller
/// builds nothing from a document whose `found` is not empty, and [`Diagnostics::new`]
/// drops a later check's complaint about a stand-in (it stands at the reported value's own
/// place). `None` when no stand-in served.
///
/// `doc` is left holding the stand-ins: it is the working copy, so that a large document is
/// held twice at most (itself and the copy serde consumes), as before.
pub fn deserialize_all<T: DeserializeOwned>(
    doc: &mut Spanned<DeTable>,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
    too_large: &TooLarge,
) -> Option<T> {
    deserialize_with_defaults(doc, map, found, too_large, &|_| None)
}

/// The default of a dotted key, as a TOML literal (`0.5`, `"free"`), where the format knows
/// it: the best stand-in for a wrong value, since the checks that compare one key with
/// another (a least that must not exceed a most) then see a sensible value. The literals
/// are computed once and kept (`'static`), since a stand-in lives in the document.
pub type DefaultOf<'a> = dyn Fn(&str) -> Option<&'static str> + 'a;

/// [`deserialize_all`], standing in for a wrong value with its key's default where
/// `default_of` knows one, else with a value of the kind serde asked for.
pub fn deserialize_with_defaults<T: DeserializeOwned>(
    doc: &mut Spanned<DeTable>,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
    too_large: &TooLarge,
    default_of: &DefaultOf,
) -> Option<T> {
    let most = (REREAD_BUDGET / map.text_len().max(1)).clamp(1, MOST_WRONG_TYPED);
    let mut wrong: Vec<(usize, Diagnostic)> = Vec::new();
    let mut repair = Repair::None;
    loop {
        let error = match T::deserialize(toml::de::Deserializer::from(doc.clone())) {
            Ok(spec) => {
                finish(wrong, found);
                return Some(spec);
            }
            Err(e) => e,
        };
        let span = error.span();
        let raw = error.message().trim();
        // An error the last repair caused is about the repair, not about the file.
        match (&repair, &span) {
            (Repair::StandIn(at), Some(s)) if s.start == *at => {
                match remove_at(doc.get_mut(), *at) {
                    Some(key) => repair = Repair::Removed(key),
                    None => break,
                }
                continue;
            }
            (Repair::Removed(key), _) if raw == format!("missing field `{key}`") => break,
            _ => {}
        }
        let key = span.as_ref().and_then(|s| key_at(doc.get_ref(), s.start));
        let message = too_large_message(raw, key.as_deref(), too_large)
            .or_else(|| unquoted_date(raw, span.as_ref(), doc.get_mut()))
            .unwrap_or_else(|| plain(raw));
        let at = span.as_ref().map_or(0, |s| s.start);
        wrong.push((at, map.diagnostic(span.clone(), key.as_deref(), message)));
        let known = key
            .as_deref()
            .and_then(default_of)
            .and_then(|literal| DeValue::parse(literal).ok())
            .map(Spanned::into_inner);
        let (Some(span), Some(stand_in)) = (span, known.or_else(|| stand_in(raw))) else {
            break;
        };
        if wrong.len() >= most {
            break;
        }
        let Some(slot) = value_at_mut(doc.get_mut(), span.start) else {
            break;
        };
        *slot = Spanned::new(slot.span(), stand_in);
        repair = Repair::StandIn(span.start);
    }
    finish(wrong, found);
    None
}

/// The wrong-typed values' diagnostics, in the order of the text (serde's order is the
/// schema's).
fn finish(mut wrong: Vec<(usize, Diagnostic)>, found: &mut Vec<Diagnostic>) {
    wrong.sort_by_key(|(at, _)| *at);
    found.extend(wrong.into_iter().map(|(_, d)| d));
}

/// The message for a date written without quotes (`date = 1921-03-01`): TOML reads it as a
/// date of its own kind, which serde reports as "invalid type: map".
fn unquoted_date(raw: &str, span: Option<&Range<usize>>, doc: &mut DeTable) -> Option<String> {
    if !raw.starts_with("invalid type: map") {
        return None;
    }
    let value = value_at_mut(doc, span?.start)?;
    let DeValue::Datetime(date) = value.get_ref() else {
        return None;
    };
    Some(format!(
        "a date is written as a string, in quotes: \"{date}\" (without them TOML reads a date of its own kind)"
    ))
}

/// The last change [`deserialize_all`] made to the document.
enum Repair {
    None,
    /// A stand-in put at this offset.
    StandIn(usize),
    /// A value taken out of its table, under this key.
    Removed(String),
}

/// Takes out the value of a table that lies at `offset` (not an item of an array); returns
/// its key.
fn remove_at(table: &mut DeTable, offset: usize) -> Option<String> {
    let key = table
        .iter()
        .find(|(_, v)| holds(v, offset))
        .map(|(k, _)| k.get_ref().to_string())?;
    let value = table.get_mut(key.as_str())?;
    let deeper = match value.get_ref() {
        DeValue::Table(inner) => inner.iter().any(|(_, v)| holds(v, offset)),
        DeValue::Array(items) => items.iter().any(|item| holds(item, offset)),
        _ => false,
    };
    if !deeper {
        table.remove(key.as_str());
        return Some(key);
    }
    match value.get_mut() {
        DeValue::Table(inner) => remove_at(inner, offset),
        DeValue::Array(items) => {
            items
                .iter_mut()
                .find(|item| holds(item, offset))
                .and_then(|item| match item.get_mut() {
                    DeValue::Table(inner) => remove_at(inner, offset),
                    _ => None,
                })
        }
        _ => None,
    }
}

/// The message for "invalid value: integer `N`, expected u32" (or, beyond 64 bits,
/// "invalid type: integer `N` as i128, expected u32") when N is more than the type holds,
/// or negative (then the format's own words, if it has any for the key; else serde's wording
/// made plain: "a whole number, 0 or more").
fn too_large_message(raw: &str, key: Option<&str>, too_large: &TooLarge) -> Option<String> {
    let rest = raw
        .strip_prefix("invalid value: integer `")
        .or_else(|| raw.strip_prefix("invalid type: integer `"))?;
    let (number, rest) = rest.split_once('`')?;
    let wanted = rest
        .strip_prefix(", expected ")
        .or_else(|| rest.strip_prefix(" as i128, expected "))?;
    let number: i128 = number.parse().ok()?;
    let most: u64 = match wanted {
        "u8" => u8::MAX.into(),
        "u16" => u16::MAX.into(),
        "u32" => u32::MAX.into(),
        "u64" => u64::MAX,
        _ => return None,
    };
    if (0..=i128::from(most)).contains(&number) {
        return None;
    }
    if number < 0 {
        return key.and_then(|key| too_large(key, number, most));
    }
    Some(
        key.and_then(|key| too_large(key, number, most))
            .unwrap_or_else(|| format!("expected a whole number from 0 to {most}, found {number}")),
    )
}

/// A value of the kind serde's message asked for, to stand in for a wrong one.
fn stand_in(raw: &str) -> Option<DeValue<'static>> {
    if let Some(names) = raw.strip_prefix("unknown variant `") {
        // "unknown variant `x`, expected one of `a`, `b`" or "..., expected `a`".
        let first = names.split('`').nth(2)?;
        return Some(DeValue::String(first.to_string().into()));
    }
    let wanted = raw.rsplit_once("expected ").map(|(_, w)| w)?;
    let literal: &'static str = match wanted {
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" => "0",
        "f32" | "f64" => "0.0",
        "a boolean" => "false",
        "a string" => "\"\"",
        "a sequence" => "[]",
        w if w.starts_with("struct ") || w == "a map" => "{}",
        _ => return None,
    };
    DeValue::parse(literal).ok().map(Spanned::into_inner)
}

/// The value whose span holds `offset`, searched as [`key_at`] searches (tables whole, then
/// the items of arrays, then the value itself).
fn value_at_mut<'t, 'a>(
    table: &'t mut DeTable<'a>,
    offset: usize,
) -> Option<&'t mut Spanned<DeValue<'a>>> {
    let key = table
        .iter()
        .find(|(_, v)| holds(v, offset))
        .map(|(k, _)| k.get_ref().to_string())?;
    let value = table.get_mut(key.as_str())?;
    inner_at_mut(value, offset)
}

fn inner_at_mut<'t, 'a>(
    value: &'t mut Spanned<DeValue<'a>>,
    offset: usize,
) -> Option<&'t mut Spanned<DeValue<'a>>> {
    let within = match value.get_ref() {
        DeValue::Table(inner) => inner.iter().any(|(_, v)| holds(v, offset)),
        DeValue::Array(items) => items.iter().any(|item| holds(item, offset)),
        _ => false,
    };
    if !within {
        return value.span().contains(&offset).then_some(value);
    }
    match value.get_mut() {
        DeValue::Table(inner) => value_at_mut(inner, offset),
        DeValue::Array(items) => items
            .iter_mut()
            .find(|item| holds(item, offset))
            .and_then(|item| inner_at_mut(item, offset)),
        _ => None,
    }
}

/// Whether `offset` lies in the value or in anything nested in it (a table's own span may
/// be just its header).
fn holds(value: &Spanned<DeValue>, offset: usize) -> bool {
    value.span().contains(&offset)
        || match value.get_ref() {
            DeValue::Table(inner) => inner.iter().any(|(_, v)| holds(v, offset)),
            DeValue::Array(items) => items.iter().any(|item| holds(item, offset)),
            _ => false,
        }
}

/// Reports every id that an earlier item of the file already has (claims, targets), at the
/// later one: ids name files and rows, so each must be unique.
pub fn report_duplicate_ids<'s>(
    ids: impl IntoIterator<Item = &'s Spanned<String>>,
    key: &str,
    what: &str,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
) {
    let mut ids: Vec<(&str, Range<usize>)> = ids
        .into_iter()
        .map(|id| (id.get_ref().as_str(), id.span()))
        .collect();
    ids.sort_by(|a, b| a.0.cmp(b.0).then(a.1.start.cmp(&b.1.start)));
    for pair in ids.windows(2) {
        if pair[0].0 == pair[1].0 {
            found.push(map.diagnostic(
                Some(pair[1].1.clone()),
                Some(key),
                format!(
                    "a second {what} has the id `{}`; ids must be unique",
                    pair[1].0
                ),
            ));
        }
    }
}

/// " (did you mean `x`?)" when a candidate is close, else "".
pub fn suggest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map_or(String::new(), |(_, c)| format!(" (did you mean `{c}`?)"))
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// A value as people read it: text without quotes, numbers as Rust writes them (`0.25`,
/// `1`), lists and tables with their items shown the same way. `explain` describes a
/// scenario's values with it; sweeps write their points in `points.csv` and labels with it.
pub fn show(value: &toml::Value) -> String {
    use toml::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => d.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Value::Table(t) => format!(
            "{{{}}}",
            t.iter()
                .map(|(k, v)| format!("{k} = {}", show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// serde's wording made plain for people writing scenarios, with a suggestion for a
/// misspelt name.
pub fn plain(message: &str) -> String {
    let mut out = message.to_string();
    for (rust, words) in [
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
        ("missing field", "missing key"),
    ] {
        out = out.replace(rust, words);
    }
    if let Some(rest) = out.strip_prefix("invalid type: ")
        && let Some((found, wanted)) = rest.split_once(", expected struct ")
    {
        out = format!("expected a table ({wanted}), found {found}");
    }
    // "unknown variant `x`, expected one of `a`, `b`": suggest the nearest name.
    if let Some(rest) = out.strip_prefix("unknown variant `")
        && let Some((given, expected)) = rest.split_once("`, expected ")
    {
        let names: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(k, _)| k % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let hint = suggest(given, names.iter().copied());
        out = format!("unknown name `{given}`{hint}; expected {expected}");
    }
    out
}

/// The dotted key of the value whose span holds `offset`, for errors that know only where
/// they are. Tables are searched whole (a table's own span may be just its header).
pub fn key_at(table: &DeTable, offset: usize) -> Option<String> {
    for (k, v) in table.iter() {
        let name = k.get_ref().to_string();
        match v.get_ref() {
            DeValue::Table(inner) => {
                if let Some(rest) = key_at(inner, offset) {
                    return Some(format!("{name}.{rest}"));
                }
            }
            DeValue::Array(items) => {
                for (n, item) in items.iter().enumerate() {
                    if let DeValue::Table(inner) = item.get_ref()
                        && let Some(rest) = key_at(inner, offset)
                    {
                        return Some(format!("{name}[{n}].{rest}"));
                    }
                }
                if v.span().contains(&offset) {
                    return Some(name);
                }
            }
            _ => {
                if v.span().contains(&offset) {
                    return Some(name);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_need_a_close_candidate() {
        assert_eq!(
            suggest("capacty", ["capacity", "principal"]),
            " (did you mean `capacity`?)"
        );
        assert_eq!(suggest("zzzzzz", ["capacity"]), "");
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Shares {
        worker: f64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
        share: f64,
        #[serde(default)]
        shares: Option<Shares>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Probe {
        flag: bool,
        inner: Inner,
        items: Vec<Inner>,
    }

    /// The keys and messages `deserialize_all` reports for `text`, or `None` if it reads.
    fn wrong(text: &str) -> Option<Vec<(String, String)>> {
        let mut map = SourceMap::default();
        map.push("p.toml", text);
        let mut doc = parse_table(text, &map).unwrap();
        let mut found = Vec::new();
        let none = |_: &str, _: i128, _: u64| None;
        let spec = deserialize_all::<Probe>(&mut doc, &map, &mut found, &none);
        if found.is_empty() {
            assert!(spec.is_some(), "a document with no wrong value reads");
            return None;
        }
        Some(
            found
                .into_iter()
                .map(|d| (d.key.unwrap_or_default(), d.message))
                .collect(),
        )
    }

    #[test]
    fn every_wrong_typed_value_is_reported_in_the_order_of_the_text() {
        let good =
            "flag = true\n[inner]\ncount = 1\nshare = 0.5\n[[items]]\ncount = 2\nshare = 0.1\n";
        assert_eq!(wrong(good), None);
        let bad = "flag = 1\n[inner]\ncount = \"x\"\nshare = true\n[[items]]\ncount = 2\nshare = 0.1\n[[items]]\ncount = -1\nshare = \"y\"\n";
        let keys: Vec<String> = wrong(bad).unwrap().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "flag",
                "inner.count",
                "inner.share",
                "items[1].count",
                "items[1].share"
            ]
        );
    }

    #[test]
    fn a_table_stand_in_that_is_refused_is_taken_out_and_no_missing_key_is_invented() {
        // `shares = 4` wants a table with `worker`: the empty stand-in is refused, so the
        // value is taken out (it has a default) and the search goes on to `flag`.
        let text = "flag = \"no\"\n[inner]\ncount = 1\nshare = 0.5\nshares = 4\n[[items]]\ncount = 2\nshare = 0.1\n";
        let found = wrong(text).unwrap();
        let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["flag", "inner.shares"]);
        assert!(
            found.iter().all(|(_, m)| !m.contains("missing")),
            "{found:?}"
        );
        // A required table given as a number: reported, and the search ends there without
        // a "missing key" for the stand-in.
        let text = "flag = true\ninner = 4\nitems = []\n";
        assert_eq!(
            wrong(text).unwrap(),
            [(
                "inner".to_string(),
                "expected a table (Inner), found integer `4`".to_string()
            )]
        );
    }

    #[test]
    fn a_number_beyond_its_type_is_reported_with_the_range_or_the_formats_own_words() {
        let text = "flag = true\n[inner]\ncount = 5000000000\nshare = 0.5\n[[items]]\ncount = 99999999999999999999\nshare = 0.1\n";
        let found = wrong(text).unwrap();
        assert_eq!(
            found[0].1,
            "expected a whole number from 0 to 4294967295, found 5000000000"
        );
        assert_eq!(
            found[1].1,
            "expected a whole number from 0 to 4294967295, found 99999999999999999999"
        );
        let mut map = SourceMap::default();
        map.push("p.toml", text);
        let mut doc = parse_table(text, &map).unwrap();
        let mut found = Vec::new();
        let own = |key: &str, n: i128, most: u64| {
            (key == "inner.count").then(|| format!("{key}: {n} > {most}"))
        };
        deserialize_all::<Probe>(&mut doc, &map, &mut found, &own);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].message, "inner.count: 5000000000 > 4294967295");
        assert!(
            found[1]
                .message
                .starts_with("expected a whole number from 0")
        );
    }

    #[test]
    fn ids_are_lowercase_letters_digits_dashes_and_underscores() {
        assert!(is_id("factions_allowed-2"));
        assert!(!is_id("") && !is_id("Historical") && !is_id("a b") && !is_id("a/b"));
        assert!(is_short_id(&"a".repeat(64)) && !is_short_id(&"a".repeat(65)));
        assert!(is_id(&"a".repeat(65)));
    }

    #[test]
    fn only_a_single_plain_name_is_joined() {
        let dir = Path::new("out");
        assert_eq!(
            join_name(dir, "historical.view-lessons", ""),
            Ok(dir.join("historical.view-lessons"))
        );
        assert_eq!(join_name(dir, "unrest", ".svg"), Ok(dir.join("unrest.svg")));
        for bad in [
            "", ".", "..", "../x", "/tmp/x", "a/b", "a\\b", ".hidden", "A", "a b", "x\n",
        ] {
            assert!(join_name(dir, bad, ".svg").is_err(), "{bad:?}");
        }
        assert!(join_name(dir, &"a".repeat(252), ".svg").is_err());
    }

    #[test]
    fn show_writes_text_bare_and_nested_values_alike() {
        let v: toml::Table =
            toml::from_str("a = \"x\"\nb = 1.0\nc = [\"p\", 0.25]\nd = { e = 2 }").unwrap();
        let shown: Vec<String> = ["a", "b", "c", "d"].iter().map(|k| show(&v[*k])).collect();
        assert_eq!(shown, ["x", "1", "[p, 0.25]", "{e = 2}"]);
    }
}
