//! opsplan: flight plans and operational procedures for spacecraft operations teams.
//!
//! Layers (a layer uses only those before it):
//! `source, time → diag → syntax → model → checks → workspace → output → cli`.
//! See ARCHITECTURE.md.

pub mod diag;
pub mod source;
pub mod syntax;
pub mod time;
