//! Integration tests of `sovsim map` on the real binary, on a tiny map (a 2 x 2 grid over two
//! mechanism strengths, a claim comparing two small scenarios of a year, 8 replicates): the
//! points, manifest and plot it writes, a rerun reusing them, a partial file resumed, two
//! shards merged into the unsharded map byte for byte, a missing shard refused, a changed
//! map run afresh, and a broken map refused at its line and column with nothing run.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A small scenario of one year; `war` is the civil war's intensity from mid-1918.
fn scenario(name: &str, war: f64) -> String {
    format!(
        r#"name = "{name}"
description = "A small scenario for the map tests."
start = "1918-01"
end = "1918-12"
[population]
agents = 200
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
[environment]
civil_war = [["1918-01", 0.1], ["1918-06", {war}]]
"#
    )
}

const CLAIMS: &str = r#"
[[claim]]
id = "war-unrest"
source = "The Communist Left in Russia 1918-1930, Part 2"
argument = "Unrest rises with the war."
contrast = 1

[claim.test]
scenario = "../war.toml"
baseline = "../calm.toml"
metric = "unrest"
window = ["1918-07", "1918-12"]
statistic = "mean"
expect = "higher"
"#;

const MAP: &str = r#"# A tiny map for the tests.
name = "tiny"
description = "Does the war raise unrest, for every weight of circumstances and of the siege?"
contrast = 1
claims = "../claims/c.toml"
claim = "war-unrest"
replicates = 8
seed = 5

[[axis]]
path = "rules.leadership.circumstances"
values = [0.0, 1.0]
label = "circumstances"

[[axis]]
path = "rules.leadership.siege"
values = [0.0, 1.0]
label = "siege"
"#;

const VIEW: &str = r#"name = "tester"
essay = "A test essay"
description = "Strong circumstances, no siege."
[rules.leadership]
circumstances = 1.0
siege = 0.0
"#;

/// The scenario library of the tests in `dir`: two scenarios, a claims file, the map and a
/// view, laid out as the shipped ones are.
fn library(dir: &Path) {
    for sub in ["scenarios/claims", "scenarios/maps", "scenarios/views"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
    }
    fs::write(dir.join("scenarios/war.toml"), scenario("war", 1.0)).unwrap();
    fs::write(dir.join("scenarios/calm.toml"), scenario("calm", 0.1)).unwrap();
    fs::write(dir.join("scenarios/claims/c.toml"), CLAIMS).unwrap();
    fs::write(dir.join("scenarios/maps/m.toml"), MAP).unwrap();
    fs::write(dir.join("scenarios/views/tester.toml"), VIEW).unwrap();
}

/// `sovsim map scenarios/maps/m.toml --out OUT` and more, run in `dir`.
fn map(dir: &Path, out: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("sovsim")
        .unwrap()
        .current_dir(dir)
        .args(["map", "scenarios/maps/m.toml", "--out", out])
        .args(extra)
        .assert()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn maps(dir: &Path, out: &str) -> PathBuf {
    dir.join(out).join("claims/maps")
}

#[test]
fn a_tiny_map_writes_its_points_manifest_and_plot_and_a_rerun_reuses_them() {
    let dir = tempfile::tempdir().unwrap();
    library(dir.path());
    map(dir.path(), "out", &["--jobs", "2", "--quiet"]).success();
    let folder = maps(dir.path(), "out");
    let csv = read(&folder.join("tiny.csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "point,rules.leadership.circumstances,rules.leadership.siege,effect,ci_low,ci_high,verdict"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    for (i, (line, values)) in lines[1..]
        .iter()
        .zip(["0,0", "0,1", "1,0", "1,1"])
        .enumerate()
    {
        assert!(line.starts_with(&format!("{i},{values},")), "{line}");
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 7, "{line}");
        let (effect, low, high): (f64, f64, f64) = (
            cells[3].parse().unwrap(),
            cells[4].parse().unwrap(),
            cells[5].parse().unwrap(),
        );
        assert!(low <= effect && effect <= high, "{line}");
        assert!(
            ["supported", "contradicted", "negligible", "inconclusive"].contains(&cells[6]),
            "{line}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&read(&folder.join("tiny.json"))).unwrap();
    assert_eq!(json["name"], "tiny");
    assert_eq!(json["contrast"], 1);
    assert_eq!(json["claim"], "war-unrest");
    assert_eq!(json["svg"], "tiny.svg");
    assert_eq!(json["png"], "tiny.png");
    assert_eq!(json["complete"], true);
    assert_eq!(
        (json["scenario"].as_str(), json["baseline"].as_str()),
        (Some("war"), Some("calm"))
    );
    let svg = read(&folder.join("tiny.svg"));
    for text in [
        "Where the claim holds: war-unrest",
        "\ntester\n",
        "\ndefault\n",
        "circumstances",
    ] {
        assert!(svg.contains(text), "{text}");
    }
    assert!(folder.join("tiny.png").is_file());
    assert!(!folder.join("tiny.csv.partial").exists());
    // A rerun reuses the finished points.
    let again = map(dir.path(), "out", &["--jobs", "1"]).success();
    assert!(
        stderr(&again).contains("complete already"),
        "{}",
        stderr(&again)
    );
    assert_eq!(read(&folder.join("tiny.csv")), csv);
    assert_eq!(read(&folder.join("tiny.svg")), svg);
    // A partial file is resumed after its last complete row, to the same bytes.
    let resumed = maps(dir.path(), "resumed");
    fs::create_dir_all(&resumed).unwrap();
    fs::copy(folder.join("tiny.json"), resumed.join("tiny.json")).unwrap();
    let cut = csv.len() - lines[4].len() - 1 - lines[3].len() / 2;
    fs::write(resumed.join("tiny.csv.partial"), &csv[..cut]).unwrap();
    let a = map(dir.path(), "resumed", &[]).success();
    assert!(
        stderr(&a).contains("resuming map tiny: 2 of 4 points already done"),
        "{}",
        stderr(&a)
    );
    assert_eq!(read(&resumed.join("tiny.csv")), csv);
    // A changed map is run afresh, not mixed with the old rows.
    let reseeded = MAP.replace("seed = 5", "seed = 6");
    fs::write(dir.path().join("scenarios/maps/m.toml"), reseeded).unwrap();
    let a = map(dir.path(), "out", &["--jobs", "2"]).success();
    assert!(stderr(&a).contains("run afresh"), "{}", stderr(&a));
    assert_ne!(read(&folder.join("tiny.csv")), csv);
}

#[test]
fn two_shards_merged_are_the_unsharded_map_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    library(dir.path());
    map(dir.path(), "single", &["--jobs", "2", "--quiet"]).success();
    for k in 0..2 {
        map(
            dir.path(),
            "sharded",
            &["--shard", &format!("{k}/2"), "--jobs", "1", "--quiet"],
        )
        .success();
    }
    let sharded = maps(dir.path(), "sharded");
    assert!(sharded.join("shards/tiny.shard-0-of-2.csv").is_file());
    assert!(!sharded.join("tiny.csv").exists());
    // The maps' folder keeps one manifest a map, as the claims page reads them.
    assert!(!sharded.join("tiny.json").exists());
    map(dir.path(), "sharded", &["--merge", "--quiet"]).success();
    let single = maps(dir.path(), "single");
    for file in ["tiny.csv", "tiny.json", "tiny.svg"] {
        assert_eq!(
            read(&sharded.join(file)),
            read(&single.join(file)),
            "{file}"
        );
    }
    let jsons: Vec<String> = fs::read_dir(&sharded)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    assert_eq!(jsons, ["tiny.json"]);
    // A shard missing is refused, naming its points.
    map(dir.path(), "half", &["--shard", "0/2", "--quiet"]).success();
    let a = map(dir.path(), "half", &["--merge"]).code(2);
    assert!(
        stderr(&a).contains("missing points 1, 3 (of 0-3)"),
        "{}",
        stderr(&a)
    );
    assert!(!maps(dir.path(), "half").join("tiny.csv").exists());
}

#[test]
fn a_bad_map_is_refused_at_its_line_and_column_and_nothing_runs() {
    let dir = tempfile::tempdir().unwrap();
    library(dir.path());
    let cases = [
        (
            MAP.replace("claim = \"war-unrest\"", "claim = \"war-unrset\""),
            "m.toml:6:9: error: `claim`: scenarios/claims/c.toml has no claim `war-unrset` (did you mean `war-unrest`?)",
        ),
        (
            MAP.replace("../claims/c.toml", "../claims/none.toml"),
            "m.toml:5:10: error: `claims`: cannot read the claims file",
        ),
        (
            MAP.replace(
                "path = \"rules.leadership.siege\"",
                "path = \"rules.leadership.seige\"",
            ),
            "(did you mean `rules.leadership.siege`?)",
        ),
        (
            MAP[..MAP.rfind("[[axis]]").unwrap()].to_string(),
            "a map has exactly two [[axis]] tables",
        ),
        (
            MAP.replace("seed = 5", "sed = 5"),
            "m.toml:8:1: error: `sed`: unknown key `sed` (did you mean `seed`?)",
        ),
        (
            MAP.replace(
                "values = [0.0, 1.0]\nlabel = \"siege\"",
                "values = [0.0, 2.0]\nlabel = \"siege\"",
            ),
            "makes an invalid scenario of war",
        ),
    ];
    for (text, expected) in cases {
        fs::write(dir.path().join("scenarios/maps/m.toml"), &text).unwrap();
        let a = map(dir.path(), "out", &[]).code(2);
        let e = stderr(&a);
        assert!(e.contains(expected), "expected {expected:?} in:\n{e}");
        assert!(!e.contains("panicked"), "{e}");
    }
    // A scenario of the claim that cannot be read is reported at the map's `claim`.
    fs::write(dir.path().join("scenarios/maps/m.toml"), MAP).unwrap();
    fs::remove_file(dir.path().join("scenarios/calm.toml")).unwrap();
    let e = stderr(&map(dir.path(), "out", &[]).code(2));
    assert!(
        e.contains("m.toml:6:9: error: `claim`: the claim `war-unrest` compares scenarios/calm.toml, which cannot be read"),
        "{e}"
    );
    assert!(!maps(dir.path(), "out").join("tiny.csv").exists());
    assert!(!maps(dir.path(), "out").join("tiny.csv.partial").exists());
}
