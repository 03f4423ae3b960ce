//! Integration tests of `sovsim claims`: claims written here (not the shipped ones) are
//! evaluated by the real binary against the shipped scenarios and checked against a
//! computation made directly from `runs.csv`; bad claims are refused at their line and
//! column; sensitivity runs, is deterministic and is cached; and the shipped claims cover
//! every essay, every contrast and the leadership's case.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;
use common::{shipped, shipped_views};

fn sovsim() -> Command {
    Command::cargo_bin("sovsim").unwrap()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One row of `claims.csv` after its id and source: (view, verdict, effect, ci_low, ci_high,
/// min_effect, robust); the `pairing` column is checked and read by [`pairings`].
type CsvRow = (String, String, f64, f64, f64, f64, String);

/// A row's key: (id, view).
type Key = (String, String);

/// `claims.csv` as (id, view) -> its row, and the (id, view) pairs in the file's order.
fn claims_rows(text: &str) -> (BTreeMap<Key, CsvRow>, Vec<Key>) {
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("id,source,view,verdict,effect,ci_low,ci_high,min_effect,robust,pairing")
    );
    let mut out = BTreeMap::new();
    let mut order = Vec::new();
    for line in lines {
        // The last column says how the interval was taken; the rest are the verdict's.
        let (line, pairing) = line.rsplit_once(',').unwrap();
        assert!(
            sovsim::compare::Pairing::parse(pairing).is_some(),
            "{pairing}"
        );
        // The source is a title and may be quoted with commas inside: read from the right.
        let cells: Vec<&str> = line.rsplitn(8, ',').collect();
        let id = cells[7].split(',').next().unwrap().to_string();
        let number = |k: usize| cells[k].parse::<f64>().unwrap();
        let row = (
            cells[6].to_string(),
            cells[5].to_string(),
            number(4),
            number(3),
            number(2),
            number(1),
            cells[0].to_string(),
        );
        order.push((id.clone(), row.0.clone()));
        out.insert((id, row.0.clone()), row);
    }
    (out, order)
}

/// The `pairing` column of `claims.csv` under the default parameters, by id.
fn pairings(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let id = line.split(',').next()?;
            let (rest, pairing) = line.rsplit_once(',')?;
            let view = rest.rsplit(',').nth(6)?;
            (view == "default").then(|| (id.to_string(), pairing.to_string()))
        })
        .collect()
}

/// The default parameters' rows of `claims.csv` as id -> (verdict, effect, ci_low, ci_high,
/// robust).
fn claims_csv(text: &str) -> BTreeMap<String, (String, f64, f64, f64, String)> {
    claims_rows(text)
        .0
        .into_iter()
        .filter(|((_, view), _)| view == "default")
        .map(|((id, _), (_, verdict, effect, low, high, _, robust))| {
            (id, (verdict, effect, low, high, robust))
        })
        .collect()
}

/// Each replicate's (date, value) series of one metric, straight from a `runs.csv`.
fn series(runs: &str, metric: &str) -> Vec<Vec<(String, f64)>> {
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let k = header.iter().position(|h| *h == metric).unwrap();
    let mut out: Vec<Vec<(String, f64)>> = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let replicate: usize = cells[0].parse().unwrap();
        if replicate == out.len() {
            out.push(Vec::new());
        }
        out[replicate].push((cells[2].to_string(), cells[k].parse().unwrap()));
    }
    out
}

/// The values of a replicate whose dates fall in [from, to] (dates compared as text).
fn window(s: &[(String, f64)], from: &str, to: &str) -> Vec<(String, f64)> {
    s.iter()
        .filter(|(d, _)| d.as_str() >= from && d.as_str() <= to)
        .cloned()
        .collect()
}

/// A replicate's window, reduced to one number.
type Reduce<'a> = &'a dyn Fn(&[(String, f64)]) -> f64;

/// A claim's id, its scenario's and baseline's statistics, its threshold, and the sign the
/// claim expects.
type Case = (&'static str, Vec<f64>, Option<Vec<f64>>, f64, f64);

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn variance(v: &[f64]) -> f64 {
    let m = mean(v);
    v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() as f64 - 1.0)
}

/// The effect and its Welch z score, computed here without sovsim's code.
fn direct(a: &[f64], b: Option<&[f64]>, threshold: f64) -> (f64, f64) {
    let (effect, se) = match b {
        Some(b) => (
            mean(a) - mean(b),
            (variance(a) / a.len() as f64 + variance(b) / b.len() as f64).sqrt(),
        ),
        None => (mean(a) - threshold, (variance(a) / a.len() as f64).sqrt()),
    };
    (
        effect,
        if se > 0.0 {
            effect / se
        } else {
            effect.signum() * f64::INFINITY
        },
    )
}

const CLAIMS: &str = r#"
# Claims written for this test: each uses a metric and window no shipped claim uses.
[[claim]]
id = "war-jails"
source = "The Communist Left in Russia 1918-1930, Part 2"
argument = "The civil war filled the jails."

[claim.test]
scenario = "HISTORICAL"
baseline = "NO_CIVIL_WAR"
metric = "jailed"
window = ["1918-07", "1920-10"]
statistic = "peak"
expect = "higher"

[[claim]]
id = "war-hollows-faster"
source = "Untitled essay on G. I. Miasnikov and the Workers' Group"
argument = "War empties the soviets sooner."

[claim.test]
scenario = "HISTORICAL"
baseline = "NO_CIVIL_WAR"
metric = "participation"
window = ["1918-01", "1924-12"]
statistic = "time_to_cross"
level = 0.3
cross = "below"
expect = "lower"

[[claim]]
id = "dead-soviets"
source = "(Help or Hindrance?)"
argument = "By 1925 the soviets had no power left."

[claim.test]
scenario = "HISTORICAL"
threshold = 0.5
metric = "soviet_power"
at = "1925-01-05"
statistic = "final"
expect = "lower"
"#;

fn with_paths(text: &str) -> String {
    text.replace(
        "HISTORICAL",
        &shipped("historical.toml").display().to_string(),
    )
    .replace(
        "NO_CIVIL_WAR",
        &shipped("no_civil_war.toml").display().to_string(),
    )
}

#[test]
fn new_claims_are_judged_as_runs_csv_says() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    fs::write(&file, with_paths(CLAIMS)).unwrap();
    let out = dir.path().join("out");
    sovsim()
        .arg("claims")
        .arg(&file)
        .args([
            "--replicates",
            "8",
            "--no-sensitivity",
            "--no-views",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let got = claims_csv(&read(&out.join("claims/claims.csv")));
    assert_eq!(got.len(), 3);
    // historical and no_civil_war share the seed, the replicates and the population: their
    // replicates pair; a threshold has nothing to pair with.
    let paired = pairings(&read(&out.join("claims/claims.csv")));
    for (id, want) in [
        ("war-jails", "paired"),
        ("war-hollows-faster", "paired"),
        ("dead-soviets", "threshold"),
    ] {
        assert_eq!(paired[id], want, "{id}");
    }
    let hist = read(&out.join("historical/runs.csv"));
    let ncw = read(&out.join("no_civil_war/runs.csv"));
    let per = |runs: &str, metric: &str, from: &str, to: &str, f: Reduce| {
        series(runs, metric)
            .iter()
            .map(|s| f(&window(s, from, to)))
            .collect::<Vec<f64>>()
    };
    let peak = |w: &[(String, f64)]| w.iter().map(|x| x.1).fold(f64::MIN, f64::max);
    // Years from the window's first step to the first value at or below 0.3.
    let days = |d: &str| {
        let p: Vec<i64> = d.split('-').map(|x| x.parse().unwrap()).collect();
        // Days from a civil date (Howard Hinnant's algorithm), independent of sovsim's.
        let (y, m, d) = (if p[1] <= 2 { p[0] - 1 } else { p[0] }, p[1], p[2]);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy
    };
    let cross = |w: &[(String, f64)]| {
        let first = days(&w[0].0);
        match w.iter().find(|x| x.1 <= 0.3) {
            Some(x) => (days(&x.0) - first) as f64 / 365.25,
            None => (days(&w[w.len() - 1].0) + 7 - first) as f64 / 365.25,
        }
    };
    let last = |w: &[(String, f64)]| w[0].1;
    let cases: [Case; 3] = [
        (
            "war-jails",
            per(&hist, "jailed", "1918-07-01", "1920-10-31", &peak),
            Some(per(&ncw, "jailed", "1918-07-01", "1920-10-31", &peak)),
            0.0,
            1.0,
        ),
        (
            "war-hollows-faster",
            per(&hist, "participation", "1918-01-01", "1924-12-31", &cross),
            Some(per(
                &ncw,
                "participation",
                "1918-01-01",
                "1924-12-31",
                &cross,
            )),
            0.0,
            -1.0,
        ),
        (
            "dead-soviets",
            per(&hist, "soviet_power", "1925-01-05", "1925-01-11", &last),
            None,
            0.5,
            -1.0,
        ),
    ];
    for (id, a, b, threshold, expected_sign) in cases {
        let (verdict, effect, low, high, robust) = &got[id];
        assert_eq!(robust, "not_tested");
        let (direct_effect, z) = direct(&a, b.as_deref(), threshold);
        assert!(
            (effect - direct_effect).abs() < 2e-6,
            "{id}: sovsim says {effect}, runs.csv {direct_effect}"
        );
        assert!(
            low <= effect && effect <= high,
            "{id}: {low} {effect} {high}"
        );
        // Only a difference far beyond the noise makes the verdict certain; these claims were
        // chosen to have one, which this checks first.
        assert!(
            z.abs() > 4.0,
            "{id}: z = {z}: pick a clearer claim for this test"
        );
        let want = if z.signum() == expected_sign {
            "supported"
        } else {
            "contradicted"
        };
        assert_eq!(verdict, want, "{id}: z = {z}");
    }
    let html = read(&out.join("claims/claims.html"));
    assert!(html.contains("A verdict is about the model, not about history."));
    for id in got.keys() {
        assert!(out.join(format!("claims/plots/{id}.svg")).is_file());
        assert!(out.join(format!("claims/plots/{id}.png")).is_file());
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    // The claims' metrics and windows are not those of any shipped claim.
    let ours = sovsim::claims::parse(&with_paths(CLAIMS), "mine.toml").unwrap();
    for shipped in shipped_claims() {
        for c in &ours.claims {
            assert!(
                !(c.test.measure.metric == shipped.test.measure.metric
                    && c.test.measure.window == shipped.test.measure.window),
                "{} repeats shipped claim {}",
                c.id,
                shipped.id
            );
        }
    }
}

#[test]
fn a_bad_claim_is_refused_at_its_line_and_column_and_nothing_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cases = [
        (
            CLAIMS.replacen("metric = \"jailed\"", "metric = \"jails\"", 1),
            "mine.toml:11:10: error: `claim[0].test.metric`: unknown metric `jails`",
        ),
        (
            CLAIMS.replacen(
                "[\"1918-07\", \"1920-10\"]",
                "[\"1918-07\", \"1931-10\"]",
                1,
            ),
            "mine.toml:12:10: error: `claim[0].test.window`: the window 1918-07-01 to 1931-10-31 does not lie within the scenario's dates",
        ),
        (
            CLAIMS.replacen("NO_CIVIL_WAR", "no_such.toml", 1),
            "mine.toml:10:12: error: `claim[0].test.baseline`: the scenario",
        ),
        (
            // A scenario compared with itself would only ever be negligible.
            CLAIMS.replacen("NO_CIVIL_WAR", "HISTORICAL", 1),
            "mine.toml:10:12: error: `claim[0].test.baseline`: the baseline is the test's own scenario",
        ),
        (
            CLAIMS.replacen(
                "expect = \"higher\"",
                "expect = \"higher\"\nmin_effect = -1",
                1,
            ),
            "mine.toml:15:14: error: `claim[0].test.min_effect`: expected a finite number, 0 or more",
        ),
        (
            CLAIMS.replacen("[claim.test]", "min_effect = 0.5\n\n[claim.test]", 1),
            "mine.toml:8:1: error: `claim.min_effect`: `min_effect` belongs to the claim's test",
        ),
    ];
    for (text, expected) in cases {
        let file = dir.path().join("mine.toml");
        fs::write(&file, with_paths(&text)).unwrap();
        let assert = sovsim()
            .current_dir(dir.path())
            .args(["claims", "mine.toml", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(expected), "{expected}\n---\n{stderr}");
        assert!(!out.exists(), "nothing may run: {stderr}");
    }
}

/// The two small scenarios ([`common::small_scenarios`]) and two claims comparing them, in
/// `small_claims.toml`.
fn small_scenarios(dir: &Path) {
    common::small_scenarios(dir);
    let claims = r#"
[[claim]]
id = "peace-calms"
source = "The Communist Left in Russia 1918-1930, Part 2"
argument = "Without the civil war there is less unrest."

[claim.test]
scenario = "small_peace.toml"
baseline = "small_war.toml"
metric = "unrest"
window = ["1919-01", "1920-06"]
statistic = "mean"
expect = "lower"

[[claim]]
id = "peace-keeps-soviets"
source = "Untitled essay on G. I. Miasnikov and the Workers' Group"
argument = "Without the civil war the soviets keep more power."

[claim.test]
scenario = "small_peace.toml"
baseline = "small_war.toml"
metric = "soviet_power"
at = "1920-05"
statistic = "final"
expect = "higher"
"#;
    fs::write(dir.join("small_claims.toml"), claims).unwrap();
}

#[test]
fn sensitivity_varies_each_parameter_both_ways_deterministically_and_is_cached() {
    let dir = tempfile::tempdir().unwrap();
    small_scenarios(dir.path());
    let run = |out: &str, jobs: &str| {
        let assert = sovsim()
            .current_dir(dir.path())
            .args(["claims", "small_claims.toml", "--jobs", jobs, "--out", out])
            .assert()
            .success();
        String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
    };
    let first = run("one", "1");
    assert!(first.contains("sensitivity 10/10"), "{first}");
    run("two", "2");
    for file in ["claims.csv", "sensitivity.csv", "claims.html"] {
        // The page shows the command that made it, output folder included.
        assert_eq!(
            read(&dir.path().join("one/claims").join(file)),
            read(&dir.path().join("two/claims").join(file)).replace("--out two", "--out one"),
            "{file} differs between --jobs 1 and 2"
        );
    }
    let claims = claims_csv(&read(&dir.path().join("one/claims/claims.csv")));
    let sensitivity = read(&dir.path().join("one/claims/sensitivity.csv"));
    let rows: Vec<Vec<&str>> = sensitivity
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 2 * 10);
    for (id, (verdict, ..)) in &claims {
        let mine: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == id).collect();
        let labels: Vec<&str> = mine.iter().map(|r| r[1]).collect();
        for parameter in [
            "confidence",
            "responsiveness",
            "detection",
            "apparatus_influence",
            "restoration_threshold",
        ] {
            for way in ["down", "up"] {
                assert!(
                    labels.contains(&format!("{parameter}-{way}").as_str()),
                    "{id}: {labels:?}"
                );
            }
        }
        // Each variant is a quarter down or up.
        for r in &mine {
            let (base, value): (f64, f64) = (r[3].parse().unwrap(), r[4].parse().unwrap());
            let factor = if r[1].ends_with("-down") { 0.75 } else { 1.25 };
            assert!((value - base * factor).abs() <= 1e-8 * base.abs(), "{r:?}");
        }
        let robust = mine.iter().all(|r| r[8] == verdict);
        assert_eq!(claims[id].4, robust.to_string(), "{id}");
    }
    // A rerun finds every verdict in the cache and runs nothing.
    let again = run("one", "2");
    assert!(!again.contains("sensitivity "), "{again}");
    assert_eq!(
        read(&dir.path().join("one/claims/sensitivity.csv")),
        sensitivity
    );
}

/// Replicates in `runs.csv` (the distinct values of its first column).
fn replicates_in(runs: &str) -> usize {
    let mut ids: Vec<&str> = runs
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    ids.dedup();
    ids.len()
}

#[test]
fn the_heavy_analyses_use_the_analysis_replicates_and_pair_their_sides() {
    let dir = tempfile::tempdir().unwrap();
    small_scenarios(dir.path());
    shipped_views(dir.path());
    let claims = |extra: &[&str]| {
        let mut cmd = sovsim();
        cmd.current_dir(dir.path())
            .args([
                "claims",
                "small_claims.toml",
                "--replicates",
                "10",
                "--jobs",
                "2",
            ])
            .args(extra);
        cmd
    };
    // Fewer than a verdict may rest on, or none, is refused, naming the option.
    for bad in ["0", "7", "100001", "x"] {
        let out = claims(&["--analysis-replicates", bad, "--out", "bad"])
            .assert()
            .failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains("--analysis-replicates"), "{bad}: {err}");
    }
    assert!(!dir.path().join("bad").exists());
    let out = claims(&["--analysis-replicates", "9", "--out", "out"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    // The sensitivity variants run with the analyses' replicates...
    assert!(err.contains("small_peace (9 replicates)"), "{err}");
    assert!(!err.contains("(10 replicates)"), "{err}");
    // ...and so do the views' runs, while the claims' own runs keep theirs.
    let runs = |name: &str| read(&dir.path().join("out").join(name).join("runs.csv"));
    assert_eq!(replicates_in(&runs("small_peace")), 10);
    assert_eq!(replicates_in(&runs("small_peace.view-ward")), 9);
    // Every comparison of the two small scenarios pairs, under the views too.
    let text = read(&dir.path().join("out/claims/claims.csv"));
    for line in text.lines().skip(1) {
        assert!(line.ends_with(",paired"), "{line}");
    }
    let html = read(&dir.path().join("out/claims/claims.html"));
    assert!(
        html.contains("--analysis-replicates 9"),
        "the page's command"
    );
    // Never more than the scenario is run with.
    let out = claims(&[
        "--analysis-replicates",
        "20",
        "--no-views",
        "--out",
        "capped",
    ])
    .assert()
    .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("small_peace (10 replicates)"), "{err}");
}

#[test]
fn every_claim_is_judged_under_the_defaults_and_every_view_and_a_rerun_does_no_work() {
    let dir = tempfile::tempdir().unwrap();
    small_scenarios(dir.path());
    let views = shipped_views(dir.path());
    assert_eq!(views.len(), 5);
    let run = |extra: &[&str]| {
        let assert = sovsim()
            .current_dir(dir.path())
            .args([
                "claims",
                "small_claims.toml",
                "--no-sensitivity",
                "--jobs",
                "2",
            ])
            .args(extra)
            .assert()
            .success();
        String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
    };
    let first = run(&["--out", "out"]);
    let out = dir.path().join("out");
    for v in &views {
        assert!(
            first.contains(&format!("sovsim: claims under the view {v} (")),
            "{first}"
        );
        assert!(
            first.contains(&format!("sovsim: under the view {v}: 2 claims: ")),
            "{first}"
        );
        for s in ["small_war", "small_peace"] {
            assert!(out.join(format!("{s}.view-{v}/manifest.json")).is_file());
        }
    }
    // Claim by claim in file order, the defaults first, then the views by name.
    let (rows, order) = claims_rows(&read(&out.join("claims/claims.csv")));
    let mut expected = Vec::new();
    for id in ["peace-calms", "peace-keeps-soviets"] {
        for v in std::iter::once("default").chain(views.iter().map(String::as_str)) {
            expected.push((id.to_string(), v.to_string()));
        }
    }
    assert_eq!(order, expected);
    for ((id, _), (_, verdict, effect, low, high, min_effect, robust)) in &rows {
        // The metrics' own smallest effects: unrest's and soviet power's.
        let want = if id == "peace-calms" { 0.01 } else { 0.05 };
        assert_eq!(*min_effect, want, "{id}");
        assert_eq!(robust, "not_tested");
        assert!(low <= effect && effect <= high);
        assert!(sovsim::claims::evaluate::Verdict::parse(verdict).is_some());
    }
    // The defaults' rows are those of a run without the views.
    run(&["--no-views", "--out", "out"]);
    let plain = claims_rows(&read(&out.join("claims/claims.csv")));
    assert_eq!(plain.1.len(), 2);
    for (key, row) in &plain.0 {
        assert_eq!(key.1, "default");
        assert_eq!(rows[key], *row);
    }
    // Each essay under each view: the counts of claims.csv.
    run(&["--out", "out"]);
    let coherence = read(&out.join("claims/coherence.csv"));
    let lines: Vec<&str> = coherence.lines().collect();
    assert_eq!(
        lines[0],
        "essay,essay_view,view,claims,supported,contradicted,negligible,inconclusive"
    );
    assert_eq!(lines.len(), 1 + 5 * 6);
    let ward = "\"The Communist Left in Russia 1918-1930, Part 2\",ward,";
    let mine: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with(ward))
        .collect();
    assert_eq!(mine.len(), 6);
    for (line, v) in mine
        .iter()
        .zip(std::iter::once("default").chain(views.iter().map(String::as_str)))
    {
        let cells: Vec<&str> = line[ward.len()..].split(',').collect();
        assert_eq!((cells[0], cells[1]), (v, "1"), "{line}");
        let verdict = &rows[&("peace-calms".to_string(), v.to_string())].1;
        let k = ["supported", "contradicted", "negligible", "inconclusive"]
            .iter()
            .position(|n| n == verdict)
            .unwrap();
        let counts: Vec<&str> = cells[2..].to_vec();
        assert_eq!(counts.iter().filter(|c| **c == "1").count(), 1, "{line}");
        assert_eq!(counts[k], "1", "{line}");
    }
    assert!(lines.iter().any(|l| l.starts_with(
        "Lessons of Party and Class from the Russian Revolution,lessons,default,0,0,0,0,0"
    )));
    // A rerun runs nothing and writes the same files.
    let written = |name: &str| read(&out.join("claims").join(name));
    let before: Vec<String> = ["claims.csv", "coherence.csv", "claims.html"]
        .iter()
        .map(|f| written(f))
        .collect();
    let again = run(&["--out", "out"]);
    assert!(!again.contains("running"), "{again}");
    for (k, f) in ["claims.csv", "coherence.csv", "claims.html"]
        .iter()
        .enumerate()
    {
        assert_eq!(written(f), before[k], "{f}");
    }
    // One view alone keeps a folder of its own, and reuses the runs made under it above.
    let one = run(&["--view", "lessons", "--out", "out"]);
    assert!(!one.contains("running"), "{one}");
    let (rows, _) = claims_rows(&read(&out.join("claims.view-lessons/claims.csv")));
    assert_eq!(rows.len(), 2);
    assert!(rows.keys().all(|(_, v)| v == "lessons"));
    // Asking for one view and for none is refused.
    sovsim()
        .current_dir(dir.path())
        .args([
            "claims",
            "small_claims.toml",
            "--view",
            "lessons",
            "--no-views",
        ])
        .assert()
        .code(2);
}

/// Every shipped claim.
fn shipped_claims() -> Vec<sovsim::claims::Claim> {
    let dir = shipped("claims");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            sovsim::claims::parse(&read(f), &f.display().to_string())
                .unwrap_or_else(|e| panic!("{e}"))
                .claims
        })
        .collect()
}

#[test]
fn the_shipped_claims_cover_every_essay_every_contrast_and_the_leaderships_case() {
    let claims = shipped_claims();
    assert!(claims.len() >= 20, "{} claims", claims.len());
    for essay in 0..sovsim::claims::ESSAYS.len() {
        assert!(
            claims.iter().any(|c| c.source == essay),
            "no claim from {}",
            sovsim::claims::ESSAYS[essay].0
        );
    }
    for contrast in 0..sovsim::claims::CONTRASTS.len() {
        assert!(
            claims.iter().any(|c| c.contrast == Some(contrast)),
            "no claim on contrast {}",
            contrast + 1
        );
    }
    assert!(claims.iter().filter(|c| c.leadership_case).count() >= 3);
    // Every scenario they name exists, is valid, and holds the claim's window.
    let resolve = |child: &str, parent: &str| {
        let path = Path::new(child).parent().unwrap().join(parent);
        fs::read_to_string(&path)
            .map(|t| (path.display().to_string(), t))
            .map_err(|e| e.to_string())
    };
    for c in &claims {
        let mut named = vec![c.test.scenario.clone()];
        if let sovsim::claims::Against::Baseline(b) = &c.test.against {
            named.push(b.clone());
        }
        for name in named {
            let path = shipped("claims").join(&name);
            let scenario = sovsim::scenario::Scenario::parse_with(
                &read(&path),
                &path.display().to_string(),
                &resolve,
            )
            .unwrap_or_else(|e| panic!("{}: {e}", c.id));
            sovsim::claims::evaluate::window_steps(&scenario.calendar, c.test.measure.window)
                .unwrap_or_else(|e| panic!("{}: {e}", c.id));
        }
    }
}

#[test]
fn no_shipped_event_sets_a_parameter_the_sensitivity_varies() {
    for entry in fs::read_dir(shipped("")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let doc: toml::Table = read(&path).parse().unwrap();
        let events = doc
            .get("events")
            .and_then(|e| e.as_array())
            .cloned()
            .unwrap_or_default();
        for event in events {
            if let Some(p) = event.get("path").and_then(|p| p.as_str()) {
                assert!(
                    !sovsim::claims::sensitivity::UNCERTAIN
                        .iter()
                        .any(|u| u.path == p),
                    "{}: an event sets {p}, so moving its starting value would not move it for the whole run",
                    path.display()
                );
            }
        }
    }
}
