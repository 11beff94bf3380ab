//! Source files, file ids, spans and line/column lookup.
//!
//! A [`Span`] is a file id plus a byte range; line and column are computed only when a
//! diagnostic is rendered, from a [`LineIndex`] built once per file.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Identifies a file in a [`SourceDb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (same file assumed; the first file wins otherwise).
    pub fn cover(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A value with the span it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Byte offsets of line starts, for O(log n) offset → line/column.
///
/// A line ends at `\n`, at `\r\n`, or at a `\r` alone (old Mac line ends, and what
/// the grammar's `NEWLINE` and editors accept): a file with `\r` line ends has as many
/// lines as it shows. Columns count characters; for text that is not ASCII they are
/// found from a count of characters kept every [`CHAR_MARK_BYTES`] bytes, so finding a
/// column costs at most that many bytes, however long the line (findings on a 17 MB
/// line stay linear).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Empty for ASCII text (a column is a byte difference); else the number of
    /// characters before byte `k * CHAR_MARK_BYTES`, for each `k`.
    char_marks: Vec<u32>,
}

/// The spacing of the character counts a [`LineIndex`] keeps for text that is not ASCII.
pub const CHAR_MARK_BYTES: usize = 256;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::of_bytes(text.as_bytes())
    }

    /// The index of text held as bytes that may not all be UTF-8 (a ReqIF member before
    /// it is decoded); lines and characters are counted as [`LineIndex::new`] counts them.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        let mut line_starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i as u32 + 1);
            }
        }
        let char_marks = if bytes.is_ascii() {
            Vec::new()
        } else {
            let mut marks = Vec::with_capacity(bytes.len() / CHAR_MARK_BYTES + 1);
            let mut count = 0u32;
            marks.push(0);
            for chunk in bytes.chunks(CHAR_MARK_BYTES) {
                // Branch-free, so the compiler vectorises it.
                count += chunk
                    .iter()
                    .map(|&b| u32::from(!is_continuation(b)))
                    .sum::<u32>();
                marks.push(count);
            }
            marks
        };
        LineIndex {
            line_starts,
            char_marks,
        }
    }

    /// The number of characters before `offset` (a character boundary of `text`).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        self.chars_before_bytes(text.as_bytes(), offset)
    }

    fn chars_before_bytes(&self, bytes: &[u8], offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let k = offset / CHAR_MARK_BYTES;
        let from = k * CHAR_MARK_BYTES;
        self.char_marks[k] as usize
            + bytes[from..offset]
                .iter()
                .filter(|&&b| !is_continuation(b))
                .count()
    }

    /// The 0-based line holding a byte offset (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&(offset as u32)) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }

    /// Line and column of a byte offset (clamped to the text; inside a character, the
    /// character's own column).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        self.line_col_bytes(text.as_bytes(), offset)
    }

    /// [`LineIndex::line_col`] in the bytes the index was made of ([`LineIndex::of_bytes`]).
    pub fn line_col_bytes(&self, bytes: &[u8], offset: usize) -> LineCol {
        let mut offset = offset.min(bytes.len());
        while offset > 0 && offset < bytes.len() && is_continuation(bytes[offset]) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let column = (self.chars_before_bytes(bytes, offset)
            - self.chars_before_bytes(bytes, start)) as u32
            + 1;
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }

    /// The byte offset of a 1-based `column` (in characters) of a 0-based `line`: the
    /// inverse of [`LineIndex::line_col`]. A column past the line's end gives its end.
    /// Costs at most [`CHAR_MARK_BYTES`] bytes of walking however long the line, so
    /// locating many objects of an export written on one line stays linear.
    pub fn offset_of(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line) else {
            return text.len();
        };
        let range = self.line_range(text, line);
        let column = column.max(1) - 1;
        if self.char_marks.is_empty() {
            return (start as usize).saturating_add(column).min(range.end);
        }
        let target = self.chars_before(text, range.start) + column;
        // The last mark at or before the target character, or the line start if later.
        let k = self.char_marks.partition_point(|&m| m as usize <= target) - 1;
        let (mut pos, mut count) = if k * CHAR_MARK_BYTES > range.start {
            (k * CHAR_MARK_BYTES, self.char_marks[k] as usize)
        } else {
            (range.start, self.chars_before(text, range.start))
        };
        let bytes = text.as_bytes();
        while pos < range.end {
            if !is_continuation(bytes[pos]) {
                if count == target {
                    return pos;
                }
                count += 1;
            }
            pos += 1;
        }
        range.end
    }

    pub fn line_starts(&self) -> &[u32] {
        &self.line_starts
    }

    /// Byte range of a 0-based line, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.line_starts[line] as usize;
        let mut end = self
            .line_starts
            .get(line + 1)
            .map(|&s| s as usize)
            .unwrap_or(text.len());
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }
}

/// A byte that continues a UTF-8 character (`10xxxxxx`).
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// One input file held in memory.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user should see it (relative when the user gave a relative path).
    pub path: PathBuf,
    /// For a member of an archive (a `.reqif` inside a `.reqifz`): its name in the
    /// archive, `path` being the archive, the file read. Its text is the member's,
    /// decompressed; it is shown as `archive.reqifz!member.reqif` ([`SourceDb::name`]).
    pub member: Option<String>,
    pub text: String,
    pub line_index: LineIndex,
    /// The file is not quoted anywhere: it was read as opsplan source and is not (or is
    /// not UTF-8), so its text was blanked ([`SourceDb::make_opaque`]) and outputs show
    /// only the locations in it.
    pub opaque: bool,
}

/// All files of a run. Files are never modified; ids are indices.
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        let line_index = LineIndex::new(&text);
        self.files.push(SourceFile {
            path: path.into(),
            member: None,
            text,
            line_index,
            opaque: false,
        });
        id
    }

    /// Adds the text of `member`, a member of the archive `path` (the archive itself is
    /// added apart, as the file read): findings inside the member point into this text.
    pub fn add_member(&mut self, path: impl Into<PathBuf>, member: &str, text: String) -> FileId {
        let id = self.add(path, text);
        self.files[id.0 as usize].member = Some(member.to_string());
        id
    }

    /// The name a file is shown by: its path, or `archive.reqifz!member.reqif` for a
    /// member of an archive.
    pub fn name(&self, id: FileId) -> String {
        let f = self.get(id);
        match &f.member {
            Some(m) => format!("{}!{m}", f.path.display()),
            None => f.path.display().to_string(),
        }
    }

    /// Forgets what a file says and marks it never to be quoted: every character is
    /// replaced by a blank of the same UTF-8 length (a space, `U+00A0`, `U+3000`,
    /// `U+10000`), line ends kept, so every byte offset, line and column in it stays
    /// what it was, and no output can show a byte of it.
    pub fn make_opaque(&mut self, id: FileId) {
        let f = &mut self.files[id.0 as usize];
        let blank: String = f
            .text
            .chars()
            .map(|c| match c {
                '\n' | '\r' => c,
                _ => match c.len_utf8() {
                    1 => ' ',
                    2 => '\u{a0}',
                    3 => '\u{3000}',
                    _ => '\u{10000}',
                },
            })
            .collect();
        f.line_index = LineIndex::new(&blank);
        f.text = blank;
        f.opaque = true;
    }

    /// True when the file must not be quoted ([`SourceDb::make_opaque`]).
    pub fn is_opaque(&self, id: FileId) -> bool {
        self.get(id).opaque
    }

    /// Appends the files of `other`, in order; returns what their ids grow by (a file of
    /// `other` with id `i` has id `i + offset` here).
    pub fn append(&mut self, other: SourceDb) -> u32 {
        let offset = self.files.len() as u32;
        self.files.extend(other.files);
        offset
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.get(id).text
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.files.len() as u32).map(FileId)
    }

    pub fn line_col(&self, id: FileId, offset: usize) -> LineCol {
        let f = self.get(id);
        f.line_index.line_col(&f.text, offset)
    }

    /// The source text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        let text = self.text(span.file);
        text.get(span.range()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_of_inverts_line_col_on_long_lines_of_any_text() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push(['a', 'é', '€', '𝄞', ' '][i % 5]);
            if i % 997 == 0 {
                text.push_str(["\n", "\r\n", "\r"][i % 3]);
            }
        }
        for t in [text.as_str(), "plain ascii\nline two\r\nthree"] {
            let index = LineIndex::new(t);
            for (offset, _) in t.char_indices() {
                let lc = index.line_col(t, offset);
                let range = index.line_range(t, lc.line as usize - 1);
                let back = index.offset_of(t, lc.line as usize - 1, lc.column as usize);
                if offset < range.end {
                    assert_eq!(back, offset, "{lc:?}");
                } else {
                    assert_eq!(back, range.end, "{lc:?}");
                }
            }
            // Past the end of a line: its end; a line that does not exist: the text's end.
            assert_eq!(index.offset_of(t, 0, 1_000_000), index.line_range(t, 0).end);
            assert_eq!(index.offset_of(t, 1_000_000, 1), t.len());
        }
    }

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let text = "ab\nçd\r\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        // 'ç' is two bytes: offset 5 is column 2.
        assert_eq!(idx.line_col(text, 5), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(text, 8), LineCol { line: 3, column: 1 });
        assert_eq!(idx.line_col(text, 99), LineCol { line: 3, column: 2 });
        assert_eq!(&text[idx.line_range(text, 1)], "çd");
    }

    #[test]
    fn an_opaque_file_keeps_its_locations_and_loses_its_text() {
        let mut db = SourceDb::new();
        let text = "SECRET=é€😀x\r\nKEY=v\rz";
        let id = db.add("f", text.to_string());
        let before: Vec<LineCol> = (0..=text.len()).map(|o| db.line_col(id, o)).collect();
        db.make_opaque(id);
        assert!(db.is_opaque(id));
        assert_eq!(db.text(id).len(), text.len());
        assert!(!db.text(id).contains(['S', 'K', 'v', 'é', 'x']));
        let after: Vec<LineCol> = (0..=text.len()).map(|o| db.line_col(id, o)).collect();
        assert_eq!(before, after);
    }

    #[test]
    fn a_carriage_return_alone_ends_a_line() {
        let text = "a\rbc\r\nd\n\re";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_starts(), &[0, 2, 6, 8, 9]);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 2 });
        assert_eq!(&text[idx.line_range(text, 1)], "bc");
        assert_eq!(&text[idx.line_range(text, 3)], "");
        assert_eq!(idx.line_col(text, 9), LineCol { line: 5, column: 1 });
    }

    #[test]
    fn columns_far_along_a_long_line_count_characters() {
        let mut text = String::new();
        for i in 0..5000 {
            text.push(if i % 3 == 0 { 'é' } else { 'x' });
        }
        text.push_str("\nzé€y");
        let idx = LineIndex::new(&text);
        for offset in (0..text.len()).filter(|&o| text.is_char_boundary(o)) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = text[line_start..offset].chars().count() as u32 + 1;
            assert_eq!(idx.line_col(&text, offset).column, expected, "at {offset}");
        }
        // Inside a character: that character's column.
        let e = text.find('€').unwrap();
        assert_eq!(idx.line_col(&text, e + 1), idx.line_col(&text, e));
    }
}
