//! What an excerpt shows of the sources for one finding: the lines its labels touch (and
//! the context lines shown around a label over several lines), each long line cut to a
//! window around the labels' ends and marked `…` where cut, control characters escaped
//! (`\u{1b}`, [`crate::diag::terminal_safe`]). codespan-reporting renders the excerpt as
//! it would the file, with the file's own line and column numbers.
//!
//! The cost of an excerpt depends on the number of its labels, never on the length of
//! the lines or of the file (a label's line by binary search, its column from the
//! [`crate::source::LineIndex`]'s character counts): a hundred thousand findings on one
//! 17 MB line cost what they cost on short lines. The bounds are in docs/limits.md
//! ("Excerpts and paths").

use super::display_path;
use crate::diag::{push_safe, safe_len, terminal_safe, Label};
use crate::source::{FileId, SourceDb};
use codespan_reporting::files::{Error as FilesError, Files};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// A line of at most this many bytes is shown whole.
pub const WHOLE_LINE_BYTES: usize = 400;

/// A longer line is shown as windows of this many characters either side of each
/// label's start and end (merged where they meet).
pub const WINDOW_CHARS: usize = 80;

/// Marks where a line was cut.
pub const CUT: &str = "…";

/// Lines codespan-reporting shows after the first line of a label over several lines,
/// and before its last (its `start_context_lines` and `end_context_lines`).
const START_CONTEXT: usize = 3;
const END_CONTEXT: usize = 1;

/// The shown lines of one file for one finding.
struct Shown {
    file: FileId,
    /// The shown lines, each followed by `\n`.
    text: String,
    lines: Vec<ShownLine>,
    /// The original 0-based line index → its index in `lines`.
    by_line: BTreeMap<usize, usize>,
}

struct ShownLine {
    /// The 1-based line number in the file.
    number: usize,
    /// Its bytes in `Shown::text`, without the `\n`.
    range: Range<usize>,
    /// The parts of the original line shown, in order (none for a line standing for
    /// lines left out, which is never displayed).
    pieces: Vec<Piece>,
}

/// A stretch of the original line and where its escaped text starts in the excerpt.
struct Piece {
    orig: Range<usize>,
    at: usize,
}

/// The excerpts of one finding, as a codespan-reporting file database whose files are
/// the excerpts (ids are indices).
pub struct Excerpts<'a> {
    sources: &'a SourceDb,
    shown: Vec<Shown>,
}

/// A label in the excerpts' terms: the excerpt it is in and its byte range there.
pub struct ShownLabel {
    pub file: usize,
    pub range: Range<usize>,
}

impl<'a> Excerpts<'a> {
    /// The excerpts showing `labels`, and each label (in order) in their terms.
    pub fn new(sources: &'a SourceDb, labels: &[&Label]) -> (Excerpts<'a>, Vec<ShownLabel>) {
        // Labels by file, in order of first appearance.
        let mut files: Vec<FileId> = Vec::new();
        for l in labels {
            if !files.contains(&l.span.file) {
                files.push(l.span.file);
            }
        }
        let mut shown = Vec::with_capacity(files.len());
        let mut out = Vec::with_capacity(labels.len());
        let mut mapped: Vec<Option<ShownLabel>> = labels.iter().map(|_| None).collect();
        for (fi, &file) in files.iter().enumerate() {
            let spans: Vec<(usize, Range<usize>)> = labels
                .iter()
                .enumerate()
                .filter(|(_, l)| l.span.file == file)
                .map(|(i, l)| (i, clamp(sources.text(file), l.span.range())))
                .collect();
            let s = build(sources, file, spans.iter().map(|(_, r)| r.clone()));
            for (i, r) in spans {
                mapped[i] = Some(ShownLabel {
                    file: fi,
                    range: s.map(sources, r.start)..s.map(sources, r.end),
                });
            }
            shown.push(s);
        }
        out.extend(mapped.into_iter().flatten());
        (Excerpts { sources, shown }, out)
    }
}

/// `range` within `text`, on character boundaries, end not before start.
fn clamp(text: &str, range: Range<usize>) -> Range<usize> {
    let floor = |mut o: usize| {
        o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    let start = floor(range.start);
    start..floor(range.end).max(start)
}

/// The lines to show for spans of one file: each span's first lines and last lines as
/// codespan-reporting shows them, a line alone between two shown ones (codespan shows
/// it), and two lines standing for any longer run left out (so codespan draws its break).
fn build(sources: &SourceDb, file: FileId, spans: impl Iterator<Item = Range<usize>>) -> Shown {
    let f = sources.get(file);
    let (text, index) = (&f.text, &f.line_index);
    let mut wanted: BTreeSet<usize> = BTreeSet::new();
    let mut points: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for r in spans {
        let (first, last) = (index.line_of(r.start), index.line_of(r.end));
        points.entry(first).or_default().push(r.start);
        points.entry(last).or_default().push(r.end);
        wanted.extend(first..=last.min(first + START_CONTEXT));
        wanted.extend(last.saturating_sub(END_CONTEXT).max(first)..=last);
    }
    let mut s = Shown {
        file,
        text: String::new(),
        lines: Vec::new(),
        by_line: BTreeMap::new(),
    };
    let mut previous: Option<usize> = None;
    for &line in &wanted {
        match previous.map(|p| line - p) {
            Some(2) => s.push_line(text, index, line - 1, &[]),
            Some(gap) if gap > 2 => {
                s.push_gap();
                s.push_gap();
            }
            _ => {}
        }
        let at: &[usize] = points.get(&line).map_or(&[], Vec::as_slice);
        s.push_line(text, index, line, at);
        previous = Some(line);
    }
    s
}

impl Shown {
    /// Appends original line `line` (0-based), cut to windows around `points` (offsets
    /// on it) when it is long.
    fn push_line(
        &mut self,
        text: &str,
        index: &crate::source::LineIndex,
        line: usize,
        points: &[usize],
    ) {
        let r = index.line_range(text, line);
        let segments: Vec<Range<usize>> = if r.len() <= WHOLE_LINE_BYTES {
            vec![r.clone()]
        } else {
            let back = |p: usize| {
                text[r.start..p]
                    .char_indices()
                    .rev()
                    .take(WINDOW_CHARS)
                    .last()
                    .map_or(p, |(i, _)| r.start + i)
            };
            let fwd = |p: usize, n: usize| {
                text[p..r.end]
                    .char_indices()
                    .nth(n)
                    .map_or(r.end, |(i, _)| p + i)
            };
            let mut windows: Vec<Range<usize>> = if points.is_empty() {
                let first = r.start..fwd(r.start, 2 * WINDOW_CHARS);
                vec![first]
            } else {
                points
                    .iter()
                    .map(|&p| {
                        let p = p.clamp(r.start, r.end);
                        back(p)..fwd(p, WINDOW_CHARS)
                    })
                    .collect()
            };
            windows.sort_by_key(|w| w.start);
            let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
            for w in windows {
                match merged.last_mut() {
                    Some(m) if w.start <= m.end => m.end = m.end.max(w.end),
                    _ => merged.push(w),
                }
            }
            merged
        };
        let start = self.text.len();
        let mut pieces = Vec::with_capacity(segments.len());
        let mut prev = r.start;
        for seg in segments {
            if seg.start > prev {
                self.text.push_str(CUT);
            }
            let at = self.text.len();
            for c in text[seg.clone()].chars() {
                push_safe(&mut self.text, c);
            }
            prev = seg.end;
            pieces.push(Piece { orig: seg, at });
        }
        if prev < r.end {
            self.text.push_str(CUT);
        }
        self.by_line.insert(line, self.lines.len());
        self.lines.push(ShownLine {
            number: line + 1,
            range: start..self.text.len(),
            pieces,
        });
        self.text.push('\n');
    }

    /// Appends a line standing for lines left out (never displayed).
    fn push_gap(&mut self) {
        let at = self.text.len();
        let number = self.lines.last().map_or(1, |l| l.number + 1);
        self.lines.push(ShownLine {
            number,
            range: at..at,
            pieces: Vec::new(),
        });
        self.text.push('\n');
    }

    /// Where an original offset (a label's start or end) is in the excerpt.
    fn map(&self, sources: &SourceDb, offset: usize) -> usize {
        let f = sources.get(self.file);
        let line = f.line_index.line_of(offset);
        let Some(l) = self.by_line.get(&line).map(|&i| &self.lines[i]) else {
            return 0;
        };
        for p in &l.pieces {
            if offset < p.orig.start {
                return p.at;
            }
            if offset <= p.orig.end {
                return p.at + safe_len(&f.text[p.orig.start..offset]);
            }
        }
        l.range.end
    }

    /// The original offset shown at byte `at` of shown line `line`.
    fn unmap(&self, sources: &SourceDb, line: usize, at: usize) -> Option<usize> {
        let l = self.lines.get(line)?;
        let text = sources.text(self.file);
        let mut best = l.pieces.first().map(|p| p.orig.start);
        for p in &l.pieces {
            if at < p.at {
                break;
            }
            let mut shown = p.at;
            best = Some(p.orig.end);
            for (i, c) in text[p.orig.clone()].char_indices() {
                if shown >= at {
                    best = Some(p.orig.start + i);
                    break;
                }
                shown += safe_len(c.encode_utf8(&mut [0; 4]));
            }
        }
        best
    }
}

impl<'a> Files<'a> for Excerpts<'a> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, FilesError> {
        let s = self.shown.get(id).ok_or(FilesError::FileMissing)?;
        Ok(terminal_safe(&display_path(self.sources, s.file)).into_owned())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.shown.get(id).ok_or(FilesError::FileMissing)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let s = self.shown.get(id).ok_or(FilesError::FileMissing)?;
        Ok(s.lines
            .partition_point(|l| l.range.start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, FilesError> {
        let s = self.shown.get(id).ok_or(FilesError::FileMissing)?;
        Ok(s.lines.get(line_index).map_or(line_index + 1, |l| l.number))
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let s = self.shown.get(id).ok_or(FilesError::FileMissing)?;
        let offset =
            s.unmap(self.sources, line_index, byte_index)
                .ok_or(FilesError::LineTooLarge {
                    given: line_index,
                    max: s.lines.len().saturating_sub(1),
                })?;
        Ok(self.sources.line_col(s.file, offset).column as usize)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let s = self.shown.get(id).ok_or(FilesError::FileMissing)?;
        s.lines
            .get(line_index)
            .map(|l| l.range.clone())
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: s.lines.len().saturating_sub(1),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::WINDOW_CHARS;
    use crate::diag::{Code, Diagnostic, Label};
    use crate::source::{SourceDb, Span};

    fn render(text: &str, labels: &[std::ops::Range<usize>]) -> String {
        let mut db = SourceDb::new();
        let id = db.add("f.plan", text.to_string());
        let mut d = Diagnostic::new(
            Code::SyntaxError,
            "m",
            Label::new(Span::new(id, labels[0].clone()), "primary"),
        );
        for (i, r) in labels.iter().enumerate().skip(1) {
            d = d.with_secondary(Label::new(Span::new(id, r.clone()), format!("s{i}")));
        }
        crate::output::text::render(&db, &[d], false)
    }

    /// The same finding rendered by codespan-reporting over the whole file.
    fn reference(text: &str, labels: &[std::ops::Range<usize>]) -> String {
        use codespan_reporting::diagnostic as cs;
        use codespan_reporting::term::{self, termcolor::Buffer, Chars, Config};
        let file = codespan_reporting::files::SimpleFile::new("f.plan", text);
        let ls: Vec<cs::Label<()>> = labels
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if i == 0 {
                    cs::Label::primary((), r.clone()).with_message("primary")
                } else {
                    cs::Label::secondary((), r.clone()).with_message(format!("s{i}"))
                }
            })
            .collect();
        let d = cs::Diagnostic::error()
            .with_message("m")
            .with_code("E001")
            .with_labels(ls)
            .with_notes(vec![
                "rule: syntax-error (E001); see `opsplan rule E001`".to_string()
            ]);
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let mut buffer = Buffer::no_color();
        term::emit_to_write_style(&mut buffer, &config, &file, &d).unwrap();
        String::from_utf8(buffer.into_inner()).unwrap()
    }

    #[test]
    fn on_short_lines_the_excerpt_is_what_codespan_shows_of_the_whole_file() {
        // A small deterministic generator: random texts of short lines, random labels.
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        for case in 0..400 {
            let lines = 1 + next(40);
            let mut text = String::new();
            for _ in 0..lines {
                let len = next(30);
                for _ in 0..len {
                    text.push(['a', 'b', ' ', 'é', '{', '"'][next(6)]);
                }
                text.push('\n');
            }
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let labels: Vec<std::ops::Range<usize>> = (0..1 + next(3))
                .map(|_| {
                    let a = boundaries[next(boundaries.len())];
                    let b = boundaries[next(boundaries.len())];
                    a.min(b)..a.max(b)
                })
                .collect();
            assert_eq!(
                render(&text, &labels),
                reference(&text, &labels),
                "case {case}: {text:?} {labels:?}"
            );
        }
    }

    #[test]
    fn on_long_lines_every_excerpt_is_cut_and_located_as_the_file_says() {
        let mut seed: u64 = 0xc0ffee;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        for case in 0..200 {
            let mut text = String::new();
            for _ in 0..1 + next(6) {
                let len = next(3000);
                for _ in 0..len {
                    text.push(['a', ' ', 'é', '\u{1b}', '\t', '€'][next(6)]);
                }
                text.push(['\n', '\r'][next(2)]);
                if next(3) == 0 {
                    text.push('\n');
                }
            }
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let labels: Vec<std::ops::Range<usize>> = (0..1 + next(4))
                .map(|_| {
                    let a = boundaries[next(boundaries.len())];
                    let b = boundaries[next(boundaries.len())];
                    a.min(b)..a.max(b)
                })
                .collect();
            let out = render(&text, &labels);
            let mut db = SourceDb::new();
            let id = db.add("f.plan", text.clone());
            let at = db.line_col(id, labels[0].start);
            assert!(
                out.contains(&format!("--> f.plan:{}:{}\n", at.line, at.column)),
                "case {case}: {out}"
            );
            assert!(!out.contains('\u{1b}'), "case {case}");
            // A window: 80 characters either side of each label end, escapes (6 bytes
            // for one character), the margin and the cut marks.
            let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(
                widest < 2 * 4 * (2 * WINDOW_CHARS * 6 + 20),
                "case {case}: {widest}"
            );
        }
    }

    #[test]
    fn a_long_span_on_a_long_line_shows_both_its_ends() {
        let text = format!(
            "{}{}{}\n",
            "a".repeat(1000),
            "X".repeat(3000),
            "b".repeat(1000)
        );
        let span = 1000..4000;
        let out = render(&text, std::slice::from_ref(&span));
        assert!(out.contains("--> f.plan:1:1001"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn a_label_over_many_lines_shows_its_first_and_last_lines() {
        let text: String = (1..=200).map(|i| format!("line {i}\n")).collect();
        let start = text.find("line 10\n").unwrap() + 2;
        let end = text.find("line 150\n").unwrap() + 4;
        assert_eq!(
            render(&text, std::slice::from_ref(&(start..end))),
            reference(&text, std::slice::from_ref(&(start..end)))
        );
    }
}
