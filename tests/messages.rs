//! The messages a planner reads (issue #14, item 9): one case per message under
//! `tests/data/messages/<case>/`, checked with `opsplan check` as a user runs it; the text
//! output (and the exit code) is snapshotted, so a message that gets worse shows up in
//! review.

use assert_cmd::Command;

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR");
    c
}

/// `opsplan check tests/data/messages/<case>`: the exit code and the text output.
fn check(case: &str) -> String {
    let dir = format!("tests/data/messages/{case}");
    let out = opsplan()
        .args(["check", &dir, "--color", "never"])
        .output()
        .expect("opsplan runs");
    format!(
        "exit code: {}\n\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout)
    )
}

/// `opsplan agenda examples/atv5-week40 --at TIME`: the exit code and the error.
fn agenda_at(at: &str) -> String {
    let out = opsplan()
        .args(["agenda", "examples/atv5-week40", "--at", at])
        .output()
        .expect("opsplan runs");
    assert!(out.stdout.is_empty(), "nothing is written on exit 2");
    format!(
        "exit code: {}\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr)
    )
}

macro_rules! case {
    ($test:ident, $case:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!($case, check($case));
        }
    };
}

// 1. A clock field of one digit says which one and what to write.
case!(one_digit_clock_fields_say_what_to_write, "clock-digits");
// 2. An offset other than zero says only UTC is accepted and gives the UTC time.
case!(utc_offsets_give_the_utc_time, "utc-offset");
// 3. `&` and `|` cannot be mixed in one `needs` or `requires coverage`.
case!(
    mixed_operators_say_one_operator_per_clause,
    "mixed-operators"
);
// 4. A window file's unreadable date names its column and the notations accepted; the
//    windows of a rejected file are not reported again as undefined.
case!(window_file_dates_name_their_column, "window-file-date");
case!(
    a_rejected_window_file_gives_no_undefined_windows,
    "window-file-header"
);
// 5. The day of year takes three digits (and `--at` reads what the language reads).
case!(days_of_year_take_three_digits, "day-of-year-digits");
// 6. Hexadecimal numbers give their decimal value.
case!(hexadecimal_numbers_give_their_decimal_value, "hex-literal");
// 7. A role close to a declared one gets "did you mean" and the declaration.
case!(new_roles_get_the_declaration_too, "new-role");
// 8. A version that does not exist is R003 in activities and calls alike.
case!(
    missing_versions_list_the_versions_that_exist,
    "procedure-version"
);
// 9. A dependency cycle reads in time; one F002 per activity of the cycle.
case!(dependency_cycles_read_in_time, "dependency-cycle");
// 10. crew_day speaks of crew sleep for crew members, of rest for ground roles.
case!(crew_day_speaks_of_ground_roles_rest, "crew-day-ground-role");
// 11. Flight-rule findings point at the activity that makes the violation.
case!(
    flight_rule_findings_point_at_the_cause,
    "flight-rule-locations"
);
// 12. Scenario findings say when the activity an inject is timed from ended.
case!(injects_say_when_their_activity_ended, "inject-after-end");
// 13. A bad key in one flight rule names the rule, says what its kind takes and that the
//     rule is not evaluated; the file's other rules are; no F006 for its waiver; the
//     check says it is incomplete.
case!(
    a_bad_flight_rule_is_named_and_skipped_alone,
    "flight-rule-bad-key"
);
// 14. Short names (roles, windows, resources, activity ids): swaps, confusables and case
//     slips get "did you mean"; a slip of a role gets no "declare it".
case!(short_names_get_did_you_mean, "short-names");
// 15. An item that starts well and breaks inside is reported where it breaks.
case!(
    a_broken_item_is_reported_where_it_breaks,
    "item-broken-inside"
);

#[test]
fn agenda_at_reads_what_the_language_reads() {
    let all = ["2014/44 12:00", "2014/275 9:00", "2014-10-02T14:00+02:00"]
        .map(agenda_at)
        .join("\n");
    insta::assert_snapshot!("agenda-at", all);
}
