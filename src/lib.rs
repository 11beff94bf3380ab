//! opsplan: flight plans and operational procedures for spacecraft operations teams.
//!
//! Layers (a layer uses only those before it):
//! `source, time, par, context, yaml → diag → syntax, reqs → model → flight → checks, trace, monthly
//! → workspace → output → report → lsp → cli`.
//! See ARCHITECTURE.md.

// pest is built without its `std` feature, which probes the native stack on every
// rule entry (about a fifth of the parse time). Our grammar is not recursive, so the
// parse depth is bounded by the grammar, not by the input; the generated parser
// names `alloc` from the crate root.
extern crate alloc;

pub mod checks;
pub mod cli;
pub mod context;
pub mod diag;
pub mod flight;
pub mod lsp;
pub mod model;
pub mod monthly;
pub mod output;
pub mod par;
pub mod report;
pub mod reqs;
pub mod source;
pub mod syntax;
pub mod time;
pub mod trace;
pub mod workspace;
pub mod yaml;
