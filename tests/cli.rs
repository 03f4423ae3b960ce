//! Integration tests: they run the real `sovsim` binary on the shipped historical scenario and
//! on broken scenarios, and check what it writes and how it exits.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The twenty-three metrics, in the column order docs/model.md documents.
const METRICS: [&str; 23] = [
    "soviet_power",
    "participation",
    "pluralism",
    "faction_pluralism",
    "party_democracy",
    "bureaucracy",
    "official_share",
    "party_worker_share",
    "line_gap",
    "legitimacy",
    "unrest",
    "strikes",
    "arrests",
    "jailed",
    "expelled",
    "underground",
    "falsification",
    "oligarchy",
    "restored",
    "purge_share",
    "coalition",
    "party_members",
    "worker_legitimacy",
];

/// Metrics that are not shares: rates per 1,000 and effective numbers of groups.
const NOT_SHARES: [&str; 6] = [
    "arrests",
    "party_members",
    "jailed",
    "bureaucracy",
    "pluralism",
    "faction_pluralism",
];

mod common;

fn sovsim() -> Command {
    Command::cargo_bin("sovsim").unwrap()
}

fn historical() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/historical.toml")
}

fn run_historical(out: &Path, extra: &[&str]) {
    sovsim()
        .arg("run")
        .arg(historical())
        .args(["--replicates", "4", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn run_writes_the_three_files_with_the_documented_columns() {
    let dir = tempfile::tempdir().unwrap();
    run_historical(dir.path(), &[]);
    let out = dir.path().join("historical");

    let runs = read(&out.join("runs.csv"));
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut expected = vec!["replicate", "step", "date"];
    expected.extend(METRICS);
    assert_eq!(header, expected);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let steps = rows.iter().filter(|r| r[0] == "0").count();
    assert!(
        steps > 680,
        "weekly 1917-11 to 1930-12 is about 700 steps, got {steps}"
    );
    assert_eq!(rows.len(), 4 * steps);
    let mut last = (-1i64, -1i64);
    for r in &rows {
        assert_eq!(r.len(), header.len());
        let key = (r[0].parse::<i64>().unwrap(), r[1].parse::<i64>().unwrap());
        assert!(key > last, "sorted by replicate then step");
        last = key;
        for (k, cell) in r.iter().enumerate().skip(3) {
            let v: f64 = cell
                .parse()
                .unwrap_or_else(|_| panic!("{cell:?} in {}", header[k]));
            assert!(v.is_finite(), "{} = {cell}", header[k]);
            if !NOT_SHARES.contains(&header[k]) {
                assert!((0.0..=1.0).contains(&v), "{} = {v}", header[k]);
            } else if header[k].ends_with("pluralism") {
                // An effective number of groups: 0 before anything is counted, else >= 1.
                assert!(v == 0.0 || v >= 1.0 - 1e-9, "{} = {v}", header[k]);
            } else {
                assert!((0.0..=1000.0).contains(&v), "{} = {v}", header[k]);
            }
        }
    }
    assert_eq!(rows[0][2], "1917-11-01");

    let summary = read(&out.join("summary.csv"));
    let mut lines = summary.lines();
    assert_eq!(
        lines.next().unwrap(),
        "step,date,metric,mean,sd,p05,p50,p95"
    );
    let body: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(body.len(), steps * METRICS.len());
    for (k, r) in body.iter().enumerate() {
        assert_eq!(r[0], (k / METRICS.len()).to_string(), "sorted by step");
        assert_eq!(
            r[2],
            METRICS[k % METRICS.len()],
            "then by metric, in documented order"
        );
        let v: Vec<f64> = r[3..].iter().map(|c| c.parse().unwrap()).collect();
        assert!(v.iter().all(|x| x.is_finite() && *x >= 0.0), "{r:?}");
        assert!(v[2] <= v[3] && v[3] <= v[4], "p05 <= p50 <= p95: {r:?}");
    }

    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["scenario"], "historical");
    assert_eq!(manifest["replicates"], 4);
    assert_eq!(manifest["seed"], 1917);
    assert_eq!(manifest["steps"], steps as u64);
    assert_eq!(manifest["agents"], 5000);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(manifest["metrics"].as_array().unwrap().len(), METRICS.len());
    assert!(manifest["sovsim_version"].is_string());
    assert!(manifest["elapsed_seconds"].as_f64().unwrap() >= 0.0);
    assert!(manifest["agent_steps_per_second"].as_f64().unwrap() > 0.0);
    // Every decision taken, one row each, by replicate and then in the order taken (which
    // decisions the uncalibrated rules take is not this test's business).
    let decisions = read(&out.join("decisions.csv"));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(decisions.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["replicate", "date", "decision", "target", "why"]
    );
    let dates: Vec<&str> = rows.iter().filter(|r| r[0] == "0").map(|r| r[2]).collect();
    let mut last = (0u32, 0usize);
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(record.len(), 5, "{record:?}");
        let replicate: u32 = record[0].parse().unwrap();
        assert!(replicate < 4, "{record:?}");
        let step = dates
            .iter()
            .position(|d| *d == &record[1])
            .unwrap_or_else(|| panic!("a step's date, as runs.csv writes it: {record:?}"));
        assert!((replicate, step) >= last, "in order: {record:?}");
        last = (replicate, step);
        assert!(
            sovsim::model::Decision::parse(&record[2]).is_some(),
            "a known decision: {record:?}"
        );
    }
    // The report opens with the decision timeline, above the metric plots.
    let report = read(&out.join("report.html"));
    let timeline = report
        .find("id=\"decisions\"")
        .expect("the decision timeline");
    assert!(timeline < report.find("id=\"soviet_power\"").unwrap());
    assert!(
        report.contains("<li>appoint_congress: "),
        "a sentence per decision"
    );
    // No temporary file is left behind.
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // The historical course names the record, so its run is fitted to it as well.
    assert_eq!(
        names,
        [
            "decisions.csv",
            "fit.csv",
            "fit.png",
            "fit.svg",
            "manifest.json",
            "plots",
            "report.html",
            "runs.csv",
            "summary.csv"
        ],
        "{names:?}"
    );
    let plots = fs::read_dir(out.join("plots")).unwrap().count();
    assert_eq!(
        plots,
        2 * METRICS.len() + 2,
        "an SVG and a PNG per metric and of the decisions, nothing else"
    );
    assert!(out.join("plots/decisions.svg").is_file() && out.join("plots/decisions.png").is_file());
}

/// Runs `sovsim run` on the given scenario files into `out`.
fn run_files(out: &Path, files: &[PathBuf], extra: &[&str]) {
    sovsim()
        .arg("run")
        .args(files)
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

#[test]
fn the_same_run_twice_and_any_thread_count_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    // Two scenarios, one extending the other, run together.
    let files = [
        scenarios.join("historical.toml"),
        scenarios.join("multi_party_soviets.toml"),
    ];
    let runs = [
        ("jobs2", vec!["--jobs", "2"]),
        ("again", vec!["--jobs", "2"]),
        ("jobs1", vec!["--jobs", "1"]),
        ("jobs4", vec!["--jobs", "4"]),
    ];
    for (name, extra) in &runs {
        let mut extra = extra.clone();
        extra.extend(["--replicates", "3"]);
        run_files(&dir.path().join(name), &files, &extra);
    }
    for scenario in ["historical", "multi_party_soviets"] {
        for file in ["runs.csv", "decisions.csv", "summary.csv"] {
            let first = fs::read(dir.path().join("jobs2").join(scenario).join(file)).unwrap();
            for (name, _) in &runs[1..] {
                assert_eq!(
                    first,
                    fs::read(dir.path().join(name).join(scenario).join(file)).unwrap(),
                    "{scenario}/{file}: {name}"
                );
            }
        }
    }
}

#[test]
fn a_replicate_is_the_same_in_a_run_of_four_and_a_run_of_eight() {
    let dir = tempfile::tempdir().unwrap();
    let (four, eight) = (dir.path().join("four"), dir.path().join("eight"));
    run_files(&four, &[historical()], &["--replicates", "4"]);
    run_files(&eight, &[historical()], &["--replicates", "8"]);
    let rows = |dir: &Path| -> Vec<String> {
        read(&dir.join("historical/runs.csv"))
            .lines()
            .map(str::to_string)
            .collect()
    };
    let (four, eight) = (rows(&four), rows(&eight));
    let replicate = |l: &String| l.split(',').next().unwrap().to_string();
    let first_four: Vec<&String> = eight
        .iter()
        .filter(|l| ["replicate", "0", "1", "2", "3"].contains(&replicate(l).as_str()))
        .collect();
    assert_eq!(first_four.len(), four.len());
    assert!(first_four.iter().zip(&four).all(|(a, b)| *a == b));
}

#[test]
fn a_different_seed_gives_different_results() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run_historical(&a, &["--seed", "1"]);
    run_historical(&b, &["--seed", "2"]);
    assert_ne!(
        fs::read(a.join("historical/runs.csv")).unwrap(),
        fs::read(b.join("historical/runs.csv")).unwrap()
    );
}

#[test]
fn an_invalid_scenario_is_rejected_with_its_location_and_nothing_runs() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = read(&historical()).replace("granovetter = 0.3", "granoveter = 0.3");
    fs::write(&bad, text).unwrap();
    let out = dir.path().join("out");
    let assert = sovsim()
        .arg("run")
        .arg(&bad)
        .arg(historical())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("bad.toml:"), "{stderr}");
    assert!(stderr.contains("granoveter"), "{stderr}");
    assert!(
        stderr.contains("granovetter"),
        "expected keys are listed: {stderr}"
    );
    assert!(
        !out.join("historical").exists(),
        "no scenario runs when one is invalid"
    );
}

#[test]
fn bad_invocations_exit_with_two() {
    sovsim().args(["run", "--replicates", "0"]).assert().code(2);
    sovsim().args(["run", "no/such/file.toml"]).assert().code(2);
    sovsim().args(["frobnicate"]).assert().code(2);
    sovsim().assert().code(2);
    sovsim().args(["--help"]).assert().success();
}

#[test]
fn run_without_paths_runs_every_scenario_in_scenarios_into_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("scenarios")).unwrap();
    let small = r#"
name = "small"
description = "A small civil-war scenario for the test of the default paths."
start = "1918-01"
end = "1919-12"
[population]
agents = 300
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
[environment]
civil_war = [["1918-01", 0.2], ["1919-06", 1.0]]
"#;
    fs::write(dir.path().join("scenarios/small.toml"), small).unwrap();
    fs::create_dir(dir.path().join("scenarios/claims")).unwrap();
    let claim = r#"
[[claim]]
id = "war-unrest"
source = "The Communist Left in Russia 1918-1930, Part 2"
argument = "Unrest rises as the war does."

[claim.test]
scenario = "../small.toml"
threshold = 0.0
metric = "unrest"
window = ["1919-06", "1919-12"]
statistic = "mean"
expect = "higher"
"#;
    fs::write(dir.path().join("scenarios/claims/c.toml"), claim).unwrap();
    // A claim map over the threshold claim: two strengths, two values each.
    let map = r#"
name = "war"
description = "Does unrest rise with the war, whatever the siege and the circumstances?"
contrast = 1
claims = "../claims/c.toml"
claim = "war-unrest"
replicates = 2

[[axis]]
path = "rules.leadership.siege"
values = [0.0, 1.0]

[[axis]]
path = "rules.leadership.circumstances"
values = [0.0, 1.0]
"#;
    fs::create_dir(dir.path().join("scenarios/maps")).unwrap();
    fs::write(dir.path().join("scenarios/maps/war.toml"), map).unwrap();
    sovsim()
        .current_dir(dir.path())
        .args(["run", "--replicates", "2", "--quiet"])
        .assert()
        .success();
    // The maps are drawn before the claims are tested, into the claims' folder.
    let maps = dir.path().join("output/claims/maps");
    assert_eq!(read(&maps.join("war.csv")).lines().count(), 1 + 4);
    assert!(maps.join("war.svg").is_file() && maps.join("war.png").is_file());
    assert!(read(&maps.join("war.json")).contains("\"complete\": true"));
    // The claims are tested too (two replicates are too few for a verdict or sensitivity).
    let claims = read(&dir.path().join("output/claims/claims.csv"));
    assert!(
        claims.contains(
            "war-unrest,\"The Communist Left in Russia 1918-1930, Part 2\",default,inconclusive"
        ),
        "{claims}"
    );
    assert!(
        claims.trim_end().ends_with(",not_tested,threshold"),
        "{claims}"
    );
    assert!(dir.path().join("output/claims/claims.html").is_file());
    // With no views beside the scenarios, each essay is counted under the defaults alone.
    let coherence = read(&dir.path().join("output/claims/coherence.csv"));
    assert_eq!(coherence.lines().count(), 1 + 5, "{coherence}");
    assert!(
        coherence.contains("\"The Communist Left in Russia 1918-1930, Part 2\",,default,1,0,0,0,1"),
        "{coherence}"
    );
    assert!(dir.path().join("output/small/runs.csv").is_file());
    assert!(dir.path().join("output/small/summary.csv").is_file());
    assert!(dir.path().join("output/small/decisions.csv").is_file());
    assert!(dir.path().join("output/small/manifest.json").is_file());
    assert!(dir.path().join("output/small/report.html").is_file());
    // The main job also writes an index of every report.
    let index = read(&dir.path().join("output/index.html"));
    // minijinja escapes `/` in attributes as `&#x2f;`, which browsers read back as `/`.
    assert!(
        index
            .replace("&#x2f;", "/")
            .contains("href=\"small/report.html\""),
        "{index}"
    );
    assert!(
        index
            .replace("&#x2f;", "/")
            .contains("href=\"claims/claims.html\""),
        "{index}"
    );
    for table in ["claims/coherence.csv", "claims/claims.csv"] {
        assert!(
            index
                .replace("&#x2f;", "/")
                .contains(&format!("href=\"{table}\"")),
            "{index}"
        );
    }
    assert!(
        index
            .replace("&#x2f;", "/")
            .contains("href=\"claims/maps/war.svg\""),
        "{index}"
    );
}

/// The ensemble mean of each metric by date, from a summary.csv.
fn summary_means(text: &str) -> Vec<(String, String, f64)> {
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[1].to_string(), c[2].to_string(), c[3].parse().unwrap())
        })
        .collect()
}

/// Mean of a metric's ensemble means over the dates that start with `prefix`.
fn mean_over(rows: &[(String, String, f64)], metric: &str, prefix: &str) -> f64 {
    let v: Vec<f64> = rows
        .iter()
        .filter(|(d, m, _)| m == metric && d.starts_with(prefix))
        .map(|r| r.2)
        .collect();
    assert!(!v.is_empty(), "{metric} {prefix}");
    v.iter().sum::<f64>() / v.len() as f64
}

/// The checks issue 3 names for the dated course, on an ensemble of 8: the scenario that pins
/// every decision to its historical date still tells it (docs/model.md reports the shipped
/// 16-replicate figures).
#[test]
fn the_dated_course_tells_the_essays_broad_course() {
    let dir = tempfile::tempdir().unwrap();
    sovsim()
        .arg("run")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/as_it_happened.toml"))
        .args(["--replicates", "8", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let rows = summary_means(&read(&dir.path().join("as_it_happened/summary.csv")));
    for metric in ["participation", "soviet_power"] {
        let (before, after) = (
            mean_over(&rows, metric, "1918"),
            mean_over(&rows, metric, "1921"),
        );
        assert!(
            after <= before * 2.0 / 3.0,
            "{metric} falls by a third: {before} -> {after}"
        );
    }
    for metric in ["bureaucracy", "official_share"] {
        let (before, after) = (
            mean_over(&rows, metric, "1918"),
            mean_over(&rows, metric, "1921"),
        );
        assert!(after > before * 1.2, "{metric} rises: {before} -> {after}");
    }
    for year in ["1921", "1922"] {
        let share = mean_over(&rows, "party_worker_share", year);
        assert!((0.3..=0.6).contains(&share), "{year}: {share}");
    }
    for (date, metric, value) in &rows {
        if metric == "faction_pluralism" && ("1922".."1928").contains(&&date[..4]) {
            assert!(*value < 1.3, "{date}: {value}");
        }
    }
    let mut months: Vec<&str> = rows
        .iter()
        .filter(|(d, m, _)| m == "unrest" && ("1919".."1924").contains(&&d[..4]))
        .map(|(d, _, _)| &d[..7])
        .collect();
    months.dedup();
    let peak = months
        .iter()
        .map(|m| (mean_over(&rows, "unrest", m), *m))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap();
    assert!(
        ("1920-11".."1921-07").contains(&peak.1),
        "monthly unrest peaks at {peak:?}"
    );
}

#[test]
fn off_a_terminal_progress_is_plain_lines_and_quiet_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/no_civil_war.toml");
    let out = sovsim()
        .arg("run")
        .arg(&scenario)
        .args(["--replicates", "1", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("sovsim: running no_civil_war"), "{stderr}");
    assert!(stderr.contains("agent-steps/s"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no terminal codes: {stderr:?}");
    let quiet = sovsim()
        .arg("run")
        .arg(&scenario)
        .args(["--replicates", "1", "--quiet", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert!(quiet.stderr.is_empty());
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

#[test]
fn run_draws_a_plot_per_metric_as_svg_and_png_with_the_events_named() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        sovsim()
            .arg("run")
            .arg(historical())
            .args(["--replicates", "2", "--quiet", "--out"])
            .arg(out)
            // No system fonts to be found: the PNG text must come from the embedded font.
            .env("FONTCONFIG_FILE", "/nonexistent")
            .env("FONTCONFIG_PATH", "/nonexistent")
            .assert()
            .success();
    }
    for metric in METRICS {
        let svg = read(&a.join(format!("historical/plots/{metric}.svg")));
        assert!(svg.starts_with("<svg"), "{metric}");
        assert!(
            svg.contains("width=\"960\"") && svg.contains("height=\"480\""),
            "{metric}"
        );
        assert!(
            svg.contains(&format!("historical: {metric}")),
            "{metric}: title"
        );
        for event in ["kronstadt", "lenin-levy", "planning", "workers-group"] {
            assert!(svg.contains(event), "{metric}: event {event}");
        }
        let png = fs::read(a.join(format!("historical/plots/{metric}.png"))).unwrap();
        assert_eq!(png_size(&png), (960, 480), "{metric}");
        // The same run draws the same bytes.
        assert_eq!(svg, read(&b.join(format!("historical/plots/{metric}.svg"))));
        assert_eq!(
            png,
            fs::read(b.join(format!("historical/plots/{metric}.png"))).unwrap()
        );
    }
    let c = dir.path().join("c");
    sovsim()
        .arg("run")
        .arg(historical())
        .args(["--replicates", "1", "--quiet", "--no-plots", "--out"])
        .arg(&c)
        .assert()
        .success();
    assert!(!c.join("historical/plots").exists());
}

#[test]
fn compare_pairs_only_where_the_worlds_match_and_is_the_same_for_any_jobs() {
    let dir = tempfile::tempdir().unwrap();
    common::small_scenarios(dir.path());
    // small_peace again, with another seed, and with another population.
    let peace = dir.path().join("small_peace.toml");
    for (name, extra) in [
        ("other_seed", "seed = 5\n"),
        ("other_population", "[population]\nagents = 300\n"),
    ] {
        let text = format!(
            "extends = {:?}\nname = \"{name}\"\ndescription = \"{name}.\"\n{extra}",
            peace.display().to_string()
        );
        fs::write(dir.path().join(format!("{name}.toml")), text).unwrap();
    }
    let compare = |out: &str, jobs: &str| {
        sovsim()
            .current_dir(dir.path())
            .args([
                "compare",
                "small_war.toml",
                "small_peace.toml",
                "other_seed.toml",
                "other_population.toml",
                "--metrics",
                "soviet_power,unrest",
                "--quiet",
                "--jobs",
                jobs,
                "--out",
                out,
            ])
            .assert()
            .success();
        read(
            &dir.path()
                .join(out)
                .join("compare-small_war-small_peace-other_seed-other_population/comparison.csv"),
        )
    };
    let one = compare("one", "1");
    assert_eq!(one, compare("two", "2"), "comparison.csv depends on --jobs");
    let pairing: Vec<(&str, &str)> = one
        .lines()
        .skip(1)
        .map(|l| (l.split(',').next().unwrap(), l.rsplit(',').next().unwrap()))
        .collect();
    assert_eq!(
        pairing,
        [
            ("small_war", "paired"),
            ("small_war", "paired"),
            ("small_peace", "paired"),
            ("small_peace", "paired"),
            ("other_seed", "different_seeds"),
            ("other_seed", "different_seeds"),
            ("other_population", "different_populations"),
            ("other_population", "different_populations"),
        ]
    );
}

#[test]
fn compare_writes_overlays_and_a_table_and_reuses_runs() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let compare = |extra: &[&str]| {
        sovsim()
            .arg("compare")
            .arg(scenarios.join("historical.toml"))
            .arg(scenarios.join("factions_allowed.toml"))
            .args(["--replicates", "2", "--quiet", "--out"])
            .arg(dir.path())
            .args(extra)
            .assert()
    };
    compare(&[]).success();
    let out = dir.path().join("compare-historical-factions_allowed");
    let table = read(&out.join("comparison.csv"));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "scenario,metric,final_mean,p05,p95,difference,difference_low,difference_high,pairing"
    );
    assert_eq!(lines.len(), 1 + 2 * METRICS.len());
    assert!(lines[1].starts_with("historical,soviet_power,"));
    for metric in METRICS {
        let svg = read(&out.join(format!("{metric}.svg")));
        assert!(
            svg.contains("historical") && svg.contains("factions_allowed"),
            "{metric}"
        );
        assert!(out.join(format!("{metric}.png")).is_file());
    }
    let report = read(&out.join("report.html"));
    assert!(report.starts_with("<!DOCTYPE html>"));
    assert!(
        report.contains("The statute protects factions"),
        "descriptions"
    );
    assert!(report.contains("id=\"overview\""));
    assert!(out.join("overview.svg").is_file() && out.join("overview.png").is_file());
    // One SVG document: the panels must not close it early.
    assert_eq!(read(&out.join("overview.svg")).matches("</svg>").count(), 1);
    assert_eq!(
        report.matches("<svg").count(),
        METRICS.len() + 2,
        "plots inline: the decisions, the overview and a plot per metric"
    );
    // The decision timelines of both scenarios, read back from their decisions.csv, first.
    assert!(out.join("decisions.svg").is_file() && out.join("decisions.png").is_file());
    let decisions = read(&out.join("decisions.svg"));
    assert!(decisions.contains("historical") && decisions.contains("factions_allowed"));
    let timeline = report
        .find("id=\"decisions\"")
        .expect("the decision timelines");
    assert!(timeline < report.find("id=\"overview\"").unwrap());
    let sentences = report
        .lines()
        .filter(|l| l.starts_with("<li>") && !l.starts_with("<li><strong>"))
        .count();
    assert_eq!(
        sentences,
        sovsim::model::Decision::COUNT,
        "a sentence per decision"
    );
    assert!(report.contains("<li>appoint_congress: "), "{report}");
    assert!(!report.contains("<script"), "no JavaScript");
    assert!(
        report.contains("sovsim compare"),
        "the command to reproduce it"
    );
    // A second comparison reuses the runs: their files are not rewritten.
    let runs = dir.path().join("historical/runs.csv");
    let before = fs::metadata(&runs).unwrap().modified().unwrap();
    compare(&["--metrics", "unrest,strikes"]).success();
    assert_eq!(fs::metadata(&runs).unwrap().modified().unwrap(), before);
    assert_eq!(read(&out.join("comparison.csv")).lines().count(), 1 + 2 * 2);
    // A run folder without decisions.csv (written before it existed) is not complete: it
    // is run again, and the file is there afterwards.
    fs::remove_file(dir.path().join("historical/decisions.csv")).unwrap();
    compare(&[]).success();
    assert_ne!(fs::metadata(&runs).unwrap().modified().unwrap(), before);
    assert!(dir.path().join("historical/decisions.csv").is_file());
    // A misspelt metric is an error with a suggestion.
    let failed = compare(&["--metrics", "unrst"]).code(2);
    let stderr = String::from_utf8(failed.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("did you mean `unrest`"), "{stderr}");
}

#[test]
fn a_description_with_a_script_is_shown_in_the_report_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = |name: &str, description: &str| {
        format!(
            "name = \"{name}\"\ndescription = \"{description}\"\nstart = \"1918-01\"\nend = \"1918-06\"\n[population]\nagents = 200\n[parties.bolsheviks]\nplatform = [0.6, 0.1]\nmembers = 0.05\nruling = true\n"
        )
    };
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    fs::write(&a, scenario("a", "<script>alert(1)</script>")).unwrap();
    fs::write(&b, scenario("b", "plain")).unwrap();
    sovsim()
        .arg("compare")
        .args([&a, &b])
        .args(["--replicates", "1", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let report = read(&dir.path().join("out/compare-a-b/report.html"));
    assert!(!report.contains("<script>"), "{report}");
    assert!(report.contains("&lt;script&gt;alert(1)"));
}
