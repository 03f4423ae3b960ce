//! The binary's commands, one module each, and the one place that dispatches them and turns
//! their outcome into an exit code (0 success, 1 run-time failure, 2 bad invocation or
//! invalid input, 130 interrupted). Every command takes plain settings
//! ([`common::settings`]), imports [`common`] and no other command; the main job
//! ([`main_job`]) is handed the command functions it is made of.

mod claims;
pub mod common;
mod compare;
mod inspect;
mod main_job;
mod run;
mod sweep;

use std::path::PathBuf;

use common::exit_code;
pub use common::settings::{
    ClaimsSettings, CompareSettings, EnsembleSettings, MergeSettings, RunSettings, SweepSettings,
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
}

/// The commands the main job runs, the same functions the command line reaches.
const MAIN_JOB: main_job::Commands = main_job::Commands {
    run: run::run,
    claims: claims::claims,
    sweep: sweep::sweep,
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
    }
}
