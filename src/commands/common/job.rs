//! The main job's bookkeeping, shared by the commands it is made of: which stage it is in,
//! how long each stage took, how many ensembles each ran and reused, and its progress on a
//! terminal. Outside the main job (a command run on its own) nothing is recorded and the
//! functions here only print.
//!
//! Progress is counted in agent-steps (replicates x agents x steps), the unit the model's
//! cost is linear in, so that one bar can span stages of very different ensembles. The main
//! job plans every stage's work before it starts; work a stage finds already done (a reused
//! run, a cached verdict, a point already in its file) is taken off the plan rather than
//! counted as done, so the time left is estimated from work actually run. Bars are drawn
//! only when stderr is a terminal and the job is not quiet; otherwise the lines that
//! describe the work are printed as they come, one a line.

use std::io::IsTerminal as _;
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What one stage of the main job did.
#[derive(Clone, Debug, PartialEq)]
pub struct StageRecord {
    pub name: &'static str,
    pub seconds: f64,
    /// Processor time of the whole process (every thread, user and system) in the stage:
    /// on a machine shared with other work, a steadier measure of the stage's cost than
    /// the wall clock.
    pub cpu_seconds: f64,
    /// Ensembles run (a scenario, a variant or a point, with its seed and replicates).
    pub run: u64,
    /// Ensembles asked for and found already done (a matching run, a cached verdict, a
    /// point already in its points file).
    pub reused: u64,
    pub replicates: u64,
}

struct Job {
    started: Instant,
    stages: Vec<StageRecord>,
    /// The stage being timed: its index in `stages`, since when, and the processor time
    /// used by then.
    current: Option<(usize, Instant, f64)>,
    /// Each stage's planned work, in agent-steps.
    plan: Vec<(&'static str, u64)>,
    bars: Option<Bars>,
}

#[derive(Clone)]
struct Bars {
    multi: MultiProgress,
    overall: ProgressBar,
    stage: ProgressBar,
}

static JOB: Mutex<Option<Job>> = Mutex::new(None);

fn with<T>(f: impl FnOnce(&mut Job) -> T) -> Option<T> {
    let mut guard = JOB.lock().unwrap_or_else(|e| e.into_inner());
    guard.as_mut().map(f)
}

fn bars() -> Option<Bars> {
    with(|j| j.bars.clone()).flatten()
}

/// Starts the main job's bookkeeping with each stage's planned work (agent-steps); bars
/// are drawn when stderr is a terminal and not `quiet`.
pub fn start(plan: Vec<(&'static str, u64)>, quiet: bool) {
    let total: u64 = plan.iter().map(|(_, w)| w).sum();
    let bars = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let overall = multi.add(ProgressBar::new(total.max(1)));
        overall.set_style(style(
            "{prefix:.bold} [{bar:30}] {percent:>3}%  {elapsed} so far, about {eta} left",
        ));
        overall.set_prefix("main job  ");
        let stage = multi.add(ProgressBar::new(1));
        stage.set_style(style(
            "{prefix:.bold} [{bar:30}] {percent:>3}%  about {eta} left: {msg}",
        ));
        Bars {
            multi,
            overall,
            stage,
        }
    });
    let mut guard = JOB.lock().unwrap_or_else(|e| e.into_inner());
    *guard = Some(Job {
        started: Instant::now(),
        stages: Vec::new(),
        current: None,
        plan,
        bars,
    });
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// Whether the main job is running (and so recording).
pub fn active() -> bool {
    with(|_| ()).is_some()
}

/// Enters a stage: the one before is timed up to now. A stage entered again adds to its
/// record (the claims' page is drawn after their sensitivity runs, and counted with the
/// claims).
pub fn stage(name: &'static str) {
    with(|j| {
        close(j);
        let k = match j.stages.iter().position(|s| s.name == name) {
            Some(k) => k,
            None => {
                j.stages.push(StageRecord {
                    name,
                    seconds: 0.0,
                    cpu_seconds: 0.0,
                    run: 0,
                    reused: 0,
                    replicates: 0,
                });
                j.stages.len() - 1
            }
        };
        j.current = Some((k, Instant::now(), cpu_time()));
        let planned: u64 = j
            .plan
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, w)| w)
            .sum();
        if let Some(b) = &j.bars {
            b.stage.reset();
            b.stage.set_length(planned.max(1));
            b.stage.set_prefix(format!("{name:<10}"));
            b.stage.set_message("");
        }
    });
}

fn close(j: &mut Job) {
    if let Some((k, since, cpu)) = j.current.take() {
        j.stages[k].seconds += since.elapsed().as_secs_f64();
        j.stages[k].cpu_seconds += (cpu_time() - cpu).max(0.0);
    }
}

/// The processor time this process has used, user and system, in seconds (0 where it
/// cannot be read).
fn cpu_time() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct owned here.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// An ensemble of `replicates` replicates is about to run. Returns what to call as each
/// replicate finishes (from any thread), with the replicate's work in agent-steps.
pub fn ensemble_run(replicates: u32) -> Option<Progress> {
    with(|j| {
        if let Some((k, _, _)) = j.current {
            j.stages[k].run += 1;
            j.stages[k].replicates += u64::from(replicates);
        }
    });
    bars().map(|b| Progress {
        overall: b.overall,
        stage: b.stage,
    })
}

/// The bars one ensemble's replicates move.
pub struct Progress {
    overall: ProgressBar,
    stage: ProgressBar,
}

impl Progress {
    pub fn advance(&self, work: u64) {
        self.overall.inc(work);
        self.stage.inc(work);
    }
}

/// `ensembles` ensembles, of `work` agent-steps in all, were found done: they are counted
/// as reused and taken off the work left.
pub fn reused(ensembles: u64, work: u64) {
    with(|j| {
        if let Some((k, _, _)) = j.current {
            j.stages[k].reused += ensembles;
        }
        if let Some(b) = &j.bars {
            for bar in [&b.overall, &b.stage] {
                let length = bar.length().unwrap_or(0);
                bar.set_length(length.saturating_sub(work).max(bar.position()).max(1));
            }
        }
    });
}

/// A line worth keeping (a folder written, a tally): printed above the bars when they are
/// drawn, else on stderr.
pub fn say(line: String) {
    match bars() {
        Some(b) => {
            let _ = b.multi.println(line);
        }
        None => eprintln!("{line}"),
    }
}

/// A line that only says what is being done now (a point, a variant): the stage bar's
/// message when bars are drawn, else a line on stderr.
pub fn note(line: String) {
    match bars() {
        Some(b) => b
            .stage
            .set_message(line.trim_start_matches("sovsim: ").to_string()),
        None => eprintln!("{line}"),
    }
}

/// A bar of the current command's own (a scenario's replicates), drawn with the main
/// job's bars when they are drawn.
pub fn add_bar(bar: ProgressBar) -> ProgressBar {
    match bars() {
        Some(b) => b.multi.insert_before(&b.overall, bar),
        None => bar,
    }
}

/// Ends the bookkeeping: the bars are cleared, and every stage's record is returned with
/// the job's whole time.
pub fn finish() -> (Vec<StageRecord>, f64) {
    let mut guard = JOB.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut j) = guard.take() else {
        return (Vec::new(), 0.0);
    };
    close(&mut j);
    if let Some(b) = &j.bars {
        b.stage.finish_and_clear();
        b.overall.finish_and_clear();
        let _ = b.multi.clear();
    }
    (j.stages, j.started.elapsed().as_secs_f64())
}

/// One row of the timings: stage, wall seconds, CPU seconds, ensembles run and reused,
/// replicates run.
type TimingRow<'a> = (&'a str, f64, f64, u64, u64, u64);

/// A row per stage, then the total's (its wall time measured, the rest summed).
fn timing_rows(stages: &[StageRecord], total: f64) -> Vec<TimingRow<'_>> {
    let mut rows: Vec<TimingRow> = stages
        .iter()
        .map(|s| {
            (
                s.name,
                s.seconds,
                s.cpu_seconds,
                s.run,
                s.reused,
                s.replicates,
            )
        })
        .collect();
    rows.push((
        "total",
        total,
        stages.iter().map(|s| s.cpu_seconds).sum(),
        stages.iter().map(|s| s.run).sum(),
        stages.iter().map(|s| s.reused).sum(),
        stages.iter().map(|s| s.replicates).sum(),
    ));
    rows
}

/// `OUT/timings.csv`: `stage,seconds,cpu_seconds,ensembles_run,ensembles_reused,
/// replicates_run`, a row per stage and a total.
pub fn timings_csv(stages: &[StageRecord], total: f64) -> String {
    let mut out =
        String::from("stage,seconds,cpu_seconds,ensembles_run,ensembles_reused,replicates_run\n");
    for (name, s, c, r, u, n) in timing_rows(stages, total) {
        out.push_str(&format!("{name},{s:.1},{c:.1},{r},{u},{n}\n"));
    }
    out
}

/// The same as a table for the terminal.
pub fn timings_table(stages: &[StageRecord], total: f64) -> String {
    let mut out = format!(
        "{:<20} {:>9} {:>9} {:>8} {:>8} {:>11}\n",
        "stage", "seconds", "cpu", "run", "reused", "replicates"
    );
    for (name, s, c, r, u, n) in timing_rows(stages, total) {
        out.push_str(&format!(
            "{name:<20} {s:>9.1} {c:>9.1} {r:>8} {u:>8} {n:>11}\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timings_have_a_row_a_stage_and_a_total() {
        let stages = vec![
            StageRecord {
                name: "scenarios",
                seconds: 1.5,
                cpu_seconds: 2.5,
                run: 3,
                reused: 1,
                replicates: 48,
            },
            StageRecord {
                name: "maps",
                seconds: 2.0,
                cpu_seconds: 0.5,
                run: 0,
                reused: 50,
                replicates: 0,
            },
        ];
        assert_eq!(
            timings_csv(&stages, 3.5),
            "stage,seconds,cpu_seconds,ensembles_run,ensembles_reused,replicates_run\n\
             scenarios,1.5,2.5,3,1,48\nmaps,2.0,0.5,0,50,0\ntotal,3.5,3.0,3,51,48\n"
        );
        assert!(timings_table(&stages, 3.5).lines().count() == 4);
    }
}
