//! opsplan: flight plans and operational procedures for spacecraft operations teams.
//!
//! Layers (a layer uses only those before it):
//! `source, time → diag → syntax → model → checks → workspace → output → cli`.
//! See ARCHITECTURE.md.

pub mod checks;
pub mod cli;
pub mod diag;
pub mod model;
pub mod output;
pub mod source;
pub mod syntax;
pub mod time;
pub mod workspace;
