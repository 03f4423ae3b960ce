//! Diagnostics for scenario files: each names the file, the line and column of the offending
//! value, the key, and what was expected, and renders like a compiler error with the source
//! line and a caret under the value.

use std::fmt;
use std::ops::Range;

/// One problem found in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line and column of the offending value (1:1 when unknown).
    pub line: usize,
    pub column: usize,
    /// The dotted key of the value, when known (`rules.repression.capacity`).
    pub key: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// The source line, for display.
    pub source_line: String,
}

impl Diagnostic {
    /// A diagnostic at a byte span of `source`.
    pub fn at(
        file: &str,
        source: &str,
        span: Option<Range<usize>>,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column, source_line) = match span {
            Some(span) if span.start <= source.len() => locate(source, span.start),
            _ => (1, 1, source.lines().next().unwrap_or("").to_string()),
        };
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            key: key.map(str::to_string),
            message: message.into(),
            source_line,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset, and that line's text.
fn locate(source: &str, offset: usize) -> (usize, usize, String) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = source[line_start..offset.min(source.len())].chars().count() + 1;
    let text = source[line_start..]
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    (line, column, text)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error: ", self.file, self.line, self.column)?;
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        writeln!(f, "{}", self.message)?;
        if !self.source_line.is_empty() {
            let gutter = self.line.to_string().len();
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{} | {}", self.line, self.source_line)?;
            write!(f, "{:gutter$} | {:>col$}", "", "^", col = self.column)?;
        }
        Ok(())
    }
}

/// All the problems of one file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, d) in self.0.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
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
}
