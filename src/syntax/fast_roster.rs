//! A fast path for the middle pieces of a large roster: a roster is mostly `shift` lines
//! (and a daily `oncall`), each a dozen pest pairs. A piece (`split.rs`, `roster_body`)
//! made only of shift and on-call lines in the canonical layout, blank lines and `//`
//! comment lines is read here, by hand, into
//! exactly the tree lowering gives (the same values and spans); anything else in the
//! piece (another item, a time that is not `YYYY/DDD hh:mm`, a block comment, a time that
//! is invalid, a line broken in two) makes it `None`, and the piece is parsed by pest as
//! before. The grammar stays the one definition of the language: this reads a subset of
//! it, and a test compares the two on every form it accepts and on the forms it refuses.

use super::ast::{DurLit, IntervalLit, OnCallDecl, Roster, ShiftDecl, TimeLit};
use super::lower::LoweredPiece;
use crate::source::{FileId, Span, Spanned};
use crate::time::{Dur, Notation, Time};

/// The tree of `text` (a `roster_body` piece at `base` in the file) when every line is a
/// shift, blank or a `//` comment; `None` otherwise.
pub(super) fn roster_body(file: FileId, base: usize, text: &str) -> Option<LoweredPiece> {
    let b = text.as_bytes();
    let mut r = Roster::empty(
        Spanned::new(String::new(), Span::new(file, base..base)),
        Span::new(file, base..base + text.len()),
    );
    let mut i = 0;
    while i < b.len() {
        // One line: blanks, then a shift, a comment or nothing, then its end.
        i = blanks(b, i);
        if i == b.len() {
            break;
        }
        match b[i] {
            b'\n' => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i)?;
                continue;
            }
            _ => {}
        }
        let next = if b[i..].starts_with(b"shift") {
            let (decl, next) = entry(file, base, text, i, 5)?;
            r.shifts.push(ShiftDecl {
                person: decl.person,
                position: decl.what,
                interval: decl.interval,
                span: decl.span,
            });
            next
        } else if b[i..].starts_with(b"oncall") {
            let (decl, mut next) = entry(file, base, text, i, 6)?;
            let mut response = None;
            let at = blanks(b, next);
            if at > next && b[at..].starts_with(b"response") {
                let d = blanks(b, at + 8);
                if d == at + 8 {
                    return None;
                }
                let (lit, end) = duration(file, base, text, d)?;
                response = Some(lit);
                next = end;
            }
            r.oncalls.push(OnCallDecl {
                person: decl.person,
                duty: decl.what,
                interval: decl.interval,
                response,
                span: Span::new(file, decl.span.start as usize..base + next),
            });
            next
        } else {
            return None;
        };
        i = blanks(b, next);
        match b.get(i) {
            None => break,
            Some(b'\n') => i += 1,
            Some(b'/') if b.get(i + 1) == Some(&b'/') => i = line_end(b, i)?,
            _ => return None,
        }
    }
    let notation = (!r.shifts.is_empty() || !r.oncalls.is_empty()).then_some(Notation::DayOfYear);
    Some(LoweredPiece {
        plans: Vec::new(),
        procedures: Vec::new(),
        scenarios: Vec::new(),
        rosters: vec![r],
        notation,
        diags: Vec::new(),
    })
}

/// Past spaces and tabs.
fn blanks(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

/// Past a `//` comment and its `\n` (a `\r` in it: `None`, the pest path decides).
fn line_end(b: &[u8], i: usize) -> Option<usize> {
    let end = b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p);
    if b[i..end].contains(&b'\r') {
        return None;
    }
    Some((end + 1).min(b.len()))
}

/// The common part of `shift PERSON POSITION T .. T` and `oncall PERSON DUTY T .. T`.
struct Entry {
    person: crate::syntax::ast::Ident,
    what: crate::syntax::ast::Ident,
    interval: IntervalLit,
    /// From the keyword to the end of the interval.
    span: Span,
}

/// An entry whose keyword (`keyword` bytes long) is at `i`, in the canonical layout (one
/// or more blanks between tokens, `YYYY/DDD hh:mm` times); it and the offset after it.
fn entry(
    file: FileId,
    base: usize,
    text: &str,
    i: usize,
    keyword: usize,
) -> Option<(Entry, usize)> {
    let b = text.as_bytes();
    let span = |a: usize, z: usize| Span::new(file, base + a..base + z);
    let j = blanks(b, i + keyword);
    if j == i + keyword {
        return None;
    }
    let (person, k) = name(text, j)?;
    let k2 = blanks(b, k);
    if k2 == k {
        return None;
    }
    let (what, k) = name(text, k2)?;
    let k3 = blanks(b, k);
    if k3 == k {
        return None;
    }
    let (start, k) = doy_time(file, base, text, k3)?;
    let k4 = blanks(b, k);
    if k4 == k || !b[k4..].starts_with(b"..") {
        return None;
    }
    let k5 = blanks(b, k4 + 2);
    if k5 == k4 + 2 {
        return None;
    }
    let (end, k) = doy_time(file, base, text, k5)?;
    // A name, a digit or a dot right after the time would be read otherwise by pest.
    if b.get(k)
        .is_some_and(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'/'))
    {
        return None;
    }
    Some((
        Entry {
            person: Spanned::new(text[j..j + person].to_string(), span(j, j + person)),
            what: Spanned::new(text[k2..k2 + what].to_string(), span(k2, k2 + what)),
            interval: IntervalLit {
                span: span(k3, k),
                start,
                end,
            },
            span: span(i, k),
        },
        k,
    ))
}

/// A compact duration at `i` (`30m`, `1h30m`: digits and a unit, repeated), followed by
/// a blank, a line end, a `/` or the end; its literal and the offset after it.
fn duration(file: FileId, base: usize, text: &str, i: usize) -> Option<(DurLit, usize)> {
    let b = text.as_bytes();
    let mut k = i;
    loop {
        let digits = b[k..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || !b.get(k + digits).is_some_and(|c| b"dhms".contains(c)) {
            return None;
        }
        k += digits + 1;
        if !b.get(k).is_some_and(u8::is_ascii_digit) {
            break;
        }
    }
    // As after a time: a `/` must start a `//` comment, which the caller checks.
    if b.get(k)
        .is_some_and(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'/'))
    {
        return None;
    }
    let value = Dur::parse(&text[i..k]).ok()?;
    Some((
        DurLit {
            value: Some(value),
            span: Span::new(file, base + i..base + k),
        },
        k,
    ))
}

/// The length of a name at `i` (the grammar's `ident`: a letter or `_`, then letters,
/// digits, `_`, and `-` before one of them), and the offset after it; `None` when none
/// is there or a keyword's boundary would be crossed.
fn name(text: &str, i: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    if !b
        .get(i)
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
    {
        return None;
    }
    let mut k = i + 1;
    loop {
        match b.get(k) {
            Some(&c) if word(c) => k += 1,
            Some(b'-') if b.get(k + 1).is_some_and(|&c| word(c)) => k += 2,
            _ => break,
        }
    }
    // A name ends before a blank; anything else (`.`, a quote) is pest's to judge.
    match b.get(k) {
        Some(b' ' | b'\t') => Some((k - i, k)),
        _ => None,
    }
}

/// `YYYY/DDD hh:mm` at `i` (one or more blanks between day and clock), valid: its time
/// literal as lowering gives it, and the offset after it.
fn doy_time(file: FileId, base: usize, text: &str, i: usize) -> Option<(TimeLit, usize)> {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| {
        b.get(from..from + n)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    if !(digits(i, 4) && b.get(i + 4) == Some(&b'/') && digits(i + 5, 3)) {
        return None;
    }
    let clock = blanks(b, i + 8);
    if clock == i + 8
        || !(digits(clock, 2) && b.get(clock + 2) == Some(&b':') && digits(clock + 3, 2))
    {
        return None;
    }
    let end = clock + 5;
    // Seconds, or more digits: the pest path.
    if b.get(end).is_some_and(|c| *c == b':' || c.is_ascii_digit()) {
        return None;
    }
    let value = Time::parse_doy(&text[i..end]).ok()?;
    Some((
        TimeLit {
            value: Some(value),
            notation: Notation::DayOfYear,
            span: Span::new(file, base + i..base + end),
        },
        end,
    ))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::syntax::{OpsParser, Rule};
    use pest::Parser;
    use proptest::prelude::*;

    /// Lines of a roster's middle, mostly shift and on-call lines in the canonical
    /// layout, with the forms around it: other spacing, tabs, comments (line and block,
    /// with unicode, with `\r`), CRLF and lone CR, a byte-order mark or a no-break space
    /// as a blank, unicode and keyword names, times in other notations or invalid, other
    /// items, `response` in both duration forms and broken, lines broken in two.
    pub(in crate::syntax) fn lines(canonical: bool) -> BoxedStrategy<String> {
        fn pick(xs: &'static [&'static str]) -> BoxedStrategy<String> {
            proptest::sample::select(xs)
                .prop_map(str::to_string)
                .boxed()
        }
        fn either(
            good: &'static [&'static str],
            odd: &'static [&'static str],
            canonical: bool,
        ) -> BoxedStrategy<String> {
            if canonical {
                pick(good)
            } else {
                prop_oneof![4 => pick(good), 1 => pick(odd)].boxed()
            }
        }
        let kw = either(
            &["shift", "oncall"],
            &["shifts", "Shift", "oncal", "assign"],
            canonical,
        );
        let sep = || {
            either(
                &[" ", "  ", "\t", " \t "],
                &[
                    "",
                    "\n",
                    "\r\n",
                    " /* c */ ",
                    "\u{a0}",
                    "\u{feff}",
                    " // c\n ",
                    "\r",
                ],
                canonical,
            )
        };
        let name = || {
            either(
                &[
                    "JD", "OM-DESK", "_A-1", "to", "shift", "oncall", "a-b_c", "x_", "response",
                ],
                &["Zoé", "JD-", "1JD", "ÉQ", "a--b", "JD.X", "\"JD\"", "-x"],
                canonical,
            )
        };
        let time = || {
            either(
                &[
                    "2014/272 06:00",
                    "2014/272   06:00",
                    "2014/272\t06:00",
                    "2016/366 23:59",
                    "2014/001 00:00",
                    "2014/273 00:00",
                ],
                &[
                    "2014/366 06:00",
                    "2014/000 00:00",
                    "2014/272 24:00",
                    "2014/272 06:60",
                    "2014/272 6:00",
                    "2014/27 06:00",
                    "2014/272 06:00:30",
                    "2014-09-29T06:00Z",
                    "2014/272 06:001",
                    "2014/272 06:00Z",
                    "2014/272\n06:00",
                ],
                canonical,
            )
        };
        let dots = either(&[".."], &[". .", "...", "..\n"], canonical);
        let response = either(
            &[
                "",
                " response 30m",
                "  response 1h30m",
                " response\t2d",
                " response 90s",
            ],
            &[
                " response PT30M",
                " response 30x",
                " response",
                " response 0m",
                " response 30m5",
                "response 30m",
                " response\n 30m",
                " response 30m_",
            ],
            canonical,
        );
        let trailing = either(
            &["", " // note", "// x", " // é ünïcode ☃", "\t", "  "],
            &[" /* x */", " // a\r", " /", " x"],
            canonical,
        );
        let entry = (
            kw,
            (sep(), name(), sep(), name(), sep()),
            (time(), sep(), dots, sep(), time()),
            response,
            trailing,
        )
            .prop_map(
                |(kw, (s1, n1, s2, n2, s3), (t1, s4, d, s5, t2), resp, tr)| {
                    let resp = if kw == "oncall" { resp } else { String::new() };
                    format!("{kw}{s1}{n1}{s2}{n2}{s3}{t1}{s4}{d}{s5}{t2}{resp}{tr}")
                },
            );
        let indent = pick(&["", "  ", "\t", " \t "]);
        let other = either(
            &["", "// a comment", "//", "// ünïcode ☃ ✓"],
            &[
                "assign JD to A1",
                "person X",
                "/* block */",
                "response 30m",
                "}",
                "// cr\r inside",
            ],
            canonical,
        );
        let body = prop_oneof![6 => entry, 1 => other];
        let end = either(&["\n"], &["\r\n", "\r", ""], canonical);
        (indent, body, end)
            .prop_map(|(i, b, e)| format!("{i}{b}{e}"))
            .boxed()
    }

    /// The fast path and pest with lowering give the same piece: every roster field
    /// (spans included), the notation and the findings.
    fn agrees(text: &str) -> Result<bool, TestCaseError> {
        let Some(fast) = roster_body(FileId(3), 100, text) else {
            return Ok(false);
        };
        let root = OpsParser::parse(Rule::roster_body, text)
            .map_err(|e| TestCaseError::fail(format!("pest refuses {text:?}: {e}")))?
            .next()
            .expect("a root pair");
        let pest = crate::syntax::lower::lower_piece(
            FileId(3),
            100,
            crate::syntax::split::PieceKind::RosterBody,
            root,
        );
        // The piece's own roster name and span are dropped when the pieces are joined
        // (`absorb_roster` keeps the head's): everything else is compared; the joined
        // trees are compared whole in `syntax::tests`.
        let items = |mut rs: Vec<Roster>| {
            for r in &mut rs {
                r.span = Span::new(FileId(3), 0..0);
                r.id = Spanned::new(String::new(), r.span);
            }
            format!("{rs:?}")
        };
        prop_assert_eq!(items(fast.rosters), items(pest.rosters));
        prop_assert_eq!(fast.notation, pest.notation);
        prop_assert_eq!(format!("{:?}", fast.diags), format!("{:?}", pest.diags));
        prop_assert!(fast.plans.is_empty() && fast.procedures.is_empty());
        prop_assert!(fast.scenarios.is_empty());
        Ok(true)
    }

    proptest! {
        /// On any text the fast path either declines or gives exactly what pest gives.
        #[test]
        fn the_fast_path_agrees_with_pest_on_varied_text(
            lines in proptest::collection::vec(lines(false), 0..8)
        ) {
            agrees(&lines.concat())?;
        }

        /// On the canonical layout it does not decline (it is what makes large rosters
        /// fast) and it agrees.
        #[test]
        fn the_fast_path_reads_the_canonical_layout(
            lines in proptest::collection::vec(lines(true), 0..8)
        ) {
            let text = lines.concat();
            prop_assert!(agrees(&text)?, "declined {:?}", text);
        }
    }

    /// What pest and lowering give for a `roster_body` text.
    fn by_pest(text: &str) -> Option<Roster> {
        let root = OpsParser::parse(Rule::roster_body, text).ok()?.next()?;
        let piece = crate::syntax::lower::lower_piece(
            FileId(3),
            100,
            crate::syntax::split::PieceKind::RosterBody,
            root,
        );
        piece.rosters.into_iter().next()
    }

    /// The entries of two rosters are the same, spans included.
    fn same(a: &Roster, b: &Roster) -> bool {
        format!("{:?}{:?}", a.shifts, a.oncalls) == format!("{:?}{:?}", b.shifts, b.oncalls)
    }

    #[test]
    fn the_fast_path_gives_the_tree_of_pest_or_declines() {
        let accepted = [
            "  shift JD OM-DESK 2014/272 06:00 .. 2014/272 14:15\n",
            "\n  shift JD   OM-DESK\t2014/272   06:00  ..  2014/272 14:15   // note\n// c\n\n",
            "shift _A-1 P_2 2014/001 00:00 .. 2015/365 23:59",
            "  shift MARTIN PLN 2014/272 14:00 .. 2014/272 22:15\n  shift JD OM 2014/272 22:00 .. 2014/273 06:15\n",
            "  oncall MM HOT 2014/272 00:00 .. 2014/273 00:00\n",
            "  oncall MM HOT 2014/272 00:00 .. 2014/273 00:00   response 1h30m   // slow\n",
        ];
        for text in accepted {
            let fast = roster_body(FileId(3), 100, text).expect("accepted");
            let pest = by_pest(text).expect("pest parses it");
            assert!(same(&fast.rosters[0], &pest), "{text:?}");
        }
        // Declined: pest decides (a valid form the fast path does not read, or an error).
        let declined = [
            "  assign JD to A1\n",
            "  oncall MM HOT 2014/272 00:00 .. 2014/273 00:00 response PT30M\n",
            "  oncall MM HOT 2014/272 00:00 .. 2014/273 00:00 response 30x\n",
            "  oncall MM HOT 2014/272 00:00 .. 2014/273 00:00 response\n",
            "  shift JD OM 2014-09-29T06:00Z .. 2014/272 14:15\n",
            "  shift JD OM 2014/272 06:00:30 .. 2014/272 14:15\n",
            "  shift JD OM 2014/272 6:00 .. 2014/272 14:15\n",
            "  shift JD OM 2014/366 06:00 .. 2014/272 14:15\n",
            "  shift JD OM 2014/272 06:00 ..\n  2014/272 14:15\n",
            "  shift JD /* x */ OM 2014/272 06:00 .. 2014/272 14:15\n",
            "  shift JD OM 2014/272 06:00 .. 2014/272 14:15 shift\n",
            "  shift JD OM 2014/272 06:00 .. 2014/272 14:15\r\n",
            "  shifts JD OM 2014/272 06:00 .. 2014/272 14:15\n",
            "  shift JD OM 2014/272 06:00 .. 2014/272 14:151\n",
            "  shift JD- OM 2014/272 06:00 .. 2014/272 14:15\n",
            "  shift 1JD OM 2014/272 06:00 .. 2014/272 14:15\n",
            "  shift JD OM 2014/272 06:00 ..2014/272 14:15\n",
        ];
        for text in declined {
            assert!(roster_body(FileId(3), 100, text).is_none(), "{text:?}");
        }
        // Every prefix of good lines is declined or agrees with pest.
        for line in [
            "  shift JD OM-DESK 2014/272 06:00 .. 2014/272 14:15 // c\n",
            "  oncall MM HOT 2014/272 00:00 .. 2014/273 00:00 response 30m\n",
        ] {
            for cut in 0..=line.len() {
                let text = &line[..cut];
                if let Some(fast) = roster_body(FileId(3), 100, text) {
                    let pest = by_pest(text).unwrap_or_else(|| panic!("pest refuses {text:?}"));
                    assert!(same(&fast.rosters[0], &pest), "{text:?}");
                }
            }
        }
    }
}
