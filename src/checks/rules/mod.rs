//! One file per rule. Add a rule: a code in `diag/codes.rs`, a file here with `rule!`,
//! and its entry in `ALL` (a test checks that every code has exactly one documented rule).

pub mod contingency_not_contingency;
pub mod coverage_not_met;
pub mod coverage_undecided;
pub mod critical_without_procedure;
pub mod dependency_cycle;
pub mod duplicate_identifier;
pub mod exclusive_resource_overlap;
pub mod invalid_literal;
pub mod invalid_requirement_export;
pub mod invalid_resource_amount;
pub mod invalid_window_file;
pub mod needs_not_met;
pub mod non_positive_duration;
pub mod outside_horizon;
pub mod outside_phase;
pub mod owner_not_in_procedure_roles;
pub mod poll_role_not_in_activity;
pub mod procedure_call_cycle;
pub mod procedure_longer_than_slot;
pub mod relation_violated;
pub mod repeated_clause;
pub mod resource_capacity_exceeded;
pub mod role_not_in_procedure_roles;
pub mod syntax_error;
pub mod undefined_activity;
pub mod undefined_call_target;
pub mod undefined_procedure;
pub mod undefined_procedure_version;
pub mod undefined_resource;
pub mod undefined_role;
pub mod undefined_step;
pub mod undefined_window;
pub mod unhandled_check;
pub mod unreachable_step;
pub mod unreadable_source;
pub mod unresolved_time;
pub mod unresolved_use_path;
pub mod wait_without_timeout;

pub mod flight_rule_unknown;
pub mod flight_rule_violated;
pub mod invalid_flight_rule_file;
pub mod undefined_flight_rule;
pub mod unmatched_selector_value;
pub mod unused_waiver;
pub mod waived_violation;

pub mod ambiguous_evidence;
pub mod ambiguous_trace;
pub mod duplicate_requirement;
pub mod invalid_evidence;
pub mod stale_justification;
pub mod suspect_trace;
pub mod uncovered_requirement;
pub mod unknown_requirement;
pub mod withdrawn_requirement;

pub mod expected_contingency_missed;
pub mod idle_trainee;
pub mod inject_outside_horizon;
pub mod invalid_training_record;
pub mod no_activity_at_inject;
pub mod undefined_scenario_plan;
pub mod unhandled_event;
pub mod unresolved_inject_time;

pub mod double_booked;
pub mod oncall_gap;
pub mod oncall_on_night_shift;
pub mod shift_too_long;
pub mod short_daily_rest;
pub mod short_handover;
pub mod short_weekly_rest;
pub mod too_many_nights;
pub mod trainee_alone;
pub mod undefined_roster_name;
pub mod unfilled_role;
pub mod unqualified_holder;
pub mod unstaffed_position;
pub mod week_too_long;
use super::RuleEntry;

pub(crate) const ALL: &[RuleEntry] = &[
    syntax_error::RULE,
    invalid_literal::RULE,
    unreadable_source::RULE,
    repeated_clause::RULE,
    invalid_window_file::RULE,
    undefined_activity::RULE,
    undefined_procedure::RULE,
    undefined_procedure_version::RULE,
    undefined_role::RULE,
    undefined_resource::RULE,
    undefined_window::RULE,
    duplicate_identifier::RULE,
    unresolved_use_path::RULE,
    invalid_resource_amount::RULE,
    dependency_cycle::RULE,
    relation_violated::RULE,
    outside_phase::RULE,
    outside_horizon::RULE,
    non_positive_duration::RULE,
    unresolved_time::RULE,
    exclusive_resource_overlap::RULE,
    needs_not_met::RULE,
    resource_capacity_exceeded::RULE,
    coverage_undecided::RULE,
    undefined_step::RULE,
    undefined_call_target::RULE,
    unreachable_step::RULE,
    procedure_call_cycle::RULE,
    unhandled_check::RULE,
    wait_without_timeout::RULE,
    contingency_not_contingency::RULE,
    procedure_longer_than_slot::RULE,
    owner_not_in_procedure_roles::RULE,
    coverage_not_met::RULE,
    critical_without_procedure::RULE,
    role_not_in_procedure_roles::RULE,
    poll_role_not_in_activity::RULE,
    flight_rule_violated::RULE,
    flight_rule_unknown::RULE,
    invalid_flight_rule_file::RULE,
    waived_violation::RULE,
    unused_waiver::RULE,
    undefined_flight_rule::RULE,
    unmatched_selector_value::RULE,
    invalid_requirement_export::RULE,
    unknown_requirement::RULE,
    withdrawn_requirement::RULE,
    duplicate_requirement::RULE,
    ambiguous_trace::RULE,
    suspect_trace::RULE,
    uncovered_requirement::RULE,
    stale_justification::RULE,
    invalid_evidence::RULE,
    ambiguous_evidence::RULE,
    undefined_scenario_plan::RULE,
    unresolved_inject_time::RULE,
    inject_outside_horizon::RULE,
    no_activity_at_inject::RULE,
    unhandled_event::RULE,
    expected_contingency_missed::RULE,
    idle_trainee::RULE,
    invalid_training_record::RULE,
    undefined_roster_name::RULE,
    unstaffed_position::RULE,
    unfilled_role::RULE,
    unqualified_holder::RULE,
    trainee_alone::RULE,
    double_booked::RULE,
    short_daily_rest::RULE,
    short_weekly_rest::RULE,
    shift_too_long::RULE,
    week_too_long::RULE,
    too_many_nights::RULE,
    short_handover::RULE,
    oncall_gap::RULE,
    oncall_on_night_shift::RULE,
];

/// For the rules' unit tests: the findings of one code on one source text, which must parse
/// cleanly (all rules run, as in a real check, so a test also sees what other rules leave).
#[cfg(test)]
pub(crate) fn findings(code: crate::diag::Code, text: &str) -> Vec<crate::diag::Diagnostic> {
    let (ast, diags) = crate::syntax::parse(crate::source::FileId(0), text);
    assert!(diags.is_empty(), "the test text does not parse: {diags:#?}");
    let model = crate::model::Model::build(vec![ast]);
    super::run(&model)
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}
