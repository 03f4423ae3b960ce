//! The commands that read files without running them: `validate` (every problem of any
//! scenario, claims, sweep, map or view file, on stderr, or the work each valid scenario,
//! sweep and map will take), `list` (a table on stdout) and
//! `explain` (a scenario in plain words).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sovsim::limits::{Size, Work, refuse_limit};

use sovsim::scenario::{Scenario, View};

use super::common::files::{beside, load_all, scenario_files};
use super::common::load;
use super::common::{SUCCESS, USAGE, print_error, read_input, read_parent};

/// `sovsim validate`: every problem of every file, or how many are valid and the work each
/// will take. Scenario, claims, sweep, map and view files are told apart by their keys
/// ([`kind_of`]); each is checked in full, as the command that reads it would.
pub fn validate(paths: &[PathBuf]) -> i32 {
    let files = match scenario_files(paths) {
        Ok(files) => files,
        Err(e) => return print_error(e),
    };
    let mut by_kind: BTreeMap<Kind, Vec<PathBuf>> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    for file in files {
        match read_input(&file) {
            Ok(text) => by_kind.entry(kind_of(&text)).or_default().push(file),
            Err(e) => problems.push(e),
        }
    }
    let mut valid: Vec<String> = Vec::new();
    let mut work: Vec<String> = Vec::new();
    if let Some(files) = by_kind.get(&Kind::Scenario) {
        match load_all(files, None) {
            Ok((scenarios, found)) => {
                problems.extend(found);
                if !scenarios.is_empty() {
                    valid.push(format!("{} scenario(s)", scenarios.len()));
                }
                work.extend(scenarios.iter().map(|(file, s)| work_line(file, s)));
            }
            Err(e) => return print_error(e),
        }
    }
    for (kind, files) in &by_kind {
        let mut count = 0;
        for file in files {
            let checked = match kind {
                Kind::Scenario => continue,
                Kind::Claims => check_claims(file),
                Kind::View => check_view(file),
                Kind::Record => check_record(file),
                Kind::Sweep => check_sweep(file),
                Kind::Map => check_map(file),
            };
            match checked {
                Ok(line) => {
                    count += 1;
                    work.extend(line);
                }
                Err(e) => problems.push(e),
            }
        }
        if count > 0 {
            valid.push(format!("{count} {}", kind.files()));
        }
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    if !problems.is_empty() {
        return USAGE;
    }
    eprintln!("sovsim: {} valid", valid.join(", "));
    for line in work {
        eprintln!("{line}");
    }
    SUCCESS
}

/// The kinds of file `validate` checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Scenario,
    Claims,
    Sweep,
    Map,
    View,
    Record,
}

impl Kind {
    fn files(self) -> &'static str {
        match self {
            Kind::Scenario => "scenario(s)",
            Kind::Claims => "claims file(s)",
            Kind::Sweep => "sweep(s)",
            Kind::Map => "map(s)",
            Kind::View => "view(s)",
            Kind::Record => "record(s)",
        }
    }
}

/// What kind of file `text` is, by its top-level keys: `[[claim]]` a claims file,
/// `[[target]]` a record, `[[axis]]`
/// with `base` a sweep and with `claim` a map, `essay` without a calendar a view; anything
/// else (a file that is not TOML too) a scenario, whose checks then say what is wrong.
fn kind_of(text: &str) -> Kind {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Kind::Scenario;
    };
    let has = |key: &str| doc.contains_key(key);
    if doc.get("claim").is_some_and(toml::Value::is_array) {
        Kind::Claims
    } else if doc.get("target").is_some_and(toml::Value::is_array) {
        Kind::Record
    } else if has("axis") && has("base") {
        Kind::Sweep
    } else if has("axis") && has("claim") {
        Kind::Map
    } else if has("essay") && !has("start") && !has("extends") {
        Kind::View
    } else {
        Kind::Scenario
    }
}

/// A claims file checked on its own, and each scenario it names read and checked.
fn check_claims(file: &Path) -> Result<Vec<String>, String> {
    let text = read_input(file)?;
    let shown = file.display().to_string();
    let claims = sovsim::claims::parse(&text, &shown).map_err(|d| d.to_string())?;
    let mut named: Vec<PathBuf> = Vec::new();
    for claim in &claims.claims {
        let mut sides = vec![beside(file, &claim.test.scenario)];
        if let sovsim::claims::Against::Baseline(b) = &claim.test.against {
            sides.push(beside(file, b));
        }
        for side in sides {
            if !named.contains(&side) {
                named.push(side);
            }
        }
    }
    let mut problems = Vec::new();
    for scenario in &named {
        let checked = read_input(scenario).and_then(|t| {
            Scenario::parse_with(&t, &scenario.display().to_string(), &read_parent)
                .map_err(|d| d.to_string())
        });
        if let Err(e) = checked {
            problems.push(format!(
                "{shown}: error: a claim names {}, which is not a valid scenario:\n{e}",
                scenario.display()
            ));
        }
    }
    if problems.is_empty() {
        Ok(Vec::new())
    } else {
        Err(problems.join("\n"))
    }
}

/// A record checked.
fn check_record(file: &Path) -> Result<Vec<String>, String> {
    let text = read_input(file)?;
    sovsim::record::parse(&text, &file.display().to_string())
        .map(|_| Vec::new())
        .map_err(|d| d.to_string())
}

/// A view file checked.
fn check_view(file: &Path) -> Result<Vec<String>, String> {
    let text = read_input(file)?;
    View::parse(&text, &file.display().to_string())
        .map(|_| Vec::new())
        .map_err(|d| d.to_string())
}

/// A sweep checked as `sovsim sweep` checks it (its base, every point), and its work.
fn check_sweep(file: &Path) -> Result<Vec<String>, String> {
    let weighed = RefCell::new(None);
    let weigh = |s: &sovsim::sweep::Sweep, base: &Scenario| {
        let work = Work {
            points: s.points.len() as u64,
            ..Work::ensemble(s.replicates, base.agents(), base.steps())
        };
        *weighed.borrow_mut() = Some((format!("sweep {}", s.name), work));
        Ok(())
    };
    load::sweep(file, &weigh).map_err(|e| e.to_string())?;
    Ok(weighed
        .into_inner()
        .map(|(name, work)| grid_line(file, &name, &work, "sweep"))
        .into_iter()
        .collect())
}

/// A map checked as `sovsim map` checks it (its claim, its scenarios, every point), and its
/// work, every side at the largest side's size.
fn check_map(file: &Path) -> Result<Vec<String>, String> {
    let weighed = RefCell::new(None);
    let weigh = |m: &sovsim::map::ClaimMap, sides: &[load::Read]| {
        if let Some(s) = sides
            .iter()
            .map(|r| &r.scenario)
            .max_by_key(|s| u64::from(s.agents()) * u64::from(s.steps()))
        {
            let work = Work {
                points: m.points.len() as u64,
                sides: sides.len() as u32,
                ..Work::ensemble(m.replicates, s.agents(), s.steps())
            };
            *weighed.borrow_mut() = Some((format!("map {}", m.name), work));
        }
        Ok(())
    };
    load::map(file, &weigh).map_err(|e| e.to_string())?;
    Ok(weighed
        .into_inner()
        .map(|(name, work)| grid_line(file, &name, &work, "map"))
        .into_iter()
        .collect())
}

/// What running a sweep's or a map's points will take, in a line, as [`work_line`] says it
/// of a scenario.
fn grid_line(file: &Path, name: &str, work: &Work, command: &str) -> String {
    match work.size() {
        Size::Ordinary => format!("sovsim: {name}: {}", work.describe()),
        Size::Long => format!("{}: warning: {name}: {}", file.display(), work.describe()),
        Size::TooLong => format!(
            "{}: warning: {name}: {}, {}: {command} refuses it",
            file.display(),
            work.describe(),
            refuse_limit()
        ),
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
