//! Source text → typed AST with spans.
//!
//! The pest parser (`grammar/opsplan.pest`) is private to this module: pest pairs are
//! lowered here (`lower.rs`, one `lower_x` per grammar rule) and never leave it. Syntax
//! errors become diagnostics with a readable "expected …" (`errors.rs`); after an error
//! the offending line is blanked and the file parsed again, so one run reports the
//! errors of every statement, not just the first.

pub mod ast;
mod errors;
mod keywords;
mod lower;

use crate::diag::{Code, Diagnostic, Label};
use crate::source::{FileId, Span};
use ast::SourceAst;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/opsplan.pest"]
struct OpsParser;

/// At most this many syntax errors are reported per file.
const MAX_SYNTAX_ERRORS: usize = 20;

/// The largest source file accepted (the offsets in spans are 32-bit).
pub const MAX_SOURCE_BYTES: usize = 512 * 1024 * 1024;

/// Parses one file. Never fails: problems are diagnostics, and the tree holds what
/// could be recovered (an empty tree when nothing could).
pub fn parse(file: FileId, text: &str) -> (SourceAst, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if text.len() > MAX_SOURCE_BYTES {
        diags.push(Diagnostic::new(
            Code::UnreadableSource,
            format!(
                "file is larger than {} MiB",
                MAX_SOURCE_BYTES / (1024 * 1024)
            ),
            Label::new(Span::new(file, 0..0), "file too large"),
        ));
        return (empty(file, true), diags);
    }
    pest::set_error_detail(true);
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
                if diags.len() >= MAX_SYNTAX_ERRORS || at >= current.len() {
                    return (salvage(file, text), diags);
                }
                last_error_at = Some(at);
                work = Some(blank_line(current, at));
            }
        }
    }
}

fn empty(file: FileId, has_syntax_errors: bool) -> SourceAst {
    SourceAst {
        file,
        plans: Vec::new(),
        procedures: Vec::new(),
        has_syntax_errors,
    }
}

/// Replaces the line holding `at` with blanks, preserving every byte offset. Braces are
/// kept when the line opens or closes a block, so the block structure stays as written.
fn blank_line(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
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
