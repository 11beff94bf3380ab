//! A small verification suite for the kit's tests (tests/qualification_kit.rs).

fn rule_case(_code: &str, _fixture: &str, _file: &str, _line: u64) {}

macro_rules! rule_cases {
    ($($module:ident: $fixture:literal => $code:ident at $file:literal : $line:literal;)*) => {
        $( mod $module { #[test] fn finding_is_reported() { super::rule_case(stringify!($code), $fixture, $file, $line); } } )*
    };
}

rule_cases! {
    ops_tor_r001: "R001-undefined-activity" => R001 at "plan.plan":7;
}

mod ops_tor_out_exit_codes {
    /// Exit 0 on a clean plan.
    /// Fixture: examples/atv5-week40/
    /// Expects: exit 0
    #[test]
    fn zero_when_clean() {}

    /// Exit 1 on findings, said <em>loudly</em>.
    /// Fixture: tests/fixtures/R001-undefined-activity/
    /// Expects: exit 1
    #[test]
    fn one_on_findings() {}
}

mod ops_tor_out_determinism {
    /// Two runs compared.
    /// Fixture: examples/atv5-week40/
    /// Expects: the same bytes
    #[test]
    fn two_runs_give_the_same_bytes() {}
}
