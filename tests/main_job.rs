//! Integration tests of the main job's bookkeeping, on the real binary and a small library of
//! two scenarios: the per-stage timings it writes, its closing line, and a rerun with
//! nothing changed, which must reuse every finished run (and say so) while any change that
//! affects results (the scenario's text, the version of sovsim, a file missing or cut short)
//! runs again, the outputs byte for byte the same either way.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use assert_cmd::Command;

mod common;

/// Two small scenarios named as the first demonstration's, so that the main job compares
/// them too.
fn library(dir: &Path) {
    library_of(dir, 3);
}

/// The same library with `replicates` replicates of each scenario.
fn library_of(dir: &Path, replicates: u32) {
    fs::create_dir(dir.join("scenarios")).unwrap();
    for (name, extra) in [("historical", ""), ("factions_allowed", "seed = 9\n")] {
        let text = format!(
            r#"name = "{name}"
description = "A small scenario for the main job's tests."
start = "1918-01"
end = "1918-09"
replicates = {replicates}
{extra}[population]
agents = 200
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
"#
        );
        fs::write(dir.join(format!("scenarios/{name}.toml")), text).unwrap();
    }
}

/// Runs the main job in `dir`; returns its stderr.
fn main_job(dir: &Path) -> String {
    let out = Command::cargo_bin("sovsim")
        .unwrap()
        .current_dir(dir)
        .args(["run", "--jobs", "2"])
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// Every file the main job wrote but its timings, by path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                if name != "timings.csv" {
                    out.insert(name, fs::read(&path).unwrap());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&dir.join("output"), &dir.join("output"), &mut out);
    out
}

/// The row of a stage in `timings.csv`: run and reused ensembles.
fn counts(dir: &Path, stage: &str) -> (u64, u64) {
    let text = fs::read_to_string(dir.join("output/timings.csv")).unwrap();
    assert!(
        text.starts_with(
            "stage,seconds,cpu_seconds,ensembles_run,ensembles_reused,replicates_run\n"
        ),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with(&format!("{stage},")))
        .unwrap_or_else(|| panic!("no {stage} in {text}"));
    let fields: Vec<&str> = row.split(',').collect();
    (fields[3].parse().unwrap(), fields[4].parse().unwrap())
}

/// What differs between two snapshots, by path.
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
    names.sort();
    names.dedup();
    names.into_iter().filter(|n| a.get(n) != b.get(n)).collect()
}

#[test]
fn the_main_job_times_its_stages_and_says_where_to_look() {
    let dir = tempfile::tempdir().unwrap();
    library(dir.path());
    let said = main_job(dir.path());
    // Not a terminal: no bar is drawn, the lines are plain.
    assert!(!said.contains('\r'), "{said}");
    let last = said.lines().last().unwrap();
    assert!(last.contains("Open output/index.html"), "{said}");
    assert_eq!(counts(dir.path(), "scenarios"), (2, 0));
    // The comparison reads the two runs: reused, not run again.
    assert_eq!(counts(dir.path(), "comparisons"), (0, 2));
    assert_eq!(counts(dir.path(), "total"), (2, 2));
    let text = fs::read_to_string(dir.path().join("output/timings.csv")).unwrap();
    let stages: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "scenarios",
            "maps",
            "sweeps",
            "comparisons",
            "index",
            "total"
        ]
    );
    for line in text.lines().skip(1) {
        for k in [1, 2] {
            let seconds: f64 = line.split(',').nth(k).unwrap().parse().unwrap();
            assert!(seconds >= 0.0, "{line}");
        }
    }
}

#[test]
fn a_rerun_with_nothing_changed_reuses_everything_and_any_change_runs_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    library(d);
    main_job(d);
    let first = snapshot(d);
    assert!(first.contains_key("historical/runs.csv"));
    assert!(first.contains_key("compare-historical-factions_allowed/report.html"));

    // Nothing changed: nothing runs or is drawn again, and the job says so.
    let said = main_job(d);
    assert!(said.contains("reused 2 finished run(s)"), "{said}");
    assert!(!said.contains("sovsim: running"), "{said}");
    assert!(said.contains("is unchanged"), "{said}");
    assert_eq!(counts(d, "scenarios"), (0, 2));
    assert_eq!(differing(&first, &snapshot(d)), Vec::<String>::new());

    // The scenario's text changed (a comment): it runs again, the other does not; its
    // results are the same (the comment changes nothing the model reads).
    let file = d.join("scenarios/historical.toml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("# a comment\n{text}")).unwrap();
    let said = main_job(d);
    assert!(said.contains("sovsim: running historical"), "{said}");
    assert!(!said.contains("sovsim: running factions_allowed"), "{said}");
    assert_eq!(counts(d, "scenarios"), (1, 1));
    let after = snapshot(d);
    for name in ["runs.csv", "summary.csv", "decisions.csv", "report.html"] {
        let key = format!("historical/{name}");
        if name == "report.html" {
            // The report quotes the files' hash, which the comment changed.
            assert!(after.contains_key(&key));
        } else {
            assert_eq!(first[&key], after[&key], "{key}");
        }
    }
    fs::write(&file, text).unwrap();
    main_job(d);
    let restored = snapshot(d);

    // A run by another version of sovsim runs again.
    let manifest = d.join("output/factions_allowed/manifest.json");
    let recorded = fs::read_to_string(&manifest).unwrap();
    let version = format!("\"sovsim_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(recorded.contains(&version));
    fs::write(
        &manifest,
        recorded.replace(&version, "\"sovsim_version\": \"0.0.1\""),
    )
    .unwrap();
    let said = main_job(d);
    assert!(said.contains("sovsim: running factions_allowed"), "{said}");
    assert!(!said.contains("sovsim: running historical"), "{said}");

    // A file cut short, or one gone, runs the scenario again.
    let runs = d.join("output/historical/runs.csv");
    let whole = fs::read(&runs).unwrap();
    fs::write(&runs, &whole[..whole.len() / 2]).unwrap();
    let said = main_job(d);
    assert!(said.contains("sovsim: running historical"), "{said}");
    assert_eq!(fs::read(&runs).unwrap(), whole);
    fs::remove_file(d.join("output/factions_allowed/plots/soviet_power.png")).unwrap();
    let said = main_job(d);
    assert!(said.contains("sovsim: running factions_allowed"), "{said}");

    // Run again or reused, every output is the same, byte for byte, but the manifests'
    // timings.
    let last = snapshot(d);
    let changed: Vec<String> = differing(&restored, &last)
        .into_iter()
        .filter(|n| !n.ends_with("manifest.json"))
        .collect();
    assert_eq!(changed, Vec::<String>::new());
    let main_files = |s: &BTreeMap<String, Vec<u8>>| -> Vec<String> { s.keys().cloned().collect() };
    assert_eq!(main_files(&first), main_files(&last));
}

/// A library with an essay's view and a claim besides the two scenarios, run with more
/// replicates than the claims' analyses use: the claims under the view and the comparison
/// under the view read the same runs, so a rerun reuses them all.
#[test]
fn the_runs_under_a_view_serve_the_claims_and_the_comparison_and_a_rerun_reuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    library_of(d, 14);
    fs::create_dir(d.join("scenarios/views")).unwrap();
    fs::write(
        d.join("scenarios/views/lessons.toml"),
        r#"name = "lessons"
essay = "Lessons of Party and Class from the Russian Revolution"
description = "A view for the main job's tests."
[rules.leadership]
circumstances = 0.5
doctrine = 0.2
oligarchy = 0.3
precedent = 1.0
siege = 0.5
"#,
    )
    .unwrap();
    fs::create_dir(d.join("scenarios/claims")).unwrap();
    fs::write(
        d.join("scenarios/claims/one.toml"),
        r#"[[claim]]
id = "a-test-claim"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "A claim for the main job's tests."
contrast = 2
assumes = "Nothing: it is a test."

[claim.test]
scenario = "../historical.toml"
baseline = "../factions_allowed.toml"
metric = "underground"
window = ["1918-03", "1918-09"]
statistic = "mean"
expect = "higher"
"#,
    )
    .unwrap();
    main_job(d);
    let (run, _) = counts(d, "claims under views");
    assert!(run > 0, "the claims ran the scenarios under the view");
    // The comparison under the view reads the claims' runs.
    assert_eq!(counts(d, "comparisons").0, 0);
    let first = snapshot(d);
    main_job(d);
    for stage in ["scenarios", "claims under views", "comparisons"] {
        assert_eq!(counts(d, stage).0, 0, "{stage} ran again");
    }
    assert_eq!(differing(&first, &snapshot(d)), Vec::<String>::new());
}

/// Where `historical` names a record, the main job fits it under the default parameters
/// and under every view (running it under each view itself when no claim did) and the
/// index tables each reading, linked to the section of its report.
#[test]
fn the_index_tables_how_close_each_reading_comes_to_the_record() {
    let dir = tempfile::tempdir().unwrap();
    library_of(dir.path(), 2);
    let historical = dir.path().join("scenarios/historical.toml");
    let text = fs::read_to_string(&historical).unwrap();
    fs::write(
        &historical,
        format!("record = \"record/record.toml\"\n{text}"),
    )
    .unwrap();
    fs::create_dir(dir.path().join("scenarios/record")).unwrap();
    fs::copy(
        common::shipped("record/record.toml"),
        dir.path().join("scenarios/record/record.toml"),
    )
    .unwrap();
    let views = common::shipped_views(dir.path());
    main_job(dir.path());
    let index = fs::read_to_string(dir.path().join("output/index.html")).unwrap();
    assert!(
        index.contains("The record: how close each reading comes"),
        "{index}"
    );
    assert!(
        index.contains("historical&#x2f;report.html#record"),
        "{index}"
    );
    for v in &views {
        let folder = format!("historical.view-{v}");
        assert!(
            dir.path()
                .join("output")
                .join(&folder)
                .join("fit.csv")
                .is_file(),
            "{folder}"
        );
        assert!(
            index.contains(&format!("{folder}&#x2f;report.html#record")),
            "{v}"
        );
    }
    let report = fs::read_to_string(dir.path().join("output/historical/report.html")).unwrap();
    assert!(report.contains("<h2 id=\"record\">How close to the record</h2>"));
    assert_eq!(counts(dir.path(), "record"), (views.len() as u64, 0));
}
