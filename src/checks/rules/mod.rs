//! One file per rule. Add a rule: a code in `diag/codes.rs`, a file here with `rule!`,
//! and its entry in `ALL` (a test checks that every code has exactly one documented rule).

pub mod dependency_cycle;
pub mod duplicate_identifier;
pub mod exclusive_resource_overlap;
pub mod invalid_literal;
pub mod non_positive_duration;
pub mod outside_horizon;
pub mod outside_phase;
pub mod procedure_call_cycle;
pub mod relation_violated;
pub mod repeated_clause;
pub mod syntax_error;
pub mod undefined_activity;
pub mod undefined_call_target;
pub mod undefined_procedure;
pub mod undefined_procedure_version;
pub mod undefined_resource;
pub mod undefined_role;
pub mod undefined_step;
pub mod undefined_window;
pub mod unreachable_step;
pub mod unreadable_source;
pub mod unresolved_time;
pub mod unresolved_use_path;

use super::RuleEntry;

pub(crate) const ALL: &[RuleEntry] = &[
    syntax_error::RULE,
    invalid_literal::RULE,
    unreadable_source::RULE,
    repeated_clause::RULE,
    undefined_activity::RULE,
    undefined_procedure::RULE,
    undefined_procedure_version::RULE,
    undefined_role::RULE,
    undefined_resource::RULE,
    undefined_window::RULE,
    duplicate_identifier::RULE,
    unresolved_use_path::RULE,
    dependency_cycle::RULE,
    relation_violated::RULE,
    outside_phase::RULE,
    outside_horizon::RULE,
    non_positive_duration::RULE,
    unresolved_time::RULE,
    exclusive_resource_overlap::RULE,
    undefined_step::RULE,
    undefined_call_target::RULE,
    unreachable_step::RULE,
    procedure_call_cycle::RULE,
];
