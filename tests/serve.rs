//! `switchyard serve`, the real binary on a free port against a small fixture repository:
//! pages, HEAD, 404, 405, traversal attempts, malformed and oversized requests, slow clients,
//! `/api/search` against `switchyard search --json`, and the edit → reload and broken edit →
//! overlay → fix cycle over the events stream.

mod common;
mod serving;

use common::{minimal_definition, Repo};
use serving::Server;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::process::Command;

fn fixture() -> Repo {
    let repo = Repo::new();
    repo.connector("certified-connectors", "Alpha Texts")
        .connector("independent-publisher-connectors", "Beta Mail");
    repo
}

fn start(repo: &Repo) -> Server {
    Server::start(&repo.root(), repo.dir.path())
}

const DEFINITION: &str = "certified-connectors/Alpha Texts/apiDefinition.swagger.json";

#[test]
fn pages_are_served_with_the_reload_script_and_head_matches_get() {
    let repo = fixture();
    let server = start(&repo);
    let home = server.get_text("/");
    assert!(home.contains("<title>"), "{home}");
    assert!(server.get_text("/connectors/").contains("Beta Mail"));
    assert!(home.contains("<script src=\"/__switchyard/reload.js\"></script></body>"));
    let built = std::fs::read_to_string(server.site.join("index.html")).expect("built home");
    assert!(
        !built.contains("__switchyard"),
        "built files never hold the script"
    );
    let page = server.get_text("/connectors/alpha-texts/");
    assert!(page.contains("List items"));
    let (status, head, _) = server.get("/connectors/alpha-texts");
    assert_eq!(status, 301);
    assert!(
        head.contains("Location: /connectors/alpha-texts/"),
        "{head}"
    );
    let (status, head, body) = server.get("/static/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css"), "{head}");
    let (status, head, body_of_head) = server.raw(b"HEAD /static/style.css HTTP/1.1\r\n\r\n");
    assert_eq!(status, 200);
    assert!(body_of_head.is_empty());
    assert!(
        head.contains(&format!("Content-Length: {}", body.len())),
        "{head}"
    );
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("ETag: "))
        .expect("an ETag")
        .to_string();
    let again = format!("GET /static/style.css HTTP/1.1\r\nIf-None-Match: {etag}\r\n\r\n");
    let (status, _, body) = server.raw(again.as_bytes());
    assert_eq!(
        (status, body.len()),
        (304, 0),
        "unchanged files are not sent again"
    );
    let (status, _, missing) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    let page_404 = std::fs::read(server.site.join("404.html")).expect("404 page");
    assert!(
        String::from_utf8_lossy(&missing).starts_with(&*String::from_utf8_lossy(
            &page_404[..page_404.len().min(200)]
        ))
    );
    let script = server.get_text("/__switchyard/reload.js");
    assert!(script.contains("EventSource"));
}

#[test]
fn other_methods_are_405() {
    let repo = fixture();
    let server = start(&repo);
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "TRACE"] {
        let (status, head, _) =
            server.raw(format!("{method} / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").as_bytes());
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("Allow: GET, HEAD"), "{head}");
    }
}

#[test]
fn traversal_attempts_never_escape_the_site() {
    let repo = fixture();
    let server = start(&repo);
    let work = server.site.parent().expect("work dir").to_path_buf();
    std::fs::write(work.join("secret.txt"), "SECRET-1").expect("secret");
    std::fs::write(repo.dir.path().join("secret.txt"), "SECRET-2").expect("secret");
    let abs = work.join("secret.txt").display().to_string();
    let attempts = [
        "/../secret.txt".to_string(),
        "/../../secret.txt".to_string(),
        "/%2e%2e/secret.txt".to_string(),
        "/%2e%2e/%2e%2e/secret.txt".to_string(),
        "/..%2fsecret.txt".to_string(),
        "/connectors/%2e%2e%2f%2e%2e%2fsecret.txt".to_string(),
        "/..\\secret.txt".to_string(),
        "/%5c..%5csecret.txt".to_string(),
        "/secret.txt%00.html".to_string(),
        "/%00".to_string(),
        abs.clone(),
        format!("/{abs}"),
        "//etc/passwd".to_string(),
        "/%2fetc%2fpasswd".to_string(),
    ];
    for path in &attempts {
        let (status, _, body) = server.raw(format!("GET {path} HTTP/1.1\r\n\r\n").as_bytes());
        let body = String::from_utf8_lossy(&body);
        assert_ne!(status, 200, "{path}");
        assert!(!body.contains("SECRET"), "{path} leaked");
        assert!(!body.contains("root:"), "{path} leaked");
    }
}

#[test]
fn malformed_requests_are_400_and_oversized_heads_431() {
    let repo = fixture();
    let server = start(&repo);
    for bad in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET noslash HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1 extra\r\n\r\n",
        b"GET / HTTP/1.1\r\nno-colon-header\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\n\r\n",
        b"\x00\x01\x02\r\n\r\n",
    ] {
        let (status, _, _) = server.raw(bad);
        assert_eq!(status, 400, "{:?}", String::from_utf8_lossy(bad));
    }
    let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(20_000));
    assert_eq!(server.raw(long_line.as_bytes()).0, 431);
    let many_headers = format!(
        "GET / HTTP/1.1\r\n{}\r\n",
        "X-Filler: 0123456789abcdef0123456789abcdef\r\n".repeat(600)
    );
    assert_eq!(server.raw(many_headers.as_bytes()).0, 431);
    assert_eq!(server.get("/").0, 200, "the server still answers");
}

#[test]
fn slow_clients_do_not_block_others() {
    let repo = fixture();
    let server = start(&repo);
    // Several clients that send half a request line and then nothing.
    let slow: Vec<TcpStream> = (0..5)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
            s.write_all(b"GET / HT").expect("write");
            s
        })
        .collect();
    for _ in 0..20 {
        assert_eq!(server.get("/").0, 200);
    }
    drop(slow);
}

#[test]
fn a_taken_port_or_a_public_interface_is_refused_with_a_clear_message() {
    let repo = fixture();
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let config = repo.dir.path().join("empty.toml");
    std::fs::write(&config, "").expect("config");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_switchyard"))
            .args(["serve", "--config"])
            .arg(&config)
            .arg("--source")
            .arg(repo.root())
            .args(args)
            .output()
            .expect("run")
    };
    let out = run(&["--port", &port]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let next = port.parse::<u16>().expect("port") + 1;
    assert!(
        err.contains(&format!("port {port} is in use; try --port {next}")),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let out = run(&["--port", "0", "--interface", "0.0.0.0"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a loopback address"), "{err}");
}

#[test]
fn api_search_answers_what_search_json_prints() {
    let repo = fixture();
    let server = start(&repo);
    for (q, limit) in [
        ("list items", 10),
        ("alpha", 1),
        ("nothing-matches-this", 5),
    ] {
        let encoded = q.replace(' ', "+");
        let (status, head, body) = server.get(&format!("/api/search?q={encoded}&limit={limit}"));
        assert_eq!(status, 200);
        assert!(head.contains("Content-Type: application/json"), "{head}");
        let cli = Command::new(env!("CARGO_BIN_EXE_switchyard"))
            .args([
                "search",
                q,
                "--json",
                "--limit",
                &limit.to_string(),
                "--site",
            ])
            .arg(&server.site)
            .output()
            .expect("search");
        assert!(cli.status.success());
        let printed = String::from_utf8(cli.stdout).expect("utf8");
        assert_eq!(
            String::from_utf8(body).expect("utf8"),
            printed.trim_end(),
            "{q}"
        );
    }
    let hits: serde_json::Value =
        serde_json::from_slice(&server.get("/api/search?q=list+items").2).expect("json");
    assert_eq!(hits.as_array().map(Vec::len), Some(2));
    assert_eq!(server.get("/api/search?q=%zz").0, 400);
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_and_a_fix_reloads() {
    let repo = fixture();
    let server = start(&repo);
    let mut events = server.events();
    let page = "/connectors/alpha-texts/";

    repo.file(DEFINITION, minimal_definition("Alpha Texts Renamed"));
    events.wait_for("event: reload", 30);
    assert!(server.get_text(page).contains("Alpha Texts Renamed"));

    let broken = minimal_definition("Alpha Texts Broken").replace("\"2.0\"", "hello");
    repo.file(DEFINITION, broken);
    let problems = events.wait_for("event: problems", 30);
    assert!(problems.contains(DEFINITION), "{problems}");
    assert!(problems.contains("\"line\":2"), "located: {problems}");
    assert!(problems.contains("\"rule\":\"F002\""), "{problems}");
    let served = server.get_text(page);
    assert!(
        served.contains("Alpha Texts Renamed"),
        "last good page served"
    );
    assert!(!served.contains("Alpha Texts Broken"));

    repo.file(DEFINITION, minimal_definition("Alpha Texts Fixed"));
    let cleared = events.wait_for("event: problems", 30);
    assert!(cleared.contains("data: []"), "{cleared}");
    events.wait_for("event: reload", 30);
    assert!(server.get_text(page).contains("Alpha Texts Fixed"));
    // The connector's JSON follows the page.
    let json = server.get_text("/connectors/alpha-texts.json");
    assert!(json.contains("Alpha Texts Fixed"));
}

/// Regression: `serve` re-parsed an edited connector without the linter, so its quality
/// panel lost every finding after the first edit.
#[test]
fn an_edit_keeps_the_linter_findings_on_the_page() {
    let repo = fixture();
    let server = start(&repo);
    let mut events = server.events();
    let page = "/connectors/alpha-texts/";
    let typo = minimal_definition("Alpha Texts Typo").replace(
        "\"operationId\": \"ListItems\",",
        "\"operationId\": \"ListItems\", \"x-ms-visiblity\": \"important\",",
    );
    repo.file(DEFINITION, typo);
    events.wait_for("event: reload", 30);
    let served = server.get_text(page);
    assert!(served.contains("Alpha Texts Typo"));
    assert!(
        served.contains("<code>O011</code>"),
        "the misspelt extension is reported in the quality panel"
    );
}

/// A publisher's list loses a connector after an edit: once the lists are refreshed, the
/// served site no longer has the page that list no longer fills (it lingered, unlinked).
#[test]
fn a_shorter_list_after_an_edit_drops_its_last_page_from_the_served_site() {
    let repo = fixture();
    let server = Server::start_with_config(&repo.root(), repo.dir.path(), "page_size = 1\n");
    let mut events = server.events();
    let second = server.site.join("publishers/tests/page-2.html");
    assert!(second.is_file(), "two connectors by Tests, one per page");
    assert!(server
        .get_text("/publishers/tests/page-2.html")
        .contains("Beta Mail"));

    repo.file(
        "certified-connectors/Alpha Texts/apiProperties.json",
        common::MINIMAL_PROPERTIES.replace("\"publisher\": \"Tests\"", "\"publisher\": \"Others\""),
    );
    events.wait_for("event: reload", 30);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while second.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "publishers/tests/page-2.html is still served after the lists were refreshed"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (status, _, _) = server.get("/publishers/tests/page-2.html");
    assert_eq!(status, 404);
    let first = server.get_text("/publishers/tests/");
    assert!(
        first.contains("Beta Mail") && !first.contains("Alpha Texts"),
        "{first}"
    );
    assert!(server
        .get_text("/publishers/others/")
        .contains("Alpha Texts"));
}

#[test]
fn a_new_connector_folder_rebuilds_the_whole_site() {
    let repo = fixture();
    let server = start(&repo);
    let mut events = server.events();
    repo.connector("certified-connectors", "Gamma Files");
    events.wait_for("event: reload", 30);
    // The new folder may arrive in several batches; wait until its page is there.
    let mut status = 0;
    for _ in 0..50 {
        status = server.get("/connectors/gamma-files/").0;
        if status == 200 {
            break;
        }
        events.wait_for("event: reload", 30);
    }
    assert_eq!(status, 200);
    assert!(server.get_text("/connectors/").contains("Gamma Files"));
}

#[test]
fn a_content_edit_re_renders_and_a_broken_one_shows_the_error() {
    let repo = fixture();
    let content = repo.dir.path().join("content");
    std::fs::create_dir_all(&content).expect("content dir");
    let page = content.join("about.md");
    let write = |text: &str| std::fs::write(&page, text).expect("write");
    write("+++\ntitle = \"About\"\n+++\nFirst words.\n");
    let server = start(&repo);
    let mut events = server.events();
    assert!(server.get_text("/about/").contains("First words."));

    write("+++\ntitle = \"About\"\n+++\nSecond words.\n");
    events.wait_for("event: reload", 30);
    assert!(server.get_text("/about/").contains("Second words."));

    write("+++\ntitle = \n+++\nBroken words.\n");
    let problems = events.wait_for("event: problems", 30);
    assert!(problems.contains("about.md"), "{problems}");
    assert!(server.get_text("/about/").contains("Second words."));

    write("+++\ntitle = \"About\"\n+++\nThird words.\n");
    let cleared = events.wait_for("event: problems", 30);
    assert!(cleared.contains("data: []"), "{cleared}");
    events.wait_for("event: reload", 30);
    assert!(server.get_text("/about/").contains("Third words."));
}

/// An edit leaves a connector fewer operations than one page holds: its further pages of
/// operations leave the served site with the reload, not only at the next refresh.
#[test]
fn an_edit_to_fewer_operations_drops_their_further_pages() {
    let repo = fixture();
    repo.file(DEFINITION, common::paged_definition());
    let server = start(&repo);
    let mut events = server.events();
    let third = server.site.join("connectors/alpha-texts/operations-3.html");
    let (status, _, _) = server.get("/connectors/alpha-texts/operations-3.html");
    assert_eq!(status, 200, "600 operations, three pages");

    repo.file(DEFINITION, minimal_definition("Big <One>"));
    events.wait_for("event: reload", 30);
    assert!(!third.exists(), "the third page is gone with the reload");
    let (status, _, _) = server.get("/connectors/alpha-texts/operations-2.html");
    assert_eq!(status, 404);
    assert!(server
        .get_text("/connectors/alpha-texts/")
        .contains("This connector has no triggers."));
}
