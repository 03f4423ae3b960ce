//! What each command is asked to do, as plain data: `cli` fills these from the command line,
//! and the main job fills them itself, so a command never sees clap's types.

use std::path::PathBuf;

use sovsim::scenario::Scenario;

/// How ensembles are run and where their results go: shared by `run`, `compare` and
/// `claims`.
#[derive(Clone, Debug)]
pub struct EnsembleSettings {
    /// Folder to write results into; each scenario gets `OUT/<name>/`.
    pub out: PathBuf,
    /// The essay's view to run every scenario under, as given (a name in
    /// `scenarios/views/` or a path; [`super::files::load_view`] reads it).
    pub view: Option<String>,
    /// Replicates, overriding each scenario's own.
    pub replicates: Option<u32>,
    /// Seed, overriding each scenario's own.
    pub seed: Option<u64>,
    /// Worker threads (all cores when `None`).
    pub jobs: Option<u32>,
    /// Print nothing but errors.
    pub quiet: bool,
    /// Run even when the estimated work passes a day of CPU, or its memory or disk exceeds
    /// what this machine has.
    pub force: bool,
}

impl EnsembleSettings {
    /// The seed a scenario is run with: the one given, or its own.
    pub fn seed_of(&self, scenario: &Scenario) -> u64 {
        self.seed.unwrap_or(scenario.seed)
    }

    /// The replicates a scenario is run with: those given, or its own.
    pub fn replicates_of(&self, scenario: &Scenario) -> u32 {
        self.replicates.unwrap_or(scenario.replicates)
    }

    /// The options that change what is run, as a report quotes them in the command that
    /// reproduces it: ` --view V --replicates R --seed S`, each only when given.
    pub fn flags(&self) -> String {
        let mut out = String::new();
        if let Some(v) = &self.view {
            out.push_str(&format!(" --view {v}"));
        }
        if let Some(r) = self.replicates {
            out.push_str(&format!(" --replicates {r}"));
        }
        if let Some(s) = self.seed {
            out.push_str(&format!(" --seed {s}"));
        }
        out
    }
}

/// `sovsim run`; with no paths and plots on, the main job.
#[derive(Clone, Debug)]
pub struct RunSettings {
    /// Scenario files or folders of them (none: the shipped scenarios).
    pub paths: Vec<PathBuf>,
    pub ensemble: EnsembleSettings,
    /// Draw the plots and write each scenario's report.
    pub plots: bool,
    /// Leave alone a scenario whose folder holds a run by the same command of the same
    /// files, seed, replicates and version, every file whole (the main job's rerun).
    pub reuse: bool,
}

/// `sovsim compare`.
#[derive(Clone, Debug)]
pub struct CompareSettings {
    /// Two or more scenario files; the first is the baseline.
    pub paths: Vec<PathBuf>,
    /// Metrics to compare, by name (none: all the scenarios record).
    pub metrics: Vec<String>,
    pub ensemble: EnsembleSettings,
}

/// `sovsim claims`.
#[derive(Clone, Debug)]
pub struct ClaimsSettings {
    /// Claims files or folders of them (none: the shipped claims).
    pub paths: Vec<PathBuf>,
    pub ensemble: EnsembleSettings,
    /// Run the sensitivity variants.
    pub sensitivity: bool,
    /// Evaluate the claims under every view in `scenarios/views/` as well as under the
    /// default parameters (ignored with a view given: then that view alone).
    pub views: bool,
    /// Replicates of each scenario in the heavy analyses: the sensitivity variants and the
    /// runs under the views ([`sovsim::claims::HEAVY_REPLICATES`] unless given).
    pub analysis_replicates: u32,
}

impl ClaimsSettings {
    /// The replicates a scenario's sensitivity variants and view runs use: the analyses'
    /// number, but never more than the scenario is run with itself.
    pub fn analysis_replicates_of(&self, scenario: &Scenario) -> u32 {
        self.analysis_replicates
            .min(self.ensemble.replicates_of(scenario))
    }
}

/// `sovsim sweep`.
#[derive(Clone, Debug)]
pub struct SweepSettings {
    /// The sweep file.
    pub file: PathBuf,
    /// Folder to write into; the sweep gets `OUT/<name>/`.
    pub out: PathBuf,
    /// Worker threads (all cores when `None`).
    pub jobs: Option<u32>,
    /// `K/N` as given: run only the points with index % N == K.
    pub shard: Option<String>,
    /// Print nothing but errors.
    pub quiet: bool,
    /// Run even when the estimated work passes a day of CPU, or its memory or disk exceeds
    /// what this machine has.
    pub force: bool,
}

/// `sovsim serve`.
#[derive(Clone, Debug)]
pub struct ServeSettings {
    pub port: u16,
    pub host: std::net::IpAddr,
    pub open: bool,
    /// The folder of scenarios the page offers.
    pub scenarios: PathBuf,
    pub limits: sovsim::lab::Limits,
}

/// `sovsim map`.
#[derive(Clone, Debug)]
pub struct MapSettings {
    /// The map file.
    pub file: PathBuf,
    /// Folder to write into; the map's files go into `OUT/claims/maps/`.
    pub out: PathBuf,
    /// Worker threads (all cores when `None`).
    pub jobs: Option<u32>,
    /// `K/N` as given: run only the points with index % N == K.
    pub shard: Option<String>,
    /// Merge the shards already run instead of running points.
    pub merge: bool,
    /// Print nothing but errors.
    pub quiet: bool,
    /// Run even when the estimated work passes a day of CPU, or its memory or disk exceeds
    /// what this machine has.
    pub force: bool,
}

/// `sovsim merge`.
#[derive(Clone, Debug)]
pub struct MergeSettings {
    /// The sweep's folder (`OUT/<name>`).
    pub dir: PathBuf,
    /// Print nothing but errors.
    pub quiet: bool,
}

/// `sovsim fit`.
#[derive(Clone, Debug)]
pub struct FitSettings {
    /// A finished run's folder (`OUT/<name>`).
    pub dir: PathBuf,
    /// The record to fit it to.
    pub record: PathBuf,
    /// Print nothing but errors.
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flags_quote_only_what_was_given_in_the_command_lines_order() {
        let mut e = EnsembleSettings {
            out: PathBuf::from("out"),
            view: None,
            replicates: None,
            seed: None,
            jobs: Some(2),
            quiet: true,
            force: false,
        };
        assert_eq!(e.flags(), "");
        e.view = Some("ward".into());
        e.seed = Some(7);
        assert_eq!(e.flags(), " --view ward --seed 7");
        e.replicates = Some(4);
        assert_eq!(e.flags(), " --view ward --replicates 4 --seed 7");
    }
}
