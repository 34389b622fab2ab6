//! Readme rules: R001 the sections a connector readme must have, R002 every operation listed
//! under Supported Operations. (R003, the readme's encoding, is found while reading it.)

use crate::lint::context::{Findings, Subject};
use crate::lint::walk::Op;
use crate::model::Tier;

/// Required sections: (what to look for in a heading, how to name it).
const SECTIONS: [(&str, &str); 5] = [
    ("publisher", "Publisher"),
    ("prerequisite", "Prerequisites"),
    ("supported operation", "Supported Operations"),
    ("obtaining credential", "Obtaining Credentials"),
    ("known issues", "Known Issues and Limitations"),
];
const DEPLOYMENT: (&str, &str) = ("deployment instruction", "Deployment Instructions");

pub fn check(s: &Subject, out: &mut Findings) {
    let Some(text) = s.readme.map(|r| r.text.as_str()) else {
        return;
    };
    let headings = headings(text);
    let mut wanted: Vec<(&str, &str)> = SECTIONS.to_vec();
    if s.tier() == Tier::Certified {
        wanted.push(DEPLOYMENT);
    }
    for (needle, name) in wanted {
        let found = headings.iter().any(|h| h.text.contains(needle))
            || (needle == "publisher" && publisher_line(text));
        if !found {
            out.readme("R001", 0, format!("the readme has no \"{name}\" section"));
        }
    }
    if let Some(section) = headings
        .iter()
        .position(|h| h.text.contains("supported operation"))
    {
        listed_operations(&s.ops, text, &headings, section, out);
    }
}

/// A Markdown heading (ATX `#`, or a line that is all bold) with its level and line.
struct Heading {
    line: u32,
    level: usize,
    /// Lower case, `&` read as "and", markup removed.
    text: String,
    /// Byte offset where the heading's line starts.
    start: usize,
}

fn normalise(text: &str) -> String {
    if text.is_ascii() {
        normalise_ascii(text)
    } else {
        normalise_any(text)
    }
}

/// `normalise` of any text.
fn normalise_any(text: &str) -> String {
    text.to_lowercase()
        .replace('&', "and")
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '#'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `normalise` of ASCII text in one pass (it read every line of most readmes four times over).
fn normalise_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for b in text.bytes() {
        match b {
            b'*' | b'_' | b'`' | b'#' => {}
            b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => space = !out.is_empty(),
            _ => {
                if space {
                    out.push(' ');
                    space = false;
                }
                match b {
                    b'&' => out.push_str("and"),
                    _ => out.push(char::from(b.to_ascii_lowercase())),
                }
            }
        }
    }
    out
}

fn headings(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut fenced = false;
    for (i, raw) in text.split('\n').enumerate() {
        let start = offset;
        offset += raw.len() + 1;
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced {
            continue;
        }
        let level = line.chars().take_while(|c| *c == '#').count();
        let bold = line.len() > 4
            && ((line.starts_with("**") && line.ends_with("**"))
                || (line.starts_with("__") && line.ends_with("__")));
        if (1..=6).contains(&level) || bold {
            out.push(Heading {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                level: if bold { 7 } else { level },
                text: normalise(line),
                start,
            });
        }
    }
    out
}

/// "Publisher: ..." written as a plain line.
fn publisher_line(text: &str) -> bool {
    text.lines().any(|l| normalise(l).starts_with("publisher"))
}

fn listed_operations(
    ops: &[Op],
    text: &str,
    headings: &[Heading],
    index: usize,
    out: &mut Findings,
) {
    let Some(heading) = headings.get(index) else {
        return;
    };
    let end = headings
        .iter()
        .skip(index + 1)
        .find(|h| h.level <= heading.level)
        .map_or(text.len(), |h| h.start);
    let section = normalise(text.get(heading.start..end).unwrap_or(""));
    let internal = |op: &Op| {
        op.str("x-ms-visibility")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("internal"))
    };
    for op in ops.iter().filter(|o| !o.deprecated() && !internal(o)) {
        let summary = op.str("summary").map(normalise).unwrap_or_default();
        let id = op.operation_id();
        let listed = (!summary.is_empty() && section.contains(&summary))
            || id.is_some_and(|id| section.contains(&id.to_lowercase()));
        if !listed {
            let title = op.str("summary").or(id).unwrap_or(op.path);
            out.readme(
                "R002",
                heading.line,
                format!("operation \"{title}\" is not listed under Supported Operations"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::Case;
    use crate::model::Tier;
    use crate::problem::Severity;

    const DEF: &str = r#"{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "ListItems", "summary": "List items", "responses": {}}}}}"#;

    /// The one-pass ASCII normalisation gives what the general one gives.
    #[test]
    fn ascii_normalisation_matches_the_general_one() {
        for text in [
            "",
            "   ",
            "## **Known Issues & Limitations**  ",
            "\t_Publisher_:\x0b Me\r\n",
            " a * b ",
            "`Get_Items`&More\x0c",
            "#",
            "** **x",
        ] {
            assert_eq!(
                super::normalise_ascii(text),
                super::normalise_any(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn r001_sections() {
        let fail = Case::new(Tier::Certified)
            .readme("# Thing\n\n## Publisher: Me\n\n## Prerequisites\n")
            .run();
        fail.expect("R001", Severity::Warning, 0, 0);
        assert_eq!(
            fail.count("R001"),
            4,
            "Supported Operations, Credentials, Known Issues, Deployment"
        );
        let ok = "## Publisher: Me\n## Prerequisites\n## Supported Operations\n- List items\n## Obtaining Credentials\n## Known Issues & Limitations\n## Deployment Instructions\n";
        Case::new(Tier::Certified).readme(ok).run().none("R001");
        let independent = ok.replace("## Deployment Instructions\n", "");
        Case::new(Tier::IndependentPublisher)
            .readme(&independent)
            .run()
            .none("R001");
    }

    #[test]
    fn r003_readme_encoding() {
        let mut latin1 = crate::lint::testing::GOOD_README.as_bytes().to_vec();
        latin1.extend(b"\n## Br\xf8nn\xf8y\n");
        let got = Case::new(Tier::Certified).readme_bytes(&latin1).run();
        let (line, _) = crate::lint::testing::at(crate::lint::testing::GOOD_README, "Import.");
        got.expect("R003", Severity::Warning, line + 2, 6);
        Case::new(Tier::Certified).run().none("R003");
    }

    #[test]
    fn r002_operations_listed() {
        let readme = "## Publisher: Me\n\n## Supported Operations\n\n### Get things\n\n## Known Issues\n- List items is slow\n";
        let fail = Case::new(Tier::Certified)
            .definition(DEF)
            .readme(readme)
            .run();
        fail.expect("R002", Severity::Info, 3, 1);
        let ok = readme.replace("### Get things", "### List items");
        Case::new(Tier::Certified)
            .definition(DEF)
            .readme(&ok)
            .run()
            .none("R002");
    }
}
