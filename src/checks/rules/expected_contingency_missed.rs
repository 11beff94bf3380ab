use crate::checks::scenario::{judge, named, path_text, timed_from_note};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports an `expect PROC` of an inject when that procedure is not on the
    /// contingency path of the activities running at the injection time (see `S005`
    /// for the path), or is on it but does not declare `handles EVENT`. `expect PROC`
    /// without a version accepts any version of it on the path; `expect PROC v1.1` only
    /// that one. An expected procedure that no library defines is `R002`/`R003`. As for
    /// `S005`, an inject timed from an activity that is not running then gets a note
    /// saying when that activity ended or starts, and the message names at most 8
    /// running activities and counts the others.
    ///
    /// ## Why it matters
    /// The expected contingency is what the Training Instructor grades: the trainees must
    /// reach it. If the procedures on console cannot lead to it, the scenario grades the
    /// trainees against a path that does not exist; if it does not say it handles the
    /// event, the procedure or the scenario is out of date.
    ///
    /// ## Example
    /// ```text
    /// inject THRUSTER_OVERTEMP at A29.start + 3m {
    ///   expect ATV-CRP-PRP-091        // the transfer contingency: not reachable from RBT-020
    /// }
    /// ```
    ExpectedContingencyMissed, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    judge(m, |j| {
        let sc = &m.scenarios[j.scenario];
        let Some(pi) = sc.plan else { return };
        let plan = &m.plans[pi];
        let inj = &sc.ast.injects[j.inject];
        let event = &inj.event.value;
        let on_path = j.procedures();
        for (e, target) in inj.expects.iter().zip(&sc.injects[j.inject].expects) {
            let Some(target) = *target else { continue };
            let wanted = &m.procedures[target];
            let matching: Vec<usize> = on_path
                .iter()
                .copied()
                .filter(|&p| match e.version {
                    Some(_) => p == target,
                    None => m.procedures[p].id() == wanted.id(),
                })
                .collect();
            let shown = match e.version {
                Some(_) => wanted.display_name(),
                None => wanted.id().to_string(),
            };
            if matching.is_empty() {
                let ids: Vec<&str> = j
                    .running
                    .iter()
                    .map(|r| plan.activities[r.activity].ast.id.value.as_str())
                    .collect();
                let mut d = Diagnostic::new(
                    Code::ExpectedContingencyMissed,
                    format!(
                        "`{shown}` is not on the contingency path of {}",
                        named(&ids)
                    ),
                    Label::new(e.span, format!("expected for `{event}`")),
                );
                for r in j.running.iter().filter(|r| !r.path.is_empty()).take(8) {
                    d = d.with_secondary(Label::new(
                        plan.activities[r.activity].ast.id.span,
                        format!("its contingency path: {}", path_text(m, r.path)),
                    ));
                }
                if let Ok(t) = sc.injects[j.inject].time {
                    if let Some(note) = timed_from_note(plan, inj, t) {
                        d = d.with_note(note);
                    }
                }
                out.push(d.with_help(format!(
                    "expect a procedure on the path, or lead the running procedure to {shown} (`contingency`, `on fail call`)"
                )));
            } else if !matching.iter().any(|&p| m.procedures[p].handles(event)) {
                let p = &m.procedures[matching[0]];
                out.push(
                    Diagnostic::new(
                        Code::ExpectedContingencyMissed,
                        format!(
                            "`{}` is on the contingency path but does not handle `{event}`",
                            p.display_name()
                        ),
                        Label::new(e.span, format!("expected for `{event}`")),
                    )
                    .with_secondary(Label::new(
                        p.ast.id.span,
                        format!("declares no `handles {event}`"),
                    ))
                    .with_help(format!(
                        "if it is written for this event, add `handles {event}` to {}",
                        p.display_name()
                    )),
                );
            }
        }
    });
}
