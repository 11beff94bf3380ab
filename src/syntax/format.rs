//! Canonical layout of opsplan sources (`opsplan fmt`).
//!
//! The formatter walks the pest tree of a file that parses, with the source between
//! tokens lexed for what the tree does not hold: punctuation (`{ } .. , ( ) =`), line
//! ends and comments. The layout it produces:
//!
//! - two spaces of indentation per block (`plan`, `phase`, `activity`, `procedure`,
//!   `step`, …); `{` ends its header line, `}` stands on its own line, each block item
//!   starts a line;
//! - clauses the author wrote on one line stay on one line, three spaces apart; clauses
//!   on separate lines stay on separate lines. Inside a clause, tokens are one space
//!   apart (none before `,` and `)`, none around `(`), and a line break is kept only after
//!   a `,` or before the first interval of a window, as a continuation line indented one
//!   more level;
//! - consecutive one-clause lines of a block are aligned as a table: the keyword column,
//!   the `on fail` column of statements, the columns of `resource` declarations and of a
//!   roster's `shift` and `oncall` lines, the values of its `rules`, and the trailing
//!   comments;
//! - every comment is kept, in place: a comment after code on its line stays after that
//!   code, a comment on its own line stays on its own line. Blank lines between items
//!   are kept (several become one); none after `{` or before `}`;
//! - literals are normalised only where blanks are free: `2014/273   09:00` becomes
//!   `2014/273 09:00`, `A11.end+10m` becomes `A11.end + 10m`; strings and comments are
//!   never touched. Line ends become LF, a byte-order mark is dropped, the file ends
//!   with one line end.
//!
//! Formatting is idempotent, and it never changes what a file says: the result is
//! parsed again and its tokens and comments compared with the input's before it is
//! returned ([`FormatError::Changed`] otherwise, which would be a bug here).

use super::{OpsParser, Rule, ERROR_DETAIL};
use pest::iterators::Pair;
use pest::Parser;

/// Why a text was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The text does not parse; `super::parse` reports why.
    Syntax,
    /// The formatted text would not say the same as the input (a bug in the formatter):
    /// nothing is to be written.
    Changed(String),
}

/// Formats one source text.
pub fn format(text: &str) -> Result<String, FormatError> {
    let src = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let root = parse_root(src).ok_or(FormatError::Syntax)?;
    let mut f = Formatter::new(src);
    f.file(root.clone());
    let out = f.finish();
    let again = parse_root(&out)
        .ok_or_else(|| FormatError::Changed("the formatted text does not parse".to_string()))?;
    let (before, after) = (signature(src, root), signature(&out, again));
    if before != after {
        let at = before
            .iter()
            .zip(&after)
            .position(|(a, b)| a != b)
            .unwrap_or(before.len().min(after.len()));
        return Err(FormatError::Changed(format!(
            "token {at} would change from {:?} to {:?}",
            before.get(at),
            after.get(at)
        )));
    }
    Ok(out)
}

fn parse_root(src: &str) -> Option<Pair<'_, Rule>> {
    let _fast = ERROR_DETAIL.read().unwrap_or_else(|e| e.into_inner());
    OpsParser::parse(Rule::file, src).ok()?.next()
}

// ---------------------------------------------------------------- lexing the gaps

/// What lies between two tokens of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap<'s> {
    /// Blanks holding this many line ends.
    Blank(usize),
    /// `// …` (without its line end) or `/* … */`.
    Comment(&'s str),
    /// A literal of the grammar: `{`, `}`, `..`, `,`, `(`, `)`, `=`.
    Punct(&'s str),
}

fn lex_gap(text: &str) -> Vec<Gap<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let blank = rest
            .find(|c: char| !matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{FEFF}'))
            .unwrap_or(rest.len());
        if blank > 0 {
            out.push(Gap::Blank(rest[..blank].matches('\n').count()));
            rest = &rest[blank..];
            continue;
        }
        let len = if rest.starts_with("//") {
            rest.find(['\n', '\r']).unwrap_or(rest.len())
        } else if let Some(body) = rest.strip_prefix("/*") {
            body.find("*/").map_or(rest.len(), |i| i + 4)
        } else if rest.starts_with("..") {
            2
        } else {
            rest.chars().next().map_or(1, char::len_utf8)
        };
        let (lexeme, tail) = rest.split_at(len);
        out.push(if lexeme.starts_with("//") || lexeme.starts_with("/*") {
            Gap::Comment(lexeme)
        } else {
            Gap::Punct(lexeme)
        });
        rest = tail;
    }
    out
}

/// Pairs printed as one token: atomic rules, and compound-atomic ones whose inner
/// pairs are parts of one word.
fn is_leaf(pair: &Pair<'_, Rule>) -> bool {
    matches!(
        pair.as_rule(),
        Rule::string | Rule::quantity | Rule::duration | Rule::rel_time | Rule::cited
    ) || pair.clone().into_inner().peek().is_none()
}

/// A block item: its own punctuation holds a `{`.
fn is_block(src: &str, pair: &Pair<'_, Rule>) -> bool {
    let mut cursor = pair.as_span().start();
    for child in pair.clone().into_inner() {
        let gap = &src[cursor..child.as_span().start()];
        if lex_gap(gap).contains(&Gap::Punct("{")) {
            return true;
        }
        cursor = child.as_span().end();
    }
    lex_gap(&src[cursor..pair.as_span().end()]).contains(&Gap::Punct("{"))
}

/// The column (in characters) where `part`, a slice of `src`, starts.
fn column_of(src: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(src.as_ptr() as usize);
    let before = &src[..offset.min(src.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before[line_start..].chars().count()
}

/// The canonical text of a leaf.
fn leaf_text(pair: &Pair<'_, Rule>) -> String {
    match pair.as_rule() {
        Rule::doy_time | Rule::quantity => pair
            .as_str()
            .split([' ', '\t'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        Rule::rel_time => {
            let mut text = String::new();
            for part in pair.clone().into_inner() {
                match part.as_rule() {
                    Rule::ident => text.push_str(part.as_str()),
                    Rule::anchor => {
                        text.push('.');
                        text.push_str(part.as_str());
                    }
                    _ => {
                        text.push(' ');
                        text.push_str(part.as_str());
                    }
                }
            }
            text
        }
        _ => pair.as_str().to_string(),
    }
}

/// A comment as compared before and after formatting (trailing blanks of its lines
/// are not part of it).
fn comment_text(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every token and comment of a file, in order, in canonical spelling.
fn signature(src: &str, root: Pair<'_, Rule>) -> Vec<String> {
    // Recursive over the parse tree, whose depth the grammar fixes: no rule of
    // grammar/opsplan.pest reaches itself (plan → phase → activity → clause, procedure →
    // step → statement), so the input cannot make it deeper (ARCHITECTURE.md, "No
    // recursion over input depth").
    fn walk(src: &str, pair: Pair<'_, Rule>, out: &mut Vec<String>) {
        if is_leaf(&pair) {
            if pair.as_rule() != Rule::EOI {
                out.push(leaf_text(&pair));
            }
            return;
        }
        let (start, end) = (pair.as_span().start(), pair.as_span().end());
        let mut cursor = start;
        for child in pair.into_inner() {
            gaps(&src[cursor..child.as_span().start()], out);
            cursor = child.as_span().end();
            walk(src, child, out);
        }
        gaps(&src[cursor..end], out);
    }
    fn gaps(text: &str, out: &mut Vec<String>) {
        for g in lex_gap(text) {
            match g {
                Gap::Blank(_) => {}
                Gap::Comment(c) => out.push(comment_text(c)),
                Gap::Punct(p) => out.push(p.to_string()),
            }
        }
    }
    let mut out = Vec::new();
    let end = root.as_span().end();
    walk(src, root, &mut out);
    gaps(&src[end..], &mut out);
    out
}

// ---------------------------------------------------------------- building lines

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One or more clauses (items) of a block.
    Item,
    /// The header of a block item, up to its `{`.
    Header,
    /// `}`
    Close,
    /// A comment on its own line.
    Comment,
    /// The rest of an item broken over lines.
    Continuation,
}

#[derive(Debug, Clone)]
struct Cell {
    text: String,
    /// Blanks before the cell, at least.
    sep: usize,
}

#[derive(Debug, Clone)]
struct Line {
    kind: Kind,
    depth: usize,
    /// The block the line belongs to (lines align only within one block).
    body: usize,
    blank_before: bool,
    /// The cells of each item on the line.
    items: Vec<Vec<Cell>>,
    comment: Option<String>,
    /// The column of the trailing comment in the source.
    comment_column: usize,
    /// `//` comments on the lines below, aligned with the trailing comment in the source:
    /// they go on with it and stay aligned with it.
    comment_more: Vec<String>,
}

impl Line {
    fn new(kind: Kind, depth: usize, body: usize, blank_before: bool) -> Line {
        Line {
            kind,
            depth,
            body,
            blank_before,
            items: vec![vec![Cell {
                text: String::new(),
                sep: 0,
            }]],
            comment: None,
            comment_column: 0,
            comment_more: Vec::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.comment.is_none() && self.items.iter().flatten().all(|c| c.text.is_empty())
    }
}

#[derive(Debug, Clone, Copy)]
struct Body {
    id: usize,
    /// Nothing has been written in the block yet.
    first: bool,
    /// The last item was a block (the next item starts a line).
    prev_block: bool,
}

/// How the tokens of an item are split into cells for alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    /// One cell (block headers).
    None,
    /// The first token, then the rest.
    AfterFirst,
    /// The first two tokens, then the rest (`daily rest` `11h`, `max shift` `12h`).
    AfterSecond,
}

struct Formatter<'s> {
    src: &'s str,
    lines: Vec<Line>,
    cur: Option<Line>,
    depth: usize,
    bodies: Vec<Body>,
    next_body: usize,
    /// Line ends seen since the last token or comment.
    pending_nl: usize,
    /// A `//` comment (or a comment on its own line) came since the last token: the next
    /// token starts a line.
    force_break: bool,
    /// The next token may keep a line break of the source before it.
    break_ok: bool,
    prev_token: String,
    split: Split,
    item_tokens: usize,
    /// The next token starts a new cell with this many blanks before it.
    pending_cell: Option<usize>,
    item_depth: usize,
    /// Comments on their own lines not yet placed, with "a blank line before".
    pending_comments: Vec<(String, bool)>,
}

impl<'s> Formatter<'s> {
    fn new(src: &'s str) -> Self {
        Formatter {
            src,
            lines: Vec::new(),
            cur: None,
            depth: 0,
            bodies: vec![Body {
                id: 0,
                first: true,
                prev_block: true,
            }],
            next_body: 1,
            pending_nl: 0,
            force_break: false,
            break_ok: false,
            prev_token: String::new(),
            split: Split::None,
            item_tokens: 0,
            pending_cell: None,
            item_depth: 0,
            pending_comments: Vec::new(),
        }
    }

    fn body(&mut self) -> &mut Body {
        self.bodies.last_mut().expect("the file is a body")
    }

    fn flush(&mut self) {
        if let Some(line) = self.cur.take() {
            if !line.is_empty() {
                self.lines.push(line);
            }
        }
    }

    fn file(&mut self, root: Pair<'s, Rule>) {
        let end = root.as_span().end();
        let mut cursor = root.as_span().start();
        for child in root.into_inner() {
            self.gap(cursor, child.as_span().start(), &mut true);
            cursor = child.as_span().end();
            if child.as_rule() != Rule::EOI {
                self.item(child);
            }
        }
        self.gap(cursor, end, &mut true);
        self.gap(end, self.src.len(), &mut true);
        self.place_comments(0);
        self.flush();
    }

    /// Lexes the source between two tree tokens. `in_body` turns true at a `{`.
    fn gap(&mut self, from: usize, to: usize, in_body: &mut bool) {
        if from >= to {
            return;
        }
        for g in lex_gap(&self.src[from..to]) {
            match g {
                Gap::Blank(n) => self.pending_nl += n,
                Gap::Comment(c) => self.comment(c),
                Gap::Punct("{") => {
                    self.token("{");
                    self.depth += 1;
                    let id = self.next_body;
                    self.next_body += 1;
                    self.bodies.push(Body {
                        id,
                        first: true,
                        prev_block: false,
                    });
                    *in_body = true;
                }
                Gap::Punct("}") => {
                    self.place_comments(self.depth);
                    self.flush();
                    self.bodies.pop();
                    self.depth = self.depth.saturating_sub(1);
                    let body = self.body().id;
                    let mut line = Line::new(Kind::Close, self.depth, body, false);
                    line.items[0][0].text.push('}');
                    self.cur = Some(line);
                    self.pending_nl = 0;
                    self.force_break = false;
                    self.prev_token = "}".to_string();
                    *in_body = false;
                }
                Gap::Punct(p) => self.token(p),
            }
        }
    }

    fn comment(&mut self, text: &'s str) {
        let column = column_of(self.src, text);
        let text = comment_text(text);
        let line_comment = text.starts_with("//");
        let trailing = self.pending_nl == 0
            && self.pending_comments.is_empty()
            && self.cur.as_ref().is_some_and(|l| !l.is_empty());
        if trailing && line_comment {
            let line = self.cur.as_mut().expect("a current line");
            match &mut line.comment {
                Some(c) => {
                    c.push(' ');
                    c.push_str(&text);
                }
                None => {
                    line.comment = Some(text);
                    line.comment_column = column;
                }
            }
            self.force_break = true;
        } else if line_comment && self.pending_nl == 1 && self.pending_comments.is_empty() {
            // A comment going on with the trailing comment of the line above?
            let above = match self.cur.as_mut() {
                Some(line) => Some(line),
                None => self.lines.last_mut(),
            };
            match above {
                Some(line) if line.comment.is_some() && line.comment_column == column => {
                    line.comment_more.push(text);
                    self.force_break = true;
                }
                _ => {
                    self.flush();
                    self.pending_comments.push((text, false));
                    self.force_break = true;
                }
            }
        } else if trailing {
            // A block comment inside code stays inline, as a word.
            self.push_word(&text);
        } else {
            // Placed when the next token shows whether it is inside an item or between
            // items (a pair's span may run on over the blanks and comments after it).
            self.flush();
            self.pending_comments.push((text, self.pending_nl >= 2));
            self.force_break = true;
        }
        self.pending_nl = 0;
    }

    /// Writes the comments met on their own lines since the last token, at `depth`.
    fn place_comments(&mut self, depth: usize) {
        if self.pending_comments.is_empty() {
            return;
        }
        self.flush();
        for (text, blank) in std::mem::take(&mut self.pending_comments) {
            let first = self.body().first;
            self.body().first = false;
            let body = self.body().id;
            let mut line = Line::new(Kind::Comment, depth, body, blank && !first);
            line.items[0][0].text = text;
            self.lines.push(line);
        }
    }

    /// Starts a continuation line of the current item.
    fn continuation(&mut self) {
        self.flush();
        let body = self.body().id;
        self.cur = Some(Line::new(
            Kind::Continuation,
            self.item_depth + 1,
            body,
            false,
        ));
    }

    fn token(&mut self, text: &str) {
        let may_break = self.break_ok || self.prev_token == ",";
        self.break_ok = false;
        if self.force_break || (self.pending_nl > 0 && may_break) || self.cur.is_none() {
            self.place_comments(self.item_depth + 1);
            self.continuation();
        }
        self.force_break = false;
        self.pending_nl = 0;
        if let Some(sep) = self.pending_cell.take() {
            let line = self.cur.as_mut().expect("a current line");
            let item = line.items.last_mut().expect("an item");
            if item.last().is_some_and(|c| !c.text.is_empty()) {
                item.push(Cell {
                    text: String::new(),
                    sep,
                });
            }
        }
        let glue = matches!(text, "," | ")" | "(") || self.prev_token == "(";
        let line = self.cur.as_mut().expect("a current line");
        let cell = line
            .items
            .last_mut()
            .and_then(|i| i.last_mut())
            .expect("a cell");
        if !cell.text.is_empty() && !glue {
            cell.text.push(' ');
        }
        cell.text.push_str(text);
        self.item_tokens += 1;
        if (self.split == Split::AfterFirst && self.item_tokens == 1)
            || (self.split == Split::AfterSecond && self.item_tokens == 2)
        {
            self.pending_cell = Some(1);
        }
        self.prev_token = text.to_string();
    }

    /// Writes a block comment found inside code, as a word of the current cell.
    fn push_word(&mut self, text: &str) {
        if let Some(line) = self.cur.as_mut() {
            if let Some(cell) = line.items.last_mut().and_then(|i| i.last_mut()) {
                if !cell.text.is_empty() {
                    cell.text.push(' ');
                }
                cell.text.push_str(text);
            }
        }
    }

    /// One item of a block: a clause, a declaration, a statement or a nested block.
    fn item(&mut self, pair: Pair<'s, Rule>) {
        let block = is_block(self.src, &pair);
        self.place_comments(self.depth);
        let body = *self.body();
        let join = !block
            && !body.prev_block
            && !body.first
            && self.pending_nl == 0
            && !self.force_break
            && self
                .cur
                .as_ref()
                .is_some_and(|l| l.kind == Kind::Item && l.comment.is_none());
        if join {
            let line = self.cur.as_mut().expect("joined to the current line");
            line.items.push(vec![Cell {
                text: String::new(),
                sep: 0,
            }]);
        } else {
            self.flush();
            let kind = if block { Kind::Header } else { Kind::Item };
            let blank = self.pending_nl >= 2 && !body.first;
            self.cur = Some(Line::new(kind, self.depth, body.id, blank));
        }
        self.body().first = false;
        self.pending_nl = 0;
        self.force_break = false;
        self.item_tokens = 0;
        self.pending_cell = None;
        self.item_depth = self.depth;
        self.split = if block {
            Split::None
        } else {
            Split::AfterFirst
        };
        match pair.as_rule() {
            Rule::statement => self.children(pair, |f, i, child| {
                if i > 0 && child.as_rule() == Rule::on_fail {
                    f.pending_cell = Some(3);
                }
            }),
            Rule::rest_rule | Rule::max_rule => {
                self.split = Split::AfterSecond;
                self.node(pair)
            }
            // A roster's shifts and on-call turns read as a table: person, position or
            // duty, interval, each a column.
            Rule::resource_decl | Rule::shift_decl | Rule::oncall_decl => {
                self.split = Split::None;
                self.children(pair, |f, i, _| {
                    if i > 0 {
                        f.pending_cell = Some(1);
                    }
                })
            }
            _ => self.node(pair),
        }
        self.item_tokens = 0;
        self.split = Split::None;
        self.pending_cell = None;
        self.body().prev_block = block;
    }

    /// Any pair: a leaf token, or its children with the punctuation and comments
    /// between them. Children after a `{` are block items.
    fn node(&mut self, pair: Pair<'s, Rule>) {
        if is_leaf(&pair) {
            let text = leaf_text(&pair);
            self.token(&text);
            return;
        }
        let list = pair.as_rule() == Rule::window_intervals;
        self.children(pair, |f, _, _| f.break_ok |= list);
    }

    fn children(
        &mut self,
        pair: Pair<'s, Rule>,
        mut before: impl FnMut(&mut Self, usize, &Pair<'s, Rule>),
    ) {
        let (start, end) = (pair.as_span().start(), pair.as_span().end());
        let mut cursor = start;
        let mut in_body = false;
        for (i, child) in pair.into_inner().enumerate() {
            self.gap(cursor, child.as_span().start(), &mut in_body);
            cursor = child.as_span().end();
            if in_body {
                let saved = (self.split, self.item_tokens, self.item_depth);
                self.item(child);
                (self.split, self.item_tokens, self.item_depth) = saved;
            } else {
                before(self, i, &child);
                self.node(child);
            }
        }
        self.gap(cursor, end, &mut in_body);
    }

    fn finish(mut self) -> String {
        self.flush();
        render(&self.lines)
    }
}

// ---------------------------------------------------------------- printing

/// The cells a line is printed with; `aligned` lines take part in column alignment.
fn cells_of(line: &Line) -> Vec<Cell> {
    let mut cells: Vec<Cell> = if line.items.len() == 1 {
        line.items[0].clone()
    } else {
        line.items
            .iter()
            .enumerate()
            .map(|(i, item)| Cell {
                text: item
                    .iter()
                    .map(|c| c.text.as_str())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
                sep: if i == 0 { 0 } else { 3 },
            })
            .collect()
    };
    cells.retain(|c| !c.text.is_empty());
    if let Some(c) = &line.comment {
        cells.push(Cell {
            text: c.clone(),
            sep: if cells.is_empty() { 0 } else { 3 },
        });
    }
    cells
}

/// Lines align with their neighbours when they are of one kind, in one block, with no
/// blank line between them.
fn run_key(line: &Line) -> Option<(Kind, usize, bool)> {
    match line.kind {
        Kind::Item | Kind::Continuation => Some((line.kind, line.body, line.items.len() == 1)),
        _ => None,
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn render(lines: &[Line]) -> String {
    let cells: Vec<Vec<Cell>> = lines.iter().map(cells_of).collect();
    // Column starts per line, computed run by run.
    let mut starts: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let key = run_key(&lines[i]);
        let mut j = i + 1;
        if key.is_some() {
            while j < lines.len() && !lines[j].blank_before && run_key(&lines[j]) == key {
                j += 1;
            }
        }
        let columns = cells[i..j].iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; columns];
        let mut seps = vec![0usize; columns];
        for row in &cells[i..j] {
            for (k, cell) in row.iter().enumerate() {
                if k + 1 < row.len() {
                    widths[k] = widths[k].max(width(&cell.text));
                }
                seps[k] = seps[k].max(cell.sep);
            }
        }
        let mut at = vec![0usize; columns];
        for k in 1..columns {
            at[k] = at[k - 1] + widths[k - 1] + seps[k];
        }
        for s in &mut starts[i..j] {
            s.clone_from(&at);
        }
        i = j;
    }
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        let mut comment_at = 0;
        if line.blank_before && n > 0 {
            out.push('\n');
        }
        let mut text = "  ".repeat(line.depth);
        let indent = text.len();
        for (k, cell) in cells[n].iter().enumerate() {
            if k > 0 {
                let col = indent + starts[n][k];
                let here = width(&text);
                let pad = if col > here {
                    col - here
                } else {
                    cell.sep.max(1)
                };
                text.extend(std::iter::repeat_n(' ', pad));
            }
            comment_at = width(&text);
            text.push_str(&cell.text);
        }
        out.push_str(text.trim_end());
        out.push('\n');
        for more in &line.comment_more {
            out.extend(std::iter::repeat_n(' ', comment_at));
            out.push_str(more);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn lays_out_blocks_and_aligns_clauses() {
        let src = "plan P \"t\" {   mission \"M\"\n issue 3\nhorizon 2014/272   00:00 .. 2014/279 00:00\n\n\n  activity A1 { at 2014/272 06:30 lasts 30m by FD\n kind telecon\n }\n}\n";
        assert_eq!(
            fmt(src),
            "plan P \"t\" {\n  mission \"M\"\n  issue   3\n  horizon 2014/272 00:00 .. 2014/279 00:00\n\n  activity A1 {\n    at 2014/272 06:30   lasts 30m   by FD\n    kind telecon\n  }\n}\n"
        );
    }

    #[test]
    fn keeps_every_comment_in_place() {
        let src = "// head\n\nplan P { // after brace\n  roles FD, OM // two roles\n  /* own line */\n  roles GC\n  // before close\n} // after close\n// tail\n";
        let out = fmt(src);
        assert_eq!(
            out,
            "// head\n\nplan P {   // after brace\n  roles FD, OM   // two roles\n  /* own line */\n  roles GC\n  // before close\n}   // after close\n// tail\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn statements_align_their_on_fail_column() {
        let src = "procedure X {\n step 1 {\n  check A < 1 degC on fail goto 2\n  manual FD \"x\"\n  check LONGER_NAME == 2 within 5m on fail abort \"no\"\n }\n step 2 { end }\n}\n";
        assert_eq!(
            fmt(src),
            "procedure X {\n  step 1 {\n    check  A < 1 degC                   on fail goto 2\n    manual FD \"x\"\n    check  LONGER_NAME == 2 within 5m   on fail abort \"no\"\n  }\n  step 2 {\n    end\n  }\n}\n"
        );
    }

    #[test]
    fn commands_lists_and_relative_times_are_canonical() {
        let src = "procedure X { step 1 { command DV_LOAD ( dv = 0.5   m/s , axis=X )\n command NOARGS( ) } }\nplan P { activity A { at B.end+10m } activity B { after A -5m within 1h } }";
        assert_eq!(
            fmt(src),
            "procedure X {\n  step 1 {\n    command DV_LOAD(dv = 0.5 m/s, axis = X)\n    command NOARGS()\n  }\n}\nplan P {\n  activity A {\n    at B.end + 10m\n  }\n  activity B {\n    after A - 5m within 1h\n  }\n}\n"
        );
    }

    #[test]
    fn list_breaks_after_commas_are_continuation_lines() {
        let src = "plan P {\n  window TDRS \"b\"\n 2014/273 08:30 .. 2014/273 10:30, // one\n      2014/275 13:30 .. 2014/275 15:00   // two\n  roles A,\n B\n}\n";
        let out = fmt(src);
        assert_eq!(
            out,
            "plan P {\n  window TDRS \"b\"\n    2014/273 08:30 .. 2014/273 10:30,   // one\n    2014/275 13:30 .. 2014/275 15:00    // two\n  roles A,\n    B\n}\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn resources_align_as_a_table() {
        let src =
            "plan P {\n resource OCS exclusive \"a\"\n resource GROUND-CHAIN capacity 2 \"b\"\n}\n";
        assert_eq!(
            fmt(src),
            "plan P {\n  resource OCS          exclusive  \"a\"\n  resource GROUND-CHAIN capacity 2 \"b\"\n}\n"
        );
    }

    #[test]
    fn rosters_align_their_rules_shifts_and_on_call_turns() {
        let src = "roster R { plan P\n rules { daily rest 11h\n max nights 3\n night 21:00..06:00 }\n shift JD OM-DESK 2014/272 06:00 .. 2014/272 14:15\n shift MARTIN PLN 2014/272 14:00 .. 2014/272 22:15\n oncall MM OPS 2014/272 00:00 .. 2014/273 00:00 response 20m\n}\n";
        let out = fmt(src);
        assert_eq!(
            out,
            "roster R {\n  plan P\n  rules {\n    daily rest 11h\n    max nights 3\n    night      21:00 .. 06:00\n  }\n  shift  JD     OM-DESK 2014/272 06:00 .. 2014/272 14:15\n  shift  MARTIN PLN     2014/272 14:00 .. 2014/272 22:15\n  oncall MM     OPS     2014/272 00:00 .. 2014/273 00:00 response 20m\n}\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn crlf_bom_and_empty_inputs() {
        assert_eq!(
            fmt("\u{FEFF}plan P {\r\n  roles A\r\n}\r\n"),
            "plan P {\n  roles A\n}\n"
        );
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("// only\n"), "// only\n");
    }

    #[test]
    fn a_comment_inside_a_clause_breaks_it() {
        let src = "plan P { activity A { at // when\n 2014/272 06:30 } }";
        let out = fmt(src);
        assert_eq!(
            out,
            "plan P {\n  activity A {\n    at   // when\n      2014/272 06:30\n  }\n}\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn a_comment_aligned_under_a_trailing_comment_goes_on_with_it() {
        let src = "plan P {\n  roles FD, OM      // one\n                    // two\n  // own line\n  roles GC   // three\n}\n";
        let out = fmt(src);
        assert_eq!(
            out,
            "plan P {\n  roles FD, OM   // one\n                 // two\n  // own line\n  roles GC   // three\n}\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn syntax_errors_are_not_formatted() {
        assert_eq!(format("plan P {"), Err(FormatError::Syntax));
    }
}
