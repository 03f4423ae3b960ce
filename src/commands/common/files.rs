//! Where the shipped files are, listing the files a command is given (a folder stands for
//! its `*.toml` files), and reading and checking scenarios.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::scenario::{Scenario, VIEWS_DIR, View, suggest};

use super::{InvalidInput, read_parent};

/// The shipped scenarios, read when no path is given.
pub const SCENARIOS_DIR: &str = "scenarios";

/// The published reference models' scenarios, read by default with [`SCENARIOS_DIR`].
pub const REFERENCE_SCENARIOS_DIR: &str = "scenarios/reference";

/// The shipped claims files, tested by `claims` with no path and by the main job.
pub const CLAIMS_DIR: &str = "scenarios/claims";

/// The shipped sweep files, run by the main job.
pub const SWEEPS_DIR: &str = "scenarios/sweeps";

/// The shipped claim maps, run by the main job.
pub const MAPS_DIR: &str = "scenarios/maps";

/// Where a map's files go in the output folder: `OUT/claims/maps/<name>.*`, beside the
/// claims page that shows them.
pub const MAPS_OUT: &str = "claims/maps";

/// A file named in another file (a scenario in a claims file, a claims file in a map),
/// relative to the folder of the file that names it.
pub fn beside(file: &Path, named: &str) -> PathBuf {
    let base = file.parent().unwrap_or(Path::new(""));
    let joined = base.join(named);
    // Lexically tidy `a/claims/../x.toml` to `a/x.toml`, so that two claims naming the same
    // file by different routes share one run.
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The scenario files named by the paths: files as given, folders' `*.toml` files sorted by
/// name (not recursive: subfolders hold other file kinds).
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut defaults = vec![PathBuf::from(SCENARIOS_DIR)];
    if Path::new(REFERENCE_SCENARIOS_DIR).is_dir() {
        defaults.push(PathBuf::from(REFERENCE_SCENARIOS_DIR));
    }
    toml_files(paths, &defaults, "scenario")
}

/// The files named, with each folder standing for its `*.toml` files in name order; the
/// `defaults` when none is named. A folder without such files or a path that does not exist
/// is an error naming `what` the files should be.
pub fn toml_files(paths: &[PathBuf], defaults: &[PathBuf], what: &str) -> Result<Vec<PathBuf>> {
    let paths = if paths.is_empty() { defaults } else { paths };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = toml_files_in(path)?;
            if found.is_empty() {
                return Err(InvalidInput(format!(
                    "sovsim: error: no {what} files (*.toml) in {}",
                    path.display()
                ))
                .into());
            }
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(InvalidInput(format!(
                "sovsim: error: no such file or folder: {}",
                path.display()
            ))
            .into());
        }
    }
    Ok(files)
}

/// The `*.toml` files directly in a folder, in name order.
pub fn toml_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot read folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    found.sort();
    Ok(found)
}

/// The scenarios that passed their checks (with their files), and every problem found, as
/// printable text.
pub type Loaded = (Vec<(PathBuf, Scenario)>, Vec<String>);

/// Reads and checks every scenario named by the paths (all files are checked, whatever
/// fails), each under `view` if one is given, with the record each names.
pub fn load_all(paths: &[PathBuf], view: Option<&View>) -> Result<Loaded> {
    let files = scenario_files(paths)?;
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for file in &files {
        let shown = file.display().to_string();
        let text = match super::read_input(file) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        match Scenario::parse_viewed(&text, &shown, &read_parent, view, None) {
            // The record a scenario names is checked with it, so that a run is not made
            // only to find that it cannot be fitted.
            Ok(s) => match super::fitting::named_record(&s) {
                Ok(_) => scenarios.push((file.clone(), s)),
                Err(why) => problems.push(why),
            },
            Err(d) => problems.push(d.to_string()),
        }
    }
    // Sorted by name, then by file, so that every pair sharing a name is named once.
    let mut names: Vec<(&str, &Path)> = scenarios
        .iter()
        .map(|(file, s)| (s.name.as_str(), file.as_path()))
        .collect();
    names.sort_unstable();
    for w in names.windows(2).filter(|w| w[0].0 == w[1].0) {
        problems.push(format!(
            "sovsim: error: {} and {} are both named `{}`; scenarios run together need different names (each names its output folder)",
            w[0].1.display(),
            w[1].1.display(),
            w[0].0
        ));
    }
    Ok((scenarios, problems))
}

/// [`load_all`], with every problem an [`InvalidInput`]: nothing runs unless every file is
/// valid.
pub fn load_valid(paths: &[PathBuf], view: Option<&View>) -> Result<Vec<(PathBuf, Scenario)>> {
    let (scenarios, problems) = load_all(paths, view)?;
    if !problems.is_empty() {
        return Err(InvalidInput(problems.join("\n")).into());
    }
    Ok(scenarios)
}

/// The view `--view` names, read and checked: `scenarios/views/NAME.toml` when that file
/// exists (relative to the working folder, as the shipped scenarios are), else the value
/// as a path. Neither is an [`InvalidInput`] listing the views found; a view with
/// problems is one with every problem, located.
pub fn load_view(named: Option<&str>) -> Result<Option<View>> {
    let Some(named) = named else {
        return Ok(None);
    };
    let shipped = Path::new(VIEWS_DIR).join(format!("{named}.toml"));
    let path = if !named.is_empty() && !named.contains(['/', '\\']) && shipped.is_file() {
        shipped
    } else if Path::new(named).is_file() {
        PathBuf::from(named)
    } else {
        let found: Vec<String> = toml_files_in(Path::new(VIEWS_DIR))
            .unwrap_or_default()
            .iter()
            .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
            .collect();
        let listed = if found.is_empty() {
            format!("there are none in {VIEWS_DIR}")
        } else {
            format!("the views in {VIEWS_DIR} are {}", found.join(", "))
        };
        return Err(InvalidInput(format!(
            "sovsim: error: no view named `{named}` and no such file{}; {listed}",
            suggest(named, found.iter().map(String::as_str))
        ))
        .into());
    };
    read_view(&path)
        .map(Some)
        .map_err(|problems| InvalidInput(problems).into())
}

/// Every view in [`VIEWS_DIR`], read and checked, in the order of their names; none when
/// there is no such folder (a library of one's own). Every problem is reported at once, and
/// two files giving one name are refused: their runs would share folders.
pub fn load_views() -> Result<Vec<View>> {
    let dir = Path::new(VIEWS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut views = Vec::new();
    let mut problems = Vec::new();
    for path in toml_files_in(dir)? {
        match read_view(&path) {
            Ok(v) => views.push(v),
            Err(p) => problems.push(p),
        }
    }
    views.sort_by(|a, b| a.name.cmp(&b.name).then(a.file.cmp(&b.file)));
    for pair in views.windows(2) {
        if pair[0].name == pair[1].name {
            problems.push(format!(
                "sovsim: error: {} and {} are both the view `{}`; views must have different names (they name the viewed runs' folders)",
                pair[0].file, pair[1].file, pair[0].name
            ));
        }
    }
    if !problems.is_empty() {
        return Err(InvalidInput(problems.join("\n")).into());
    }
    Ok(views)
}

/// A view file read and checked; its problems as printable text.
fn read_view(path: &Path) -> std::result::Result<View, String> {
    let shown = path.display().to_string();
    let text = super::read_input(path)?;
    View::parse(&text, &shown).map_err(|d| d.to_string())
}
