//! `opsplan diff OLD NEW`: what changed between two issues of a plan, as text for the
//! change request and JSON for tools.

use crate::workspace::plan_diff::PlanDiff;
use std::fmt::Write;

/// The text a change request can quote: a section per kind of change, then the summary.
pub fn text(d: &PlanDiff) -> String {
    crate::diag::terminal_safe(&text_raw(d)).into_owned()
}

/// [`text`] before control characters from the inputs are escaped.
fn text_raw(d: &PlanDiff) -> String {
    let mut out = String::new();
    for p in &d.plans {
        let issue = |i: &Option<String>| i.as_deref().map_or("?".to_string(), str::to_string);
        let _ = writeln!(
            out,
            "{} issue {} → issue {}  ({} → {})",
            p.id,
            issue(&p.old_issue),
            issue(&p.new_issue),
            p.old_file,
            p.new_file
        );
        let section = |out: &mut String, title: &str, lines: Vec<String>| {
            if lines.is_empty() {
                return;
            }
            let _ = writeln!(out, "{title} ({}):", lines.len());
            for l in lines {
                let _ = writeln!(out, "  {l}");
            }
        };
        let act = |a: &crate::workspace::plan_diff::ActivityRef| {
            let mut s = a.id.clone();
            if let Some(t) = &a.title {
                s.push_str(&format!(" \"{t}\""));
            }
            s.push_str(&format!(" {}", a.when));
            if !a.roles.is_empty() {
                s.push_str(&format!(" by {}", a.roles.join(", ")));
            }
            s
        };
        section(&mut out, "added", p.added.iter().map(act).collect());
        section(&mut out, "removed", p.removed.iter().map(act).collect());
        section(
            &mut out,
            "moved",
            p.moved
                .iter()
                .map(|m| {
                    let mut s = format!("{} {}: {} → {}", m.id, m.shift, m.old, m.new);
                    if let Some(dc) = &m.duration_change {
                        s.push_str(&format!(" (duration {dc})"));
                    }
                    s
                })
                .collect(),
        );
        section(
            &mut out,
            "re-assigned",
            p.reassigned
                .iter()
                .map(|r| format!("{}: {} → {}", r.id, roles(&r.old), roles(&r.new)))
                .collect(),
        );
        section(
            &mut out,
            "relations",
            p.relations
                .iter()
                .map(|c| format!("{}: {} → {}", c.id, or_none(&c.old), or_none(&c.new)))
                .collect(),
        );
        section(
            &mut out,
            "procedures",
            p.procedures
                .iter()
                .map(|c| format!("{}: {} → {}", c.id, or_none(&c.old), or_none(&c.new)))
                .collect(),
        );
        section(
            &mut out,
            "windows",
            p.windows
                .iter()
                .map(|w| {
                    let mut s = format!("{}: {} → {} occurrences", w.id, w.old_count, w.new_count);
                    for (sign, list, count) in [
                        ("-", &w.removed, w.removed_count),
                        ("+", &w.added, w.added_count),
                    ] {
                        for occ in list.iter().take(MAX_OCCURRENCES) {
                            s.push_str(&format!("\n      {sign} {occ}"));
                        }
                        let shown = list.len().min(MAX_OCCURRENCES) as u64;
                        if count > shown {
                            s.push_str(&format!("\n      {sign} … {} more", count - shown));
                        }
                    }
                    if !w.compared_all {
                        s.push_str(&format!(
                            "\n      (the first {} occurrences compared; the rest were not)",
                            crate::workspace::plan_diff::MAX_COMPARED_OCCURRENCES
                        ));
                    }
                    s
                })
                .collect(),
        );
        let declared = |c: &crate::workspace::plan_diff::Changed| {
            format!("{}: {} → {}", c.id, or_none(&c.old), or_none(&c.new))
        };
        section(&mut out, "phases", p.phases.iter().map(declared).collect());
        section(
            &mut out,
            "resources",
            p.resources.iter().map(declared).collect(),
        );
        section(&mut out, "roles", p.roles.iter().map(declared).collect());
        section(
            &mut out,
            "waivers",
            p.waivers.iter().map(declared).collect(),
        );
    }
    for id in &d.plans_added {
        let _ = writeln!(out, "plan added: {id}");
    }
    for id in &d.plans_removed {
        let _ = writeln!(out, "plan removed: {id}");
    }
    if !d.flight_rules.is_empty() {
        let _ = writeln!(out, "flight rules ({}):", d.flight_rules.len());
        for r in &d.flight_rules {
            let _ = writeln!(out, "  {}: {} → {}", r.rule, r.old, r.new);
        }
    }
    let _ = writeln!(
        out,
        "project files: {} → {}",
        d.old_project_file.describe(),
        d.new_project_file.describe()
    );
    let _ = writeln!(out, "summary: {}", d.summary);
    out
}

/// Occurrences listed per window and side in the text (JSON lists them all).
const MAX_OCCURRENCES: usize = 6;

fn roles(r: &[String]) -> String {
    if r.is_empty() {
        "(no role)".into()
    } else {
        r.join(", ")
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "(none)"
    } else {
        s
    }
}

/// The diff as JSON (format version 1).
pub fn json(d: &PlanDiff) -> String {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        version: u32,
        #[serde(flatten)]
        diff: &'a PlanDiff,
    }
    let mut s = serde_json::to_string_pretty(&Doc {
        version: 1,
        diff: d,
    })
    .unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
