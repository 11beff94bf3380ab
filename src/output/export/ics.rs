//! `calendars/<ROLE>.ics`: one iCalendar (RFC 5545) per role, for the teams' calendar
//! clients.
//!
//! - A role's calendar holds every activity with a known time that the role is
//!   responsible for: done `by` the role itself, or `by` a group role it belongs to,
//!   transitively (`roles FE-5, FE-6 in CREW`: an activity `by CREW` is in CREW's, FE-5's
//!   and FE-6's calendars). A member's own activities are not copied into the group's.
//! - A role with no such activity gets no file (a VCALENDAR needs a component); an
//!   undeclared role named in `by` (only in a forced export) gets one.
//! - Activities whose time is unknown or inverted are left out (the JSON and CSV say why).
//! - `UID` is `<activity>.<plan>@opsplan`, the same in every issue, so a client updates
//!   the event; `SEQUENCE` is the plan's issue when it is a number; `DTSTAMP` is the
//!   generation time; times are UTC (`Z`); `STATUS` is `TENTATIVE` in a forced export,
//!   else `CONFIRMED`.
//! - Content lines end with CRLF and are folded at 75 octets, never inside a UTF-8
//!   sequence; TEXT values escape `\`, `;`, `,` and line breaks.

use super::{calendar_roles_of, ActivityExport, ExportDoc};
use std::collections::{BTreeMap, BTreeSet};

/// One calendar of the package.
#[derive(Debug, Clone)]
pub struct RoleCalendar {
    pub role: String,
    /// `calendars/FE-5.ics`
    pub path: String,
    pub text: String,
    pub events: usize,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\` `;` `,` and line breaks; other control
/// characters (not allowed in TEXT) become spaces, a CRLF or lone CR one line break.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded (RFC 5545 §3.1): no physical line longer than 75 octets
/// (the leading space of a continuation counts), breaks only between characters, each
/// line ended by CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 74 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// `20141002T140500Z` from `2014-10-02T14:05:00Z`.
fn ics_time(iso: &str) -> String {
    iso.chars().filter(|c| *c != '-' && *c != ':').collect()
}

/// A file name for a role: its name (an identifier: letters, digits, `_`, `-`), any
/// other character replaced by `_`.
fn file_name(role: &str) -> String {
    role.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Every role's calendar, sorted by role name.
pub fn calendars(doc: &ExportDoc) -> Vec<RoleCalendar> {
    let mut by_role: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (i, a) in doc.activities.iter().enumerate() {
        if a.known().is_none() {
            continue;
        }
        for r in &a.by {
            for role in calendar_roles_of(&doc.roles, r) {
                by_role.entry(role).or_default().insert(i);
            }
        }
    }
    by_role
        .into_iter()
        .map(|(role, acts)| {
            let acts: Vec<&ActivityExport> = acts.iter().map(|&i| &doc.activities[i]).collect();
            RoleCalendar {
                path: format!("calendars/{}.ics", file_name(&role)),
                text: calendar(doc, &role, &acts),
                events: acts.len(),
                role,
            }
        })
        .collect()
}

fn calendar(doc: &ExportDoc, role: &str, acts: &[&ActivityExport]) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold(&s));
    let plan = &doc.plan;
    let issue = plan
        .issue
        .as_ref()
        .map_or(String::new(), |i| format!(" issue {i}"));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!(
        "PRODID:-//opsplan//opsplan {}//EN",
        doc.generator.version
    ));
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!(
        "X-WR-CALNAME:{}",
        escape_text(&format!("{}{issue}: {role}", plan.id))
    ));
    let mut desc = plan.title.clone().unwrap_or_else(|| plan.id.clone());
    if let Some(m) = &plan.mission {
        desc.push_str(&format!(" ({m})"));
    }
    line(format!("X-WR-CALDESC:{}", escape_text(&desc)));
    let dtstamp = ics_time(&doc.generator.generated);
    let sequence = plan
        .issue
        .as_deref()
        .and_then(|i| i.trim().parse::<u32>().ok());
    for a in acts {
        let Some((start, end)) = a.known() else {
            continue;
        };
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}.{}@opsplan", a.id, plan.id));
        line(format!("DTSTAMP:{dtstamp}"));
        if let Some(s) = sequence {
            line(format!("SEQUENCE:{s}"));
        }
        line(format!("DTSTART:{}", ics_time(start)));
        line(format!("DTEND:{}", ics_time(end)));
        let summary = match &a.title {
            Some(t) => format!("{} {t}", a.id),
            None => a.id.clone(),
        };
        line(format!("SUMMARY:{}", escape_text(&summary)));
        line(format!("DESCRIPTION:{}", escape_text(&description(doc, a))));
        let mut categories: Vec<String> = Vec::new();
        for c in a.kind.iter().chain(a.tags.iter()) {
            let c = escape_text(c);
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        if !categories.is_empty() {
            line(format!("CATEGORIES:{}", categories.join(",")));
        }
        if a.critical {
            line("PRIORITY:1".into());
        }
        line(format!(
            "STATUS:{}",
            if doc.forced { "TENTATIVE" } else { "CONFIRMED" }
        ));
        line("TRANSP:OPAQUE".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// The event's description: when (in the plan's notation), who, the procedure with its
/// version and contingency, windows needed, resources used, relations, the note.
fn description(doc: &ExportDoc, a: &ActivityExport) -> String {
    let mut lines = Vec::new();
    if doc.forced {
        lines.push(format!(
            "FORCED EXPORT: the plan's check found {} at error severity; do not execute as is.",
            crate::output::plural(doc.counts.errors, "finding")
        ));
    }
    let mut head = format!("Plan {}", doc.plan.id);
    if let Some(i) = &doc.plan.issue {
        head.push_str(&format!(" issue {i}"));
    }
    if let Some(ph) = &a.phase {
        head.push_str(&format!(", phase {ph}"));
    }
    lines.push(head);
    if let (Some(s), Some(e)) = (&a.start_plan, &a.end_plan) {
        lines.push(format!("When: {s} .. {e}"));
    }
    lines.push(format!("By: {}", a.by.join(", ")));
    if a.critical {
        lines.push("Critical".to_string());
    }
    if let Some(p) = &a.procedure {
        let version = p
            .version
            .as_ref()
            .or(p.requested_version.as_ref())
            .map_or(String::new(), |v| format!(" v{v}"));
        let mut s = format!("Procedure: {}{version}", p.id);
        if !p.resolved {
            s.push_str(" (not found)");
        }
        let contingency = doc
            .procedures
            .iter()
            .find(|x| x.id == p.id && x.version == p.version)
            .and_then(|x| x.contingency.as_ref());
        if let Some(c) = contingency {
            let v = c
                .version
                .as_ref()
                .map_or(String::new(), |v| format!(" v{v}"));
            s.push_str(&format!("; contingency {}{v}", c.id));
        }
        lines.push(s);
    }
    if let Some(n) = &a.needs {
        lines.push(format!("Needs: {}", super::needs_text(n)));
    }
    if !a.uses.is_empty() {
        lines.push(format!("Uses: {}", super::uses_texts(a).join(", ")));
    }
    for r in &a.relations {
        lines.push(format!("Relation: {}", r.text));
    }
    if let Some(n) = &a.note {
        lines.push(format!("Note: {n}"));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Undoes [`fold`]: CRLF followed by one space or tab joins the lines.
    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "").replace("\r\n\t", "")
    }

    fn assert_folded(folded: &str, original: &str) {
        assert!(folded.ends_with("\r\n"));
        for physical in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical:?}",
                physical.len()
            );
        }
        assert_eq!(unfold(folded).trim_end_matches("\r\n"), original);
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
        let exactly = "X".repeat(75);
        assert_eq!(fold(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn long_ascii_lines_fold_at_75_octets_then_74_after_the_space() {
        let line = format!("SUMMARY:{}", "a".repeat(200));
        let f = fold(&line);
        let lines: Vec<&str> = f.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
        assert!(lines[1].starts_with(' '));
        assert_folded(&f, &line);
    }

    #[test]
    fn a_multibyte_character_at_the_boundary_moves_to_the_next_line_whole() {
        // 74 octets, then `é` (2 octets) would end at octet 76: it starts line 2.
        let line = format!("{}é{}", "a".repeat(74), "b".repeat(10));
        let f = fold(&line);
        assert!(f.starts_with(&format!("{}\r\n é", "a".repeat(74))), "{f:?}");
        assert_folded(&f, &line);
        // 73 octets, then a 4-octet emoji (ends at 77): moved; 75 octets exactly fit.
        let line = format!("{}🚀tail", "a".repeat(73));
        let f = fold(&line);
        assert!(
            f.starts_with(&format!("{}\r\n 🚀", "a".repeat(73))),
            "{f:?}"
        );
        assert_folded(&f, &line);
        let line = format!("{}🚀tail", "a".repeat(71));
        let f = fold(&line);
        assert!(
            f.starts_with(&format!("{}🚀\r\n tail", "a".repeat(71))),
            "{f:?}"
        );
        assert_folded(&f, &line);
    }

    #[test]
    fn every_fold_of_mixed_widths_stays_within_75_octets() {
        let pieces = ["a", "é", "€", "🚀", " ", "\\;"];
        for shift in 0..6 {
            let mut line = "DESCRIPTION:".to_string();
            for i in 0..300 {
                line.push_str(pieces[(i * 7 + shift) % pieces.len()]);
            }
            assert_folded(&fold(&line), &line);
        }
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_line_breaks() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(escape_text("tab\there, bell\u{7}"), "tab\there\\, bell ");
        assert_eq!(escape_text("Ünïcødé ✓"), "Ünïcødé ✓");
    }

    #[test]
    fn times_drop_their_separators() {
        assert_eq!(ics_time("2014-10-02T14:05:00Z"), "20141002T140500Z");
    }

    #[test]
    fn file_names_keep_identifiers_and_replace_anything_else() {
        assert_eq!(file_name("MCC-M"), "MCC-M");
        assert_eq!(file_name("FE_5"), "FE_5");
        assert_eq!(file_name("../x y"), "___x_y");
    }
}
