//! pest errors → readable syntax diagnostics: "expected a time such as `2014/273 09:00`,
//! found `25:00`", never grammar rule names.

use super::Rule;
use crate::diag::{Code, Diagnostic, Label};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};
use std::collections::BTreeSet;

/// What the user should read for a grammar rule the parser expected.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "end of file",
        ident | ident_list => "a name",
        string | string_inner => "a quoted string",
        integer => "a whole number",
        number => "a number",
        version => "a version such as `3.2`",
        unit => "a unit",
        doy_time | abs_time => "a time such as `2014/273 09:00`",
        iso_time => "a time such as `2014-09-30T09:00:00Z`",
        clock => "a time of day such as `21:30`",
        duration | compact_duration | iso_duration => "a duration such as `40m` or `PT40M`",
        anchor | kw_start | kw_end => "`start` or `end`",
        sign => "`+` or `-`",
        rel_time => "a relative time such as `A11.end + 10m`",
        time_expr => "a time",
        interval => "an interval `T .. T`",
        plan => "`plan`",
        procedure => "`procedure`",
        scenario => "`scenario`",
        scenario_plan => "`plan`",
        trainees_decl => "`trainees`",
        instructor_decl => "`instructor`",
        held_decl => "`held`",
        outcome_decl => "`outcome`",
        outcome_value => "`passed` or `failed` or `cancelled`",
        inject_decl => "`inject`",
        expect_clause => "`expect`",
        handles_decl => "`handles`",
        mission_decl => "`mission`",
        issue_decl => "`issue`",
        horizon_decl => "`horizon`",
        use_decl => "`use`",
        use_kind => "`procedures`, `windows`, `rules` or `roster`",
        waive_decl => "`waive`",
        roles_decl | proc_roles_decl => "`roles`",
        kw_in => "`in`",
        resource_decl => "`resource`",
        resource_exclusive => "`exclusive`",
        resource_capacity => "`capacity`",
        window_decl => "`window`",
        window_kind => "`kind`",
        window_kind_value => "`relay`, `ground`, `sleep` or `other`",
        window_periodic => "`every`",
        window_daily => "`daily`",
        window_intervals => "an interval `T .. T`",
        phase_decl => "`phase`",
        activity => "`activity`",
        at_clause => "`at`",
        lasts_clause => "`lasts`",
        until_clause => "`until`",
        by_clause => "`by`",
        kind_clause => "`kind`",
        critical_clause => "`critical`",
        tags_clause => "`tags`",
        procedure_clause => "`procedure`",
        needs_clause => "`needs`",
        needs_and => "`&`",
        needs_or => "`|`",
        uses_clause => "`uses`",
        resource_use => "a resource name",
        covers_clause => "`covers`",
        cited | cited_word => "a requirement id",
        cited_quoted => "a quoted requirement id",
        cited_text => "the characters of a requirement id (not empty, no control characters)",
        stamp => "a fingerprint (hexadecimal digits after `@`)",
        note_clause => "`note`",
        relation => "a relation (`after`, `before`, `during`, `starts with`)",
        rel_after => "`after`",
        rel_before => "`before`",
        rel_during => "`during`",
        rel_starts_with => "`starts with`",
        offset => "an offset such as `+ 10m`",
        within => "`within`",
        version_decl => "`version`",
        family_decl => "`family`",
        requires_decl => "`requires`",
        requires_coverage => "`coverage`",
        contingency_decl => "`contingency`",
        duration_decl => "`duration`",
        step => "`step`",
        step_label => "a step label such as `3`",
        statement => "a statement (`command`, `check`, `poll`, `wait`, `call`, `manual`, `goto`, `abort`, `end`)",
        command_stmt => "`command`",
        argument => "an argument `name = value`",
        value | quantity => "a value",
        check_stmt => "`check`",
        check_range => "`in`",
        check_compare => "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
        compare_op => "a comparison operator",
        poll_stmt => "`poll`",
        wait_stmt => "`wait`",
        wait_event => "`for`",
        call_stmt => "`call`",
        manual_stmt => "`manual`",
        goto_stmt => "`goto`",
        abort_stmt => "`abort`",
        end_stmt => "`end`",
        kw_abort => "`abort`",
        on_fail => "`on fail`",
        roster => "`roster`",
        roster_plan => "`plan`",
        roster_rules => "`rules`",
        rest_rule => "`daily rest` or `weekly rest`",
        rest_period => "`daily` or `weekly`",
        max_rule => "`max`",
        max_shift => "`shift`",
        max_week => "`week`",
        max_nights => "`nights`",
        night_rule => "`night`",
        handover_clause => "`handover`",
        position_decl => "`position`",
        fills_clause => "`fills`",
        continuous_clause => "`continuous`",
        minimum_clause => "`minimum`",
        trainees_alone => "`trainees alone`",
        person_decl => "`person`",
        qualified_clause => "`qualified`",
        trainee_clause => "`trainee`",
        valid_from => "`from`",
        after_scenarios => "`after`",
        valid_until => "`until`",
        date => "a day such as `2015/120`",
        duty_decl => "`duty`",
        response_clause => "`response`",
        shift_decl => "`shift`",
        oncall_decl => "`oncall`",
        assign_decl => "`assign`",
        file => return None,
        _ => return None,
    })
}

/// Builds the syntax diagnostic for a pest error.
pub(super) fn syntax_diagnostic(file: FileId, text: &str, err: &Error<Rule>) -> Diagnostic {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let mut expected: BTreeSet<String> = BTreeSet::new();
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
        expected.extend(positives.iter().filter_map(|r| {
            describe(*r)
                .map(str::to_string)
                .or_else(|| super::keywords::describe_keyword(*r))
        }));
    }
    if let Some(attempts) = err.parse_attempts() {
        if attempts.max_position == pos {
            // `ParsingToken` is not exported by pest: only case-sensitive literals are
            // worth listing, and those debug-print as `Sensitive { .. }`.
            for token in attempts.expected_tokens() {
                if format!("{token:?}").starts_with("Sensitive") {
                    let token = token.to_string();
                    if is_punctuation_or_keyword(&token) {
                        expected.insert(format!("`{}`", token.trim()));
                    }
                }
            }
        }
    }
    // A description that is only alternatives (`+` or `-`) is listed as its tokens, so a
    // token the parser also expected on its own is not listed twice.
    let alternatives: Vec<String> = expected
        .iter()
        .filter(|e| {
            e.contains(" or ")
                && e.split(" or ").all(|t| {
                    t.len() > 2
                        && t.starts_with('`')
                        && t.ends_with('`')
                        && t.matches('`').count() == 2
                })
        })
        .cloned()
        .collect();
    for e in alternatives {
        expected.remove(&e);
        expected.extend(e.split(" or ").map(str::to_string));
    }
    // A keyword listed on its own and inside a group description is listed once; `on`
    // and `starts` are halves of `on fail` and `starts with`.
    if expected.remove("`starts`") {
        expected.insert("`starts with`".to_string());
    }
    let groups: Vec<String> = expected
        .iter()
        .filter(|e| e.contains(" ("))
        .cloned()
        .collect();
    expected.retain(|e| e != "`on`" && !groups.iter().any(|g| g != e && g.contains(e.as_str())));
    // "expected `activity`, found `activity`": the item starts well and the parser
    // failed further inside it, where it went deepest. Say what it expected there.
    let mut pos = pos;
    if let (Found::Token(t), Some(attempts)) = (found_at(text, pos), err.parse_attempts()) {
        if attempts.max_position > pos && expected.contains(&format!("`{t}`")) {
            let mut deeper: BTreeSet<String> = BTreeSet::new();
            for token in attempts.expected_tokens() {
                if format!("{token:?}").starts_with("Sensitive") {
                    let token = token.to_string();
                    if is_punctuation_or_keyword(&token) {
                        deeper.insert(format!("`{}`", token.trim()));
                    }
                }
            }
            if !deeper.is_empty() {
                pos = attempts.max_position;
                expected = deeper;
            }
        }
    }
    let found = found_at(text, pos);
    if let Found::Token(t) = &found {
        let other = match t.as_str() {
            "|" => "`&`",
            "&" => "`|`",
            _ => "",
        };
        if !other.is_empty() && expected.contains(other) {
            return mixed_operators(file, text, pos);
        }
    }
    let message = match (expected.is_empty(), &found) {
        (true, Found::Token(t)) => format!("unexpected `{t}`"),
        (true, Found::EndOfFile) => "unexpected end of file".to_string(),
        (false, f) => format!("expected {}, found {}", join_or(&expected), f.describe()),
    };
    let len = match &found {
        Found::Token(t) => t.len(),
        Found::EndOfFile => 0,
    };
    let label = match &found {
        Found::EndOfFile => "the file ends here".to_string(),
        Found::Token(_) => "unexpected here".to_string(),
    };
    let mut diag = Diagnostic::new(
        Code::SyntaxError,
        message,
        Label::new(Span::new(file, pos..pos + len), label),
    );
    if let Found::Token(t) = &found {
        if let Some(hint) = hint_for(t) {
            diag = diag.with_help(hint);
        }
    }
    diag
}

/// `needs A & B | C`: the parser took `&` for the clause's operator and met `|` (or the
/// reverse) at `pos`. One diagnostic that says the two cannot be mixed, at the second
/// operator, with the first one shown, and the two ways to write the clause.
fn mixed_operators(file: FileId, text: &str, pos: usize) -> Diagnostic {
    let op = &text[pos..pos + 1];
    let first_op = if op == "|" { "&" } else { "|" };
    // The clause starts at the last `needs` or `coverage` before the operator.
    let before = &text[..pos];
    let clause_at = |kw: &str| {
        before.rmatch_indices(kw).find(|&(i, _)| {
            let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
            let prev = before[..i].chars().next_back();
            let next = before[i + kw.len()..].chars().next();
            !prev.is_some_and(word) && !next.is_some_and(word)
        })
    };
    const COVERAGE: (&str, &str, &str) = (
        "requires coverage",
        "all of them open at every instant",
        "at least one open at every instant",
    );
    const NEEDS: (&str, &str, &str) = ("needs", "inside all of them", "inside at least one");
    // Where the clause's names start (at the operator when no keyword is found).
    let (body_start, (clause, all, any)) = match (clause_at("needs"), clause_at("coverage")) {
        (Some((n, _)), Some((c, _))) if c > n => (c + "coverage".len(), COVERAGE),
        (None, Some((c, _))) => (c + "coverage".len(), COVERAGE),
        (Some((n, _)), _) => (n + "needs".len(), NEEDS),
        (None, None) => (pos, NEEDS),
    };
    // The window names of the clause: the words after the keyword, up to the first
    // thing that is neither a name nor an operator.
    let mut names: Vec<&str> = Vec::new();
    let mut rest = &text[body_start..];
    while names.len() < 20 {
        // Blanks, operators and comments between the names.
        let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '&' || c == '|');
        if let Some(after) = trimmed.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |k| &after[k + 2..]);
            continue;
        }
        if let Some(after) = trimmed.strip_prefix("//") {
            rest = after.find(['\n', '\r']).map_or("", |k| &after[k..]);
            continue;
        }
        let len = trimmed
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_alphanumeric() || c == '_' || (c == '-' && i > 0))
                    || (i == 0 && c.is_ascii_digit())
            })
            .map_or(trimmed.len(), |(i, _)| i);
        let name = &trimmed[..len];
        if name.is_empty() || KEYWORDS.contains(&name) {
            break;
        }
        names.push(name);
        rest = &trimmed[len..];
    }
    if names.len() < 2 {
        names = vec!["W1", "W2"];
    }
    let mut d = Diagnostic::new(
        Code::SyntaxError,
        format!("`&` and `|` cannot be mixed in one `{clause}`"),
        Label::new(
            Span::new(file, pos..pos + 1),
            format!("`{op}` after `{first_op}`"),
        ),
    );
    if let Some(i) = text[body_start..pos].find(first_op) {
        let at = body_start + i;
        d = d.with_secondary(Label::new(
            Span::new(file, at..at + 1),
            format!("`{first_op}` here"),
        ));
    }
    d.with_help(format!(
        "a `{clause}` takes one operator: write `{clause} {}` ({all}) or `{clause} {}` ({any})",
        names.join(" & "),
        names.join(" | ")
    ))
}

fn is_punctuation_or_keyword(token: &str) -> bool {
    let t = token.trim();
    !t.is_empty()
        && t.len() <= 12
        && t.chars().all(|c| c.is_ascii_graphic())
        // Fragments of larger lexemes (`/`, `:`, `T`) are not worth listing.
        && !matches!(t, "/" | ":" | "T" | "t" | "Z" | "z" | "P" | "\\" | "\"" | "n" | "." | "v" | "d" | "h" | "m" | "s" | "W" | "D" | "H" | "M" | "S" | "e" | "E" | "_")
        && !t.starts_with("+0")
        && !t.starts_with("//")
        && !t.starts_with("/*")
        && !t.starts_with("-0")
}

enum Found {
    Token(String),
    EndOfFile,
}

impl Found {
    fn describe(&self) -> String {
        match self {
            Found::Token(t) => format!("`{t}`"),
            Found::EndOfFile => "end of file".to_string(),
        }
    }
}

/// The token at `pos`: a word, a number-ish run, or one character.
fn found_at(text: &str, pos: usize) -> Found {
    let rest = match text.get(pos..) {
        Some(r) if !r.is_empty() => r,
        _ => return Found::EndOfFile,
    };
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/'))
        .take(40)
        .collect();
    if !word.is_empty() {
        return Found::Token(word);
    }
    let c = rest.chars().next().unwrap_or(' ');
    Found::Token(c.to_string())
}

fn join_or(items: &BTreeSet<String>) -> String {
    let items: Vec<&String> = items.iter().collect();
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        2 => format!("{} or {}", items[0], items[1]),
        n => {
            let head: Vec<&str> = items[..n - 1].iter().map(|s| s.as_str()).collect();
            format!("one of {}, or {}", head.join(", "), items[n - 1])
        }
    }
}

/// The keywords of the language, for hints.
const KEYWORDS: &[&str] = &[
    "activity",
    "phase",
    "window",
    "resource",
    "roles",
    "horizon",
    "mission",
    "issue",
    "use",
    "at",
    "lasts",
    "until",
    "by",
    "kind",
    "critical",
    "tags",
    "procedure",
    "needs",
    "uses",
    "covers",
    "note",
    "after",
    "before",
    "during",
    "starts",
    "version",
    "family",
    "requires",
    "contingency",
    "duration",
    "handles",
    "scenario",
    "trainees",
    "inject",
    "expect",
    "step",
    "command",
    "check",
    "poll",
    "wait",
    "call",
    "manual",
    "goto",
    "abort",
    "end",
    "roster",
    "position",
    "fills",
    "continuous",
    "minimum",
    "handover",
    "person",
    "qualified",
    "trainee",
    "duty",
    "response",
    "shift",
    "oncall",
    "assign",
];

/// A targeted hint for common slips.
fn hint_for(token: &str) -> Option<String> {
    let lower = token.to_ascii_lowercase();
    let keywords = KEYWORDS;
    if keywords.contains(&lower.as_str()) && lower != token {
        return Some(format!("keywords are lower case: write `{lower}`"));
    }
    if let Some(k) = crate::diag::did_you_mean(&lower, keywords.iter().copied()) {
        if lower.chars().all(|c| c.is_ascii_alphabetic()) {
            let keyword = if k.names().len() == 1 {
                "the keyword"
            } else {
                "one of the keywords"
            };
            return Some(format!("did you mean {keyword} {}?", k.alternatives()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;

    /// The message of the first syntax error of `text`.
    fn first_error(text: &str) -> String {
        let (_, diags) = super::super::parse(FileId(0), text);
        diags.first().expect("a syntax error").message.clone()
    }

    #[test]
    fn a_token_is_listed_once_even_when_a_group_also_names_it() {
        // `after A1.end`: the parser expects a sign both alone and as the offset's group.
        let m = first_error(
            "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  activity A2 {\n    after A1.end + 10m\n  }\n}\n",
        );
        assert!(m.starts_with("expected one of `+`, `-`, `after`"), "{m}");
        assert_eq!(m.matches("`+`").count(), 1, "{m}");
        assert_eq!(m.matches("`-`").count(), 1, "{m}");
    }
}
