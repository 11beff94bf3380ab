use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports two definitions that share one identifier, showing both places: two
    /// activities of a plan, two roles, resources, windows or phases of a plan, two plans,
    /// two procedures with the same id and version, two steps of a procedure.
    ///
    /// ## Why it matters
    /// Every relation, report line and trace link names things by id: with two `A23`, a
    /// reference may silently point to the wrong one (the first definition is used).
    ///
    /// ## Example
    /// ```text
    /// activity A23 "CDM batch review" { at 2014/274 18:00 lasts 30m }
    /// activity A23 "Trash loading"    { at 2014/275 09:00 lasts 1h }
    /// ```
    DuplicateIdentifier, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for d in &cx.model.duplicates {
        out.push(
            Diagnostic::new(
                Code::DuplicateIdentifier,
                format!("duplicate {} `{}`", d.what, d.name),
                Label::new(d.second, "defined again here"),
            )
            .with_secondary(Label::new(d.first, "first defined here"))
            .with_help(format!("give each {} its own identifier", d.what)),
        );
    }
}
