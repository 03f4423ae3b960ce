//! Where a file's text comes from: one file, or a scenario's chain of files joined by
//! `extends` (the child first, then its parent, its parent's parent...). Each file's text
//! is placed at its own offset in one virtual text, by parsing it behind that many newlines
//! (whitespace that TOML ignores), so that every span found while parsing or checking any
//! file of the chain points back at the right file, line and column.

use std::ops::Range;
use std::sync::OnceLock;

use super::Diagnostic;
use super::diagnostic::TextIndex;

/// One file of a chain.
#[derive(Clone, Debug)]
struct Segment {
    file: String,
    start: usize,
    text: String,
    /// Built on the first diagnostic in this file, so that many diagnostics cost one pass.
    index: OnceLock<TextIndex>,
}

/// The files of a document (a scenario's chain, or one claims or sweep file), each at its
/// offset in the virtual text.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

impl SourceMap {
    /// Adds a file after the others; returns its index.
    pub fn push(&mut self, file: &str, text: &str) -> usize {
        let start = self
            .segments
            .last()
            .map_or(0, |s| s.start + s.text.len() + 1);
        self.segments.push(Segment {
            file: file.to_string(),
            start,
            text: text.to_string(),
            index: OnceLock::new(),
        });
        self.segments.len() - 1
    }

    pub fn len(&self) -> usize {
        self.segments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Bytes of text in all the files.
    pub fn text_len(&self) -> usize {
        self.segments.iter().map(|s| s.text.len()).sum()
    }

    /// The name of file `k`.
    pub fn file(&self, k: usize) -> &str {
        &self.segments[k].file
    }

    /// The text of file `k`.
    pub fn text(&self, k: usize) -> &str {
        &self.segments[k].text
    }

    /// File `k`'s text behind as many newlines as its offset, for parsing.
    pub fn padded(&self, k: usize) -> String {
        let s = &self.segments[k];
        let mut out = String::with_capacity(s.start + s.text.len());
        out.extend(std::iter::repeat_n('\n', s.start));
        out.push_str(&s.text);
        out
    }

    /// A diagnostic at a span of the virtual text; without a span, at the start of the first
    /// file (the one the user named).
    pub fn diagnostic(
        &self,
        span: Option<Range<usize>>,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        if let Some(span) = span {
            if let Some(s) = self
                .segments
                .iter()
                .rev()
                .find(|s| s.start <= span.start && span.start <= s.start + s.text.len())
            {
                let local = span.start - s.start..span.end.saturating_sub(s.start);
                let index = s.index.get_or_init(|| TextIndex::new(&s.text));
                return Diagnostic::at_indexed(&s.file, &s.text, index, Some(local), key, message);
            }
        }
        match self.segments.first() {
            Some(s) => Diagnostic::at(&s.file, &s.text, None, key, message),
            None => Diagnostic::at("", "", None, key, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_map_back_to_their_file_line_and_column() {
        let mut map = SourceMap::default();
        map.push("child.toml", "a = 1\nb = 2\n");
        map.push("parent.toml", "x = 1\ny = 22\n");
        let parent = map.padded(1);
        let at = parent.find("22").unwrap();
        let d = map.diagnostic(Some(at..at + 2), Some("y"), "bad");
        assert_eq!((d.file.as_str(), d.line, d.column), ("parent.toml", 2, 5));
        let child = map.padded(0);
        let at = child.find('2').unwrap();
        let d = map.diagnostic(Some(at..at + 1), Some("b"), "bad");
        assert_eq!((d.file.as_str(), d.line, d.column), ("child.toml", 2, 5));
        // Padding parses as the same document.
        let doc = toml::de::DeTable::parse(&parent).unwrap();
        assert!(doc.get_ref().get("y").is_some());
    }
}
