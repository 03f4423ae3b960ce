//! Integration tests of `sovsim fit` on the real binary: a small run of the historical
//! scenario fitted to the shipped record (the header of `fit.csv`, a metric target's
//! `within` recomputed from `runs.csv`, a decision target's from `decisions.csv`, the
//! plot), and a record with mistakes refused, every one located, with nothing written.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn sovsim() -> Command {
    Command::cargo_bin("sovsim").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the historical course with 300 agents and 2 replicates into `dir/out/small`.
fn small_run(dir: &Path) -> PathBuf {
    let scenario = format!(
        "extends = {:?}\nname = \"small\"\ndescription = \"The historical course with few agents.\"\n[population]\nagents = 300\n",
        root()
            .join("scenarios/historical.toml")
            .display()
            .to_string()
    );
    fs::write(dir.join("small.toml"), scenario).unwrap();
    sovsim()
        .arg("run")
        .arg(dir.join("small.toml"))
        .args(["--replicates", "2", "--no-plots", "-q", "--out"])
        .arg(dir.join("out"))
        .assert()
        .success();
    dir.join("out/small")
}

/// The fields of a CSV line, quotes taken off (no field of these files holds a quote).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The type-7 median of two values.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    assert_eq!(v.len(), 2);
    (v[0] + v[1]) / 2.0
}

#[test]
fn fit_holds_a_run_to_the_record_as_its_files_say() {
    let tmp = tempfile::tempdir().unwrap();
    let run = small_run(tmp.path());
    sovsim().arg("fit").arg(&run).assert().success();
    let fit = fs::read_to_string(run.join("fit.csv")).unwrap();
    let mut lines = fit.lines();
    assert_eq!(
        lines.next(),
        Some("target,source,essays,record_low,record_high,model_p5,model_median,model_p95,within")
    );
    let rows: Vec<Vec<String>> = lines.map(fields).collect();
    assert!(rows.len() >= 25);
    let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap().clone();

    // A metric target: the 1922 mean of party_worker_share in each replicate, from runs.csv.
    let runs = fs::read_to_string(run.join("runs.csv")).unwrap();
    let header = fields(runs.lines().next().unwrap());
    let k = header
        .iter()
        .position(|h| h == "party_worker_share")
        .unwrap();
    let mut means = Vec::new();
    for replicate in ["0", "1"] {
        let values: Vec<f64> = runs
            .lines()
            .skip(1)
            .map(fields)
            .filter(|r| r[0] == replicate && r[2].starts_with("1922-"))
            .map(|r| r[k].parse().unwrap())
            .collect();
        assert!(values.len() >= 52);
        means.push(values.iter().sum::<f64>() / values.len() as f64);
    }
    let m = median(means);
    let target = row("worker-share-1922");
    let (low, high): (f64, f64) = (target[3].parse().unwrap(), target[4].parse().unwrap());
    let written: f64 = target[6].parse().unwrap();
    assert!((written - m).abs() < 1e-5, "{written} against {m}");
    let within = if (low..=high).contains(&m) {
        "yes"
    } else {
        "no"
    };
    assert_eq!(target[8], within);

    // A decision target: the Kadets' first ban in each replicate, from decisions.csv.
    let decisions = fs::read_to_string(run.join("decisions.csv")).unwrap();
    let mut months = Vec::new();
    for replicate in ["0", "1"] {
        let date = decisions
            .lines()
            .skip(1)
            .map(fields)
            .find(|r| r[0] == replicate && r[2] == "ban_party" && r[3] == "kadets")
            .map(|r| r[1].clone());
        months.push(date.map_or(f64::INFINITY, |d| {
            let (y, m, day): (f64, f64, f64) = (
                d[..4].parse().unwrap(),
                d[5..7].parse().unwrap(),
                d[8..10].parse().unwrap(),
            );
            // The month on a continuous scale, the day as a fraction, as docs/record.md says.
            y * 12.0 + m - 1.0 + (day - 1.0) / 31.0
        }));
    }
    let target = row("kadets-outlawed");
    let m = median(months);
    // The record's 1917-11 to 1917-12: from the first day of November to the end of December.
    let in_record = (1917.0 * 12.0 + 10.0..1917.0 * 12.0 + 12.0).contains(&m);
    assert_eq!(target[8], if in_record { "yes" } else { "no" });
    assert_eq!(target[2], "all");
    assert!(target[1].contains("Bunyan"));
    // A ratio between dates: party_members at the first step of March 1921 over its value
    // at the first step of March 1919, in each replicate, from runs.csv.
    let k = header.iter().position(|h| h == "party_members").unwrap();
    let mut ratios = Vec::new();
    for replicate in ["0", "1"] {
        let at = |month: &str| -> f64 {
            runs.lines()
                .skip(1)
                .map(fields)
                .find(|r| r[0] == replicate && r[2].as_str() >= month)
                .map(|r| r[k].parse().unwrap())
                .unwrap()
        };
        ratios.push(at("1921-03-01") / at("1919-03-01"));
    }
    let members = row("members-1921");
    let written: f64 = members[6].parse().unwrap();
    let m = median(ratios);
    assert!((written - m).abs() < 1e-5, "{written} against {m}");
    // Targets the model cannot measure say so, with empty model columns.
    let white_collar = row("white-collar-share-1922");
    assert_eq!(white_collar[8], "unmeasured");
    assert_eq!(&white_collar[5..8], ["", "", ""]);
    assert!(run.join("fit.svg").is_file() && run.join("fit.png").is_file());
    let svg = fs::read_to_string(run.join("fit.svg")).unwrap();
    assert!(svg.contains("worker-share-1922"));
}

#[test]
fn a_record_with_mistakes_is_refused_whole_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Not a run at all: the record is read first, and its problems are what is reported.
    let record = r#"[[target]]
id = "Faction ban"
what = "The ban."
decision = "ban_faction"
low = "1921-03"
high = 1921
essays = "every"
source = [{ author = "X", title = "Y", year = 1921, at = "p. 1", page = 3 }]
"#;
    fs::write(dir.join("record.toml"), record).unwrap();
    let out = sovsim()
        .arg("fit")
        .arg(dir)
        .arg("--record")
        .arg(dir.join("record.toml"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    for expected in [
        "record.toml:2:6: error: `target[0].id`",
        "record.toml:4:12: error: `target[0].decision`: unknown decision `ban_faction` (did you mean `ban_factions`?)",
        "record.toml:6:8: error: `target[0].high`: expected a date in quotes",
        "record.toml:7:10: error: `target[0].essays`",
        "`target.source.page`",
    ] {
        assert!(err.contains(expected), "missing {expected} in\n{err}");
    }
    assert!(!dir.join("fit.csv").exists());
}

/// A scenario that names the record (here by inheriting historical's `record`) is fitted
/// by `run` itself, with the function `sovsim fit` uses: the same `fit.csv`, the same line
/// printed, and the report's section; under a view, in the viewed run's folder.
#[test]
fn run_fits_a_scenario_that_names_the_record_and_shows_it_in_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scenario = format!(
        "extends = {:?}\nname = \"tiny\"\ndescription = \"The historical course with very few agents.\"\n[population]\nagents = 150\n",
        root()
            .join("scenarios/historical.toml")
            .display()
            .to_string()
    );
    fs::write(dir.join("tiny.toml"), scenario).unwrap();
    let out = sovsim()
        .arg("run")
        .arg(dir.join("tiny.toml"))
        .args(["--replicates", "2", "--out"])
        .arg(dir.join("out"))
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let run = dir.join("out/tiny");
    let line = said
        .lines()
        .find(|l| l.contains("fit.csv"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        line.contains("measured targets within the record"),
        "{line}"
    );
    let fitted = fs::read_to_string(run.join("fit.csv")).unwrap();
    for file in ["fit.svg", "fit.png"] {
        assert!(run.join(file).is_file(), "{file}");
    }
    let report = fs::read_to_string(run.join("report.html")).unwrap();
    assert!(report.contains("<h2 id=\"record\">How close to the record</h2>"));
    assert!(
        report.contains("<td>faction-ban</td>"),
        "the targets' table"
    );
    let manifest = fs::read_to_string(run.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"record\""), "{manifest}");
    assert!(
        manifest.contains("\"fit.csv\""),
        "the fit is one of the run's files"
    );
    // `sovsim fit` on the same run writes the same file and says the same.
    let again = sovsim().arg("fit").arg(&run).assert().success();
    let again = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert_eq!(fs::read_to_string(run.join("fit.csv")).unwrap(), fitted);
    assert_eq!(again.trim(), line.trim());
    // Under a view, the viewed run is fitted too.
    sovsim()
        .current_dir(root())
        .arg("run")
        .arg(dir.join("tiny.toml"))
        .args([
            "--view",
            "lessons",
            "--replicates",
            "2",
            "--no-plots",
            "-q",
            "--out",
        ])
        .arg(dir.join("out"))
        .assert()
        .success();
    assert!(dir.join("out/tiny.view-lessons/fit.csv").is_file());
}

/// A record that cannot be read is the scenario's mistake, at its `record` key: exit 2,
/// from `run` (nothing run) and from `validate`; a record with problems lists them under it.
#[test]
fn a_scenario_naming_a_missing_or_broken_record_is_refused_at_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("broken.toml"),
        "[[target]]\nid = \"Bad\"\nwhat = 3\nsource = []\nessays = \"all\"\n",
    )
    .unwrap();
    for (record, expected) in [
        ("missing.toml", "cannot read the record"),
        ("broken.toml", "is invalid"),
    ] {
        let text = format!(
            "name = \"named\"\ndescription = \"d\"\nstart = \"1918-01\"\nend = \"1918-03\"\nrecord = \"{record}\"\n[parties.bolsheviks]\nplatform = [0.6, 0.1]\nmembers = 0.05\nruling = true\n"
        );
        fs::write(dir.join("named.toml"), text).unwrap();
        for args in [&["run"][..], &["validate"][..]] {
            let out = sovsim()
                .args(args)
                .arg(dir.join("named.toml"))
                .args(["--out"].iter().take(usize::from(args[0] == "run")))
                .args([dir.join("out")].iter().take(usize::from(args[0] == "run")))
                .assert()
                .code(2);
            let said = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
            let at = "named.toml:5:10: error: `record`: ";
            assert!(said.contains(at) && said.contains(expected), "{said}");
            if record == "broken.toml" {
                assert!(
                    said.contains("broken.toml:3:8: error: `target[0].what`"),
                    "{said}"
                );
            }
        }
        assert!(!dir.join("out/named").exists(), "nothing was run");
    }
}
