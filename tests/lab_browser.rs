//! The lab page of `sovsim serve` in a real browser: the real binary serves a copy of the
//! shipped scenarios, and `tests/lab/drive.mjs` (playwright-core driving Debian's headless
//! Chromium) runs an experiment as a class would, watches the plots fill, downloads its
//! scenario file and CSVs, pins a baseline and reads the comparison, and types bad values.
//! Then `sovsim run` reruns the downloaded file from the command line, and its runs.csv,
//! summary.csv and decisions.csv must be the page's, byte for byte.
//!
//! `.ci/run` installs Chromium and the npm packages (`tests/lab/node_modules`) and sets
//! `SOVSIM_REQUIRE_BROWSER=1`, so there the test cannot be skipped; on a machine without
//! Chromium, Node or the packages it says why it is skipped. With `SOVSIM_SCREENSHOTS=1` it
//! also copies its three screenshots into docs/img/ (lab.png, lab-compare.png,
//! lab-problem.png).

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the browser may take over everything it does (normally well under a minute).
const DRIVE_TIMEOUT: Duration = Duration::from_secs(300);
/// How long the server may take to read the library and listen.
const SERVE_TIMEOUT: Duration = Duration::from_secs(60);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A program on the PATH, as a path.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Chromium, Node and playwright-core, or `None` after saying why the test is skipped
/// (never under CI, where `SOVSIM_REQUIRE_BROWSER` is set).
fn tools_or_skip() -> Option<PathBuf> {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .filter_map(on_path)
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let playwright = repo()
        .join("tests/lab/node_modules/playwright-core")
        .is_dir();
    let missing = if browser.is_none() {
        Some("no Chromium on this machine (.ci/run installs it)")
    } else if !node {
        Some("no Node.js (`node`) on this machine")
    } else if !playwright {
        Some(
            "tests/lab/node_modules/playwright-core is missing (.ci/run installs it: npm ci --prefix tests/lab)",
        )
    } else {
        None
    };
    if let Some(why) = missing {
        assert!(
            std::env::var_os("SOVSIM_REQUIRE_BROWSER").is_none(),
            "SOVSIM_REQUIRE_BROWSER is set but {why}"
        );
        eprintln!("skipped: {why}");
        return None;
    }
    browser
}

/// A child process killed when it goes out of scope, so that a failing test leaves no
/// server or browser behind.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `sovsim serve` on a free port in `dir`, serving `dir/scenarios`, and the page's address
/// from the line it prints. Its stderr goes to `dir/serve.log`.
fn serve(dir: &Path) -> (Killed, String) {
    let log = File::create(dir.join("serve.log")).unwrap();
    // The folder as a user in the project names it (the default), so that the page's
    // rerun hint reads as the README shows it; the load test serves an absolute path.
    let mut child = Command::new(env!("CARGO_BIN_EXE_sovsim"))
        .args(["serve", "--port", "0", "--scenarios", "scenarios"])
        .current_dir(dir)
        // Two workers, as on a classroom's two-core machine, whatever this one has: the
        // replicates then come in batches of two, and the page has a part of the ensemble
        // to draw before the whole (drive.mjs checks it does). Results do not depend on it.
        .env("RAYON_NUM_THREADS", "2")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Killed(child);
    // The server's stdout is read to its end on a thread of its own (it says little after
    // the address, but must never block on a full pipe); the lines come back here.
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + SERVE_TIMEOUT;
    let mut said = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = received.recv_timeout(left) else {
            panic!(
                "sovsim serve did not say where it listens within {SERVE_TIMEOUT:?}; it said {said:?}; stderr:\n{}",
                fs::read_to_string(dir.join("serve.log")).unwrap_or_default()
            );
        };
        if let Some(rest) = line.strip_prefix("Open ")
            && let Some(url) = rest.strip_suffix(" in a browser (Ctrl-C stops the lab)")
        {
            assert!(url.starts_with("http://127.0.0.1:"), "{line}");
            return (server, url.to_string());
        }
        said.push(line);
    }
}

/// `node tests/lab/drive.mjs <url> <out>` run to its end (killed after `DRIVE_TIMEOUT`):
/// whether it succeeded, its stdout and its stderr.
fn drive(browser: &Path, url: &str, out: &Path, logs: &Path) -> (bool, String, String) {
    let stdout = logs.join("drive.stdout");
    let stderr = logs.join("drive.stderr");
    let child = Command::new("node")
        .arg("tests/lab/drive.mjs")
        .arg(url)
        .arg(out)
        .env("SOVSIM_CHROMIUM", browser)
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let mut node = Killed(child);
    let deadline = Instant::now() + DRIVE_TIMEOUT;
    let status = loop {
        if let Some(status) = node.0.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(node);
    let read = |p: &Path| fs::read_to_string(p).unwrap_or_default();
    let mut err = read(&stderr);
    if status.is_none() {
        err.push_str(&format!("\n(killed after {DRIVE_TIMEOUT:?})"));
    }
    (status.is_some_and(|s| s.success()), read(&stdout), err)
}

/// Panics, saying where, unless the two files are the same bytes.
fn assert_same_file(page: &Path, cli: &Path) {
    let a = fs::read(page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let b = fs::read(cli).unwrap_or_else(|e| panic!("{}: {e}", cli.display()));
    if a == b {
        return;
    }
    let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    let first = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    panic!(
        "the page's {} is not the command line's {} ({} and {} lines); first difference at line {}:\n  page: {:?}\n  cli:  {:?}",
        page.display(),
        cli.display(),
        a.lines().count(),
        b.lines().count(),
        first + 1,
        a.lines().nth(first),
        b.lines().nth(first)
    );
}

#[test]
fn the_lab_runs_an_experiment_in_headless_chromium_as_the_command_line_would() {
    let Some(browser) = tools_or_skip() else {
        return;
    };
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    copy_dir(&repo().join("scenarios"), &dir.join("scenarios"));
    let (server, url) = serve(dir);
    let serve_log = fs::read_to_string(dir.join("serve.log")).unwrap();
    assert!(
        !serve_log.contains("left out of the lab"),
        "every shipped scenario is offered:\n{serve_log}"
    );

    let out = dir.join("browser");
    let (ok, stdout, stderr) = drive(&browser, &url, &out, dir);
    drop(server);
    assert!(
        ok,
        "tests/lab/drive.mjs failed.\nstdout:\n{stdout}\nstderr:\n{stderr}\nserver's stderr:\n{}",
        fs::read_to_string(dir.join("serve.log")).unwrap_or_default()
    );
    eprintln!("{stdout}");

    // The first run's scenario file, saved where the page says, rerun from the command line.
    let name = "factions_allowed_lab";
    let toml = format!("{name}.toml");
    fs::copy(out.join(&toml), dir.join("scenarios").join(&toml)).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_sovsim"))
        .args(["run", &format!("scenarios/{toml}"), "--out", "output"])
        .args(["--no-plots", "--quiet"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "sovsim run {toml} failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let results = dir.join("output").join(name);
    for csv in ["runs", "summary", "decisions"] {
        assert_same_file(
            &out.join(format!("{name}-{csv}.csv")),
            &results.join(format!("{csv}.csv")),
        );
    }

    let shots = ["lab.png", "lab-compare.png", "lab-problem.png"];
    for shot in shots {
        let size = fs::metadata(out.join(shot)).map_or(0, |m| m.len());
        assert!(
            size > 10_000,
            "{shot}: a screenshot with content ({size} bytes)"
        );
    }
    if std::env::var_os("SOVSIM_SCREENSHOTS").is_some_and(|v| v == "1") {
        for shot in shots {
            fs::copy(out.join(shot), repo().join("docs/img").join(shot)).unwrap();
        }
        eprintln!("copied {shots:?} into docs/img/");
    }
    eprintln!("the lab's browser test took {:.1?}", started.elapsed());
}
