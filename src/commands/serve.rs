//! `sovsim serve`: the classroom lab, a small web server on this machine. It serves one page
//! (compiled into the binary, no framework fetched at run time) and a small JSON API the
//! page and a notebook use alike (docs/lab.md): the library, a check of an experiment, a run
//! streamed as server-sent events, and a claim evaluated on the spot. The logic is the
//! library's ([`sovsim::lab`]); this file only serves it.
//!
//! Robust under a class: runs are admitted up to a queue's length and computed a few at a
//! time, each within the lab's limits on agents and replicates, every refusal a message; a
//! run whose page is closed stops within a second; a malformed or oversized request gets a
//! 4xx with a message. The server writes no files and keeps no state a user cares about:
//! an experiment is its TOML, and a finished run is cached only to serve the next
//! comparison with it quickly (a miss reruns it, to the same numbers).

use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, mpsc};
use tokio_stream::wrappers::ReceiverStream;

use sovsim::ensemble::ReplicateResult;
use sovsim::lab::{self, ClaimSettings, Experiment, Library, Limits, Settings, stream};
use sovsim::scenario::Scenario;

use super::common::files::toml_files_in;
use super::common::interrupted;
use super::common::settings::ServeSettings;

const PAGE: &str = include_str!("serve/index.html");
const SCRIPT: &str = include_str!("serve/lab.js");
const STYLE: &str = include_str!("serve/lab.css");

/// Finished runs kept to compare the next run with: a few megabytes at most.
const CACHED_RUNS: usize = 24;

/// The metrics drawn when a request names none.
const DEFAULT_METRICS: [&str; 3] = ["party_democracy", "oligarchy", "bureaucracy"];

/// The server's shared state: what it offers and its limits; the queue's counters; the
/// cache of finished runs.
struct Lab {
    library: Library,
    limits: Limits,
    running: Semaphore,
    waiting: AtomicUsize,
    active: AtomicUsize,
    served: AtomicUsize,
    cache: Mutex<VecDeque<(String, Arc<Vec<ReplicateResult>>)>>,
}

/// A run's place in the queue, given back when it ends however it ends.
struct Ticket(Arc<Lab>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Lab {
    /// A place in the queue, or why there is none.
    fn admit(self: &Arc<Lab>) -> Result<Ticket, String> {
        let most = self.limits.queued_runs + self.limits.concurrent_runs;
        let now = self.waiting.fetch_add(1, Ordering::SeqCst);
        let ticket = Ticket(self.clone());
        if now >= most {
            return Err(format!(
                "the lab is busy: {} runs are computing and {} waiting, the most this server allows ({} at once, {} waiting); try again in a minute",
                self.limits.concurrent_runs.min(now),
                now.saturating_sub(self.limits.concurrent_runs),
                self.limits.concurrent_runs,
                self.limits.queued_runs
            ));
        }
        Ok(ticket)
    }

    fn cached(&self, key: &str) -> Option<Arc<Vec<ReplicateResult>>> {
        let cache = self.cache.lock().ok()?;
        cache.iter().find(|(k, _)| k == key).map(|(_, r)| r.clone())
    }

    fn remember(&self, key: String, results: Arc<Vec<ReplicateResult>>) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|(k, _)| *k != key);
            cache.push_back((key, results));
            while cache.len() > CACHED_RUNS {
                cache.pop_front();
            }
        }
    }
}

/// What identifies a run's results: its files' hash, seed and replicates.
fn run_key(s: &Scenario) -> String {
    format!("{} {} {}", s.sha256, s.seed, s.replicates)
}

/// Reads the scenarios folder (its `*.toml`, `claims/*.toml` and `views/*.toml`) into the
/// lab's library.
fn read_library(dir: &Path) -> Result<Library> {
    let prefix = dir.to_string_lossy().replace('\\', "/");
    let mut files = BTreeMap::new();
    let mut listed = |sub: Option<&str>| -> Result<Vec<String>> {
        let folder = sub.map_or(dir.to_path_buf(), |s| dir.join(s));
        if sub.is_some() && !folder.is_dir() {
            return Ok(Vec::new());
        }
        let mut names = Vec::new();
        for path in toml_files_in(&folder)? {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let file_name = path.file_name().unwrap_or_default().to_string_lossy();
            let name = match sub {
                Some(s) => format!("{prefix}/{s}/{file_name}"),
                None => format!("{prefix}/{file_name}"),
            };
            files.insert(name.clone(), text);
            names.push(name);
        }
        Ok(names)
    };
    let scenarios = listed(None)?;
    let claims = listed(Some("claims"))?;
    let views = listed(Some("views"))?;
    let (library, problems) = Library::new(files, &scenarios, &views, &claims);
    for p in &problems {
        eprintln!("sovsim serve: left out of the lab: {p}");
    }
    if library.scenarios.is_empty() {
        anyhow::bail!(
            "no scenario in {} could be offered; give the folder of the scenarios with --scenarios",
            dir.display()
        );
    }
    Ok(library)
}

/// Serves the lab until interrupted.
pub fn serve(settings: &ServeSettings) -> Result<()> {
    let library = read_library(&settings.scenarios)?;
    let lab = Arc::new(Lab {
        library,
        limits: settings.limits,
        running: Semaphore::new(settings.limits.concurrent_runs),
        waiting: AtomicUsize::new(0),
        active: AtomicUsize::new(0),
        served: AtomicUsize::new(0),
        cache: Mutex::new(VecDeque::new()),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(settings.limits.concurrent_runs + 2)
        .thread_keep_alive(Duration::from_secs(2))
        .enable_all()
        .build()
        .context("cannot start the server's threads")?;
    runtime.block_on(listen(lab, settings))
}

async fn listen(lab: Arc<Lab>, settings: &ServeSettings) -> Result<()> {
    let address = SocketAddr::new(settings.host, settings.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| {
            format!("cannot listen on {address} (is another lab running? try --port)")
        })?;
    let bound = listener.local_addr()?;
    let url = format!("http://{bound}/");
    println!(
        "sovsim lab: {} scenarios, {} views, {} claims",
        lab.library.scenarios.len(),
        lab.library.views.len(),
        lab.library.claims.len()
    );
    println!("Open {url} in a browser (Ctrl-C stops the lab)");
    if !settings.host.is_loopback() {
        println!(
            "Listening on {}: anyone who can reach this machine can use the lab",
            settings.host
        );
    }
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    if settings.open {
        open_browser(&url);
    }
    let app = router(lab);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            while !interrupted() {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
        .await
        .context("the server stopped")?;
    Ok(())
}

/// Opens the page in the system's browser; says so if it cannot.
fn open_browser(url: &str) {
    let opener: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start"]
    } else {
        &["xdg-open"]
    };
    let spawned = std::process::Command::new(opener[0])
        .args(&opener[1..])
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("sovsim serve: could not open a browser; open {url} yourself");
    }
}

fn router(lab: Arc<Lab>) -> Router {
    let body_limit = lab.limits.body_bytes;
    Router::new()
        .route("/", get(page))
        .route("/lab.js", get(script))
        .route("/lab.css", get(style))
        .route("/api/library", get(library))
        .route("/api/status", get(status))
        .route("/api/check", post(check))
        .route("/api/run", post(run))
        .route("/api/claim", post(claim))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(lab)
}

/// A JSON error: `{"error": message}` (and `problems` where there are several).
fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn rejected(r: JsonRejection) -> Response {
    let status = r.status();
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "the request is larger than this lab accepts (64 KiB); an experiment is a few hundred bytes"
            .to_string()
    } else {
        format!(
            "the request is not an experiment the lab reads: {}",
            r.body_text()
        )
    };
    refuse(status, message)
}

fn invalid(problems: Vec<lab::Problem>) -> Response {
    let first = problems
        .first()
        .map(|p| p.message.clone())
        .unwrap_or_default();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "error": first, "problems": problems })),
    )
        .into_response()
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'",
            ),
        ],
        PAGE,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

async fn not_found(uri: axum::http::Uri) -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        format!(
            "nothing at {}; the lab's page is / and its API is under /api/ (docs/lab.md)",
            uri.path()
        ),
    )
}

async fn library(State(lab): State<Arc<Lab>>) -> Json<Value> {
    Json(lab::catalogue(&lab.library, &lab.limits))
}

async fn status(State(lab): State<Arc<Lab>>) -> Json<Value> {
    let waiting = lab.waiting.load(Ordering::SeqCst);
    let active = lab.active.load(Ordering::SeqCst);
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "computing": active,
        "waiting": waiting.saturating_sub(active),
        "finished": lab.served.load(Ordering::SeqCst),
        "limits": lab.limits,
    }))
}

/// `POST /api/check`: the experiment's file, or its problems, without running it. A check
/// that finds problems has still done its job, so it answers 200 either way (a request it
/// cannot read gets a 4xx).
async fn check(
    State(lab): State<Arc<Lab>>,
    payload: Result<Json<Settings>, JsonRejection>,
) -> Response {
    let settings = match payload {
        Ok(Json(s)) => s,
        Err(r) => return rejected(r),
    };
    match lab::experiment(&lab.library, &settings, &lab.limits) {
        Ok(e) => Json(json!({ "file": e.file, "toml": e.toml, "problems": [] })).into_response(),
        Err(problems) => {
            Json(json!({ "file": null, "toml": null, "problems": problems })).into_response()
        }
    }
}

/// `POST /api/run`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunRequest {
    settings: Settings,
    /// The metrics to stream the band of (by default a few of the essays' outcomes).
    #[serde(default)]
    metrics: Vec<String>,
    /// A pinned baseline to compare the run with at the end.
    #[serde(default)]
    baseline: Option<Settings>,
}

/// Sends events from a worker thread; `false` once the page is gone.
#[derive(Clone)]
struct Sender(mpsc::Sender<Result<Event, Infallible>>);

impl Sender {
    fn send(&self, name: &str, data: &Value) -> bool {
        let event = Event::default().event(name).data(data.to_string());
        self.0.blocking_send(Ok(event)).is_ok()
    }

    fn gone(&self) -> bool {
        self.0.is_closed()
    }
}

/// `POST /api/run`: checks the experiment (and the baseline), then streams the run.
async fn run(
    State(lab): State<Arc<Lab>>,
    payload: Result<Json<RunRequest>, JsonRejection>,
) -> Response {
    let request = match payload {
        Ok(Json(r)) => r,
        Err(r) => return rejected(r),
    };
    let experiment = match lab::experiment(&lab.library, &request.settings, &lab.limits) {
        Ok(e) => e,
        Err(problems) => return invalid(problems),
    };
    let baseline = match &request.baseline {
        None => None,
        Some(b) => match lab::experiment(&lab.library, b, &lab.limits) {
            Ok(e) => Some(e),
            Err(problems) => {
                return invalid(
                    problems
                        .into_iter()
                        .map(|p| lab::Problem {
                            control: None,
                            message: format!("the pinned baseline: {}", p.message),
                        })
                        .collect(),
                );
            }
        },
    };
    let mut names = request.metrics;
    if names.is_empty() {
        names = DEFAULT_METRICS.iter().map(|m| m.to_string()).collect();
    }
    if names.len() > 8 {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "at most 8 metrics at a time",
        );
    }
    let metrics = stream::metric_indices(&experiment.scenario, &names);
    if metrics.len() != names.len() {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "unknown metric among {}; the metrics are {}",
                names.join(", "),
                experiment.scenario.metric_names().join(", ")
            ),
        );
    }
    let work = move |lab: &Lab, tx: &Sender| {
        run_experiment(lab, tx, &experiment, baseline.as_ref(), &metrics)
    };
    queued(lab, work)
}

/// Admits a run to the queue, then computes it when its turn comes, on a blocking thread,
/// streaming what `work` sends. Refused at once when the queue is full.
fn queued(lab: Arc<Lab>, work: impl FnOnce(&Lab, &Sender) + Send + 'static) -> Response {
    let ticket = match lab.admit() {
        Ok(t) => t,
        Err(why) => return refuse(StatusCode::SERVICE_UNAVAILABLE, why),
    };
    let (tx, rx) = mpsc::channel(16);
    let tx = Sender(tx);
    tokio::spawn(async move {
        let _ticket = ticket;
        let waiting = lab.waiting.load(Ordering::SeqCst);
        if waiting > lab.limits.concurrent_runs {
            let ahead = waiting - lab.limits.concurrent_runs;
            let _ = tx
                .0
                .send(Ok(Event::default().event("queued").data(
                    json!({ "ahead": ahead, "message": format!("waiting for a free place: {ahead} runs ahead") }).to_string(),
                )))
                .await;
        }
        let permit = tokio::select! {
            p = lab.running.acquire() => p,
            () = tx.0.closed() => return,
        };
        let Ok(_permit) = permit else { return };
        lab.active.fetch_add(1, Ordering::SeqCst);
        let worker = lab.clone();
        let sender = tx.clone();
        let outcome = tokio::task::spawn_blocking(move || work(&worker, &sender)).await;
        lab.active.fetch_sub(1, Ordering::SeqCst);
        if let Err(e) = outcome {
            let _ =
                tx.0.send(Ok(Event::default().event("failed").data(
                    json!({ "error": format!("the run failed: {e}") }).to_string(),
                )))
                .await;
        }
    });
    // The keep-alive comment every half second is also how a closed page is noticed while a
    // replicate computes: the write fails, the stream is dropped, and the run stops.
    Sse::new(ReceiverStream::new(rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_millis(500)))
        .into_response()
}

/// The results of a scenario: from the cache, or run (streaming each replicate under
/// `event`); `None` if the page went away or the server is stopping.
fn results_of(
    lab: &Lab,
    tx: &Sender,
    scenario: &Scenario,
    event: &str,
    metrics: &[usize],
) -> Option<Arc<Vec<ReplicateResult>>> {
    let key = run_key(scenario);
    if let Some(r) = lab.cached(&key) {
        tx.send(event, &stream::progress(scenario, &r, metrics));
        return Some(r);
    }
    let stop = || tx.gone() || interrupted();
    let results = stream::run(scenario, &stop, |so_far| {
        tx.send(event, &stream::progress(scenario, so_far, metrics));
    })?;
    let results = Arc::new(results);
    lab.remember(key, results.clone());
    Some(results)
}

fn run_experiment(
    lab: &Lab,
    tx: &Sender,
    experiment: &Experiment,
    baseline: Option<&Experiment>,
    metrics: &[usize],
) {
    let started = Instant::now();
    let scenario = &experiment.scenario;
    if !tx.send(
        "started",
        &stream::started(scenario, &experiment.toml, &experiment.file),
    ) {
        return;
    }
    let base = match baseline {
        Some(b) => match results_of(lab, tx, &b.scenario, "baseline", metrics) {
            Some(r) => Some((&b.scenario, r)),
            None => return,
        },
        None => None,
    };
    let Some(results) = results_of(lab, tx, scenario, "progress", metrics) else {
        return;
    };
    if let Err(e) = sovsim::output::check_finite(scenario.metric_names(), &results) {
        tx.send("failed", &json!({ "error": e.to_string() }));
        return;
    }
    tx.send("files", &stream::files(scenario, &results));
    if let Some((b, r)) = &base {
        tx.send(
            "comparison",
            &stream::comparison((b, r), (scenario, &results), metrics),
        );
    }
    lab.served.fetch_add(1, Ordering::SeqCst);
    tx.send(
        "done",
        &json!({ "seconds": (started.elapsed().as_secs_f64() * 10.0).round() / 10.0 }),
    );
    eprintln!(
        "sovsim serve: ran {} ({} replicates of {} agents) in {:.1} s",
        scenario.name,
        scenario.replicates,
        scenario.agents(),
        started.elapsed().as_secs_f64()
    );
}

/// `POST /api/claim`: runs a claim's scenario and baseline with the settings given and
/// streams their progress, then the verdict.
async fn claim(
    State(lab): State<Arc<Lab>>,
    payload: Result<Json<ClaimSettings>, JsonRejection>,
) -> Response {
    let settings = match payload {
        Ok(Json(s)) => s,
        Err(r) => return rejected(r),
    };
    let (entry, scenario, baseline) = match lab::claim_sides(&lab.library, &settings, &lab.limits) {
        Ok(sides) => sides,
        Err(problems) => return invalid(problems),
    };
    let work = move |lab: &Lab, tx: &Sender| {
        let metric = entry.claim.test.measure.metric;
        let metrics = [metric];
        if !tx.send(
            "started",
            &json!({ "claim": entry.claim.id, "scenario": scenario.name, "baseline": baseline.as_ref().map(|b| b.name.clone()), "replicates": scenario.replicates }),
        ) {
            return;
        }
        let Some(a) = results_of(lab, tx, &scenario, "progress", &metrics) else {
            return;
        };
        let b = match &baseline {
            Some(s) => match results_of(lab, tx, s, "baseline", &metrics) {
                Some(r) => Some((s, r)),
                None => return,
            },
            None => None,
        };
        let verdict = stream::verdict(
            &entry.claim,
            &entry.file,
            (&scenario, &a),
            b.as_ref().map(|(s, r)| (*s, r.as_slice())),
        );
        tx.send("verdict", &verdict);
        tx.send("done", &json!({}));
    };
    queued(lab, work)
}
