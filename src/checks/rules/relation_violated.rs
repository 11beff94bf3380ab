use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::syntax::ast::RelationKind;
use crate::time::Dur;

rule! {
    /// ## What it does
    /// Checks every stated relation against the scheduled times (bounds inclusive):
    ///
    /// - `after X [± off] [within w]`: gap = start − end(X); `s ≤ gap`, `s` the offset as
    ///   written (0 when none; `after X - 10m` allows 10 minutes of overlap) and, with
    ///   `within`, `gap ≤ w`;
    /// - `before X [± off] [within w]`: gap = start(X) − end; `−s ≤ gap ≤ w`
    ///   (`before X - 10m` asks for 10 minutes of separation, `before X + 10m` allows 10
    ///   minutes of overlap);
    /// - `during X`: start(X) ≤ start and end ≤ end(X);
    /// - `starts with X [± off]`: start = start(X) + s.
    ///
    /// Relations to activities whose time is unknown are not judged here (see T005).
    ///
    /// ## Why it matters
    /// Relations carry the operational logic of the plan: the GO poll must close before
    /// the transfer starts and at most 3 h before it (ATV-OPS-REQ-010). A time edited by
    /// hand during a replan easily breaks one.
    ///
    /// ## Example
    /// ```text
    /// activity A12 { at 2014/273 09:00 lasts 40m }
    /// activity A13 { at 2014/273 09:30 lasts 30m after A12 }   // A12 ends at 09:40
    /// ```
    RelationViolated, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        let fmt = |d: Dur| d.to_string();
        for am in &plan.activities {
            let Some(me) = am.time.bounds() else { continue };
            for (r, target) in am.ast.relations.iter().zip(&am.relation_targets) {
                let Some(t) = target else { continue };
                let other = &plan.activities[*t];
                let Some(x) = other.time.bounds() else {
                    continue;
                };
                let written = r.offset.as_ref().and_then(|o| o.value).unwrap_or(Dur::ZERO);
                // `after X + 10m`: start ≥ end(X) + 10m; `before X - 10m`: end ≤ start(X) − 10m.
                let off = if r.kind == RelationKind::Before {
                    written.negated()
                } else {
                    written
                };
                let within = r.within.as_ref().and_then(|w| w.value);
                let (me_id, x_id) = (&am.ast.id.value, &other.ast.id.value);
                let problem = match r.kind {
                    RelationKind::After | RelationKind::Before => {
                        let (gap, what) = if r.kind == RelationKind::After {
                            (
                                me.start.since(x.end),
                                format!("{me_id} must start after {x_id} ends"),
                            )
                        } else {
                            (
                                x.start.since(me.end),
                                format!("{me_id} must end before {x_id} starts"),
                            )
                        };
                        let at_least = if off.0 > 0 {
                            format!(" by at least {}", fmt(off))
                        } else {
                            String::new()
                        };
                        if gap < off {
                            Some(if off.0 < 0 {
                                // `after X - 10m`, `before X + 10m`: an overlap of at most 10m.
                                if r.kind == RelationKind::After {
                                    format!(
                                        "{me_id} may start at most {} before {x_id} ends, but starts {} before",
                                        fmt(off.negated()),
                                        fmt(gap.negated())
                                    )
                                } else {
                                    format!(
                                        "{me_id} may end at most {} after {x_id} starts, but ends {} after",
                                        fmt(off.negated()),
                                        fmt(gap.negated())
                                    )
                                }
                            } else if gap.0 < 0 {
                                format!(
                                    "{what}{at_least}, but they overlap by {}",
                                    fmt(gap.negated())
                                )
                            } else {
                                format!("{what}{at_least}, but the gap is only {}", fmt(gap))
                            })
                        } else {
                            match within {
                                Some(w) if gap > w => Some(if r.kind == RelationKind::After {
                                    format!("{me_id} must start at most {} after {x_id} ends, but starts {} after", fmt(w), fmt(gap))
                                } else {
                                    format!("{me_id} must end at most {} before {x_id} starts, but ends {} before", fmt(w), fmt(gap))
                                }),
                                _ => None,
                            }
                        }
                    }
                    RelationKind::During => (me.start < x.start || me.end > x.end).then(|| {
                        format!(
                            "{me_id} must lie during {x_id} ({}), but is scheduled {}",
                            x.format(plan.notation),
                            me.format(plan.notation)
                        )
                    }),
                    RelationKind::StartsWith => {
                        let expected = x.start.0.saturating_add(written.0);
                        (me.start.0 != expected).then(|| {
                            format!(
                                "{me_id} must start with {x_id}{}, but starts {} {}",
                                if written.0 != 0 {
                                    format!(" {}", signed(written))
                                } else {
                                    String::new()
                                },
                                fmt(Dur((me.start.0 - expected).abs())),
                                if me.start.0 > expected {
                                    "later"
                                } else {
                                    "earlier"
                                }
                            )
                        })
                    }
                };
                if let Some(message) = problem {
                    out.push(
                        Diagnostic::new(
                            Code::RelationViolated,
                            message,
                            Label::new(
                                r.span,
                                format!("{me_id} is scheduled {}", me.format(plan.notation)),
                            ),
                        )
                        .with_secondary(Label::new(
                            other.ast.id.span,
                            format!("{x_id} is scheduled {}", x.format(plan.notation)),
                        )),
                    );
                }
            }
        }
    }
}

fn signed(d: Dur) -> String {
    if d.0 < 0 {
        format!("- {}", d.negated())
    } else {
        format!("+ {d}")
    }
}
