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

/// The lines that open a calendar named `who` (a role, a person).
fn header(doc: &ExportDoc, who: &str, line: &mut impl FnMut(String)) {
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
        escape_text(&format!("{}{issue}: {who}", plan.id))
    ));
    let mut desc = plan.title.clone().unwrap_or_else(|| plan.id.clone());
    if let Some(m) = &plan.mission {
        desc.push_str(&format!(" ({m})"));
    }
    line(format!("X-WR-CALDESC:{}", escape_text(&desc)));
}

/// The plan's issue as a `SEQUENCE`, when it is a number.
fn sequence(doc: &ExportDoc) -> Option<u32> {
    doc.plan
        .issue
        .as_deref()
        .and_then(|i| i.trim().parse::<u32>().ok())
}

fn calendar(doc: &ExportDoc, role: &str, acts: &[&ActivityExport]) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold(&s));
    let plan = &doc.plan;
    header(doc, role, &mut line);
    let dtstamp = ics_time(&doc.generator.generated);
    let sequence = sequence(doc);
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
        line(format!("SUMMARY:{}", escape_text(&summary(a))));
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
        line(format!("STATUS:{}", status(doc)));
        line("TRANSP:OPAQUE".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn status(doc: &ExportDoc) -> &'static str {
    if doc.forced {
        "TENTATIVE"
    } else {
        "CONFIRMED"
    }
}

/// `A29 Reboost, OCS 1+3`
fn summary(a: &ActivityExport) -> String {
    match &a.title {
        Some(t) => format!("{} {t}", a.id),
        None => a.id.clone(),
    }
}

/// One person's calendar of the package.
#[derive(Debug, Clone)]
pub struct PersonCalendar {
    pub person: String,
    /// `people/ADUBOIS.ics`
    pub path: String,
    pub text: String,
    pub events: usize,
}

/// Every person's calendar (`people/<id>.ics`), in the order of `people` in the JSON: for
/// each person with a shift, an on-call turn or an activity, their shifts (`SUMMARY`
/// `Shift OM-DESK`), their turns (`On call OPS-ONCALL`, the response time in the
/// description) and the activities they are on (as in the role calendars, the position
/// that puts them on it in the description). UIDs: `shift.<person>.<position>.<start>.
/// <plan>@opsplan`, `oncall.<person>.<duty>.<start>.<plan>@opsplan` and
/// `<activity>.<plan>.<person>@opsplan`, the same in every issue while the shift, turn or
/// activity keeps its person and start; a repeat within one calendar (a person twice on a
/// position from the same instant, a W006 finding) gets `-2`, `-3`, … so they stay unique.
/// The person ids were checked as file names before ([`super::people::refusals`]).
pub fn person_calendars(doc: &ExportDoc) -> Vec<PersonCalendar> {
    let Some(people) = &doc.people else {
        return Vec::new();
    };
    let plan = &doc.plan;
    let dtstamp = ics_time(&doc.generator.generated);
    let sequence = sequence(doc);
    let mut out = Vec::new();
    for p in people {
        let Some(path) = &p.calendar else {
            continue;
        };
        let mut text = String::new();
        let mut line = |s: String| text.push_str(&fold(&s));
        let who = match &p.name {
            Some(n) => format!("{} ({n})", p.id),
            None => p.id.clone(),
        };
        header(doc, &who, &mut line);
        let mut uids: BTreeMap<String, usize> = BTreeMap::new();
        let mut unique = |uid: String| {
            let n = uids.entry(uid.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                uid
            } else {
                let (head, tail) = uid.split_once('@').unwrap_or((&uid, "opsplan"));
                format!("{head}-{n}@{tail}")
            }
        };
        let mut events = 0;
        let mut event = |line: &mut dyn FnMut(String),
                         uid: String,
                         (start, end): (&str, &str),
                         summary: String,
                         description: String,
                         categories: &[&str],
                         critical: bool,
                         busy: bool| {
            line("BEGIN:VEVENT".into());
            line(format!("UID:{uid}"));
            line(format!("DTSTAMP:{dtstamp}"));
            if let Some(s) = sequence {
                line(format!("SEQUENCE:{s}"));
            }
            line(format!("DTSTART:{}", ics_time(start)));
            line(format!("DTEND:{}", ics_time(end)));
            line(format!("SUMMARY:{}", escape_text(&summary)));
            line(format!("DESCRIPTION:{}", escape_text(&description)));
            let cats: Vec<String> = categories.iter().map(|c| escape_text(c)).collect();
            if !cats.is_empty() {
                line(format!("CATEGORIES:{}", cats.join(",")));
            }
            if critical {
                line("PRIORITY:1".into());
            }
            line(format!("STATUS:{}", status(doc)));
            line(format!(
                "TRANSP:{}",
                if busy { "OPAQUE" } else { "TRANSPARENT" }
            ));
            line("END:VEVENT".into());
            events += 1;
        };
        let head = {
            let mut h = format!("Plan {}", plan.id);
            if let Some(i) = &plan.issue {
                h.push_str(&format!(" issue {i}"));
            }
            h.push_str(&format!(", roster {}", p.roster));
            h
        };
        let forced = doc.forced.then(|| {
            format!(
                "FORCED EXPORT: the plan's check found {} at error severity; do not execute as is.",
                crate::output::plural(doc.counts.errors, "finding")
            )
        });
        for s in &p.shifts {
            let mut lines: Vec<String> = forced.iter().cloned().collect();
            lines.push(head.clone());
            lines.push(format!(
                "When: {} .. {}",
                s.time.start_plan, s.time.end_plan
            ));
            let mut pos = format!("Position: {}", s.position);
            if let Some(t) = &s.position_title {
                pos.push_str(&format!(" \"{t}\""));
            }
            lines.push(pos);
            if !s.fills.is_empty() {
                lines.push(format!("Fills: {}", s.fills.join(", ")));
            }
            let uid = unique(format!(
                "shift.{}.{}.{}.{}@opsplan",
                p.id,
                s.position,
                ics_time(&s.time.start),
                plan.id
            ));
            event(
                &mut line,
                uid,
                (&s.time.start, &s.time.end),
                format!("Shift {}", s.position),
                lines.join("\n"),
                &["shift"],
                false,
                true,
            );
        }
        for o in &p.on_call {
            let mut lines: Vec<String> = forced.iter().cloned().collect();
            lines.push(head.clone());
            lines.push(format!(
                "When: {} .. {}",
                o.time.start_plan, o.time.end_plan
            ));
            let mut duty = format!("Duty: {}", o.duty);
            if let Some(t) = &o.duty_title {
                duty.push_str(&format!(" \"{t}\""));
            }
            lines.push(duty);
            if let Some(r) = o.response_seconds {
                lines.push(format!("Response: within {}", crate::time::Dur(r)));
            }
            let uid = unique(format!(
                "oncall.{}.{}.{}.{}@opsplan",
                p.id,
                o.duty,
                ics_time(&o.time.start),
                plan.id
            ));
            event(
                &mut line,
                uid,
                (&o.time.start, &o.time.end),
                format!("On call {}", o.duty),
                lines.join("\n"),
                &["on call"],
                false,
                false,
            );
        }
        for pa in &p.activities {
            let a = &doc.activities[pa.index];
            let Some(when) = a.known() else {
                continue;
            };
            let on = if pa.on == "assigned" {
                "On it: assigned (`assign` in the roster)".to_string()
            } else {
                format!("On it: on shift on {}", pa.on)
            };
            let description = format!("{}\n{on}", description(doc, a));
            let mut categories: Vec<&str> = Vec::new();
            for c in a.kind.iter().chain(a.tags.iter()) {
                if !categories.contains(&c.as_str()) {
                    categories.push(c);
                }
            }
            let uid = unique(format!("{}.{}.{}@opsplan", a.id, plan.id, p.id));
            event(
                &mut line,
                uid,
                when,
                summary(a),
                description,
                &categories,
                a.critical,
                true,
            );
        }
        line("END:VCALENDAR".into());
        out.push(PersonCalendar {
            person: p.id.clone(),
            path: path.clone(),
            text,
            events,
        });
    }
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
