//! Faults and hostile input against the real binary: an output folder that cannot be
//! written is refused before anything runs; a run too large for the machine is refused with
//! its estimate; SIGINT stops a run cleanly, saying what was written; SIGKILL at random
//! moments never leaves a truncated file, and the rerun's output is byte-identical to an
//! uninterrupted run's; names cannot escape the output folder; reports escape what users
//! write.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

fn sovsim() -> Command {
    Command::cargo_bin("sovsim").unwrap()
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn an_output_folder_that_cannot_be_made_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "not a folder").unwrap();
    let a = sovsim()
        .arg("run")
        .arg(shipped("historical.toml"))
        .args(["--replicates", "1", "--quiet", "--out"])
        .arg(file.join("out"))
        .assert()
        .code(2);
    let e = stderr_of(&a);
    assert!(
        e.contains("cannot create the output folder") && e.contains("nothing was run"),
        "{e}"
    );
}

#[test]
fn a_run_too_large_for_this_machine_is_refused_with_its_estimate_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(shipped("historical.toml"))
        .unwrap()
        .replace("agents = 5000", "agents = 10000000");
    let file = dir.path().join("huge.toml");
    fs::write(&file, text).unwrap();
    let a = sovsim()
        .arg("run")
        .arg(&file)
        .args(["--replicates", "500", "--jobs", "256", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let e = stderr_of(&a);
    assert!(
        e.contains("historical needs about")
            && e.contains("of memory")
            && e.contains("is available")
            && e.contains("--force"),
        "{e}"
    );
    assert!(!dir.path().join("out/historical/runs.csv").exists());
    // --force is how to go on regardless; a small run takes it without complaint.
    let small = dir.path().join("small.toml");
    fs::write(
        &small,
        "name = \"small\"\ndescription = \"d\"\nstart = \"1918-01\"\nend = \"1918-03\"\n[population]\nagents = 100\n[parties.b]\nplatform = [0.5, 0.1]\nmembers = 0.05\nruling = true\n",
    )
    .unwrap();
    sovsim()
        .arg("run")
        .arg(&small)
        .args(["--replicates", "1", "--quiet", "--force", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
}

/// Every file under `dir` that is not a hidden temporary must be complete.
fn assert_nothing_truncated(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            assert_nothing_truncated(&path);
            continue;
        }
        if name.starts_with('.') {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        match path.extension().and_then(|e| e.to_str()) {
            Some("csv") => assert!(text.ends_with('\n'), "{} is cut short", path.display()),
            Some("json") => {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{} is not whole: {e}", path.display()));
            }
            Some("svg") => assert!(text.trim_end().ends_with("</svg>"), "{}", path.display()),
            Some("html") => assert!(text.trim_end().ends_with("</html>"), "{}", path.display()),
            Some("png") => assert!(
                bytes.ends_with(&[0xAE, 0x42, 0x60, 0x82]),
                "{}",
                path.display()
            ),
            _ => {}
        }
        if name == "runs.csv" {
            // One header and 4 replicates x 687 steps.
            assert_eq!(text.lines().count(), 1 + 4 * 687, "{}", path.display());
        }
    }
}

/// Every non-hidden file under `dir`, with its bytes, in path order.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !entry.file_name().to_string_lossy().starts_with('.')
                && entry.file_name() != "manifest.json"
                && entry.file_name() != "report.html"
            {
                out.push((
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn run_two(out: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_sovsim"));
    c.arg("run")
        .arg(shipped("historical.toml"))
        .arg(shipped("no_civil_war.toml"))
        .args(["--replicates", "4", "--quiet", "--out"])
        .arg(out)
        .stderr(std::process::Stdio::piped());
    c
}

#[test]
fn sigkill_at_random_moments_leaves_no_truncated_file_and_the_rerun_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    assert!(run_two(&whole).status().unwrap().success());
    let expected = snapshot(&whole);
    let out = dir.path().join("killed");
    // Pseudo-random moments (a fixed xorshift, so the test is the same every time) across
    // the run: while it simulates, writes runs.csv, draws the plots.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..5 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let delay = 100 + x % 2500;
        let mut child = run_two(&out).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        assert_nothing_truncated(&out);
    }
    assert!(run_two(&out).status().unwrap().success());
    assert_nothing_truncated(&out);
    let got = snapshot(&out);
    assert_eq!(
        got.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        expected.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in got.iter().zip(&expected) {
        assert!(a == b, "{} differs after the kills", path.display());
    }
    // No temporaries are left behind by the rerun.
    let leftovers: Vec<String> = fs::read_dir(out.join("historical"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn sigint_stops_cleanly_and_says_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_sovsim"))
        .arg("run")
        .arg(shipped("historical.toml"))
        .args(["--replicates", "64", "--jobs", "1", "--quiet", "--out"])
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: historical was not finished and nothing of it was written"),
        "{stderr}"
    );
    assert!(!out.join("historical/runs.csv").exists());
    let leftovers: Vec<String> = fs::read_dir(out.join("historical"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn names_cannot_escape_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["../escape", "a/b", "/abs", "tab\tname", "dot.dot", ""] {
        let text = fs::read_to_string(shipped("historical.toml"))
            .unwrap()
            .replace("name = \"historical\"", &format!("name = {name:?}"));
        let file = dir.path().join("s.toml");
        fs::write(&file, text).unwrap();
        let a = sovsim()
            .arg("run")
            .arg(&file)
            .args(["--replicates", "1", "--quiet", "--out"])
            .arg(dir.path().join("out"))
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains("`name`"),
            "{name:?}: {}",
            stderr_of(&a)
        );
    }
    assert!(!dir.path().join("escape").exists());
    let sweep = fs::read_to_string(shipped("sweeps/soviet_survival_ban.toml"))
        .unwrap()
        .replace("name = \"soviet_survival_ban\"", "name = \"../up\"")
        .replace(
            "base = \"../historical.toml\"",
            &format!(
                "base = {:?}",
                shipped("historical.toml").display().to_string()
            ),
        );
    let file = dir.path().join("sweep.toml");
    fs::write(&file, sweep).unwrap();
    let a = sovsim()
        .arg("sweep")
        .arg(&file)
        .args(["--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("`name`"), "{}", stderr_of(&a));
}

#[test]
fn reports_escape_what_users_write() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = r#"<script>alert("x")</script> 'quoted' </title><b>bold</b> & more"#;
    let text = format!(
        "name = \"hostile\"\ndescription = {hostile:?}\nstart = \"1918-01\"\nend = \"1918-03\"\n[population]\nagents = 100\n[parties.b]\nplatform = [0.5, 0.1]\nmembers = 0.05\nruling = true\n"
    );
    let file = dir.path().join("hostile.toml");
    fs::write(&file, &text).unwrap();
    let out = dir.path().join("out");
    sovsim()
        .arg("run")
        .arg(&file)
        .args(["--replicates", "1", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let claims = format!(
        "[[claim]]\nid = \"h\"\nsource = \"(Help or Hindrance?)\"\nargument = {hostile:?}\nassumes = {hostile:?}\n[claim.test]\nscenario = \"hostile.toml\"\nthreshold = 0.5\nmetric = \"unrest\"\nat = \"1918-02\"\nstatistic = \"final\"\nexpect = \"lower\"\n"
    );
    let claims_file = dir.path().join("c.toml");
    fs::write(&claims_file, claims).unwrap();
    sovsim()
        .arg("claims")
        .arg(&claims_file)
        .args(["--quiet", "--replicates", "1", "--out"])
        .arg(&out)
        .assert()
        .success();
    for page in [
        out.join("hostile/report.html"),
        out.join("claims/claims.html"),
    ] {
        let html = fs::read_to_string(&page).unwrap();
        assert!(!html.contains("<script>"), "{}", page.display());
        assert!(!html.contains("<b>bold</b>"), "{}", page.display());
        assert_eq!(html.matches("</title>").count(), 1, "{}", page.display());
        assert!(html.contains("&lt;script&gt;"), "{}", page.display());
    }
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the invariant checks need a debug build"
)]
fn every_shipped_scenario_keeps_the_models_bookkeeping() {
    // The test binary is a debug build, which checks the model's invariants after every step
    // of every replicate (src/model/invariants.rs) and stops with the broken rule.
    let dir = tempfile::tempdir().unwrap();
    sovsim()
        .arg("run")
        .arg(shipped(""))
        .args(["--replicates", "2", "--quiet", "--no-plots", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let runs = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(runs, 13);
}
