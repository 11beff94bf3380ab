//! Completion. The document's current text may differ from the run's copy and may not
//! parse: the context is read from the text just before the cursor (the line so far,
//! and the enclosing block found by a backward scan of at most [`SCAN`] bytes), never by
//! parsing; the names offered come from the run.

use super::index::Data;
use super::{Completion, CompletionKind};
use crate::model::{Model, PlanIdx, ProcIdx};
use crate::source::FileId;
use crate::workspace::Run;

/// How far back the enclosing block and the line so far are looked for.
const SCAN: usize = 4096;

/// A character of a name or a version as typed.
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// The first keywords of the items of each block (docs/language.md, grammar/opsplan.pest).
fn block_keywords(block: &str) -> &'static [&'static str] {
    match block {
        "" => &["plan", "procedure", "scenario", "roster"],
        "plan" => &[
            "mission", "issue", "horizon", "use", "roles", "resource", "window", "phase",
            "activity", "waive",
        ],
        "phase" => &["activity"],
        "activity" => &[
            "at",
            "lasts",
            "by",
            "kind",
            "tags",
            "after",
            "before",
            "during",
            "starts with",
            "procedure",
            "uses",
            "needs",
            "until",
            "critical",
            "covers",
            "note",
        ],
        "procedure" => &[
            "version",
            "family",
            "roles",
            "covers",
            "requires",
            "contingency",
            "handles",
            "duration",
            "step",
        ],
        "step" => &[
            "command", "check", "poll", "wait", "call", "manual", "goto", "abort", "end", "note",
            "covers",
        ],
        "scenario" => &[
            "plan",
            "trainees",
            "instructor",
            "held",
            "outcome",
            "inject",
        ],
        "inject" => &["expect"],
        "roster" => &[
            "plan", "rules", "position", "person", "duty", "shift", "oncall", "assign",
        ],
        "rules" => &[
            "daily rest",
            "weekly rest",
            "max shift",
            "max week",
            "max nights",
            "night",
            "handover",
        ],
        "position" => &[
            "fills",
            "continuous",
            "minimum",
            "trainees alone",
            "handover",
        ],
        "person" => &["qualified", "trainee"],
        "duty" => &["continuous", "response"],
        _ => &[],
    }
}

/// What the cursor's context asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Want {
    Keywords,
    Activities,
    Procedures,
    Versions(String),
    Steps,
    Roles,
    RolesAndPeople,
    Resources,
    Windows,
    PhasesAndWindows,
    Requirements,
    FlightRules,
    Plans,
    People,
    Positions,
    Nothing,
}

/// The tokens of a line: names, and punctuation one character each; strings dropped.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            // To the closing quote (escapes skipped), or the end of the line.
            let mut escaped = false;
            for (_, d) in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == '"' {
                    break;
                }
            }
        } else if c == '/' && chars.peek().is_some_and(|&(_, d)| d == '/') {
            break;
        } else if word_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !word_char(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push(&line[i..end]);
        } else if !c.is_whitespace() {
            out.push(&line[i..i + c.len_utf8()]);
        }
    }
    out
}

/// The keyword of the block enclosing `offset`: the first word of the line of the
/// nearest unmatched `{` before it, at most [`SCAN`] bytes back ("" at the top).
fn enclosing_block(text: &str, offset: usize) -> &str {
    let mut from = offset.saturating_sub(SCAN);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = offset;
    while i > from {
        i -= 1;
        match bytes[i] {
            b'}' => depth += 1,
            b'{' if depth == 0 => {
                let line_start = text[from..i]
                    .rfind(['\n', '\r'])
                    .map_or(from, |k| from + k + 1);
                let head = &text[line_start..i];
                return head
                    .split(|c: char| !word_char(c))
                    .find(|w| !w.is_empty())
                    .unwrap_or("");
            }
            b'{' => depth -= 1,
            _ => {}
        }
    }
    ""
}

fn is_name(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// What the tokens before the cursor ask for, in `block`.
fn want(block: &str, before: &[&str], prefix: &str) -> Want {
    // Inside a block opened on this line, only what follows its `{` counts.
    let start = before.iter().rposition(|t| *t == "{").map_or(0, |k| k + 1);
    let mut t = &before[start..];
    if t.is_empty() {
        return Want::Keywords;
    }
    // A version after a procedure id: `call PR v`.
    if let [.., kw, id] = t {
        if matches!(*kw, "call" | "procedure" | "contingency" | "expect")
            && is_name(id)
            && (prefix.is_empty() || prefix.starts_with('v'))
        {
            return Want::Versions(id.to_string());
        }
    }
    // Lists: `by FD, GC, `, `needs ART & TDRS | `.
    while let [rest @ .., name, sep] = t {
        if matches!(*sep, "," | "&" | "|") && is_name(name) {
            t = rest;
        } else {
            break;
        }
    }
    let Some(&kw) = t.last() else {
        return Want::Keywords;
    };
    let prev = t.len().checked_sub(2).map(|k| t[k]);
    let first = t.first().copied().unwrap_or("");
    match kw {
        "after" | "before" => Want::Activities,
        "with" if prev == Some("starts") => Want::Activities,
        "during" if block == "position" || block == "duty" || prev == Some("continuous") => {
            Want::PhasesAndWindows
        }
        "during" | "until" => Want::Activities,
        "at" if matches!(block, "activity" | "scenario") => Want::Activities,
        "call" | "contingency" | "expect" => Want::Procedures,
        "procedure" if block == "activity" => Want::Procedures,
        "goto" => Want::Steps,
        "by" | "manual" | "poll" | "fills" | "in" => Want::Roles,
        "roles" if block == "procedure" => Want::Roles,
        "trainees" if block == "scenario" => Want::RolesAndPeople,
        "uses" => Want::Resources,
        "needs" | "coverage" => Want::Windows,
        "covers" => Want::Requirements,
        "waive" => Want::FlightRules,
        "for" if first == "waive" => Want::Activities,
        "to" if first == "assign" => Want::Activities,
        "plan" if block == "scenario" || block == "roster" => Want::Plans,
        "instructor" | "under" | "shift" | "oncall" | "assign" => Want::People,
        "qualified" | "trainee" => Want::Positions,
        _ if first == "shift" && t.len() == 2 => Want::Positions,
        // A keyword that takes a value (`lasts 30m`, `kind od`); `critical` takes none.
        "critical" => Want::Keywords,
        _ if is_name(kw) && block_keywords(block).contains(&kw) => Want::Nothing,
        _ => Want::Keywords,
    }
}

/// The plan the cursor is about: the plan of this file holding it, else the plan of the
/// file's scenarios or rosters, else the file's first plan.
fn context_plan(m: &Model, file: FileId, offset: usize) -> Option<PlanIdx> {
    let off = offset as u32;
    let in_file = || m.plans.iter().enumerate().filter(|(_, p)| p.file == file);
    in_file()
        .find(|(_, p)| p.span.start <= off && off <= p.span.end)
        .map(|(i, _)| i)
        .or_else(|| {
            m.scenarios
                .iter()
                .filter(|s| s.file == file)
                .find_map(|s| s.plan)
        })
        .or_else(|| {
            m.staffing
                .iter()
                .filter(|s| s.file == file)
                .find_map(|s| s.plan)
        })
        .or_else(|| in_file().next().map(|(i, _)| i))
}

/// The procedure of this file whose text holds the cursor (the last one starting before).
fn context_procedure(m: &Model, file: FileId, offset: usize) -> Option<ProcIdx> {
    let off = offset as u32;
    m.procedures
        .iter()
        .enumerate()
        .filter(|(_, p)| p.file == file && p.ast.span.start <= off)
        .max_by_key(|(_, p)| p.ast.span.start)
        .map(|(i, _)| i)
}

struct Out<'p> {
    prefix: &'p str,
    items: Vec<Completion>,
}

impl Out<'_> {
    fn push(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: Option<String>,
        doc: Option<String>,
    ) {
        let matches = label.len() >= self.prefix.len()
            && label.is_char_boundary(self.prefix.len())
            && label[..self.prefix.len()].eq_ignore_ascii_case(self.prefix);
        if matches {
            self.items.push(Completion {
                label: label.to_string(),
                kind,
                detail,
                documentation: doc,
                insert_text: label.to_string(),
            });
        }
    }
}

pub(super) fn complete(
    run: &Run,
    _data: &Data,
    file: FileId,
    text: &str,
    offset: usize,
) -> Vec<Completion> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // The line so far, at most SCAN bytes of it: never a walk over a long line.
    let mut from = offset.saturating_sub(SCAN);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let line_start = text[from..offset]
        .rfind(['\n', '\r'])
        .map_or(from, |k| from + k + 1);
    let line = &text[line_start..offset];
    let word_len = line
        .chars()
        .rev()
        .take_while(|&c| word_char(c))
        .map(char::len_utf8)
        .sum::<usize>();
    let prefix = &line[line.len() - word_len..];
    let before = tokens(&line[..line.len() - word_len]);
    // Inside a string or after a comment: nothing.
    let quotes = line[..line.len() - word_len].matches('"').count()
        - line[..line.len() - word_len].matches("\\\"").count();
    if quotes % 2 == 1 || line.contains("//") {
        return Vec::new();
    }
    let block = enclosing_block(text, offset - word_len);
    let want = want(block, &before, prefix);
    let m = &run.model;
    let plan = context_plan(m, file, offset);
    let mut out = Out {
        prefix,
        items: Vec::new(),
    };
    match want {
        Want::Nothing => {}
        Want::Keywords => {
            for k in block_keywords(block) {
                out.push(k, CompletionKind::Keyword, None, None);
            }
        }
        Want::Activities => {
            if let Some(p) = plan {
                let p = &m.plans[p];
                for a in &p.activities {
                    let detail = a.ast.title.as_ref().map(|t| t.value.clone());
                    out.push(&a.ast.id.value, CompletionKind::Activity, detail, None);
                }
            }
        }
        Want::Procedures => {
            let mut ids: Vec<(&String, &Vec<ProcIdx>)> = m.procedure_index.iter().collect();
            ids.sort();
            for (id, versions) in ids {
                let last = versions.last().map(|&p| &m.procedures[p]);
                let detail = last.and_then(|p| p.ast.title.as_ref().map(|t| t.value.clone()));
                out.push(id, CompletionKind::Procedure, detail, None);
            }
        }
        Want::Versions(id) => {
            for v in m.versions_of(&id) {
                let label = format!("v{v}");
                let detail = m
                    .resolve_procedure(&id, Some(v))
                    .and_then(|p| m.procedures[p].ast.title.as_ref().map(|t| t.value.clone()));
                out.push(&label, CompletionKind::Procedure, detail, None);
            }
        }
        Want::Steps => {
            if let Some(p) = context_procedure(m, file, offset) {
                for s in &m.procedures[p].ast.steps {
                    let detail = s.title.as_ref().map(|t| t.value.clone());
                    out.push(&s.label.value, CompletionKind::Step, detail, None);
                }
            }
        }
        Want::Roles | Want::RolesAndPeople => {
            roles(&mut out, m, plan);
            if want == Want::RolesAndPeople {
                people(&mut out, m, plan);
            }
        }
        Want::Resources => {
            if let Some(p) = plan {
                for r in &m.plans[p].resources {
                    let detail = r.description.as_ref().map(|d| d.value.clone());
                    out.push(&r.name.value, CompletionKind::Resource, detail, None);
                }
            }
        }
        Want::Windows => windows(&mut out, m, plan),
        Want::PhasesAndWindows => {
            if let Some(p) = plan {
                for ph in &m.plans[p].phases {
                    out.push(
                        &ph.name.value,
                        CompletionKind::Phase,
                        ph.title.clone(),
                        None,
                    );
                }
            }
            windows(&mut out, m, plan);
        }
        Want::Requirements => {
            if let Some(t) = &run.traced {
                for r in &t.trace.requirements {
                    let o = t.trace.object(&t.exports, r);
                    out.push(
                        &r.id,
                        CompletionKind::Requirement,
                        o.heading
                            .clone()
                            .or_else(|| Some(r.status.as_str().to_string())),
                        Some(o.text.clone()),
                    );
                }
            }
        }
        Want::FlightRules => {
            for r in run.rule_sets.iter().flat_map(|s| &s.rules) {
                out.push(
                    &r.id,
                    CompletionKind::FlightRule,
                    Some(r.title.clone()),
                    None,
                );
            }
        }
        Want::Plans => {
            for p in &m.plans {
                out.push(&p.id.value, CompletionKind::Other, p.title.clone(), None);
            }
        }
        Want::People => people(&mut out, m, plan),
        Want::Positions => {
            for s in rosters(m, plan) {
                for pos in &s.positions {
                    out.push(
                        &pos.name.value,
                        CompletionKind::Position,
                        pos.title.clone(),
                        None,
                    );
                }
            }
        }
    }
    let mut items = out.items;
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items.dedup_by(|a, b| a.label == b.label);
    items
}

fn roles(out: &mut Out, m: &Model, plan: Option<PlanIdx>) {
    match plan {
        Some(p) => {
            for r in &m.plans[p].roles {
                out.push(&r.name.value, CompletionKind::Role, None, None);
            }
        }
        None => {
            for r in &m.all_roles {
                out.push(r, CompletionKind::Role, None, None);
            }
        }
    }
}

fn windows(out: &mut Out, m: &Model, plan: Option<PlanIdx>) {
    match plan {
        Some(p) => {
            for w in &m.plans[p].windows {
                let detail = w.decl.title.as_ref().map(|t| t.value.clone());
                out.push(&w.decl.name.value, CompletionKind::Window, detail, None);
            }
        }
        None => {
            for w in &m.all_windows {
                out.push(w, CompletionKind::Window, None, None);
            }
        }
    }
}

/// The rosters of the plan (all of them without one).
fn rosters(
    m: &Model,
    plan: Option<PlanIdx>,
) -> impl Iterator<Item = &crate::model::staffing::Staffing> {
    m.staffing
        .iter()
        .filter(move |s| plan.is_none() || s.plan == plan)
}

fn people(out: &mut Out, m: &Model, plan: Option<PlanIdx>) {
    for s in rosters(m, plan) {
        for p in &s.people {
            out.push(&p.id.value, CompletionKind::Person, p.name.clone(), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::check_texts;

    const PLAN: &str = "plan P {\n  roles FD, GC\n  resource OCS exclusive\n  window ART every 92m lasting 40m from 2014/272 00:10\n  activity A1 \"Tag-up\" { at 2014/272 06:30 lasts 30m by FD }\n  activity A2 { after A1 lasts 10m by FD procedure PR v2 }\n}\n";
    const PROC1: &str = "procedure PR \"one\" {\n  version 1\n  roles FD\n  step 1 \"Go\" { goto 2 }\n  step 2 { end }\n}\n";
    const PROC2: &str = "procedure PR \"two\" {\n  version 2\n  roles GC\n  step 1 { end }\n}\n";

    fn labels(run: &Run, file: u32, text: &str) -> Vec<String> {
        let offset = text.find('|').expect("a cursor");
        let text = text.replace('|', "");
        let data = super::super::index::build(run);
        complete(run, &data, FileId(file), &text, offset)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    fn run() -> Run {
        check_texts(&[("p.plan", PLAN), ("a.proc", PROC1), ("b.proc", PROC2)])
    }

    #[test]
    fn names_follow_the_keyword_before_the_cursor() {
        let run = run();
        let edit = |at: &str, with: &str| PLAN.replacen(at, with, 1);
        assert_eq!(labels(&run, 0, &edit("after A1", "after |")), ["A1", "A2"]);
        assert_eq!(labels(&run, 0, &edit("after A1", "after A|")), ["A1", "A2"]);
        assert_eq!(labels(&run, 0, &edit("by FD }", "by FD, |")), ["FD", "GC"]);
        assert_eq!(labels(&run, 0, &edit("by FD }", "by F|")), ["FD"]);
        assert_eq!(labels(&run, 0, &edit("by FD }", "uses |")), ["OCS"]);
        assert_eq!(labels(&run, 0, &edit("by FD }", "needs |")), ["ART"]);
        assert_eq!(
            labels(&run, 0, &edit("procedure PR v2", "procedure |")),
            ["PR"]
        );
        assert_eq!(
            labels(&run, 0, &edit("procedure PR v2", "procedure PR v|")),
            ["v1", "v2"]
        );
    }

    #[test]
    fn keywords_of_the_enclosing_block() {
        let run = run();
        let text = PLAN.replacen("  activity A1", "  wi|\n  activity A1", 1);
        assert_eq!(labels(&run, 0, &text), ["window"]);
        let text = PLAN.replacen("by FD }", "by FD cr| }", 1);
        assert_eq!(labels(&run, 0, &text), ["critical"]);
        // A document that does not parse still completes.
        let text = "plan P {\n  activity A3 { after | \n";
        assert_eq!(labels(&run, 0, text), ["A1", "A2"]);
    }

    #[test]
    fn a_long_line_is_read_only_near_the_cursor() {
        let run = run();
        // 1 MB of names on one line before the cursor: the answer comes from the last
        // few KB, whatever lies before.
        let text = format!(
            "plan P {{\n  activity A3 {{ by {}after |",
            "FD, ".repeat(250_000)
        );
        assert_eq!(labels(&run, 0, &text), ["A1", "A2"]);
    }

    #[test]
    fn steps_after_goto_in_the_enclosing_procedure() {
        let run = run();
        let text = PROC1.replacen("goto 2", "goto |", 1);
        assert_eq!(labels(&run, 1, &text), ["1", "2"]);
        let text = PROC1.replacen("goto 2", "\"no |", 1);
        assert!(labels(&run, 1, &text).is_empty(), "inside a string");
    }
}
