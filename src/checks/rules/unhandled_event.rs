use crate::checks::scenario::timed_from_note;
use crate::checks::scenario::{judge, named, path_text};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label, Suggester};

/// At most this many running activities are labelled in one finding.
const MAX_LABELS: usize = 8;

rule! {
    /// ## What it does
    /// Reports an injected event that no procedure on the contingency path of the
    /// activities running at that time handles. The contingency path of an activity is
    /// the procedure it runs, then, transitively, the procedures its failures lead to:
    /// its `contingency`, every `on fail call`, and the `call`s of its failure steps (the
    /// steps reached from an `on fail goto` that its nominal flow does not reach). A
    /// procedure reached that way runs as the contingency: every procedure it calls is
    /// on the path too. A procedure handles an event when it declares `handles EVENT`. When several
    /// activities are running, one of their paths handling the event is enough.
    ///
    /// The path is followed breadth first, each procedure once (a cycle of calls ends),
    /// at most 32 procedures deep and 64 procedures long. The message names at most 8
    /// running activities and counts the others. When no procedure at all declares the event, the
    /// closest event name that one does declare is suggested. When the inject is timed from
    /// an activity that is not running then (`at A29.end + 3m`), a note says when it ended
    /// or starts ("`A29`, which the inject is timed from, ended at 14:25, 3m before the
    /// inject at 14:28").
    ///
    /// ## Why it matters
    /// A training scenario rehearses the controllers' answer to a failure: the event
    /// must lead, through the procedures on console, to the contingency procedure written
    /// for it. When it does not, either the scenario injects the wrong event (or at the
    /// wrong time), or the flight procedures have a gap that the simulation would expose
    /// on the day: the 15 Aug 2012 ATV-3 reboost stopped at 2.9 of 4.4 m/s on a thruster
    /// over-temperature, and the reboost procedure had to lead to its contingency.
    ///
    /// ## Example
    /// ```text
    /// activity A29 { at 2014/275 14:05   lasts 20m   procedure ATV-FCP-RBT-020 }
    /// procedure ATV-FCP-RBT-020 { contingency ATV-CRP-PRP-090 … }
    /// procedure ATV-CRP-PRP-090 { family CRP   handles NO_IGNITION … }
    /// inject THRUSTER_OVERTEMP at A29.start + 3m     // nothing handles it
    /// ```
    UnhandledEvent, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    // One pass over the judgements: the finding of each unhandled inject, without its
    // help, which needs the suggestions asked for all their events together.
    let mut found: Vec<(Diagnostic, &str)> = Vec::new();
    judge(m, |j| {
        if j.handled() {
            return;
        }
        let sc = &m.scenarios[j.scenario];
        let Some(pi) = sc.plan else { return };
        let plan = &m.plans[pi];
        let inj = &sc.ast.injects[j.inject];
        let event = &inj.event.value;
        let ids: Vec<&str> = j
            .running
            .iter()
            .map(|r| plan.activities[r.activity].ast.id.value.as_str())
            .collect();
        let whose = match ids.as_slice() {
            [one] => format!("{one}'s procedure"),
            _ => format!("the procedures of {}", named(&ids)),
        };
        let when = sc.injects[j.inject]
            .time
            .map(|t| plan.format_time(t))
            .unwrap_or_default();
        let mut d = Diagnostic::new(
            Code::UnhandledEvent,
            format!("no contingency path of {whose} handles `{event}`"),
            Label::new(
                inj.event.span,
                format!(
                    "injected at {when}, while {} {}",
                    named(&ids),
                    if ids.len() == 1 { "runs" } else { "run" }
                ),
            ),
        );
        for r in j.running.iter().take(MAX_LABELS) {
            let a = &plan.activities[r.activity].ast;
            let label = if r.path.is_empty() {
                "running; it runs no procedure".to_string()
            } else {
                format!("running; its contingency path: {}", path_text(m, r.path))
            };
            d = d.with_secondary(Label::new(a.id.span, label));
        }
        if let Ok(t) = sc.injects[j.inject].time {
            if let Some(note) = timed_from_note(plan, inj, t) {
                d = d.with_note(note);
            }
        }
        found.push((d, event.as_str()));
    });
    if found.is_empty() {
        return;
    }
    let mut declared: Vec<&str> = m
        .procedures
        .iter()
        .flat_map(|p| &p.ast.handles)
        .map(|h| h.value.as_str())
        .collect();
    declared.sort_unstable();
    declared.dedup();
    // "Did you mean" for the injected events no procedure declares, asked together.
    let unknown: Vec<&str> = found
        .iter()
        .map(|(_, e)| *e)
        .filter(|e| declared.binary_search(e).is_err())
        .collect();
    let suggester = Suggester::new(declared.clone());
    let suggestions: rustc_hash::FxHashMap<&str, _> = unknown
        .iter()
        .copied()
        .zip(suggester.suggest_all(&unknown))
        .collect();
    // The procedures handling each event, found once per event.
    let mut handling: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
    for (pi, p) in m.procedures.iter().enumerate() {
        for h in &p.ast.handles {
            let procs = handling.entry(h.value.as_str()).or_default();
            // A procedure declaring the event twice is named once.
            if procs.last() != Some(&pi) {
                procs.push(pi);
            }
        }
    }
    for (d, event) in found {
        let help = match handling.get(event) {
            Some(procs) => {
                let handlers: Vec<String> =
                    procs.iter().map(|&p| m.procedures[p].display_name()).collect();
                format!(
                "{} {} `{event}` but no path leads there: add it as a `contingency` or an `on fail call` of the running procedure",
                handlers.join(", "),
                if handlers.len() == 1 { "handles" } else { "handle" }
            )
            }
            None => match suggestions.get(event) {
                Some(Some(s)) => format!(
                    "no procedure declares `handles {event}`; {}",
                    s.did_you_mean()
                ),
                _ => format!("no procedure declares `handles {event}`: declare it in the contingency procedure written for the event"),
            },
        };
        out.push(d.with_help(help));
    }
}
