//! `opsplan agenda` as text (aligned, for an 80-100 column terminal or a printer) and
//! JSON (the view serialised). The sheet is computed by `workspace::agenda`.

use crate::workspace::agenda::{Agenda, Entry, Sheet, StaffingView};
use std::fmt::Write;

/// Column rule under section headings.
const RULE: usize = 78;

/// The sheets, one after the other.
pub fn text(agenda: &Agenda) -> String {
    crate::diag::terminal_safe(&text_raw(agenda)).into_owned()
}

/// [`text`] before control characters from the inputs are escaped.
fn text_raw(agenda: &Agenda) -> String {
    let mut out = String::new();
    for (i, sheet) in agenda.sheets.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&"=".repeat(RULE));
            out.push_str("\n\n");
        }
        sheet_text(sheet, &mut out);
    }
    out
}

/// The view as JSON (pretty, with a final newline).
pub fn json(agenda: &Agenda) -> String {
    let mut s = serde_json::to_string_pretty(agenda).expect("the view serialises");
    s.push('\n');
    s
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}");
    out.push_str(&"-".repeat(title.chars().count().clamp(3, RULE)));
    out.push('\n');
}

fn sheet_text(s: &Sheet, out: &mut String) {
    let issue = s
        .issue
        .as_ref()
        .map(|i| format!(" issue {i}"))
        .unwrap_or_default();
    let title = s
        .title
        .as_ref()
        .map(|t| format!(": {t}"))
        .unwrap_or_default();
    let _ = writeln!(out, "SHIFT SHEET  {}{issue}{title}", s.plan);
    if let Some(m) = &s.mission {
        let _ = writeln!(out, "Mission      {m}");
    }
    let _ = writeln!(out, "Plan file    {}", s.file);
    let _ = writeln!(out, "Project file {}", s.project_file.describe());
    let _ = writeln!(out, "Shift        {} .. {} ({}h)", s.at, s.until, s.hours);
    if let Some(h) = &s.horizon {
        let _ = writeln!(out, "Horizon      {h}");
    }
    let _ = writeln!(
        out,
        "Check        {} ({} error{}, {} warning{})",
        s.verdict,
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings)
    );
    if let Some(w) = &s.warning {
        out.push('\n');
        wrap(out, &format!("!! WARNING: {w}"), "!! ");
    }
    if let Some(n) = &s.horizon_note {
        out.push('\n');
        wrap(out, &format!("Note: {n}"), "      ");
    }
    for st in &s.staffing {
        staffing_text(st, &s.at, s.filtered, out);
    }
    if s.roles.is_empty() {
        let _ = writeln!(out, "\nThe plan declares no role.");
    }
    for r in &s.roles {
        let mut title = format!("ROLE {}", r.role);
        if let Some(g) = &r.group {
            let _ = write!(title, " (in {g})");
        }
        if !r.members.is_empty() {
            let _ = write!(title, " (group of {})", r.members.join(", "));
        }
        if !r.declared {
            title.push_str(" (not declared in the plan)");
        }
        heading(out, &title);
        if r.running.is_empty() && r.next.is_empty() {
            out.push_str("  nothing running, nothing starting in this shift\n");
            continue;
        }
        let width = r
            .running
            .iter()
            .chain(&r.next)
            .map(|e| e.id.chars().count())
            .max()
            .unwrap_or(0);
        if r.running.is_empty() {
            let _ = writeln!(out, "  Running at {}: nothing", s.at);
        } else {
            let _ = writeln!(out, "  Running at {}:", s.at);
            for e in &r.running {
                entry(out, e, width);
            }
        }
        if r.next.is_empty() {
            out.push_str("  Next: nothing starts in this shift\n");
        } else {
            out.push_str("  Next:\n");
            for e in &r.next {
                entry(out, e, width);
            }
        }
    }
    windows_text(s, out);
    if !s.not_scheduled.is_empty() {
        heading(out, "NOT SCHEDULED (time unknown)");
        let width = s
            .not_scheduled
            .iter()
            .map(|u| u.id.chars().count())
            .max()
            .unwrap_or(0);
        for u in &s.not_scheduled {
            let by = if u.by.is_empty() {
                String::new()
            } else {
                format!("  by {}", u.by.join(", "))
            };
            let crit = if u.critical { "  CRITICAL" } else { "" };
            let _ = writeln!(
                out,
                "  {:<width$}  {}{by}{crit}",
                u.id,
                u.title.as_deref().unwrap_or("")
            );
            let _ = writeln!(out, "  {:<width$}  why: {}", "", u.reason);
        }
        if s.not_scheduled_more > 0 {
            let _ = writeln!(
                out,
                "  … and {} more (`opsplan check` lists them)",
                s.not_scheduled_more
            );
        }
    }
}

fn entry(out: &mut String, e: &Entry, width: usize) {
    let when = match (&e.left, &e.starts_in) {
        (Some(left), _) => format!("{left} left"),
        (None, Some(i)) => format!("in {i}"),
        _ => String::new(),
    };
    let crit = if e.critical { "  CRITICAL" } else { "" };
    let _ = writeln!(
        out,
        "    {:<width$}  {} .. {}  ({}, {when})  {}{crit}",
        e.id, e.start, e.end, e.duration, e.part
    );
    let pad = " ".repeat(width + 6);
    if let Some(t) = &e.title {
        let _ = writeln!(out, "{pad}{t}");
    }
    let mut line = |label: &str, text: &str| {
        let _ = writeln!(out, "{pad}{label:<12} {text}");
    };
    if let Some(people) = &e.on_shift {
        if people.is_empty() {
            line(
                "on shift",
                "NOBODY on shift in a position filling this role",
            );
        }
        for p in people {
            line("on shift", p);
        }
    }
    let by = e.by.join(", ");
    if e.part != "owner" && !by.is_empty() && e.part != format!("by {by}") {
        line("by", &by);
    }
    if let Some(p) = &e.procedure {
        let mut text = p.name.clone();
        if let Some(t) = &p.title {
            let _ = write!(text, " \"{t}\"");
        }
        if !p.resolved {
            text.push_str("  NOT IN THE LIBRARY");
        }
        line("procedure", &text);
        if !p.failure_steps.is_empty() {
            line(
                "on failure",
                &format!("step {}", p.failure_steps.join(", step ")),
            );
        }
        if p.resolved && p.contingencies.is_empty() {
            line("contingency", "none declared");
        }
        for c in &p.contingencies {
            let mut text = c.name.clone();
            if let Some(t) = &c.title {
                let _ = write!(text, " \"{t}\"");
            }
            if !c.resolved {
                text.push_str("  NOT IN THE LIBRARY");
            }
            line("contingency", &text);
            line("", &format!("  ({})", c.how));
        }
    }
    if let Some(n) = &e.needs {
        let verdict = if n.met { "met" } else { "NOT MET" };
        let detail: Vec<String> = n
            .windows
            .iter()
            .map(|w| format!("{} {}", w.name, w.status))
            .collect();
        let one = format!("{}: {verdict} ({})", n.text, detail.join("; "));
        if one.chars().count() <= 64 {
            line("needs", &one);
        } else {
            line("needs", &format!("{}: {verdict}", n.text));
            for d in detail {
                line("", &format!("  {d}"));
            }
        }
    }
}

/// "ADUBOIS (Anne Dubois)".
fn person(id: &str, name: &Option<String>) -> String {
    match name {
        Some(n) => format!("{id} ({n})"),
        None => id.to_string(),
    }
}

fn staffing_text(st: &StaffingView, at: &str, filtered: bool, out: &mut String) {
    let title = st
        .title
        .as_ref()
        .map(|t| format!(": {t}"))
        .unwrap_or_default();
    heading(out, &format!("STAFFING  roster {}{title}", st.roster));
    let _ = writeln!(out, "  Roster file  {}", st.file);
    if let Some(n) = &st.note {
        wrap(out, &format!("  Note: {n}"), "        ");
    }
    if st.positions.is_empty() {
        out.push_str(if filtered {
            "  no position of the roster fills the roles asked for\n"
        } else {
            "  the roster declares no position\n"
        });
    }
    for p in &st.positions {
        let mut line = format!("  {}", p.name);
        if let Some(t) = &p.title {
            let _ = write!(line, "  \"{t}\"");
        }
        if !p.fills.is_empty() {
            let _ = write!(line, "  fills {}", p.fills.join(", "));
        }
        if p.continuous_now {
            line.push_str("  (continuous");
            if p.minimum > 1 {
                let _ = write!(line, ", {} at least", p.minimum);
            }
            line.push(')');
        }
        let _ = writeln!(out, "{line}");
        if p.holders.is_empty() && p.gap.is_none() {
            let _ = writeln!(out, "    {:<10} nobody at {at}", "on shift");
        }
        for h in &p.holders {
            let status = status_suffix(h.status.as_deref());
            let _ = writeln!(
                out,
                "    {:<10} {}  until {}{status}",
                "on shift",
                person(&h.person, &h.name),
                h.until
            );
        }
        if let Some(g) = &p.gap {
            let _ = writeln!(out, "    !! {g}");
        }
        for h in &p.next {
            let status = status_suffix(h.status.as_deref());
            let _ = writeln!(
                out,
                "    {:<10} {}  {} .. {}{status}",
                "next",
                person(&h.person, &h.name),
                h.from,
                h.until
            );
        }
        if p.next_more > 0 {
            let _ = writeln!(out, "    {:<10} … and {} more shifts", "", p.next_more);
        }
        for g in &p.gaps {
            let _ = writeln!(out, "    !! {}", g.text);
        }
        if p.gaps_more > 0 {
            let _ = writeln!(out, "    !! … and {} more gaps", p.gaps_more);
        }
    }
    for d in &st.duties {
        let mut line = format!("  {}", d.name);
        if let Some(t) = &d.title {
            let _ = write!(line, "  \"{t}\"");
        }
        if let Some(r) = &d.response {
            let _ = write!(line, "  response {r}");
        }
        if d.continuous_now {
            line.push_str("  (continuous)");
        }
        let _ = writeln!(out, "{line}");
        if d.on_call.is_empty() && d.gap.is_none() {
            let _ = writeln!(out, "    {:<10} nobody at {at}", "on call");
        }
        let response = |r: &Option<String>| {
            r.as_ref()
                .map(|r| format!(", response {r}"))
                .unwrap_or_default()
        };
        for t in &d.on_call {
            let _ = writeln!(
                out,
                "    {:<10} {}  until {}{}",
                "on call",
                person(&t.person, &t.name),
                t.until,
                response(&t.response)
            );
        }
        if let Some(g) = &d.gap {
            let _ = writeln!(out, "    !! {g}");
        }
        for t in &d.next {
            let _ = writeln!(
                out,
                "    {:<10} {}  {} .. {}{}",
                "next",
                person(&t.person, &t.name),
                t.from,
                t.until,
                response(&t.response)
            );
        }
        if d.next_more > 0 {
            let _ = writeln!(out, "    {:<10} … and {} more turns", "", d.next_more);
        }
        for g in &d.gaps {
            let _ = writeln!(out, "    !! {}", g.text);
        }
        if d.gaps_more > 0 {
            let _ = writeln!(out, "    !! … and {} more gaps", d.gaps_more);
        }
    }
}

fn windows_text(s: &Sheet, out: &mut String) {
    heading(out, "WINDOWS");
    if s.windows.is_empty() {
        out.push_str("  the plan declares no window\n");
        return;
    }
    let width = s
        .windows
        .iter()
        .map(|w| w.name.chars().count())
        .max()
        .unwrap_or(0);
    for w in &s.windows {
        let title = w
            .title
            .as_ref()
            .map(|t| format!("  \"{t}\""))
            .unwrap_or_default();
        let now = match &w.open_until {
            Some(u) => format!("OPEN at shift start, until {u}"),
            None => "closed at shift start".to_string(),
        };
        let _ = writeln!(out, "  {:<width$}  {now}{title}", w.name);
        let pad = " ".repeat(width + 4);
        for o in &w.openings {
            let _ = writeln!(out, "{pad}opens {} .. {}", o.start, o.end);
        }
        if w.openings_more > 0 {
            let _ = writeln!(out, "{pad}… and {} more openings", w.openings_more);
        }
        if w.openings.is_empty() {
            match &w.next_after {
                Some(n) => {
                    let _ = writeln!(out, "{pad}no opening in this shift; next {n}");
                }
                None => {
                    let _ = writeln!(out, "{pad}no opening in this shift or after it");
                }
            }
        }
    }
}

/// Writes `text` in lines of at most [`RULE`] characters (words longer than that stay
/// whole), the lines after the first starting with `indent`.
fn wrap(out: &mut String, text: &str, indent: &str) {
    let mut line = String::new();
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > RULE {
            out.push_str(&line);
            out.push('\n');
            line = indent.to_string();
        } else if len > 0 && line != indent {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A holder's status after two spaces, in capitals (`  TRAINEE`), or nothing.
fn status_suffix(status: Option<&str>) -> String {
    status
        .map(|s| format!("  {}", s.to_uppercase()))
        .unwrap_or_default()
}
