//! What the commands share: their settings, the errors that choose an exit code, the signal
//! that interrupts them, reading scenarios and listing files ([`files`]), the checks before a
//! run ([`preflight`]), running ensembles and reusing finished runs ([`ensembles`]), filling
//! a sweep's or a map's points file ([`points`]), the main job's stages, timings and
//! progress ([`job`]), and writing a file atomically. A command module imports this and nothing of another command.

pub mod ensembles;
pub mod files;
pub mod job;
pub mod points;
pub mod preflight;
pub mod settings;

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};

/// Exit code of a command that did what it was asked.
pub const SUCCESS: i32 = 0;
/// Exit code of a run-time failure.
pub const FAILURE: i32 = 1;
/// Exit code of a bad invocation or invalid input (a scenario, claims or sweep file).
pub const USAGE: i32 = 2;
/// Exit code after SIGINT or SIGTERM (128 + SIGINT, as shells report it).
pub const INTERRUPTED_CODE: i32 = 130;

/// An error worth its own exit code: the input was wrong, not the run.
#[derive(Debug)]
pub struct InvalidInput(pub String);

impl std::fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidInput {}

/// Why a run stopped early.
#[derive(Debug)]
pub struct Interrupted(pub String);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}

/// Prints an error and returns the exit code it calls for.
pub fn print_error(e: anyhow::Error) -> i32 {
    if let Some(stop) = e.downcast_ref::<Interrupted>() {
        eprintln!("{stop}");
        INTERRUPTED_CODE
    } else if let Some(invalid) = e.downcast_ref::<InvalidInput>() {
        eprintln!("{invalid}");
        USAGE
    } else {
        eprintln!("sovsim: error: {e:#}");
        FAILURE
    }
}

/// The exit code of a command's outcome, its error printed.
pub fn exit_code<T>(outcome: Result<T>) -> i32 {
    match outcome {
        Ok(_) => SUCCESS,
        Err(e) => print_error(e),
    }
}

/// Set when SIGINT or SIGTERM arrives: the replicates in progress stop at their next step,
/// and the scenario, sweep point, map point or sensitivity variant they belong to is
/// dropped, keeping what is complete.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Reads the file a scenario extends, relative to the folder of the file that extends it.
pub fn read_parent(child: &str, parent: &str) -> std::result::Result<(String, String), String> {
    let base = Path::new(child).parent().unwrap_or(Path::new(""));
    let path = base.join(parent);
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((path.display().to_string(), text))
}

/// Writes a file whole or not at all ([`sovsim::output::write_atomic`]).
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    sovsim::output::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A pool of `jobs` worker threads (all cores when `None`).
pub fn worker_pool(jobs: Option<u32>) -> Result<rayon::ThreadPool> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = jobs {
        pool = pool.num_threads(jobs as usize);
    }
    pool.build().context("cannot start worker threads")
}
