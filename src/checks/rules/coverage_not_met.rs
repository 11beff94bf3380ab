use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::occurrences::{
    intersection_first_gap, union_first_gap, Budget, LimitExceeded, Occurrences,
};
use crate::model::{PlanModel, ProcIdx};
use crate::syntax::ast::{Needs, NeedsMode};
use crate::time::Interval;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

rule! {
    /// ## What it does
    /// Reports an activity that runs a procedure with `requires coverage` while part of the
    /// activity's interval `[start, end)` lies outside that coverage, and says where the
    /// first gap is. The coverage is read from the windows of the activity's plan, as
    /// expanded over the horizon:
    /// - `requires coverage ART & TDRS`: at every instant of the activity, every window
    ///   listed is open (the intersection of their occurrences);
    /// - `requires coverage ART | TDRS`: at every instant, at least one of them is open (the
    ///   union). A handover counts: an Artemis pass that ends at 13:42 inside a TDRS slot
    ///   that began at 13:15 gives continuous coverage.
    ///
    /// Bounds follow the half-open intervals: an activity may start when a window opens and
    /// end when it closes. A window listed by the procedure but declared only by another
    /// plan gives no coverage in this plan (a note says so).
    ///
    /// Not judged: activities whose time is unknown (T005) or impossible (T004), activities
    /// not wholly inside the plan's horizon (T003: windows are known only there), procedures
    /// that did not resolve (R002, R003), and coverage naming a window that no plan declares
    /// (R006).
    ///
    /// The windows are never expanded: the check walks from occurrence to occurrence
    /// through the activity (a binary search in a list of intervals, a division for a
    /// periodic or daily window), so its cost is the number of times the coverage changes
    /// inside the activity. When that exceeds a million, the coverage is not decided and
    /// `T009 coverage-undecided` says so.
    ///
    /// ## Why it matters
    /// A procedure that commands the vehicle needs the link the whole time: a propellant
    /// transfer or a burn that runs past the end of the Artemis pass loses telemetry and
    /// commanding exactly when the team must confirm or abort (ATV-OPS-REQ-006).
    ///
    /// ## Example
    /// ```text
    /// window ART  every 92m lasting 40m from 2014/272 00:10       // 275: 14:02-14:42
    /// window TDRS 2014/275 13:30 .. 2014/275 15:00
    /// activity A29 { at 2014/275 14:30   lasts 20m   procedure ATV-FCP-RBT-020 v2.4 }
    /// procedure ATV-FCP-RBT-020 { version 2.4   requires coverage ART & TDRS }
    /// // no ART & TDRS coverage from 14:42 to 14:50
    /// ```
    CoverageNotMet, Reporter::Check(check)
}

/// What one procedure's `requires coverage` means in one plan, prepared once.
struct Required<'a> {
    all: bool,
    /// `ART & TDRS`, as written (each window once).
    spec: String,
    /// The windows listed, each once, in order, with their index in the plan if it has one.
    windows: Vec<(&'a str, Option<usize>)>,
}

/// Prepares `req` for `plan`; `None` when it is not judged (a window no plan declares).
fn prepare<'a>(m: &crate::model::Model, plan: &PlanModel, req: &'a Needs) -> Option<Required<'a>> {
    if req.windows.is_empty()
        || req
            .windows
            .iter()
            .any(|w| !m.all_windows.contains(&w.value))
    {
        return None;
    }
    let all = req.mode == NeedsMode::All;
    let mut seen = HashSet::default();
    let windows: Vec<(&str, Option<usize>)> = req
        .windows
        .iter()
        .filter(|w| seen.insert(w.value.as_str()))
        .map(|w| (w.value.as_str(), plan.window_index.get(&w.value).copied()))
        .collect();
    // A window of a file that could not be read whole (E005): its occurrences are not all
    // known, so the coverage is not judged (the run already exits 2, incomplete).
    if windows.iter().any(|(n, _)| plan.window_unread(n)) {
        return None;
    }
    let spec = windows
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(if all { " & " } else { " | " });
    Some(Required { all, spec, windows })
}

/// The first gap of the coverage `r` asks for over `i`, by walking the windows'
/// occurrences (never materialised).
fn first_gap(
    plan: &PlanModel,
    r: &Required,
    i: Interval,
) -> Result<Option<Interval>, LimitExceeded> {
    let present: Vec<&Occurrences> = r
        .windows
        .iter()
        .filter_map(|(_, wi)| wi.map(|w| &plan.windows[w].occurrences))
        .collect();
    let mut budget = Budget::default();
    if r.all {
        // `&` with a window this plan lacks: no coverage at all.
        if present.len() < r.windows.len() {
            return Ok(Some(i));
        }
        intersection_first_gap(&present, i, &mut budget)
    } else {
        union_first_gap(&present, i, &mut budget)
    }
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for plan in &m.plans {
        // Each procedure's requirement, prepared on first use.
        let mut required: HashMap<ProcIdx, Option<Required>> = HashMap::default();
        for am in &plan.activities {
            let (Some(i), Some(pi), Some(clause)) =
                (am.time.interval(), am.procedure, am.ast.procedure.as_ref())
            else {
                continue;
            };
            let p = &m.procedures[pi];
            let Some(req) = p.ast.requires_coverage.as_ref() else {
                continue;
            };
            if p.incomplete || plan.horizon.is_some_and(|h| !h.contains(&i)) {
                continue;
            }
            let Some(r) = required.entry(pi).or_insert_with(|| prepare(m, plan, req)) else {
                continue;
            };
            let (id, spec) = (&am.ast.id.value, &r.spec);
            let gap = match first_gap(plan, r, i) {
                Ok(Some(gap)) => gap,
                Ok(None) => continue,
                Err(LimitExceeded) => {
                    out.push(super::coverage_undecided::diagnostic(
                        plan,
                        &am.ast.id.value,
                        clause.span,
                        i,
                        spec,
                    ));
                    continue;
                }
            };
            let mut d = Diagnostic::new(
                Code::CoverageNotMet,
                format!(
                    "{id} runs {} without the coverage it requires ({spec}) from {} to {}",
                    p.display_name(),
                    gap.start.format(plan.notation),
                    gap.end.format(plan.notation)
                ),
                Label::new(
                    clause.span,
                    format!("{id} runs it {}", i.format(plan.notation)),
                ),
            )
            .with_secondary(Label::new(
                req.span,
                format!("{} requires {spec}", p.display_name()),
            ));
            if r.all && r.windows.len() > 1 {
                let closed: Vec<&str> = r
                    .windows
                    .iter()
                    .filter(|(_, wi)| {
                        !wi.is_some_and(|wi| {
                            plan.windows[wi].occurrences.containing(gap.start).is_some()
                        })
                    })
                    .map(|(n, _)| *n)
                    .collect();
                d = d.with_note(format!(
                    "closed at {}: {}",
                    gap.start.format(plan.notation),
                    closed.join(", ")
                ));
            }
            for (w, _) in r.windows.iter().filter(|(_, wi)| wi.is_none()) {
                d = d.with_note(format!(
                    "plan {} declares no window `{w}`: it gives no coverage here",
                    plan.id.value
                ));
            }
            out.push(d.with_help(format!(
                "move {id} inside the coverage, or book more {spec} coverage"
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;
    use crate::time::first_gap;
    use crate::time::{Interval, Time};

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(Time(a), Time(b))
    }

    #[test]
    fn gaps_follow_half_open_bounds() {
        let cover = [iv(10, 20), iv(30, 40)];
        assert_eq!(first_gap(&cover, iv(10, 20)), None);
        assert_eq!(first_gap(&cover, iv(12, 18)), None);
        assert_eq!(first_gap(&cover, iv(15, 25)), Some(iv(20, 25)));
        assert_eq!(first_gap(&cover, iv(15, 35)), Some(iv(20, 30)));
        assert_eq!(first_gap(&cover, iv(5, 15)), Some(iv(5, 10)));
        assert_eq!(first_gap(&cover, iv(20, 30)), Some(iv(20, 30)));
        assert_eq!(first_gap(&cover, iv(22, 28)), Some(iv(22, 28)));
        assert_eq!(first_gap(&cover, iv(45, 50)), Some(iv(45, 50)));
        assert_eq!(first_gap(&[], iv(45, 50)), Some(iv(45, 50)));
    }

    const PLAN: &str = r#"
        plan P {
          horizon 2014/275 00:00 .. 2014/277 00:00
          roles MCC-M
          window ART  every 92m lasting 40m from 2014/272 00:10      // 275 14:02-14:42, 276 13:02-13:42, 14:34-15:14
          window TDRS 2014/275 13:30 .. 2014/275 15:00, 2014/276 13:15 .. 2014/276 14:30
          activity BOTH     { at 2014/275 14:05   lasts 20m     procedure RBT }   // inside both
          activity EDGES    { at 2014/275 14:02   until 2014/275 14:42   procedure RBT }
          activity LATE     { at 2014/275 14:30   lasts 20m     procedure RBT }   // ART closes 14:42
          activity EARLY    { at 2014/275 13:20   lasts 20m     procedure RBT }   // both from 14:02
          activity HANDOVER { at 2014/276 13:02   until 2014/276 14:30   procedure TRANSFER }
          activity GAP      { at 2014/276 13:05   lasts 1h30m   procedure TRANSFER }
          activity OUTSIDE  { at 2014/277 10:00   lasts 10m     procedure TRANSFER }   // T003
        }
        procedure RBT      { requires coverage ART & TDRS   step 1 { end } }
        procedure TRANSFER { requires coverage ART | TDRS   step 1 { end } }
    "#;

    #[test]
    fn activities_must_lie_in_the_required_coverage() {
        let found = findings(Code::CoverageNotMet, PLAN);
        let got: Vec<_> = found
            .iter()
            .map(|d| (d.message.as_str(), d.notes.join("; ")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "LATE runs RBT without the coverage it requires (ART & TDRS) from 2014/275 14:42 to 2014/275 14:50",
                    "closed at 2014/275 14:42: ART".to_string()
                ),
                (
                    "EARLY runs RBT without the coverage it requires (ART & TDRS) from 2014/275 13:20 to 2014/275 13:40",
                    "closed at 2014/275 13:20: ART, TDRS".to_string()
                ),
                (
                    "GAP runs TRANSFER without the coverage it requires (ART | TDRS) from 2014/276 14:30 to 2014/276 14:34",
                    String::new()
                ),
            ]
        );
    }

    #[test]
    fn a_window_of_another_plan_gives_no_coverage_here() {
        let found = findings(
            Code::CoverageNotMet,
            r#"
            plan A {
              horizon 2014/275 00:00 .. 2014/277 00:00
              window TDRS 2014/275 13:30 .. 2014/275 15:00
            }
            plan B {
              horizon 2014/275 00:00 .. 2014/277 00:00
              window ART every 92m lasting 40m from 2014/272 00:10
              activity X { at 2014/275 14:05   lasts 20m   procedure RBT }
              activity Y { at 2014/275 14:05   lasts 20m   procedure ANY }
            }
            procedure RBT { requires coverage ART & TDRS   step 1 { end } }
            procedure ANY { requires coverage ART | TDRS   step 1 { end } }
            procedure UNK { requires coverage ART | TDSR   step 1 { end } }
        "#,
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].notes,
            [
                "closed at 2014/275 14:05: TDRS",
                "plan B declares no window `TDRS`: it gives no coverage here"
            ]
        );
    }

    #[test]
    fn a_window_no_plan_declares_is_left_to_r006() {
        let found = findings(
            Code::CoverageNotMet,
            r#"
            plan B {
              horizon 2014/275 00:00 .. 2014/277 00:00
              window ART every 92m lasting 40m from 2014/272 00:10
              activity X { at 2014/275 14:05   lasts 1h   procedure RBT }
            }
            procedure RBT { requires coverage ART & TDSR   step 1 { end } }
        "#,
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
