//! How deep a YAML text nests, measured by one linear scan before the text reaches the
//! YAML parser, so that every YAML reader (flight rules, `opsplan.yaml`, `monthly.yaml`)
//! can refuse a text nested deeper than [`MAX_DEPTH`] at the place where it gets too deep.
//!
//! Why: the parser (libyaml, through serde_norway) checks every open flow collection at
//! every token, so `[[[[…]]]]` 100,000 deep took 35 to 180 seconds before failing with
//! "recursion limit exceeded"; its deserializer stops at 128 levels anyway.
//!
//! The scan follows what makes YAML nest and skips what cannot: comments, quoted
//! scalars (over several lines too), block scalars (`|`, `>`: the lines indented deeper
//! than their parent), and plain scalars continued on the next lines. It counts
//!
//! - flow collections: every `[` or `{` where a value starts, and any inside a flow
//!   collection, until its `]` or `}`;
//! - block collections: the indentation columns open at a line's first token, plus one
//!   per compact entry on the line (`- - x`, `- key: …`, `? `).
//!
//! A block sequence written at the column of its parent key (`key:` then `- x` below it)
//! shares that column and counts once, so block nesting may count up to half of its
//! real depth: the parser's own limit of 128 still stops such a text, quickly (block
//! nesting is linear for the parser; deep block text grows with the square of its depth
//! unless written compactly on one line, which is counted exactly). The scan is
//! linear in the text and never recursive.

/// The deepest nesting of a YAML text accepted by opsplan's readers. Flight-rule files
/// nest 5 deep (`rules`, the list, a rule, a selector, a list of values), `opsplan.yaml`
/// and `monthly.yaml` 4 deep.
pub const MAX_DEPTH: usize = 64;

/// A text nested deeper than the limit: where the first level past it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// Byte offset of the token that opens the level past the limit.
    pub offset: usize,
    /// The limit that was exceeded.
    pub limit: usize,
}

impl TooDeep {
    /// The message readers show: "nested more than 64 levels deep".
    pub fn message(&self) -> String {
        format!(
            "nested more than {} levels deep (lists and mappings inside each other)",
            self.limit
        )
    }

    /// The 1-based line and column (in characters) of [`TooDeep::offset`] in `text`,
    /// counting `\n`, `\r\n` and a lone `\r` as line ends, as YAML does.
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        let before = &text[..floor_boundary(text, self.offset)];
        let bytes = before.as_bytes();
        let mut line = 1;
        let mut line_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    line += 1;
                    line_start = i + 1;
                }
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                    line += 1;
                    line_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        (line, before[line_start..].chars().count() + 1)
    }
}

fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Checks that `text` nests at most `limit` levels deep; returns the deepest level it
/// reaches. Linear in the text.
pub fn check_depth(text: &str, limit: usize) -> Result<usize, TooDeep> {
    Scan::new(text, limit).run()
}

/// What spans lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    /// Inside a `"…"` scalar.
    Double,
    /// Inside a `'…'` scalar.
    Single,
    /// Inside a block scalar whose parent is at this column (`None`: the document).
    BlockScalar(Option<usize>),
    /// After a plain scalar value whose key (or entry) is at this column: a deeper line
    /// continues it.
    Plain(Option<usize>),
}

struct Scan<'t> {
    b: &'t [u8],
    limit: usize,
    /// Columns of the open block collections, increasing.
    block: Vec<usize>,
    /// Open flow collections.
    flow: usize,
    open: Open,
    /// A value may start here (a quote opens a scalar, `[` a collection).
    value_start: bool,
    /// Where the block entry opened last on this line starts (a scalar there is the
    /// entry itself: its parent is the collection below it).
    line_entry: Option<usize>,
    deepest: usize,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str, limit: usize) -> Self {
        Scan {
            b: text.as_bytes(),
            limit,
            block: Vec::new(),
            flow: 0,
            open: Open::Nothing,
            value_start: true,
            line_entry: None,
            deepest: 0,
        }
    }

    fn depth_check(&mut self, at: usize) -> Result<(), TooDeep> {
        let depth = self.block.len() + self.flow;
        self.deepest = self.deepest.max(depth);
        if depth > self.limit {
            return Err(TooDeep {
                offset: at,
                limit: self.limit,
            });
        }
        Ok(())
    }

    fn run(mut self) -> Result<usize, TooDeep> {
        let mut ls = 0;
        while ls < self.b.len() {
            // The line: up to `\n`, `\r\n` or a lone `\r`.
            let mut le = ls;
            while le < self.b.len() && self.b[le] != b'\n' && self.b[le] != b'\r' {
                le += 1;
            }
            let next = match (self.b.get(le), self.b.get(le + 1)) {
                (Some(b'\r'), Some(b'\n')) => le + 2,
                (Some(_), _) => le + 1,
                (None, _) => le,
            };
            self.line(ls, le)?;
            ls = next;
        }
        Ok(self.deepest)
    }

    fn is_blank(c: u8) -> bool {
        c == b' ' || c == b'\t'
    }

    /// One line, `b[ls..le]`.
    fn line(&mut self, ls: usize, le: usize) -> Result<(), TooDeep> {
        let b = self.b;
        let mut i = ls;
        while i < le && Self::is_blank(b[i]) {
            i += 1;
        }
        let col = i - ls;
        let empty = i == le || b[i] == b'#';
        self.line_entry = None;
        match self.open {
            Open::Double | Open::Single => return self.rest(ls, le, ls),
            Open::BlockScalar(parent) => {
                if empty || parent.is_none_or(|p| col > p) {
                    return Ok(());
                }
                self.open = Open::Nothing;
            }
            Open::Plain(parent) => {
                if empty {
                    return Ok(());
                }
                if parent.is_none_or(|p| col > p) && self.flow == 0 {
                    // A continuation line of the scalar: nothing here opens a value.
                    self.value_start = false;
                    return self.rest(ls, le, i);
                }
                self.open = Open::Nothing;
            }
            Open::Nothing => {}
        }
        if empty {
            return Ok(());
        }
        if self.flow > 0 {
            // Inside a flow collection, lines and indentation do not matter.
            return self.rest(ls, le, i);
        }
        // Directives and document markers, at column 0.
        if col == 0 && b[i] == b'%' {
            return Ok(());
        }
        let marker = col == 0
            && le - i >= 3
            && (&b[i..i + 3] == b"---" || &b[i..i + 3] == b"...")
            && (i + 3 == le || Self::is_blank(b[i + 3]));
        if marker {
            self.block.clear();
            self.value_start = true;
            return self.rest(ls, le, i + 3);
        }
        // Block context: the line's first token closes the collections at or right of
        // its column and opens one there.
        while self.block.last().is_some_and(|&c| c >= col) {
            self.block.pop();
        }
        self.block.push(col);
        self.line_entry = Some(i);
        self.depth_check(i)?;
        // Compact entries: `- `, `? `, `: ` (a complex key's value) then another token
        // on the same line open one more level each.
        loop {
            let c = b[i];
            let indicator =
                matches!(c, b'-' | b'?' | b':') && (i + 1 == le || Self::is_blank(b[i + 1]));
            if !indicator {
                break;
            }
            i += 1;
            while i < le && Self::is_blank(b[i]) {
                i += 1;
            }
            if i == le || matches!(b[i], b'#' | b'|' | b'>' | b'[' | b'{') {
                break;
            }
            self.block.push(i - ls);
            self.line_entry = Some(i);
            self.depth_check(i)?;
        }
        self.value_start = true;
        self.rest(ls, le, i)
    }

    /// The rest of a line from `i`: quotes, comments, flow indicators, block scalars.
    fn rest(&mut self, ls: usize, le: usize, mut i: usize) -> Result<(), TooDeep> {
        let b = self.b;
        // After a blank (or at the start): `#` opens a comment.
        let mut after_blank = i == ls || Self::is_blank(b[i - 1]);
        while i < le {
            let c = b[i];
            match self.open {
                Open::Double => {
                    match c {
                        b'\\' => i += 1, // the escaped character (or the line end) is skipped
                        b'"' => {
                            self.open = Open::Nothing;
                            self.value_start = false;
                        }
                        _ => {}
                    }
                    i += 1;
                    after_blank = false;
                    continue;
                }
                Open::Single => {
                    if c == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') && i + 1 < le {
                            i += 2;
                            continue;
                        }
                        self.open = Open::Nothing;
                        self.value_start = false;
                    }
                    i += 1;
                    after_blank = false;
                    continue;
                }
                _ => {}
            }
            if Self::is_blank(c) {
                after_blank = true;
                i += 1;
                continue;
            }
            if c == b'#' && after_blank {
                break; // a comment
            }
            after_blank = false;
            let next_blank = i + 1 == le || Self::is_blank(b[i + 1]);
            match c {
                b'"' if self.value_start => self.open = Open::Double,
                b'\'' if self.value_start => self.open = Open::Single,
                b'[' | b'{' if self.value_start || self.flow > 0 => {
                    self.flow += 1;
                    self.depth_check(i)?;
                    self.value_start = true;
                }
                b']' | b'}' if self.flow > 0 => {
                    self.flow -= 1;
                    self.value_start = false;
                }
                b',' if self.flow > 0 => self.value_start = true,
                b':' if next_blank || self.flow > 0 => {
                    // What came before was a key, not a scalar value.
                    if matches!(self.open, Open::Plain(_)) {
                        self.open = Open::Nothing;
                    }
                    self.value_start = true;
                }
                b'|' | b'>' if self.value_start && self.flow == 0 => {
                    self.open = Open::BlockScalar(self.block.last().copied());
                    return Ok(());
                }
                b'&' | b'!' if self.value_start => {
                    // An anchor or a tag: the value follows it.
                    while i < le && !Self::is_blank(b[i]) {
                        i += 1;
                    }
                    continue;
                }
                b'-' | b'?' if self.value_start && next_blank => {}
                _ => {
                    if self.value_start && self.flow == 0 {
                        // A plain scalar (or an alias): a line indented deeper than its
                        // parent continues it. After `key: ` its parent is the key's
                        // mapping; as the first entry of its line (`- text`, or a value
                        // on the lines below its key), the collection below that entry.
                        let n = self.block.len();
                        let parent = if self.line_entry == Some(i) {
                            n.checked_sub(2).map(|k| self.block[k])
                        } else {
                            self.block.last().copied()
                        };
                        self.open = Open::Plain(parent);
                    }
                    self.value_start = false;
                }
            }
            i += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(text: &str) -> usize {
        check_depth(text, usize::MAX).expect("no limit")
    }

    #[test]
    fn flow_nesting_is_counted_exactly_and_refused_where_it_passes_the_limit() {
        for d in [1, 5, 64] {
            let text = format!("rules: {}{}\n", "[".repeat(d), "]".repeat(d));
            assert_eq!(depth(&text), d + 1, "{d}");
            assert!(check_depth(&text, MAX_DEPTH + 1).is_ok());
        }
        let text = format!(
            "a: 1\nrules: {}{}\n",
            "[{".repeat(50_000),
            "}]".repeat(50_000)
        );
        let e = check_depth(&text, MAX_DEPTH).unwrap_err();
        // `rules` opens level 1, the 64th bracket level 65.
        assert_eq!(e.offset, "a: 1\nrules: ".len() + 63);
        assert_eq!(e.line_col(&text), (2, 8 + 63));
        assert!(e.message().contains("more than 64 levels"));
    }

    #[test]
    fn block_nesting_is_counted_by_columns_and_compact_entries() {
        assert_eq!(depth("a: 1\nb: 2\n"), 1);
        assert_eq!(depth("rules:\n  - id: x\n    kind: y\n  - id: z\n"), 3);
        // A sequence at its key's column counts once.
        assert_eq!(depth("rules:\n- id: x\n  select:\n    kind: burn\n"), 3);
        let compact = format!("x:\n{}y\n", "- ".repeat(100_000));
        let e = check_depth(&compact, MAX_DEPTH).unwrap_err();
        assert_eq!(e.line_col(&compact), (2, 2 * 64 + 1));
        let stairs: String = (0..70)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(check_depth(&stairs, MAX_DEPTH).is_err());
        assert_eq!(depth(&stairs), 70);
    }

    #[test]
    fn brackets_in_scalars_comments_and_block_scalars_do_not_count() {
        let text = r#"
# [[[[ a comment
rules:
  - id: "FR-[[[["      # [[[[
    title: 'it''s [[[['
    description: |
      [[[[[[[[ text {{{{
        [[[[ more
    note: >
      {{{{
    other: a [b [c [d
    wrapped: a plain scalar
      [continued [[[[ on a deeper line
    escaped: "a \" [[[["
    multi: "a [[[[
      [[[[ still quoted"
    anchored: &x [1, 2]
    tagged: !t {a: 1}
"#;
        // `rules`, the list, a rule, and the flow collections of its last two values.
        assert_eq!(depth(text), 4);
    }

    #[test]
    fn a_plain_scalar_continues_on_any_line_deeper_than_its_parent() {
        // Below its key, or after `- `, a plain scalar's lines continue it when they are
        // deeper than the key or the `-`, not only deeper than its first line.
        let text = "description:\n    long text\n  [not a list\nitems:\n  - a text\n   [not a list either\nnext: 1\n";
        // `items`, its list, and the scalar entry `a text` (counted as an entry: one
        // more than the real depth, never less); no bracket counts.
        assert_eq!(depth(text), 3);
    }

    #[test]
    fn a_cr_only_text_is_read_line_by_line() {
        let text = format!("# comment\ra: {}\r", "[".repeat(100));
        let e = check_depth(&text, MAX_DEPTH).unwrap_err();
        assert_eq!(e.line_col(&text).0, 2);
    }

    #[test]
    fn nesting_written_by_serde_is_counted_at_least_half() {
        // Lists and mappings inside each other, written by the YAML library itself in
        // block style: the count is between half the depth and the depth plus one.
        for d in 1..40usize {
            let mut v = serde_yaml::Value::String("leaf".into());
            for level in 0..d {
                v = if (level * 7 + d) % 3 == 0 {
                    serde_yaml::Value::Sequence(vec![v, serde_yaml::Value::Null])
                } else {
                    let mut m = serde_yaml::Mapping::new();
                    m.insert("k".into(), v);
                    m.insert("other".into(), 1.into());
                    serde_yaml::Value::Mapping(m)
                };
            }
            let text = serde_yaml::to_string(&v).unwrap();
            let got = depth(&text);
            assert!(
                2 * got >= d && got <= d + 1,
                "depth {d} counted {got}:\n{text}"
            );
        }
    }

    #[test]
    fn every_yaml_file_of_the_repository_is_far_from_the_limit() {
        let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))];
        let mut seen = 0;
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                // Fuzz inputs are hostile on purpose.
                if name.starts_with('.') || name == "target" || name == "fuzz" {
                    continue;
                }
                if p.is_dir() {
                    stack.push(p);
                } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                    let Ok(text) = std::fs::read_to_string(&p) else {
                        continue;
                    };
                    let got = depth(&text);
                    assert!(got <= 8, "{}: {got}", p.display());
                    seen += 1;
                }
            }
        }
        assert!(seen > 10, "{seen} YAML files");
    }
}
