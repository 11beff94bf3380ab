//! The language server (`opsplan lsp`, issue #19): the editor's view of a project.
//!
//! Above `workspace`, `output` and `report`, below `cli`. `semantic` answers questions
//! about a checked project (hover, definition, references, completion, code actions) as
//! plain values over spans; the server converts them to the protocol.

pub mod semantic;
