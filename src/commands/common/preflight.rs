//! The checks before anything runs: the work must be within the documented limits (a
//! long one is announced with its estimate), the estimated memory and disk must fit this
//! machine, and the output folder must be writable. A refusal comes before anything is
//! made, the output folder included.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use sovsim::limits::{
    Estimate, MEMORY_PER_AGENT, Size, Work, bytes, count, cpu, duration, refuse_limit,
};
use sovsim::scenario::{Diagnostic, Scenario};

use super::{InvalidInput, job};

/// What one part of a command will need.
#[derive(Clone, Debug)]
pub struct Need {
    /// Where it was asked for: a scenario's file, or `file:line:column` in a sweep or map.
    pub at: String,
    /// The scenario's, sweep's or map's name.
    pub name: String,
    pub estimate: Estimate,
    pub work: Work,
}

/// `file:line:column` of a diagnostic: where a need is said to come from.
pub fn place(d: &Diagnostic) -> String {
    format!("{}:{}:{}", d.file, d.line, d.column)
}

/// Memory this machine has available, from `/proc/meminfo` (Linux); `None` elsewhere.
fn available_memory() -> Option<f64> {
    let text = fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

/// Free space on the file system holding `dir`, for an unprivileged writer.
#[cfg(unix)]
fn free_disk(dir: &Path) -> Option<f64> {
    use std::os::unix::ffi::OsStrExt as _;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs only writes into the zeroed struct owned here, and reads a valid,
    // NUL-terminated path.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::statvfs(path.as_ptr(), &mut stat) };
    (rc == 0).then_some(stat.f_bavail as f64 * stat.f_frsize as f64)
}

#[cfg(not(unix))]
fn free_disk(_dir: &Path) -> Option<f64> {
    None
}

/// Before anything runs: the work must be within [`sovsim::limits::REFUSE_CPU_SECONDS`] of
/// processor time,
/// the estimated memory (of the largest ensemble) and disk (of all of them) must fit this
/// machine, unless `force`; the estimate and the limit are in the message. Then the output
/// folder must be writable. A long piece of work (past [`sovsim::limits::WARN_CPU_SECONDS`])
/// is announced with its estimate, forced or not; `threads` turn processor time into the
/// time it will take.
pub fn preflight(out: &Path, needs: &[Need], force: bool, threads: usize) -> Result<()> {
    if !force {
        refuse_too_long(needs, threads)?;
        refuse_too_large(out, needs)?;
    }
    fs::create_dir_all(out).map_err(|e| {
        InvalidInput(format!(
            "sovsim: error: cannot create the output folder {}: {e}; nothing was run",
            out.display()
        ))
    })?;
    let probe = out.join(format!(".sovsim-write-test-{}", std::process::id()));
    fs::write(&probe, b"probe").map_err(|e| {
        InvalidInput(format!(
            "sovsim: error: cannot write into the output folder {}: {e}; nothing was run",
            out.display()
        ))
    })?;
    let _ = fs::remove_file(&probe);
    announce_long(needs, threads);
    Ok(())
}

/// The time `work` takes on `threads` threads, in words.
fn wall(cpu_seconds: f64, threads: usize) -> String {
    let threads = threads.max(1);
    format!(
        "about {} on {threads} thread{}",
        duration(cpu_seconds / threads as f64),
        if threads == 1 { "" } else { "s" }
    )
}

/// Refuses work past a day of processor time: the part that is too long alone, or all of
/// them together.
fn refuse_too_long(needs: &[Need], threads: usize) -> Result<()> {
    let total: f64 = needs.iter().map(|n| n.work.cpu_seconds()).sum();
    if sovsim::limits::size(total) != Size::TooLong {
        return Ok(());
    }
    let limit = refuse_limit();
    let go_on =
        "use fewer points, replicates, agents or steps, or --force to run anyway; nothing was run";
    let message = match needs.iter().find(|n| n.work.size() == Size::TooLong) {
        Some(n) => format!(
            "{}: error: {}: {} ({}), {limit}; {go_on}",
            n.at,
            n.name,
            n.work.describe(),
            wall(n.work.cpu_seconds(), threads)
        ),
        None => format!(
            "sovsim: error: the {} runs asked for take {} agent-steps in all, about {} ({}), {limit}; {go_on}",
            needs.len(),
            count(needs.iter().map(|n| n.work.agent_steps()).sum()),
            cpu(total),
            wall(total, threads)
        ),
    };
    Err(InvalidInput(message).into())
}

/// Says what a long piece of work will take before it starts.
fn announce_long(needs: &[Need], threads: usize) {
    let mut said = false;
    for n in needs.iter().filter(|n| n.work.size() != Size::Ordinary) {
        job::say(format!(
            "{}: warning: {}: {} ({}); Ctrl-C stops it, keeping what is complete",
            n.at,
            n.name,
            n.work.describe(),
            wall(n.work.cpu_seconds(), threads)
        ));
        said = true;
    }
    let total: f64 = needs.iter().map(|n| n.work.cpu_seconds()).sum();
    if !said && sovsim::limits::size(total) != Size::Ordinary {
        job::say(format!(
            "sovsim: warning: the {} runs asked for take {} agent-steps in all, about {} ({}); Ctrl-C stops them, keeping what is complete",
            needs.len(),
            count(needs.iter().map(|n| n.work.agent_steps()).sum()),
            cpu(total),
            wall(total, threads)
        ));
    }
}

/// Refuses what does not fit this machine's memory or the free space where `out` is (or
/// would be).
fn refuse_too_large(out: &Path, needs: &[Need]) -> Result<()> {
    if let (Some(most), Some(memory)) = (
        needs
            .iter()
            .max_by(|a, b| a.estimate.memory_bytes.total_cmp(&b.estimate.memory_bytes)),
        available_memory(),
    ) && most.estimate.memory_bytes > memory
    {
        return Err(InvalidInput(format!(
            "sovsim: error: {} needs about {} of memory (its replicates in flight, at {} bytes per agent), but {} is available; use fewer agents or --jobs, or --force to run anyway",
            most.name,
            bytes(most.estimate.memory_bytes),
            MEMORY_PER_AGENT,
            bytes(memory)
        ))
        .into());
    }
    let disk: f64 = needs.iter().map(|n| n.estimate.disk_bytes).sum();
    // The folder may not exist yet: its nearest existing parent is on the same file system.
    let existing = out
        .ancestors()
        .find(|p| p.is_dir())
        .unwrap_or(Path::new("."));
    if let Some(free) = free_disk(existing)
        && disk > free
    {
        return Err(InvalidInput(format!(
            "sovsim: error: the run would write about {} into {}, but {} is free; use fewer replicates, another --out, or --force to run anyway",
            bytes(disk),
            out.display(),
            bytes(free)
        ))
        .into());
    }
    Ok(())
}

/// The estimated needs of running these scenarios with these settings on `threads` threads,
/// each said to come from its file.
pub fn needs(
    scenarios: &[(PathBuf, Scenario)],
    replicates: Option<u32>,
    threads: usize,
) -> Vec<Need> {
    scenarios
        .iter()
        .map(|(file, s)| {
            let r = replicates.unwrap_or(s.replicates);
            Need {
                at: file.display().to_string(),
                name: s.name.clone(),
                estimate: sovsim::limits::ensemble(
                    s.agents(),
                    s.steps(),
                    s.metric_names().len(),
                    r,
                    2 * threads as u32,
                ),
                work: Work::ensemble(r, s.agents(), s.steps()),
            }
        })
        .collect()
}
