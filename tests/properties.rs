//! Property tests of the file parsers (`Scenario::parse_with`, `claims::parse`,
//! `sweep::parse`, `map::parse`, `record::parse`) against mutated versions of the shipped
//! files.
//!
//! Inputs start from valid files (the historical scenario, two counterfactuals that
//! `extends` it, the historical scenario as the *parent* of a counterfactual, the Epstein
//! reference scenario, a claims file, a sweep file, a map file and the record) and are mutated at the TOML level
//! (delete a key, rename it, give it a wrong type, an extreme number, NaN or infinity, a
//! 50,000-element array, a table nested 100-300 deep, a 100 KB string, unusual Unicode, an
//! extra unknown key), serialised back with `toml::to_string`, and then, for some cases,
//! mutated as raw text (truncation at a character boundary, a line duplicated, deleted or
//! swapped, a raw value TOML's serializer cannot write: arrays and inline tables nested up to
//! 10,000 deep, `nan`/`-inf`/`1e999`, out-of-range integers, a BOM, CRLF line endings, raw
//! control characters).
//!
//! The property, for every parser: it returns `Ok`, or diagnostics each with a line and
//! column >= 1 that exist in the file the diagnostic names (when that file is one of the
//! inputs) and a non-empty message, and rendering them does not panic; the parse does not
//! panic, takes under [`TIME_LIMIT`], and its peak heap use stays under [`ALLOC_LIMIT`].
//!
//! Each parse runs in a child process (this test binary again, running only
//! `subprocess_worker`), so that an abort (stack overflow, allocation failure) or a hang is a
//! property failure that shows the input instead of killing or stalling the test run. The
//! child counts its heap with the counting allocator below and refuses allocations beyond
//! [`HARD_CAP`], so a runaway parse aborts instead of exhausting the machine.
//!
//! Deterministic: a fixed seed and no failure persistence (see [`config`]).

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestCaseError};

use sovsim::scenario::{Diagnostics, Scenario};

// ---------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------

/// Most wall time one parse may take, in the debug test profile (opt-level 1, dependencies
/// 2). The largest generated inputs are about 2 MB and parse in well under a second; the
/// limit is not a speed target (benchmarks measure speed) but a guard against a parse whose
/// cost grows faster than its input, which on 2 MB takes minutes. It leaves room for a
/// machine loaded by the rest of the suite: 2 s once failed under such load.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The documented allocation limit: the peak heap in use during one parse, above what was in
/// use before it, for inputs up to about 2 MB (the generator's largest). The parsers keep
/// a few copies of the text (the source map, padded copies for `extends`, the parsed
/// document and its clone for serde). The parsed document is the large part: the worst
/// generated case, 1.9 MB of 50,000 one-key inline tables, peaks at about 220 MiB, some
/// 120 bytes of heap per byte of input, linear in the input; 256 MiB still catches anything
/// that grows with (diagnostics x input size).
const ALLOC_LIMIT: usize = 256 << 20;

/// In the child, allocations that would take the heap beyond this fail, which aborts the
/// child ("memory allocation of N bytes failed"): the parent reports it as a failure.
const HARD_CAP: usize = 512 << 20;

/// The parent kills a child that has not finished after this long (a hang).
const HANG_LIMIT: Duration = Duration::from_secs(30);

/// The stack a parse runs on in the child: the size of a spawned thread's default stack,
/// and of the test harness's and rayon's threads.
const PARSE_STACK: usize = 2 << 20;

/// Size of a "huge" array, and length of a "long" string.
const HUGE: usize = 50_000;
const LONG: usize = 100_000;

// ---------------------------------------------------------------------------------------
// The counting allocator (meaningful in the child, where only the parse runs)
// ---------------------------------------------------------------------------------------

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// 0: no cap (the parent process).
static CAP: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    fn grow(size: usize) -> bool {
        let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
        let cap = CAP.load(Ordering::Relaxed);
        if cap != 0 && now > cap {
            CURRENT.fetch_sub(size, Ordering::Relaxed);
            return false;
        }
        PEAK.fetch_max(now, Ordering::Relaxed);
        true
    }
    fn shrink(size: usize) {
        CURRENT.fetch_sub(size, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Counting::grow(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            Counting::shrink(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Counting::grow(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            Counting::shrink(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        Counting::shrink(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !Counting::grow(new_size - old) {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            if new_size > old {
                Counting::shrink(new_size - old);
            }
        } else if new_size < old {
            Counting::shrink(old - new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// ---------------------------------------------------------------------------------------
// The shipped files
// ---------------------------------------------------------------------------------------

const HISTORICAL: &str = include_str!("../scenarios/historical.toml");
const FACTIONS_ALLOWED: &str = include_str!("../scenarios/factions_allowed.toml");
const MULTI_PARTY: &str = include_str!("../scenarios/multi_party_soviets.toml");
const EPSTEIN: &str = include_str!("../scenarios/reference/epstein_2002.toml");
const CLAIMS: &str = include_str!("../scenarios/claims/factions.toml");
const SWEEP: &str = include_str!("../scenarios/sweeps/soviet_survival_ban.toml");
const MAP: &str = include_str!("../scenarios/maps/faction_ban.toml");
const RECORD: &str = include_str!("../scenarios/record/record.toml");

/// Which parser reads an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `Scenario::parse_with`, the parent `historical.toml` served unmutated.
    Scenario,
    /// `Scenario::parse_with` of the unmutated `factions_allowed.toml`, the mutated input
    /// served as its parent `historical.toml`.
    Parent,
    Claims,
    Sweep,
    Map,
    Record,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Scenario => "scenario",
            Kind::Parent => "parent",
            Kind::Claims => "claims",
            Kind::Sweep => "sweep",
            Kind::Map => "map",
            Kind::Record => "record",
        }
    }
    fn from_tag(tag: &str) -> Kind {
        match tag {
            "scenario" => Kind::Scenario,
            "parent" => Kind::Parent,
            "claims" => Kind::Claims,
            "sweep" => Kind::Sweep,
            "map" => Kind::Map,
            "record" => Kind::Record,
            other => panic!("unknown kind {other}"),
        }
    }
}

/// The valid starting points: (kind, file name, text).
const BASES: [(Kind, &str, &str); 9] = [
    (Kind::Scenario, "historical.toml", HISTORICAL),
    (Kind::Scenario, "factions_allowed.toml", FACTIONS_ALLOWED),
    (Kind::Scenario, "multi_party_soviets.toml", MULTI_PARTY),
    (Kind::Parent, "historical.toml", HISTORICAL),
    (Kind::Scenario, "epstein_2002.toml", EPSTEIN),
    (Kind::Claims, "factions.toml", CLAIMS),
    (Kind::Sweep, "soviet_survival_ban.toml", SWEEP),
    (Kind::Map, "faction_ban.toml", MAP),
    (Kind::Record, "record.toml", RECORD),
];

// ---------------------------------------------------------------------------------------
// Running one parse and checking the property (in the child)
// ---------------------------------------------------------------------------------------

/// The files a parse can see: the input and, for scenarios, the parent.
struct Files {
    kind: Kind,
    file: String,
    text: String,
}

impl Files {
    /// The scenario's parent's text (`historical.toml`): the input itself for `Parent`.
    fn parent(&self) -> &str {
        match self.kind {
            Kind::Parent => &self.text,
            _ => HISTORICAL,
        }
    }
    /// The text of a file a diagnostic names, if it is one of the inputs.
    fn text_of(&self, file: &str) -> Option<&str> {
        match self.kind {
            Kind::Parent if file == "historical.toml" => Some(&self.text),
            Kind::Parent if file == "factions_allowed.toml" => Some(FACTIONS_ALLOWED),
            Kind::Parent => None,
            _ if file == self.file => Some(&self.text),
            Kind::Scenario if file == "historical.toml" => Some(HISTORICAL),
            _ => None,
        }
    }
}

/// Parses with the parser of `files.kind`; `Ok(())` or the diagnostics.
fn parse(files: &Files) -> Result<(), Diagnostics> {
    let resolve = |_: &str, parent: &str| -> Result<(String, String), String> {
        if parent == "historical.toml" {
            Ok(("historical.toml".to_string(), files.parent().to_string()))
        } else {
            Err(format!(
                "only historical.toml is served here, not `{parent}`"
            ))
        }
    };
    match files.kind {
        Kind::Scenario => Scenario::parse_with(&files.text, &files.file, &resolve).map(|_| ()),
        Kind::Parent => {
            Scenario::parse_with(FACTIONS_ALLOWED, "factions_allowed.toml", &resolve).map(|_| ())
        }
        Kind::Claims => sovsim::claims::parse(&files.text, &files.file).map(|_| ()),
        Kind::Sweep => sovsim::sweep::parse(&files.text, &files.file).map(|_| ()),
        Kind::Map => sovsim::map::parse(&files.text, &files.file).map(|_| ()),
        Kind::Record => sovsim::record::parse(&files.text, &files.file).map(|_| ()),
    }
}

/// Everything wrong with a set of diagnostics (empty if the property holds).
fn check_diagnostics(files: &Files, diagnostics: &Diagnostics) -> Vec<String> {
    let mut wrong = Vec::new();
    if diagnostics.0.is_empty() {
        wrong.push("Err with no diagnostics".to_string());
    }
    // Each input's lines, split once: a scan per diagnostic would make this check, not the
    // parser, quadratic in a file with tens of thousands of problems.
    let mut lines: Vec<(&str, Vec<usize>)> = Vec::new();
    for d in &diagnostics.0 {
        let at = format!("{}:{}:{} ({:?})", d.file, d.line, d.column, d.key);
        if d.line == 0 || d.column == 0 {
            wrong.push(format!("{at}: line and column must be 1 or more"));
        }
        if d.message.trim().is_empty() {
            wrong.push(format!("{at}: empty message"));
        }
        let Some(text) = files.text_of(&d.file) else {
            wrong.push(format!("{at}: names a file that is not an input"));
            continue;
        };
        let k = match lines.iter().position(|(f, _)| *f == d.file) {
            Some(k) => k,
            None => {
                // Characters per line, lines as `Diagnostic` counts them: split at '\n'.
                lines.push((
                    &d.file,
                    text.split('\n').map(|l| l.chars().count()).collect(),
                ));
                lines.len() - 1
            }
        };
        let widths = &lines[k].1;
        match widths.get(d.line.saturating_sub(1)) {
            None => wrong.push(format!("{at}: the file has only {} lines", widths.len())),
            Some(&width) if d.column > width + 1 => {
                wrong.push(format!("{at}: line {} has only {width} characters", d.line))
            }
            Some(_) => {}
        }
    }
    wrong
}

/// A panic's message and place, recorded by the hook installed in the child.
static PANIC_INFO: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// What one parse did, as the child reports it.
#[derive(Debug)]
struct Report {
    elapsed: Duration,
    peak: usize,
    outcome: String,
    violations: Vec<String>,
}

/// Runs the parse on a thread with [`PARSE_STACK`], measuring time and peak heap, and
/// checks the result. Runs in the child.
fn run_and_check(files: Files) -> Report {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture();
        *PANIC_INFO.lock().unwrap() = Some(format!("{message} at {place}\n{backtrace}"));
    }));
    std::thread::Builder::new()
        .name("parse".into())
        .stack_size(PARSE_STACK)
        .spawn(move || {
            let before = CURRENT.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let start = Instant::now();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(&files)));
            let elapsed = start.elapsed();
            let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
            let mut violations = Vec::new();
            let outcome = match result {
                Ok(Ok(())) => "ok".to_string(),
                Ok(Err(diagnostics)) => {
                    violations.extend(check_diagnostics(&files, &diagnostics));
                    // Rendering must not panic either: each diagnostic, and the list (which
                    // shows the first hundred and summarises the rest).
                    let render = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let each: usize = diagnostics.0.iter().map(|d| d.to_string().len()).sum();
                        each + diagnostics.to_string().len()
                    }));
                    if render.is_err() {
                        violations.push(format!(
                            "rendering the diagnostics panicked: {}",
                            PANIC_INFO.lock().unwrap().take().unwrap_or_default()
                        ));
                    }
                    let first = diagnostics.0.first().map(|d| {
                        let mut m = format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message);
                        m.truncate(m.floor_char_boundary_compat(300));
                        m
                    });
                    format!(
                        "{} diagnostics, the first: {}",
                        diagnostics.0.len(),
                        first.unwrap_or_default()
                    )
                }
                Err(_) => {
                    let info = PANIC_INFO.lock().unwrap().take().unwrap_or_default();
                    violations.push(format!("the parser panicked: {info}"));
                    "panic".to_string()
                }
            };
            if elapsed > TIME_LIMIT {
                violations.push(format!(
                    "the parse took {elapsed:?}, over the limit of {TIME_LIMIT:?}"
                ));
            }
            if peak > ALLOC_LIMIT {
                violations.push(format!(
                    "the parse's peak heap was {} MiB, over the limit of {} MiB",
                    peak >> 20,
                    ALLOC_LIMIT >> 20
                ));
            }
            Report {
                elapsed,
                peak,
                outcome,
                violations,
            }
        })
        .unwrap()
        .join()
        .unwrap()
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, at: usize) -> usize;
}

impl FloorCharBoundary for String {
    fn floor_char_boundary_compat(&self, at: usize) -> usize {
        let mut at = at.min(self.len());
        while !self.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

const ENV_INPUT: &str = "SOVSIM_PROPERTIES_INPUT";
const ENV_KIND: &str = "SOVSIM_PROPERTIES_KIND";
const ENV_FILE: &str = "SOVSIM_PROPERTIES_FILE";

/// The child's entry point: does nothing in an ordinary run; with [`ENV_INPUT`] set, parses
/// that file and prints its report as `PROPERTY-...` lines.
#[test]
fn subprocess_worker() {
    let Some(input) = std::env::var_os(ENV_INPUT) else {
        return;
    };
    let text = std::fs::read_to_string(input).unwrap();
    let kind = Kind::from_tag(&std::env::var(ENV_KIND).unwrap());
    let file = std::env::var(ENV_FILE).unwrap();
    CAP.store(HARD_CAP, Ordering::Relaxed);
    let report = run_and_check(Files { kind, file, text });
    // libtest has written "test subprocess_worker ... " without a newline.
    let mut out = String::from("\n");
    for v in &report.violations {
        writeln!(out, "PROPERTY-VIOLATION {}", v.replace('\n', "\n    ")).unwrap();
    }
    writeln!(
        out,
        "PROPERTY-DONE {} {} {}",
        report.elapsed.as_micros(),
        report.peak,
        report.outcome.replace('\n', " ")
    )
    .unwrap();
    print!("{out}");
}

/// Runs one input through the child and checks its report. Returns the child's report on
/// success.
fn check_in_child(kind: Kind, file: &str, text: &str) -> Result<Report, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let input = dir.path().join("input.toml");
    std::fs::write(&input, text).map_err(|e| e.to_string())?;
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "subprocess_worker",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ENV_INPUT, &input)
        .env(ENV_KIND, kind.tag())
        .env(ENV_FILE, file)
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Read both pipes on threads so that a chatty child cannot block.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if start.elapsed() > HANG_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = out_thread.join().unwrap();
    let err = err_thread.join().unwrap();
    let Some(status) = status else {
        return Err(format!(
            "the parse did not finish within {HANG_LIMIT:?} (killed)"
        ));
    };
    let violations: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("PROPERTY-VIOLATION") || l.starts_with("    "))
        .collect();
    let done = out.lines().find_map(|l| l.strip_prefix("PROPERTY-DONE "));
    match done {
        Some(done) if status.success() && violations.is_empty() => {
            let mut parts = done.splitn(3, ' ');
            let micros: u64 = parts.next().unwrap().parse().unwrap();
            let peak: usize = parts.next().unwrap().parse().unwrap();
            Ok(Report {
                elapsed: Duration::from_micros(micros),
                peak,
                outcome: parts.next().unwrap_or("").to_string(),
                violations: Vec::new(),
            })
        }
        Some(done) => Err(format!("{}\n(report: {done})", violations.join("\n"))),
        None => {
            let tail: String = {
                let start = err.len().saturating_sub(3000);
                let mut s = start;
                while !err.is_char_boundary(s) {
                    s += 1;
                }
                err[s..].to_string()
            };
            Err(format!(
                "the child did not finish its report ({status}); it aborted (stack overflow, \
                 or an allocation beyond the hard cap of {} MiB?). Its stderr ends:\n{tail}",
                HARD_CAP >> 20
            ))
        }
    }
}

/// Writes a failing input where it can be read, and says where.
fn keep(text: &str, kind: Kind, file: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("properties-failures");
    let _ = std::fs::create_dir_all(&dir);
    let n = std::process::id();
    let k = KEPT.fetch_add(1, Ordering::Relaxed);
    let path: PathBuf = dir.join(format!("{n}-{k}-{}-{file}", kind.tag()));
    let _ = std::fs::write(&path, text);
    let mut head = text.to_string();
    head.truncate(head.floor_char_boundary_compat(600));
    format!(
        "input ({} bytes, {} parser, file {file}) kept at {}; it begins:\n{head}",
        text.len(),
        kind.tag(),
        path.display()
    )
}

static KEPT: AtomicUsize = AtomicUsize::new(0);

// ---------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------

/// One step of a path into a document.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Item(usize),
}

/// Every path to a value in a document, depth first.
fn paths(table: &toml::Table) -> Vec<Vec<Step>> {
    fn walk(value: &toml::Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(path.clone());
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    path.push(Step::Key(k.clone()));
                    walk(v, path, out);
                    path.pop();
                }
            }
            toml::Value::Array(items) => {
                for (n, v) in items.iter().enumerate() {
                    path.push(Step::Item(n));
                    walk(v, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, v) in table {
        let mut path = vec![Step::Key(k.clone())];
        walk(v, &mut path, &mut out);
    }
    out
}

fn get_mut<'a>(value: &'a mut toml::Value, path: &[Step]) -> Option<&'a mut toml::Value> {
    let mut node = value;
    for step in path {
        node = match (step, node) {
            (Step::Key(k), toml::Value::Table(t)) => t.get_mut(k)?,
            (Step::Item(n), toml::Value::Array(a)) => a.get_mut(*n)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Unusual strings: bidirectional controls, combining marks, control characters (no NUL),
/// emoji and ZWJ sequences, a BOM, non-characters, line separators, case-changing letters.
const UNICODE: [&str; 12] = [
    "\u{202E}lacirotsih\u{202C}",
    "e\u{0301}\u{0301}\u{0301}\u{20DD}",
    "\u{0001}\u{0007}\u{0008}\u{001B}[31m\u{007F}",
    "👩\u{200D}👩\u{200D}👧\u{200D}👦🏳️\u{200D}🌈",
    "\u{FEFF}historical",
    "\u{10FFFF}\u{FFFE}\u{FFFF}",
    "line\u{2028}sep\u{2029}para\u{0085}next\r\n",
    "İǅﬃß",
    "\u{200B}\u{200C}\u{200D}\u{2060}",
    "１９１７-１１",
    "٣.١٤",
    "\u{0301}",
];

/// Strings that look like dates and are not quite, or are extreme.
const DATES: [&str; 10] = [
    "0000-01",
    "9999-12-31",
    "1917-02-29",
    "1917-13",
    "1917-00",
    "-1917-01",
    "1917-11-31",
    "",
    "1917-11-07T10:00:00",
    "1917-11-",
];

/// A replacement value, described (so a failing case prints small) and built on demand.
#[derive(Clone, Debug)]
enum Val {
    /// A value of some type: 0 string, 1 bool, 2 mixed array, 3 empty array, 4 empty table,
    /// 5 integer, 6 float, 7 datetime, 8 table with a key.
    WrongType(u8),
    /// 0, -1, i64::MAX, i64::MIN, 1e308, -1e308, tiny, subnormal, NaN, inf, -inf, -0.0,
    /// u32::MAX + 1, u64-ish.
    Extreme(u8),
    /// `HUGE` elements (fewer copies of large own items): 0 integers, 1 floats, 2 strings, 3 the value's own items cycled,
    /// 4 its first item repeated, 5 small tables.
    Huge(u8),
    /// A table nested this deep.
    DeepTable(u16),
    /// An array nested this deep.
    DeepArray(u16),
    /// A `LONG` string of this character (0 ascii, 1 multi-byte, 2 combining, 3 RTL).
    Long(u8),
    Unicode(u8),
    Date(u8),
}

impl Val {
    fn build(&self, existing: Option<&toml::Value>) -> toml::Value {
        use toml::Value as V;
        match *self {
            Val::WrongType(k) => match k % 9 {
                0 => V::String("wrong".into()),
                1 => V::Boolean(true),
                2 => V::Array(vec![
                    V::Integer(1),
                    V::String("a".into()),
                    V::Boolean(false),
                ]),
                3 => V::Array(vec![]),
                4 => V::Table(toml::Table::new()),
                5 => V::Integer(7),
                6 => V::Float(0.5),
                7 => V::Datetime("1917-11-07T10:00:00Z".parse().unwrap()),
                _ => {
                    let mut t = toml::Table::new();
                    t.insert("x".into(), V::Integer(1));
                    V::Table(t)
                }
            },
            Val::Extreme(k) => match k % 14 {
                0 => V::Integer(0),
                1 => V::Integer(-1),
                2 => V::Integer(i64::MAX),
                3 => V::Integer(i64::MIN),
                4 => V::Float(1e308),
                5 => V::Float(-1e308),
                6 => V::Float(f64::MIN_POSITIVE),
                7 => V::Float(5e-324),
                8 => V::Float(f64::NAN),
                9 => V::Float(f64::INFINITY),
                10 => V::Float(f64::NEG_INFINITY),
                11 => V::Float(-0.0),
                12 => V::Integer(u32::MAX as i64 + 1),
                _ => V::Integer(10_000_001),
            },
            Val::Huge(k) => {
                // The value's own items, when they are small (a huge array of huge items
                // would exhaust the generator, not test the parser).
                let own: Vec<V> = match existing {
                    Some(V::Array(a)) if !a.is_empty() && nodes(existing.unwrap()) <= 1_000 => {
                        a.clone()
                    }
                    Some(v) if nodes(v) <= 100 => vec![v.clone()],
                    _ => vec![V::Integer(1)],
                };
                // Copies of the own items stop at about 4 x HUGE values in all: 50,000
                // copies of a 999-value item made a 50-million-value document that
                // exhausted the parent's memory while the case was being written.
                let own_nodes = nodes(&V::Array(own.clone())).saturating_sub(1);
                // And at about 2 MB of text, the documented size of the largest input: 50,000
                // copies of a long description made 6 MB.
                let bytes = |v: &V| v.to_string().len().max(1);
                let own_bytes: usize = own.iter().map(bytes).sum::<usize>().max(1);
                let copies = (4 * HUGE * own.len() / own_nodes.max(1))
                    .min(HUGE)
                    .min(2_000_000 * own.len() / own_bytes);
                V::Array(match k % 6 {
                    0 => (0..HUGE as i64).map(V::Integer).collect(),
                    1 => (0..HUGE).map(|i| V::Float(i as f64 / 7.0)).collect(),
                    2 => (0..HUGE).map(|i| V::String(format!("s{i}"))).collect(),
                    3 => own.iter().cycle().take(copies).cloned().collect(),
                    4 => {
                        let copies = (4 * HUGE / nodes(&own[0]))
                            .min(HUGE)
                            .min(2_000_000 / bytes(&own[0]));
                        std::iter::repeat_n(own[0].clone(), copies).collect()
                    }
                    _ => (0..HUGE)
                        .map(|i| {
                            let mut t = toml::Table::new();
                            t.insert("id".into(), V::String(format!("e{i}")));
                            V::Table(t)
                        })
                        .collect(),
                })
            }
            Val::DeepTable(depth) => {
                let mut v = V::Integer(1);
                for _ in 0..depth {
                    let mut t = toml::Table::new();
                    t.insert("a".into(), v);
                    v = V::Table(t);
                }
                v
            }
            Val::DeepArray(depth) => {
                let mut v = V::Integer(1);
                for _ in 0..depth {
                    v = V::Array(vec![v]);
                }
                v
            }
            Val::Long(k) => {
                let c = ["x", "ж", "e\u{0301}", "\u{202E}a"][k as usize % 4];
                V::String(c.repeat(LONG / c.len()))
            }
            Val::Unicode(k) => V::String(UNICODE[k as usize % UNICODE.len()].into()),
            Val::Date(k) => V::String(DATES[k as usize % DATES.len()].into()),
        }
    }
}

/// The number of values in a value, counting up to a little past 1,000.
fn nodes(v: &toml::Value) -> usize {
    fn count(v: &toml::Value, n: &mut usize) {
        *n += 1;
        if *n > 1_001 {
            return;
        }
        match v {
            toml::Value::Array(a) => a.iter().for_each(|x| count(x, n)),
            toml::Value::Table(t) => t.values().for_each(|x| count(x, n)),
            _ => {}
        }
    }
    let mut n = 0;
    count(v, &mut n);
    n
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        4 => any::<u8>().prop_map(Val::WrongType),
        4 => any::<u8>().prop_map(Val::Extreme),
        1 => any::<u8>().prop_map(Val::Huge),
        1 => (100u16..=300).prop_map(Val::DeepTable),
        1 => (100u16..=300).prop_map(Val::DeepArray),
        1 => any::<u8>().prop_map(Val::Long),
        2 => any::<u8>().prop_map(Val::Unicode),
        2 => any::<u8>().prop_map(Val::Date),
    ]
}

/// The name of an added key: 0 plain unknown, 1 a near miss of a sibling, 2 Unicode,
/// 3 `LONG` characters, 4 empty, 5 dotted-looking, 6 a common key at the wrong level.
#[derive(Clone, Debug)]
struct KeyName(u8, u8);

impl KeyName {
    fn build(&self, siblings: &toml::Table) -> String {
        match self.0 % 7 {
            0 => "unknown_key".into(),
            1 => match siblings.keys().nth(self.1 as usize % siblings.len().max(1)) {
                Some(k) => format!("{k}x"),
                None => "agentz".into(),
            },
            2 => UNICODE[self.1 as usize % UNICODE.len()].into(),
            3 => "k".repeat(LONG),
            4 => String::new(),
            5 => "rules.opinion".into(),
            _ => {
                ["name", "enabled", "agents", "id", "events", "metric"][self.1 as usize % 6].into()
            }
        }
    }
}

/// A mutation of the document; `Index` picks among its paths.
#[derive(Clone, Debug)]
enum Mutation {
    Delete(Index),
    Replace(Index, Val),
    /// Adds a key to the table at or above the path.
    Add(Index, KeyName, Val),
    /// Renames the key at the end of the path (a misspelling: one character dropped).
    Rename(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => any::<Index>().prop_map(Mutation::Delete),
        6 => (any::<Index>(), val()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => (any::<Index>(), (any::<u8>(), any::<u8>()), val())
            .prop_map(|(i, (a, b), v)| Mutation::Add(i, KeyName(a, b), v)),
        1 => any::<Index>().prop_map(Mutation::Rename),
    ]
}

fn apply(doc: &mut toml::Value, m: &Mutation) {
    let toml::Value::Table(root) = &*doc else {
        return;
    };
    let all = paths(root);
    if all.is_empty() {
        if let (Mutation::Add(_, name, v), toml::Value::Table(root)) = (m, &mut *doc) {
            let key = name.build(&toml::Table::new());
            root.insert(key, v.build(None));
        }
        return;
    }
    let pick = |i: &Index| all[i.index(all.len())].clone();
    match m {
        Mutation::Delete(i) => {
            let path = pick(i);
            let (last, parent) = path.split_last().unwrap();
            match (get_mut(doc, parent), last) {
                (Some(toml::Value::Table(t)), Step::Key(k)) => {
                    t.remove(k);
                }
                (Some(toml::Value::Array(a)), Step::Item(n)) if *n < a.len() => {
                    a.remove(*n);
                }
                _ => {}
            }
        }
        Mutation::Replace(i, v) => {
            let path = pick(i);
            if let Some(slot) = get_mut(doc, &path) {
                *slot = v.build(Some(slot));
            }
        }
        Mutation::Add(i, name, v) => {
            let mut path = pick(i);
            // The nearest table at or above the path.
            loop {
                if let Some(toml::Value::Table(_)) = get_mut(doc, &path) {
                    break;
                }
                if path.pop().is_none() {
                    break;
                }
            }
            if let Some(toml::Value::Table(t)) = get_mut(doc, &path) {
                let key = name.build(t);
                t.insert(key, v.build(None));
            }
        }
        Mutation::Rename(i) => {
            let path = pick(i);
            let (last, parent) = path.split_last().unwrap();
            if let (Some(toml::Value::Table(t)), Step::Key(k)) = (get_mut(doc, parent), last)
                && let Some(v) = t.remove(k)
            {
                let mut chars: Vec<char> = k.chars().collect();
                if chars.len() > 1 {
                    chars.remove(chars.len() / 2);
                } else {
                    chars.push('_');
                }
                t.insert(chars.into_iter().collect(), v);
            }
        }
    }
}

/// Raw TOML text the serializer would not write.
const SNIPPETS: [&str; 22] = [
    "nan",
    "-nan",
    "+inf",
    "-inf",
    "1e999",
    "-1e999",
    "99999999999999999999",
    "-9223372036854775809",
    "0x7FFFFFFFFFFFFFFF",
    "0b11111111111111111111111111111111111111111111111111111111111111111",
    "1979-05-27T07:32:00Z",
    "\"\\u0000 escaped NUL\"",
    "\"raw \u{0001} control\"",
    "'''multi\nline'''",
    "\"unterminated",
    "{ a = 1, a = 2 }",
    "[1, 2,, 3]",
    "{ a.b.c = 1 }",
    "\"\\uD800\"",
    "\"\\U0010FFFF\"",
    "1_000_000",
    "",
];

/// A raw value, possibly nested beyond any parser's recursion limit.
#[derive(Clone, Debug)]
enum RawValue {
    Snippet(u8),
    /// `[[[...1...]]]`
    DeepArray(u16),
    /// `{a={a=...1...}}`
    DeepInline(u16),
    /// `[{[{...` never closed.
    Unclosed(u16),
}

impl RawValue {
    fn build(&self) -> String {
        match *self {
            RawValue::Snippet(k) => SNIPPETS[k as usize % SNIPPETS.len()].to_string(),
            RawValue::DeepArray(d) => {
                format!("{}1{}", "[".repeat(d as usize), "]".repeat(d as usize))
            }
            RawValue::DeepInline(d) => {
                format!("{}1{}", "{a=".repeat(d as usize), "}".repeat(d as usize))
            }
            RawValue::Unclosed(d) => "[{".repeat(d as usize),
        }
    }
}

fn raw_value() -> impl Strategy<Value = RawValue> {
    prop_oneof![
        4 => any::<u8>().prop_map(RawValue::Snippet),
        1 => (1u16..=10_000).prop_map(RawValue::DeepArray),
        1 => (1u16..=10_000).prop_map(RawValue::DeepInline),
        1 => (1u16..=10_000).prop_map(RawValue::Unclosed),
    ]
}

/// A mutation of the text.
#[derive(Clone, Debug)]
enum RawMutation {
    /// Cut at a character boundary.
    Truncate(Index),
    DuplicateLine(Index),
    DeleteLine(Index),
    SwapLines(Index, Index),
    /// Replace the value of a `key = value` line.
    ReplaceValue(Index, RawValue),
    /// Insert a line: 0 a table header nested this deep, 1 a dotted key this deep, 2 a
    /// bare `[[`, 3 a header of an array of tables with a Unicode name.
    Insert(Index, u8, u16),
    /// Insert a character at a character boundary.
    InsertChar(Index, char),
    Bom,
    Crlf,
}

fn raw_mutation() -> impl Strategy<Value = RawMutation> {
    let odd = prop_oneof![
        Just('\u{FEFF}'),
        Just('\u{202E}'),
        Just('\u{0301}'),
        Just('\u{0001}'),
        Just('\r'),
        Just('\u{2028}'),
        Just('🦀'),
        Just('"'),
        Just('['),
        Just('='),
        Just('\n'),
        any::<char>().prop_filter("no NUL", |c| *c != '\0'),
    ];
    prop_oneof![
        2 => any::<Index>().prop_map(RawMutation::Truncate),
        1 => any::<Index>().prop_map(RawMutation::DuplicateLine),
        1 => any::<Index>().prop_map(RawMutation::DeleteLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| RawMutation::SwapLines(a, b)),
        3 => (any::<Index>(), raw_value()).prop_map(|(i, v)| RawMutation::ReplaceValue(i, v)),
        1 => (any::<Index>(), any::<u8>(), 1u16..=2_000)
            .prop_map(|(i, k, d)| RawMutation::Insert(i, k, d)),
        2 => (any::<Index>(), odd).prop_map(|(i, c)| RawMutation::InsertChar(i, c)),
        1 => Just(RawMutation::Bom),
        1 => Just(RawMutation::Crlf),
    ]
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply_raw(text: &str, m: &RawMutation) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let join = |lines: Vec<String>| lines.join("\n");
    let owned = || lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    match m {
        RawMutation::Truncate(i) => text[..floor_boundary(text, i.index(text.len() + 1))].into(),
        RawMutation::DuplicateLine(i) => {
            let mut l = owned();
            let n = i.index(l.len());
            l.insert(n, l[n].clone());
            join(l)
        }
        RawMutation::DeleteLine(i) => {
            let mut l = owned();
            l.remove(i.index(l.len()));
            join(l)
        }
        RawMutation::SwapLines(a, b) => {
            let mut l = owned();
            let (a, b) = (a.index(l.len()), b.index(l.len()));
            l.swap(a, b);
            join(l)
        }
        RawMutation::ReplaceValue(i, v) => {
            let assignments: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.trim_start().starts_with('#') && l.contains(" = "))
                .map(|(n, _)| n)
                .collect();
            if assignments.is_empty() {
                return text.to_string();
            }
            let n = assignments[i.index(assignments.len())];
            let mut l = owned();
            let key = l[n].split(" = ").next().unwrap().to_string();
            l[n] = format!("{key} = {}", v.build());
            join(l)
        }
        RawMutation::Insert(i, k, depth) => {
            let d = *depth as usize;
            let line = match k % 4 {
                0 => format!("[{}]", vec!["t"; d].join(".")),
                1 => format!("{} = 1", vec!["k"; d].join(".")),
                2 => "[[".to_string(),
                _ => format!("[[\"{}\"]]", UNICODE[d % UNICODE.len()].replace('"', "")),
            };
            let mut l = owned();
            l.insert(i.index(l.len() + 1), line);
            join(l)
        }
        RawMutation::InsertChar(i, c) => {
            let at = floor_boundary(text, i.index(text.len() + 1));
            format!("{}{c}{}", &text[..at], &text[at..])
        }
        RawMutation::Bom => format!("\u{FEFF}{text}"),
        RawMutation::Crlf => text.replace('\n', "\r\n"),
    }
}

/// A generated case: a base file, TOML-level mutations, then raw ones.
#[derive(Clone, Debug)]
struct Case {
    base: usize,
    mutations: Vec<Mutation>,
    raw: Vec<RawMutation>,
}

impl Case {
    fn kind_file(&self) -> (Kind, &'static str) {
        let (kind, file, _) = BASES[self.base];
        (kind, file)
    }
    fn text(&self) -> String {
        let (_, _, text) = BASES[self.base];
        let mut text = if self.mutations.is_empty() {
            text.to_string()
        } else {
            let mut doc = toml::Value::Table(text.parse::<toml::Table>().unwrap());
            for m in &self.mutations {
                apply(&mut doc, m);
            }
            let toml::Value::Table(table) = doc else {
                unreachable!()
            };
            toml::to_string(&table).expect("a mutated document serialises")
        };
        for m in &self.raw {
            text = apply_raw(&text, m);
        }
        text
    }
}

fn case(base: impl Strategy<Value = usize>) -> impl Strategy<Value = Case> {
    (
        base,
        prop::collection::vec(mutation(), 0..=3),
        prop_oneof![
            3 => Just(Vec::new()),
            2 => prop::collection::vec(raw_mutation(), 1..=2),
        ],
    )
        .prop_map(|(base, mutations, raw)| Case {
            base,
            mutations,
            raw,
        })
}

/// Fixed seed, no persistence of failures (CI is deterministic; a failure prints its input
/// and keeps it under `target/tmp/properties-failures/`), little shrinking time (each step
/// runs a child process).
fn config(cases: u32, seed: u64) -> Config {
    Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 200,
        max_shrink_time: 20_000,
        ..Config::default()
    }
}

fn run_cases(cfg: Config, strategy: impl Strategy<Value = Case>) {
    let mut runner = proptest::test_runner::TestRunner::new(cfg);
    let stats = std::sync::Mutex::new((0usize, Duration::ZERO, 0usize, 0usize));
    let result = runner.run(&strategy, |case| {
        let (kind, file) = case.kind_file();
        let text = case.text();
        match check_in_child(kind, file, &text) {
            Ok(report) => {
                let mut s = stats.lock().unwrap();
                s.0 += 1;
                s.1 = s.1.max(report.elapsed);
                s.2 = s.2.max(report.peak);
                if report.outcome == "ok" {
                    s.3 += 1;
                }
                Ok(())
            }
            Err(why) => Err(TestCaseError::fail(format!(
                "{why}\n{}",
                keep(&text, kind, file)
            ))),
        }
    });
    let s = stats.lock().unwrap();
    eprintln!(
        "{} cases passed ({} parsed Ok); slowest parse {:?}, largest peak heap {} KiB",
        s.0,
        s.3,
        s.1,
        s.2 >> 10
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

/// The generator's starting points are valid, before and after a round trip through
/// `toml::Table` and `toml::to_string`: mutations start from files that parse.
#[test]
fn shipped_files_parse_before_and_after_a_round_trip() {
    for (kind, file, text) in BASES {
        let round = toml::to_string(&text.parse::<toml::Table>().unwrap()).unwrap();
        for t in [text.to_string(), round] {
            let files = Files {
                kind,
                file: file.to_string(),
                text: t,
            };
            if let Err(d) = parse(&files) {
                panic!("{file} ({}): {d}", kind.tag());
            }
        }
    }
}

/// The mutation machinery works: a case with no mutations is the file itself, and the
/// property holds for it in the child (so the child protocol is exercised).
#[test]
fn unmutated_files_pass_the_property_in_the_child() {
    for (base, (kind, file, text)) in BASES.iter().enumerate() {
        let case = Case {
            base,
            mutations: Vec::new(),
            raw: Vec::new(),
        };
        assert_eq!(case.text(), *text);
        let report = check_in_child(*kind, file, text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(report.outcome, "ok", "{file}");
    }
}

/// Scenario files (the historical one, two counterfactuals that extend it, it as their
/// parent, the Epstein reference).
#[test]
fn scenario_parser_survives_mutations() {
    run_cases(config(1000, 0x5_0717), case(prop_oneof![0..=4usize]));
}

#[test]
fn claims_parser_survives_mutations() {
    run_cases(config(400, 0x5_0718), case(Just(5usize)));
}

#[test]
fn sweep_parser_survives_mutations() {
    run_cases(config(400, 0x5_0719), case(Just(6usize)));
}

#[test]
fn map_parser_survives_mutations() {
    run_cases(config(200, 0x5_071a), case(Just(7usize)));
}

#[test]
fn record_parser_survives_mutations() {
    run_cases(config(300, 0x5_071b), case(Just(8usize)));
}

// ---------------------------------------------------------------------------------------
// Regressions: real bugs these properties found, pinned with minimal inputs (each failed
// before its fix).
// ---------------------------------------------------------------------------------------

/// A diagnostic at column 65,536 or beyond (a long line: a long inline array or string, or
/// indentation) renders. `Display for Diagnostic` used to pad the caret with `{:>col$}`,
/// and format widths above `u16::MAX` panic ("Formatting argument out of range"), so
/// `sovsim validate` panicked instead of printing the error. The line is now excerpted
/// around the column, and the caret still points at the value.
#[test]
fn a_diagnostic_beyond_column_65535_renders_with_its_caret_under_the_value() {
    let text = format!("{}x = 1\n", " ".repeat(65_535));
    let diagnostics = Scenario::parse(&text, "wide.toml").unwrap_err();
    let wide = diagnostics
        .0
        .iter()
        .find(|d| d.column > 65_535)
        .expect("a diagnostic at the key");
    assert_eq!(wide.column, 65_536);
    let rendered = std::panic::catch_unwind(|| wide.to_string()).expect("rendering panicked");
    let lines: Vec<&str> = rendered.lines().collect();
    let caret = lines.last().unwrap().chars().count() - 1;
    assert_eq!(lines[2].chars().nth(caret), Some('x'), "{rendered}");
    assert!(rendered.len() < 1000, "the whole 65 KB line was shown");
}

// ---------------------------------------------------------------------------------------
// Directed inputs: the worst cases the generator reaches only by chance
// ---------------------------------------------------------------------------------------

/// Runs an input through the child and fails with the child's report.
fn holds_for(kind: Kind, file: &str, text: &str) {
    if let Err(why) = check_in_child(kind, file, text) {
        panic!("{why}\n{}", keep(text, kind, file));
    }
}

/// `historical.toml` with one change made at the TOML level.
fn historical_with(change: impl FnOnce(&mut toml::Table)) -> String {
    let mut doc: toml::Table = HISTORICAL.parse().unwrap();
    change(&mut doc);
    toml::to_string(&doc).unwrap()
}

fn series_of(n: usize, date: &str, value: f64) -> toml::Value {
    let point = toml::Value::Array(vec![date.into(), toml::Value::Float(value)]);
    toml::Value::Array(vec![point; n])
}

fn environment(doc: &mut toml::Table) -> &mut toml::Table {
    doc.get_mut("environment")
        .and_then(toml::Value::as_table_mut)
        .unwrap()
}

/// Inputs built to hit what could grow faster than the input: a huge valid series, nesting
/// far beyond the TOML parser's recursion limit. (The regressions below are more.)
fn directed() -> Vec<(&'static str, Kind, &'static str, String)> {
    vec![
        (
            "50,000 valid series points",
            Kind::Scenario,
            "historical.toml",
            historical_with(|d| {
                environment(d).insert("civil_war".into(), series_of(HUGE, "1930-12", 0.5));
            }),
        ),
        (
            "arrays nested 100,000 deep",
            Kind::Claims,
            "factions.toml",
            format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        (
            "inline tables nested 100,000 deep",
            Kind::Sweep,
            "soviet_survival_ban.toml",
            format!("x = {}1{}\n", "{a=".repeat(100_000), "}".repeat(100_000)),
        ),
        (
            "50,000 added events in a scenario that extends another (merged by id)",
            Kind::Scenario,
            "factions_allowed.toml",
            {
                let mut d: toml::Table = FACTIONS_ALLOWED.parse().unwrap();
                let events = (0..HUGE)
                    .map(|i| {
                        let mut t = toml::Table::new();
                        t.insert("id".into(), toml::Value::String(format!("e{i}")));
                        toml::Value::Table(t)
                    })
                    .collect();
                d.insert("events".into(), toml::Value::Array(events));
                toml::to_string(&d).unwrap()
            },
        ),
        (
            "a table header 100,000 keys deep",
            Kind::Scenario,
            "historical.toml",
            format!("[{}]\n", vec!["t"; 100_000].join(".")),
        ),
    ]
}

#[test]
fn directed_inputs_pass_the_property() {
    let mut failures = Vec::new();
    for (what, kind, file, text) in directed() {
        match check_in_child(kind, file, &text) {
            Ok(report) => eprintln!(
                "{what}: {:?}, peak {} KiB, {}",
                report.elapsed,
                report.peak >> 10,
                report.outcome
            ),
            Err(why) => failures.push(format!("{what}: {why}\n{}", keep(&text, kind, file))),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Regression: one diagnostic per element of a long one-line array used to copy the whole
/// source line and rescan the text from its start, so 5,000 out-of-range values of a series
/// written on one line (a 100 KB line, as `toml::to_string` writes arrays) needed about
/// 500 MB, and 50,000 aborted the child at its 512 MiB cap. Diagnostics now locate through a
/// line and character index built once per file and keep a short excerpt of their line.
/// The diagnostics come from the series check (one per point: out of range, and outside
/// the scenario's start..end).
#[test]
fn many_diagnostics_on_one_long_line_stay_within_the_limits() {
    let text = historical_with(|d| {
        environment(d).insert("civil_war".into(), series_of(HUGE, "1917-11", 2.0));
    });
    holds_for(Kind::Scenario, "historical.toml", &text);
}

/// Regression: with `step = "month"`, `Calendar::position` found a date's step by walking
/// month by month from the start, once per series point, so a calendar from 0000-01 to
/// 9999-12 with 20,000 points in 9999 took 20,000 x 120,000 month steps (50,000 points did
/// not finish in 30 s). The step is now computed from the months between the dates.
#[test]
fn monthly_series_positions_take_constant_time_per_point() {
    let text = historical_with(|d| {
        d.insert("start".into(), "0000-01".into());
        d.insert("end".into(), "9999-12".into());
        d.insert("step".into(), "month".into());
        environment(d).insert("civil_war".into(), series_of(HUGE, "9999-12", 0.5));
    });
    holds_for(Kind::Scenario, "historical.toml", &text);
}

/// Regression: 50,000 unknown top-level keys (a 0.9 MB file) took over 30 s to reject: each
/// of their diagnostics rescanned the text from the start to find its line, and each key
/// was removed from the document's ordered map on its own (shifting the rest); both were
/// quadratic in the number of keys. Now the index locates each diagnostic, and the unknown
/// keys are dropped in one pass.
#[test]
fn fifty_thousand_unknown_keys_in_a_scenario_stay_within_the_limits() {
    let text = historical_with(|d| {
        for i in 0..HUGE {
            d.insert(format!("unknown_{i}"), toml::Value::Integer(1));
        }
    });
    holds_for(Kind::Scenario, "historical.toml", &text);
}

/// Regression: the same in a sweep file (`remove_unknown_with`, the same walk).
#[test]
fn fifty_thousand_unknown_keys_in_a_sweep_stay_within_the_limits() {
    let mut d: toml::Table = SWEEP.parse().unwrap();
    for i in 0..HUGE {
        d.insert(format!("unknown_{i}"), toml::Value::Integer(1));
    }
    holds_for(
        Kind::Sweep,
        "soviet_survival_ban.toml",
        &toml::to_string(&d).unwrap(),
    );
}
