//! The corpus of broken scenarios in `tests/invalid/`: one mistake per file (and one file
//! with three), each run through the real `sovsim validate`. Every file must be rejected with
//! exit code 2, without a panic, with `file:line:column` pointing at the offending value,
//! and with exactly the diagnostics pinned in its `.stderr` file. Set `SOVSIM_BLESS=1` to
//! rewrite the pinned files after a deliberate change of wording, then review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid")
}

/// The numbered broken scenarios (the other files are parents they extend).
fn cases() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "toml")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.as_bytes()[0].is_ascii_digit())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_broken_scenario_is_rejected_with_its_pinned_diagnostics() {
    let bless = std::env::var_os("SOVSIM_BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 40, "at least 40 kinds of mistake");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_str().unwrap();
        let out = Command::cargo_bin("sovsim")
            .unwrap()
            .current_dir(corpus())
            .args(["validate", name])
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: exit code\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
        let first = stderr.lines().next().unwrap_or("");
        let location = first.split(": error: ").next().unwrap_or("");
        let parts: Vec<&str> = location.rsplitn(3, ':').collect();
        assert!(
            parts.len() == 3
                && parts[0].parse::<usize>().is_ok()
                && parts[1].parse::<usize>().is_ok(),
            "{name}: file:line:column in {first:?}"
        );
        let pinned = case.with_extension("stderr");
        if bless {
            fs::write(&pinned, &stderr).unwrap();
        } else {
            let expected = fs::read_to_string(&pinned).unwrap_or_else(|_| {
                panic!("{}: missing; run with SOVSIM_BLESS=1", pinned.display())
            });
            if expected != stderr {
                failures.push(format!(
                    "{name}:\n--- pinned\n{expected}\n--- got\n{stderr}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn three_independent_mistakes_are_reported_together() {
    let out = Command::cargo_bin("sovsim")
        .unwrap()
        .current_dir(corpus())
        .args(["validate", "53-three-independent-mistakes.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 3, "{stderr}");
    for key in ["`sed`", "`population.cross_ties`", "`events[0].date`"] {
        assert!(errors.iter().any(|e| e.contains(key)), "{key} in {stderr}");
    }
}

#[test]
fn run_checks_every_file_first_and_runs_nothing_if_one_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/historical.toml");
    Command::cargo_bin("sovsim")
        .unwrap()
        .arg("run")
        .arg(&good)
        .arg(corpus().join("13-share-out-of-range.toml"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(
        fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing was written"
    );
}

#[test]
fn seven_mistakes_of_different_kinds_are_all_reported_each_at_its_line() {
    // A wrong type, an unknown name and an array of the wrong length used to hide every
    // check after them; now each mistake is reported where it is.
    let out = Command::cargo_bin("sovsim")
        .unwrap()
        .current_dir(corpus())
        .args(["validate", "69-seven-mistakes-of-different-kinds.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let places: Vec<(&str, &str)> = stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(|l| {
            let (place, rest) = l.split_once(": error: ").unwrap();
            let line = place.split(':').nth(1).unwrap();
            let key = rest.split('`').nth(1).unwrap_or("");
            (line, key)
        })
        .collect();
    assert_eq!(
        places,
        [
            ("8", "agents"),
            ("11", "population.agents"),
            ("12", "population.cross_ties"),
            ("15", "parties.bolsheviks.platform"),
            ("20", "rules.soviets.elections"),
            ("23", "events[0].date"),
            ("28", "events[1].date"),
            ("30", "events[1].level"),
        ],
        "{stderr}"
    );
}

#[test]
fn two_scenarios_of_one_name_are_refused_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let historical = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/historical.toml");
    fs::create_dir(dir.path().join("copy")).unwrap();
    let copy = dir.path().join("copy/again.toml");
    fs::copy(&historical, &copy).unwrap();
    // The record it names, beside it, as beside the original.
    fs::create_dir(dir.path().join("copy/record")).unwrap();
    fs::copy(
        historical.with_file_name("record/record.toml"),
        dir.path().join("copy/record/record.toml"),
    )
    .unwrap();
    let out = Command::cargo_bin("sovsim")
        .unwrap()
        .arg("validate")
        .arg(&historical)
        .arg(&copy)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&historical.display().to_string())
            && stderr.contains(&copy.display().to_string())
            && stderr.contains("both named `historical`"),
        "{stderr}"
    );
}
