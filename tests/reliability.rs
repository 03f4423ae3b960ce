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
    let text = historical_text().replace("agents = 5000", "agents = 10000000");
    let file = dir.path().join("huge.toml");
    fs::write(&file, text).unwrap();
    let a = sovsim()
        .arg("run")
        .arg(&file)
        // 100 replicates: under the day of CPU past which the work itself is refused.
        .args(["--replicates", "100", "--jobs", "256", "--quiet", "--out"])
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
        let text = historical_text().replace("name = \"historical\"", &format!("name = {name:?}"));
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

/// The historical scenario's text, its record named by its full path, so that a copy
/// written elsewhere still finds it.
fn historical_text() -> String {
    let record = shipped("record/record.toml").display().to_string();
    fs::read_to_string(shipped("historical.toml"))
        .unwrap()
        .replace("\"record/record.toml\"", &format!("{record:?}"))
}

/// The historical scenario renamed `name`, with `agents`, `replicates` and `end` changed.
fn resized(dir: &Path, name: &str, agents: u32, replicates: u32, end: &str) -> PathBuf {
    let text = historical_text()
        .replace("name = \"historical\"", &format!("name = \"{name}\""))
        .replace("agents = 5000", &format!("agents = {agents}"))
        .replace("replicates = 16", &format!("replicates = {replicates}"))
        .replace("end = \"1930-12\"", &format!("end = \"{end}\""));
    let file = dir.join(format!("{name}.toml"));
    fs::write(&file, text).unwrap();
    file
}

#[test]
fn validate_says_the_work_of_each_scenario_and_warns_past_the_documented_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let a = sovsim()
        .arg("validate")
        .arg(shipped("historical.toml"))
        .assert()
        .success();
    let e = stderr_of(&a);
    assert!(
        e.contains("sovsim: 1 scenario(s) valid\nsovsim: historical: 16 replicates x 5,000 agents x 687 steps = 55 million agent-steps, about 6 CPU s\n"),
        "{e}"
    );
    // Ten million agents: hours of CPU, a warning at the file; a thousand replicates of
    // them: days, which `run` refuses.
    let long = resized(dir.path(), "long", 10_000_000, 16, "1930-12");
    let huge = resized(dir.path(), "huge", 10_000_000, 1000, "1930-12");
    let a = sovsim()
        .arg("validate")
        .arg(&long)
        .arg(&huge)
        .assert()
        .success();
    let e = stderr_of(&a);
    assert!(
        e.contains(&format!(
            "{}: warning: long: 16 replicates x 10,000,000 agents x 687 steps = 110 billion agent-steps, about 3.4 CPU hours\n",
            long.display()
        )),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "{}: warning: huge: 1,000 replicates x 10,000,000 agents x 687 steps = 6.9 trillion agent-steps, about 8.7 CPU days, more than the limit of 24 CPU hours",
            huge.display()
        )) && e.contains("refuse it"),
        "{e}"
    );
}

#[test]
fn work_past_a_day_of_cpu_is_refused_at_its_file_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let huge = resized(dir.path(), "huge", 10_000_000, 1000, "1930-12");
    // The work is refused before the memory it would need is weighed.
    for command in [vec!["run"], vec!["compare"]] {
        let mut c = sovsim();
        c.args(&command).arg(&huge);
        if command[0] == "compare" {
            c.arg(shipped("historical.toml"));
        }
        let a = c.args(["--quiet", "--out"]).arg(&out).assert().code(2);
        let e = stderr_of(&a);
        assert!(
            e.contains(&format!("{}: error: huge: 1,000 replicates x 10,000,000 agents x 687 steps = 6.9 trillion agent-steps, about 8.7 CPU days", huge.display()))
                && e.contains("more than the limit of 24 CPU hours")
                && e.contains("--force to run anyway; nothing was run"),
            "{command:?}: {e}"
        );
        assert!(
            !out.exists(),
            "{command:?}: nothing is written, not even --out"
        );
    }
    // A claim on it: the claims' whole work is refused before any of it runs.
    let claims = dir.path().join("c.toml");
    fs::write(
        &claims,
        "[[claim]]\nid = \"h\"\nsource = \"(Help or Hindrance?)\"\nargument = \"a\"\nassumes = \"b\"\n[claim.test]\nscenario = \"huge.toml\"\nthreshold = 0.5\nmetric = \"unrest\"\nat = \"1920-02\"\nstatistic = \"final\"\nexpect = \"lower\"\n",
    )
    .unwrap();
    let a = sovsim()
        .arg("claims")
        .arg(&claims)
        .args(["--quiet", "--no-views", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let e = stderr_of(&a);
    assert!(
        e.contains(&format!("{}: error: huge:", huge.display())) && e.contains("--force"),
        "{e}"
    );
    assert!(!out.exists());
    // A map of 25 points with 5,000 replicates a side: the refusal points at its axes.
    let map = fs::read_to_string(shipped("maps/faction_ban.toml"))
        .unwrap()
        .replace("replicates = 8", "replicates = 5000")
        .replace(
            "claims = \"../claims/factions.toml\"",
            &format!(
                "claims = {:?}",
                shipped("claims/factions.toml").display().to_string()
            ),
        );
    let map_file = dir.path().join("map.toml");
    fs::write(&map_file, map).unwrap();
    let a = sovsim()
        .arg("map")
        .arg(&map_file)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let e = stderr_of(&a);
    assert!(
        e.contains(&format!(
            "{}:19:8: error: map faction_ban: 25 points x 2 sides x 5,000 replicates x 5,000 agents x 687 steps = 859 billion agent-steps",
            map_file.display()
        )) && e.contains("--force"),
        "{e}"
    );
    assert!(!out.exists());
    // A sweep of 25 points with 10,000 replicates each, the same at its first axis.
    let sweep = fs::read_to_string(shipped("sweeps/soviet_survival_ban.toml"))
        .unwrap()
        .replace("replicates = 8", "replicates = 10000")
        .replace(
            "base = \"../historical.toml\"",
            &format!(
                "base = {:?}",
                shipped("historical.toml").display().to_string()
            ),
        );
    let sweep_file = dir.path().join("sweep.toml");
    fs::write(&sweep_file, sweep).unwrap();
    let a = sovsim()
        .arg("sweep")
        .arg(&sweep_file)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let e = stderr_of(&a);
    assert!(
        e.contains(&format!("{}:", sweep_file.display()))
            && e.contains(": error: sweep soviet_survival_ban: 25 points x 10,000 replicates x 5,000 agents x 687 steps")
            && e.contains("--force"),
        "{e}"
    );
    assert!(!out.exists());
}

/// A run of `file` in the background, its stderr read line by line as it comes.
struct Background {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Background {
    fn run(file: &Path, out: &Path) -> Background {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sovsim"))
            .arg("run")
            .arg(file)
            .args(["--jobs", "2", "--quiet", "--out"])
            .arg(out)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead as _;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        Background {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (at most a minute) for a line containing `text`.
    fn wait_for(&mut self, text: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !self.seen.iter().any(|l| l.contains(text)) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("no line with {text:?}: {:?}", self.seen);
                }
            }
        }
    }

    fn signal(&self, signal: i32) {
        // SAFETY: sending a signal to our own child process.
        unsafe {
            libc::kill(self.child.id() as i32, signal);
        }
    }

    /// Waits for the exit, at most `limit` (then kills it and fails); its code, the time it
    /// took and everything it said.
    fn finish(mut self, limit: Duration) -> (Option<i32>, Duration, String) {
        let since = std::time::Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if since.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("still running {limit:?} after the signal: {:?}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let took = since.elapsed();
        // The reader ends with the pipe.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        (status.code(), took, self.seen.join("\n"))
    }
}

/// The files of a folder that are not hidden temporaries.
fn visible_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn one_sigterm_stops_a_long_replicate_within_seconds_and_nothing_of_it_is_written() {
    // 100,000 agents until 2100: 9,558 weekly steps a replicate, minutes each even in a
    // release build; before replicates could stop midway, one signal waited for a batch.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let file = resized(dir.path(), "long", 100_000, 64, "2100-12");
    let mut run = Background::run(&file, &out);
    // The work is announced at the file before it starts (even with --quiet).
    run.wait_for(&format!(
        "{}: warning: long: 64 replicates x 100,000 agents x 9,558 steps = 61 billion agent-steps, about 1.9 CPU hours (about 56 min on 2 threads)",
        file.display()
    ));
    std::thread::sleep(Duration::from_millis(1500));
    run.signal(libc::SIGTERM);
    let (code, took, stderr) = run.finish(Duration::from_secs(20));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(took < Duration::from_secs(5), "took {took:?}: {stderr}");
    assert!(
        stderr.contains("sovsim: interrupted: long was not finished and nothing of it was written; nothing was complete"),
        "{stderr}"
    );
    let left: Vec<String> = fs::read_dir(out.join("long"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_second_signal_ends_the_run_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let file = resized(dir.path(), "long", 100_000, 64, "2100-12");
    let mut run = Background::run(&file, &out);
    run.wait_for("warning: long:");
    std::thread::sleep(Duration::from_millis(1500));
    // The first asks for a stop after the step in progress; the second, before that step
    // can end, ends the process itself: the orderly stop's closing line is never printed.
    run.signal(libc::SIGTERM);
    run.signal(libc::SIGINT);
    let (code, took, stderr) = run.finish(Duration::from_secs(20));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(took < Duration::from_secs(2), "took {took:?}: {stderr}");
    assert!(
        stderr.contains("sovsim: stopping: the work in progress is dropped")
            && !stderr.contains("interrupted:"),
        "{stderr}"
    );
    // What it leaves are hidden temporaries, removed by the next run; nothing under a
    // result's name.
    assert!(visible_files(&out.join("long")).is_empty());
}

#[test]
fn a_map_of_twenty_thousand_points_is_refused_before_its_points_are_made() {
    // Making a point's variations of both sides is a parse of each: weighed first, a map
    // this large is refused at once rather than after minutes of making points.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let map = fs::read_to_string(shipped("maps/faction_ban.toml"))
        .unwrap()
        .replacen(
            "values = [0.0, 0.25, 0.5, 0.75, 1.0]",
            "from = 0.0\nto = 1.0\nsteps = 200",
            1,
        )
        .replacen(
            "values = [0.0, 0.25, 0.5, 0.75, 1.0]",
            "from = 0.0\nto = 1.0\nsteps = 100",
            1,
        )
        .replace(
            "claims = \"../claims/factions.toml\"",
            &format!(
                "claims = {:?}",
                shipped("claims/factions.toml").display().to_string()
            ),
        );
    let map_file = dir.path().join("map.toml");
    fs::write(&map_file, map).unwrap();
    let a = sovsim()
        .arg("map")
        .arg(&map_file)
        .args(["--quiet", "--out"])
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2);
    let e = stderr_of(&a);
    assert!(
        e.contains(&format!(
            "{}:19:8: error: map faction_ban: 20,000 points x 2 sides",
            map_file.display()
        )) && e.contains("--force"),
        "{e}"
    );
    assert!(!out.exists());
}
