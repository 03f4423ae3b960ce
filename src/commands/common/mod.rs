//! What the commands share: their settings, the errors that choose an exit code, the signal
//! that interrupts them, reading scenarios and listing files ([`files`]), reading a sweep or a map in full ([`load`]), the checks before a
//! run ([`preflight`]), running ensembles and reusing finished runs ([`ensembles`]), filling
//! a sweep's or a map's points file ([`points`]), the record a scenario names and a run's fit
//! to it ([`fit`]), the main job's stages, timings and
//! progress ([`job`]), and writing a file atomically. A command module imports this and nothing of another command.

pub mod ensembles;
pub mod files;
pub mod fitting;
pub mod job;
pub mod load;
pub mod points;
pub mod preflight;
pub mod settings;

use std::fs;
use std::path::{Path, PathBuf};
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
/// The path is written without `.` and `folder/..` steps, so that a file reached twice by
/// two spellings (`a/../b/x.toml`, `b/x.toml`) is known as one, and a cycle is named.
pub fn read_parent(child: &str, parent: &str) -> std::result::Result<(String, String), String> {
    let base = Path::new(child).parent().unwrap_or(Path::new(""));
    let path = lexically_normal(&base.join(parent));
    let text = read_text(&path).map_err(|e| match e {
        TextError::Io(e) => format!("{}: {e}", path.display()),
        TextError::NotUtf8(d) => format!("it is not UTF-8 text ({})", d.message),
    })?;
    Ok((path.display().to_string(), text))
}

/// `path` without `.` steps, and without a folder followed by `..` (a leading `..` stays).
pub fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// Why a file's text could not be had.
#[derive(Debug)]
pub enum TextError {
    Io(std::io::Error),
    /// Not UTF-8: where the first bad byte is.
    NotUtf8(sovsim::format::Diagnostic),
}

/// A file's text; a file that is not UTF-8 is refused with the line, column and offset of
/// its first bad byte.
pub fn read_text(path: &Path) -> std::result::Result<String, TextError> {
    let bytes = fs::read(path).map_err(TextError::Io)?;
    sovsim::format::decode(bytes, &path.display().to_string()).map_err(TextError::NotUtf8)
}

/// [`read_text`], its problem as printable text: `file: error: cannot read: ...`, or the
/// located diagnostic of a byte that is not UTF-8.
pub fn read_input(path: &Path) -> std::result::Result<String, String> {
    read_text(path).map_err(|e| match e {
        TextError::Io(e) => format!("{}: error: cannot read: {e}", path.display()),
        TextError::NotUtf8(d) => d.to_string(),
    })
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
