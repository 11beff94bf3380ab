use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::occurrences::{next_common_fit, Budget, LimitExceeded, Occurrences};
use crate::model::{ActivityModel, PlanModel};
use crate::syntax::ast::{Ident, NeedsMode};
use crate::time::{Dur, Interval, Time};

rule! {
    /// ## What it does
    /// Reports an activity that does not lie wholly inside the windows it `needs`:
    /// - `needs W`: inside one occurrence of `W`;
    /// - `needs W1 & W2`: inside one occurrence of each window listed;
    /// - `needs W1 | W2`: inside one occurrence of at least one of them.
    ///
    /// Intervals are half-open and the bounds are included: an activity may start when an
    /// occurrence opens and end when it closes. Unlike `requires coverage` (`P010`), the
    /// activity may not pass from one occurrence to the next: it needs one pass, not a
    /// chain of passes. The finding names the windows that fail, the activity's interval,
    /// the nearest occurrences before and after it, and the next opening (from the
    /// activity's start, inside the horizon) where an activity of that length fits.
    ///
    /// Not judged: activities whose time is unknown (T005) or impossible (T004),
    /// activities not wholly inside the plan's horizon (T003), and a `|` list naming a
    /// window the plan does not declare (R006) or one of a window file that could not be
    /// read whole (E005). In a `&` list, the other windows are still judged.
    ///
    /// Windows are never expanded: the occurrence holding an instant is found by binary
    /// search in a list of intervals and by division in a periodic or daily window, so
    /// the check is O(A·W·log n) for A activities needing W windows of n occurrences.
    ///
    /// ## Why it matters
    /// `needs TDRS` says the activity cannot be done without the relay: a propellant
    /// transfer planned at 20:00 when the TDRSS booking is 13:30-15:00 would run blind.
    /// Before this check, a plan with such an activity passed.
    ///
    /// ## Example
    /// ```text
    /// window TDRS 2014/275 13:30 .. 2014/275 15:00
    /// activity A40 { at 2014/275 20:00   lasts 10m   needs TDRS }
    /// // A40 needs TDRS but runs 2014/275 20:00 .. 20:10, outside every TDRS occurrence
    /// ```
    NeedsNotMet, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        for am in &plan.activities {
            let (Some(iv), Some(needs)) = (am.time.interval(), am.ast.needs.as_ref()) else {
                continue;
            };
            if plan.horizon.is_some_and(|h| !h.contains(&iv)) {
                continue;
            }
            // Each window once, with its index in the plan when it declares it.
            // A window of a file that could not be read whole (E005) is not judged: its
            // occurrences are not all known.
            let mut windows: Vec<(&Ident, Option<usize>)> = Vec::new();
            for w in &needs.windows {
                if windows.iter().all(|(n, _)| n.value != w.value) {
                    let known = plan
                        .window_index
                        .get(&w.value)
                        .copied()
                        .filter(|_| !plan.window_unread(&w.value));
                    windows.push((w, known));
                }
            }
            let declared: Vec<(&Ident, usize)> = windows
                .iter()
                .filter_map(|&(n, wi)| Some((n, wi?)))
                .collect();
            let holds = |wi: usize| plan.windows[wi].occurrences.covering(iv).is_some();
            let failing: Vec<(&Ident, usize)> = match needs.mode {
                NeedsMode::All => declared.into_iter().filter(|&(_, wi)| !holds(wi)).collect(),
                NeedsMode::Any => {
                    if declared.len() < windows.len() || declared.iter().any(|&(_, wi)| holds(wi)) {
                        Vec::new()
                    } else {
                        declared
                    }
                }
            };
            if failing.is_empty() {
                continue;
            }
            out.push(finding(
                plan, am, iv, needs.mode, &windows, &failing, needs.span,
            ));
        }
    }
}

/// What stands between the activity and one occurrence of a window, in words.
fn why(plan: &PlanModel, name: &str, occ: &Occurrences, iv: Interval) -> String {
    if let Some(holder) = occ.containing(iv.start) {
        return format!(
            "the {name} occurrence {} closes {} before it ends",
            holder.format(plan.notation),
            iv.end.since(holder.end)
        );
    }
    match occ.first_ending_after_time(iv.start) {
        Some(next) if next.start < iv.end => format!(
            "the {name} occurrence {} opens {} after it starts",
            next.format(plan.notation),
            next.start.since(iv.start)
        ),
        _ => format!("no {name} occurrence is open then"),
    }
}

/// The nearest occurrences before and after the activity, as a note.
fn nearest(plan: &PlanModel, name: &str, occ: &Occurrences, iv: Interval) -> String {
    let before = occ
        .last_starting_before(iv.start)
        .filter(|o| o.end <= iv.start)
        .or_else(|| {
            occ.last_starting_before(iv.start)
                .and_then(|o| occ.last_starting_before(o.start))
        });
    let after = occ.first_starting_from_time(iv.end);
    let describe = |o: Option<Interval>, which: &str| match o {
        Some(o) => format!("{} ({which})", o.format(plan.notation)),
        None => format!("none {which}"),
    };
    if occ.is_empty() {
        return format!("{name} has no occurrence in this plan");
    }
    format!(
        "nearest {name} occurrences: {}, {}",
        describe(before, "before"),
        describe(after, "after")
    )
}

fn finding(
    plan: &PlanModel,
    am: &ActivityModel,
    iv: Interval,
    mode: NeedsMode,
    windows: &[(&Ident, Option<usize>)],
    failing: &[(&Ident, usize)],
    span: crate::source::Span,
) -> Diagnostic {
    let id = &am.ast.id.value;
    let spec = windows
        .iter()
        .map(|(n, _)| n.value.as_str())
        .collect::<Vec<_>>()
        .join(if mode == NeedsMode::All { " & " } else { " | " });
    let names: Vec<&str> = failing.iter().map(|(n, _)| n.value.as_str()).collect();
    let when = iv.format(plan.notation);
    let message = match (mode, windows.len(), failing.len()) {
        (_, 1, _) => format!("{id} needs {spec} but does not lie inside one of its occurrences"),
        (NeedsMode::All, _, 1) => {
            format!(
                "{id} needs {spec} but does not lie inside an occurrence of {}",
                names[0]
            )
        }
        (NeedsMode::All, _, _) => format!(
            "{id} needs {spec} but does not lie inside an occurrence of {}",
            names.join(" nor of ")
        ),
        (NeedsMode::Any, _, _) => {
            format!("{id} needs {spec} but lies wholly inside an occurrence of none of them")
        }
    };
    let primary = Label::new(
        failing.first().map_or(span, |(n, _)| n.span),
        format!("{id} runs {when}"),
    );
    let mut d = Diagnostic::new(Code::NeedsNotMet, message, primary);
    for &(n, wi) in failing {
        let occ = &plan.windows[wi].occurrences;
        d = d
            .with_secondary(Label::new(
                plan.windows[wi].decl.name.span,
                format!("{} declared here", n.value),
            ))
            .with_note(why(plan, &n.value, occ, iv))
            .with_note(nearest(plan, &n.value, occ, iv));
    }
    let len = iv.duration();
    let stop = plan.horizon.map_or(Time::MAX, |h| h.end);
    // For `&`, every window the activity needs must fit at once, not only the failing ones.
    let candidates: Vec<&Occurrences> = match mode {
        NeedsMode::Any => failing
            .iter()
            .map(|&(_, wi)| &plan.windows[wi].occurrences)
            .collect(),
        NeedsMode::All => windows
            .iter()
            .filter_map(|&(_, wi)| Some(&plan.windows[wi?].occurrences))
            .collect(),
    };
    d.with_help(next_opening(
        plan,
        mode,
        &candidates,
        iv.start,
        len,
        stop,
        &spec,
    ))
}

/// "the next opening of TDRS that fits 40m is 2014/275 13:30", from the activity's start
/// and before `stop` (the horizon's end): for `|` in any one of the windows, for `&` in
/// all of them at once.
fn next_opening(
    plan: &PlanModel,
    mode: NeedsMode,
    windows: &[&Occurrences],
    from: Time,
    len: Dur,
    stop: Time,
    spec: &str,
) -> String {
    let fits = |s: &Time| s.0.checked_add(len.0).is_some_and(|e| e <= stop.0);
    let found: Result<Option<Time>, LimitExceeded> = match mode {
        NeedsMode::Any => Ok(windows
            .iter()
            .filter_map(|w| w.next_fit(from, len))
            .filter(fits)
            .min()),
        NeedsMode::All => next_common_fit(windows, from, len, stop, &mut Budget::default())
            .map(|s| s.filter(fits)),
    };
    let until = if stop == Time::MAX {
        String::new()
    } else {
        format!(
            " before the end of the horizon ({})",
            stop.format(plan.notation)
        )
    };
    match found {
        Ok(Some(s)) => format!(
            "the next opening of {spec} that fits {len} is {}",
            s.format(plan.notation)
        ),
        Ok(None) => format!(
            "no opening of {spec} that fits {len} starts from {}{until}",
            from.format(plan.notation)
        ),
        Err(LimitExceeded) => format!(
            "no common opening of {spec} that fits {len} was found within a million occurrences"
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;

    const PLAN: &str = r#"
        plan P {
          horizon 2014/275 00:00 .. 2014/277 00:00
          roles MCC-M
          window ART  every 92m lasting 40m from 2014/272 00:10   // 275 14:02-14:42, 276 13:02-13:42
          window TDRS 2014/275 13:30 .. 2014/275 15:00, 2014/276 13:15 .. 2014/276 14:30
          activity IN      { at 2014/275 14:05   lasts 20m   needs ART & TDRS }
          activity EDGES   { at 2014/275 14:02   until 2014/275 14:42   needs ART }
          activity LATE    { at 2014/275 14:30   lasts 20m   needs ART & TDRS }   // ART closes 14:42
          activity NIGHT   { at 2014/275 20:00   lasts 10m   needs TDRS }
          activity EITHER  { at 2014/276 13:20   lasts 1h    needs ART | TDRS }   // inside TDRS 13:15-14:30
          activity CHAIN   { at 2014/276 13:02   until 2014/276 14:30   needs ART | TDRS }
          activity OUTSIDE { at 2014/277 10:00   lasts 10m   needs TDRS }        // T003, not judged
        }
    "#;

    #[test]
    fn activities_must_lie_wholly_inside_one_occurrence() {
        let found = findings(Code::NeedsNotMet, PLAN);
        let got: Vec<(&str, String, Option<String>)> = found
            .iter()
            .map(|d| (d.message.as_str(), d.notes.join("; "), d.help.clone()))
            .collect();
        insta::assert_debug_snapshot!(got);
    }
}
