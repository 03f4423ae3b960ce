//! The binary's commands, one module each, and the one place that dispatches them and turns
//! their outcome into an exit code (0 success, 1 run-time failure, 2 bad invocation or
//! invalid input, 130 interrupted). Every command takes plain settings
//! ([`common::settings`]), imports [`common`] and no other command; the main job
//! ([`main_job`]) is handed the command functions it is made of.

mod claims;
pub mod common;
mod compare;
mod fit;
mod inspect;
mod main_job;
mod map;
mod run;
mod serve;
mod sweep;

use std::path::PathBuf;

use common::exit_code;
pub use common::settings::{
    ClaimsSettings, CompareSettings, EnsembleSettings, FitSettings, MapSettings, MergeSettings,
    RunSettings, ServeSettings, SweepSettings,
};

/// A command with its settings, as the command line asked for it.
#[derive(Debug)]
pub enum Command {
    Run(RunSettings),
    Validate(Vec<PathBuf>),
    List(Vec<PathBuf>),
    Explain(PathBuf),
    Compare(CompareSettings),
    Claims(ClaimsSettings),
    Sweep(SweepSettings),
    Merge(MergeSettings),
    Map(MapSettings),
    Serve(ServeSettings),
    Fit(FitSettings),
}

/// The commands the main job runs, the same functions the command line reaches.
const MAIN_JOB: main_job::Commands = main_job::Commands {
    run: run::run,
    claims: claims::claims,
    sweep: sweep::sweep,
    map: map::map,
    compare: compare::compare,
};

/// Runs a command and returns the process exit code.
pub fn execute(command: Command) -> i32 {
    match command {
        Command::Run(settings) if main_job::is_main_job(&settings) => {
            exit_code(main_job::main_job(&settings, &MAIN_JOB))
        }
        Command::Run(settings) => exit_code(run::run(&settings)),
        Command::Validate(paths) => inspect::validate(&paths),
        Command::List(paths) => inspect::list(&paths),
        Command::Explain(path) => inspect::explain(&path),
        Command::Compare(settings) => exit_code(compare::compare(&settings)),
        Command::Claims(settings) => exit_code(claims::claims(&settings)),
        Command::Sweep(settings) => exit_code(sweep::sweep(&settings)),
        Command::Merge(settings) => exit_code(sweep::merge(&settings)),
        Command::Map(settings) => exit_code(map::map(&settings)),
        Command::Serve(settings) => exit_code(serve::serve(&settings)),
        Command::Fit(settings) => exit_code(fit::fit(&settings)),
    }
}

#[cfg(test)]
mod tests {
    /// Every command module with its source, and `common`'s: no command may reach into
    /// another (they share only `common`, and the main job is handed the functions it runs),
    /// and `common` into none.
    const COMMANDS: [(&str, &str); 16] = [
        ("claims", include_str!("claims.rs")),
        ("compare", include_str!("compare.rs")),
        ("fit", include_str!("fit.rs")),
        ("inspect", include_str!("inspect.rs")),
        ("main_job", include_str!("main_job.rs")),
        ("map", include_str!("map.rs")),
        ("run", include_str!("run.rs")),
        ("sweep", include_str!("sweep.rs")),
        ("common", include_str!("common/mod.rs")),
        ("common", include_str!("common/ensembles.rs")),
        ("common", include_str!("common/files.rs")),
        ("common", include_str!("common/fitting.rs")),
        ("common", include_str!("common/job.rs")),
        ("common", include_str!("common/points.rs")),
        ("common", include_str!("common/preflight.rs")),
        ("common", include_str!("common/settings.rs")),
    ];

    #[test]
    fn no_command_module_uses_another() {
        for (name, source) in COMMANDS {
            for (other, _) in COMMANDS {
                if other == name || other == "common" {
                    continue;
                }
                for route in [
                    format!("super::{other}"),
                    format!("commands::{other}"),
                    format!("super::super::{other}"),
                ] {
                    // A whole path segment only: `super::fitting` is not `super::fit`.
                    let uses = source.match_indices(&route).any(|(at, _)| {
                        source[at + route.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                    });
                    assert!(
                        !uses,
                        "commands/{name} uses {route}: a command may use only common"
                    );
                }
            }
        }
    }
}
