//! Code actions: quick fixes for the findings of a file.
//!
//! - every "did you mean" of a finding: replace the misspelt name (the finding's primary
//!   span) with each suggestion, preferred when there is one and it is a slip;
//! - an uncovered requirement (`Q007`): add a justification under
//!   `requirements: justified:` of the project file;
//! - an undefined role (`R004`): declare it in the plan (after its last `roles` line).
//!
//! The suggestions are read back from the finding's help text, as
//! [`crate::diag::Suggestion::did_you_mean`] writes it; their closeness is computed
//! again from the name as written.

use super::{Action, TextEdit};
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::workspace::Run;
use std::ops::Range;
use std::path::PathBuf;

/// The value written for a new justification: empty, so that the project file is an
/// error at it ("gives no reason") until the reviewer writes why the gap is accepted; a
/// placeholder text would pass as a reason.
pub(crate) const JUSTIFICATION_PLACEHOLDER: &str = "";

pub(super) fn code_actions(run: &Run, file: FileId, range: Range<usize>) -> Vec<Action> {
    let mut out = Vec::new();
    for (i, d) in run.diagnostics.iter().enumerate() {
        let s = d.primary.span;
        if s.file != file || !touches(s, &range) {
            continue;
        }
        did_you_mean(run, i, d, &mut out);
        match d.code {
            Code::UncoveredRequirement => justify(run, i, d, &mut out),
            Code::UndefinedRole => declare_role(run, i, d, &mut out),
            _ => {}
        }
    }
    out
}

/// True when the span and the range overlap or touch (a cursor on the span's edge).
fn touches(s: Span, r: &Range<usize>) -> bool {
    (s.start as usize) <= r.end && r.start <= (s.end as usize)
}

/// The names of "did you mean `A`, `B` or `C`?" in `help`.
pub(crate) fn suggestions(help: &str) -> Vec<String> {
    let Some(at) = help.find("did you mean ") else {
        return Vec::new();
    };
    let mut rest = &help[at + "did you mean ".len()..];
    let mut names = Vec::new();
    loop {
        let Some(r) = rest.strip_prefix('`') else {
            return Vec::new();
        };
        let Some(end) = r.find('`') else {
            return Vec::new();
        };
        names.push(r[..end].to_string());
        rest = &r[end + 1..];
        if rest.starts_with('?') {
            return names;
        } else if let Some(r) = rest.strip_prefix(", ") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix(" or ") {
            rest = r;
        } else {
            return Vec::new();
        }
    }
}

fn path_of(run: &Run, file: FileId) -> PathBuf {
    run.sources.path(file).to_path_buf()
}

fn did_you_mean(run: &Run, i: usize, d: &Diagnostic, out: &mut Vec<Action>) {
    let Some(help) = &d.help else {
        return;
    };
    let names = suggestions(help);
    if names.is_empty() {
        return;
    }
    let span = d.primary.span;
    let written = run.sources.slice(span);
    // Only a name is replaced: a primary span over more than one word is not one.
    if written.is_empty() || written.contains(char::is_whitespace) {
        return;
    }
    let slip = names.len() == 1
        && crate::diag::did_you_mean(written, names.iter().map(String::as_str))
            .is_some_and(|s| s.is_slip());
    for n in &names {
        out.push(Action {
            title: format!("replace `{written}` with `{n}`"),
            diagnostic: Some(i),
            edits: vec![TextEdit {
                path: path_of(run, span.file),
                range: span.range(),
                new_text: n.clone(),
            }],
            preferred: slip,
        });
    }
}

/// The id between the first pair of backticks of a message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

/// A YAML key for an id: plain when it is safe so, else double-quoted.
fn yaml_key(id: &str) -> String {
    let plain = id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if plain {
        id.to_string()
    } else {
        let escaped: String = id
            .chars()
            .flat_map(|c| match c {
                '"' => vec!['\\', '"'],
                '\\' => vec!['\\', '\\'],
                c => vec![c],
            })
            .collect();
        format!("\"{escaped}\"")
    }
}

/// The project file's text: the run's copy when it holds one, else as on disk (bounded),
/// else nothing.
fn project_text(run: &Run, path: &std::path::Path) -> Option<String> {
    if let Some(id) = run.sources.ids().find(|&f| run.sources.path(f) == path) {
        return Some(run.sources.text(id).to_string());
    }
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(1 << 20)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Content lines: not blank, not a comment.
fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// Lines of `text` with their start offsets (line ends kept).
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        out.push((at, l));
        at += l.len();
    }
    out
}

/// The edit adding `key: "…"` under `requirements: justified:` of a project file's text:
/// after the last entry of an existing block `justified:`, else as a new `justified:`
/// first under `requirements:`, else a new `requirements:` section at the end. `None`
/// when `justified:` is written in flow style (`justified: { … }`), which is left to the
/// writer.
pub(crate) fn justification_edit(text: &str, id: &str) -> Option<(Range<usize>, String)> {
    let key = yaml_key(id);
    let value = format!("\"{JUSTIFICATION_PLACEHOLDER}\"");
    let ls = lines(text);
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let top = ls
        .iter()
        .position(|(_, l)| indent_of(l) == 0 && l.trim_end().starts_with("requirements:"));
    let Some(top) = top else {
        let sep = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            eol
        };
        return Some((
            text.len()..text.len(),
            format!("{sep}requirements:{eol}  justified:{eol}    {key}: {value}{eol}"),
        ));
    };
    // The section: the lines after `requirements:` up to the next top-level key.
    let end = ls[top + 1..]
        .iter()
        .position(|(_, l)| is_content(l) && indent_of(l) == 0)
        .map_or(ls.len(), |k| top + 1 + k);
    let child = ls[top + 1..end]
        .iter()
        .find(|(_, l)| is_content(l))
        .map_or(2, |(_, l)| indent_of(l));
    let justified = (top + 1..end).find(|&k| {
        let l = ls[k].1;
        indent_of(l) == child && l.trim_start().starts_with("justified:")
    });
    match justified {
        Some(k) => {
            let after = ls[k].1.trim_start()["justified:".len()..].trim();
            if !after.is_empty() && !after.starts_with('#') {
                return None;
            }
            // Its entries: the lines below indented deeper; the new one after the last.
            let mut last = k;
            let mut entry_indent = None;
            for (j, (_, l)) in ls.iter().enumerate().take(end).skip(k + 1) {
                if !is_content(l) {
                    continue;
                }
                if indent_of(l) <= child {
                    break;
                }
                entry_indent.get_or_insert(indent_of(l));
                last = j;
            }
            let indent = " ".repeat(entry_indent.unwrap_or(child + 2));
            let (at, l) = ls[last];
            let at = at + l.len();
            let sep = if l.ends_with('\n') { "" } else { eol };
            Some((at..at, format!("{sep}{indent}{key}: {value}{eol}")))
        }
        None => {
            let (at, l) = ls[top];
            let at = at + l.len();
            let sep = if l.ends_with('\n') { "" } else { eol };
            let i1 = " ".repeat(child);
            let i2 = " ".repeat(child * 2);
            Some((
                at..at,
                format!("{sep}{i1}justified:{eol}{i2}{key}: {value}{eol}"),
            ))
        }
    }
}

fn justify(run: &Run, i: usize, d: &Diagnostic, out: &mut Vec<Action>) {
    let Some(path) = run.project.file.clone() else {
        return;
    };
    // The requirement: the trace's entry at the finding's place, else the message's id.
    let id = run
        .traced
        .as_ref()
        .and_then(|t| {
            t.trace
                .requirements
                .iter()
                .find(|r| r.span == d.primary.span)
                .map(|r| r.id.clone())
        })
        .or_else(|| quoted(&d.message).map(str::to_string));
    let Some(id) = id else {
        return;
    };
    let Some(text) = project_text(run, &path) else {
        return;
    };
    let Some((range, new_text)) = justification_edit(&text, &id) else {
        return;
    };
    out.push(Action {
        title: format!("add a justification for `{id}` to {}", path.display()),
        diagnostic: Some(i),
        edits: vec![TextEdit {
            path,
            range,
            new_text,
        }],
        preferred: false,
    });
}

fn declare_role(run: &Run, i: usize, d: &Diagnostic, out: &mut Vec<Action>) {
    let span = d.primary.span;
    let name = run.sources.slice(span);
    if name.is_empty() || name.contains(char::is_whitespace) {
        return;
    }
    let m = &run.model;
    // The plan the reference is in, else (a procedure's) the first plan declaring roles.
    let plan = m
        .plans
        .iter()
        .find(|p| p.file == span.file && p.span.start <= span.start && span.end <= p.span.end)
        .or_else(|| m.plans.iter().find(|p| !p.roles.is_empty()))
        .or_else(|| m.plans.first());
    let Some(plan) = plan else {
        return;
    };
    // The declaration the help proposes (`roles FE-7 in CREW`), else `roles NAME`.
    let declaration = d
        .help
        .as_deref()
        .and_then(|h| {
            let at = h.find("declare it")?;
            let rest = &h[at..];
            let start = rest.find("`roles ")? + 1;
            let end = start + rest[start..].find('`')?;
            Some(rest[start..end].to_string())
        })
        .unwrap_or_else(|| format!("roles {name}"));
    let file = plan.file;
    let text = run.sources.text(file);
    let li = &run.sources.get(file).line_index;
    // After the line of the last role declared, with its indentation; else after the
    // plan's opening line.
    let anchor = plan
        .roles
        .iter()
        .map(|r| r.name.span.start)
        .max()
        .or_else(|| {
            let from = plan.id.span.end as usize;
            text.get(from..)?.find('{').map(|k| (from + k) as u32)
        });
    let Some(anchor) = anchor else {
        return;
    };
    let line = li.line_of(anchor as usize);
    let lr = li.line_range(text, line);
    let indent = if plan.roles.is_empty() {
        "  ".to_string()
    } else {
        let l = &text[lr.clone()];
        l[..l.len() - l.trim_start().len()].to_string()
    };
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // At the end of that line, before its line end.
    let at = lr.end;
    out.push(Action {
        title: format!("declare role `{name}` in plan {}", plan.id.value),
        diagnostic: Some(i),
        edits: vec![TextEdit {
            path: path_of(run, file),
            range: at..at,
            new_text: format!("{eol}{indent}{declaration}"),
        }],
        preferred: false,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::check_texts;

    #[test]
    fn suggestions_are_read_back_from_the_help() {
        assert_eq!(suggestions("did you mean `A1`?"), ["A1"]);
        assert_eq!(
            suggestions("did you mean `A`, `B` or `C`? If `X` is new"),
            ["A", "B", "C"]
        );
        assert!(suggestions("declare it: `roles X`").is_empty());
        assert!(suggestions("did you mean `A").is_empty());
    }

    const PLAN: &str = "plan P {\n  roles FD, GC\n  roles MCC-M\n  activity A1 { at 2014/272 06:30 lasts 30m by FD }\n  activity A2 { after AI lasts 10m by GSC }\n}\n";

    fn apply(text: &str, e: &TextEdit) -> String {
        format!(
            "{}{}{}",
            &text[..e.range.start],
            e.new_text,
            &text[e.range.end..]
        )
    }

    #[test]
    fn a_misspelt_activity_is_replaced_by_the_suggestion() {
        let run = check_texts(&[("p.plan", PLAN)]);
        let at = PLAN.find("AI").unwrap();
        let actions = code_actions(&run, FileId(0), at..at);
        let a = actions
            .iter()
            .find(|a| a.title == "replace `AI` with `A1`")
            .expect("a quick fix");
        assert!(a.preferred, "a confusable: a slip");
        assert_eq!(a.edits[0].range, at..at + 2);
        assert_eq!(a.edits[0].new_text, "A1");
    }

    #[test]
    fn an_undefined_role_is_declared_after_the_last_roles_line() {
        let run = check_texts(&[("p.plan", PLAN)]);
        let at = PLAN.find("GSC").unwrap();
        let actions = code_actions(&run, FileId(0), at..at + 3);
        let a = actions
            .iter()
            .find(|a| a.title.starts_with("declare role `GSC`"))
            .expect("a declaration");
        let fixed = apply(PLAN, &a.edits[0]);
        assert!(
            fixed.contains("  roles MCC-M\n  roles GSC\n  activity A1"),
            "{fixed}"
        );
    }

    #[test]
    fn a_justification_goes_under_the_existing_key_or_a_new_one() {
        let text = "inputs: [a.plan]\nrequirements:\n  sources: r.csv\n  justified:\n    R-1: \"x\"\n\ndocument:\n  number: 1\n";
        let (r, t) = justification_edit(text, "R-2").unwrap();
        let fixed = format!("{}{t}{}", &text[..r.start], &text[r.end..]);
        assert!(
            fixed.contains(&format!(
                "    R-1: \"x\"\n    R-2: \"{JUSTIFICATION_PLACEHOLDER}\"\n\ndocument:"
            )),
            "{fixed}"
        );
        let text = "requirements:\n    sources: r.csv\n";
        let (r, t) = justification_edit(text, "REQ 1").unwrap();
        let fixed = format!("{}{t}{}", &text[..r.start], &text[r.end..]);
        assert_eq!(
            fixed,
            format!("requirements:\n    justified:\n        \"REQ 1\": \"{JUSTIFICATION_PLACEHOLDER}\"\n    sources: r.csv\n")
        );
        let (r, t) = justification_edit("inputs: [a]", "R-1").unwrap();
        assert_eq!(r, 11..11);
        assert!(t.starts_with("\nrequirements:\n  justified:\n    R-1: "));
        assert!(justification_edit("requirements:\n  justified: { R-1: x }\n", "R-2").is_none());
    }
}
