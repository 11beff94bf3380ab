use super::*;
use crate::source::FileId;

fn parse_str(text: &str) -> (ast::SourceAst, Vec<Diagnostic>) {
    parse(FileId(0), text)
}

fn messages(text: &str) -> Vec<String> {
    parse_str(text)
        .1
        .iter()
        .map(|d| {
            format!(
                "{}@{}: {}",
                d.code.info().code,
                d.primary.span.start,
                d.message
            )
        })
        .collect()
}

const SAMPLE: &str = r#"
plan ATV5-W40 "ATV-5 attached phase" {
  mission "ATV-5"
  issue 3
  horizon 2014/272 00:00 .. 2014/279 00:00
  use procedures "procedures/"
  roles FD, MCC-M
  roles FE-5 in CREW
  resource OCS exclusive // one burn at a time
  resource DL capacity 2
  window ART every 92m lasting 40m from 2014/272 00:10
  window CREW-SLEEP daily 21:30 .. 06:00
  window TDRS 2014/273 08:30 .. 2014/273 10:30, 2014-10-02T13:30Z .. 2014-10-02T15:00:00Z
  /* block
     comment */
  phase attached "Attached" 2014/272 00:00 .. 2014/279 00:00 {
    activity A09 "GO poll" { at 2014/273 07:00 lasts 30m by FD kind poll }
    activity A12 "Transfer" {
      at A09.end + 1h30m
      lasts PT40M
      by MCC-M
      critical
      procedure ATV-FCP-REF-010 v3.2
      needs ART & TDRS
      uses OCS, DL 2
      after A09 within 3h
      before A13 - 5m
      during A14
      starts with A09 + 2h
      covers ATV-OPS-REQ-006, ATV-OPS-REQ-007
      tags refuelling
      note "x"
    }
  }
}
procedure ATV-FCP-REF-010 "Propellant transfer" {
  version 3.2
  family FCP
  roles MCC-M, GC
  requires coverage ART | TDRS
  requires "MCC-M ready"
  contingency ATV-CRP-PRP-091
  duration 1h10m
  step 1 "He" {
    command PROP_HE_PRESS(level = 18.5 bar, mode = AUTO, tag = "x")
    check P_TANK in 18.0 .. 22.0 bar within 5m on fail goto 6
    check T < 120 degC
    check MODE == SAFE
  }
  step 2 { poll FD, MCC-M }
  step 4 { wait for MCC-M "transfer complete" timeout 45m }
  step 5 { wait 5m  manual CREW "Secure cargo" call X v1 }
  step 6 { goto 2 }
  step 7 { abort "why" end }
}
"#;

#[test]
fn sample_parses_with_spans() {
    let (ast, diags) = parse_str(SAMPLE);
    assert!(diags.is_empty(), "{diags:#?}");
    let plan = &ast.plans[0];
    assert_eq!(plan.id.value, "ATV5-W40");
    assert_eq!(plan.roles.len(), 3);
    assert_eq!(plan.roles[2].group.as_ref().unwrap().value, "CREW");
    let a12 = &plan.phases[0].activities[1];
    assert_eq!(&SAMPLE[a12.id.span.range()], "A12");
    assert_eq!(a12.relations.len(), 4);
    assert_eq!(a12.uses[1].amount.as_ref().unwrap().value, 2);
    assert_eq!(
        a12.lasts.as_ref().unwrap().value,
        Some(crate::time::Dur(2400))
    );
    match a12.at.as_ref().unwrap() {
        ast::TimeExpr::Relative {
            activity, offset, ..
        } => {
            assert_eq!(activity.value, "A09");
            assert_eq!(offset.as_ref().unwrap().value, Some(crate::time::Dur(5400)));
        }
        other => panic!("{other:?}"),
    }
    let p = &ast.procedures[0];
    assert_eq!(p.version.as_ref().unwrap().value, "3.2");
    assert_eq!(p.steps.len(), 6);
    assert_eq!(p.steps[0].statements.len(), 4);
    assert!(p.steps[0].statements[1].on_fail.is_some());
    assert_eq!(p.steps[3].statements.len(), 3);
}

#[test]
fn impossible_time_is_invalid_literal_not_syntax() {
    let m = messages("plan P { horizon 2014/367 25:00 .. 2014/279 00:00 }");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("E002@17"), "{m:?}");
}

#[test]
fn syntax_errors_name_what_was_expected() {
    let m = messages("plan P {\n  activity A1 { at 2014/273 09:00 lasts 40 }\n}");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("expected a duration"), "{m:?}");
    assert!(!m[0].contains("_clause"), "{m:?}");
}

#[test]
fn every_bad_line_is_reported() {
    let text = "plan P {\n  activity A1 { at 2014/273 09:00 lasts 40 }\n  activity A2 {\n    lasts 1h\n    bogus A1\n  }\n}";
    let m = messages(text);
    assert_eq!(m.len(), 2, "{m:?}");
}

#[test]
fn an_empty_check_range_is_an_invalid_literal() {
    let (_, diags) = super::parse(
        FileId(0),
        "procedure P { step 1 { check T in 22 .. 18 degC on fail abort   check U in 1 .. 1 on fail abort } }",
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0].message.contains("`in 22 .. 18 degC` is empty"),
        "{diags:#?}"
    );
}

#[test]
fn the_error_cap_is_said_not_silent() {
    let mut text = String::from("plan P {\n");
    for i in 0..30 {
        text.push_str(&format!("  activity A{i} {{ bogus }}\n"));
    }
    text.push_str("}\n");
    let (_, diags) = super::parse(FileId(0), &text);
    assert_eq!(diags.len(), 20, "{diags:#?}");
    assert!(
        diags[19]
            .notes
            .iter()
            .any(|n| n.contains("stops at 20 syntax errors")),
        "{:#?}",
        diags[19]
    );
    assert!(diags[..19].iter().all(|d| d.notes.is_empty()));
}

#[test]
fn a_file_cut_in_half_reports_end_of_file() {
    let m = messages("plan P {\n  activity A1 { at 2014/273 09:00");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("found end of file"), "{m:?}");
}

#[test]
fn deep_nesting_does_not_overflow() {
    let text = format!("plan P {}", "{".repeat(20_000));
    let m = messages(&text);
    assert!(!m.is_empty());
}

/// Every example file, parsed whole and parsed in small pieces, gives the same tree
/// and the same findings (the pieces are what makes a 100,000-activity plan fast).
#[test]
fn parsing_in_pieces_gives_the_tree_of_the_whole_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut texts = vec![SAMPLE.to_string()];
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("examples are readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "plan" || e == "proc" || e == "scn" || e == "roster")
            {
                texts.push(std::fs::read_to_string(&path).expect("example is UTF-8"));
            }
        }
    }
    // A plan whose header clauses are repeated in a later piece.
    texts.push(format!(
        "{}\nplan P2 {{\n  mission \"a\"\n  activity X {{ lasts 1m }}\n  activity Y {{ lasts 1m }}\n  mission \"b\"\n  activity Z {{ at 2014/272 00:00 lasts 1m }}\n}}\n",
        SAMPLE
    ));
    let sorted = |mut d: Vec<Diagnostic>| {
        d.sort_by_key(|d| (d.primary.span.start, d.message.clone()));
        format!("{d:?}")
    };
    let mut cut = 0;
    for text in &texts {
        let Some((whole, whole_diags)) = parse_fast(FileId(0), text, usize::MAX) else {
            continue; // the defects example has syntax errors: not the fast path's job
        };
        for piece in [64, 200, 1000] {
            cut += usize::from(split::pieces(text, piece).is_some());
            let (ast, diags) = parse_fast(FileId(0), text, piece).expect("parses in pieces");
            assert_eq!(
                format!("{ast:?}"),
                format!("{whole:?}"),
                "piece size {piece}"
            );
            assert_eq!(sorted(diags), sorted(whole_diags.clone()));
        }
    }
    assert!(cut > 10, "the texts were really cut ({cut})");
}

#[test]
fn a_syntax_error_in_a_later_piece_is_reported_where_it_is() {
    let text = format!(
        "{SAMPLE}\nplan Q {{\n  activity X {{ lasts 1m }}\n  activity Y {{ lasts 1x }}\n}}\n"
    );
    assert!(parse_fast(FileId(0), &text, 64).is_none());
    let (_, diags) = parse(FileId(0), &text);
    let at = text.find("1x").expect("the typo") as u32;
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, Code::SyntaxError);
    assert!(diags[0].primary.span.start >= at - 3, "{:?}", diags[0]);
}

const SCENARIO: &str = r#"
procedure PRP "Over-temperature" {
  version 1.1
  handles THRUSTER_OVERTEMP, NO_IGNITION
}
scenario SIM-RBT-01 "Thruster over-temperature" {
  plan     ATV5-W40
  trainees FD, EST
  trainees MCC-M
  inject THRUSTER_OVERTEMP "OCS 3 above 150 degC" at A29.start + 3m {
    expect ATV-CRP-PRP-090 v1.1
    expect PRP
  }
  inject NO_IGNITION at 2014/275 14:06
  inject OTHER at 2014-10-02T14:06Z { }
}
"#;

#[test]
fn scenarios_and_handles_parse_with_spans() {
    let (ast, diags) = parse_str(SCENARIO);
    assert!(diags.is_empty(), "{diags:#?}");
    let handles: Vec<&str> = ast.procedures[0]
        .handles
        .iter()
        .map(|h| &SCENARIO[h.span.range()])
        .collect();
    assert_eq!(handles, ["THRUSTER_OVERTEMP", "NO_IGNITION"]);
    let sc = &ast.scenarios[0];
    assert_eq!(&SCENARIO[sc.id.span.range()], "SIM-RBT-01");
    assert_eq!(
        sc.title.as_ref().unwrap().value,
        "Thruster over-temperature"
    );
    assert_eq!(
        &SCENARIO[sc.plan.as_ref().unwrap().span.range()],
        "ATV5-W40"
    );
    let trainees: Vec<&str> = sc.trainees.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(trainees, ["FD", "EST", "MCC-M"]);
    assert_eq!(sc.injects.len(), 3);
    let first = &sc.injects[0];
    assert_eq!(&SCENARIO[first.event.span.range()], "THRUSTER_OVERTEMP");
    assert_eq!(first.text.as_ref().unwrap().value, "OCS 3 above 150 degC");
    assert_eq!(&SCENARIO[first.at.span().range()], "A29.start + 3m");
    match &first.at {
        ast::TimeExpr::Relative {
            activity,
            anchor,
            offset,
            ..
        } => {
            assert_eq!(activity.value, "A29");
            assert_eq!(*anchor, ast::Anchor::Start);
            assert_eq!(offset.as_ref().unwrap().value, Some(crate::time::Dur(180)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        &SCENARIO[first.expects[0].span.range()],
        "expect ATV-CRP-PRP-090 v1.1"
    );
    assert_eq!(first.expects[0].version.as_ref().unwrap().value, "1.1");
    assert!(first.expects[1].version.is_none());
    assert!(matches!(sc.injects[1].at, ast::TimeExpr::Absolute(_)));
    assert!(sc.injects[1].expects.is_empty() && sc.injects[2].expects.is_empty());
    assert_eq!(sc.span.end as usize, SCENARIO.rfind('}').unwrap() + 1);
}

#[test]
fn scenario_mistakes_are_reported_readably() {
    // A repeated `plan` is a repeated clause; a missing `at` names what was expected.
    let m = messages("scenario S { plan A plan B }");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("E004@25"), "{m:?}");
    let m = messages("scenario S {\n  inject X 2014/275 14:00\n}");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("expected `at`"), "{m:?}");
    assert!(!m[0].contains("_decl"), "{m:?}");
    let m = messages("scenario S {\n  inject X at A29.start { expect }\n}");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("expected a name"), "{m:?}");
    let m = messages("scenario S {\n  trainee FD\n}");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].contains("`trainees`"), "{m:?}");
    // Keywords do not run on into names: `handlesX` is not `handles` + `X`.
    assert_eq!(messages("procedure P { handlesX }").len(), 1);
}

#[test]
fn a_scenario_between_the_pieces_of_a_large_file_is_kept_whole() {
    let text = format!("{SAMPLE}\n{SCENARIO}\n{SAMPLE}");
    let (whole, _) = parse_fast(FileId(0), &text, usize::MAX).expect("parses whole");
    for piece in [64, 200, 1000] {
        assert!(split::pieces(&text, piece).is_some());
        let (ast, _) = parse_fast(FileId(0), &text, piece).expect("parses in pieces");
        assert_eq!(ast.scenarios.len(), 1);
        assert_eq!(
            format!("{ast:?}"),
            format!("{whole:?}"),
            "piece size {piece}"
        );
    }
}

#[test]
fn mixed_operators_are_said_to_be_mixed_wherever_the_clause_starts() {
    let text = "plan P {\n  window A 2014/272 00:00 .. 2014/272 01:00\n  activity X { needs/*c*/A & B | C }\n}\n";
    let (_, d) = parse_str(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].message, "`&` and `|` cannot be mixed in one `needs`");
    assert_eq!(&text[d[0].primary.span.range()], "|");
    assert_eq!(&text[d[0].secondary[0].span.range()], "&");
    assert_eq!(
        d[0].help.as_deref(),
        Some("a `needs` takes one operator: write `needs A & B & C` (inside all of them) or `needs A | B | C` (inside at least one)")
    );
    // Literals the language writes otherwise are invalid literals that say what to write.
    let m = messages("plan P { horizon 2014/5 00:00 .. 2014/006 9:00 }\n");
    assert_eq!(
        m,
        [
            "E002@17: invalid time `2014/5 00:00`: the day of year needs three digits",
            "E002@33: invalid time `2014/006 9:00`: the hour needs two digits",
        ]
    );
}

#[test]
fn a_text_starts_like_source_only_with_an_item_keyword_and_a_name() {
    for yes in [
        "plan P {}",
        "\u{FEFF}// c\r/* b */ procedure\tX-1 \"t\" {",
        "scenario/**/S",
        "plan\nP",
    ] {
        assert!(starts_like_source(yes), "{yes:?}");
    }
    for no in [
        "",
        "// only a comment",
        "root:x:0:0:root:/root:/bin/bash",
        "PATH=/usr/bin\0HOME=/root",
        "planP {}",
        "plan = 1",
        "Plan P {}",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
    ] {
        assert!(!starts_like_source(no), "{no:?}");
    }
    assert_eq!(first_token("  // x\r\n  /* y */ plan"), 18);
    assert_eq!(first_token("/* open"), 7);
}

#[test]
fn covers_takes_quoted_numeric_and_dotted_ids_with_exact_spans() {
    let text = "plan P {\n  activity A1 {\n    covers 4594, REQ-1.2@3f2a9c1b, SYS/12, \"REQ 1.2\"@ABCDEF12, \"a \\\"b\\\" \\\\c\", _x.y-z/9\n  }\n}\n";
    let (ast, diags) = parse_str(text);
    assert!(diags.is_empty(), "{diags:#?}");
    let covers = &ast.plans[0].activities[0].covers;
    let ids: Vec<&str> = covers.iter().map(|c| c.id.value.as_str()).collect();
    assert_eq!(
        ids,
        [
            "4594",
            "REQ-1.2",
            "SYS/12",
            "REQ 1.2",
            "a \"b\" \\c",
            "_x.y-z/9"
        ]
    );
    // Each span is the id as written (with its quotes), never the stamp.
    let written: Vec<&str> = covers.iter().map(|c| &text[c.id.span.range()]).collect();
    assert_eq!(
        written,
        [
            "4594",
            "REQ-1.2",
            "SYS/12",
            "\"REQ 1.2\"",
            "\"a \\\"b\\\" \\\\c\"",
            "_x.y-z/9"
        ]
    );
    let stamps: Vec<Option<&str>> = covers
        .iter()
        .map(|c| c.stamp.as_ref().map(|s| s.value.as_str()))
        .collect();
    assert_eq!(
        stamps,
        [None, Some("3f2a9c1b"), None, Some("abcdef12"), None, None]
    );
    assert_eq!(
        &text[covers[3].stamp.as_ref().unwrap().span.range()],
        "ABCDEF12"
    );
}

#[test]
fn a_cited_id_that_is_empty_has_a_control_character_or_ends_in_a_separator_is_refused() {
    for (bad, expected) in [
        ("covers \"\"", "requirement id"),
        ("covers \"REQ\t1\"", "requirement id"),
        ("covers \"REQ\u{1b}[2J\"", "requirement id"),
        ("covers REQ-1.", ""),
        ("covers REQ-1/", ""),
        ("covers REQ..1", ""),
        ("covers -REQ", "requirement id"),
    ] {
        let text = format!("plan P {{\n  activity A1 {{\n    {bad}\n  }}\n}}\n");
        let m = messages(&text);
        assert_eq!(m.len(), 1, "{bad:?}: {m:?}");
        assert!(m[0].starts_with("E001@"), "{bad:?}: {m:?}");
        assert!(m[0].contains(expected), "{bad:?}: {m:?}");
    }
}

#[test]
fn cited_form_is_what_the_grammar_reads_back() {
    for id in [
        "ATV-OPS-REQ-006",
        "4594",
        "REQ-1.2",
        "SYS/12",
        "REQ 1.2",
        "REQ-",
        "a\"b\\c",
        "1.10",
        "é-1",
        "x//y",
    ] {
        let form = cited_form(id).expect("citable");
        let text = format!("plan P {{\n  activity A1 {{ covers {form}@0123abcd }}\n}}\n");
        let (ast, diags) = parse_str(&text);
        assert!(diags.is_empty(), "{id:?} as {form}: {diags:#?}");
        assert_eq!(ast.plans[0].activities[0].covers[0].id.value, id, "{form}");
    }
    assert_eq!(cited_form("REQ-1.2").as_deref(), Some("REQ-1.2"));
    assert_eq!(cited_form("REQ 1.2").as_deref(), Some("\"REQ 1.2\""));
    assert_eq!(cited_form(""), None);
    assert_eq!(cited_form("a\tb"), None);
}

const ROSTER: &str = r#"roster W40 "Team" {
  plan ATV5-W40
  rules { daily rest 12h   max nights 2   night 22:00 .. 05:00 }
  position OM-DESK "Console" { fills OM, PLN   continuous during refuelling, 2014/275 00:00 .. 2014/276 00:00   minimum 2   trainees alone   handover 20m }
  duty HOT { continuous   response 30m }
  person JD "Jeanne Dupont" {
    qualified OM-DESK from 2014-09-01 until 2015/120
    trainee OM-DESK under MM until 2014/300 12:00
  }
  person MM
  shift JD OM-DESK 2014/272 06:00 .. 2014/272 14:15
  oncall MM HOT 2014/272 00:00 .. 2014/273 00:00 response 20m
  assign JD to A01, A07
}
"#;

#[test]
fn rosters_parse_with_spans() {
    let (ast, diags) = parse_str(ROSTER);
    assert!(diags.is_empty(), "{diags:#?}");
    let r = &ast.rosters[0];
    assert_eq!(&ROSTER[r.id.span.range()], "W40");
    assert_eq!(&ROSTER[r.plan.as_ref().unwrap().span.range()], "ATV5-W40");
    let rules: Vec<&str> = r.rules.iter().map(|w| &ROSTER[w.span.range()]).collect();
    assert_eq!(
        rules,
        ["daily rest 12h", "max nights 2", "night 22:00 .. 05:00"]
    );
    let p = &r.positions[0];
    assert_eq!(p.fills.len(), 2);
    assert_eq!(p.continuous[0].periods.len(), 2);
    assert_eq!(p.minimum.as_ref().unwrap().value, Some(2));
    assert!(p.trainees_alone.is_some());
    assert_eq!(&ROSTER[p.handover.as_ref().unwrap().span.range()], "20m");
    assert!(r.duties[0].continuous[0].periods.is_empty());
    let jd = &r.people[0];
    assert_eq!(jd.name.as_ref().unwrap().value, "Jeanne Dupont");
    let q = &jd.qualifications[0];
    assert!(q.under.is_none());
    let from = q.from.as_ref().unwrap();
    let until = q.until.as_ref().unwrap();
    assert!(from.day && until.day);
    assert_eq!(
        from.time.value,
        crate::time::Time::parse_doy("2014/244 00:00").ok()
    );
    assert_eq!(
        until.time.value,
        crate::time::Time::parse_doy("2015/120 00:00").ok()
    );
    let t = &jd.qualifications[1];
    assert_eq!(t.under.as_ref().unwrap().value, "MM");
    assert!(!t.until.as_ref().unwrap().day);
    assert!(r.people[1].qualifications.is_empty());
    assert_eq!(
        &ROSTER[r.shifts[0].interval.span.range()],
        "2014/272 06:00 .. 2014/272 14:15"
    );
    assert_eq!(
        &ROSTER[r.oncalls[0].response.as_ref().unwrap().span.range()],
        "20m"
    );
    let acts: Vec<&str> = r.assignments[0]
        .activities
        .iter()
        .map(|a| a.value.as_str())
        .collect();
    assert_eq!(acts, ["A01", "A07"]);
}

#[test]
fn roster_mistakes_are_reported_readably() {
    // A shift without its end, a day written with too few digits, a rule twice.
    let (_, diags) = parse_str("roster R {\n  shift JD OM 2014/272 06:00\n}\n");
    assert_eq!(diags[0].code, Code::SyntaxError);
    assert!(
        diags[0]
            .message
            .starts_with("expected an interval `T .. T`"),
        "{}",
        diags[0].message
    );
    let (_, diags) = parse_str("roster R {\n  person JD { qualified OM until 2015/12 }\n}\n");
    assert_eq!(diags[0].code, Code::InvalidLiteral);
    assert_eq!(diags[0].help.as_deref(), Some("write `2015/012`"));
    let (_, diags) = parse_str("roster R {\n  rules { handover 5m\n handover 10m }\n}\n");
    assert_eq!(diags[0].code, Code::RepeatedClause);
}

#[test]
fn training_records_parse_with_spans() {
    let text = "scenario S {\n  plan P\n  trainees FD, KVINCENT\n  instructor JROUX\n  held 2014/265 09:00 .. 2014-09-22T13:00Z\n  outcome passed\n}\n\
                roster R {\n  person K { qualified PLN-DESK from 2014/280 until 2015/100 after 3 scenarios\n    qualified OM-DESK after 1 scenario }\n}\n";
    let (ast, diags) = parse_str(text);
    assert!(diags.is_empty(), "{diags:#?}");
    let sc = &ast.scenarios[0];
    let names: Vec<&str> = sc.trainees.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(names, ["FD", "KVINCENT"]);
    let i = sc.instructor.as_ref().expect("an instructor");
    assert_eq!(
        (
            i.value.as_str(),
            &text[i.span.start as usize..i.span.end as usize]
        ),
        ("JROUX", "JROUX")
    );
    let held = sc.held.as_ref().expect("held");
    assert_eq!(
        &text[held.span.start as usize..held.span.end as usize],
        "2014/265 09:00 .. 2014-09-22T13:00Z"
    );
    assert_eq!(
        held.end.value,
        crate::time::Time::parse_doy("2014/265 13:00").ok()
    );
    let o = sc.outcome.as_ref().expect("an outcome");
    assert_eq!(o.value, ast::Outcome::Passed);
    assert_eq!(&text[o.span.start as usize..o.span.end as usize], "passed");
    let quals = &ast.rosters[0].people[0].qualifications;
    let after = quals[0].after.as_ref().expect("after");
    assert_eq!(after.value, Some(3));
    assert_eq!(
        &text[after.span.start as usize..after.span.end as usize],
        "3"
    );
    assert!(quals[0].from.is_some() && quals[0].until.is_some());
    assert_eq!(quals[1].after.as_ref().and_then(|a| a.value), Some(1));
    // Without `after`: no training required.
    let (ast, _) = parse_str("roster R { person K { qualified P } }");
    assert!(ast.rosters[0].people[0].qualifications[0].after.is_none());
}

#[test]
fn training_record_mistakes_are_reported_readably() {
    // Each of `instructor`, `held` and `outcome` once; an outcome is one of three words;
    // `after 0 scenarios` is no requirement.
    for (clause, again) in [
        ("instructor", "instructor A\n  instructor B"),
        (
            "held",
            "held 2014/265 09:00 .. 2014/265 10:00\n  held 2014/266 09:00 .. 2014/266 10:00",
        ),
        ("outcome", "outcome passed\n  outcome failed"),
    ] {
        let (_, diags) = parse_str(&format!("scenario S {{\n  {again}\n}}\n"));
        assert_eq!(diags.len(), 1, "{clause}: {diags:#?}");
        assert_eq!(diags[0].code, Code::RepeatedClause, "{clause}");
        assert!(diags[0].message.contains(clause), "{}", diags[0].message);
    }
    let m = messages("scenario S {\n  outcome success\n}");
    assert_eq!(m.len(), 1, "{m:?}");
    // Each word once, as a list.
    assert!(
        m[0].ends_with("expected one of `cancelled`, `failed`, or `passed`, found `success`"),
        "{m:?}"
    );
    let (_, diags) = parse_str("roster R { person K { qualified P after 0 scenarios } }");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, Code::InvalidLiteral);
    let m = messages("roster R { person K { qualified P after three scenarios } }");
    assert!(m[0].contains("expected a whole number"), "{m:?}");
    let m = messages("scenario S {\n  held 2014/265 09:00\n}");
    assert!(m[0].contains("expected an interval"), "{m:?}");
}

proptest::proptest! {
    /// A roster of generated lines (`fast_roster::tests::lines`: the canonical layout and
    /// the forms around it) parsed whole by pest and parsed in pieces (the middle ones by
    /// the hand reader when it accepts them) gives the same tree and the same findings;
    /// when the pieces cannot be read, the whole-file parse is what the caller uses.
    #[test]
    fn a_roster_in_pieces_gives_the_tree_of_the_whole_roster(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                6 => super::fast_roster::tests::lines(true),
                1 => super::fast_roster::tests::lines(false),
            ],
            1..24,
        )
    ) {
        let text = format!("roster R {{\n  person JD\n{}\n}}\n", lines.concat());
        if let Some((ast, diags)) = parse_fast(FileId(0), &text, 64) {
            let whole = parse_fast(FileId(0), &text, usize::MAX);
            proptest::prop_assert!(whole.is_some(), "pieces read what pest refuses: {:?}", text);
            let (whole, whole_diags) = whole.expect("checked");
            proptest::prop_assert_eq!(format!("{ast:?}"), format!("{whole:?}"));
            let sorted = |mut d: Vec<Diagnostic>| {
                d.sort_by_key(|d| (d.primary.span.start, d.message.clone()));
                format!("{d:?}")
            };
            proptest::prop_assert_eq!(sorted(diags), sorted(whole_diags));
        }
    }
}
