//! The reports in a real browser: headless Chromium (Debian's `chromium`) loads the
//! historical-vs-multi-party report, and the historical run's report the comparison made,
//! with no console errors, and shows their decision timelines and plots. `.ci/run`
//! installs Chromium and sets `SOVSIM_REQUIRE_BROWSER=1`, so there the test cannot be
//! skipped; on a machine with only the Rust toolchain it says why it is skipped.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Process::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn the_comparison_report_loads_in_headless_chromium_without_errors() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("SOVSIM_REQUIRE_BROWSER").is_none(),
            "SOVSIM_REQUIRE_BROWSER is set but no Chromium was found"
        );
        eprintln!("skipped: no Chromium on this machine (.ci/run installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    Command::cargo_bin("sovsim")
        .unwrap()
        .arg("compare")
        .arg(scenarios.join("historical.toml"))
        .arg(scenarios.join("multi_party_soviets.toml"))
        .args(["--replicates", "2", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let report = dir
        .path()
        .join("compare-historical-multi_party_soviets/report.html");
    let shot = dir.path().join("report.png");
    let profile = dir.path().join("profile");
    let base = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ];
    // The page as the browser rendered it, with no console message.
    let rendered = |report: &Path| {
        let url = format!("file://{}", report.display());
        let dom = Process::new(browser)
            .args(base)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(["--dump-dom", &url])
            .output()
            .unwrap();
        assert!(dom.status.success());
        let log = String::from_utf8_lossy(&dom.stderr);
        let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
        assert!(console.is_empty(), "console messages: {console:?}");
        String::from_utf8_lossy(&dom.stdout).into_owned()
    };
    let url = format!("file://{}", report.display());
    let html = rendered(&report);
    // The decision timelines, the overview and the nineteen plots, each a whole SVG element
    // in the rendered page, the decisions first.
    assert_eq!(html.matches("<svg").count(), 21);
    assert_eq!(html.matches("</svg>").count(), 21);
    let decisions = html
        .find("id=\"decisions\"")
        .expect("the decision timelines");
    assert!(decisions < html.find("id=\"overview\"").unwrap());
    assert!(
        html.contains("<li>appoint_congress: "),
        "a sentence per decision"
    );
    // The historical run's own report, which the comparison wrote as `run` would: its
    // decision timeline, then its nineteen plots.
    let run = rendered(&dir.path().join("historical/report.html"));
    assert_eq!(run.matches("<svg").count(), 20);
    assert_eq!(run.matches("</svg>").count(), 20);
    let decisions = run.find("id=\"decisions\"").expect("the decision timeline");
    assert!(decisions < run.find("id=\"soviet_power\"").unwrap());
    assert!(
        run.contains("<li>appoint_congress: "),
        "a sentence per decision"
    );
    let screenshot = Process::new(browser)
        .args(base)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1200,1100")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(screenshot.status.success());
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a screenshot with content"
    );
}
