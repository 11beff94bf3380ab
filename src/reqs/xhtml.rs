//! XHTML (ReqIF `THE-VALUE`, DOORS Next CSV cells) to plain text that reads well: a line
//! per paragraph, `- ` or `1. ` before list items, ` | ` between table cells, `[object:
//! name]` for embedded objects, entities resolved (the five of XML, numeric ones and the
//! HTML names that real exports use). Element names are matched by local name, so
//! `xhtml:p`, `reqif-xhtml:div` and a default namespace all read the same. Malformed
//! markup never fails: what cannot be parsed is kept as text without its tags.

use quick_xml::events::Event;
use quick_xml::Reader;

/// List items nested deeper than this many levels are indented as this many (two spaces
/// a level): 100,000 nested lists would otherwise indent their last item by 200,000
/// spaces, and the text would grow with the square of the nesting.
pub const MAX_LIST_INDENT: usize = 8;

/// Converts an XHTML fragment (or plain text) to plain text.
pub fn to_text(xhtml: &str) -> String {
    if !xhtml.contains('<') {
        return normalize(&decode_entities(xhtml));
    }
    match convert(xhtml) {
        Some(t) => normalize(&t),
        None => normalize(&decode_entities(&strip_tags(xhtml))),
    }
}

fn convert(xhtml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xhtml);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = false;
    let mut out = String::new();
    // Per open list: the next item number, or None for a bullet list.
    let mut lists: Vec<Option<u32>> = Vec::new();
    let mut first_cell = true;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name = e.local_name();
                let name = std::str::from_utf8(name.as_ref())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                match name.as_str() {
                    "br" => out.push('\n'),
                    "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "pre"
                    | "blockquote" => newline(&mut out),
                    "ul" => {
                        newline(&mut out);
                        lists.push(None);
                    }
                    "ol" => {
                        newline(&mut out);
                        lists.push(Some(1));
                    }
                    "li" => {
                        newline(&mut out);
                        // Nested items are indented, at most MAX_LIST_INDENT levels: the
                        // text stays linear in the markup however deep the lists nest.
                        let level = lists.len().saturating_sub(1).min(MAX_LIST_INDENT);
                        out.push_str(&"  ".repeat(level));
                        match lists.last_mut() {
                            Some(Some(n)) => {
                                out.push_str(&format!("{n}. "));
                                *n += 1;
                            }
                            _ => out.push_str("- "),
                        }
                    }
                    "tr" => {
                        newline(&mut out);
                        first_cell = true;
                    }
                    "td" | "th" => {
                        if !first_cell {
                            out.push_str(" | ");
                        }
                        first_cell = false;
                    }
                    "object" | "img" => {
                        let label = e
                            .attributes()
                            .flatten()
                            .find(|a| {
                                matches!(a.key.local_name().as_ref(), b"name" | b"alt" | b"data")
                            })
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                            .unwrap_or_default();
                        out.push_str(&format!("[object: {label}]"));
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) => {
                let name = e.local_name();
                let name = std::str::from_utf8(name.as_ref())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                match name.as_str() {
                    "ul" | "ol" => {
                        lists.pop();
                        newline(&mut out);
                    }
                    "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "tr"
                    | "table" | "pre" | "blockquote" => newline(&mut out),
                    _ => {}
                }
            }
            Ok(Event::Text(t)) => {
                let raw = String::from_utf8_lossy(t.as_ref()).into_owned();
                out.push_str(&decode_entities(&raw));
            }
            Ok(Event::GeneralRef(r)) => {
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                out.push_str(&decode_entities(&format!("&{name};")));
            }
            Ok(Event::CData(t)) => out.push_str(&String::from_utf8_lossy(t.as_ref())),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    Some(out)
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Blanks inside a line become one space; blank lines and trailing blanks go.
fn normalize(text: &str) -> String {
    text.lines()
        .map(|l| {
            let indent: String = l.chars().take_while(|c| *c == ' ').collect();
            let words = l.split_whitespace().collect::<Vec<_>>().join(" ");
            // Keep the indentation of nested list items.
            if words.starts_with("- ") || words.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                format!("{indent}{words}")
            } else {
                words
            }
        })
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Resolves `&amp;`-style references: the XML five, numeric ones and common HTML names.
/// Unknown references are kept as written. A numeric reference to a character XML 1.0
/// does not allow (`&#0;`, other control characters but tab, line feed and carriage
/// return, U+FFFE, U+FFFF) becomes U+FFFD, so it never reaches an output (the ReqIF
/// importer reports it as an error).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(end) = after.find(';').filter(|&e| e <= 12) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            "deg" => Some('°'),
            "micro" => Some('µ'),
            "plusmn" => Some('±'),
            "times" => Some('×'),
            "le" => Some('≤'),
            "ge" => Some('≥'),
            "rsquo" => Some('’'),
            "lsquo" => Some('‘'),
            "rdquo" => Some('”'),
            "ldquo" => Some('“'),
            "hellip" => Some('…'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32)
                .map(|c| {
                    let allowed = matches!(
                        u32::from(c),
                        0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF
                    );
                    if allowed {
                        c
                    } else {
                        '\u{FFFD}'
                    }
                }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_tables_and_entities() {
        let x = r#"<reqif-xhtml:div xmlns:reqif-xhtml="http://www.w3.org/1999/xhtml"><reqif-xhtml:p>The unit shall &amp; must</reqif-xhtml:p><reqif-xhtml:ul><reqif-xhtml:li>one</reqif-xhtml:li><reqif-xhtml:li>two&#160;items</reqif-xhtml:li></reqif-xhtml:ul><reqif-xhtml:table><reqif-xhtml:tr><reqif-xhtml:td>a</reqif-xhtml:td><reqif-xhtml:td>b</reqif-xhtml:td></reqif-xhtml:tr></reqif-xhtml:table></reqif-xhtml:div>"#;
        assert_eq!(
            to_text(x),
            "The unit shall & must\n- one\n- two items\na | b"
        );
    }

    #[test]
    fn numbered_lists_breaks_and_default_namespace() {
        let x = r#"<div xmlns="http://www.w3.org/1999/xhtml"><ol><li>first</li><li>second<br/>line</li></ol></div>"#;
        assert_eq!(to_text(x), "1. first\n2. second\nline");
    }

    #[test]
    fn malformed_markup_and_plain_text_do_not_fail() {
        assert_eq!(to_text("<p>open <b>bold</p>"), "open bold");
        assert_eq!(to_text("no markup &lt; here"), "no markup < here");
        assert_eq!(to_text("<<<>>>"), ">>");
        assert_eq!(to_text("&unknown; &#xZZ; &"), "&unknown; &#xZZ; &");
        assert_eq!(
            decode_entities("a&#0;b&#x1F;c&#9;d"),
            "a\u{FFFD}b\u{FFFD}c\td"
        );
    }

    #[test]
    fn deep_nesting_is_read_without_recursion_and_indented_at_most_eight_levels() {
        let depth = 100_000;
        let x = format!(
            "{}{}",
            "<ul><li>a".repeat(depth),
            "</li></ul>".repeat(depth)
        );
        let text = to_text(&x);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), depth);
        assert_eq!(lines[1], "  - a");
        assert_eq!(
            lines[depth - 1],
            format!("{}- a", "  ".repeat(MAX_LIST_INDENT))
        );
        assert!(text.len() < 20 * depth);
        let divs = format!("{}deep{}", "<div>".repeat(depth), "</div>".repeat(depth));
        assert_eq!(to_text(&divs), "deep");
    }
}
