//! What the language server knows about a checked project, as values over byte spans:
//! hover, definition, references, completion and code actions. No protocol types here:
//! the server converts spans to positions.
//!
//! Private parts: `index` (the symbols of a run), `hover`, `complete`, `actions`.

mod actions;
mod complete;
mod hover;
mod index;

pub use hover::code_doc;

use crate::source::{FileId, Span};
use crate::workspace::Run;

/// The symbols of a run, built once per check and asked many times.
#[derive(Debug, Default)]
pub struct Index {
    data: index::Data,
}

impl Index {
    /// Indexes every definition and reference of `run` (linear in the run's size).
    pub fn build(run: &Run) -> Index {
        Index {
            data: index::build(run),
        }
    }

    /// How many places (definitions and references) the index holds.
    pub fn len(&self) -> usize {
        self.data.places.len()
    }

    /// True when the run names nothing.
    pub fn is_empty(&self) -> bool {
        self.data.symbols.is_empty()
    }
}

/// A hover: Markdown text and the word hovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub span: Span,
}

/// What a hover at `offset` of `file` shows.
pub fn hover(run: &Run, index: &Index, file: FileId, offset: usize) -> Option<Hover> {
    hover::hover(run, &index.data, file, offset)
}

/// Where the name at `offset` of `file` is defined.
pub fn definition(_run: &Run, index: &Index, file: FileId, offset: usize) -> Vec<Span> {
    let Some(e) = index.data.at(file, offset) else {
        return Vec::new();
    };
    index.data.definitions(e.symbol).collect()
}

/// Every use of the name at `offset` of `file` (and its definition when asked).
pub fn references(
    _run: &Run,
    index: &Index,
    file: FileId,
    offset: usize,
    include_declaration: bool,
) -> Vec<Span> {
    let Some(e) = index.data.at(file, offset) else {
        return Vec::new();
    };
    index
        .data
        .places(e.symbol)
        .iter()
        .filter(|(_, def)| include_declaration || !def)
        .map(|(s, _)| *s)
        .collect()
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
    run: &Run,
    index: &Index,
    file: FileId,
    text: &str,
    offset: usize,
) -> Vec<Completion> {
    complete::complete(run, &index.data, file, text, offset)
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
    run: &Run,
    _index: &Index,
    file: FileId,
    range: std::ops::Range<usize>,
) -> Vec<Action> {
    actions::code_actions(run, file, range)
}
