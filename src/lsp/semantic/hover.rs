//! Hovers: what a name denotes, in Markdown, from the model, the flight rules and the
//! trace. Times are printed in the notation of the plan they belong to. Only the run's
//! own texts are quoted (a flight rule's YAML block, a declaration's line).

use super::index::{Data, Symbol};
use super::Hover;
use crate::model::{PlanModel, TimeState, Unknown};
use crate::source::{FileId, Span};
use crate::workspace::Run;
use std::fmt::Write;

/// Shown at most this many steps of a procedure, versions, covering artifacts.
const LISTED: usize = 20;

pub(super) fn hover(run: &Run, data: &Data, file: FileId, offset: usize) -> Option<Hover> {
    let e = data.at(file, offset)?;
    let span = e.span(file);
    let markdown = describe(run, data, e.symbol)?;
    Some(Hover { markdown, span })
}

/// The Markdown describing a symbol.
pub(super) fn describe(run: &Run, data: &Data, id: u32) -> Option<String> {
    let m = &run.model;
    let mut out = String::new();
    match data.symbol(id) {
        Symbol::Activity(pi, ai) => activity(&mut out, &m.plans[*pi], *ai),
        Symbol::Procedure(p) => procedure(&mut out, run, *p),
        Symbol::Step(p, s) => {
            let pm = &m.procedures[*p];
            let st = &pm.ast.steps[*s];
            let _ = write!(out, "**step** `{}`", st.label.value);
            title(&mut out, st.title.as_ref().map(|t| t.value.as_str()));
            let _ = writeln!(
                out,
                "\n\nof procedure `{}`: {} statement(s)",
                pm.display_name(),
                st.statements.len()
            );
        }
        Symbol::FlightRule(rid) => flight_rule(&mut out, run, rid),
        Symbol::Requirement(rid) => requirement(&mut out, run, rid),
        Symbol::Plan(pi) => {
            let p = &m.plans[*pi];
            let _ = write!(out, "**plan** `{}`", p.id.value);
            title(&mut out, p.title.as_deref());
            let _ = write!(
                out,
                "\n\n{} activities, {} phases, {} windows",
                p.activities.len(),
                p.phases.len(),
                p.windows.len()
            );
            if let Some(h) = p.horizon {
                let _ = write!(out, "\n\nhorizon: {}", h.format(p.notation));
            }
            out.push('\n');
        }
        Symbol::Scenario(si) => {
            let s = &m.scenarios[*si].ast;
            let _ = write!(out, "**scenario** `{}`", s.id.value);
            title(&mut out, s.title.as_ref().map(|t| t.value.as_str()));
            let _ = writeln!(out, "\n\n{} inject(s)", s.injects.len());
        }
        Symbol::Phase(pi, i) => {
            let p = &m.plans[*pi];
            let ph = &p.phases[*i];
            let _ = write!(out, "**phase** `{}`", ph.name.value);
            title(&mut out, ph.title.as_deref());
            if let Some(iv) = ph.interval {
                let _ = write!(out, "\n\n{}", iv.format(p.notation));
            }
            let n = p.activities.iter().filter(|a| a.phase == Some(*i)).count();
            let _ = writeln!(out, "\n\n{n} activities");
            declaration(&mut out, run, data, id);
        }
        Symbol::Role(name) => named(&mut out, run, data, id, "role", name),
        Symbol::Window(name) => {
            named(&mut out, run, data, id, "window", name);
            for p in &m.plans {
                let Some(&wi) = p.window_index.get(name) else {
                    continue;
                };
                let w = &p.windows[wi];
                let _ = write!(
                    out,
                    "\nplan `{}`: kind {}, {} opening(s) in the horizon",
                    p.id.value,
                    w.kind().as_str(),
                    p.window_count_in_horizon(wi)
                );
                if let Some(first) = p.window_in_horizon(wi).next() {
                    let _ = write!(out, ", the first {}", first.format(p.notation));
                }
                out.push('\n');
            }
        }
        Symbol::Resource(pi, i) => {
            let name = &m.plans[*pi].resources[*i].name.value;
            named(&mut out, run, data, id, "resource", name);
        }
        Symbol::Person(name) => named(&mut out, run, data, id, "person", name),
        Symbol::Position(name) => named(&mut out, run, data, id, "position", name),
    }
    Some(out)
}

fn title(out: &mut String, t: Option<&str>) {
    if let Some(t) = t {
        let _ = write!(out, " — {}", one_line(t));
    }
}

/// Text on one line (Markdown would end a list item or a heading at a line break).
fn one_line(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A code span holding `text` (backticks inside get a longer fence).
fn code(text: &str) -> String {
    let mut fence = "`".to_string();
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fenced block holding `text`.
fn block(out: &mut String, lang: &str, text: &str) {
    let mut fence = "```".to_string();
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    let _ = writeln!(out, "{fence}{lang}\n{}\n{fence}", text.trim_end());
}

fn unknown_why(u: Unknown, p: &PlanModel) -> String {
    match u {
        Unknown::NoStart => "no `at` and no relation places it".to_string(),
        Unknown::NoDuration => "no `lasts`, `until` or procedure duration".to_string(),
        Unknown::DependsOn(a) => format!(
            "it depends on {}, whose time is unknown",
            code(&p.activities[a].ast.id.value)
        ),
        Unknown::InCycle => "it is part of a dependency cycle".to_string(),
        Unknown::InvalidInput => "a time or name it uses is invalid".to_string(),
        Unknown::OutOfRange => "its offsets leave the calendar".to_string(),
    }
}

fn activity(out: &mut String, p: &PlanModel, ai: usize) {
    let am = &p.activities[ai];
    let a = &am.ast;
    let _ = write!(out, "**activity** `{}`", a.id.value);
    title(out, a.title.as_ref().map(|t| t.value.as_str()));
    let _ = writeln!(out, "\n\nplan `{}`\n", p.id.value);
    let n = p.notation;
    let start = match am.time {
        TimeState::Known(iv) | TimeState::Inverted(iv) => {
            let _ = writeln!(out, "- start: {}", iv.start.format(n));
            let _ = writeln!(out, "- end: {}", iv.end.format(n));
            let _ = writeln!(out, "- duration: {}", iv.end.since(iv.start));
            if matches!(am.time, TimeState::Inverted(_)) {
                let _ = writeln!(out, "- **ends before it starts**");
            }
            Some(iv.start)
        }
        TimeState::Unknown(u) => {
            let _ = writeln!(out, "- time unknown: {}", unknown_why(u, p));
            None
        }
    };
    if let Some(ph) = am.phase.and_then(|i| p.phases.get(i)) {
        let _ = write!(out, "- phase: `{}`", ph.name.value);
        title(out, ph.title.as_deref());
        out.push('\n');
    }
    if !a.by.is_empty() {
        let by: Vec<String> = a.by.iter().map(|r| code(&r.value)).collect();
        let _ = writeln!(out, "- by: {}", by.join(", "));
    }
    if let Some(needs) = &a.needs {
        for w in &needs.windows {
            let Some(&wi) = p.window_index.get(&w.value) else {
                let _ = writeln!(out, "- needs {}: not declared", code(&w.value));
                continue;
            };
            let occ = &p.windows[wi].occurrences;
            let next = match start {
                Some(t) => occ.first_ending_after_time(t),
                None => p.window_in_horizon(wi).next(),
            };
            match next {
                Some(iv) => {
                    let _ = writeln!(
                        out,
                        "- needs {}: {} {}",
                        code(&w.value),
                        if start.is_some_and(|t| iv.start <= t) {
                            "open"
                        } else {
                            "next open"
                        },
                        iv.format(n)
                    );
                }
                None => {
                    let _ = writeln!(out, "- needs {}: no opening", code(&w.value));
                }
            }
        }
    }
}

fn procedure(out: &mut String, run: &Run, pi: usize) {
    let m = &run.model;
    let pm = &m.procedures[pi];
    let p = &pm.ast;
    let _ = write!(out, "**procedure** `{}`", pm.display_name());
    title(out, p.title.as_ref().map(|t| t.value.as_str()));
    out.push_str("\n\n");
    let versions = m.versions_of(pm.id());
    if versions.len() > 1 {
        let v: Vec<String> = versions
            .iter()
            .take(LISTED)
            .map(|v| code(&format!("v{v}")))
            .collect();
        let _ = writeln!(out, "- versions: {}", v.join(", "));
    }
    if !p.roles.is_empty() {
        let r: Vec<String> = p.roles.iter().map(|r| code(&r.value)).collect();
        let _ = writeln!(out, "- roles: {}", r.join(", "));
    }
    if let Some(d) = p.duration.as_ref().and_then(|d| d.value) {
        let _ = writeln!(out, "- duration: {d}");
    }
    let _ = writeln!(out, "- steps: {}", p.steps.len());
    for s in p.steps.iter().take(LISTED) {
        let _ = write!(out, "  - `{}`", s.label.value);
        title(out, s.title.as_ref().map(|t| t.value.as_str()));
        out.push('\n');
    }
    if p.steps.len() > LISTED {
        let _ = writeln!(out, "  - … {} more", p.steps.len() - LISTED);
    }
    let path = m.contingency_path(pi);
    if path.len() > 1 {
        let _ = writeln!(out, "- contingency path:");
        for step in path.iter().skip(1) {
            let name = m.procedures[step.procedure].display_name();
            let from = step
                .from
                .map(|f| m.procedures[path[f].procedure].display_name());
            match from {
                Some(f) => {
                    let _ = writeln!(out, "  - {} (from {})", code(&name), code(&f));
                }
                None => {
                    let _ = writeln!(out, "  - {}", code(&name));
                }
            }
        }
    }
}

fn flight_rule(out: &mut String, run: &Run, id: &str) {
    let rule = run
        .rule_sets
        .iter()
        .flat_map(|s| &s.rules)
        .find(|r| r.id == id);
    let Some(rule) = rule else {
        let _ = writeln!(out, "**flight rule** {}: not defined", code(id));
        return;
    };
    let _ = writeln!(
        out,
        "**flight rule** {} — {}\n\n`{}`",
        code(&rule.id),
        one_line(&rule.title),
        rule.check.kind_name()
    );
    if !rule.traces.is_empty() {
        let t: Vec<String> = rule.traces.iter().map(|t| code(t)).collect();
        let _ = writeln!(out, "\ntraces {}", t.join(", "));
    }
    let text = run.sources.text(rule.block.file);
    // From the start of the block's first line, so that `- id:` keeps its indentation.
    let from = if (rule.block_line as usize) <= rule.block.start as usize {
        rule.block_line as usize
    } else {
        rule.block.start as usize
    };
    if let Some(b) = text.get(from..rule.block.end as usize) {
        out.push('\n');
        block(out, "yaml", b);
    }
}

fn requirement(out: &mut String, run: &Run, id: &str) {
    let Some(t) = &run.traced else {
        let _ = writeln!(
            out,
            "**requirement** {}\n\nno requirement exports are named (opsplan.yaml `requirements:`)",
            code(id)
        );
        return;
    };
    let Some(r) = t.trace.requirements.iter().find(|r| r.id == id) else {
        let _ = writeln!(
            out,
            "**requirement** {}\n\nnot in the requirement exports",
            code(id)
        );
        return;
    };
    let o = t.trace.object(&t.exports, r);
    let _ = write!(out, "**requirement** {}", code(&r.id));
    title(out, o.heading.as_deref());
    let _ = writeln!(out, "\n\n- status: **{}**", r.status.as_str());
    let _ = writeln!(
        out,
        "- fingerprint: `{}`",
        &r.fingerprint[..r.fingerprint.len().min(12)]
    );
    if let Some(j) = &r.justification {
        let _ = writeln!(out, "- justified: {}", one_line(j));
    }
    if let Some(f) = r.file {
        let place = crate::trace::location_words(&o.location).unwrap_or_else(|| {
            let lc = run.sources.line_col(f, r.span.start as usize);
            format!("line {}", lc.line)
        });
        let _ = writeln!(out, "- in {}, {place}", code(&run.sources.name(f)));
    }
    if !r.links.is_empty() {
        let _ = writeln!(out, "- covered by:");
        for &l in r.links.iter().take(LISTED) {
            let link = &t.trace.links[l];
            let a = &t.trace.artifacts[link.artifact];
            let _ = writeln!(
                out,
                "  - {} {} ({})",
                a.kind.as_str(),
                code(&a.name),
                link.status.as_str()
            );
        }
        if r.links.len() > LISTED {
            let _ = writeln!(out, "  - … {} more", r.links.len() - LISTED);
        }
    }
    let text = o.text.trim();
    if !text.is_empty() {
        let _ = writeln!(out, "\n{}", quote(text));
    }
}

/// Text as a Markdown block quote.
fn quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Hover of a role, window, resource, person or position: its declaration line(s) and
/// how many times it is used.
fn named(out: &mut String, run: &Run, data: &Data, id: u32, what: &str, name: &str) {
    let _ = writeln!(out, "**{what}** {}\n", code(name));
    declaration(out, run, data, id);
}

fn declaration(out: &mut String, run: &Run, data: &Data, id: u32) {
    let defs: Vec<Span> = data.definitions(id).collect();
    if defs.is_empty() {
        let _ = writeln!(out, "not declared");
    }
    for d in defs.iter().take(LISTED) {
        let f = run.sources.get(d.file);
        let line = f.line_index.line_of(d.start as usize);
        let range = f.line_index.line_range(&f.text, line);
        let text = f.text.get(range).unwrap_or("").trim();
        // A very long line is cut at a character boundary.
        let mut cut = text.len().min(200);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let _ = writeln!(out, "{}, line {}:", run.sources.name(d.file), line + 1);
        block(out, "opsplan", &text[..cut]);
    }
    let _ = writeln!(out, "\n{} use(s)", data.use_count(id));
}

/// The documentation of a rule code, as `opsplan rule CODE` prints it.
pub fn code_doc(code: &str) -> Option<String> {
    crate::checks::documentation(crate::diag::Code::lookup(code)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::check_texts;

    const PLAN: &str = "plan P {\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles FD\n  window ART every 92m lasting 40m from 2014/272 00:10\n  phase one \"First\" {\n    activity A1 \"Tag-up\" { at 2014/272 06:30 lasts 30m by FD needs ART }\n    activity A2 { after A1 + 5m lasts 10m by FD }\n  }\n  waive FR-1 for A2 ref \"CR-1\"\n}\n";
    const RULES: &str = "rules:\n  - id: FR-1\n    title: Tag-ups at least 1 h apart\n    kind: min_separation\n    select: { role: FD }\n    min: 1h\n";

    fn at(run: &Run, file: u32, needle: &str, nth: usize) -> usize {
        let text = run.sources.text(FileId(file));
        text.match_indices(needle).nth(nth).expect(needle).0 + 1
    }

    #[test]
    fn an_activity_shows_its_resolved_times_phase_and_windows() {
        let run = check_texts(&[("p.plan", PLAN), ("rules.yaml", RULES)]);
        let data = super::super::index::build(&run);
        let h = hover(&run, &data, FileId(0), at(&run, 0, "A2", 0)).unwrap();
        assert_eq!(run.sources.slice(h.span), "A2");
        assert!(
            h.markdown.contains("- start: 2014/272 07:05"),
            "{}",
            h.markdown
        );
        assert!(
            h.markdown.contains("- end: 2014/272 07:15"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("- duration: 10m"), "{}", h.markdown);
        assert!(
            h.markdown.contains("- phase: `one` — First"),
            "{}",
            h.markdown
        );
        let h = hover(&run, &data, FileId(0), at(&run, 0, "A1 \"", 0)).unwrap();
        // ART opens at 00:10 + k·92m: 06:18 .. 06:58 holds 06:30.
        assert!(
            h.markdown
                .contains("- needs `ART`: open 2014/272 06:18 .. 2014/272 06:58"),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn a_waiver_names_a_flight_rule_shown_with_its_yaml() {
        let run = check_texts(&[("p.plan", PLAN), ("rules.yaml", RULES)]);
        let data = super::super::index::build(&run);
        let h = hover(&run, &data, FileId(0), at(&run, 0, "FR-1", 0)).unwrap();
        assert!(h
            .markdown
            .starts_with("**flight rule** `FR-1` — Tag-ups at least 1 h apart"));
        assert!(
            h.markdown.contains("```yaml\n  - id: FR-1\n    title:"),
            "{}",
            h.markdown
        );
        let h = hover(&run, &data, FileId(0), at(&run, 0, "ART", 1)).unwrap();
        assert!(
            h.markdown.ends_with("plan `P`: kind other, 16 opening(s) in the horizon, the first 2014/272 00:10 .. 2014/272 00:50\n"),
            "{}",
            h.markdown
        );
        let h = hover(&run, &data, FileId(0), at(&run, 0, "FD", 0)).unwrap();
        assert!(h.markdown.contains("**role** `FD`"), "{}", h.markdown);
        assert!(
            h.markdown
                .contains("p.plan, line 3:\n```opsplan\nroles FD\n```"),
            "{}",
            h.markdown
        );
        assert!(h.markdown.contains("2 use(s)"), "{}", h.markdown);
    }

    #[test]
    fn code_doc_is_what_opsplan_rule_prints() {
        let doc = code_doc("R001").unwrap();
        assert!(doc.starts_with("# R001 "), "{doc}");
        assert!(code_doc("Z999").is_none());
    }
}
