//! What the language server knows about a checked project, as values over byte spans:
//! hover, definition, references, completion and code actions. No protocol types here:
//! the server converts spans to positions.
//!
//! (Contract stub: the bodies are written in the `lspsem` branch.)

use crate::source::{FileId, Span};
use crate::workspace::Run;

/// The symbols of a run, built once per check and asked many times.
#[derive(Debug, Default)]
pub struct Index {}

impl Index {
    /// Indexes every definition and reference of `run` (linear in the run's size).
    pub fn build(_run: &Run) -> Index {
        Index {}
    }
}

/// A hover: Markdown text and the word hovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub span: Span,
}

/// What a hover at `offset` of `file` shows.
pub fn hover(_run: &Run, _index: &Index, _file: FileId, _offset: usize) -> Option<Hover> {
    None
}

/// Where the name at `offset` of `file` is defined.
pub fn definition(_run: &Run, _index: &Index, _file: FileId, _offset: usize) -> Vec<Span> {
    Vec::new()
}

/// Every use of the name at `offset` of `file` (and its definition when asked).
pub fn references(
    _run: &Run,
    _index: &Index,
    _file: FileId,
    _offset: usize,
    _include_declaration: bool,
) -> Vec<Span> {
    Vec::new()
}

/// What a completion item names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Activity,
    Procedure,
    Step,
    Role,
    Resource,
    Window,
    Phase,
    Scenario,
    FlightRule,
    Requirement,
    Person,
    Position,
    Other,
}

/// One completion item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    pub insert_text: String,
}

/// Completions at `offset` of `text`, the document's current text (it may not parse).
pub fn complete(
    _run: &Run,
    _index: &Index,
    _file: FileId,
    _text: &str,
    _offset: usize,
) -> Vec<Completion> {
    Vec::new()
}

/// An edit of a file, by byte range of its current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub path: std::path::PathBuf,
    pub range: std::ops::Range<usize>,
    pub new_text: String,
}

/// A code action: a title, the finding it fixes (an index into `run.diagnostics`), its
/// edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub diagnostic: Option<usize>,
    pub edits: Vec<TextEdit>,
    pub preferred: bool,
}

/// The quick fixes for the findings of `file` that touch `range`.
pub fn code_actions(
    _run: &Run,
    _index: &Index,
    _file: FileId,
    _range: std::ops::Range<usize>,
) -> Vec<Action> {
    Vec::new()
}
