//! Reading back what a run wrote (`runs.csv`, `summary.csv`), for the commands that compare,
//! test claims on or sweep over finished runs; and [`as_written`], which rounds a value
//! computed in memory exactly as those files hold it.

use crate::metrics::{METRIC_COUNT, Row};
use crate::output::{StepStats, fixed};

/// Why a results file could not be read back.
#[derive(Debug, thiserror::Error)]
#[error("{file}: line {line}: {message}")]
pub struct ReadError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The statistics of every step from a `summary.csv` of a scenario recording `names`.
pub fn read_summary(text: &str, file: &str, names: &[&str]) -> Result<Vec<StepStats>, ReadError> {
    let fail = |line: usize, message: &str| ReadError {
        file: file.to_string(),
        line,
        message: message.to_string(),
    };
    let mut stats: Vec<StepStats> = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != 8 {
            return Err(fail(n + 1, "expected 8 columns"));
        }
        let step: usize = cells[0].parse().map_err(|_| fail(n + 1, "bad step"))?;
        let k = names
            .iter()
            .position(|m| *m == cells[2])
            .ok_or_else(|| fail(n + 1, "unknown metric"))?;
        if step >= stats.len() {
            stats.resize(step + 1, [[0.0; 5]; METRIC_COUNT]);
        }
        for (j, cell) in cells[3..].iter().enumerate() {
            stats[step][k][j] = cell.parse().map_err(|_| fail(n + 1, "bad number"))?;
        }
    }
    Ok(stats)
}

/// Every replicate's row at the last step, from a `runs.csv` with `columns` metrics.
pub fn read_final_rows(text: &str, file: &str, columns: usize) -> Result<Vec<Row>, ReadError> {
    let mut last: Vec<(u32, u32, Row)> = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let bad = || ReadError {
            file: file.to_string(),
            line: n + 1,
            message: format!("expected {} columns of numbers", 3 + columns),
        };
        if cells.len() != 3 + columns || columns > METRIC_COUNT {
            return Err(bad());
        }
        let replicate: u32 = cells[0].parse().map_err(|_| bad())?;
        let step: u32 = cells[1].parse().map_err(|_| bad())?;
        let mut row = [0.0; METRIC_COUNT];
        for (k, cell) in cells[3..].iter().enumerate() {
            row[k] = cell.parse().map_err(|_| bad())?;
        }
        match last.last_mut() {
            Some(l) if l.0 == replicate => {
                if step >= l.1 {
                    *l = (replicate, step, row);
                }
            }
            _ => last.push((replicate, step, row)),
        }
    }
    Ok(last.into_iter().map(|(_, _, row)| row).collect())
}

/// Every replicate's rows, in replicate order, from a `runs.csv` with `columns` metrics.
pub fn read_runs(text: &str, file: &str, columns: usize) -> Result<Vec<Vec<Row>>, ReadError> {
    let mut replicates: Vec<Vec<Row>> = Vec::new();
    let mut current: Option<u32> = None;
    for (n, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let bad = |message: &str| ReadError {
            file: file.to_string(),
            line: n + 1,
            message: message.to_string(),
        };
        if cells.len() != 3 + columns || columns > METRIC_COUNT {
            return Err(bad(&format!("expected {} columns of numbers", 3 + columns)));
        }
        let replicate: u32 = cells[0].parse().map_err(|_| bad("bad replicate"))?;
        let step: usize = cells[1].parse().map_err(|_| bad("bad step"))?;
        if current != Some(replicate) {
            if replicate as usize != replicates.len() {
                return Err(bad("replicates out of order"));
            }
            replicates.push(Vec::new());
            current = Some(replicate);
        }
        let rows = replicates.last_mut().ok_or_else(|| bad("no replicate"))?;
        if step != rows.len() {
            return Err(bad("steps out of order"));
        }
        let mut row = [0.0; METRIC_COUNT];
        for (k, cell) in cells[3..].iter().enumerate() {
            row[k] = cell.parse().map_err(|_| bad("bad number"))?;
        }
        rows.push(row);
    }
    Ok(replicates)
}

/// A value as `runs.csv` holds it (six decimals), so that results computed in memory agree
/// exactly with results read back from the file.
pub fn as_written(x: f64) -> f64 {
    fixed(x).parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::METRIC_NAMES;

    #[test]
    fn results_read_back_as_written() {
        let text = crate::testing::TEST_SCENARIO
            .replace("agents = 1000", "agents = 120")
            .replace("end = \"1919-12\"", "end = \"1918-03\"");
        let scenario = crate::scenario::Scenario::parse(&text, "t.toml").unwrap();
        let results = crate::ensemble::run(&scenario, 3, 3, &|_| {});
        let runs = crate::output::runs_csv(&scenario, &results);
        let rows = read_final_rows(&runs, "runs.csv", METRIC_NAMES.len()).unwrap();
        assert_eq!(rows.len(), 3);
        for (r, row) in results.iter().zip(&rows) {
            let last = r.rows.last().unwrap();
            for k in 0..METRIC_COUNT {
                assert!((last[k] - row[k]).abs() < 1e-6);
            }
        }
        let summary = crate::output::summary_csv(&scenario, &results);
        let stats = read_summary(&summary, "summary.csv", &METRIC_NAMES).unwrap();
        let direct = crate::output::summarise(&scenario, &results).stats;
        assert_eq!(stats.len(), direct.len());
        for (x, y) in stats.iter().zip(&direct) {
            for k in 0..METRIC_COUNT {
                for j in 0..5 {
                    assert!((x[k][j] - y[k][j]).abs() < 1e-6);
                }
            }
        }
    }
}
