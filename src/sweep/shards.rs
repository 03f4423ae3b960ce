//! A points file as it grows and as its shards come together, for sweeps and claim maps
//! alike: the CSV line every points file writes, resuming a partial file after its last
//! complete row, the `K/N` of a shard, the points it runs and its file's name, and merging
//! a folder's shards into the file one unsharded run writes, with every point there exactly
//! once. All of it works on texts and file names; the files are the caller's.
//!
//! A sweep has a folder of its own, so its shards are `shard-K-of-N.csv`; the maps share
//! one folder, so a map's shards carry its name first, `<name>.shard-K-of-N.csv`. That
//! first part is the *prefix* the functions below take (empty for a sweep).

use std::collections::BTreeMap;

use super::MAX_POINTS;

/// One CSV line, quoted where needed, as every points file writes it.
pub fn csv_line(fields: &[String]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(fields);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A shard: `K/N` with 0 <= K < N.
pub fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let bad = || format!("expected K/N with 0 <= K < N (such as 0/4), found `{text}`");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if n == 0 || k >= n || n > MAX_POINTS {
        return Err(bad());
    }
    Ok((k, n))
}

/// The points a run computes, and the file it writes them into: with `shard` `(K, N)`
/// the points whose index % N == K, into `<prefix>shard-K-of-N.csv`; without, every point,
/// into `whole`.
pub fn selection(
    prefix: &str,
    whole: &str,
    points: usize,
    shard: Option<(usize, usize)>,
) -> (String, Vec<usize>) {
    match shard {
        Some((k, n)) => (
            format!("{prefix}shard-{k}-of-{n}.csv"),
            (0..points).filter(|i| i % n == k).collect(),
        ),
        None => (whole.to_string(), (0..points).collect()),
    }
}

/// What a file in a sweep's folder is, by its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShardFile {
    /// `shard-K-of-N.csv`, complete.
    Complete(usize, usize),
    /// `shard-<stem>.csv.partial`: a shard still running, or stopped.
    Unfinished(String),
    /// `shard-<anything>.csv` that is not `shard-K-of-N.csv`.
    Misnamed,
}

/// The shard file a name stands for; `None` for every other file (`sweep.json`, a shard's
/// manifest, plots).
pub fn shard_file(name: &str) -> Option<ShardFile> {
    shard_file_of(name, "")
}

/// [`shard_file`] for the shards whose names start with `prefix` (a map's `<name>.`); the
/// files of other maps in the folder are `None`.
pub fn shard_file_of(name: &str, prefix: &str) -> Option<ShardFile> {
    let rest = name.strip_prefix(prefix)?.strip_prefix("shard-")?;
    if let Some(stem) = rest.strip_suffix(".csv.partial") {
        return Some(ShardFile::Unfinished(stem.to_string()));
    }
    let stem = rest.strip_suffix(".csv")?;
    let parsed = stem
        .split_once("-of-")
        .and_then(|(k, n)| Some((k.parse::<usize>().ok()?, n.parse::<usize>().ok()?)));
    Some(match parsed {
        Some((k, n)) => ShardFile::Complete(k, n),
        None => ShardFile::Misnamed,
    })
}

/// The rows already complete in a partial points file (`None`: there is none): its header
/// must be this sweep's, and rows must be the expected points in order; a last line without
/// its newline (a run killed while writing) is dropped. Returns the text to keep and how
/// many points it holds.
pub fn resume(partial: Option<&str>, header: &str, expected: &[usize]) -> (String, usize) {
    let Some(text) = partial else {
        return (header.to_string(), 0);
    };
    if !text.starts_with(header) {
        return (header.to_string(), 0);
    }
    let mut kept = header.len();
    let mut done = 0;
    for line in text[header.len()..].split_inclusive('\n') {
        if !line.ends_with('\n') || done >= expected.len() {
            break;
        }
        let index = line.split(',').next().and_then(|c| c.parse::<usize>().ok());
        if index != Some(expected[done]) {
            break;
        }
        kept += line.len();
        done += 1;
    }
    (text[..kept].to_string(), done)
}

/// Point indices as short ranges: `0-3, 7, 9-10`.
pub fn ranges(points: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    while k < points.len() {
        let start = points[k];
        let mut end = start;
        while k + 1 < points.len() && points[k + 1] == end + 1 {
            k += 1;
            end = points[k];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        k += 1;
    }
    out.join(", ")
}

/// A shard's rows, named for messages (`shard 1 of 4 (path)`), with the label that names
/// it among the others (`shard 1 of 4`).
#[derive(Clone, Copy, Debug)]
pub struct ShardText<'a> {
    pub label: &'a str,
    pub shown: &'a str,
    pub text: &'a str,
}

/// Why shards cannot be merged; the message is the whole sentence after `sovsim: error: `.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MergeError(pub String);

/// A shard's rows by point index, after checking its header is this sweep's and that
/// every line is a complete row.
pub fn shard_rows(header: &str, shard: ShardText) -> Result<Vec<(usize, String)>, MergeError> {
    let Some(body) = shard.text.strip_prefix(header) else {
        return Err(MergeError(format!(
            "{} ({}): its header is not this sweep's",
            shard.label, shard.shown
        )));
    };
    body.split_inclusive('\n')
        .map(|line| {
            line.split(',')
                .next()
                .and_then(|c| c.parse::<usize>().ok())
                .filter(|_| line.ends_with('\n'))
                .map(|index| (index, line.to_string()))
                .ok_or_else(|| {
                    MergeError(format!(
                        "{} ({}): a line is not a complete point row",
                        shard.label, shard.shown
                    ))
                })
        })
        .collect()
}

/// Joins the shards' rows ([`shard_rows`], each with its shard's label) into the points
/// file of a sweep of `points` points with this `header`, in point order, after checking
/// that every point is there exactly once. `folder` names the sweep's folder in the message
/// that lists missing, repeated and extra points.
pub fn merge(
    header: &str,
    points: usize,
    shards: &[(String, Vec<(usize, String)>)],
    folder: &str,
) -> Result<String, MergeError> {
    let mut rows: BTreeMap<usize, Vec<(&str, &str)>> = BTreeMap::new();
    for (label, lines) in shards {
        for (index, line) in lines {
            rows.entry(*index).or_default().push((label, line));
        }
    }
    let missing: Vec<usize> = (0..points).filter(|i| !rows.contains_key(i)).collect();
    let duplicated: Vec<String> = rows
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(i, v)| {
            format!(
                "point {i} (in {})",
                v.iter().map(|x| x.0).collect::<Vec<_>>().join(" and ")
            )
        })
        .collect();
    let extra: Vec<usize> = rows.keys().copied().filter(|&i| i >= points).collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!(
            "missing points {} (of 0-{})",
            ranges(&missing),
            points.saturating_sub(1)
        ));
    }
    if !duplicated.is_empty() {
        problems.push(format!(
            "points present more than once: {}",
            duplicated.join("; ")
        ));
    }
    if !extra.is_empty() {
        problems.push(format!(
            "points beyond the sweep's {points}: {}",
            ranges(&extra)
        ));
    }
    if !problems.is_empty() {
        return Err(MergeError(format!(
            "cannot merge {folder}: {}",
            problems.join("; ")
        )));
    }
    let mut text = header.to_string();
    for v in rows.values() {
        text.push_str(v[0].1);
    }
    Ok(text)
}

/// A folder of shards to merge: how its files are named and shown.
#[derive(Clone, Copy, Debug)]
pub struct ShardFolder<'a> {
    /// What each shard's file name starts with (see the module's doc).
    pub prefix: &'a str,
    /// The folder, as messages show it.
    pub shown: &'a str,
    /// What the shards are of, for messages: `sweep` or `map`.
    pub what: &'a str,
    /// The manifest the shards' own must match, as messages show it.
    pub manifest: &'a str,
}

/// Merges the shards among a folder's files (`names`, every file name in it) into the
/// points file of `points` points with this `header` ([`merge`]); returns its text and how
/// many shards went into it. `read` gives the text of a file of the folder by name; `same`
/// says whether a shard's manifest (`<prefix>shard-K-of-N.json`, its text) records the same
/// sweep or map as the folder's own. Refused, with the reason: a shard file misnamed or
/// still partial, no shard at all, a shard without its manifest or from another file or
/// version, a torn row, a point missing, repeated or beyond the last.
pub fn merge_folder(
    folder: ShardFolder,
    names: &[String],
    header: &str,
    points: usize,
    read: &dyn Fn(&str) -> Option<String>,
    same: &dyn Fn(&str) -> bool,
) -> Result<(String, usize), MergeError> {
    let prefix = folder.prefix;
    let mut found: BTreeMap<(usize, usize), &str> = BTreeMap::new();
    let mut unfinished = Vec::new();
    for name in names {
        match shard_file_of(name, prefix) {
            None => {}
            Some(ShardFile::Unfinished(stem)) => unfinished.push(stem),
            Some(ShardFile::Complete(k, n)) => {
                found.insert((k, n), name);
            }
            Some(ShardFile::Misnamed) => {
                return Err(MergeError(format!(
                    "{}/{name}: not a shard file name ({prefix}shard-K-of-N.csv)",
                    folder.shown
                )));
            }
        }
    }
    if !unfinished.is_empty() {
        unfinished.sort();
        return Err(MergeError(format!(
            "shard(s) {} of {} not finished (their .csv.partial files are there): rerun them first",
            unfinished.join(", "),
            folder.shown
        )));
    }
    if found.is_empty() {
        return Err(MergeError(format!(
            "no shard files ({prefix}shard-K-of-N.csv) in {}",
            folder.shown
        )));
    }
    let mut rows: Vec<(String, Vec<(usize, String)>)> = Vec::new();
    for (&(k, n), name) in &found {
        let label = format!("shard {k} of {n}");
        let shown = format!("{}/{name}", folder.shown);
        let manifest = format!("{prefix}shard-{k}-of-{n}.json");
        match read(&manifest) {
            Some(m) if same(&m) => {}
            Some(_) => {
                return Err(MergeError(format!(
                    "{label} ({shown}) comes from a different {} file or sovsim version than {}",
                    folder.what, folder.manifest
                )));
            }
            None => {
                return Err(MergeError(format!(
                    "{label}: its manifest {manifest} is missing or unreadable"
                )));
            }
        }
        let text = read(name).ok_or_else(|| MergeError(format!("{shown}: cannot be read")))?;
        let lines = shard_rows(
            header,
            ShardText {
                label: &label,
                shown: &shown,
                text: &text,
            },
        )?;
        rows.push((label, lines));
    }
    let text = merge(header, points, &rows, folder.shown)?;
    Ok((text, found.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "point,x,y_mean\n";

    fn rows(points: &[usize]) -> String {
        let mut text = HEADER.to_string();
        for p in points {
            text.push_str(&format!("{p},0.{p},1.5\n"));
        }
        text
    }

    #[test]
    fn shards_are_parsed_strictly() {
        assert_eq!(parse_shard("0/4"), Ok((0, 4)));
        assert_eq!(parse_shard("3/4"), Ok((3, 4)));
        for bad in ["4/4", "1/0", "-1/4", "1", "a/b", "1/4/2", ""] {
            let e = parse_shard(bad).unwrap_err();
            assert!(e.contains(&format!("found `{bad}`")), "{bad}: {e}");
        }
        assert!(parse_shard(&format!("0/{}", MAX_POINTS + 1)).is_err());
    }

    #[test]
    fn shard_files_are_told_apart_by_name() {
        assert_eq!(
            shard_file("shard-2-of-5.csv"),
            Some(ShardFile::Complete(2, 5))
        );
        assert_eq!(
            shard_file("shard-2-of-5.csv.partial"),
            Some(ShardFile::Unfinished("2-of-5".into()))
        );
        assert_eq!(shard_file("shard-two.csv"), Some(ShardFile::Misnamed));
        assert_eq!(shard_file("shard-2-of-5.json"), None);
        assert_eq!(shard_file("points.csv"), None);
        assert_eq!(
            shard_file_of("ban.shard-0-of-2.csv", "ban."),
            Some(ShardFile::Complete(0, 2))
        );
        assert_eq!(shard_file_of("bank.shard-0-of-2.csv", "ban."), None);
        assert_eq!(shard_file_of("ban.csv.partial", "ban."), None);
    }

    #[test]
    fn a_selection_is_every_point_or_a_shards_share() {
        assert_eq!(
            selection("", "points.csv", 5, None),
            ("points.csv".to_string(), vec![0, 1, 2, 3, 4])
        );
        assert_eq!(
            selection("ban.", "ban.csv", 5, Some((1, 2))),
            ("ban.shard-1-of-2.csv".to_string(), vec![1, 3])
        );
    }

    #[test]
    fn a_folder_of_shards_merges_when_every_shard_is_there_with_its_manifest() {
        let files = [
            ("m.shard-0-of-2.csv", rows(&[0, 2])),
            ("m.shard-1-of-2.csv", rows(&[1])),
            ("m.shard-0-of-2.json", "same".to_string()),
            ("m.shard-1-of-2.json", "same".to_string()),
            ("other.shard-0-of-9.csv", "not ours".to_string()),
            ("m.csv.partial", "the unsharded run's".to_string()),
        ];
        let names: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
        let read = |name: &str| files.iter().find(|f| f.0 == name).map(|f| f.1.clone());
        let folder = ShardFolder {
            prefix: "m.",
            shown: "out/maps",
            what: "map",
            manifest: "out/maps/m.json",
        };
        let same = |t: &str| t == "same";
        assert_eq!(
            merge_folder(folder, &names, HEADER, 3, &read, &same),
            Ok((rows(&[0, 1, 2]), 2))
        );
        let other = |t: &str| t == "other";
        let e = merge_folder(folder, &names, HEADER, 3, &read, &other).unwrap_err();
        assert_eq!(
            e.0,
            "shard 0 of 2 (out/maps/m.shard-0-of-2.csv) comes from a different map file or sovsim version than out/maps/m.json"
        );
        let mut partial = names.clone();
        partial.push("m.shard-3-of-4.csv.partial".into());
        let e = merge_folder(folder, &partial, HEADER, 3, &read, &same).unwrap_err();
        assert!(
            e.0.starts_with("shard(s) 3-of-4 of out/maps not finished"),
            "{e}"
        );
        let e = merge_folder(folder, &names[4..], HEADER, 3, &read, &same).unwrap_err();
        assert_eq!(e.0, "no shard files (m.shard-K-of-N.csv) in out/maps");
    }

    #[test]
    fn ranges_join_runs_of_consecutive_points() {
        assert_eq!(ranges(&[0, 1, 2, 3, 7, 9, 10]), "0-3, 7, 9-10");
        assert_eq!(ranges(&[5]), "5");
        assert_eq!(ranges(&[]), "");
    }

    #[test]
    fn resuming_keeps_the_complete_rows_of_the_expected_points_in_order() {
        let expected = [0, 2, 4, 6];
        assert_eq!(resume(None, HEADER, &expected), (HEADER.to_string(), 0));
        let full = rows(&[0, 2, 4]);
        assert_eq!(resume(Some(&full), HEADER, &expected), (full.clone(), 3));
        // A row cut short by a kill is dropped, and so is everything after a wrong index.
        let cut = format!("{full}6,0.6");
        assert_eq!(resume(Some(&cut), HEADER, &expected), (full.clone(), 3));
        let wrong = rows(&[0, 4]);
        assert_eq!(
            resume(Some(&wrong), HEADER, &expected),
            (rows(&[0]), 1),
            "point 4 is not the second expected"
        );
        // Another sweep's file is started afresh.
        let other = rows(&[0]).replace("y_mean", "z_mean");
        assert_eq!(
            resume(Some(&other), HEADER, &expected),
            (HEADER.to_string(), 0)
        );
        // More rows than expected: only the expected ones count.
        let more = rows(&[0, 2, 4, 6, 8]);
        assert_eq!(
            resume(Some(&more), HEADER, &expected),
            (rows(&[0, 2, 4, 6]), 4)
        );
    }

    fn shard<'a>(label: &'a str, text: &'a str) -> ShardText<'a> {
        ShardText {
            label,
            shown: "f.csv",
            text,
        }
    }

    fn merged(points: usize, shards: &[(&str, &str)]) -> Result<String, MergeError> {
        let mut read = Vec::new();
        for &(label, text) in shards {
            read.push((label.to_string(), shard_rows(HEADER, shard(label, text))?));
        }
        merge(HEADER, points, &read, "out/s")
    }

    #[test]
    fn shards_merge_into_point_order() {
        let a = rows(&[0, 2, 4]);
        let b = rows(&[1, 3]);
        let merged = merged(5, &[("shard 0 of 2", &a), ("shard 1 of 2", &b)]).unwrap();
        assert_eq!(merged, rows(&[0, 1, 2, 3, 4]));
    }

    #[test]
    fn a_merge_refuses_missing_repeated_and_extra_points() {
        let a = rows(&[0, 2, 7]);
        let b = rows(&[2, 3]);
        let e = merged(6, &[("A", &a), ("B", &b)]).unwrap_err();
        assert_eq!(
            e.0,
            "cannot merge out/s: missing points 1, 4-5 (of 0-5); points present more than once: point 2 (in A and B); points beyond the sweep's 6: 7"
        );
        let e = merged(1, &[("A", "point,x\n0,1\n")]).unwrap_err();
        assert_eq!(e.0, "A (f.csv): its header is not this sweep's");
        let cut = format!("{}1,0.1", rows(&[0]));
        let e = merged(2, &[("A", &cut)]).unwrap_err();
        assert_eq!(e.0, "A (f.csv): a line is not a complete point row");
    }
}
