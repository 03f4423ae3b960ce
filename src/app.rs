//! The application: owns paths, stdout, stderr and the clock; reads scenario files, runs
//! their ensembles on a rayon pool of the requested size, and writes the results.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use sovsim::scenario::Scenario;
use sovsim::{ensemble, metrics, output};

use crate::cli::{Cli, Command, CompareArgs, PathsArgs, RunArgs};

/// Exit codes.
const FAILURE: i32 = 1;
const USAGE: i32 = 2;

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Run(args) => run_command(&args),
        Command::Validate(args) => validate_command(&args),
        Command::List(args) => list_command(&args),
        Command::Explain(args) => explain_command(&args),
        Command::Compare(args) => match compare(&args) {
            Ok(()) => 0,
            Err(e) => report(e),
        },
        Command::Claims(args) => match crate::claims_command::claims(&args) {
            Ok(_) => 0,
            Err(e) => report(e),
        },
        Command::Sweep(args) => match crate::sweep_command::sweep(&args) {
            Ok(_) => 0,
            Err(e) => report(e),
        },
        Command::Merge(args) => match crate::sweep_command::merge(&args) {
            Ok(_) => 0,
            Err(e) => report(e),
        },
    }
}

/// Reads the file a scenario extends, relative to the folder of the file that extends it.
pub(crate) fn read_parent(
    child: &str,
    parent: &str,
) -> std::result::Result<(String, String), String> {
    let base = Path::new(child).parent().unwrap_or(Path::new(""));
    let path = base.join(parent);
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((path.display().to_string(), text))
}

/// The scenarios that passed their checks (with their files), and every problem found, as
/// printable text.
pub(crate) type Loaded = (Vec<(PathBuf, Scenario)>, Vec<String>);

/// Reads and checks every scenario named by the paths (all files are checked, whatever
/// fails).
pub(crate) fn load_all(paths: &[PathBuf]) -> Result<Loaded> {
    let files = scenario_files(paths)?;
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for file in &files {
        let shown = file.display().to_string();
        let text = match fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{shown}: error: cannot read: {e}"));
                continue;
            }
        };
        match Scenario::parse_with(&text, &shown, &read_parent) {
            Ok(s) => scenarios.push((file.clone(), s)),
            Err(d) => problems.push(d.to_string()),
        }
    }
    let mut names: Vec<&str> = scenarios.iter().map(|(_, s)| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        problems.push(format!("sovsim: error: two scenarios are named `{}`; names must be unique (they name the output folders)", w[0]));
    }
    Ok((scenarios, problems))
}

/// What stops an ensemble early.
#[derive(Debug)]
enum RunError {
    Interrupted,
    Output(output::OutputError),
}

/// Exit code after SIGINT or SIGTERM (128 + SIGINT, as shells report it).
const INTERRUPTED_CODE: i32 = 130;

/// Prints an error and returns its exit code.
pub(crate) fn report(e: anyhow::Error) -> i32 {
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

/// `sovsim explain`: the scenario in plain words on stdout, or its problems on stderr.
fn explain_command(args: &crate::cli::ExplainArgs) -> i32 {
    use std::io::Write as _;
    let shown = args.path.display().to_string();
    let text = match fs::read_to_string(&args.path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{shown}: error: cannot read: {e}");
            return USAGE;
        }
    };
    match sovsim::explain::explain(&text, &shown, &read_parent) {
        Ok(words) => {
            // A closed pipe (`sovsim explain x.toml | head`) is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(words.as_bytes());
            0
        }
        Err(problems) => {
            eprintln!("{problems}");
            USAGE
        }
    }
}

fn validate_command(args: &PathsArgs) -> i32 {
    match load_all(&args.paths) {
        Ok((scenarios, problems)) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            if problems.is_empty() {
                eprintln!("sovsim: {} scenario(s) valid", scenarios.len());
                0
            } else {
                USAGE
            }
        }
        Err(e) => report(e),
    }
}

fn list_command(args: &PathsArgs) -> i32 {
    use std::io::Write as _;
    match load_all(&args.paths) {
        Ok((scenarios, problems)) => {
            let mut table = String::from("name\tstart\tend\tagents\treplicates\tdescription\n");
            for (_, s) in &scenarios {
                table.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    s.name,
                    s.calendar.date(0),
                    s.calendar.date(s.steps().saturating_sub(1)),
                    s.agents(),
                    s.replicates,
                    s.description
                ));
            }
            // A closed pipe (`sovsim list | head -1`) is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(table.as_bytes());
            for problem in &problems {
                eprintln!("{problem}");
            }
            if problems.is_empty() { 0 } else { USAGE }
        }
        Err(e) => report(e),
    }
}

/// An error worth its own exit code: the input was wrong, not the run.
#[derive(Debug)]
pub(crate) struct InvalidInput(pub(crate) String);

impl std::fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidInput {}

fn run_command(args: &RunArgs) -> i32 {
    match run_scenarios(args) {
        Ok(()) => 0,
        Err(e) => report(e),
    }
}

/// The scenario files named by the paths: files as given, folders' `*.toml` files sorted by
/// name (not recursive: subfolders hold other file kinds).
pub(crate) fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    // The shipped scenarios, and the published reference models beside them.
    let mut defaults = vec![PathBuf::from("scenarios")];
    if Path::new(REFERENCE).is_dir() {
        defaults.push(PathBuf::from(REFERENCE));
    }
    toml_files(paths, &defaults, "scenario")
}

/// The files named, with each folder standing for its `*.toml` files in name order; the
/// `defaults` when none is named. A folder without such files or a path that does not exist
/// is an error naming `what` the files should be.
pub(crate) fn toml_files(
    paths: &[PathBuf],
    defaults: &[PathBuf],
    what: &str,
) -> Result<Vec<PathBuf>> {
    let paths = if paths.is_empty() { defaults } else { paths };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = toml_files_in(path)?;
            if found.is_empty() {
                return Err(InvalidInput(format!(
                    "sovsim: error: no {what} files (*.toml) in {}",
                    path.display()
                ))
                .into());
            }
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(InvalidInput(format!(
                "sovsim: error: no such file or folder: {}",
                path.display()
            ))
            .into());
        }
    }
    Ok(files)
}

/// The `*.toml` files directly in a folder, in name order.
pub(crate) fn toml_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot read folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    found.sort();
    Ok(found)
}

fn run_scenarios(args: &RunArgs) -> Result<()> {
    // Check every file before running any.
    let (scenarios, problems) = load_all(&args.paths)?;
    if !problems.is_empty() {
        return Err(InvalidInput(problems.join("\n")).into());
    }
    run_loaded(args, &scenarios)?;
    // The main job (no paths: every shipped scenario) also tests the essays' claims and
    // writes the demonstrations and an index of everything.
    if args.paths.is_empty() && !args.no_plots {
        let claims = if Path::new(CLAIMS).is_dir() {
            let claims_args = crate::cli::ClaimsArgs {
                paths: Vec::new(),
                ensemble: args.ensemble.clone(),
                no_sensitivity: false,
            };
            Some(crate::claims_command::claims(&claims_args)?)
        } else {
            None
        };
        let sweeps = shipped_sweeps(args)?;
        demonstrations(args, &scenarios, claims.is_some(), &sweeps)?;
    }
    Ok(())
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

/// Before anything runs: the output folder must be writable, and the estimated memory (of
/// the largest ensemble) and disk (of all of them) must fit this machine, unless `force`.
/// The estimate and the limit are in the message.
pub(crate) fn preflight(
    out: &Path,
    needs: &[(String, sovsim::limits::Estimate)],
    force: bool,
) -> Result<()> {
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
    use sovsim::limits::bytes;
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
            sovsim::limits::MEMORY_PER_AGENT,
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
pub(crate) fn needs(
    scenarios: &[(PathBuf, Scenario)],
    replicates: Option<u32>,
    threads: usize,
) -> Vec<(String, sovsim::limits::Estimate)> {
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

/// Set when SIGINT or SIGTERM arrives: runs stop between replicates, sweep points and
/// sensitivity variants, keeping what is complete.
pub(crate) static INTERRUPTED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Why a run stopped early.
#[derive(Debug)]
pub(crate) struct Interrupted(pub(crate) String);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}

/// Runs checked scenarios and writes their files.
pub(crate) fn run_loaded(args: &RunArgs, scenarios: &[(PathBuf, Scenario)]) -> Result<()> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = args.ensemble.jobs {
        pool = pool.num_threads(jobs as usize);
    }
    let pool = pool.build().context("cannot start worker threads")?;
    preflight(
        &args.ensemble.out,
        &needs(
            scenarios,
            args.ensemble.replicates,
            pool.current_num_threads(),
        ),
        args.ensemble.force,
    )?;
    let mut written: Vec<String> = Vec::new();

    let started = Instant::now();
    let mut agent_steps = 0f64;
    let mut replicates_run = 0u64;
    let total: u64 = scenarios
        .iter()
        .map(|(_, s)| args.ensemble.replicates.unwrap_or(s.replicates) as u64)
        .sum();
    // Drawn only on a terminal (indicatif hides it otherwise) and never with --quiet.
    let bar = if args.ensemble.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:.bold} [{bar:30}] {pos}/{len} replicates, {msg}, ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    // A line above the bar on a terminal; a plain line on stderr otherwise (a hidden bar
    // prints nothing).
    let say = |line: String| {
        if bar.is_hidden() {
            eprintln!("{line}");
        } else {
            bar.println(line);
        }
    };
    let batch = 2 * pool.current_num_threads() as u32;
    for (file, scenario) in scenarios {
        let seed = args.ensemble.seed.unwrap_or(scenario.seed);
        let replicates = args.ensemble.replicates.unwrap_or(scenario.replicates);
        let dir = args.ensemble.out.join(&scenario.name);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        if !args.ensemble.quiet {
            say(format!(
                "sovsim: running {} ({} replicates x {} steps x {} agents)",
                scenario.name,
                replicates,
                scenario.steps(),
                scenario.agents()
            ));
        }
        bar.set_prefix(scenario.name.clone());
        let t0 = Instant::now();
        let per_replicate = scenario.steps() as f64 * scenario.agents() as f64;
        let before = agent_steps;
        let mut writer = output::EnsembleWriter::create(&dir, scenario)?;
        let progress = |_: u32| bar.inc(1);
        let stopped = pool.install(|| {
            ensemble::run_in_order(scenario, seed, replicates, batch, &progress, |result| {
                if interrupted() {
                    return Err(RunError::Interrupted);
                }
                writer.add(scenario, &result).map_err(RunError::Output)?;
                let done = before + (result.replicate + 1) as f64 * per_replicate;
                let wall = started.elapsed().as_secs_f64().max(1e-9);
                bar.set_message(format!("{:.2e} agent-steps/s", done / wall));
                Ok::<(), RunError>(())
            })
        });
        match stopped {
            Ok(()) => {}
            Err(RunError::Interrupted) => {
                // The writer's temporary files go with it; nothing half-made is left.
                drop(writer);
                bar.finish_and_clear();
                let done = if written.is_empty() {
                    "nothing was complete".to_string()
                } else {
                    format!("complete: {}", written.join(", "))
                };
                return Err(Interrupted(format!(
                    "sovsim: interrupted: {} was not finished and nothing of it was written; {done}",
                    scenario.name
                ))
                .into());
            }
            Err(RunError::Output(e)) => {
                return Err(anyhow::Error::new(e).context(format!("scenario {}", scenario.name)));
            }
        }
        let summary = writer
            .finish(scenario)
            .with_context(|| format!("scenario {}", scenario.name))?;
        if !args.no_plots {
            let svgs = sovsim::plot::write_plots(&dir.join("plots"), scenario, &summary)
                .with_context(|| format!("plots of scenario {}", scenario.name))?;
            let names = scenario.metric_names();
            let all: Vec<usize> = (0..names.len()).collect();
            let rows = sovsim::compare::comparison(
                &[(scenario.name.clone(), summary.finals.clone())],
                names,
                &all,
                seed,
            );
            let plots: Vec<sovsim::report::ReportPlot> = svgs
                .into_iter()
                .map(|(metric, svg)| sovsim::report::ReportPlot {
                    metric,
                    name: names[metric],
                    svg,
                })
                .collect();
            let mut command = format!("sovsim run {}", file.display());
            if let Some(r) = args.ensemble.replicates {
                command.push_str(&format!(" --replicates {r}"));
            }
            if let Some(s) = args.ensemble.seed {
                command.push_str(&format!(" --seed {s}"));
            }
            command.push_str(&format!(" --out {}", args.ensemble.out.display()));
            let html = sovsim::report::render(
                &scenario.name,
                &[described(scenario, seed, replicates)],
                None,
                &plots,
                &rows,
                &command,
            )
            .context("the report")?;
            write(&dir.join("report.html"), html.as_bytes())?;
        }
        let elapsed = t0.elapsed().as_secs_f64();
        let work = replicates as f64 * per_replicate;
        agent_steps += work;
        replicates_run += replicates as u64;
        let manifest = output::Manifest {
            sovsim_version: env!("CARGO_PKG_VERSION"),
            scenario: &scenario.name,
            scenario_file: file.display().to_string(),
            scenario_files: scenario.files.clone(),
            scenario_sha256: &scenario.sha256,
            seed,
            replicates,
            steps: scenario.steps(),
            agents: scenario.agents(),
            start: scenario.calendar.date(0).to_string(),
            end: scenario
                .calendar
                .date(scenario.steps().saturating_sub(1))
                .to_string(),
            metrics: scenario.metric_names().to_vec(),
            elapsed_seconds: elapsed,
            agent_steps_per_second: if elapsed > 0.0 { work / elapsed } else { 0.0 },
        };
        write(&dir.join("manifest.json"), manifest.to_json().as_bytes())?;
        written.push(dir.display().to_string());
        if !args.ensemble.quiet {
            say(format!(
                "sovsim: wrote {} in {:.1} s ({:.2e} agent-steps/s)",
                dir.display(),
                elapsed,
                manifest.agent_steps_per_second
            ));
        }
    }
    bar.finish_and_clear();
    if !args.ensemble.quiet {
        let wall = started.elapsed().as_secs_f64();
        eprintln!(
            "sovsim: {} scenario(s), {} replicate(s) in {:.1} s ({:.2e} agent-steps/s)",
            scenarios.len(),
            replicates_run,
            wall,
            if wall > 0.0 { agent_steps / wall } else { 0.0 }
        );
    }
    Ok(())
}

/// Whether `OUT/<name>/` already holds a complete run of this scenario (same files, by their
/// hash), seed and replicates, by this version of sovsim.
pub(crate) fn reusable(out: &Path, scenario: &Scenario, seed: u64, replicates: u32) -> bool {
    let dir = out.join(&scenario.name);
    let Ok(text) = fs::read_to_string(dir.join("manifest.json")) else {
        return false;
    };
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    manifest["scenario_sha256"] == scenario.sha256.as_str()
        && manifest["seed"] == seed
        && manifest["replicates"] == replicates
        && manifest["sovsim_version"] == env!("CARGO_PKG_VERSION")
        && dir.join("runs.csv").is_file()
        && dir.join("summary.csv").is_file()
}

/// `sovsim compare`.
fn compare(args: &CompareArgs) -> Result<()> {
    compare_with(args).map(|_| ())
}

/// Runs what is not already run, then writes the comparison; returns its folder.
fn compare_with(args: &CompareArgs) -> Result<PathBuf> {
    let (scenarios, problems) = load_all(&args.paths)?;
    if !problems.is_empty() {
        return Err(InvalidInput(problems.join("\n")).into());
    }
    // Scenarios are compared metric by metric: they must record the same ones.
    let metric_names = scenarios[0].1.metric_names();
    if let Some((_, other)) = scenarios
        .iter()
        .find(|(_, s)| s.metric_names() != metric_names)
    {
        return Err(InvalidInput(format!(
            "sovsim: error: {} and {} record different metrics ({} against {}); only scenarios of the same model can be compared",
            scenarios[0].1.name,
            other.name,
            metric_names.join(", "),
            other.metric_names().join(", ")
        ))
        .into());
    }
    let mut metrics = Vec::new();
    for name in &args.metrics {
        match metric_names.iter().position(|m| m == name) {
            Some(k) => metrics.push(k),
            None => {
                return Err(InvalidInput(format!(
                    "sovsim: error: unknown metric `{name}`{}; expected one of {}",
                    sovsim::scenario::suggest(name, metric_names.iter().copied()),
                    metric_names.join(", ")
                ))
                .into());
            }
        }
    }
    if metrics.is_empty() {
        metrics = (0..metric_names.len()).collect();
    }
    let settings = |s: &Scenario| {
        (
            args.ensemble.seed.unwrap_or(s.seed),
            args.ensemble.replicates.unwrap_or(s.replicates),
        )
    };
    let stale: Vec<(PathBuf, Scenario)> = scenarios
        .iter()
        .filter(|(_, s)| {
            let (seed, replicates) = settings(s);
            !reusable(&args.ensemble.out, s, seed, replicates)
        })
        .cloned()
        .collect();
    if !stale.is_empty() {
        let run = RunArgs {
            paths: Vec::new(),
            ensemble: args.ensemble.clone(),
            no_plots: false,
        };
        run_loaded(&run, &stale)?;
    }
    let mut finals = Vec::new();
    let mut stats = Vec::new();
    for (_, s) in &scenarios {
        let dir = args.ensemble.out.join(&s.name);
        let read = |name: &str| {
            let path = dir.join(name);
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
        };
        let summary = read("summary.csv")?;
        let runs = read("runs.csv")?;
        stats.push(sovsim::compare::read_summary(
            &summary,
            "summary.csv",
            s.metric_names(),
        )?);
        finals.push((
            s.name.clone(),
            sovsim::compare::read_final_rows(&runs, "runs.csv", s.metric_names().len())?,
        ));
    }
    let names: Vec<&str> = scenarios.iter().map(|(_, s)| s.name.as_str()).collect();
    let dir = args
        .ensemble
        .out
        .join(format!("compare-{}", names.join("-")));
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let seed = settings(&scenarios[0].1).0;
    let rows = sovsim::compare::comparison(&finals, metric_names, &metrics, seed);
    write(
        &dir.join("comparison.csv"),
        sovsim::compare::comparison_csv(&rows).as_bytes(),
    )?;
    let lines: Vec<sovsim::plot::Overlay> = scenarios
        .iter()
        .zip(&stats)
        .map(|((_, s), st)| sovsim::plot::Overlay {
            name: &s.name,
            metrics: s.metric_names(),
            calendar: s.calendar,
            stats: st,
        })
        .collect();
    let title = names.join(" vs ");
    let svgs =
        sovsim::plot::write_overlays(&dir, &title, &lines, &metrics).context("comparison plots")?;
    // The overview shows the revolution model's main questions; a reference model has none.
    let overview = if metric_names == metrics::METRIC_NAMES {
        Some(sovsim::plot::write_overview(&dir, &title, &lines).context("the overview plot")?)
    } else {
        None
    };
    let described: Vec<sovsim::report::ReportScenario> = scenarios
        .iter()
        .map(|(_, s)| {
            let (seed, replicates) = settings(s);
            described(s, seed, replicates)
        })
        .collect();
    let plots: Vec<sovsim::report::ReportPlot> = svgs
        .into_iter()
        .map(|(metric, svg)| sovsim::report::ReportPlot {
            metric,
            name: metric_names[metric],
            svg,
        })
        .collect();
    let mut command = String::from("sovsim compare");
    for path in &args.paths {
        command.push(' ');
        command.push_str(&path.display().to_string());
    }
    if !args.metrics.is_empty() {
        command.push_str(&format!(" --metrics {}", args.metrics.join(",")));
    }
    if let Some(r) = args.ensemble.replicates {
        command.push_str(&format!(" --replicates {r}"));
    }
    if let Some(seed) = args.ensemble.seed {
        command.push_str(&format!(" --seed {seed}"));
    }
    command.push_str(&format!(" --out {}", args.ensemble.out.display()));
    let html = sovsim::report::render(
        &title,
        &described,
        overview.as_deref(),
        &plots,
        &rows,
        &command,
    )
    .context("the report")?;
    write(&dir.join("report.html"), html.as_bytes())?;
    if !args.ensemble.quiet {
        eprintln!("sovsim: wrote {}", dir.display());
    }
    Ok(dir)
}

/// A scenario as a report describes it.
pub(crate) fn described(
    s: &Scenario,
    seed: u64,
    replicates: u32,
) -> sovsim::report::ReportScenario {
    sovsim::report::ReportScenario {
        name: s.name.clone(),
        description: s.description.clone(),
        files: s.files.clone(),
        sha256: s.sha256.clone(),
        seed,
        replicates,
        steps: s.steps(),
        agents: s.agents(),
        start: s.calendar.date(0).to_string(),
        end: s.calendar.date(s.steps().saturating_sub(1)).to_string(),
    }
}

/// The comparisons the essays' main contrasts call for (`essays/INDEX.md`, "Where they
/// disagree"), written by the main job, `run` with no paths.
const DEMONSTRATIONS: [(&str, &str); 8] = [
    ("historical", "factions_allowed"),
    ("historical", "multi_party_soviets"),
    ("historical", "world_revolution_1923"),
    ("factions_allowed", "informal_suppression_1918"),
    ("historical", "no_civil_war"),
    ("historical", "favourable_circumstances"),
    ("historical", "commune_state"),
    ("multi_party_soviets", "free_press_for_all"),
];

/// Where the main job finds the sweep files.
const SWEEPS: &str = "scenarios/sweeps";

/// The main job's sweeps: every `scenarios/sweeps/*.toml`, each into `OUT/<name>/`;
/// returns each sweep's name and description for the index.
fn shipped_sweeps(args: &RunArgs) -> Result<Vec<(String, String)>> {
    let dir = Path::new(SWEEPS);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut done = Vec::new();
    for file in toml_files_in(dir)? {
        let sweep_args = crate::cli::SweepArgs {
            file: file.clone(),
            out: args.ensemble.out.clone(),
            jobs: args.ensemble.jobs,
            shard: None,
            quiet: args.ensemble.quiet,
            force: args.ensemble.force,
        };
        let out = crate::sweep_command::sweep(&sweep_args)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let description = fs::read_to_string(&file)
            .ok()
            .and_then(|t| sovsim::sweep::parse(&t, "").ok())
            .map(|s| s.description)
            .unwrap_or_default();
        done.push((name, description));
    }
    Ok(done)
}

/// Where the main job finds the claims files.
pub(crate) const CLAIMS: &str = "scenarios/claims";

/// Where the reference models' scenarios are (read by default with `scenarios/`).
const REFERENCE: &str = "scenarios/reference";

/// After the main job: the demonstrations and `OUT/index.html` linking every report (and
/// the claims page, when the claims were tested).
fn demonstrations(
    args: &RunArgs,
    scenarios: &[(PathBuf, Scenario)],
    with_claims: bool,
    sweeps: &[(String, String)],
) -> Result<()> {
    let file_of = |name: &str| {
        scenarios
            .iter()
            .find(|(_, s)| s.name == name)
            .map(|(f, s)| (f.clone(), s.description.clone()))
    };
    let mut comparisons = Vec::new();
    for (a, b) in DEMONSTRATIONS {
        let (Some((fa, _)), Some((fb, db))) = (file_of(a), file_of(b)) else {
            continue;
        };
        let compare_args = CompareArgs {
            paths: vec![fa, fb],
            metrics: Vec::new(),
            ensemble: args.ensemble.clone(),
        };
        let dir = compare_with(&compare_args)?;
        let folder = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        comparisons.push(sovsim::report::IndexEntry {
            title: format!("{a} vs {b}"),
            href: format!("{folder}/report.html"),
            description: db,
        });
    }
    let entries: Vec<sovsim::report::IndexEntry> = scenarios
        .iter()
        .map(|(_, s)| sovsim::report::IndexEntry {
            title: s.name.clone(),
            href: format!("{}/report.html", s.name),
            description: s.description.clone(),
        })
        .collect();
    let claims = with_claims.then(|| sovsim::report::IndexEntry {
        title: "The essays' claims as experiments".to_string(),
        href: "claims/claims.html".to_string(),
        description: "Each essay's arguments tested in the model: verdicts, intervals, and what they depend on.".to_string(),
    });
    let sweeps: Vec<sovsim::report::IndexEntry> = sweeps
        .iter()
        .map(|(name, description)| sovsim::report::IndexEntry {
            title: name.clone(),
            href: format!("{name}/sweep.html"),
            description: description.clone(),
        })
        .collect();
    let html = sovsim::report::render_index(claims.as_ref(), &comparisons, &sweeps, &entries)
        .context("the index")?;
    write(&args.ensemble.out.join("index.html"), html.as_bytes())?;
    if !args.ensemble.quiet {
        eprintln!(
            "sovsim: wrote {}",
            args.ensemble.out.join("index.html").display()
        );
    }
    Ok(())
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    output::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
