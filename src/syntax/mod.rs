//! Source text → typed AST with spans.
//!
//! The pest parser (`grammar/opsplan.pest`) is private to this module: pest pairs are
//! lowered here (`lower.rs`, one `lower_x` per grammar rule) and never leave it. Syntax
//! errors become diagnostics with a readable "expected …" (`errors.rs`); after an error
//! the offending line is blanked and the file parsed again, so one run reports the
//! errors of every statement, not just the first.

pub mod ast;
mod errors;
mod fast_roster;
pub mod format;
mod keywords;
mod lower;
mod split;

use crate::diag::{Code, Diagnostic, Label};
use crate::source::{FileId, Span};
use ast::SourceAst;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/opsplan.pest"]
struct OpsParser;

/// At most this many syntax errors are reported per file.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Files larger than this are cut into pieces parsed on several threads.
const PIECE_BYTES: usize = 256 * 1024;

/// pest's error detail is one process-wide switch, read when a parse starts. It costs
/// about half the parse time, so correct files are parsed with it off (holding the
/// read side) and only a file that fails is parsed again with it on (the write side),
/// so no parse ever sees the switch in the other state.
static ERROR_DETAIL: std::sync::RwLock<()> = std::sync::RwLock::new(());

struct ErrorDetail<'a> {
    _guard: std::sync::RwLockWriteGuard<'a, ()>,
}

impl ErrorDetail<'_> {
    fn on() -> ErrorDetail<'static> {
        let guard = ERROR_DETAIL.write().unwrap_or_else(|e| e.into_inner());
        pest::set_error_detail(true);
        ErrorDetail { _guard: guard }
    }
}

impl Drop for ErrorDetail<'_> {
    fn drop(&mut self) {
        pest::set_error_detail(false);
    }
}

/// Parses correct files without error detail, large ones in pieces, all pieces of all
/// files on several threads. For each file: `None` when it has a syntax error (the
/// caller then parses it the slow way, which reports it).
fn parse_fast_many(
    files: &[(FileId, &str)],
    piece_bytes: usize,
) -> Vec<Option<(SourceAst, Vec<Diagnostic>)>> {
    let mut jobs: Vec<(usize, split::Piece)> = Vec::new();
    let mut counts = Vec::with_capacity(files.len());
    for (fi, (_, text)) in files.iter().enumerate() {
        let pieces = split::pieces(text, piece_bytes).unwrap_or_else(|| {
            vec![split::Piece {
                kind: split::PieceKind::Items,
                range: 0..text.len(),
            }]
        });
        counts.push(pieces.len());
        jobs.extend(pieces.into_iter().map(|p| (fi, p)));
    }
    let failed: Vec<std::sync::atomic::AtomicBool> =
        files.iter().map(|_| Default::default()).collect();
    let mut lowered = crate::par::map_ordered(&jobs, |(fi, piece)| {
        use std::sync::atomic::Ordering::Relaxed;
        if failed[*fi].load(Relaxed) {
            return None;
        }
        let (file, text) = files[*fi];
        // The middle of a large roster: shift lines, read by hand when they are all
        // in the canonical layout (`fast_roster.rs`), else by pest.
        if piece.kind == split::PieceKind::RosterBody {
            if let Some(lowered) =
                fast_roster::roster_body(file, piece.range.start, &text[piece.range.clone()])
            {
                return Some(lowered);
            }
        }
        let rule = match piece.kind {
            split::PieceKind::Items => Rule::file,
            split::PieceKind::PlanHead => Rule::plan_head,
            split::PieceKind::PlanBody => Rule::plan_body,
            split::PieceKind::PlanTail => Rule::plan_tail,
            split::PieceKind::RosterHead => Rule::roster_head,
            split::PieceKind::RosterBody => Rule::roster_body,
            split::PieceKind::RosterTail => Rule::roster_tail,
        };
        let _fast = ERROR_DETAIL.read().unwrap_or_else(|e| e.into_inner());
        match OpsParser::parse(rule, &text[piece.range.clone()]) {
            Ok(mut pairs) => {
                let root = pairs.next()?;
                Some(lower::lower_piece(
                    file,
                    piece.range.start,
                    piece.kind,
                    root,
                ))
            }
            Err(_) => {
                failed[*fi].store(true, Relaxed);
                None
            }
        }
    })
    .into_iter();
    let mut jobs = jobs.into_iter();
    files
        .iter()
        .zip(counts)
        .map(|(&(file, _), n)| {
            let pieces: Vec<split::Piece> = jobs.by_ref().take(n).map(|(_, p)| p).collect();
            let parts: Option<Vec<lower::LoweredPiece>> = lowered.by_ref().take(n).collect();
            parts.map(|parts| join_pieces(file, &pieces, parts))
        })
        .collect()
}

/// [`parse_fast_many`] for one file.
#[cfg(test)]
fn parse_fast(
    file: FileId,
    text: &str,
    piece_bytes: usize,
) -> Option<(SourceAst, Vec<Diagnostic>)> {
    parse_fast_many(&[(file, text)], piece_bytes)
        .pop()
        .flatten()
}

/// Joins lowered pieces in file order; the pieces of one plan become that plan again.
fn join_pieces(
    file: FileId,
    pieces: &[split::Piece],
    lowered: Vec<lower::LoweredPiece>,
) -> (SourceAst, Vec<Diagnostic>) {
    let mut ast = empty(file, false);
    let mut diags = Vec::new();
    let mut open: Option<(ast::Plan, Option<crate::time::Notation>)> = None;
    let mut open_roster: Option<(ast::Roster, Option<crate::time::Notation>)> = None;
    for (piece, part) in pieces.iter().zip(lowered) {
        diags.extend(part.diags);
        match piece.kind {
            split::PieceKind::Items => {
                ast.plans.extend(part.plans);
                ast.procedures.extend(part.procedures);
                ast.scenarios.extend(part.scenarios);
                ast.rosters.extend(part.rosters);
            }
            split::PieceKind::PlanHead => {
                open = part.plans.into_iter().next().map(|p| (p, part.notation));
            }
            split::PieceKind::PlanBody | split::PieceKind::PlanTail => {
                let (Some((plan, notation)), Some(more)) =
                    (open.as_mut(), part.plans.into_iter().next())
                else {
                    continue;
                };
                absorb(plan, more, &mut diags);
                if notation.is_none() {
                    *notation = part.notation;
                }
                if piece.kind == split::PieceKind::PlanTail {
                    if let Some((mut plan, notation)) = open.take() {
                        plan.span.end = piece.range.end as u32;
                        plan.notation = notation.unwrap_or_default();
                        ast.plans.push(plan);
                    }
                }
            }
            split::PieceKind::RosterHead => {
                open_roster = part.rosters.into_iter().next().map(|r| (r, part.notation));
            }
            split::PieceKind::RosterBody | split::PieceKind::RosterTail => {
                let (Some((roster, notation)), Some(more)) =
                    (open_roster.as_mut(), part.rosters.into_iter().next())
                else {
                    continue;
                };
                absorb_roster(roster, more, &mut diags);
                if notation.is_none() {
                    *notation = part.notation;
                }
                if piece.kind == split::PieceKind::RosterTail {
                    if let Some((mut roster, notation)) = open_roster.take() {
                        roster.span.end = piece.range.end as u32;
                        roster.notation = notation.unwrap_or_default();
                        ast.rosters.push(roster);
                    }
                }
            }
        }
    }
    (ast, diags)
}

/// Moves the items of a later piece of a roster into the roster (its `plan` and each
/// working-time rule once, as when the whole roster is lowered at once).
fn absorb_roster(r: &mut ast::Roster, more: ast::Roster, diags: &mut Vec<Diagnostic>) {
    match (&r.plan, more.plan) {
        (Some(first), Some(again)) => {
            diags.push(lower::repeated_clause("plan", first.span, again.span))
        }
        (None, plan) => r.plan = plan,
        (Some(_), None) => {}
    }
    if r.title.is_none() {
        r.title = more.title;
    }
    for w in more.rules {
        match r.rules.iter().find(|x| x.kind.name() == w.kind.name()) {
            Some(first) => diags.push(lower::repeated_clause(w.kind.name(), first.span, w.span)),
            None => r.rules.push(w),
        }
    }
    r.positions.extend(more.positions);
    r.people.extend(more.people);
    r.duties.extend(more.duties);
    r.shifts.extend(more.shifts);
    r.oncalls.extend(more.oncalls);
    r.assignments.extend(more.assignments);
}

/// Moves the items of a later piece of a plan into the plan.
fn absorb(plan: &mut ast::Plan, more: ast::Plan, diags: &mut Vec<Diagnostic>) {
    fn once<T>(
        slot: &mut Option<T>,
        value: Option<T>,
        clause: &str,
        span_of: fn(&T) -> Span,
        diags: &mut Vec<Diagnostic>,
    ) {
        match (slot.as_ref(), value) {
            (Some(first), Some(again)) => diags.push(lower::repeated_clause(
                clause,
                span_of(first),
                span_of(&again),
            )),
            (None, value) => *slot = value,
            (Some(_), None) => {}
        }
    }
    once(
        &mut plan.mission,
        more.mission,
        "mission",
        |s| s.span,
        diags,
    );
    once(&mut plan.issue, more.issue, "issue", |s| s.span, diags);
    once(
        &mut plan.horizon,
        more.horizon,
        "horizon",
        |i| i.span,
        diags,
    );
    plan.uses.extend(more.uses);
    plan.roles.extend(more.roles);
    plan.resources.extend(more.resources);
    plan.windows.extend(more.windows);
    plan.phases.extend(more.phases);
    plan.activities.extend(more.activities);
    plan.waivers.extend(more.waivers);
}

/// The largest source file accepted (the offsets in spans are 32-bit).
pub const MAX_SOURCE_BYTES: usize = 512 * 1024 * 1024;

/// Parses one file. Never fails: problems are diagnostics, and the tree holds what
/// could be recovered (an empty tree when nothing could).
pub fn parse(file: FileId, text: &str) -> (SourceAst, Vec<Diagnostic>) {
    parse_many(&[(file, text)])
        .pop()
        .unwrap_or_else(|| (empty(file, true), Vec::new()))
}

/// Parses several files, using every core; the results are in the order of `files`.
pub fn parse_many(files: &[(FileId, &str)]) -> Vec<(SourceAst, Vec<Diagnostic>)> {
    let (too_large, fitting): (Vec<_>, Vec<_>) = files
        .iter()
        .enumerate()
        .partition(|(_, (_, text))| text.len() > MAX_SOURCE_BYTES);
    let fitting_files: Vec<(FileId, &str)> = fitting.iter().map(|(_, f)| **f).collect();
    let mut out: Vec<Option<(SourceAst, Vec<Diagnostic>)>> = files.iter().map(|_| None).collect();
    for (i, &(file, _)) in too_large {
        let diag = Diagnostic::new(
            Code::UnreadableSource,
            format!(
                "file is larger than {} MiB",
                MAX_SOURCE_BYTES / (1024 * 1024)
            ),
            Label::new(Span::new(file, 0..0), "file too large"),
        );
        out[i] = Some((empty(file, true), vec![diag]));
    }
    let fast = parse_fast_many(&fitting_files, PIECE_BYTES);
    for ((i, &(file, text)), done) in fitting.into_iter().zip(fast) {
        out[i] = Some(done.unwrap_or_else(|| parse_slow(file, text)));
    }
    out.into_iter().flatten().collect()
}

/// Parses a file that has syntax errors: error detail on (the "expected …" sets), each
/// error located, the offending line blanked and the file parsed again.
fn parse_slow(file: FileId, text: &str) -> (SourceAst, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let _detail = ErrorDetail::on();
    let mut work: Option<String> = None;
    let mut last_error_at: Option<usize> = None;
    loop {
        let current = work.as_deref().unwrap_or(text);
        match OpsParser::parse(Rule::file, current) {
            Ok(mut pairs) => {
                let has_errors = !diags.is_empty();
                let mut ast = empty(file, has_errors);
                if let Some(root) = pairs.next() {
                    lower::lower_file(file, root, &mut ast, &mut diags);
                }
                return (ast, diags);
            }
            Err(err) => {
                let diag = errors::syntax_diagnostic(file, current, &err);
                let at = diag.primary.span.start as usize;
                // An error before the previous one is a consequence of the blanking.
                if last_error_at.is_some_and(|p| at <= p) {
                    return (salvage(file, text), diags);
                }
                diags.push(diag);
                if diags.len() >= MAX_SYNTAX_ERRORS && at < current.len() {
                    // Never a silent cut: the last finding says the file was not read on.
                    if let Some(last) = diags.last_mut() {
                        last.notes.push(format!(
                            "opsplan stops at {MAX_SYNTAX_ERRORS} syntax errors in a file: \
                             the rest of this file was not read; correct these and check again"
                        ));
                    }
                    return (salvage(file, text), diags);
                }
                if at >= current.len() {
                    return (salvage(file, text), diags);
                }
                last_error_at = Some(at);
                work = Some(blank_line(current, at));
            }
        }
    }
}

/// The byte offset of a text's first token: after blanks, a byte-order mark and comments
/// (the text's length when it holds none).
pub fn first_token(text: &str) -> usize {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find(['\n', '\r']).map_or("", |i| &r[i..]);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]);
        } else {
            return text.len() - rest.len();
        }
    }
}

/// True when a text starts as opsplan source does: `plan`, `procedure`, `scenario` or `roster`,
/// then a name (blanks and comments between them). A file read as opsplan source that
/// has syntax errors and does not start so is not opsplan text at all (a password file,
/// `/proc/self/environ`, a key): it is never quoted (`workspace`, "not an opsplan
/// source").
pub fn starts_like_source(text: &str) -> bool {
    let at = first_token(text);
    let rest = &text[at..];
    let Some(after) = ["plan", "procedure", "scenario", "roster"]
        .iter()
        .find_map(|k| rest.strip_prefix(k))
    else {
        return false;
    };
    let name_at = first_token(after);
    name_at > 0
        && after[name_at..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

/// How a requirement id is written in a `covers`: bare when the grammar's bare form
/// (`cited_word`: letters, digits and `_`, with `-`, `.` and `/` each followed by one of
/// them) reads it whole (`ATV-OPS-REQ-006`, `4594`, `REQ-1.2`), else in double quotes
/// with `"` and `\` escaped (`"REQ 1.2"`). `None` for an id no `covers` can cite: empty,
/// or holding a control character.
pub fn cited_form(id: &str) -> Option<String> {
    if id.is_empty() || id.chars().any(char::is_control) {
        return None;
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = id.as_bytes();
    let bare = word(bytes[0])
        && bytes.iter().enumerate().all(|(i, &b)| {
            word(b)
                || (matches!(b, b'-' | b'.' | b'/') && bytes.get(i + 1).is_some_and(|&n| word(n)))
        });
    if bare {
        return Some(id.to_string());
    }
    let mut out = String::with_capacity(id.len() + 2);
    out.push('"');
    for c in id.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Some(out)
}

fn empty(file: FileId, has_syntax_errors: bool) -> SourceAst {
    SourceAst {
        file,
        plans: Vec::new(),
        procedures: Vec::new(),
        scenarios: Vec::new(),
        rosters: Vec::new(),
        has_syntax_errors,
    }
}

/// Replaces the line holding `at` with blanks, preserving every byte offset. Braces are
/// kept when the line opens or closes a block, so the block structure stays as written.
/// A line ends at `\n` or `\r` (a `\r` alone ends a line, as for the line numbers).
fn blank_line(text: &str, at: usize) -> String {
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    let balanced = line.matches('{').count() == line.matches('}').count();
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    for c in line.chars() {
        match c {
            '{' | '}' if !balanced => out.push(c),
            '\r' => out.push(c),
            _ => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
    out.push_str(&text[end..]);
    out
}

/// When a file cannot be recovered, keep the names of the procedures it defines so that
/// references from other files do not all turn into "undefined procedure" noise.
fn salvage(file: FileId, text: &str) -> SourceAst {
    let mut ast = empty(file, true);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("procedure ") {
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if !name.is_empty() {
                let start = offset + (line.len() - trimmed.len()) + "procedure ".len();
                let span = Span::new(file, start..start + name.len());
                ast.procedures.push(ast::Procedure::placeholder(name, span));
            }
        }
        offset += line.len();
    }
    ast
}

#[cfg(test)]
mod tests;
