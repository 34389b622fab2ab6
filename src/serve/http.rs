//! A small HTTP/1.1 server on std for `serve`: one accept loop, a bounded queue and a fixed
//! pool of worker threads. It answers GET and HEAD only, one request per connection
//! (`Connection: close`), and is strict with what it reads: a request head over 16 KB is
//! refused (431), a malformed one is refused (400), and slow clients are cut off by read and
//! write timeouts and a deadline on the whole head, so they cannot hold workers for long.

use super::{api, files, reload, Shared};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{sync_channel, Receiver, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest request head (request line and headers) read.
pub const MAX_HEAD: usize = 16 * 1024;
/// Worker threads answering requests.
const WORKERS: usize = 8;
/// Connections waiting for a worker; past that a connection is answered 503 at once.
const QUEUE: usize = 64;
/// How long a client may take to send its whole request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed request: what the handlers need, nothing more.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path part of the target, still percent-encoded.
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
    /// `If-None-Match`: the version of the file the client has.
    pub if_none_match: Option<String>,
}

/// Why a request head was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Malformed,
    TooLarge,
    /// The client went away or was too slow: nothing to answer.
    Gone,
}

/// Accepts connections until the listener fails, handing each to the worker pool.
pub fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let (tx, rx) = sync_channel::<TcpStream>(QUEUE);
    let rx = Arc::new(Mutex::new(rx));
    for n in 0..WORKERS {
        let rx = Arc::clone(&rx);
        let shared = Arc::clone(&shared);
        let _ = std::thread::Builder::new()
            .name(format!("http-{n}"))
            .spawn(move || worker(&rx, &shared));
    }
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, say: wait instead of spinning.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if let Err(TrySendError::Full(mut stream)) = tx.try_send(stream) {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = respond(&mut stream, 503, &[], b"server busy\n", false);
        }
    }
}

fn worker(rx: &Mutex<Receiver<TcpStream>>, shared: &Shared) {
    loop {
        let next = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(stream) = next else { return };
        let _ = handle(stream, shared);
    }
}

/// Reads one request and answers it.
fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let head = match read_head(&mut stream, HEAD_DEADLINE) {
        Ok(head) => head,
        Err(Refused::Gone) => return Ok(()),
        Err(Refused::TooLarge) => {
            return respond(&mut stream, 431, &[], b"request header too large\n", false)
        }
        Err(Refused::Malformed) => return respond(&mut stream, 400, &[], b"bad request\n", false),
    };
    let req = match parse_head(&head) {
        Ok(req) => req,
        Err(_) => return respond(&mut stream, 400, &[], b"bad request\n", false),
    };
    let head_only = req.method == "HEAD";
    if req.method != "GET" && !head_only {
        let allow = [("Allow", "GET, HEAD".to_string())];
        return respond(&mut stream, 405, &allow, b"method not allowed\n", false);
    }
    route(stream, &req, head_only, shared)
}

fn route(mut stream: TcpStream, req: &Request, head_only: bool, shared: &Shared) -> io::Result<()> {
    match req.path.as_str() {
        reload::EVENTS_PATH if !head_only => shared.hub.subscribe(stream),
        reload::SCRIPT_PATH => {
            let kind = [("Content-Type", "text/javascript; charset=utf-8".to_string())];
            respond(
                &mut stream,
                200,
                &kind,
                reload::SCRIPT.as_bytes(),
                head_only,
            )
        }
        api::SEARCH_PATH => {
            let (status, body) = api::search(shared, &req.query);
            let kind = [("Content-Type", "application/json".to_string())];
            respond(&mut stream, status, &kind, body.as_bytes(), head_only)
        }
        _ => {
            let answer = files::answer(&shared.root(), &req.path);
            let mut headers = vec![("Content-Type", answer.content_type.to_string())];
            if let Some(to) = &answer.location {
                headers.push(("Location", to.clone()));
            }
            if let Some(tag) = &answer.etag {
                // Revalidated on every load, so an edit always shows; unchanged files are 304.
                headers.push(("ETag", tag.clone()));
                headers.push(("Cache-Control", "no-cache".to_string()));
                if req.if_none_match.as_ref() == Some(tag) {
                    return respond(&mut stream, 304, &headers, b"", true);
                }
            }
            respond(
                &mut stream,
                answer.status,
                &headers,
                &answer.body,
                head_only,
            )
        }
    }
}

/// Reads up to the blank line that ends the head. Every read has a timeout set from what is
/// left of `deadline`, so a client sending one byte at a time is still cut off.
pub fn read_head(stream: &mut TcpStream, deadline: Duration) -> Result<Vec<u8>, Refused> {
    let started = Instant::now();
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline
            .checked_sub(started.elapsed())
            .filter(|d| !d.is_zero())
            .ok_or(Refused::Gone)?;
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| Refused::Gone)?;
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => return Err(Refused::Gone),
            Ok(n) => n,
        };
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find_end(&head[from..]) {
            let end = from + end;
            if end > MAX_HEAD {
                return Err(Refused::TooLarge);
            }
            head.truncate(end);
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(Refused::TooLarge);
        }
    }
}

/// The position just before `\r\n\r\n` (or `\n\n`), if the head is complete.
fn find_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = bytes.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Parses the request line and checks that every header line is well formed.
pub fn parse_head(head: &[u8]) -> Result<Request, Refused> {
    let text = std::str::from_utf8(head).map_err(|_| Refused::Malformed)?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let line = lines.next().ok_or(Refused::Malformed)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refused::Malformed);
    };
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase());
    if !token(method) || !matches!(version, "HTTP/1.1" | "HTTP/1.0") {
        return Err(Refused::Malformed);
    }
    if !target.starts_with('/') || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(Refused::Malformed);
    }
    let mut if_none_match = None;
    for header in lines {
        let Some((name, value)) = header.split_once(':') else {
            return Err(Refused::Malformed);
        };
        if name.is_empty() || name.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(Refused::Malformed);
        }
        if name.eq_ignore_ascii_case("if-none-match") {
            if_none_match = Some(value.trim().to_string());
        }
    }
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        if_none_match,
    })
}

/// Writes a complete response and closes the connection.
pub fn respond(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, String)],
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers.iter().any(|(n, _)| *n == "Content-Type") {
        head.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    if !headers.iter().any(|(n, _)| *n == "Cache-Control") {
        head.push_str("Cache-Control: no-store\r\n");
    }
    if status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    drain(stream);
    Ok(())
}

/// Reads what the client still sends (briefly, boundedly) before the socket is dropped:
/// closing with unread bytes would reset the connection and lose the response.
fn drain(stream: &mut TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 8192];
    let mut total = 0;
    while total < 1024 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => total += n,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Request, Refused> {
        parse_head(s.as_bytes())
    }

    #[test]
    fn a_plain_get_is_parsed_with_its_query() {
        let r = parse("GET /api/search?q=sms&limit=3 HTTP/1.1\r\nHost: x").expect("ok");
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/api/search");
        assert_eq!(r.query, "q=sms&limit=3");
        assert_eq!(r.if_none_match, None);
        let r = parse("GET / HTTP/1.1\r\nIf-None-Match: \"1-2\"").expect("ok");
        assert_eq!(r.if_none_match.as_deref(), Some("\"1-2\""));
    }

    #[test]
    fn malformed_heads_are_refused() {
        for bad in [
            "",
            "GET",
            "GET /",
            "GET / HTTP/2.0",
            "GET / HTTP/1.1 extra",
            "get / HTTP/1.1",
            "GET http://x/ HTTP/1.1",
            "GET /a\tb HTTP/1.1",
            "GET / HTTP/1.1\r\nno colon here",
            "GET / HTTP/1.1\r\n: empty name",
        ] {
            assert_eq!(parse(bad), Err(Refused::Malformed), "{bad:?}");
        }
        assert_eq!(parse_head(b"GET /\xff HTTP/1.1"), Err(Refused::Malformed));
    }

    #[test]
    fn the_end_of_the_head_is_found_with_either_line_ending() {
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n\r\n"), Some(14));
        assert_eq!(find_end(b"GET / HTTP/1.1\n\n"), Some(14));
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n"), None);
    }
}
