//! The lab under a class: thirty clients at once against `sovsim serve` on 127.0.0.1 (runs,
//! malformed, oversized and over-limit requests, wrong paths, and clients that hang up
//! mid-run), twice. The server answers every one (a run, or a 4xx or 503 with a message),
//! never computes more runs at once or queues more than its limits, stays up, stops a run
//! whose client left, and ends each burst with as many threads as it had before and
//! without its memory growing from one burst to the next. Bounded: every socket has a
//! timeout and the whole test a deadline.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const CONCURRENT: usize = 2;
const QUEUED: usize = 6;
const CLIENTS: usize = 30;

/// The server, killed when the test ends however it ends.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_sovsim"))
        .args(["serve", "--port", "0", "--scenarios"])
        .arg(root.join("scenarios"))
        .args(["--concurrent-runs", &CONCURRENT.to_string()])
        .args(["--queued-runs", &QUEUED.to_string()])
        .args(["--max-replicates", "4"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut text = String::new();
    let mut byte = [0u8; 1];
    let deadline = Instant::now() + Duration::from_secs(60);
    while !text.contains("Ctrl-C") {
        assert!(
            Instant::now() < deadline,
            "the server did not start: {text}"
        );
        match out.read(&mut byte) {
            Ok(1) => text.push(byte[0] as char),
            _ => panic!("the server stopped before listening: {text}"),
        }
    }
    let port = text
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {text}"));
    // Keep draining stdout so the server never blocks on a full pipe.
    thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = out.read_to_end(&mut sink);
    });
    Server { child, port }
}

/// Sends a request with `Connection: close`; the stream, ready to read the response.
fn send(port: u16, method: &str, path: &str, body: &[u8]) -> std::io::Result<TcpStream> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    s.set_write_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    // An oversized body may be refused before it is all sent; the answer still comes.
    let _ = s.write_all(body);
    Ok(s)
}

/// The status and the whole response (to the end of the stream).
fn call(port: u16, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut s = send(port, method, path, body).unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

fn status(port: u16) -> serde_json::Value {
    let (code, text) = call(port, "GET", "/api/status", b"");
    assert_eq!(code, 200, "{text}");
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn run_body(seed: u64, agents: u32, replicates: u32) -> Vec<u8> {
    format!(
        r#"{{"settings":{{"scenario":"factions_allowed","seed":{seed},"agents":{agents},"replicates":{replicates}}},"metrics":["oligarchy"]}}"#
    )
    .into_bytes()
}

/// Threads and resident memory of a process, from /proc (Linux only).
fn threads_and_memory(pid: u32) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        text.lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((field("Threads:")?, field("VmRSS:")?))
}

/// Waits until the server computes and queues nothing, then until its idle threads have
/// gone (tokio keeps a blocking thread two seconds after its last task).
fn settle(server: &Server) -> Option<(u64, u64)> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = status(server.port);
        if s["computing"] == 0 && s["waiting"] == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "runs still going: {s}");
        thread::sleep(Duration::from_millis(100));
    }
    thread::sleep(Duration::from_secs(4));
    threads_and_memory(server.child.id())
}

/// What one client did and what it got.
#[derive(Debug)]
enum Outcome {
    Ran,
    Refused(u16),
    HungUp,
}

/// One client of the burst: `k` decides which kind; `round` gives each burst seeds of its
/// own, so that the second computes as much as the first.
fn client(port: u16, k: usize, round: u64) -> Outcome {
    let seed = round * 1000 + k as u64;
    match k % 10 {
        // Malformed JSON.
        0 => {
            let (code, text) = call(port, "POST", "/api/run", b"{\"settings\": {\"scenario\":");
            assert_eq!(code, 400, "{text}");
            assert!(text.contains("\"error\""), "{text}");
            Outcome::Refused(code)
        }
        // Oversized.
        1 => {
            let big = format!(
                "{{\"settings\":{{\"scenario\":\"{}\"}}}}",
                "x".repeat(200_000)
            );
            let (code, text) = call(port, "POST", "/api/run", big.as_bytes());
            assert_eq!(code, 413, "{text}");
            assert!(text.contains("larger than this lab accepts"), "{text}");
            Outcome::Refused(code)
        }
        // Over the lab's limits.
        2 => {
            let (code, text) = call(port, "POST", "/api/run", &run_body(1, 500, 50));
            assert_eq!(code, 422, "{text}");
            assert!(text.contains("\"control\":\"replicates\""), "{text}");
            Outcome::Refused(code)
        }
        // A path or method the lab does not have; a key it does not know.
        3 => {
            let (code, text) = call(port, "GET", "/api/nothing", b"");
            assert_eq!(code, 404, "{text}");
            let (code, _) = call(port, "DELETE", "/api/run", b"");
            assert_eq!(code, 405);
            let (code, text) = call(
                port,
                "POST",
                "/api/check",
                br#"{"scenario":"historical","replicats":3}"#,
            );
            assert_eq!(code, 422, "{text}");
            assert!(text.contains("replicats"), "{text}");
            Outcome::Refused(code)
        }
        // Hangs up once its run has started.
        4 | 5 => {
            let mut s = send(port, "POST", "/api/run", &run_body(seed, 3000, 4)).unwrap();
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&got);
                // Leaves once running, or while still waiting in the queue.
                if text.contains("event: started")
                    || text.contains("event: queued")
                    || text.starts_with("HTTP/1.1 503")
                {
                    break;
                }
            }
            drop(s);
            Outcome::HungUp
        }
        // A run to its end, or refused because the lab is busy.
        _ => {
            let (code, text) = call(port, "POST", "/api/run", &run_body(seed, 600, 2));
            match code {
                200 => {
                    assert!(text.contains("event: done"), "{text}");
                    assert!(text.contains("event: files"), "{text}");
                    Outcome::Ran
                }
                503 => {
                    assert!(text.contains("the lab is busy"), "{text}");
                    Outcome::Refused(code)
                }
                _ => panic!("unexpected answer {code}: {text}"),
            }
        }
    }
}

/// Thirty clients at once; meanwhile the server's own counters are watched against its
/// limits.
fn burst(server: &Server, round: u64) -> Vec<Outcome> {
    let port = server.port;
    let watching = Arc::new(AtomicBool::new(true));
    let most_computing = Arc::new(AtomicUsize::new(0));
    let most_waiting = Arc::new(AtomicUsize::new(0));
    let watcher = {
        let (watching, computing, waiting) = (
            watching.clone(),
            most_computing.clone(),
            most_waiting.clone(),
        );
        thread::spawn(move || {
            while watching.load(Ordering::SeqCst) {
                let s = status(port);
                computing.fetch_max(s["computing"].as_u64().unwrap() as usize, Ordering::SeqCst);
                waiting.fetch_max(s["waiting"].as_u64().unwrap() as usize, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let clients: Vec<_> = (0..CLIENTS)
        .map(|k| thread::spawn(move || client(port, k, round)))
        .collect();
    let outcomes: Vec<Outcome> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    watching.store(false, Ordering::SeqCst);
    watcher.join().unwrap();
    assert!(most_computing.load(Ordering::SeqCst) <= CONCURRENT);
    assert!(most_waiting.load(Ordering::SeqCst) <= QUEUED);
    outcomes
}

#[test]
fn thirty_clients_at_once_are_each_answered_within_the_limits_and_nothing_leaks() {
    let started = Instant::now();
    let server = start();
    let port = server.port;
    // Warm up (the worker pool, the library) before measuring.
    let (code, text) = call(port, "POST", "/api/run", &run_body(7, 600, 2));
    assert_eq!(code, 200, "{text}");

    // A client that leaves stops its run: a run of minutes is gone within seconds.
    let mut s = send(port, "POST", "/api/run", &run_body(8, 20_000, 4)).unwrap();
    let mut buf = [0u8; 4096];
    let mut got = String::new();
    while !got.contains("event: started") {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "{got}");
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    thread::sleep(Duration::from_millis(300));
    assert_eq!(status(port)["computing"], 1);
    drop(s);
    let left = Instant::now();
    while status(port)["computing"] != 0 {
        assert!(
            left.elapsed() < Duration::from_secs(5),
            "the run went on after its client left"
        );
        thread::sleep(Duration::from_millis(50));
    }

    let before = settle(&server);
    let first = burst(&server, 1);
    let after_first = settle(&server);
    let second = burst(&server, 2);
    let after_second = settle(&server);

    for outcomes in [&first, &second] {
        let ran = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Ran))
            .count();
        let busy = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Refused(503)))
            .count();
        assert!(ran >= CONCURRENT, "{outcomes:?}");
        assert_eq!(outcomes.len(), CLIENTS);
        eprintln!("burst: {ran} runs finished, {busy} refused as busy, {outcomes:?}");
    }
    // Still up, and still right.
    let (code, text) = call(port, "GET", "/api/library", b"");
    assert_eq!(code, 200);
    assert!(text.contains("factions_allowed"));
    if let (Some(before), Some(first), Some(second)) = (before, after_first, after_second) {
        eprintln!(
            "threads {} -> {} -> {}; resident memory {} -> {} -> {} KiB",
            before.0, first.0, second.0, before.1, first.1, second.1
        );
        assert!(first.0 <= before.0 && second.0 <= before.0, "threads leak");
        // The second burst does what the first did: its memory is what the first left
        // (the cache of finished runs is bounded and full of the same sizes by then).
        assert!(
            second.1 <= first.1 + 16 * 1024,
            "memory grew by {} KiB from one burst to the next",
            second.1 - first.1
        );
    }
    assert!(started.elapsed() < Duration::from_secs(300));
}
