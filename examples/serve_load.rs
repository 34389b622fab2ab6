//! A load client for `switchyard serve` (used by `bench/serve-load.sh`): a fixed number of
//! GET requests spread over a fixed number of client threads, each on a fresh connection to
//! 127.0.0.1, cycling through a list of paths. Prints throughput, latency percentiles and
//! errors (any status but 200, or any I/O failure), and exits non-zero on any error.
//!
//!   cargo run --release --example serve_load -- PORT PATHS-FILE REQUESTS CLIENTS NAME

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [port, paths, requests, clients, name] = args.as_slice() else {
        eprintln!("usage: serve_load PORT PATHS-FILE REQUESTS CLIENTS NAME");
        return ExitCode::from(2);
    };
    let (Ok(port), Ok(requests), Ok(clients)) = (
        port.parse::<u16>(),
        requests.parse::<usize>(),
        clients.parse::<usize>(),
    ) else {
        eprintln!("PORT, REQUESTS and CLIENTS are numbers");
        return ExitCode::from(2);
    };
    let Ok(text) = std::fs::read_to_string(paths) else {
        eprintln!("cannot read {paths}");
        return ExitCode::from(2);
    };
    let paths: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if paths.is_empty() || clients == 0 {
        eprintln!("no paths or no clients");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let results: Vec<(Vec<Duration>, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let paths = &paths;
                let share = requests / clients + usize::from(c < requests % clients);
                s.spawn(move || client(port, paths, c, share))
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies: Vec<Duration> = results.iter().flat_map(|r| r.0.clone()).collect();
    let errors: usize = results.iter().map(|r| r.1).sum();
    latencies.sort_unstable();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len().max(1));
        latencies
            .get(i - 1)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{name}: {} requests, {clients} clients, {elapsed:.2} s: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, errors {errors}",
        latencies.len() + errors,
        (latencies.len() + errors) as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        pct(1.0),
    );
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `count` requests, one after another; returns the latencies of the good ones and the
/// number of errors.
fn client(port: u16, paths: &[String], offset: usize, count: usize) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::with_capacity(count);
    let mut errors = 0;
    for n in 0..count {
        let path = &paths[(offset + n * 7) % paths.len()];
        let t = Instant::now();
        match get(port, path) {
            Ok(200) => latencies.push(t.elapsed()),
            Ok(status) => {
                eprintln!("{path}: status {status}");
                errors += 1;
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                errors += 1;
            }
        }
    }
    (latencies, errors)
}

/// One GET on a fresh connection, read to the end; returns the status.
fn get(port: u16, path: &str) -> std::io::Result<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())?;
    let mut body = Vec::with_capacity(64 * 1024);
    s.read_to_end(&mut body)?;
    let head = String::from_utf8_lossy(&body[..body.len().min(32)]).into_owned();
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))
}
