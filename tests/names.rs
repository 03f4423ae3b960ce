//! No name in any file can reach outside `--out`. Every key whose value becomes a file or
//! folder name (a scenario's, a view's, a claim's id, a map's name and claim, a sweep's name
//! and its outcomes' names, the lab's experiment and view) is given `../../escaped_<key>` and
//! an absolute path, and the real command that reads the file is run: it must exit 2 with a
//! located diagnostic naming the key, and write nothing at all, neither in the output folder
//! nor anywhere else under the test's folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A tiny scenario of one year (nothing should run, but were a check missing, a run of it
/// would end in moments and the test would find what it wrote).
fn scenario(name: &str) -> String {
    format!(
        r#"name = "{name}"
description = "A tiny scenario for the names tests."
start = "1918-01"
end = "1918-03"
replicates = 1
[population]
agents = 50
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
"#
    )
}

fn claims(id: &str) -> String {
    format!(
        r#"[[claim]]
id = "{id}"
source = "The Communist Left in Russia 1918-1930, Part 2"
argument = "Unrest differs."

[claim.test]
scenario = "../a.toml"
baseline = "../b.toml"
metric = "unrest"
window = ["1918-01", "1918-03"]
statistic = "mean"
expect = "higher"
"#
    )
}

fn map(name: &str, claim: &str) -> String {
    format!(
        r#"name = "{name}"
description = "Does unrest differ?"
contrast = 1
claims = "../claims/c.toml"
claim = "{claim}"
replicates = 1

[[axis]]
path = "rules.leadership.siege"
values = [0.0, 1.0]

[[axis]]
path = "rules.leadership.doctrine"
values = [0.0, 1.0]
"#
    )
}

fn sweep(name: &str, outcome: &str) -> String {
    format!(
        r#"name = "{name}"
description = "Unrest over the siege."
base = "../a.toml"
replicates = 1

[[axis]]
path = "rules.leadership.siege"
values = [0.0, 1.0]

[[outcome]]
name = "{outcome}"
metric = "unrest"
statistic = "mean"
window = ["1918-01", "1918-03"]
"#
    )
}

fn view(name: &str) -> String {
    format!(
        "name = \"{name}\"\nessay = \"A reading of the tests\"\ndescription = \"Siege strong.\"\n[rules.leadership]\nsiege = 1.0\n"
    )
}

/// A folder of good files, laid out as the shipped ones are, to run commands in.
fn library(work: &Path) {
    for sub in ["claims", "maps", "sweeps", "views"] {
        fs::create_dir_all(work.join("scenarios").join(sub)).unwrap();
    }
    let write = |file: &str, text: String| fs::write(work.join("scenarios").join(file), text);
    write("a.toml", scenario("a")).unwrap();
    write("b.toml", scenario("b")).unwrap();
    write("claims/c.toml", claims("c")).unwrap();
    write("maps/m.toml", map("m", "c")).unwrap();
    write("sweeps/s.toml", sweep("s", "o")).unwrap();
    write("views/v.toml", view("v")).unwrap();
}

/// Every file and folder under `dir` whose name holds `escaped`.
fn escaped(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().contains("escaped") {
                found.push(path.clone());
            }
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    found
}

/// One way in: the file it is written to, the key, the file's text with the hostile name,
/// and the command that reads it (run in the library's folder, with `--out out`).
struct Case {
    key: &'static str,
    file: &'static str,
    text: fn(&str) -> String,
    args: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            key: "name",
            file: "a.toml",
            text: scenario,
            args: &["run", "scenarios/a.toml"],
        },
        Case {
            key: "name",
            file: "views/v.toml",
            text: view,
            args: &[
                "run",
                "scenarios/a.toml",
                "--view",
                "scenarios/views/v.toml",
            ],
        },
        Case {
            key: "name",
            file: "views/v.toml",
            text: view,
            args: &[
                "claims",
                "scenarios/claims",
                "--view",
                "scenarios/views/v.toml",
            ],
        },
        Case {
            key: "claim[0].id",
            file: "claims/c.toml",
            text: claims,
            args: &["claims", "scenarios/claims", "--no-views"],
        },
        Case {
            key: "name",
            file: "maps/m.toml",
            text: |n| map(n, "c"),
            args: &["map", "scenarios/maps/m.toml"],
        },
        Case {
            key: "claim",
            file: "maps/m.toml",
            text: |n| map("m", n),
            args: &["map", "scenarios/maps/m.toml"],
        },
        Case {
            key: "name",
            file: "sweeps/s.toml",
            text: |n| sweep(n, "o"),
            args: &["sweep", "scenarios/sweeps/s.toml"],
        },
        Case {
            key: "outcome[0].name",
            file: "sweeps/s.toml",
            text: |n| sweep("s", n),
            args: &["sweep", "scenarios/sweeps/s.toml"],
        },
    ]
}

#[test]
fn no_name_in_any_file_reaches_outside_the_output_folder_and_nothing_is_written() {
    for case in cases() {
        let root = tempfile::tempdir().unwrap();
        let work = root.path().join("work");
        // A folder the absolute name points into exists, so a write there would succeed.
        let elsewhere = root.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        let absolute = elsewhere.join("escaped_abs").display().to_string();
        for name in ["../../escaped_up", absolute.as_str()] {
            library(&work);
            let file = work.join("scenarios").join(case.file);
            fs::write(&file, (case.text)(name)).unwrap();
            let out = Command::cargo_bin("sovsim")
                .unwrap()
                .current_dir(&work)
                .args(case.args)
                .args(["--out", "out", "--quiet"])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let what = format!("{} `{}` = {name:?} ({:?})", case.file, case.key, case.args);
            assert_eq!(out.status.code(), Some(2), "{what}: exit code\n{stderr}");
            let located = format!("{}:", Path::new("scenarios").join(case.file).display());
            let first = stderr
                .lines()
                .find(|l| l.contains(": error: "))
                .unwrap_or("");
            assert!(
                first.starts_with(&located) && first.contains(&format!("`{}`:", case.key)),
                "{what}: a located diagnostic naming the key first\n{stderr}"
            );
            let rest: Vec<&str> = first[located.len()..].splitn(3, ':').collect();
            assert!(
                rest.len() == 3
                    && rest[0].parse::<usize>().is_ok()
                    && rest[1].parse::<usize>().is_ok(),
                "{what}: file:line:column\n{stderr}"
            );
            assert!(!stderr.contains("panicked"), "{what}\n{stderr}");
            let out_dir = work.join("out");
            assert!(
                !out_dir.exists() || fs::read_dir(&out_dir).unwrap().next().is_none(),
                "{what}: the output folder is empty or absent"
            );
            assert_eq!(escaped(root.path()), Vec::<PathBuf>::new(), "{what}");
            fs::remove_dir_all(&work).unwrap();
        }
    }
}

/// The lab writes no files, but its experiment's name becomes the file it offers for
/// download (and the folder a rerun on the command line writes), and its view a file named
/// in that file's comment: neither may be anything but a name of its library.
#[test]
fn the_labs_experiment_and_view_names_are_names_only() {
    use sovsim::lab::{Library, Limits, Settings, experiment};
    let files: BTreeMap<String, String> = [
        ("scenarios/a.toml".to_string(), scenario("a")),
        ("scenarios/views/v.toml".to_string(), view("v")),
    ]
    .into_iter()
    .collect();
    let (library, problems) = Library::new(
        files,
        &["scenarios/a.toml".to_string()],
        &["scenarios/views/v.toml".to_string()],
        &[],
    );
    assert!(problems.is_empty(), "{problems:?}");
    let good = Settings {
        scenario: "a".into(),
        ..Settings::default()
    };
    assert!(experiment(&library, &good, &Limits::default()).is_ok());
    for name in ["../../escaped_up", "/tmp/escaped_abs", "a/b", ".."] {
        let settings = Settings {
            name: Some(name.into()),
            ..good.clone()
        };
        let problems = experiment(&library, &settings, &Limits::default()).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.control.as_deref() == Some("name")),
            "{name}: {problems:?}"
        );
        let settings = Settings {
            view: Some(name.into()),
            mechanisms: [("siege".to_string(), 1.0)].into_iter().collect(),
            ..good.clone()
        };
        let problems = experiment(&library, &settings, &Limits::default()).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.control.as_deref() == Some("view")),
            "{name}: {problems:?}"
        );
    }
}
