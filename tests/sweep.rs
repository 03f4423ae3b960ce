//! Integration tests of `sovsim sweep` and `sovsim merge` on the real binary: the rows a grid
//! sweep writes, shards merged byte for byte into the unsharded result, a sweep killed midway
//! and rerun giving the identical file, a missing or duplicated shard refused with the
//! points named, and the cluster recipes of docs/cluster.md run for real (GNU parallel, and
//! a one-node Slurm when it can be started here).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;

fn sovsim() -> Command {
    Command::cargo_bin("sovsim").unwrap()
}

fn shipped(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .display()
        .to_string()
}

/// A small base scenario and a 2 x 3 grid sweep over it, in `dir`; returns the sweep file.
fn fixture(dir: &Path, replicates: u32) -> PathBuf {
    let base = format!(
        "extends = {:?}\nname = \"small\"\ndescription = \"The historical course with few agents.\"\n[population]\nagents = 300\n",
        shipped("historical.toml")
    );
    fs::write(dir.join("small.toml"), base).unwrap();
    let sweep = format!(
        r#"name = "grid"
description = "Police and war, small."
base = "small.toml"
replicates = {replicates}
seed = 7

[[axis]]
path = "events.kronstadt.delta"
values = [0.1, 0.4]
label = "fear after Kronstadt"

[[axis]]
path = "environment.civil_war"
from = 0.0
to = 1.0
steps = 3

[[outcome]]
metric = "unrest"
statistic = "mean"
window = ["1918-06", "1920-12"]

[[outcome]]
name = "jailed_peak"
metric = "jailed"
statistic = "peak"
window = ["1918-01", "1922-12"]
"#
    );
    let file = dir.join("grid.toml");
    fs::write(&file, sweep).unwrap();
    file
}

fn run_sweep(file: &Path, out: &Path, extra: &[&str]) {
    sovsim()
        .arg("sweep")
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(["--quiet"])
        .args(extra)
        .assert()
        .success();
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_two_axis_grid_writes_one_documented_row_per_point_and_its_diagrams() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path(), 2);
    let out = dir.path().join("out");
    run_sweep(&file, &out, &[]);
    let points = read(&out.join("grid/points.csv"));
    let lines: Vec<&str> = points.lines().collect();
    assert_eq!(
        lines[0],
        "point,events.kronstadt.delta,environment.civil_war,unrest_mean_mean,unrest_mean_p05,unrest_mean_p95,jailed_peak_mean,jailed_peak_p05,jailed_peak_p95"
    );
    assert_eq!(lines.len(), 1 + 6);
    let expected = [
        ("0.1", "0"),
        ("0.1", "0.5"),
        ("0.1", "1"),
        ("0.4", "0"),
        ("0.4", "0.5"),
        ("0.4", "1"),
    ];
    for (i, (line, (fear, war))) in lines[1..].iter().zip(expected).enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 9, "{line}");
        assert_eq!(
            (cells[0], cells[1], cells[2]),
            (i.to_string().as_str(), fear, war)
        );
        for c in &cells[3..] {
            let x: f64 = c.parse().unwrap();
            assert!(
                x.is_finite() && c.split('.').nth(1).map(str::len) == Some(6),
                "{line}"
            );
        }
        let (mean, p05, p95): (f64, f64, f64) = (
            cells[3].parse().unwrap(),
            cells[4].parse().unwrap(),
            cells[5].parse().unwrap(),
        );
        assert!(p05 <= mean && mean <= p95, "{line}");
    }
    // No war means less unrest than the historical war, at either police level.
    let unrest = |row: usize| -> f64 { lines[row].split(',').nth(3).unwrap().parse().unwrap() };
    assert!(unrest(1) < unrest(3) && unrest(4) < unrest(6), "{points}");
    for name in ["unrest_mean", "jailed_peak"] {
        assert!(out.join(format!("grid/plots/{name}.svg")).is_file());
        assert!(out.join(format!("grid/plots/{name}.png")).is_file());
    }
    let html = read(&out.join("grid/sweep.html"));
    assert!(html.contains("fear after Kronstadt"));
    assert!(!out.join("grid/points.csv.partial").exists());
    // Rerun over a finished sweep: nothing changes.
    run_sweep(&file, &out, &[]);
    assert_eq!(read(&out.join("grid/points.csv")), points);
}

#[test]
fn three_shards_merged_are_the_unsharded_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path(), 1);
    let single = dir.path().join("single");
    run_sweep(&file, &single, &["--jobs", "2"]);
    let sharded = dir.path().join("sharded");
    for k in 0..3 {
        run_sweep(
            &file,
            &sharded,
            &["--shard", &format!("{k}/3"), "--jobs", "1"],
        );
    }
    assert!(!sharded.join("grid/points.csv").exists());
    sovsim()
        .args(["merge", "--quiet"])
        .arg(sharded.join("grid"))
        .assert()
        .success();
    assert_eq!(
        read(&sharded.join("grid/points.csv")),
        read(&single.join("grid/points.csv"))
    );
}

#[test]
fn a_missing_or_duplicated_shard_makes_merge_fail_naming_the_points() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path(), 1);
    let out = dir.path().join("out");
    for k in [0, 2] {
        run_sweep(&file, &out, &["--shard", &format!("{k}/3")]);
    }
    let merge = || {
        let a = sovsim().arg("merge").arg(out.join("grid")).assert().code(2);
        String::from_utf8_lossy(&a.get_output().stderr).into_owned()
    };
    let e = merge();
    assert!(e.contains("missing points 1, 4 (of 0-5)"), "{e}");
    run_sweep(&file, &out, &["--shard", "1/3"]);
    run_sweep(&file, &out, &["--shard", "0/2"]);
    let e = merge();
    assert!(
        e.contains("point 0 (in shard 0 of 2 and shard 0 of 3)")
            && e.contains("point 2 (in shard 0 of 2 and shard 2 of 3)"),
        "{e}"
    );
    // A shard of another sweep file is refused too.
    fs::remove_file(out.join("grid/shard-0-of-2.csv")).unwrap();
    let other = read(&file).replace("seed = 7", "seed = 8");
    let other_file = dir.path().join("other.toml");
    fs::write(&other_file, other).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    run_sweep(&other_file, &elsewhere, &["--shard", "1/3"]);
    fs::copy(
        elsewhere.join("grid/shard-1-of-3.json"),
        out.join("grid/shard-1-of-3.json"),
    )
    .unwrap();
    let e = merge();
    assert!(
        e.contains("shard 1 of 3") && e.contains("different sweep file"),
        "{e}"
    );
}

#[test]
fn a_sweep_killed_midway_and_rerun_gives_the_identical_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path(), 2);
    let whole = dir.path().join("whole");
    run_sweep(&file, &whole, &[]);
    let expected = read(&whole.join("grid/points.csv"));
    let out = dir.path().join("killed");
    let partial = out.join("grid/points.csv.partial");
    // Killed (SIGKILL) at three different moments: after one, two and four points.
    for rows in [1usize, 2, 4] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sovsim"))
            .arg("sweep")
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .args(["--quiet", "--jobs", "1"])
            .spawn()
            .unwrap();
        let started = Instant::now();
        loop {
            let done = fs::read_to_string(&partial)
                .map(|t| t.lines().count().saturating_sub(1))
                .unwrap_or(0);
            if done >= rows || started.elapsed() > Duration::from_secs(120) {
                break;
            }
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if out.join("grid/points.csv").exists() {
            break;
        }
        // What is there is a prefix of the finished file, maybe with a torn last line,
        // and it does not pass for finished.
        let text = read(&partial);
        let complete: usize = text.rfind('\n').map_or(0, |p| p + 1);
        assert!(expected.starts_with(&text[..complete]), "{text}");
    }
    run_sweep(&file, &out, &[]);
    assert_eq!(read(&out.join("grid/points.csv")), expected);
}

/// Runs a cluster script; `None` when it says it cannot run here (exit 77).
fn cluster_script(name: &str, replicates: u32) -> Option<()> {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path(), replicates);
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cluster")
        .join(name);
    let output = std::process::Command::new("bash")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_sovsim"))
        .arg(&file)
        .arg(dir.path().join("work"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => Some(()),
        Some(77) => {
            eprintln!("{name} skipped: {stderr}");
            None
        }
        other => panic!("{name} failed ({other:?}):\n{stderr}"),
    }
}

#[test]
fn the_gnu_parallel_recipe_gives_the_unsharded_result() {
    let ran = cluster_script("gnu_parallel.sh", 1);
    if ran.is_none() && std::env::var_os("SOVSIM_REQUIRE_CLUSTER").is_some() {
        panic!("GNU parallel is required here (SOVSIM_REQUIRE_CLUSTER is set)");
    }
}

#[test]
fn the_slurm_recipe_gives_the_unsharded_result() {
    let ran = cluster_script("slurm_single_node.sh", 1);
    if ran.is_none() && std::env::var_os("SOVSIM_REQUIRE_SLURM").is_some() {
        panic!("Slurm is required here (SOVSIM_REQUIRE_SLURM is set)");
    }
}
