//! The command line: clap definitions, and their conversion into the plain settings that
//! [`crate::commands`] run.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands;

/// sovsim: run the arguments of five essays on party and class in the Russian Revolution
/// (1917-1930) as agent-based experiments.
#[derive(Debug, Parser)]
#[command(name = "sovsim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios as Monte-Carlo ensembles and write their results.
    Run(RunArgs),
    /// Check scenario files without running them; print every problem found.
    Validate(PathsArgs),
    /// List scenarios with their descriptions, dates, agents and replicates.
    List(PathsArgs),
    /// Compare scenarios side by side: overlay plots, comparison.csv and a report, from
    /// their runs (reused when a run with the same scenario files, seed and replicates is
    /// already in OUT, made otherwise).
    Compare(CompareArgs),
    /// Say in plain words what a scenario assumes: its changes against the scenario it
    /// extends, its dated events, the rules switched on.
    Explain(ExplainArgs),
    /// Test the essays' claims (scenarios/claims/*.toml) in the model: for each, the effect
    /// with its bootstrap 95% interval, a verdict, and whether the verdict survives the
    /// model's uncertain parameters moved down and up, under the default parameters and
    /// under every essay's view (scenarios/views/); writes OUT/claims/.
    Claims(ClaimsArgs),
    /// Run a parameter sweep (scenarios/sweeps/*.toml): every point an ensemble with its own
    /// seed, its outcomes appended to OUT/<sweep>/points.csv as it finishes; a rerun resumes.
    /// Two axes give heat maps, one a line, in OUT/<sweep>/sweep.html.
    Sweep(SweepArgs),
    /// Merge the shards of a sweep (OUT/<sweep>/shard-K-of-N.csv) into the points.csv an
    /// unsharded run writes, checking every point is there exactly once.
    Merge(MergeArgs),
    /// Draw where a claim holds over two mechanism strengths (scenarios/maps/*.toml): at
    /// every point of the grid the claim's scenario and baseline, varied alike, run as
    /// ensembles and the claim judged; writes OUT/claims/maps/<map>.csv, .json, .svg and
    /// .png, with the essays' views marked. A rerun resumes, or reuses a finished map.
    Map(MapArgs),
    /// Serve the classroom lab on this machine: one page where a class picks a scenario,
    /// changes its decisions, mechanism strengths, police and soviets, and watches the
    /// ensemble answer live, with a pinned baseline and the claims (docs/lab.md).
    Serve(ServeArgs),
    /// Hold a finished run (OUT/<name>) to the record of the shared history
    /// (scenarios/record/record.toml): for every target the ensemble's 5th percentile, median
    /// and 95th percentile against the record's interval, in OUT/<name>/fit.csv and
    /// fit.svg/.png.
    Fit(FitArgs),
}

#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// The run's folder, as `sovsim run` wrote it (manifest.json, runs.csv, decisions.csv).
    pub dir: PathBuf,
    /// The record to fit the run to.
    #[arg(long, default_value = "scenarios/record/record.toml")]
    pub record: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct MapArgs {
    /// The map file.
    pub file: PathBuf,
    /// Folder to write into; the map's files go into OUT/claims/maps/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Run only the points with index % N == K, into
    /// OUT/claims/maps/shards/<map>.shard-K-of-N.csv; then `--merge` joins the shards.
    #[arg(long, value_name = "K/N", conflicts_with = "merge")]
    pub shard: Option<String>,
    /// Merge the map's shards in OUT/claims/maps/shards/ into the <map>.csv an unsharded
    /// run writes, checking every point is there exactly once, and draw the map.
    #[arg(long)]
    pub merge: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Run even when the estimated work passes a day of CPU, or its memory or disk exceeds
    /// what this machine has.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The sweep file.
    pub file: PathBuf,
    /// Folder to write into; the sweep gets OUT/<name>/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Run only the points with index % N == K, into OUT/<name>/shard-K-of-N.csv (for a
    /// cluster: see docs/cluster.md).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Run even when the estimated work passes a day of CPU, or its memory or disk exceeds
    /// what this machine has.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The sweep's folder (OUT/<name>).
    pub dir: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct ClaimsArgs {
    /// Claims files or folders of them (default: scenarios/claims/).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// Skip the sensitivity runs (much faster; verdicts are then marked "not tested").
    #[arg(long)]
    pub no_sensitivity: bool,
    /// Evaluate under the default parameters only, not also under every view in
    /// scenarios/views/ (quicker while writing a claim).
    #[arg(long, conflicts_with = "view")]
    pub no_views: bool,
    /// Replicates of each scenario in the sensitivity runs and the runs under the views
    /// (never more than the scenario's own or --replicates); the claims' own verdicts use
    /// each scenario's replicates. Paired comparisons make 12 about as precise as 16
    /// unpaired (docs/claims.md).
    #[arg(long, value_name = "N", default_value_t = sovsim::claims::HEAVY_REPLICATES,
          value_parser = clap::value_parser!(u32).range(sovsim::claims::MIN_REPLICATES as i64..=100_000))]
    pub analysis_replicates: u32,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Two or more scenario files; the first is the baseline the others are compared with.
    #[arg(num_args = 2.., required = true)]
    pub paths: Vec<PathBuf>,
    /// Metrics to compare, comma-separated (default: all twenty-three).
    #[arg(long, value_delimiter = ',')]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
}

/// How ensembles are run and where their results go: shared by `run`, `compare` and
/// `claims`.
#[derive(Debug, clap::Args)]
pub struct EnsembleArgs {
    /// Folder to write results into; each scenario gets OUT/<name>/.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Run every scenario under an essay's view: scenarios/views/NAME.toml, or the path of
    /// a view file. Its mechanism strengths replace the scenarios'; each scenario's results
    /// go to OUT/<name>.view-<view>/.
    #[arg(long, value_name = "NAME_OR_PATH")]
    pub view: Option<String>,
    /// Number of replicates, overriding each scenario's own.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub replicates: Option<u32>,
    /// Seed, overriding each scenario's own.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Run even when the estimated work passes a day of CPU, or its memory or disk exceeds
    /// what this machine has.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port, printed).
    #[arg(long, default_value_t = 8017)]
    pub port: u16,
    /// The address to listen on. The default serves this machine only; give 0.0.0.0 to let
    /// a classroom's network in.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Open the page in the default browser once the server listens.
    #[arg(long)]
    pub open: bool,
    /// The folder of scenarios the page offers (its claims/ and views/ with it).
    #[arg(long, default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// Runs computed at once; the rest wait in the queue.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrent_runs: u32,
    /// Runs allowed to wait; one more is refused with a message.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub queued_runs: u32,
    /// Most agents an experiment may have.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub max_agents: u32,
    /// Most replicates an experiment may have.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_replicates: u32,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The scenario file.
    pub path: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct PathsArgs {
    /// Scenario files or folders of them (default: scenarios/ and scenarios/reference/).
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario files or folders of them (default: scenarios/ and scenarios/reference/).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// Do not draw the plots (OUT/<name>/plots/).
    #[arg(long)]
    pub no_plots: bool,
}

impl From<Command> for commands::Command {
    fn from(command: Command) -> commands::Command {
        match command {
            Command::Run(args) => commands::Command::Run(commands::RunSettings {
                paths: args.paths,
                ensemble: args.ensemble.into(),
                plots: !args.no_plots,
                // Only the main job reuses its finished runs; it sets this itself.
                reuse: false,
            }),
            Command::Validate(args) => commands::Command::Validate(args.paths),
            Command::List(args) => commands::Command::List(args.paths),
            Command::Explain(args) => commands::Command::Explain(args.path),
            Command::Serve(args) => commands::Command::Serve(commands::ServeSettings {
                port: args.port,
                host: args.host,
                open: args.open,
                scenarios: args.scenarios,
                limits: sovsim::lab::Limits {
                    concurrent_runs: args.concurrent_runs as usize,
                    queued_runs: args.queued_runs as usize,
                    agents: args.max_agents,
                    replicates: args.max_replicates,
                    ..sovsim::lab::Limits::default()
                },
            }),
            Command::Compare(args) => commands::Command::Compare(commands::CompareSettings {
                paths: args.paths,
                metrics: args.metrics,
                ensemble: args.ensemble.into(),
            }),
            Command::Claims(args) => commands::Command::Claims(commands::ClaimsSettings {
                paths: args.paths,
                ensemble: args.ensemble.into(),
                sensitivity: !args.no_sensitivity,
                views: !args.no_views,
                analysis_replicates: args.analysis_replicates,
            }),
            Command::Sweep(args) => commands::Command::Sweep(commands::SweepSettings {
                file: args.file,
                out: args.out,
                jobs: args.jobs,
                shard: args.shard,
                quiet: args.quiet,
                force: args.force,
            }),
            Command::Fit(args) => commands::Command::Fit(commands::FitSettings {
                dir: args.dir,
                record: args.record,
                quiet: args.quiet,
            }),
            Command::Merge(args) => commands::Command::Merge(commands::MergeSettings {
                dir: args.dir,
                quiet: args.quiet,
            }),
            Command::Map(args) => commands::Command::Map(commands::MapSettings {
                file: args.file,
                out: args.out,
                jobs: args.jobs,
                shard: args.shard,
                merge: args.merge,
                quiet: args.quiet,
                force: args.force,
            }),
        }
    }
}

impl From<EnsembleArgs> for commands::EnsembleSettings {
    fn from(args: EnsembleArgs) -> commands::EnsembleSettings {
        commands::EnsembleSettings {
            out: args.out,
            view: args.view,
            replicates: args.replicates,
            seed: args.seed,
            jobs: args.jobs,
            quiet: args.quiet,
            force: args.force,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
