use crate::checks::staffing::{and_list, judged, when};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::{PersonIdx, PositionIdx, Qual, Staffing};
use crate::model::Model;
use crate::time::{first_gap, merge_intervals, Interval};
use rustc_hash::FxHashMap as HashMap;

rule! {
    /// ## What it does
    /// Reports a shift during which its person is neither qualified nor a trainee for the
    /// position (`qualified P [from D] [until D]`, `trainee P under I [from D] [until D]`):
    /// never qualified, qualified only from a later day, or qualified until an earlier
    /// one (an `until` day is included whole). The first part of the shift without a valid
    /// qualification is named, with the qualification that expired or starts later.
    ///
    /// It also reports a person `assign`ed to an activity who, when it starts, holds no
    /// qualification (or traineeship) for any position that fills one of its roles, or
    /// whose roles no position of the roster fills.
    ///
    /// A qualification that requires training (`qualified P after N scenarios`) holds
    /// only from the end of the Nth scenario its person completed as a trainee (held,
    /// `outcome passed`, under an `instructor` who is not the trainee), and not before its
    /// `from`: a shift before then is reported with the progress ("2 of 3 scenarios
    /// completed under an instructor") and the scenarios completed.
    ///
    /// Each person's qualifications per position are merged once; each shift is one
    /// binary search.
    ///
    /// ## Why it matters
    /// Only certified people hold console positions; certifications lapse and are renewed
    /// periodically. An expired certification found on the day of the reboost is found
    /// too late.
    ///
    /// ## Example
    /// ```text
    /// person MMARTIN { qualified OM-DESK until 2014/271 }
    /// shift MMARTIN OM-DESK 2014/272 06:00 .. 2014/272 14:15   // expired the day before
    /// ```
    UnqualifiedHolder, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for s in judged(m) {
        let mut valid: HashMap<(PersonIdx, PositionIdx), Vec<Interval>> = HashMap::default();
        for (p, person) in s.people.iter().enumerate() {
            for q in &person.quals {
                valid.entry((p, q.position)).or_default().push(q.valid);
            }
        }
        for v in valid.values_mut() {
            *v = merge_intervals(std::mem::take(v));
        }
        for sh in &s.shifts {
            let held = valid
                .get(&(sh.person, sh.position))
                .map_or(&[][..], Vec::as_slice);
            if let Some(gap) = first_gap(held, sh.interval) {
                out.push(shift_finding(m, s, sh, gap));
            }
        }
        assignments(m, s, out);
    }
}

/// The qualification of `person` for `position` that ended last before `t`, or else the
/// first that starts after it.
fn nearest(
    s: &Staffing,
    person: PersonIdx,
    position: PositionIdx,
    t: crate::time::Time,
) -> Option<&Qual> {
    let quals = s.people[person]
        .quals
        .iter()
        .filter(|q| q.position == position);
    quals
        .clone()
        .filter(|q| q.valid.end <= t)
        .max_by_key(|q| q.valid.end)
        .or_else(|| {
            quals
                .filter(|q| q.valid.start > t)
                .min_by_key(|q| q.valid.start)
        })
}

fn shift_finding(
    m: &Model,
    s: &Staffing,
    sh: &crate::model::staffing::Shift,
    gap: Interval,
) -> Diagnostic {
    if let Some(d) = training_finding(m, s, sh, gap) {
        return d;
    }
    let person = &s.people[sh.person];
    let position = &s.positions[sh.position].name.value;
    let who = &person.id.value;
    let (why, qual) = match nearest(s, sh.person, sh.position, gap.start) {
        Some(q) if q.valid.end <= gap.start => (
            format!("the qualification ended at {}", s.format_time(q.valid.end)),
            Some(q),
        ),
        Some(q) => (
            format!(
                "the qualification holds only from {}",
                s.format_time(q.valid.start)
            ),
            Some(q),
        ),
        None => (format!("{who} is not qualified for {position}"), None),
    };
    let mut d = Diagnostic::new(
        Code::UnqualifiedHolder,
        format!(
            "{who} holds {position} without a valid qualification from {} to {}",
            s.format_time(gap.start),
            s.format_time(gap.end)
        ),
        Label::new(sh.span, why),
    );
    if let Some(q) = qual {
        d = d.with_secondary(Label::new(
            q.span,
            format!("valid {}", valid_text(s, q.valid)),
        ));
    }
    d = d.with_secondary(Label::new(
        person.id.span,
        format!("{who} is declared here"),
    ));
    let help = match s.available_text(sh.position, gap, &[sh.person]) {
        Some(t) => format!("{t}; or renew the qualification (`qualified {position} until …`)"),
        None => format!(
            "renew {who}'s qualification (`qualified {position} until …`) or give the shift to someone qualified"
        ),
    };
    d.with_note(format!(
        "the rule: a person holds {position} only while qualified for it (or a trainee on it)"
    ))
    .with_help(help)
    .with_interval(Some(gap))
}

/// A shift during which the person's qualification would hold by its dates but still
/// waits for its training (`after N scenarios`): "2 of 3 scenarios completed under an
/// instructor", naming them.
fn training_finding(
    m: &Model,
    s: &Staffing,
    sh: &crate::model::staffing::Shift,
    gap: Interval,
) -> Option<Diagnostic> {
    let person = &s.people[sh.person];
    let (q, t) = person.quals.iter().find_map(|q| {
        let t = q.training.as_ref()?;
        let waits = q.valid.start > gap.start || q.valid.start >= q.valid.end;
        (q.position == sh.position
            && t.declared.start <= gap.start
            && gap.start < t.declared.end
            && waits)
            .then_some((q, t))
    })?;
    let who = &person.id.value;
    let position = &s.positions[sh.position].name.value;
    let done = s.completed_by(sh.person, gap.start);
    let names: Vec<String> = done
        .iter()
        .map(|x| {
            format!(
                "{} (ended {})",
                m.scenarios[x.scenario].ast.id.value,
                s.format_time(x.held.end)
            )
        })
        .collect();
    let n = t.required;
    let progress = format!(
        "{} of {n} scenario{} completed under an instructor by {}",
        done.len(),
        if n == 1 { "" } else { "s" },
        s.format_time(gap.start)
    );
    let why = if names.is_empty() {
        progress.clone()
    } else {
        format!("{progress}: {}", names.join(", "))
    };
    let from = if q.valid.start < q.valid.end {
        format!("valid from {}", s.format_time(q.valid.start))
    } else {
        format!(
            "not valid yet: {} of {n} completed",
            s.completed_by(sh.person, crate::time::Time(i64::MAX)).len()
        )
    };
    let d = Diagnostic::new(
        Code::UnqualifiedHolder,
        format!(
            "{who} holds {position} without a valid qualification from {} to {}: {progress}",
            s.format_time(gap.start),
            s.format_time(gap.end)
        ),
        Label::new(sh.span, why),
    )
    .with_secondary(Label::new(
        t.span,
        format!("requires {n} completed scenarios; {from}"),
    ))
    .with_secondary(Label::new(
        person.id.span,
        format!("{who} is declared here"),
    ))
    .with_note(format!(
        "the rule: a qualification `after {n} scenarios` holds from the end of the {} scenario its person completed as a trainee (held, `outcome passed`, under an `instructor` who is not the trainee)",
        ordinal(n)
    ));
    let help = match s.available_text(sh.position, gap, &[sh.person]) {
        Some(text) => format!("{text}; or give {who} the shift once trained (or as a trainee: `trainee {position} under …`)"),
        None => format!(
            "give the shift to someone qualified, or record {who} as a trainee on it (`trainee {position} under …`)"
        ),
    };
    Some(d.with_help(help).with_interval(Some(gap)))
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`.
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `from 2013/200 00:00 until 2014/272 00:00`, `until …`, `from …`.
fn valid_text(s: &Staffing, v: Interval) -> String {
    let from =
        (v.start > crate::time::Time::MIN).then(|| format!("from {}", s.format_time(v.start)));
    let until = (v.end.0 < i64::MAX).then(|| format!("until {}", s.format_time(v.end)));
    [from, until]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

fn assignments(m: &Model, s: &Staffing, out: &mut Vec<Diagnostic>) {
    let Some(pi) = s.plan else { return };
    for a in &s.assignments {
        let Some(iv) = a.interval else { continue };
        let am = &m.plans[pi].activities[a.activity];
        let who = &s.people[a.person].id.value;
        let id = &am.ast.id.value;
        let roles: Vec<String> = am.ast.by.iter().map(|r| r.value.clone()).collect();
        let positions: Vec<PositionIdx> = {
            let mut list: Vec<PositionIdx> = am
                .ast
                .by
                .iter()
                .flat_map(|r| s.positions_filling(&r.value))
                .collect();
            list.sort_unstable();
            list.dedup();
            list
        };
        if positions
            .iter()
            .any(|&p| s.qualification(a.person, p, iv.start).is_some())
        {
            continue;
        }
        let names: Vec<String> = positions
            .iter()
            .map(|&p| format!("`{}`", s.positions[p].name.value))
            .collect();
        let (message, label) = if positions.is_empty() {
            (
                format!(
                    "{who} is assigned to {id}, whose roles ({}) no position of roster {} fills",
                    roles.join(", "),
                    s.id.value
                ),
                "no position fills its roles: nobody can be qualified for it".to_string(),
            )
        } else {
            (
                format!(
                    "{who} is assigned to {id} ({}) without a qualification for {}",
                    when(s, iv),
                    and_list(&names)
                ),
                format!("{who} is not qualified for {} then", and_list(&names)),
            )
        };
        out.push(
            Diagnostic::new(Code::UnqualifiedHolder, message, Label::new(a.span, label))
                .with_note(format!(
                    "the rule: a person assigned to an activity is qualified for a position that fills one of its roles ({})",
                    roles.join(", ")
                ))
                .with_help(if positions.is_empty() {
                    format!("add a position that `fills` one of {}'s roles, or assign {id} to nobody", id)
                } else {
                    format!("assign someone qualified, or declare {who}'s qualification")
                })
                .with_interval(Some(iv)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::ordinal;
    use crate::checks::rules::findings;
    use crate::diag::Code;

    #[test]
    fn ordinals_read_as_english() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn a_shift_before_the_training_is_complete_names_the_progress() {
        let text = r#"
            plan P { horizon 2014/275 00:00 .. 2014/276 00:00   roles PLN }
            roster R {
              plan P
              position PLN-DESK { fills PLN }
              person JROUX { qualified PLN-DESK }
              person K { qualified PLN-DESK after 2 scenarios }
              shift K PLN-DESK 2014/275 06:00 .. 2014/275 14:15
            }
            scenario SIM-1 { plan P   trainees PLN, K   instructor JROUX
                             held 2014/270 09:00 .. 2014/270 13:00   outcome passed }
            scenario SIM-2 { plan P   trainees K   instructor JROUX
                             held 2014/275 08:00 .. 2014/275 10:00   outcome passed }
        "#;
        let found = findings(Code::UnqualifiedHolder, text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "K holds PLN-DESK without a valid qualification from 2014/275 06:00 to 2014/275 10:00: \
             1 of 2 scenarios completed under an instructor by 2014/275 06:00"
        );
        assert_eq!(
            found[0].primary.message,
            "1 of 2 scenarios completed under an instructor by 2014/275 06:00: SIM-1 (ended 2014/270 13:00)"
        );
        assert!(found[0]
            .notes
            .iter()
            .any(|n| n.contains("the end of the 2nd scenario")));
    }
}
