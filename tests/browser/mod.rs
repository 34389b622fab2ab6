//! A small browser harness for tests: chromedriver driving headless Chromium over the W3C
//! WebDriver JSON protocol (a tiny blocking HTTP client on `TcpStream`), and a static file
//! server thread for a built site on 127.0.0.1. Without `/usr/bin/chromedriver` the tests
//! print "skipped: no chromedriver" and pass (CI installs it).
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// One HTTP/1.1 request; returns (status, body).
fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(payload.as_bytes())?;
    // chromedriver keeps the connection open: read the header, then the body it announces.
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let split = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::other("no HTTP header"));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let header = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = header
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let length: Option<usize> = header
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok());
    let chunked = header.contains("transfer-encoding: chunked");
    let mut body = raw[split + 4..].to_vec();
    loop {
        let complete = match length {
            Some(n) => body.len() >= n,
            None if chunked => body.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if complete {
            break;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    if chunked {
        body = dechunk(&body);
    }
    Ok((status, body))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 || data.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[(eol + 4 + size).min(data.len())..];
    }
    out
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A headless Chromium session.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    /// Starts chromedriver and a session; `None` (and a note) when chromedriver is absent.
    pub fn start() -> Option<Browser> {
        Browser::start_with(&[])
    }

    /// A session in which pages run no script of their own (as for a reader who turned
    /// JavaScript off); WebDriver's own scripts still run, so tests can read the page.
    pub fn start_without_page_scripts() -> Option<Browser> {
        Browser::start_with(&["--blink-settings=scriptEnabled=false"])
    }

    fn start_with(extra_args: &[&str]) -> Option<Browser> {
        if !Path::new(CHROMEDRIVER).exists() {
            println!("skipped: no chromedriver");
            return None;
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while http(port, "GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut args = vec![
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,900",
        ];
        args.extend_from_slice(extra_args);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let v = browser.call("POST", "/session", Some(&caps));
        browser.session = v["sessionId"].as_str().expect("session id").to_string();
        Some(browser)
    }

    /// A WebDriver command; panics on an error answer. Returns `value`.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn try_call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let (status, bytes) = http(self.port, method, path, body).map_err(|e| e.to_string())?;
        let v: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&bytes)))?;
        if status != 200 {
            return Err(format!("{status}: {}", v["value"]));
        }
        Ok(v["value"].clone())
    }

    fn at(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn navigate(&self, url: &str) {
        self.call("POST", &self.at("/url"), Some(&json!({ "url": url })));
    }

    /// The first element matching a CSS selector.
    pub fn find(&self, css: &str) -> Option<String> {
        let body = json!({"using": "css selector", "value": css});
        let v = self
            .try_call("POST", &self.at("/element"), Some(&body))
            .ok()?;
        v.as_object()?.values().next()?.as_str().map(str::to_string)
    }

    pub fn click(&self, element: &str) {
        self.call(
            "POST",
            &self.at(&format!("/element/{element}/click")),
            Some(&json!({})),
        );
    }

    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            &self.at("/execute/sync"),
            Some(&json!({"script": script, "args": args})),
        )
    }

    /// Runs a script whose last argument is a callback.
    pub fn execute_async(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            &self.at("/execute/async"),
            Some(&json!({"script": script, "args": args})),
        )
    }

    pub fn set_script_timeout(&self, ms: u64) {
        self.call("POST", &self.at("/timeouts"), Some(&json!({"script": ms})));
    }

    /// Polls a script until it returns true (or panics after `secs`).
    pub fn wait_for(&self, script: &str, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if self.execute(script, json!([])) == json!(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Browser console entries since the last call, as (level, message).
    pub fn console(&self) -> Vec<(String, String)> {
        let body = json!({"type": "browser"});
        let v = self
            .try_call("POST", &self.at("/se/log"), Some(&body))
            .or_else(|_| self.try_call("POST", &self.at("/log"), Some(&body)))
            .unwrap_or(Value::Null);
        v.as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["level"].as_str().unwrap_or("").to_string(),
                    e["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    /// Console errors (level SEVERE) since the last call.
    pub fn console_errors(&self) -> Vec<String> {
        self.console()
            .into_iter()
            .filter(|(l, _)| l == "SEVERE")
            .map(|(_, m)| m)
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Serves `dir` on 127.0.0.1 from a thread; returns the base URL (`http://127.0.0.1:N/`).
pub fn serve(dir: &Path) -> String {
    serve_slowly(dir, "", Duration::ZERO)
}

/// `serve`, answering requests whose path ends with `slow_suffix` only after `delay` (a slow
/// network for one file, to test what a page does before that file arrives).
pub fn serve_slowly(dir: &Path, slow_suffix: &'static str, delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let root = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = answer(&root, stream, slow_suffix, delay);
            });
        }
    });
    format!("http://127.0.0.1:{port}/")
}

fn answer(
    root: &Path,
    mut stream: TcpStream,
    slow_suffix: &str,
    delay: Duration,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if !slow_suffix.is_empty() && path.ends_with(slow_suffix) {
        std::thread::sleep(delay);
    }
    let file = resolve(root, &percent_decode(path));
    let (status, body, kind) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, b)) => ("200 OK", b, content_type(&f)),
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()
}

fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let mut out = root.to_path_buf();
    for c in Path::new(path.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    out.is_file().then_some(out)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}
