//! Shared checks of the fuzz targets: every diagnostic has a line and a column (1-based,
//! inside the file it names, when that file is one the target knows) and a message.

use sovsim::scenario::Diagnostics;

/// Panics (a fuzzing finding) unless every diagnostic is well formed. `files` gives the text
/// of each file a diagnostic may name; a diagnostic naming a file not listed (a sweep point's
/// variation, say) is only checked for line, column >= 1 and a message.
pub fn check(d: &Diagnostics, files: &[(&str, &str)]) {
    assert!(!d.0.is_empty(), "Err with no diagnostic");
    for diag in &d.0 {
        assert!(diag.line >= 1, "line 0 in {diag:?}");
        assert!(diag.column >= 1, "column 0 in {diag:?}");
        assert!(!diag.message.trim().is_empty(), "empty message in {diag:?}");
        if let Some((_, text)) = files.iter().find(|(f, _)| *f == diag.file) {
            let lines = text.matches('\n').count() + 1;
            assert!(
                diag.line <= lines,
                "line {} past the end of {} ({lines} lines): {diag:?}",
                diag.line,
                diag.file
            );
            let line_text = text.split('\n').nth(diag.line - 1).unwrap_or("");
            let width = line_text.chars().count() + 1;
            assert!(
                diag.column <= width,
                "column {} past the end of line {} of {} ({width} columns): {diag:?}",
                diag.column,
                diag.line,
                diag.file
            );
        }
        // Rendering must not panic either (it is what the user sees).
        let _ = diag.to_string();
    }
}
