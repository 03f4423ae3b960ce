//! The shipped scenario library: every file validates and lists through the real binary,
//! and every counterfactual changes exactly what the `# changes:` line of its header says,
//! relative to `historical.toml`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn scenarios() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(scenarios())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_validates_and_is_listed() {
    Command::cargo_bin("sovsim")
        .unwrap()
        .arg("validate")
        .arg(scenarios())
        .assert()
        .success();
    let out = Command::cargo_bin("sovsim")
        .unwrap()
        .arg("list")
        .arg(scenarios())
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed = String::from_utf8(out.stdout).unwrap();
    for file in shipped() {
        let name = file.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(
            listed.lines().any(|l| l.starts_with(&format!("{name}\t"))),
            "{name} in\n{listed}"
        );
    }
}

/// Dotted keys of every value in a table (arrays are values).
fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeSet<String>) {
    for (key, value) in table {
        let dotted = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&dotted, inner, out),
            _ => {
                out.insert(dotted);
            }
        }
    }
}

fn event_ids(table: &toml::Table) -> Vec<(String, bool)> {
    table
        .get("events")
        .and_then(|e| e.as_array())
        .map(|events| {
            events
                .iter()
                .filter_map(|e| {
                    let t = e.as_table()?;
                    let id = t.get("id")?.as_str()?.to_string();
                    let remove = t.get("remove").and_then(|r| r.as_bool()) == Some(true);
                    Some((id, remove))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What a file (and the files between it and `historical.toml`) changes: dotted keys, and
/// events as `events +id` (added), `events -id` (removed) or `events ~id` (replaced).
fn changes(file: &Path, historical_ids: &BTreeSet<String>) -> BTreeSet<String> {
    let table: toml::Table = fs::read_to_string(file).unwrap().parse().unwrap();
    let mut out = BTreeSet::new();
    let mut own = table.clone();
    for key in ["extends", "name", "description", "events"] {
        own.remove(key);
    }
    flatten("", &own, &mut out);
    for (id, remove) in event_ids(&table) {
        let sign = if remove {
            '-'
        } else if historical_ids.contains(&id) {
            '~'
        } else {
            '+'
        };
        out.insert(format!("events {sign}{id}"));
    }
    if let Some(parent) = table.get("extends").and_then(|e| e.as_str())
        && parent != "historical.toml"
    {
        out.extend(changes(
            &file.parent().unwrap().join(parent),
            historical_ids,
        ));
    }
    out
}

#[test]
fn every_counterfactual_changes_exactly_what_its_header_says() {
    let historical: toml::Table = fs::read_to_string(scenarios().join("historical.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let ids: BTreeSet<String> = event_ids(&historical).into_iter().map(|(i, _)| i).collect();
    let mut checked = 0;
    for file in shipped() {
        if file.file_name().unwrap() == "historical.toml" {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("# "),
            "{}: opens with a comment saying which argument it runs",
            file.display()
        );
        let header = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .find_map(|l| l.strip_prefix("# changes: "))
            .unwrap_or_else(|| panic!("{}: no `# changes:` line", file.display()));
        let declared: BTreeSet<String> = header.split(", ").map(str::to_string).collect();
        assert_eq!(declared, changes(&file, &ids), "{}", file.display());
        let table: toml::Table = text.parse().unwrap();
        let mut root = file.clone();
        let mut parent = table
            .get("extends")
            .and_then(|e| e.as_str())
            .map(String::from);
        while let Some(p) = parent {
            root = file.parent().unwrap().join(&p);
            let t: toml::Table = fs::read_to_string(&root).unwrap().parse().unwrap();
            parent = t.get("extends").and_then(|e| e.as_str()).map(String::from);
        }
        assert_eq!(
            root.file_name().unwrap(),
            "historical.toml",
            "{} extends historical",
            file.display()
        );
        checked += 1;
    }
    assert!(
        checked >= 10,
        "the library has every counterfactual the README lists"
    );
}

#[test]
fn every_shipped_scenario_runs() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("sovsim")
        .unwrap()
        .arg("run")
        .arg(scenarios())
        .args(["--replicates", "1", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for file in shipped() {
        let name = file.file_stem().unwrap().to_str().unwrap();
        let summary = dir.path().join(name).join("summary.csv");
        assert!(summary.is_file(), "{}", summary.display());
    }
}
