//! Which file of the served site a request path names, safely: the path is percent-decoded
//! once, refused when it holds `..`, a backslash, a NUL or invalid UTF-8, and the file found
//! is resolved (links included) and must still be inside the served folder. HTML answers get
//! the live-reload script, added here at serve time only (built files never hold it).

use super::reload;
use std::path::{Path, PathBuf};

/// What to send back for a path.
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// For a redirect (a folder asked for without its trailing `/`).
    pub location: Option<String>,
    /// The version of a file served with 200 (its modification time and size).
    pub etag: Option<String>,
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// A folder without the trailing slash: its relative links need one.
    Redirect(String),
    NotFound,
    Bad,
}

/// The answer for `path` (still percent-encoded) under `root` (canonical).
pub fn answer(root: &Path, path: &str) -> Answer {
    match resolve(root, path) {
        Target::File(file) => match std::fs::read(&file) {
            Ok(body) => Answer {
                etag: etag(&file),
                ..file_answer(200, &file, body)
            },
            Err(_) => not_found(root),
        },
        Target::Redirect(to) => Answer {
            status: 301,
            content_type: "text/plain; charset=utf-8",
            body: b"moved\n".to_vec(),
            location: Some(to),
            etag: None,
        },
        Target::NotFound => not_found(root),
        Target::Bad => Answer {
            status: 400,
            content_type: "text/plain; charset=utf-8",
            body: b"bad request\n".to_vec(),
            location: None,
            etag: None,
        },
    }
}

fn file_answer(status: u16, file: &Path, body: Vec<u8>) -> Answer {
    let content_type = content_type(file);
    let body = if content_type.starts_with("text/html") {
        inject(body)
    } else {
        body
    };
    Answer {
        status,
        content_type,
        body,
        location: None,
        etag: None,
    }
}

/// A strong validator from the file's modification time and size (a rebuild replaces
/// files, so both change with the content).
fn etag(file: &Path) -> Option<String> {
    let meta = std::fs::metadata(file).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("\"{:x}-{:x}\"", modified.as_nanos(), meta.len()))
}

/// The site's own 404 page, else a line of text.
fn not_found(root: &Path) -> Answer {
    let page = root.join("404.html");
    match std::fs::read(&page) {
        Ok(body) => file_answer(404, &page, body),
        Err(_) => Answer {
            status: 404,
            content_type: "text/plain; charset=utf-8",
            body: b"not found\n".to_vec(),
            location: None,
            etag: None,
        },
    }
}

/// Resolves a request path to a file inside `root` (which must be canonical).
pub fn resolve(root: &Path, path: &str) -> Target {
    let Some(decoded) = percent_decode(path) else {
        return Target::Bad;
    };
    if decoded.contains(&0) || decoded.contains(&b'\\') {
        return Target::Bad;
    }
    let Ok(decoded) = String::from_utf8(decoded) else {
        return Target::Bad;
    };
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Target::Bad,
            s => file.push(s),
        }
    }
    let Some(found) = inside(root, &file) else {
        return Target::NotFound;
    };
    if found.is_dir() {
        if !path.ends_with('/') {
            return Target::Redirect(format!("{path}/"));
        }
        return match inside(root, &found.join("index.html")) {
            Some(index) if index.is_file() => Target::File(index),
            _ => Target::NotFound,
        };
    }
    if found.is_file() {
        Target::File(found)
    } else {
        Target::NotFound
    }
}

/// `path` with every link resolved, if it exists and is still under `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    real.starts_with(root).then_some(real)
}

/// Decodes `%XX` escapes; `None` for a broken escape.
pub fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The content type of a site file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "tsv" => "text/tab-separated-values; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script before the last `</body>` (or at the end).
pub fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{}\"></script>", reload::SCRIPT_PATH);
    let at = memchr::memmem::rfind(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, tag.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("connectors/a")).expect("mkdir");
        std::fs::write(root.join("index.html"), "<body>home</body>").expect("w");
        std::fs::write(root.join("connectors/a/index.html"), "a").expect("w");
        std::fs::write(tmp.path().join("secret.txt"), "secret").expect("w");
        let root = root.canonicalize().expect("canon");
        (tmp, root)
    }

    #[test]
    fn pages_and_folders_resolve_inside_the_root() {
        let (_tmp, root) = site();
        assert_eq!(resolve(&root, "/"), Target::File(root.join("index.html")));
        let a = root.join("connectors/a/index.html");
        assert_eq!(resolve(&root, "/connectors/a/"), Target::File(a.clone()));
        assert_eq!(
            resolve(&root, "/connectors/%61/index.html"),
            Target::File(a)
        );
        assert_eq!(
            resolve(&root, "/connectors/a"),
            Target::Redirect("/connectors/a/".into())
        );
        assert_eq!(resolve(&root, "/nope.html"), Target::NotFound);
    }

    #[test]
    fn traversal_attempts_never_leave_the_root() {
        let (_tmp, root) = site();
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2fsecret.txt",
            "/connectors/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/%00",
            "/index.html%00.txt",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(resolve(&root, bad), Target::Bad, "{bad}");
        }
        // An absolute path inside the request is a path under the root, not the disk's.
        let abs = format!(
            "/{}",
            root.parent().expect("parent").join("secret.txt").display()
        );
        assert_eq!(resolve(&root, &abs), Target::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_are_not_followed() {
        let (tmp, root) = site();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt"))
            .expect("symlink");
        std::os::unix::fs::symlink(tmp.path(), root.join("out")).expect("symlink");
        std::os::unix::fs::symlink(root.join("index.html"), root.join("in.html")).expect("symlink");
        assert_eq!(resolve(&root, "/link.txt"), Target::NotFound);
        assert_eq!(resolve(&root, "/out/secret.txt"), Target::NotFound);
        assert_eq!(
            resolve(&root, "/in.html"),
            Target::File(root.join("index.html"))
        );
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let html = inject(b"<body>x</body></html>".to_vec());
        let text = String::from_utf8(html).expect("utf8");
        assert_eq!(
            text,
            format!(
                "<body>x<script src=\"{}\"></script></body></html>",
                reload::SCRIPT_PATH
            )
        );
        assert!(String::from_utf8(inject(b"plain".to_vec()))
            .expect("utf8")
            .ends_with("</script>"));
    }
}
