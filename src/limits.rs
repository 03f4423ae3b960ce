//! What a run will need, estimated before it starts: memory for the replicates in flight,
//! disk for the files it writes, and the work (agent-steps) with the processor time it
//! means, so that a request the machine cannot meet is refused at once with the estimate
//! and the limit (`--force` runs it anyway) instead of failing after hours, and a long one
//! is said to be long before it starts. The figures are those measured in
//! `docs/performance.md`, rounded up.

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

/// Processor seconds per agent-step of the revolution model on the project's machine: a
/// step costs 105-123 ns per agent on one thread, and a whole replicate (world building
/// and output included) about 112 ns (docs/performance.md). The reference models cost
/// less; the estimate is an upper figure for them.
pub const CPU_SECONDS_PER_AGENT_STEP: f64 = 110e-9;

/// Past an hour of processor time a command says, before it starts, what it will take.
pub const WARN_CPU_SECONDS: f64 = 3_600.0;

/// Past a day of processor time (about 790 billion agent-steps, twelve hours on the
/// project's two cores) a command is refused unless `--force`: such a request is far more
/// often a slip (an `end` or an axis a few digits too long) than a plan.
pub const REFUSE_CPU_SECONDS: f64 = 86_400.0;

/// The work of a command's ensembles: `points` points (1 for a scenario), each running
/// `sides` ensembles (a map's claim and its baseline) of `replicates` replicates of
/// `agents` agents over `steps` steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Work {
    pub points: u64,
    pub sides: u32,
    pub replicates: u32,
    pub agents: u32,
    pub steps: u32,
}

/// How a piece of work compares with [`WARN_CPU_SECONDS`] and [`REFUSE_CPU_SECONDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// Runs without a word.
    Ordinary,
    /// Runs, after a warning with the estimate.
    Long,
    /// Refused unless forced.
    TooLong,
}

impl Work {
    /// One ensemble.
    pub fn ensemble(replicates: u32, agents: u32, steps: u32) -> Work {
        Work {
            points: 1,
            sides: 1,
            replicates,
            agents,
            steps,
        }
    }

    /// Replicates x agents x steps, over every point and side. A float, since the product
    /// of the largest values accepted overflows every integer type.
    pub fn agent_steps(&self) -> f64 {
        self.points as f64
            * f64::from(self.sides)
            * f64::from(self.replicates)
            * f64::from(self.agents)
            * f64::from(self.steps)
    }

    pub fn cpu_seconds(&self) -> f64 {
        self.agent_steps() * CPU_SECONDS_PER_AGENT_STEP
    }

    pub fn size(&self) -> Size {
        size(self.cpu_seconds())
    }

    /// `20,000 points x 2 sides x 8 replicates x 5,000 agents x 687 steps = 1.1 trillion
    /// agent-steps, about 1.4 CPU days`; the points and sides only when there are several.
    pub fn describe(&self) -> String {
        let mut factors = Vec::new();
        if self.points != 1 {
            factors.push(format!("{} points", thousands(self.points)));
        }
        if self.sides != 1 {
            factors.push(format!("{} sides", self.sides));
        }
        factors.push(format!("{} replicates", thousands(self.replicates.into())));
        factors.push(format!("{} agents", thousands(self.agents.into())));
        factors.push(format!("{} steps", thousands(self.steps.into())));
        format!(
            "{} = {} agent-steps, about {}",
            factors.join(" x "),
            count(self.agent_steps()),
            cpu(self.cpu_seconds())
        )
    }
}

/// Where `cpu_seconds` of processor time falls against the documented sizes.
pub fn size(cpu_seconds: f64) -> Size {
    if cpu_seconds > REFUSE_CPU_SECONDS {
        Size::TooLong
    } else if cpu_seconds > WARN_CPU_SECONDS {
        Size::Long
    } else {
        Size::Ordinary
    }
}

/// A whole number with thousands separated: `421,708`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A large count in words: `687,000`, `55 million`, `1.1 trillion`.
pub fn count(n: f64) -> String {
    let scaled = |unit: f64, word: &str| {
        let x = n / unit;
        if x < 9.95 {
            format!("{x:.1} {word}")
        } else {
            format!("{x:.0} {word}")
        }
    };
    if n < 1e6 {
        thousands(n.max(0.0).round() as u64)
    } else if n < 1e9 {
        scaled(1e6, "million")
    } else if n < 1e12 {
        scaled(1e9, "billion")
    } else if n < 1e15 {
        scaled(1e12, "trillion")
    } else {
        format!("{n:.1e}")
    }
}

/// A time in words, to two figures at most: `0.3 s`, `6 s`, `12 min`, `3.1 hours`,
/// `4.2 days`, `130 years`.
pub fn duration(seconds: f64) -> String {
    let scaled = |x: f64, word: &str| {
        if x < 9.95 {
            format!("{x:.1} {word}")
        } else {
            format!("{x:.0} {word}")
        }
    };
    if seconds < 1.0 {
        format!("{seconds:.1} s")
    } else if seconds < 60.0 {
        format!("{seconds:.0} s")
    } else if seconds < 3_600.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 86_400.0 {
        scaled(seconds / 3_600.0, "hours")
    } else if seconds < 365.0 * 86_400.0 {
        scaled(seconds / 86_400.0, "days")
    } else {
        scaled(seconds / (365.0 * 86_400.0), "years")
    }
}

/// The limit of [`REFUSE_CPU_SECONDS`] in words, for messages.
pub fn refuse_limit() -> String {
    format!(
        "more than the limit of {:.0} CPU hours a command may take unless forced",
        REFUSE_CPU_SECONDS / 3_600.0
    )
}

/// Processor time in words: `6 CPU s`, `3.1 CPU hours`.
pub fn cpu(seconds: f64) -> String {
    let words = duration(seconds);
    match words.split_once(' ') {
        Some((number, unit)) => format!("{number} CPU {unit}"),
        None => words,
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

    #[test]
    fn the_work_is_described_in_words_and_sized_against_the_documented_limits() {
        let historical = Work::ensemble(16, 5000, 687);
        assert_eq!(historical.agent_steps(), 54_960_000.0);
        assert_eq!(
            historical.describe(),
            "16 replicates x 5,000 agents x 687 steps = 55 million agent-steps, about 6 CPU s"
        );
        assert_eq!(historical.size(), Size::Ordinary);
        // The year-9999 run of the issue: 421,708 weekly steps.
        let far = Work::ensemble(16, 5000, 421_708);
        assert_eq!(far.size(), Size::Long);
        assert!(
            far.describe()
                .ends_with("34 billion agent-steps, about 1.0 CPU hours"),
            "{}",
            far.describe()
        );
        let map = Work {
            points: 20_000,
            sides: 2,
            replicates: 8,
            agents: 5000,
            steps: 687,
        };
        assert_eq!(map.size(), Size::TooLong);
        assert_eq!(
            map.describe(),
            "20,000 points x 2 sides x 8 replicates x 5,000 agents x 687 steps = 1.1 trillion agent-steps, about 1.4 CPU days"
        );
        // The largest values every type accepts do not overflow.
        let most = Work {
            points: u64::MAX,
            sides: u32::MAX,
            replicates: u32::MAX,
            agents: u32::MAX,
            steps: u32::MAX,
        };
        assert!(most.agent_steps().is_finite() && most.size() == Size::TooLong);
        assert!(most.describe().contains("e"), "{}", most.describe());
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(421_708), "421,708");
        assert_eq!(count(687_000.0), "687,000");
        assert_eq!(duration(0.34), "0.3 s");
        assert_eq!(duration(720.0), "12 min");
        assert_eq!(cpu(11_000.0), "3.1 CPU hours");
        assert_eq!(duration(4e9), "127 years");
        assert!(refuse_limit().contains("24 CPU hours"));
    }
}
