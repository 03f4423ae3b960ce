//! What a run will need, estimated before it starts: memory for the replicates in flight
//! and disk for the files it writes, so that a request the machine cannot meet is refused at
//! once with the estimate and the limit (`--force` runs it anyway) instead of failing after
//! hours. The figures are those measured in `docs/performance.md`, rounded up.

/// Bytes of memory per agent of one replicate in flight. A built world holds about 190 (its
/// columns, ties and buffers), but building it peaks higher, while the ties are gathered as
/// pairs before they are packed: about 290 measured at a million and ten million agents
/// (docs/performance.md, "How it scales").
pub const MEMORY_PER_AGENT: f64 = 300.0;

/// Bytes per recorded value kept in memory (one `f64` per metric and step).
const BYTES_PER_VALUE: f64 = 8.0;

/// Bytes per value in `runs.csv` (six decimals, a comma) and in the temporary spill.
const CSV_BYTES_PER_VALUE: f64 = 10.0;

/// What a run needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub memory_bytes: f64,
    pub disk_bytes: f64,
}

/// The needs of one ensemble: `in_flight` replicates at once (twice the threads), each with
/// `agents` agents and `steps` rows of `metrics` values, `replicates` in all written to disk.
pub fn ensemble(
    agents: u32,
    steps: u32,
    metrics: usize,
    replicates: u32,
    in_flight: u32,
) -> Estimate {
    let in_flight = in_flight.min(replicates).max(1) as f64;
    let rows = steps as f64 * metrics as f64;
    Estimate {
        memory_bytes: in_flight * replicate_memory(agents as f64, rows),
        disk_bytes: disk(replicates as f64, rows, metrics),
    }
}

/// Memory of one replicate in flight with `agents` agents and `rows` recorded values (steps
/// times metrics). Takes any size, so that a request too large for its type can be priced.
pub fn replicate_memory(agents: f64, rows: f64) -> f64 {
    agents * MEMORY_PER_AGENT + rows * BYTES_PER_VALUE
}

/// Disk for `replicates` replicates of `rows` recorded values (steps times metrics) each:
/// runs.csv, the full-precision spill (removed at the end) and summary.csv, plus the plots
/// (about 100 KB per metric, SVG and PNG).
pub fn disk(replicates: f64, rows: f64, metrics: usize) -> f64 {
    let values = replicates * rows;
    values * (CSV_BYTES_PER_VALUE + BYTES_PER_VALUE)
        + rows * 8.0 * CSV_BYTES_PER_VALUE
        + metrics as f64 * 100_000.0
}

/// Bytes in words: `1.2 GB`, `340 MB`.
pub fn bytes(b: f64) -> String {
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.0} MB", b / 1e6)
    } else {
        format!("{:.0} KB", (b / 1e3).max(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_grows_with_agents_in_memory_and_replicates_on_disk() {
        let base = ensemble(5000, 687, 19, 16, 4);
        // 4 replicates of 5,000 agents in flight: about 4 MB of agents, 0.4 MB of rows each.
        assert!(
            base.memory_bytes > 4.0 * 5000.0 * 190.0 && base.memory_bytes < 10e6,
            "{base:?}"
        );
        let agents = ensemble(50_000, 687, 19, 16, 4);
        assert!(agents.memory_bytes > 9.0 * base.memory_bytes);
        let replicates = ensemble(5000, 687, 19, 160, 4);
        assert_eq!(replicates.memory_bytes, base.memory_bytes);
        assert!(replicates.disk_bytes > 5.0 * base.disk_bytes);
        // The measured historical run writes about 3 MB of CSV for 16 replicates.
        assert!(base.disk_bytes > 3e6 && base.disk_bytes < 10e6, "{base:?}");
        assert_eq!(bytes(2.5e9), "2.5 GB");
        assert_eq!(bytes(3.4e8), "340 MB");
    }
}
