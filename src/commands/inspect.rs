//! The commands that read scenarios without running them: `validate` (every problem, on
//! stderr, or the work each valid scenario will take), `list` (a table on stdout) and
//! `explain` (a scenario in plain words).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use sovsim::limits::{Size, Work, refuse_limit};

use super::common::files::load_all;
use super::common::{SUCCESS, USAGE, print_error, read_input, read_parent};

/// `sovsim validate`: every problem of every file, or how many are valid.
pub fn validate(paths: &[PathBuf]) -> i32 {
    match load_all(paths, None) {
        Ok((scenarios, problems)) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            if problems.is_empty() {
                eprintln!("sovsim: {} scenario(s) valid", scenarios.len());
                for (file, s) in &scenarios {
                    eprintln!("{}", work_line(file, s));
                }
                SUCCESS
            } else {
                USAGE
            }
        }
        Err(e) => print_error(e),
    }
}

/// What running a valid scenario will take, in a line: a warning at its file past the
/// documented sizes ([`sovsim::limits::size`]), saying when `run` would refuse it.
fn work_line(file: &Path, s: &sovsim::scenario::Scenario) -> String {
    let work = Work::ensemble(s.replicates, s.agents(), s.steps());
    match work.size() {
        Size::Ordinary => format!("sovsim: {}: {}", s.name, work.describe()),
        Size::Long => format!(
            "{}: warning: {}: {}",
            file.display(),
            s.name,
            work.describe()
        ),
        Size::TooLong => format!(
            "{}: warning: {}: {}, {}: run, compare and claims refuse it",
            file.display(),
            s.name,
            work.describe(),
            refuse_limit()
        ),
    }
}

/// `sovsim list`: a tab-separated table of the valid scenarios; the problems of the others.
pub fn list(paths: &[PathBuf]) -> i32 {
    match load_all(paths, None) {
        Ok((scenarios, problems)) => {
            let mut table = String::from("name\tstart\tend\tagents\treplicates\tdescription\n");
            for (_, s) in &scenarios {
                table.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    s.name,
                    s.calendar.date(0),
                    s.calendar.date(s.steps().saturating_sub(1)),
                    s.agents(),
                    s.replicates,
                    s.description
                ));
            }
            // A closed pipe (`sovsim list | head -1`) is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(table.as_bytes());
            for problem in &problems {
                eprintln!("{problem}");
            }
            if problems.is_empty() { SUCCESS } else { USAGE }
        }
        Err(e) => print_error(e),
    }
}

/// `sovsim explain`: the scenario in plain words on stdout, or its problems on stderr.
pub fn explain(path: &Path) -> i32 {
    let shown = path.display().to_string();
    let text = match read_input(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return USAGE;
        }
    };
    match sovsim::explain::explain(&text, &shown, &read_parent) {
        Ok(words) => {
            // A closed pipe (`sovsim explain x.toml | head`) is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(words.as_bytes());
            SUCCESS
        }
        Err(problems) => {
            eprintln!("{problems}");
            USAGE
        }
    }
}
