//! The corpus of hostile sweep, map, claims and view files in `tests/hostile/<format>/`: one
//! mistake per numbered file (the other files are the valid scenarios and claims they name),
//! each run through the real command that reads its format in an empty output folder. Every
//! file must be refused before any work starts: exit code 2, no panic, `file:line:column` on
//! the first line, nothing written, and exactly the diagnostics pinned in its `.stderr` file
//! (the output folder's path written `OUT`). Set `SOVSIM_BLESS=1` to rewrite the pinned
//! files after a deliberate change of wording, then review the diff, as for
//! `tests/diagnostics.rs`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn corpus(format: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(format)
}

/// The numbered files of a format's corpus.
fn cases(format: &str) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(corpus(format))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n.as_bytes()[0].is_ascii_digit())
        .collect();
    files.sort();
    files
}

/// The command that reads a file of the format, run on `case` (in the corpus's folder).
fn command(format: &str, case: &str) -> Vec<String> {
    let args: &[&str] = match format {
        "sweeps" => &["sweep", case],
        "maps" => &["map", case],
        "claims" => &["claims", case, "--no-views"],
        "views" => &["run", "scenario.toml", "--view", case],
        _ => unreachable!(),
    };
    args.iter().map(|a| a.to_string()).collect()
}

/// Runs every case of a format; returns how many there were.
fn check(format: &str, at_least: usize) {
    let bless = std::env::var_os("SOVSIM_BLESS").is_some();
    let cases = cases(format);
    assert!(
        cases.len() >= at_least,
        "{format}: at least {at_least} cases"
    );
    let mut failures = Vec::new();
    for case in &cases {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let run = Command::cargo_bin("sovsim")
            .unwrap()
            .current_dir(corpus(format))
            .args(command(format, case))
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8(run.stderr)
            .unwrap()
            .replace(&out.display().to_string(), "OUT");
        assert_eq!(
            run.status.code(),
            Some(2),
            "{format}/{case}: exit code\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{format}/{case}: {stderr}");
        assert!(run.stdout.is_empty(), "{format}/{case}: nothing on stdout");
        let first = stderr.lines().next().unwrap_or("");
        assert!(
            first.starts_with(&format!("{case}:")),
            "{format}/{case}: the case's own file first, in {first:?}"
        );
        let place: Vec<&str> = first[case.len() + 1..].splitn(3, ':').collect();
        assert!(
            place.len() == 3
                && place[0].parse::<usize>().is_ok()
                && place[1].parse::<usize>().is_ok(),
            "{format}/{case}: file:line:column in {first:?}"
        );
        assert!(
            !out.exists() || fs::read_dir(&out).unwrap().next().is_none(),
            "{format}/{case}: nothing written"
        );
        let pinned = corpus(format).join(case.replace(".toml", ".stderr"));
        if bless {
            fs::write(&pinned, &stderr).unwrap();
        } else {
            let expected = fs::read_to_string(&pinned).unwrap_or_else(|_| {
                panic!("{}: missing; run with SOVSIM_BLESS=1", pinned.display())
            });
            if expected != stderr {
                failures.push(format!(
                    "{format}/{case}:\n--- pinned\n{expected}\n--- got\n{stderr}"
                ));
            }
        }
    }
    // Nothing of the corpus's own folder was written either (the valid files stay alone).
    let stray: Vec<String> = fs::read_dir(corpus(format))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !(n.ends_with(".toml") || n.ends_with(".stderr")))
        .collect();
    assert!(
        stray.is_empty(),
        "{format}: written beside the corpus: {stray:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_hostile_sweep_is_refused_with_its_pinned_diagnostics() {
    check("sweeps", 12);
}

#[test]
fn every_hostile_map_is_refused_with_its_pinned_diagnostics() {
    check("maps", 5);
}

#[test]
fn every_hostile_claims_file_is_refused_with_its_pinned_diagnostics() {
    check("claims", 4);
}

#[test]
fn every_hostile_view_is_refused_with_its_pinned_diagnostics() {
    check("views", 4);
}

/// `sovsim validate` tells the formats apart and refuses every hostile file as its own
/// command does: exit 2, and the first problem the command reports (its file, line and
/// column) among validate's.
#[test]
fn validate_refuses_every_hostile_file_at_the_place_its_command_does() {
    for format in ["sweeps", "maps", "claims", "views"] {
        for case in cases(format) {
            let pinned =
                fs::read_to_string(corpus(format).join(case.replace(".toml", ".stderr"))).unwrap();
            let place = pinned
                .lines()
                .find_map(|l| {
                    l.split_once(": error: ")
                        .map(|(place, _)| place.to_string())
                })
                .unwrap();
            let out = Command::cargo_bin("sovsim")
                .unwrap()
                .current_dir(corpus(format))
                .args(["validate", &case])
                .output()
                .unwrap();
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert_eq!(out.status.code(), Some(2), "{format}/{case}: {stderr}");
            assert!(
                stderr.contains(&format!("{place}: error: ")),
                "{format}/{case}: {place} in\n{stderr}"
            );
        }
    }
}

#[test]
fn validate_checks_the_shipped_claims_sweeps_maps_and_views_and_weighs_their_work() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::cargo_bin("sovsim")
        .unwrap()
        .current_dir(root)
        .args([
            "validate",
            "scenarios/claims",
            "scenarios/sweeps",
            "scenarios/maps/faction_ban.toml",
            "scenarios/views",
            "scenarios/record",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with(
            "sovsim: 6 claims file(s), 2 sweep(s), 1 map(s), 5 view(s), 1 record(s) valid\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "sovsim: sweep soviet_survival_ban: 25 points x 8 replicates x 5,000 agents x 687 steps"
        ) && stderr.contains(
            "sovsim: map faction_ban: 25 points x 2 sides x 8 replicates x 5,000 agents x 687 steps"
        ),
        "{stderr}"
    );
}
