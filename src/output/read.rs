//! Reading back what a run wrote (`runs.csv`, `summary.csv`, `decisions.csv`), for the
//! commands that compare, test claims on or sweep over finished runs; and [`as_written`],
//! which rounds a value computed in memory exactly as those files hold it.

use crate::metrics::{METRIC_COUNT, Row};
use crate::model::{Calendar, Decision, DecisionRecord};
use crate::output::{DECISIONS_HEADER, StepStats, fixed};

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

/// Every replicate's decisions, in replicate order and then in the order taken, from a
/// `decisions.csv` of a run of `replicates` replicates on `calendar`. A replicate that took
/// no decision has no row, so the count comes from the caller; each date must be one of
/// the calendar's steps, as the run wrote it.
pub fn read_decisions(
    text: &str,
    file: &str,
    calendar: &Calendar,
    replicates: u32,
) -> Result<Vec<Vec<DecisionRecord>>, ReadError> {
    let fail = |line: usize, message: String| ReadError {
        file: file.to_string(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    match records.next() {
        Some(Ok(header)) if header.iter().eq(DECISIONS_HEADER) => {}
        _ => {
            return Err(fail(
                1,
                format!("expected the header {}", DECISIONS_HEADER.join(",")),
            ));
        }
    }
    let mut out: Vec<Vec<DecisionRecord>> = vec![Vec::new(); replicates as usize];
    let mut last = (0u32, 0u32);
    for record in records {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            fail(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let bad = |message: &str| fail(line, message.to_string());
        if record.len() != DECISIONS_HEADER.len() {
            return Err(bad("expected 5 columns"));
        }
        let replicate: u32 = record[0].parse().map_err(|_| bad("bad replicate"))?;
        if replicate >= replicates {
            return Err(fail(
                line,
                format!("replicate {replicate} in a run of {replicates}"),
            ));
        }
        let (date, _) = crate::date::Date::parse(&record[1]).map_err(|_| bad("bad date"))?;
        let step = calendar.step_on_or_after(date);
        if step >= calendar.steps || calendar.date(step) != date {
            return Err(bad("the date is not a step of the scenario's calendar"));
        }
        if (replicate, step) < last {
            return Err(bad("rows out of order"));
        }
        last = (replicate, step);
        let decision = Decision::parse(&record[2]).ok_or_else(|| bad("unknown decision"))?;
        out[replicate as usize].push(DecisionRecord {
            step,
            decision,
            target: record[3].to_string(),
            why: record[4].to_string(),
        });
    }
    Ok(out)
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
        let decisions = crate::output::decisions_csv(&scenario, &results);
        let read = read_decisions(&decisions, "decisions.csv", &scenario.calendar, 3).unwrap();
        let taken: Vec<Vec<DecisionRecord>> = results.iter().map(|r| r.decisions.clone()).collect();
        assert_eq!(read, taken);
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

    fn decision(step: u32, decision: Decision, target: &str, why: &str) -> DecisionRecord {
        DecisionRecord {
            step,
            decision,
            target: target.into(),
            why: why.into(),
        }
    }

    /// Decisions made by hand (a reason with a comma and quotes, an empty target, a
    /// replicate with none) are written quoted and read back as they were.
    #[test]
    fn decisions_are_written_quoted_and_read_back() {
        let scenario =
            crate::scenario::Scenario::parse(crate::testing::TEST_SCENARIO, "t.toml").unwrap();
        let result =
            |replicate: u32, decisions: Vec<DecisionRecord>| crate::ensemble::ReplicateResult {
                replicate,
                rows: Vec::new(),
                decisions,
            };
        let results = [
            result(
                0,
                vec![
                    decision(3, Decision::BanParty, "kadets", "threat 0.8, \"hostile\""),
                    decision(9, Decision::Purge, "careerists", "pinned"),
                ],
            ),
            result(1, vec![]),
            result(2, vec![decision(0, Decision::Concede, "", "famine 0.4")]),
        ];
        let text = crate::output::decisions_csv(&scenario, &results);
        let date = |step: u32| scenario.calendar.date(step).to_string();
        assert_eq!(
            text,
            format!(
                "replicate,date,decision,target,why\n\
                 0,{},ban_party,kadets,\"threat 0.8, \"\"hostile\"\"\"\n\
                 0,{},purge,careerists,pinned\n\
                 2,{},concede,,famine 0.4\n",
                date(3),
                date(9),
                date(0)
            )
        );
        let read = read_decisions(&text, "decisions.csv", &scenario.calendar, 3).unwrap();
        let expected: Vec<Vec<DecisionRecord>> =
            results.iter().map(|r| r.decisions.clone()).collect();
        assert_eq!(read, expected);
        // A header alone (a reference model's file) is every replicate with none.
        let empty = read_decisions(
            "replicate,date,decision,target,why\n",
            "decisions.csv",
            &scenario.calendar,
            2,
        )
        .unwrap();
        assert_eq!(empty, vec![Vec::new(), Vec::new()]);
        // What a run could not have written is refused, with its line.
        let line = |row: &str| format!("replicate,date,decision,target,why\n{row}\n");
        for (row, replicates) in [
            (format!("0,{},ban_faction,,x", date(1)), 3),
            (format!("3,{},purge,,x", date(1)), 3),
            ("0,1917-11-02,purge,,x".to_string(), 3),
            (format!("0,{},purge,x", date(1)), 3),
        ] {
            let e = read_decisions(&line(&row), "decisions.csv", &scenario.calendar, replicates)
                .unwrap_err();
            assert_eq!(e.line, 2, "{row}: {e}");
        }
        assert!(read_decisions("step,date\n", "decisions.csv", &scenario.calendar, 1).is_err());
    }
}
