//! Byte offsets ↔ LSP positions (line, UTF-16 code unit: the protocol's default
//! encoding), and `file:` URIs ↔ paths.

use crate::source::LineIndex;
use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A text with its line index, for conversions.
pub struct Lines<'a> {
    text: &'a str,
    index: std::borrow::Cow<'a, LineIndex>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            index: std::borrow::Cow::Owned(LineIndex::new(text)),
        }
    }

    /// Over a file of a `SourceDb`, whose index is already built.
    pub fn with_index(text: &'a str, index: &'a LineIndex) -> Lines<'a> {
        Lines {
            text,
            index: std::borrow::Cow::Borrowed(index),
        }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a character
    /// boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line_of(offset);
        let start = self.index.line_starts()[line] as usize;
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of `pos`: a line past the end is the end of the text, a column
    /// past the line's end the line's end (before its line break), a column inside a
    /// surrogate pair the character's start.
    pub fn offset(&self, pos: Position) -> usize {
        let starts = self.index.line_starts();
        let line = pos.line as usize;
        if line >= starts.len() {
            return self.text.len();
        }
        let start = starts[line] as usize;
        let end = starts
            .get(line + 1)
            .map_or(self.text.len(), |&e| e as usize);
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0usize;
        for (i, c) in content.char_indices() {
            let next = units + c.len_utf16();
            if next > pos.character as usize {
                return start + i;
            }
            units = next;
        }
        start + content.len()
    }
}

/// The path of a `file:` URI (percent-decoded), `None` for another scheme.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s
        .strip_prefix("file://")
        .or_else(|| s.strip_prefix("FILE://"))?;
    // An authority (`file://host/p`) is dropped: `localhost` or empty in practice.
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let decoded = String::from_utf8(out).ok()?;
    // `file:///C:/x` on Windows.
    let b = decoded.as_bytes();
    if cfg!(windows) && b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of `path` (made absolute from the current folder when relative).
pub fn path_to_uri(path: &Path) -> Uri {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let text = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b':' if out.len() <= 10 => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Uri::from_str(&out).unwrap_or_else(|_| Uri::from_str("file:///").expect("a valid URI"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_every_line_end() {
        let text = "a€😀b\r\nx\ry\n";
        let l = Lines::new(text);
        // `a` 1 unit, `€` 1, `😀` 2.
        assert_eq!(l.position(text.find('b').unwrap()), Position::new(0, 4));
        assert_eq!(l.offset(Position::new(0, 4)), text.find('b').unwrap());
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(l.offset(Position::new(0, 3)), text.find('😀').unwrap());
        assert_eq!(l.offset(Position::new(1, 0)), text.find('x').unwrap());
        assert_eq!(l.offset(Position::new(2, 0)), text.find('y').unwrap());
        // Past the line's end: before its line break; past the text: its end.
        assert_eq!(l.offset(Position::new(0, 99)), text.find('\r').unwrap());
        assert_eq!(l.offset(Position::new(9, 0)), text.len());
        // Inside a multi-byte character: its start.
        assert_eq!(l.position(2), Position::new(0, 1));
    }

    #[test]
    fn file_uris_round_trip_with_escapes() {
        let p = Path::new("/tmp/a b/é#1.plan");
        let uri = path_to_uri(p);
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%A9%231.plan");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        let other = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&other), None);
    }
}
