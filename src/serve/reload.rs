//! Live reload: open pages listen on `/__switchyard/events` (Server-Sent Events). After a
//! rebuild every listener gets `reload`; a broken edit sends `problems` (the located errors,
//! shown as an overlay by the injected script) and a fix sends an empty list. A page that
//! connects gets the current problems at once, so an overlay survives a reload.

use crate::problem::Problem;
use serde::Serialize;
use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const EVENTS_PATH: &str = "/__switchyard/events";
pub const SCRIPT_PATH: &str = "/__switchyard/reload.js";
/// Listening pages at most; more are answered 503.
const MAX_LISTENERS: usize = 64;

/// The script added to every HTML answer.
pub const SCRIPT: &str = include_str!("reload.js");

/// A located error as the overlay shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shown {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub rule: String,
    pub message: String,
}

impl From<&Problem> for Shown {
    fn from(p: &Problem) -> Shown {
        Shown {
            path: p.path.clone(),
            line: p.line,
            column: p.column,
            rule: p.rule.to_string(),
            message: p.message.clone(),
        }
    }
}

/// The pages listening for events, and the problems they should show.
#[derive(Default)]
pub struct Hub {
    listeners: Mutex<Vec<TcpStream>>,
    problems: Mutex<String>,
}

impl Hub {
    /// Answers an events request and keeps the connection to send events later.
    pub fn subscribe(&self, mut stream: TcpStream) -> io::Result<()> {
        let Ok(mut listeners) = self.listeners.lock() else {
            return Ok(());
        };
        if listeners.len() >= MAX_LISTENERS {
            return super::http::respond(&mut stream, 503, &[], b"too many listeners\n", false);
        }
        stream.set_write_timeout(Some(Duration::from_secs(1)))?;
        let problems = self.current();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 300\n\n";
        stream.write_all(head.as_bytes())?;
        stream.write_all(event("problems", &problems).as_bytes())?;
        listeners.push(stream);
        Ok(())
    }

    /// Tells every page to reload.
    pub fn reload(&self, what: &str) {
        let data = serde_json::json!({ "changed": what }).to_string();
        self.send(&event("reload", &data));
    }

    /// Shows `problems` on every page (an empty list clears the overlay).
    pub fn problems(&self, problems: &[Shown]) {
        let data = serde_json::to_string(problems).unwrap_or_else(|_| "[]".into());
        if let Ok(mut p) = self.problems.lock() {
            *p = data.clone();
        }
        self.send(&event("problems", &data));
    }

    fn current(&self) -> String {
        match self.problems.lock() {
            Ok(p) if !p.is_empty() => p.clone(),
            _ => "[]".into(),
        }
    }

    /// Writes to every listener, dropping those that are gone or too slow.
    fn send(&self, text: &str) {
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.retain_mut(|s| s.write_all(text.as_bytes()).and_then(|_| s.flush()).is_ok());
        }
    }

    pub fn listeners(&self) -> usize {
        self.listeners.lock().map(|l| l.len()).unwrap_or(0)
    }
}

/// One event in the SSE format; `data` is one line of JSON.
fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// A comment every 15 s, so listeners that went away are noticed and dropped.
pub fn start_heartbeat(shared: Arc<super::Shared>) {
    let _ = std::thread::Builder::new()
        .name("heartbeat".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(15));
            shared.hub.send(": ping\n\n");
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_one_json_line_each() {
        let shown = vec![Shown {
            path: "a/apiDefinition.swagger.json".into(),
            line: 3,
            column: 7,
            rule: "F002".into(),
            message: "expected `,`\nor `}`".into(),
        }];
        let data = serde_json::to_string(&shown).expect("json");
        let e = event("problems", &data);
        assert_eq!(e.matches('\n').count(), 3, "{e}");
        assert!(e.starts_with("event: problems\ndata: [{"));
    }
}
