//! Diagnostics for scenario, claims and sweep files: each names the file, the line and
//! column of the offending value, the key, and what was expected, and renders like a
//! compiler error with the source line and a caret under the value.
//!
//! Hostile files must not make the errors themselves expensive: a [`TextIndex`] finds a
//! byte offset's line and column in time independent of the file's size, each diagnostic
//! keeps only a short excerpt of its line (not the whole line, which may be a megabyte of
//! inline array), and a long list of problems is rendered up to [`SHOWN`] of them.

use std::fmt;
use std::ops::Range;

/// How many diagnostics a [`Diagnostics`] renders before summarising the rest.
pub const SHOWN: usize = 100;

/// Characters of context kept on each side of the caret when a source line is too long to
/// show whole.
const CONTEXT: usize = 40;

/// Lines up to this many characters are shown whole.
const WHOLE_LINE: usize = 2 * CONTEXT + 20;

/// Bytes between the character-count checkpoints of a [`TextIndex`].
const CHECKPOINT: usize = 4096;

/// One problem found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line and column (in characters) of the offending value (1:1 when unknown).
    pub line: usize,
    pub column: usize,
    /// The dotted key of the value, when known (`rules.repression.capacity`).
    pub key: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// The source line for display: the whole line or, for a long line, an excerpt around
    /// the column with `…` where it was cut.
    pub source_line: String,
    /// 1-based character position of the caret within `source_line`.
    pub caret: usize,
}

impl Diagnostic {
    /// A diagnostic at a byte span of `source`. Indexes `source` for this one diagnostic; a
    /// caller reporting many problems in one text uses [`Diagnostic::at_indexed`].
    pub fn at(
        file: &str,
        source: &str,
        span: Option<Range<usize>>,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let index = match span {
            Some(_) => TextIndex::new(source),
            None => TextIndex::default(),
        };
        Diagnostic::at_indexed(file, source, &index, span, key, message)
    }

    /// A diagnostic at a byte span of `source`, located with `index`, which was built from
    /// `source` (an index of another text is ignored and a fresh one built).
    pub fn at_indexed(
        file: &str,
        source: &str,
        index: &TextIndex,
        span: Option<Range<usize>>,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let place = match span {
            Some(span) if span.start <= source.len() => {
                if index.text_len == source.len() && !index.line_starts.is_empty() {
                    index.locate(source, span.start)
                } else {
                    TextIndex::new(source).locate(source, span.start)
                }
            }
            _ => Place::first_line(source),
        };
        Diagnostic {
            file: file.to_string(),
            line: place.line,
            column: place.column,
            key: key.map(str::to_string),
            message: message.into(),
            source_line: place.excerpt,
            caret: place.caret,
        }
    }
}

/// Where a byte offset is, and what to show of its line.
struct Place {
    line: usize,
    column: usize,
    excerpt: String,
    caret: usize,
}

impl Place {
    fn first_line(source: &str) -> Place {
        let end = source.find('\n').unwrap_or(source.len());
        let (excerpt, caret) = excerpt(&source[..end], 0);
        Place {
            line: 1,
            column: 1,
            excerpt,
            caret,
        }
    }
}

/// Where the lines of a text start, and how many characters precede every
/// [`CHECKPOINT`]-th byte: an offset's line is then a binary search, and its column a count
/// over at most two checkpoint intervals, however long the line.
#[derive(Clone, Debug, Default)]
pub struct TextIndex {
    text_len: usize,
    line_starts: Vec<usize>,
    chars_before_checkpoint: Vec<usize>,
}

impl TextIndex {
    pub fn new(text: &str) -> TextIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(k, _)| k + 1),
        );
        let mut chars_before_checkpoint = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut chars = 0;
        for block in bytes.chunks(CHECKPOINT) {
            chars_before_checkpoint.push(chars);
            chars += count_chars(block);
        }
        chars_before_checkpoint.push(chars);
        TextIndex {
            text_len: text.len(),
            line_starts,
            chars_before_checkpoint,
        }
    }

    /// Characters of `text` before byte `offset`, a character boundary.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / CHECKPOINT;
        self.chars_before_checkpoint[block]
            + count_chars(&text.as_bytes()[block * CHECKPOINT..offset])
    }

    fn locate(&self, text: &str, offset: usize) -> Place {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(text.len(), |&next| next - 1);
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        let (excerpt, caret) = excerpt(&text[start..end], offset - start);
        Place {
            line,
            column,
            excerpt,
            caret,
        }
    }
}

/// Characters in a byte slice of UTF-8 (cut anywhere): the bytes that start a character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The largest character boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// What to show of `line` (without its newline) for a caret at byte `at`, and the caret's
/// 1-based character position in it. Costs O([`CONTEXT`]), not O(line), for a long line.
fn excerpt(line: &str, at: usize) -> (String, usize) {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let at = floor_char_boundary(line, at);
    let (before, after) = line.split_at(at);
    // Short lines are shown whole; counting is cheap when the bytes are few.
    if line.len() <= WHOLE_LINE {
        return (printable(line), before.chars().count() + 1);
    }
    let from = before
        .char_indices()
        .rev()
        .nth(CONTEXT - 1)
        .map_or(0, |(k, _)| k);
    let to = after
        .char_indices()
        .nth(CONTEXT)
        .map_or(line.len(), |(k, _)| at + k);
    let mut shown = String::with_capacity(to - from + 6);
    let mut caret = before[from..].chars().count() + 1;
    if from > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.push_str(&printable(&line[from..to]));
    if to < line.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// A line as it may be shown on a terminal, one character for each of its characters (so
/// the caret stays aligned): a tab becomes a space (a terminal would widen it), and any other
/// control character the replacement character, so that a hostile file cannot send escape
/// sequences to the terminal of whoever checks it.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// A message as it may be shown on a terminal: control characters other than a newline
/// (which may come from a key or value in the file) are written as escapes.
fn write_message(f: &mut fmt::Formatter<'_>, message: &str) -> fmt::Result {
    for c in message.chars() {
        if c.is_control() && c != '\n' {
            write!(f, "{}", c.escape_default())?;
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error: ", self.file, self.line, self.column)?;
        if let Some(key) = &self.key {
            write!(f, "`")?;
            write_message(f, key)?;
            write!(f, "`: ")?;
        }
        write_message(f, &self.message)?;
        writeln!(f)?;
        if !self.source_line.is_empty() {
            // Padding is written out, not given as a format width: widths above u16::MAX
            // panic, and a column can be larger than that.
            let gutter = " ".repeat(self.line.to_string().len());
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{} | {}", self.line, self.source_line)?;
            let pad = " ".repeat(self.caret.saturating_sub(1));
            write!(f, "{gutter} | {pad}^")?;
        }
        Ok(())
    }
}

/// All the problems of one file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The problems found, one per value: a later problem at the same file, line, column
    /// and key as an earlier one is dropped. A wrong-typed value is reported and then
    /// checked again as the stand-in that took its place (so that the checks after it
    /// still run); what the checks say of the stand-in is about the stand-in, not the file.
    pub fn new(found: Vec<Diagnostic>) -> Diagnostics {
        let mut seen = std::collections::BTreeSet::new();
        Diagnostics(
            found
                .into_iter()
                .filter(|d| seen.insert((d.file.clone(), d.line, d.column, d.key.clone())))
                .collect(),
        )
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, d) in self.0.iter().take(SHOWN).enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > SHOWN {
            write!(
                f,
                "\n… and {} more problems ({} in all; the first {SHOWN} are shown)",
                self.0.len() - SHOWN,
                self.0.len()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_key_and_caret() {
        let src = "name = \"x\"\nagents = 1.5\n";
        let d = Diagnostic::at(
            "s.toml",
            src,
            Some(20..23),
            Some("agents"),
            "expected a whole number",
        );
        assert_eq!((d.line, d.column), (2, 10));
        let text = d.to_string();
        assert!(
            text.starts_with("s.toml:2:10: error: `agents`: expected a whole number"),
            "{text}"
        );
        assert!(text.contains("2 | agents = 1.5"));
        assert!(text.ends_with("  |          ^"), "{text:?}");
    }

    /// The index agrees with a plain count from the start, across checkpoints, lines and
    /// multi-byte characters (a `\r\n` line end included).
    #[test]
    fn index_locates_like_a_scan_from_the_start() {
        let line = "ключ = «значение» # ω\r\n".repeat(200) + "x = 1\n" + &"é".repeat(9000);
        let index = TextIndex::new(&line);
        for (offset, _) in line.char_indices().step_by(37) {
            let before = &line[..offset];
            let row = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |p| p + 1);
            let column = line[start..offset].chars().count() + 1;
            let d = Diagnostic::at_indexed("f", &line, &index, Some(offset..offset), None, "m");
            assert_eq!((d.line, d.column), (row, column), "at byte {offset}");
            assert!(!d.source_line.ends_with('\r'));
            let under: String = d.source_line.chars().skip(d.caret - 1).take(1).collect();
            let expected: String = line[offset..].chars().take(1).collect();
            let expected = if expected == "\r" || expected == "\n" {
                String::new()
            } else {
                expected
            };
            assert_eq!(under, expected, "caret at byte {offset}");
        }
    }

    /// The character of the shown source line that the caret, on the last line of a
    /// rendered diagnostic, points at: what a reader sees, tab widths and cuts included.
    fn char_above_caret(rendered: &str) -> Option<char> {
        let lines: Vec<&str> = rendered.lines().collect();
        let [.., source, caret] = lines[..] else {
            return None;
        };
        source.chars().nth(caret.chars().count() - 1)
    }

    /// A value far along a very long line: the column is exact, the excerpt short and cut
    /// on both sides, the caret under the value, and rendering does not panic (format
    /// widths above 65,535 do).
    #[test]
    fn long_lines_are_excerpted_around_the_column() {
        let text = format!("{}x = 1{}\n", " ".repeat(70_000), " ".repeat(1000));
        let d = Diagnostic::at("f", &text, Some(70_000..70_001), None, "m");
        assert_eq!((d.line, d.column), (1, 70_001));
        assert!(d.source_line.chars().count() <= 2 * CONTEXT + 2);
        assert!(d.source_line.starts_with('…') && d.source_line.ends_with('…'));
        assert_eq!(d.source_line.chars().nth(d.caret - 1), Some('x'));
        let shown = d.to_string();
        assert_eq!(char_above_caret(&shown), Some('x'), "{shown}");
    }

    /// A file cannot reach the terminal with escape sequences: control characters in the
    /// shown line and in the message are replaced or escaped, and a tab is shown as one
    /// space, so the caret stays under the value.
    #[test]
    fn control_characters_never_reach_the_terminal() {
        let src = "\tx = \"\u{1b}[2J\" # \u{7}\n";
        let d = Diagnostic::at(
            "f",
            src,
            Some(1..2),
            Some("\u{1b}]0;title\u{7}"),
            "unknown key `\u{1b}[31m`",
        );
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains("\\u{1b}[31m"), "{shown}");
        assert_eq!(char_above_caret(&shown), Some('x'), "{shown}");
    }

    #[test]
    fn many_problems_are_summarised_after_the_first_hundred() {
        let one = Diagnostic::at("f", "a = 1\n", Some(4..5), Some("a"), "bad");
        let all = Diagnostics(vec![one; SHOWN + 7]);
        let shown = all.to_string();
        assert_eq!(shown.matches("error:").count(), SHOWN);
        assert!(shown.ends_with("… and 7 more problems (107 in all; the first 100 are shown)"));
        let few = Diagnostics(all.0[..3].to_vec()).to_string();
        assert!(!few.contains("more problems"));
    }
}
