//! `--view`: the real `sovsim` binary runs a small scenario under an essay's view, found by
//! name in `scenarios/views/` or by path; the viewed run has a folder, a hash and a manifest
//! of its own, and a view that sets anything but mechanism strengths, or that cannot be
//! found, is refused with exit code 2 and nothing run.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

const SCENARIO: &str = r#"name = "tiny"
description = "A few agents for a few months."
start = "1917-11"
end = "1918-02"
replicates = 1
[population]
agents = 60
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
"#;

const VIEW: &str = r#"# A view for the test.
name = "lessons"
essay = "Lessons of Party and Class"
description = "Precedent at full strength."

[rules.leadership]
precedent = 1.0
doctrine = 0.2
"#;

/// A working folder with `tiny.toml` and `scenarios/views/lessons.toml`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("tiny.toml"), SCENARIO).unwrap();
    let views = dir.path().join("scenarios/views");
    fs::create_dir_all(&views).unwrap();
    fs::write(views.join("lessons.toml"), VIEW).unwrap();
    dir
}

fn sovsim(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("sovsim")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn manifest(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn a_viewed_run_has_its_own_folder_hash_and_manifest() {
    let dir = workspace();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "tiny.toml", "--quiet", "--no-plots", "--out", "out"];
        args.extend_from_slice(extra);
        let out = sovsim(dir.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["--view", "lessons"]);
    let viewed = dir.path().join("out/tiny.view-lessons");
    assert!(
        !dir.path().join("out/tiny").exists(),
        "the plain run is not made"
    );
    let m = manifest(&viewed);
    assert_eq!(m["scenario"], "tiny.view-lessons");
    assert_eq!(m["view"]["name"], "lessons");
    assert_eq!(m["view"]["essay"], "Lessons of Party and Class");
    assert_eq!(m["view"]["values"]["precedent"], 1.0);
    assert_eq!(m["view"]["values"]["doctrine"], 0.2);
    assert_eq!(m["view"]["values"].as_object().unwrap().len(), 2);
    assert_eq!(
        m["view"]["sha256"],
        sovsim::scenario::hex_sha256(VIEW.as_bytes())
    );
    // The same view by its path is the same run.
    run(&["--view", "scenarios/views/lessons.toml"]);
    assert_eq!(manifest(&viewed)["scenario_sha256"], m["scenario_sha256"]);
    // Without the view: another folder, another hash, no view recorded.
    run(&[]);
    let plain = manifest(&dir.path().join("out/tiny"));
    assert!(plain.get("view").is_none(), "{plain}");
    assert_ne!(plain["scenario_sha256"], m["scenario_sha256"]);
    // A change to the view file, a comment included, is another run.
    fs::write(
        dir.path().join("scenarios/views/lessons.toml"),
        VIEW.replace("# A view", "# The view"),
    )
    .unwrap();
    run(&["--view", "lessons"]);
    assert_ne!(manifest(&viewed)["scenario_sha256"], m["scenario_sha256"]);
}

#[test]
fn a_view_that_sets_anything_but_mechanism_strengths_is_refused_with_its_location() {
    let dir = workspace();
    let bad = VIEW.replace(
        "doctrine = 0.2\n",
        "doctrine = 0.2\nban_factions_bar = 0.3\n",
    );
    fs::write(dir.path().join("bad.toml"), bad).unwrap();
    let out = sovsim(
        dir.path(),
        &[
            "run",
            "tiny.toml",
            "--view",
            "bad.toml",
            "--quiet",
            "--out",
            "out",
        ],
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("bad.toml:9:1: error: `rules.leadership.ban_factions_bar`: a view sets only mechanism strengths"),
        "{stderr}"
    );
    assert!(
        stderr.contains("circumstances, doctrine, oligarchy, precedent, siege"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing was run");
}

#[test]
fn an_unknown_view_lists_the_views_found() {
    let dir = workspace();
    for command in [
        vec!["run", "tiny.toml"],
        vec!["compare", "tiny.toml", "tiny.toml"],
        vec!["claims"],
    ] {
        let mut args = command.clone();
        args.extend(["--view", "lesons", "--quiet", "--out", "out"]);
        let out = sovsim(dir.path(), &args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(
            stderr.contains("no view named `lesons`")
                && stderr.contains("did you mean `lessons`")
                && stderr.contains("the views in scenarios/views are lessons"),
            "{command:?}: {stderr}"
        );
    }
}

/// A second tiny scenario and a claim comparing the two, in `claims/c.toml`.
fn tiny_claim(dir: &Path) {
    fs::write(
        dir.join("tiny2.toml"),
        SCENARIO.replace("name = \"tiny\"", "name = \"tiny2\""),
    )
    .unwrap();
    fs::create_dir_all(dir.join("claims")).unwrap();
    fs::write(
        dir.join("claims/c.toml"),
        r#"[[claim]]
id = "tiny-claim"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "A test."
contrast = 4
assumes = "Nothing."

[claim.test]
scenario = "../tiny.toml"
baseline = "../tiny2.toml"
metric = "official_share"
window = ["1917-11", "1918-02"]
statistic = "peak"
expect = "higher"
"#,
    )
    .unwrap();
}

#[test]
fn compare_and_claims_under_a_view_write_folders_of_their_own() {
    let dir = workspace();
    tiny_claim(dir.path());
    for args in [
        vec!["compare", "tiny.toml", "tiny2.toml"],
        vec!["claims", "claims", "--no-sensitivity"],
    ] {
        let mut args = args;
        args.extend(["--view", "lessons", "--quiet", "--out", "out"]);
        let out = sovsim(dir.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = dir.path().join("out");
    let table =
        fs::read_to_string(out.join("compare-tiny-tiny2.view-lessons/comparison.csv")).unwrap();
    assert!(
        table
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("tiny.view-lessons,"),
        "{table}"
    );
    let report = fs::read_to_string(out.join("claims.view-lessons/claims.html")).unwrap();
    assert!(
        report.contains("--view lessons"),
        "the command to reproduce it"
    );
    assert!(!out.join("claims").exists() && !out.join("tiny").exists());
}

#[test]
fn every_shipped_view_is_one_essays_own_by_its_exact_title() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(sovsim::scenario::VIEWS_DIR);
    let mut essays = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let view = sovsim::scenario::View::parse(
            &fs::read_to_string(&path).unwrap(),
            &path.display().to_string(),
        )
        .unwrap();
        // The claims page frames a claim under its essay's own view by this title.
        let essay = sovsim::claims::coherence::essay_of(&view.essay)
            .unwrap_or_else(|| panic!("{}: `essay` is not one of the five titles", view.name));
        essays.push(essay);
    }
    essays.sort_unstable();
    assert_eq!(
        essays,
        (0..sovsim::claims::ESSAYS.len()).collect::<Vec<_>>()
    );
}

#[test]
fn claims_refuse_a_broken_a_doubled_or_a_default_view_before_running_anything() {
    let cases = [
        (
            "default.toml",
            VIEW.replace("\"lessons\"", "\"default\""),
            "default.toml:2:8: error: `name`: `default` is reserved: runs without a view are the default",
        ),
        ("copy.toml", VIEW.to_string(), "are both the view `lessons`"),
        (
            "bad.toml",
            VIEW.replace("doctrine = 0.2", "doctrine = 2"),
            "bad.toml:8:12: error: `rules.leadership.doctrine`",
        ),
    ];
    for (file, text, expected) in cases {
        let dir = workspace();
        tiny_claim(dir.path());
        fs::write(dir.path().join("scenarios/views").join(file), text).unwrap();
        let out = sovsim(dir.path(), &["claims", "claims", "--quiet", "--out", "out"]);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert!(!dir.path().join("out").exists(), "{file}: nothing was run");
        // Without the views, the claims run as before.
        let out = sovsim(
            dir.path(),
            &["claims", "claims", "--no-views", "--quiet", "--out", "out"],
        );
        assert_eq!(out.status.code(), Some(0), "{file}");
    }
}
