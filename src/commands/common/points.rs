//! Filling a points file, for sweeps and claim maps alike: the rows already complete in its
//! `.partial` file are kept ([`sovsim::sweep::shards::resume`]), each missing point is
//! computed in order and its row appended and synced as it finishes, and the file is renamed
//! to its final name when the last is there; Ctrl-C stops the point in progress (its
//! replicates stop within a step), keeping the points done. What a point's row is, is the caller's. Also the `--shard` option both commands
//! take, and the files of a folder their shards are merged from.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::sweep::shards::{self, csv_line};

use super::{Interrupted, InvalidInput, interrupted, job};

/// `--shard K/N` as given, read; a bad one is an invalid invocation.
pub fn shard(text: Option<&str>) -> Result<Option<(usize, usize)>> {
    text.map(|t| {
        shards::parse_shard(t)
            .map_err(|e| InvalidInput(format!("sovsim: error: --shard: {e}")).into())
    })
    .transpose()
}

/// How many of `points` points a shard (`--shard K/N`, or all of them) runs: the work it
/// is weighed by before it starts.
pub fn shard_points(points: usize, shard: Option<(usize, usize)>) -> u64 {
    match shard {
        Some((k, n)) => (0..points).filter(|i| i % n.max(1) == k).count() as u64,
        None => points as u64,
    }
}

/// A points file to fill.
pub struct PointsFile<'a> {
    /// The folder it is in.
    pub dir: &'a Path,
    /// Its final name (`points.csv`, `<map>.csv`, a shard's); the partial file is this with
    /// `.partial` after it.
    pub name: &'a str,
    /// The header line, newline included.
    pub header: &'a str,
    /// The points it holds, in order.
    pub selected: &'a [usize],
    /// What it is the points of, for messages (a sweep's or a map's name).
    pub of: &'a str,
    pub quiet: bool,
    /// The ensembles a point runs, and their work in agent-steps, for the main job's
    /// counts and progress ([`super::job`]).
    pub ensembles: u64,
    pub work: u64,
}

/// Makes sure the file is complete: nothing to do when its final name is there; otherwise
/// the missing rows are computed by `row` (given a point's index) and appended in order.
/// Returns the final path.
pub fn fill(
    file: &PointsFile,
    row: &mut dyn FnMut(usize) -> Result<Vec<String>>,
) -> Result<PathBuf> {
    let final_path = file.dir.join(file.name);
    let reused = |points: usize| {
        let points = points as u64;
        job::reused(points * file.ensembles, points * file.work);
    };
    if final_path.is_file() {
        reused(file.selected.len());
        if !file.quiet {
            job::say(format!(
                "sovsim: {} is complete already",
                final_path.display()
            ));
        }
        return Ok(final_path);
    }
    let partial_path = file.dir.join(format!("{}.partial", file.name));
    let partial = fs::read_to_string(&partial_path).ok();
    let (kept, done) = shards::resume(partial.as_deref(), file.header, file.selected);
    let mut out = fs::File::create(&partial_path)
        .with_context(|| format!("cannot write {}", partial_path.display()))?;
    out.write_all(kept.as_bytes())?;
    out.sync_data()?;
    let total = file.selected.len();
    reused(done);
    if done > 0 && !file.quiet {
        job::say(format!(
            "sovsim: resuming {}: {done} of {total} points already done",
            file.of
        ));
    }
    let stopped = |n: usize| -> anyhow::Error {
        Interrupted(format!(
            "sovsim: interrupted: {n} of {total} points done and kept in {}; run the same command again to resume",
            partial_path.display()
        ))
        .into()
    };
    for (n, &i) in file.selected.iter().enumerate().skip(done) {
        if interrupted() {
            return Err(stopped(n));
        }
        // A point stopped midway by the signal fails; it is not a failure but the stop.
        let fields = match row(i) {
            Ok(fields) => fields,
            Err(_) if interrupted() => return Err(stopped(n)),
            Err(e) => return Err(e.context(format!("point {i}"))),
        };
        out.write_all(csv_line(&fields).as_bytes())?;
        out.sync_data()?;
        if !file.quiet {
            job::note(format!(
                "sovsim: {} point {i} ({}/{total}) done",
                file.of,
                n + 1
            ));
        }
    }
    drop(out);
    fs::rename(&partial_path, &final_path)
        .with_context(|| format!("cannot write {}", final_path.display()))?;
    Ok(final_path)
}

/// The file names in a folder, sorted (for merging the shards in it).
pub fn names_in(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_is_weighed_by_its_share_of_the_points() {
        assert_eq!(shard_points(25, None), 25);
        assert_eq!(shard_points(25, Some((0, 4))), 7);
        assert_eq!(shard_points(25, Some((3, 4))), 6);
        assert_eq!(shard_points(3, Some((2, 5))), 1);
        assert_eq!(shard_points(3, Some((4, 5))), 0);
    }
}
