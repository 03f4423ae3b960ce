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
