//! Runs the real `switchyard serve` on a free port for the tests, with raw HTTP helpers and
//! an events listener. The server's private folder goes under the test's temporary folder
//! (TMPDIR), and the process is stopped when the `Server` is dropped. `SWITCHYARD_BIN` may
//! name another build of the binary (a release build, for measuring).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub port: u16,
    /// The folder of the built site being served.
    pub site: PathBuf,
}

impl Server {
    /// Starts `serve` on `source` with an empty config; `tmp` receives its private folder.
    pub fn start(source: &Path, tmp: &Path) -> Server {
        Server::start_with_config(source, tmp, "")
    }

    /// `start`, with `config` as the text of its `site.toml`.
    pub fn start_with_config(source: &Path, tmp: &Path, config: &str) -> Server {
        let config_path = tmp.join("site.toml");
        std::fs::write(&config_path, config).expect("config");
        let config = config_path;
        let mut child = Command::new(binary())
            .args(["serve", "--port", "0", "--no-history", "--config"])
            .arg(&config)
            .arg("--source")
            .arg(source)
            .env("TMPDIR", tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start switchyard serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let (mut port, mut site) = (None, None);
        while port.is_none() || site.is_none() {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                panic!("serve stopped before it was ready");
            };
            if let Some(url) = line.split("http://127.0.0.1:").nth(1) {
                port = url.trim_end_matches('/').parse().ok();
            }
            if let Some(dir) = line.strip_prefix("site: ") {
                site = Some(PathBuf::from(dir));
            }
        }
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            port: port.expect("port"),
            site: site.expect("site"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Sends raw bytes, returns (status, head, body).
    pub fn raw(&self, request: &[u8]) -> (u16, String, Vec<u8>) {
        raw(self.port, request)
    }

    pub fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        self.raw(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
    }

    pub fn get_text(&self, path: &str) -> String {
        let (status, _, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}");
        String::from_utf8(body).expect("utf8")
    }

    /// Opens the events stream.
    pub fn events(&self) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.write_all(b"GET /__switchyard/events HTTP/1.1\r\nHost: x\r\n\r\n")
            .expect("write");
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let mut e = Events {
            stream: s,
            text: String::new(),
            seen: 0,
        };
        e.wait_for("event: problems", 30);
        e
    }
}

/// The binary under test; `SWITCHYARD_BIN` may name another build (a release one, to measure).
pub fn binary() -> PathBuf {
    std::env::var_os("SWITCHYARD_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_switchyard")))
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request on a fresh connection; reads to the end.
pub fn raw(port: u16, request: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    s.write_all(request).expect("write");
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (status, head, all[split + 4..].to_vec())
}

/// The events a test listens to, read as text.
pub struct Events {
    stream: TcpStream,
    text: String,
    seen: usize,
}

impl Events {
    /// Waits until `needle` appears after what was already consumed; returns the text up to
    /// and including the event it is in, and consumes it.
    pub fn wait_for(&mut self, needle: &str, secs: u64) -> String {
        let until = Instant::now() + Duration::from_secs(secs);
        let mut buf = [0u8; 4096];
        loop {
            if let Some(at) = self.text[self.seen..].find(needle) {
                let start = self.seen + at;
                if let Some(e) = self.text[start..].find("\n\n") {
                    let end = start + e + 2;
                    let got = self.text[self.seen..end].to_string();
                    self.seen = end;
                    return got;
                }
            }
            assert!(
                Instant::now() < until,
                "no {needle:?} in the events: {:?}",
                &self.text[self.seen..]
            );
            if let Ok(n) = self.stream.read(&mut buf) {
                assert!(n > 0, "the events stream closed");
                self.text.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    }
}
