//! What a finished run records about itself: [`ScenarioRun`] (a scenario with the seed and
//! replicates it was run with, as the reports and `manifest.json` both describe it),
//! [`Manifest`] (`manifest.json`), whether a finished run can be reused ([`reusable`]), and
//! [`SweepManifest`] (`sweep.json`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::scenario::{Scenario, ViewRecord};

/// The version every manifest records; a run or sweep by another version is never reused.
pub const SOVSIM_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A scenario as run: what it is, the files it was read from, and the settings of its
/// ensemble.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioRun {
    pub name: String,
    pub description: String,
    /// The file and every file it extends, the file first.
    pub files: Vec<String>,
    /// SHA-256 over the files of the chain (see [`Scenario::sha256`]).
    pub sha256: String,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    pub agents: u32,
    pub start: String,
    pub end: String,
    /// The essay's view it was run under (`--view`), if any.
    pub view: Option<ViewRecord>,
}

impl ScenarioRun {
    /// `scenario` run with `seed` and `replicates`.
    pub fn of(scenario: &Scenario, seed: u64, replicates: u32) -> ScenarioRun {
        ScenarioRun {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            files: scenario.files.clone(),
            sha256: scenario.sha256.clone(),
            seed,
            replicates,
            steps: scenario.steps(),
            agents: scenario.agents(),
            start: scenario.calendar.date(0).to_string(),
            end: scenario
                .calendar
                .date(scenario.steps().saturating_sub(1))
                .to_string(),
            view: scenario.view.clone(),
        }
    }
}

/// `manifest.json`: what was run, and how fast.
#[derive(Debug)]
pub struct Manifest<'a> {
    pub run: &'a ScenarioRun,
    /// The scenario file as it was named on the command line.
    pub scenario_file: String,
    pub metrics: Vec<&'static str>,
    pub elapsed_seconds: f64,
    pub agent_steps_per_second: f64,
    /// The command that reproduces the run, as its report quotes it.
    pub command: String,
    /// The record the run was fitted to (`fit.csv`), when its scenario names one.
    pub record: Option<RecordUsed>,
    /// Every other file of the run's folder (`plots/` included), by its path in the folder,
    /// with its size in bytes ([`outputs_of`]): a rerun with nothing changed reuses the run
    /// only when they are all there, whole ([`unchanged`]).
    pub outputs: Vec<(String, u64)>,
}

/// The record a run was fitted to: the file as its scenario named it, and the hash of its
/// bytes, so that a run fitted to another version of the record is not taken for current
/// ([`fitted_to`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordUsed {
    pub file: String,
    pub sha256: String,
}

/// Whether the text of a `manifest.json` records a run fitted to the record whose bytes
/// hash to `sha256` (`None`: a run its scenario holds to no record, whose manifest names
/// none).
pub fn fitted_to(text: &str, sha256: Option<&str>) -> bool {
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    match (manifest.get("record"), sha256) {
        (None, None) => true,
        (Some(record), Some(sha256)) => record["sha256"] == sha256,
        _ => false,
    }
}

/// The layout of `manifest.json`, key by key in the order written.
#[derive(Serialize)]
struct ManifestJson<'a> {
    sovsim_version: &'a str,
    scenario: &'a str,
    scenario_file: &'a str,
    scenario_files: &'a [String],
    scenario_sha256: &'a str,
    /// Left out when the run had no view, so that such a manifest reads as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    view: Option<&'a ViewRecord>,
    /// Left out when the scenario names no record.
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<&'a RecordUsed>,
    seed: u64,
    replicates: u32,
    steps: u32,
    agents: u32,
    start: &'a str,
    end: &'a str,
    metrics: &'a [&'static str],
    elapsed_seconds: f64,
    agent_steps_per_second: f64,
    command: &'a str,
    outputs: std::collections::BTreeMap<&'a str, u64>,
}

impl Manifest<'_> {
    pub fn to_json(&self) -> String {
        let run = self.run;
        let json = ManifestJson {
            sovsim_version: SOVSIM_VERSION,
            scenario: &run.name,
            scenario_file: &self.scenario_file,
            scenario_files: &run.files,
            scenario_sha256: &run.sha256,
            view: run.view.as_ref(),
            record: self.record.as_ref(),
            seed: run.seed,
            replicates: run.replicates,
            steps: run.steps,
            agents: run.agents,
            start: &run.start,
            end: &run.end,
            metrics: &self.metrics,
            elapsed_seconds: self.elapsed_seconds,
            agent_steps_per_second: self.agent_steps_per_second,
            command: &self.command,
            outputs: self.outputs.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
        };
        let mut s = serde_json::to_string_pretty(&json).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Whether the text of a `manifest.json` records a run of the same files (by their hash),
/// seed and replicates, by this version of sovsim.
pub fn manifest_matches(text: &str, sha256: &str, seed: u64, replicates: u32) -> bool {
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    manifest["scenario_sha256"] == sha256
        && manifest["seed"] == seed
        && manifest["replicates"] == replicates
        && manifest["sovsim_version"] == SOVSIM_VERSION
}

/// The data files a complete run leaves beside its `manifest.json`.
pub const RUN_FILES: [&str; 3] = ["runs.csv", "decisions.csv", "summary.csv"];

/// Whether `dir` already holds a complete run of `scenario` with this seed and these
/// replicates ([`manifest_matches`], and every one of [`RUN_FILES`] there), so it need not
/// be run again. A run from before `decisions.csv` was written lacks it, and is run again.
pub fn reusable(dir: &Path, scenario: &Scenario, seed: u64, replicates: u32) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
        return false;
    };
    manifest_matches(&text, &scenario.sha256, seed, replicates)
        && RUN_FILES.iter().all(|file| dir.join(file).is_file())
}

/// Every file in a run's folder but `manifest.json` and temporary files (their names start
/// with a dot), `plots/` included, by its path in the folder with `/` between parts, sorted,
/// with its size in bytes.
pub fn outputs_of(dir: &Path) -> std::io::Result<Vec<(String, u64)>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, u64)>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || (prefix.is_empty() && name == "manifest.json") {
                continue;
            }
            let path = format!("{prefix}{name}");
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(&entry.path(), &format!("{path}/"), out)?;
            } else if kind.is_file() {
                out.push((path, entry.metadata()?.len()));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out)?;
    out.sort();
    Ok(out)
}

/// Whether `dir` holds a complete run of `scenario` with this seed and these replicates
/// ([`reusable`]) that was made by `command`, with every file its manifest lists still
/// there at the size it was written: what a rerun of the main job with nothing changed
/// reuses instead of running and drawing again. A manifest from before the files were
/// listed lists none, and is not reused.
pub fn unchanged(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    replicates: u32,
    command: &str,
) -> bool {
    if !reusable(dir, scenario, seed, replicates) {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
        return false;
    };
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let Some(outputs) = manifest["outputs"].as_object() else {
        return false;
    };
    manifest["command"] == command
        && RUN_FILES.iter().all(|f| outputs.contains_key(*f))
        && outputs.iter().all(|(name, size)| {
            !name.split('/').any(|part| part == ".." || part.is_empty())
                && std::fs::metadata(dir.join(name))
                    .is_ok_and(|m| m.is_file() && Some(m.len()) == size.as_u64())
        })
}

/// What `sweep.json` (and each shard's `shard-K-of-N.json`) records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepManifest {
    pub sovsim_version: String,
    pub sweep: String,
    pub sweep_file: String,
    /// SHA-256 of the sweep file and of the base scenario's files.
    pub sweep_sha256: String,
    pub base: String,
    pub points: usize,
    pub replicates: u32,
    pub seed: u64,
    pub design: String,
    pub axes: Vec<String>,
    pub axis_labels: Vec<String>,
    pub outcomes: Vec<String>,
    pub header: Vec<String>,
}

impl SweepManifest {
    /// Whether two manifests are of the same sweep file (with the same base) run by the same
    /// version, so that their points may share a folder.
    pub fn same_sweep(&self, other: &SweepManifest) -> bool {
        self.sweep_sha256 == other.sweep_sha256 && self.sovsim_version == other.sovsim_version
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> ScenarioRun {
        ScenarioRun {
            name: "historical".into(),
            description: "what happened".into(),
            files: vec!["scenarios/historical.toml".into()],
            sha256: "ab12".into(),
            seed: 7,
            replicates: 30,
            steps: 156,
            agents: 5000,
            start: "1917-03".into(),
            end: "1930-02".into(),
            view: None,
        }
    }

    fn manifest_text(run: &ScenarioRun) -> String {
        Manifest {
            run,
            scenario_file: "scenarios/historical.toml".into(),
            metrics: vec!["soviet_power"],
            elapsed_seconds: 1.5,
            agent_steps_per_second: 2.0,
            command: "sovsim run scenarios/historical.toml --out output".into(),
            record: None,
            outputs: vec![("runs.csv".into(), 12)],
        }
        .to_json()
    }

    #[test]
    fn a_fitted_run_records_its_record_and_is_current_only_for_it() {
        let plain = manifest_text(&run());
        assert!(!plain.contains("\"record\""), "{plain}");
        assert!(fitted_to(&plain, None));
        assert!(!fitted_to(&plain, Some("ef56")));
        let described = run();
        let fitted = Manifest {
            run: &described,
            scenario_file: "scenarios/historical.toml".into(),
            metrics: vec!["soviet_power"],
            elapsed_seconds: 1.5,
            agent_steps_per_second: 2.0,
            command: "c".into(),
            record: Some(RecordUsed {
                file: "scenarios/record/record.toml".into(),
                sha256: "ef56".into(),
            }),
            outputs: Vec::new(),
        }
        .to_json();
        let json: serde_json::Value = serde_json::from_str(&fitted).unwrap();
        assert_eq!(json["record"]["file"], "scenarios/record/record.toml");
        assert!(fitted_to(&fitted, Some("ef56")));
        assert!(!fitted_to(&fitted, Some("0000")));
        assert!(!fitted_to(&fitted, None));
        assert!(!fitted_to("not json", None));
    }

    #[test]
    fn the_manifest_keeps_its_keys_and_their_order() {
        let text = manifest_text(&run());
        let keys: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
            .filter(|k| !k.contains('/') && *k != "soviet_power")
            .collect();
        assert_eq!(
            keys,
            [
                "sovsim_version",
                "scenario",
                "scenario_file",
                "scenario_files",
                "scenario_sha256",
                "seed",
                "replicates",
                "steps",
                "agents",
                "start",
                "end",
                "metrics",
                "elapsed_seconds",
                "agent_steps_per_second",
                "command",
                "outputs",
                "runs.csv"
            ]
        );
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn a_run_under_a_view_records_it_and_one_without_records_none() {
        let plain = manifest_text(&run());
        assert!(!plain.contains("\"view\""), "{plain}");
        let viewed = ScenarioRun {
            view: Some(ViewRecord {
                name: "lessons".into(),
                essay: "Lessons".into(),
                sha256: "cd34".into(),
                values: [("precedent".to_string(), 1.0)].into_iter().collect(),
            }),
            ..run()
        };
        let json: serde_json::Value = serde_json::from_str(&manifest_text(&viewed)).unwrap();
        assert_eq!(json["view"]["name"], "lessons");
        assert_eq!(json["view"]["essay"], "Lessons");
        assert_eq!(json["view"]["sha256"], "cd34");
        assert_eq!(json["view"]["values"]["precedent"], 1.0);
        assert_eq!(json["scenario_sha256"], "ab12");
    }

    #[test]
    fn a_run_is_reused_only_when_files_seed_replicates_and_version_match() {
        let text = manifest_text(&run());
        assert!(manifest_matches(&text, "ab12", 7, 30));
        assert!(!manifest_matches(&text, "ab13", 7, 30), "another file");
        assert!(!manifest_matches(&text, "ab12", 8, 30), "another seed");
        assert!(!manifest_matches(&text, "ab12", 7, 31), "other replicates");
        let older = text.replace(SOVSIM_VERSION, "0.0.1");
        assert!(!manifest_matches(&older, "ab12", 7, 30), "another version");
        assert!(!manifest_matches("{ truncated", "ab12", 7, 30));
        assert!(!manifest_matches("{}", "ab12", 7, 30));
    }

    /// A folder with a matching manifest is reused only when every data file is there: a
    /// run written before `decisions.csv` existed is not complete.
    #[test]
    fn a_run_folder_without_decisions_csv_is_not_reused() {
        let scenario = Scenario::parse(crate::testing::TEST_SCENARIO, "t.toml").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let described = ScenarioRun::of(&scenario, 7, 3);
        std::fs::write(dir.path().join("manifest.json"), manifest_text(&described)).unwrap();
        for file in ["runs.csv", "summary.csv"] {
            std::fs::write(dir.path().join(file), "x\n").unwrap();
        }
        assert!(!reusable(dir.path(), &scenario, 7, 3), "no decisions.csv");
        std::fs::write(dir.path().join("decisions.csv"), "x\n").unwrap();
        assert!(reusable(dir.path(), &scenario, 7, 3));
        assert!(!reusable(dir.path(), &scenario, 8, 3), "another seed");
        std::fs::remove_file(dir.path().join("summary.csv")).unwrap();
        assert!(!reusable(dir.path(), &scenario, 7, 3), "no summary.csv");
    }

    #[test]
    fn a_sweep_folder_is_shared_only_by_the_same_sweep_and_version() {
        let m = SweepManifest {
            sovsim_version: SOVSIM_VERSION.into(),
            sweep: "s".into(),
            sweep_file: "s.toml".into(),
            sweep_sha256: "ff".into(),
            base: "b.toml".into(),
            points: 4,
            replicates: 2,
            seed: 1,
            design: "grid".into(),
            axes: vec![],
            axis_labels: vec![],
            outcomes: vec![],
            header: vec!["point".into()],
        };
        let read: SweepManifest = serde_json::from_str(&m.to_json()).unwrap();
        assert_eq!(read, m);
        assert!(m.same_sweep(&SweepManifest {
            points: 9,
            ..m.clone()
        }));
        assert!(!m.same_sweep(&SweepManifest {
            sweep_sha256: "fe".into(),
            ..m.clone()
        }));
        assert!(!m.same_sweep(&SweepManifest {
            sovsim_version: "0.0.1".into(),
            ..m.clone()
        }));
    }
}
