//! The reports in a real browser: headless Chromium (Debian's `chromium`) loads the
//! historical-vs-multi-party report, and the historical run's report the comparison made,
//! with no console errors, and shows their decision timelines and plots; and it loads the
//! claims page, organised by the five contrasts, each claim under every view, with the
//! contrasts' maps. `.ci/run` installs Chromium and sets `SOVSIM_REQUIRE_BROWSER=1`, so
//! there the tests cannot be skipped; on a machine with only the Rust toolchain they say
//! why they are skipped.

use std::fs;
use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

mod common;

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

/// Chromium, or `None` after saying why the test is skipped (never under CI).
fn browser_or_skip() -> Option<&'static str> {
    let browser = chromium();
    if browser.is_none() {
        assert!(
            std::env::var_os("SOVSIM_REQUIRE_BROWSER").is_none(),
            "SOVSIM_REQUIRE_BROWSER is set but no Chromium was found"
        );
        eprintln!("skipped: no Chromium on this machine (.ci/run installs it)");
    }
    browser
}

/// Headless Chromium with a profile of its own, quiet but for the page's console.
fn headless(browser: &str, profile: &Path) -> Process {
    let mut command = Process::new(browser);
    command
        .args([
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
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// The page as the browser rendered it, after its load event, with no console message.
fn rendered(browser: &str, profile: &Path, page: &Path) -> String {
    let url = format!("file://{}", page.display());
    let dom = headless(browser, profile)
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    assert!(dom.status.success());
    let log = String::from_utf8_lossy(&dom.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

/// A screenshot of the page, checked to have content.
fn screenshot(browser: &str, profile: &Path, page: &Path, shot: &Path) {
    let taken = headless(browser, profile)
        .arg("--window-size=1200,1100")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(taken.status.success());
    assert!(
        fs::metadata(shot).unwrap().len() > 10_000,
        "a screenshot with content"
    );
}

#[test]
fn the_comparison_report_loads_in_headless_chromium_without_errors() {
    let Some(browser) = browser_or_skip() else {
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
    let profile = dir.path().join("profile");
    let rendered = |page: &Path| rendered(browser, &profile, page);
    let html = rendered(&report);
    // The decision timelines, the overview and the twenty-three plots, each a whole SVG
    // element in the rendered page, the decisions first.
    assert_eq!(html.matches("<svg").count(), 25);
    assert_eq!(html.matches("</svg>").count(), 25);
    let decisions = html
        .find("id=\"decisions\"")
        .expect("the decision timelines");
    assert!(decisions < html.find("id=\"overview\"").unwrap());
    assert!(
        html.contains("<li>appoint_congress: "),
        "a sentence per decision"
    );
    // The historical run's own report, which the comparison wrote as `run` would: its
    // decision timeline, then its twenty-three plots, and the plot of its fit to the record.
    let run = rendered(&dir.path().join("historical/report.html"));
    assert_eq!(run.matches("<svg").count(), 25);
    assert_eq!(run.matches("</svg>").count(), 25);
    let decisions = run.find("id=\"decisions\"").expect("the decision timeline");
    assert!(decisions < run.find("id=\"soviet_power\"").unwrap());
    assert!(
        run.contains("<li>appoint_congress: "),
        "a sentence per decision"
    );
    screenshot(browser, &profile, &report, &dir.path().join("report.png"));
}

/// Five claims, one in each contrast, each from an essay on one of its sides; the scenarios
/// are `small_war.toml` and `small_peace.toml` beside the file.
const CLAIMS: &str = r#"
[[claim]]
id = "war-fills-jails"
source = "The Communist Left in Russia 1918-1930, Part 2"
argument = "The civil war fills the jails."
contrast = 1
[claim.test]
scenario = "small_war.toml"
baseline = "small_peace.toml"
metric = "jailed"
window = ["1918-07", "1920-10"]
statistic = "peak"
expect = "higher"

[[claim]]
id = "war-appoints"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "The war's party appoints its congresses."
contrast = 2
[claim.test]
scenario = "small_war.toml"
baseline = "small_peace.toml"
metric = "oligarchy"
window = ["1921-03", "1925-12"]
statistic = "mean"
expect = "higher"

[[claim]]
id = "war-empties-soviets"
source = "Untitled essay on G. I. Miasnikov and the Workers' Group"
argument = "The civil war empties the soviets' meetings."
contrast = 3
[claim.test]
scenario = "small_war.toml"
baseline = "small_peace.toml"
metric = "participation"
at = "1921-01"
statistic = "final"
expect = "lower"

[[claim]]
id = "officials-anyway"
source = "(Help or Hindrance?)"
argument = "Without the war the party still becomes a party of officials."
contrast = 4
[claim.test]
scenario = "small_peace.toml"
baseline = "small_war.toml"
metric = "official_share"
window = ["1924-01", "1927-12"]
statistic = "mean"
expect = "negligible"

[[claim]]
id = "no-alternative"
source = "Were any of the Bolshevik oppositions a real alternative?"
argument = "Party democracy without other parties changes little."
contrast = 5
[claim.test]
scenario = "small_peace.toml"
baseline = "small_war.toml"
metric = "party_democracy"
window = ["1923-10", "1927-12"]
statistic = "mean"
expect = "negligible"
"#;

/// Added to a copy of the claims page: once it has loaded, what a reader sees in each
/// contrast (its tables' columns, each cell's word and colour, its maps' widths as loaded),
/// written into the page as JSON for `--dump-dom` to return.
const PROBE: &str = r#"<script>
window.addEventListener("load", function () {
  var out = Array.from(document.querySelectorAll("section.contrast")).map(function (s) {
    return {
      id: s.id,
      tables: Array.from(s.querySelectorAll("table.views")).map(function (t) {
        return {
          columns: t.querySelectorAll("thead th").length - 1,
          cells: Array.from(t.querySelectorAll("tbody td")).map(function (td) {
            return [td.textContent.trim(), getComputedStyle(td).backgroundColor];
          })
        };
      }),
      maps: Array.from(s.querySelectorAll("figure.map img")).map(function (i) {
        return i.naturalWidth;
      })
    };
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"#;

#[test]
fn the_claims_page_shows_the_five_contrasts_under_every_view_with_their_maps() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The shipped views, where `claims` run from this folder finds them.
    assert_eq!(common::shipped_views(dir.path()).len(), 5);
    common::small_scenarios(dir.path());
    fs::write(dir.path().join("claims.toml"), CLAIMS).unwrap();
    // A map for each contrast, as the map command would leave them beside the page.
    let maps = dir.path().join("out/claims/maps");
    fs::create_dir_all(&maps).unwrap();
    let ids = [
        "war-fills-jails",
        "war-appoints",
        "war-empties-soviets",
        "officials-anyway",
        "no-alternative",
    ];
    for (k, id) in ids.iter().enumerate() {
        let n = k + 1;
        fs::write(
            maps.join(format!("map{n}.svg")),
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"120\"><rect width=\"240\" height=\"120\" fill=\"#ddd\"/><text x=\"10\" y=\"60\">map {n}</text></svg>"),
        )
        .unwrap();
        fs::write(
            maps.join(format!("map{n}.json")),
            format!("{{\"name\": \"map{n}\", \"description\": \"A map for contrast {n}.\", \"contrast\": {n}, \"claim\": \"{id}\", \"svg\": \"map{n}.svg\", \"png\": \"map{n}.png\", \"complete\": true}}"),
        )
        .unwrap();
    }
    Command::cargo_bin("sovsim")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "claims",
            "claims.toml",
            "--replicates",
            "2",
            "--no-sensitivity",
        ])
        .args(["--quiet", "--out", "out"])
        .assert()
        .success();
    let page = dir.path().join("out/claims/claims.html");
    let profile = dir.path().join("profile");
    rendered(browser, &profile, &page);
    let probed = dir.path().join("out/claims/probe.html");
    fs::write(
        &probed,
        fs::read_to_string(&page)
            .unwrap()
            .replace("</body>", &format!("{PROBE}</body>")),
    )
    .unwrap();
    let dom = rendered(browser, &profile, &probed);
    let json = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .expect("the probe's result")
        .replace("&quot;", "\"");
    let sections: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sections = sections.as_array().unwrap();
    assert_eq!(sections.len(), 5);
    let words = ["supported", "contradicted", "negligible", "inconclusive"];
    for (k, s) in sections.iter().enumerate() {
        assert_eq!(s["id"], format!("contrast-{}", k + 1));
        let tables = s["tables"].as_array().unwrap();
        assert!(!tables.is_empty(), "{s}");
        for t in tables {
            // A column per view: the defaults and the five essays' views.
            assert_eq!(t["columns"], 1 + 5, "{s}");
            let cells = t["cells"].as_array().unwrap();
            assert_eq!(cells.len() % 6, 0, "{s}");
            for cell in cells {
                // The verdict in a word, and coloured.
                assert!(words.contains(&cell[0].as_str().unwrap()), "{cell}");
                assert_ne!(cell[1], "rgba(0, 0, 0, 0)", "{cell}");
            }
        }
        let loaded = s["maps"].as_array().unwrap();
        assert_eq!(loaded.len(), 1, "{s}");
        assert!(
            loaded[0].as_u64().unwrap() > 0,
            "the map's image loads: {s}"
        );
    }
    screenshot(browser, &profile, &page, &dir.path().join("claims.png"));
}
