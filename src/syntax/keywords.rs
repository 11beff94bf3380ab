//! Keyword rules (`kw_*` in the grammar): atomic so that a keyword never runs on into a
//! name (`bye` is not `by` + `e`). Their pairs carry no information and are skipped by
//! lowering; in errors they read as the keyword itself.

use super::Rule;

pub(super) fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_abort
            | Rule::kw_activity
            | Rule::kw_after
            | Rule::kw_alone
            | Rule::kw_assign
            | Rule::kw_at
            | Rule::kw_before
            | Rule::kw_by
            | Rule::kw_call
            | Rule::kw_capacity
            | Rule::kw_check
            | Rule::kw_command
            | Rule::kw_contingency
            | Rule::kw_continuous
            | Rule::kw_coverage
            | Rule::kw_covers
            | Rule::kw_daily
            | Rule::kw_duration
            | Rule::kw_during
            | Rule::kw_duty
            | Rule::kw_every
            | Rule::kw_expect
            | Rule::kw_exclusive
            | Rule::kw_fail
            | Rule::kw_family
            | Rule::kw_fills
            | Rule::kw_for
            | Rule::kw_from
            | Rule::kw_goto
            | Rule::kw_handles
            | Rule::kw_handover
            | Rule::kw_held
            | Rule::kw_horizon
            | Rule::kw_in
            | Rule::kw_inject
            | Rule::kw_instructor
            | Rule::kw_issue
            | Rule::kw_kind
            | Rule::kw_lasting
            | Rule::kw_lasts
            | Rule::kw_manual
            | Rule::kw_max
            | Rule::kw_minimum
            | Rule::kw_mission
            | Rule::kw_needs
            | Rule::kw_night
            | Rule::kw_nights
            | Rule::kw_note
            | Rule::kw_on
            | Rule::kw_oncall
            | Rule::kw_outcome
            | Rule::kw_person
            | Rule::kw_phase
            | Rule::kw_plan
            | Rule::kw_poll
            | Rule::kw_position
            | Rule::kw_procedure
            | Rule::kw_procedures
            | Rule::kw_qualified
            | Rule::kw_requires
            | Rule::kw_resource
            | Rule::kw_ref
            | Rule::kw_response
            | Rule::kw_rest
            | Rule::kw_roles
            | Rule::kw_roster
            | Rule::kw_rules
            | Rule::kw_scenario
            | Rule::kw_scenarios
            | Rule::kw_shift
            | Rule::kw_starts
            | Rule::kw_step
            | Rule::kw_tags
            | Rule::kw_timeout
            | Rule::kw_to
            | Rule::kw_trainee
            | Rule::kw_trainees
            | Rule::kw_under
            | Rule::kw_until
            | Rule::kw_use
            | Rule::kw_uses
            | Rule::kw_version
            | Rule::kw_wait
            | Rule::kw_waive
            | Rule::kw_week
            | Rule::kw_window
            | Rule::kw_windows
            | Rule::kw_with
            | Rule::kw_within
    )
}

/// "`by`" for `kw_by`.
pub(super) fn describe_keyword(rule: Rule) -> Option<String> {
    if !is_keyword(rule) {
        return None;
    }
    let name = format!("{rule:?}");
    Some(format!("`{}`", name.trim_start_matches("kw_")))
}
