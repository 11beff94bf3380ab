//! The language server (`opsplan lsp`, issue #19): the editor's view of a project.
//!
//! Above `workspace`, `output` and `report`, below `cli`. `semantic` answers questions
//! about a checked project (hover, definition, references, completion, code actions) as
//! plain values over spans; the server converts them to the protocol.
//!
//! `server` is the state machine (documents, projects, checks, requests), driven through
//! an `lsp_server::Connection`; `transport` joins it to stdin and stdout; `position`
//! converts byte offsets to UTF-16 positions and paths to `file:` URIs; `diagnostics`,
//! `formatting` and `symbols` build the answers.

pub mod diagnostics;
pub mod formatting;
pub mod position;
pub mod semantic;
pub mod server;
pub mod symbols;
pub mod transport;

pub use server::Server;

/// `opsplan lsp`: serves the protocol over stdin and stdout until `exit` or the end of
/// stdin; the exit code is 0 after a `shutdown`, else 1.
pub fn serve_stdio() -> u8 {
    transport::serve_stdio(|conn| Server::new(conn).run())
}
