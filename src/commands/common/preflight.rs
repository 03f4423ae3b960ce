//! The checks before anything runs: the output folder must be writable, and the estimated
//! memory and disk must fit this machine.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use sovsim::limits::{Estimate, MEMORY_PER_AGENT, bytes};
use sovsim::scenario::Scenario;

use super::InvalidInput;

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

/// Before anything runs: the output folder must be writable, and the estimated memory (of
/// the largest ensemble) and disk (of all of them) must fit this machine, unless `force`.
/// The estimate and the limit are in the message.
pub fn preflight(out: &Path, needs: &[(String, Estimate)], force: bool) -> Result<()> {
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
    if force {
        return Ok(());
    }
    if let (Some((name, most)), Some(memory)) = (
        needs
            .iter()
            .max_by(|a, b| a.1.memory_bytes.total_cmp(&b.1.memory_bytes)),
        available_memory(),
    ) && most.memory_bytes > memory
    {
        return Err(InvalidInput(format!(
            "sovsim: error: {name} needs about {} of memory (its replicates in flight, at {} bytes per agent), but {} is available; use fewer agents or --jobs, or --force to run anyway",
            bytes(most.memory_bytes),
            MEMORY_PER_AGENT,
            bytes(memory)
        ))
        .into());
    }
    let disk: f64 = needs.iter().map(|(_, e)| e.disk_bytes).sum();
    if let Some(free) = free_disk(out)
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

/// The estimated needs of running these scenarios with these settings on `threads` threads.
pub fn needs(
    scenarios: &[(PathBuf, Scenario)],
    replicates: Option<u32>,
    threads: usize,
) -> Vec<(String, Estimate)> {
    scenarios
        .iter()
        .map(|(_, s)| {
            let r = replicates.unwrap_or(s.replicates);
            (
                s.name.clone(),
                sovsim::limits::ensemble(
                    s.agents(),
                    s.steps(),
                    s.metric_names().len(),
                    r,
                    2 * threads as u32,
                ),
            )
        })
        .collect()
}
