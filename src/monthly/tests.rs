//! Unit tests of the parsers and metrics, at their boundaries.

use super::anomalies::{self, Severity};
use super::asflown::{self, FlownStatus};
use super::cdm::{self, Screening};
use super::cdm_xml;
use super::changes;
use super::join;
use super::kpi::{self, Rag};
use super::manifest::{self, Selector, Target};
use super::metrics::{self, age_bucket, Inputs, Outcome, Planned};
use super::outages;
use super::table::{self, from_csv};
use super::*;
use std::collections::BTreeMap;

fn t(s: &str) -> Time {
    parse_time(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

const OCT: Month = Month {
    year: 2014,
    month: 10,
};

// ------------------------------------------------------------------ times and months

#[test]
fn times_in_every_accepted_form() {
    let want = Time::parse_iso("2014-10-27T17:42:00Z").expect("iso");
    for s in [
        "2014-10-27T17:42:00Z",
        "2014-10-27T17:42",
        "2014-10-27 17:42",
        "2014-10-27T17:42:00.000",
        "2014/300 17:42",
        "2014-300T17:42:00.000",
        " 2014-300T17:42:00.000Z ",
    ] {
        assert_eq!(t(s), want, "{s}");
    }
    assert_eq!(
        t("2014-10-27"),
        Time::parse_iso("2014-10-27T00:00").expect("iso")
    );
}

#[test]
fn impossible_times_are_errors_not_panics() {
    for s in [
        "",
        "yesterday",
        "2014-13-01 00:00",
        "2014-02-30",
        "2014-366T00:00:00",
        "2014/000 10:00",
        "2014-10-27 25:00",
        "99999-01-01",
        "2014-10-27T17:42:00.5.5",
    ] {
        assert!(parse_time(s).is_err(), "{s}");
    }
}

#[test]
fn month_bounds_are_half_open() {
    assert_eq!(OCT.start(), t("2014-10-01 00:00"));
    assert_eq!(OCT.end(), t("2014-11-01 00:00"));
    assert!(OCT.contains(t("2014-10-01 00:00")));
    assert!(OCT.contains(t("2014-10-31 23:59:59")));
    assert!(!OCT.contains(t("2014-11-01 00:00")));
    assert!(!OCT.contains(t("2014-09-30 23:59:59")));
    assert_eq!(OCT.days(), 31);
    assert_eq!(OCT.label(), "October 2014");
    let dec = Month::parse("2014-12").expect("month");
    assert_eq!(dec.next().to_string(), "2015-01");
    assert_eq!(Month::parse("2015-01").expect("m").previous(), dec);
    assert_eq!(Month::parse("2016-02").expect("m").days(), 29);
    for bad in ["2014-13", "2014-00", "14-10", "2014/10", "October", ""] {
        assert!(Month::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn numbers_and_durations_for_people() {
    assert_eq!(fixed1(94.25), "94.3");
    assert_eq!(fixed1(-0.04), "0.0");
    assert_eq!(fixed1(f64::NAN), "n/a");
    assert_eq!(show_pc(1e-5), "1e-5");
    assert_eq!(show_pc(3.2e-5), "3.2e-5");
    assert_eq!(show_pc(0.0), "0");
    assert_eq!(show_dur(Dur(6 * 3600 + 300)), "6 h 05 min");
    assert_eq!(show_dur(Dur(-600)), "-10 min");
    assert_eq!(show_dur(Dur(3 * 86_400 + 7200)), "3 d 2 h");
}

// ------------------------------------------------------------------ tables

#[test]
fn csv_cells_know_their_line_and_column() {
    let text = "\u{feff}a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n4,\"multi\nline\",6\n7;8\n";
    let (tab, problems) = from_csv(text.as_bytes());
    assert!(problems.is_empty());
    assert_eq!(tab.rows.len(), 4, "the empty line is skipped");
    assert_eq!(tab.rows[1].cells[1].text, "x, \"y\"");
    assert_eq!(tab.rows[1].cells[2].loc, Loc::LineCol(2, 14));
    assert_eq!(tab.rows[2].cells[1].text, "multi\nline");
    assert_eq!(
        tab.rows[2].cells[2].loc,
        Loc::LineCol(5, 7),
        "after the line break in a cell"
    );
    assert_eq!(tab.rows[3].cells[0].text, "7;8");
}

#[test]
fn windows_1252_and_semicolons() {
    let bytes = b"id;title\nAR-1;Caf\xe9 machine\n";
    let (tab, _) = from_csv(bytes);
    assert_eq!(tab.rows[1].cells[1].text, "Café machine");
}

#[test]
fn a_csv_mixing_encodings_is_one_problem_at_the_first_bad_byte() {
    let mut bytes = "id;title\nAR-1;Größe\n".as_bytes().to_vec();
    bytes.extend(b"AR-2;Caf\xe9\n");
    let (tab, problems) = from_csv(&bytes);
    assert!(tab.rows.is_empty());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].loc, Loc::LineCol(3, 9));
    assert!(problems[0].message.contains("mixes encodings"));
}

#[test]
fn an_unterminated_quote_is_located() {
    let (_, problems) = from_csv(b"a,b\n1,\"open\n");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].loc, Loc::LineCol(2, 3));
    assert_eq!(
        problems[0].render("f.csv"),
        "f.csv:2:3: error: this quoted cell is never closed (a `\"` is missing)"
    );
}

#[test]
fn an_unreadable_workbook_is_an_error() {
    assert!(table::from_workbook(b"PK\x03\x04garbage", "xlsx", None).is_err());
    assert!(table::from_workbook(b"", "ods", None).is_err());
}

// ------------------------------------------------------------------ as-flown

fn log(text: &str) -> (Vec<asflown::Flown>, Vec<Problem>) {
    asflown::read(&from_csv(text.as_bytes()).0)
}

#[test]
fn as_flown_statuses_and_times() {
    let (rows, problems) = log("Activity,Actual start,Actual end,Status,Comment\n\
         A1,2014/274 08:00,2014/274 09:00,Done,ok\n\
         A2,,,CANCELED,\n\
         A3,,,moved,to 282\n\
         A4,2014-10-02 10:00,2014-10-02 10:00,partial,zero length\n");
    assert!(problems.is_empty(), "{problems:?}");
    let st: Vec<FlownStatus> = rows.iter().map(|r| r.status).collect();
    assert_eq!(
        st,
        [
            FlownStatus::Done,
            FlownStatus::Cancelled,
            FlownStatus::Moved,
            FlownStatus::Partial
        ]
    );
    assert_eq!(rows[0].plan, None);
}

#[test]
fn as_flown_problems_name_the_allowed_values() {
    let (rows, problems) = log("Activity,Actual start,Actual end,Status\n\
         A1,2014/274 08:00,2014/274 09:00,finished\n\
         ,2014/274 08:00,2014/274 09:00,done\n\
         A3,2014/274 08:00,,done\n\
         A4,2014/274 08:00,2014/274 07:00,done\n\
         A5,2014/274 08:00,2014/274 09:00,\n");
    assert!(rows.iter().all(|r| !r.ok), "kept for the join, not counted");
    let messages: Vec<String> = problems.iter().map(|p| p.render("log.csv")).collect();
    assert_eq!(
        messages,
        [
            "log.csv:2:34: error: unknown status `finished`: the statuses are `done`, `partial`, `cancelled` or `moved`",
            "log.csv:3:1: error: the activity id is empty",
            "log.csv:4:19: error: the actual end is empty: a `done` activity needs its actual start and end",
            "log.csv:5:19: error: the actual end 2014/274 07:00 is before the actual start 2014/274 08:00",
            "log.csv:6:34: error: the status is empty: write `done`, `partial`, `cancelled` or `moved`",
        ]
    );
}

#[test]
fn a_table_without_its_columns_says_which_it_has() {
    let (_, problems) = log("Task,When\nA1,x\n");
    assert_eq!(problems.len(), 1);
    assert!(problems[0]
        .message
        .contains("no `activity`, `actual start`, `actual end`, `status` columns (columns found: `Task`, `When`)"));
    let (_, problems) = log("");
    assert_eq!(problems[0].loc, Loc::File);
}

// ------------------------------------------------------------------ anomalies

#[test]
fn anomalies_open_at_the_month_end_and_age_buckets() {
    let (list, problems) = anomalies::read(
        &from_csv(
            b"ID,Opened,Closed,Severity,Title\n\
              A,2014-10-31 23:00,,critical,x\n\
              B,2014-10-01,2014-11-01 00:00,major,closed at the end: open\n\
              C,2014-09-01,2014-10-31 23:59,minor,closed inside\n",
        )
        .0,
    );
    assert!(problems.is_empty(), "{problems:?}");
    let end = OCT.end();
    let open: Vec<&str> = list
        .iter()
        .filter(|a| a.open_at(end))
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(open, ["B", "A"]);
    assert_eq!(list[0].severity, Severity::Minor);
    // Bucket bounds are inclusive: 7, 30 and 90 days close their buckets.
    assert_eq!(
        [0, 7, 8, 30, 31, 90, 91, 10_000].map(age_bucket),
        [0, 0, 1, 1, 2, 2, 3, 3]
    );
}

#[test]
fn anomaly_problems() {
    let (_, problems) = anomalies::read(
        &from_csv(
            b"ID,Opened,Closed,Severity,Title\n\
              A,2014-10-05,2014-10-01,major,x\n\
              A,2014-10-05,,severe,\n",
        )
        .0,
    );
    let m: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
    assert!(m[0].starts_with("closed 2014/274 00:00 before it was opened"));
    assert_eq!(
        m[1],
        "anomaly `A` is listed twice (first at line 2, column 1)"
    );
    assert!(m[2].contains("the severities are `critical`, `major` or `minor`"));
    assert_eq!(m[3], "the title is empty");
}

// ------------------------------------------------------------------ change requests

#[test]
fn change_requests_need_their_decision_date() {
    let (list, problems) = changes::read(
        &from_csv(
            b"CR,Raised,Status,Decided,Title,Activities\n\
              CR-1,2014-10-01,approved,,x,\n\
              CR-2,2014-10-02,open,,y,\"A1; A2,A1\"\n\
              CR-3,2014-10-03,pending,,z,\n",
        )
        .0,
    );
    let ok: Vec<&changes::ChangeRequest> = list.iter().filter(|c| c.ok).collect();
    assert_eq!(ok.len(), 1, "rows with problems come back, not ok");
    assert_eq!(ok[0].activities, ["A1", "A2"]);
    assert!(problems[0]
        .message
        .starts_with("the decision date is empty"));
    assert!(problems[1]
        .message
        .contains("`open`, `approved`, `implemented`, `rejected` or `withdrawn`"));
}

// ------------------------------------------------------------------ CDMs

const CDM: &str = "CCSDS_CDM_VERS = 1.0
COMMENT a test message
CREATION_DATE = 2014-300T09:58:04.000
ORIGINATOR = JSPOC
MESSAGE_ID = M1
TCA = 2014-10-27T21:58:40.655
MISS_DISTANCE = 900 [m]
RELATIVE_SPEED = 13012.1 [m/s]
RELATIVE_POSITION_R = -0.5 [km]
RELATIVE_POSITION_T = 851.7 [m]
RELATIVE_POSITION_N = 262.4 [m]
COLLISION_PROBABILITY = 6.4E-05
COLLISION_PROBABILITY_METHOD = FOSTER-1992

OBJECT = OBJECT1
OBJECT_DESIGNATOR = 25544
OBJECT_NAME = ISS (ZARYA)
X = 1 [km]

OBJECT = OBJECT2
OBJECT_DESIGNATOR = 34427
OBJECT_NAME = COSMOS 2251 DEB
OBJECT_TYPE = DEBRIS
X = 2 [km]
";

#[test]
fn a_cdm_is_read() {
    let (c, problems) = cdm::parse(CDM);
    assert!(problems.is_empty(), "{problems:?}");
    let c = c.expect("cdm");
    assert_eq!(c.message_id, "M1");
    assert_eq!(c.creation, t("2014-10-27 09:58:04"));
    assert_eq!(c.r, -500.0, "km converted");
    assert_eq!(c.pc, Some(6.4e-5));
    assert_eq!(c.object2.name, "COSMOS 2251 DEB");
    assert_eq!(c.object2.kind, "DEBRIS");
    assert_eq!(c.line, 5);
}

#[test]
fn cdm_problems_are_located_by_line() {
    let bad = CDM
        .replace("6.4E-05", "NaN")
        .replace("900 [m]", "900 [ft]")
        .replace("COMMENT a test message", "not a pair")
        .replace("OBJECT_DESIGNATOR = 34427", "OBJECT_NAME = twice");
    let (c, problems) = cdm::parse(&bad);
    assert!(c.is_none());
    let m: Vec<String> = problems.iter().map(|p| p.render("x.kvn")).collect();
    assert!(
        m.contains(&"x.kvn:2: error: expected `KEY = value`, found `not a pair`".to_string()),
        "{m:?}"
    );
    assert!(
        m.contains(
            &"x.kvn:7: error: `MISS_DISTANCE` in [ft]: the unit must be [m] (or [km])".to_string()
        ),
        "{m:?}"
    );
    assert!(
        m.contains(
            &"x.kvn:12: error: `COLLISION_PROBABILITY` = `NaN` is not a finite number".to_string()
        ),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|s| s.starts_with("x.kvn:22: error: `OBJECT_NAME` is given twice")),
        "{m:?}"
    );
    assert!(
        m.contains(
            &"x.kvn: error: no `OBJECT_DESIGNATOR` for OBJECT2 (`OBJECT = OBJECT2` then its keys)"
                .to_string()
        ),
        "{m:?}"
    );
    let (_, p) = cdm::parse(&CDM.replace("6.4E-05", "1.5"));
    assert!(p[0].message.contains("is not a probability"));
    let (_, p) = cdm::parse("");
    assert_eq!(p[0].loc, Loc::File);
    let (_, p) =
        cdm::parse(&CDM.replace("TCA = 2014-10-27T21:58:40.655", "TCA = 2014-10-32T21:58"));
    assert!(p[0]
        .render("x.kvn")
        .starts_with("x.kvn:6: error: TCA: `2014-10-32T21:58` is not a time"));
}

#[test]
fn thresholds_and_the_box_are_inclusive() {
    let s = Screening::default();
    assert!(s.is_yellow(Some(1e-5)));
    assert!(!s.is_yellow(Some(9.99e-6)));
    assert!(!s.is_red(Some(9.99e-5)));
    assert!(s.is_red(Some(1e-4)));
    assert!(!s.is_yellow(None));
    let (c, _) = cdm::parse(CDM);
    let mut c = c.expect("cdm");
    assert!(s.in_box(&c), "R = -500 m is on the boundary");
    c.r = -500.1;
    assert!(!s.in_box(&c));
    c.r = 0.0;
    c.t = 25_000.0;
    c.n = -25_000.0;
    assert!(s.in_box(&c));
    c.n = -25_000.1;
    assert!(!s.in_box(&c));
}

#[test]
fn cdms_group_into_events_by_object_and_tca() {
    let (c, _) = cdm::parse(CDM);
    let base = c.expect("cdm");
    let mk = |id: &str, obj: &str, tca_shift: i64, created_shift: i64, pc: f64| {
        let mut c = base.clone();
        c.message_id = id.into();
        c.object2.designator = obj.into();
        c.tca = Time(base.tca.0 + tca_shift);
        c.creation = Time(base.creation.0 + created_shift);
        c.pc = Some(pc);
        c
    };
    let cdms = vec![
        mk("b", "34427", 30, 3600, 2e-4),
        mk("a", "34427", 0, 0, 1e-5),
        mk("c", "34427", 3600, 0, 1e-6), // exactly the gap: same event
        mk("d", "34427", 3601 + 5520, 0, 1e-6), // next orbit: another event
        mk("e", "11111", 0, 0, 1e-7),
    ];
    let ev = cdm::events(&cdms, &Screening::default());
    assert_eq!(ev.len(), 3);
    let e = ev
        .iter()
        .find(|e| e.object.designator == "34427")
        .expect("event");
    assert_eq!(e.cdms, [1, 2, 0], "by creation, then message id");
    assert_eq!(e.max_pc, Some(2e-4));
    assert_eq!(e.first_cdm, base.creation);
}

// ------------------------------------------------------------------ KPIs

#[test]
fn kpi_status_is_met_at_equality() {
    let higher = kpi::def("completion").expect("kpi");
    let tg = Target {
        target: 95.0,
        amber: 90.0,
    };
    assert_eq!(kpi::status(higher, tg, 95.0), Rag::Green);
    assert_eq!(kpi::status(higher, tg, 94.99), Rag::Amber);
    assert_eq!(kpi::status(higher, tg, 90.0), Rag::Amber);
    assert_eq!(kpi::status(higher, tg, 89.99), Rag::Red);
    let lower = kpi::def("open_critical").expect("kpi");
    let zero = Target {
        target: 0.0,
        amber: 0.0,
    };
    assert_eq!(kpi::status(lower, zero, 0.0), Rag::Green);
    assert_eq!(kpi::status(lower, zero, 1.0), Rag::Red);
    assert_eq!(kpi::trend(lower, 2.0, 1.0), "better");
    assert_eq!(kpi::trend(higher, 90.0, 90.01), "same");
}

#[test]
fn kpi_history_problems() {
    let (h, problems) = kpi::read_history(
        &from_csv(b"month,kpi,value\n2014-09,completion,94.8\n2014-09,completion,90\n2014-13,coverage,1\n2014-08,speed,1\n2014-08,coverage,NaN\n").0,
    );
    assert_eq!(h.len(), 1);
    let m: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert!(m[0].starts_with("completion for 2014-09 is given twice"));
    assert!(m[1].starts_with("`2014-13` is not a month"));
    assert!(m[2].starts_with("unknown KPI `speed`: the KPIs are `completion`"));
    assert_eq!(m[3], "`NaN` is not a number");
}

#[test]
fn manifest_errors_are_located() {
    let p = manifest::parse("plans: .\ncollision:\n  yellow: high\n");
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert_eq!(p.problems[0].loc, Loc::LineCol(3, 11));
    // A misspelt key names the key meant, which then counts as given but unreadable
    // (no "no plans" on top of it).
    let p = manifest::parse("plan: .\n");
    assert_eq!(
        p.problems[0].message,
        "unknown key `plan`: did you mean `plans`? (docs/monthly.md lists the keys)"
    );
    assert!(p.failed("plans") && p.failed("plan"));
    // Nothing close: serde's list of every key stands.
    let p = manifest::parse("colour: red\n");
    assert!(
        p.problems[0]
            .message
            .starts_with("unknown field `colour`, expected one of `reference`"),
        "{}",
        p.problems[0].message
    );
    // A value serde places at its key is located at the value.
    let p = manifest::parse("issue_date: 2025-04-02 10:00\n");
    assert_eq!(p.problems[0].loc, Loc::LineCol(1, 13), "{:?}", p.problems);
    let p = manifest::parse("plans: [a, b]\ncdm: d/\n");
    assert!(p.problems.is_empty());
    assert_eq!(p.manifest.plans.to_vec(), ["a", "b"]);
    assert_eq!(p.manifest.collision.yellow, 1e-5);
}

#[test]
fn a_manifest_nested_too_deep_is_refused_where_it_gets_too_deep() {
    let deep = format!(
        "plans: .\noutlook: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let p = manifest::parse(&deep);
    assert!(p.failed("plans"), "a refused file gives no key");
    let e = &p.problems[0];
    // `outlook` is the first level, its 64th bracket the 65th.
    assert_eq!(e.loc, Loc::LineCol(2, "outlook: ".len() + 64));
    assert!(
        e.message.contains("nested more than 64 levels deep"),
        "{}",
        e.message
    );
}

#[test]
fn selectors_pick_like_flight_rules() {
    let s = Selector {
        kind: vec!["telecon".into()],
        tag: vec!["collision-risk".into()],
    };
    assert!(s.matches(Some("telecon"), &["collision-risk".into()]));
    assert!(!s.matches(Some("telecon"), &[]));
    assert!(!s.matches(Some("od"), &["collision-risk".into()]));
    assert!(!Selector::default().matches(Some("telecon"), &[]));
}

// ------------------------------------------------------------------ metrics

fn act(plan: &str, id: &str, start: &str, kind: &str) -> Planned {
    let s = t(start);
    Planned {
        plan: plan.into(),
        id: id.into(),
        title: format!("{id} title"),
        kind: Some(kind.into()),
        tags: Vec::new(),
        critical: false,
        start: s,
        end: Time(s.0 + 1800),
        procedure: None,
    }
}

fn flown(id: &str, start: Option<&str>, status: FlownStatus) -> asflown::Flown {
    asflown::Flown {
        activity: id.into(),
        plan: None,
        start: start.map(t),
        end: start.map(|s| Time(t(s).0 + 1800)),
        status,
        comment: String::new(),
        loc: Loc::LineCol(2, 1),
        start_loc: Loc::LineCol(2, 3),
        end_loc: Loc::LineCol(2, 4),
        start_clock: true,
        end_clock: true,
        ok: true,
    }
}

fn compute(acts: &[Planned], log: &[asflown::Flown]) -> (metrics::Metrics, Vec<Problem>) {
    let none = Selector::default();
    let targets = BTreeMap::new();
    let (m, p) = metrics::compute(&Inputs {
        month: OCT,
        plans: &[],
        unread_plan_errors: &[],
        activities: acts,
        flown: log,
        anomalies: None,
        changes: None,
        cdms: None,
        outages: None,
        coverage: None,
        history: None,
        tolerance: Dur::minutes(5),
        far_from_plan: Dur(7 * 86_400),
        screening: Screening::default(),
        manoeuvres: &none,
        decisions: &none,
        targets: &targets,
        custom_kpis: &[],
        oncall_response: None,
        major_open_days: 30,
        dates: super::Dates::Iso,
    });
    (m, p.as_flown.into_iter().chain(p.changes).collect())
}

#[test]
fn planned_counts_use_the_month_edges() {
    let acts = [
        act("P", "SEP", "2014-09-30 23:59", "x"),
        act("P", "FIRST", "2014-10-01 00:00", "x"),
        act("P", "LAST", "2014-10-31 23:59", "x"),
        act("P", "NOV", "2014-11-01 00:00", "x"),
    ];
    let log = [
        flown("SEP", Some("2014-09-30 23:59"), FlownStatus::Done),
        flown("FIRST", Some("2014-10-01 00:00"), FlownStatus::Done),
    ];
    let (m, problems) = compute(&acts, &log);
    assert!(problems.is_empty());
    assert_eq!(m.counts.planned, 2);
    assert_eq!(m.counts.done, 1);
    assert_eq!(m.counts.not_reported, 1);
    assert_eq!(m.outside_month, 1, "the September row is not counted");
    assert_eq!(m.weeks.len(), 5, "1-5, 6-12, 13-19, 20-26, 27-31 Oct");
    assert_eq!(m.weeks[0].iso_week, 40);
}

#[test]
fn on_time_is_within_the_tolerance_inclusive() {
    let acts = [
        act("P", "EXACT", "2014-10-02 10:00", "x"),
        act("P", "EDGE", "2014-10-02 11:00", "x"),
        act("P", "EARLY", "2014-10-02 12:00", "x"),
        act("P", "LATE", "2014-10-02 13:00", "x"),
        act("P", "PART", "2014-10-02 14:00", "x"),
    ];
    let log = [
        flown("EXACT", Some("2014-10-02 10:00"), FlownStatus::Done),
        flown("EDGE", Some("2014-10-02 11:05"), FlownStatus::Done),
        flown("EARLY", Some("2014-10-02 11:55"), FlownStatus::Done),
        flown("LATE", Some("2014-10-02 13:05:01"), FlownStatus::Done),
        flown("PART", Some("2014-10-02 14:01"), FlownStatus::Partial),
    ];
    let (m, _) = compute(&acts, &log);
    let outcomes: Vec<Outcome> = m.results.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::OnTime,
            Outcome::OnTime,
            Outcome::OnTime,
            Outcome::Late,
            Outcome::Partial
        ]
    );
    assert_eq!(m.counts.on_time, 4, "a partial activity can start on time");
    let on_time = m.kpis.iter().find(|k| k.def.id == "on_time").expect("kpi");
    assert_eq!(on_time.value, Some(80.0));
}

#[test]
fn the_join_reports_unknown_ambiguous_and_repeated_rows() {
    let acts = [
        act("P1", "A1", "2014-10-02 10:00", "x"),
        act("P2", "A1", "2014-10-09 10:00", "x"),
        act("P1", "A2", "2014-10-02 11:00", "x"),
    ];
    let log = [
        flown("A1", Some("2014-10-02 10:00"), FlownStatus::Done),
        flown("A3", None, FlownStatus::Cancelled),
        flown("A2", None, FlownStatus::Cancelled),
        flown("A2", None, FlownStatus::Moved),
    ];
    let (_, problems) = compute(&acts, &log);
    let m: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m[0].starts_with("activity `A1` is in several plans (P1, P2)"));
    assert!(m[1].starts_with("activity `A3` is in none of the plans read"));
    assert!(m[2].starts_with("a second row for activity `A2` of plan `P1`"));
}

#[test]
fn status_changes_between_baselines() {
    let before: BTreeMap<String, String> =
        [("R1", "covered"), ("R2", "uncovered"), ("R3", "covered")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    let now: BTreeMap<String, String> = [("R1", "covered"), ("R2", "covered"), ("R4", "uncovered")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let c = metrics::status_changes(&before, &now);
    assert_eq!(
        c,
        [
            ("R2".into(), "uncovered".into(), "covered".into()),
            ("R3".into(), "covered".into(), "—".into()),
            ("R4".into(), "—".into(), "uncovered".into()),
        ]
    );
}

// ------------------------------------------------------------------ issue #17: inputs

#[test]
fn offsets_are_converted_to_utc_and_a_date_alone_has_no_clock() {
    let utc = t("2014-10-27 16:42");
    for s in [
        "2014-10-27T17:42+01:00",
        "2014-10-27T17:42:00+0100",
        "2014-10-27 17:42+01",
        "2014-10-27T11:42-05:00",
        "2014-10-27T16:42:00.250Z",
    ] {
        assert_eq!(t(s), utc, "{s}");
    }
    let s = parse_stamp("2014-10-27", DateFormat::Iso).expect("date");
    assert!(!s.has_clock);
    assert!(parse_stamp("2014/300", DateFormat::Iso).is_ok_and(|s| !s.has_clock));
    assert!(parse_stamp("2014-10-27 00:00", DateFormat::Iso).is_ok_and(|s| s.has_clock));
    let e = parse_time("2014-10-27T17:42+25:00").expect_err("bad offset");
    assert!(e.contains("`+25:00` is not a UTC offset"), "{e}");
}

#[test]
fn slash_dates_are_read_only_in_the_declared_order_and_errors_name_the_forms() {
    let e = parse_time("10/03/2025").expect_err("ambiguous");
    assert!(
        e.contains("is read only when monthly.yaml declares its order"),
        "{e}"
    );
    assert!(!e.contains("out of range"), "{e}");
    assert!(e.contains("write 2014-10-27T17:42:00Z"), "{e}");
    let dmy = parse_stamp("10/03/2025 14:00", DateFormat::DayMonthYear).expect("DD/MM");
    assert_eq!(dmy.time, t("2025-03-10 14:00"));
    let mdy = parse_stamp("10/03/2025", DateFormat::MonthDayYear).expect("MM/DD");
    assert_eq!(mdy.time, t("2025-10-03"));
    assert!(parse_stamp("31/02/2025", DateFormat::DayMonthYear).is_err());
    let e = parse_stamp("10/03/25", DateFormat::DayMonthYear).expect_err("2-digit year");
    assert!(
        e.contains("four digits") && e.contains("27/10/2014 17:42"),
        "{e}"
    );
    // Every error names the forms, an empty cell's too.
    for bad in ["", "soon", "2014-13-01"] {
        let e = parse_time(bad).expect_err(bad);
        assert!(e.contains("2014/300 17:42"), "{bad}: {e}");
    }
    assert_eq!(
        DateFormat::parse("dd/mm/yyyy"),
        Ok(DateFormat::DayMonthYear)
    );
    assert!(DateFormat::parse("D/M/Y").is_err());
}

#[test]
fn dates_before_the_first_satellite_or_after_the_report_are_implausible() {
    let ctx = ReadCtx {
        dates: DateFormat::Iso,
        month: Some(OCT),
        issued: Some(Issued {
            time: t("2014-11-03 08:00"),
            from_epoch: true,
        }),
    };
    assert!(ctx.plausible(t("1957-10-04"), "opened", "x").is_ok());
    assert!(ctx
        .plausible(t("1957-10-03 23:59"), "opened", "x")
        .is_err_and(|e| e.contains("before 1957-10-04")));
    assert!(ctx.plausible(t("2014-11-03 08:00"), "opened", "x").is_ok());
    let e = ctx
        .plausible(t("2205-03-13"), "opened", "2205-03-13")
        .expect_err("future");
    assert!(
        e.starts_with("opened `2205-03-13` is after the report is made (2014/307 08:00 UTC, SOURCE_DATE_EPOCH)"),
        "{e}"
    );
    assert!(ctx.after_month(OCT.end()));
    assert!(!ctx.after_month(Time(OCT.end().0 - 1)));
}

#[test]
fn a_bad_manifest_key_keeps_the_others() {
    let p = manifest::parse(
        "month: 2014-10\nplans: .\ncolour: blue\nas_flown: log.csv\ncollision:\n  yellow: high\n  our_objects: [25544, 1998-067A]\non_time_tolerance: 10m\n",
    );
    let at: Vec<Loc> = p.problems.iter().map(|p| p.loc.clone()).collect();
    assert_eq!(
        at,
        [Loc::LineCol(3, 1), Loc::LineCol(6, 11)],
        "{:?}",
        p.problems
    );
    assert_eq!(p.manifest.as_flown.as_deref(), Some("log.csv"));
    assert_eq!(p.manifest.plans.to_vec(), ["."]);
    assert_eq!(p.manifest.on_time_tolerance.as_deref(), Some("10m"));
    assert!(p.failed("colour") && p.failed("collision") && !p.failed("plans"));
    // Designators: numbers or text, one or a list.
    let p = manifest::parse("collision:\n  our_objects: [25544, 1998-067A]\n");
    assert_eq!(p.manifest.collision.our_objects.0, ["25544", "1998-067A"]);
    let p = manifest::parse("collision:\n  our_objects: 40115\n");
    assert_eq!(p.manifest.collision.our_objects.0, ["40115"]);
    // A syntax error leaves nothing known.
    let p = manifest::parse("plans: [a\nas_flown: x\n");
    assert!(p.failed("as_flown") && p.problems.len() == 1, "{p:?}");
}

#[test]
fn a_kvn_file_that_is_not_a_cdm_is_one_problem() {
    let (c, p) = cdm::parse("Screening notes\nM-1 = looked at\nnothing else\n");
    assert!(c.is_none());
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].loc, Loc::Line(1));
    assert!(p[0].message.starts_with("not a CDM"), "{}", p[0].message);
    // Comments may come first.
    assert!(cdm::kvn_first_line("COMMENT x\n\nCCSDS_CDM_VERS = 1.0\n").is_ok());
}

#[test]
fn cdm_units_are_required_in_kvn_and_the_tca_follows_the_creation() {
    let (_, p) = cdm::parse(&CDM.replace("900 [m]", "900"));
    assert!(
        p.iter().any(|p| p.loc == Loc::Line(7)
            && p.message.contains("has no unit")
            && p.message.contains("6.2.4.1")),
        "{p:?}"
    );
    let (c, p) = cdm::parse(&CDM.replace("13012.1 [m/s]", "13.0121 [km/s]"));
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(c.expect("cdm").relative_speed, Some(13012.1));
    let (_, p) = cdm::parse(&CDM.replace("13012.1 [m/s]", "13012.1 [ft/s]"));
    assert!(p[0].message.contains("the unit must be [m/s]"), "{p:?}");
    let (_, p) =
        cdm::parse(&CDM.replace("TCA = 2014-10-27T21:58:40.655", "TCA = 2014-10-27T09:00:00"));
    assert!(
        p.iter()
            .any(|p| p.loc == Loc::Line(6)
                && p.message.contains("is before the message was created")),
        "{p:?}"
    );
}

/// [`CDM`] in the XML form (with a namespace prefix, an entity and a CDATA section).
const CDM_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ndm:cdm xmlns:ndm="urn:ccsds:schema:ndmxml" id="CCSDS_CDM_VERS" version="1.0">
  <ndm:header>
    <ndm:COMMENT>a test message</ndm:COMMENT>
    <ndm:CREATION_DATE>2014-300T09:58:04.000</ndm:CREATION_DATE>
    <ndm:ORIGINATOR>JSPOC</ndm:ORIGINATOR>
    <ndm:MESSAGE_ID>M1</ndm:MESSAGE_ID>
  </ndm:header>
  <ndm:body>
    <ndm:relativeMetadataData>
      <ndm:TCA>2014-10-27T21:58:40.655</ndm:TCA>
      <ndm:MISS_DISTANCE units="m">900</ndm:MISS_DISTANCE>
      <ndm:RELATIVE_SPEED units="m/s">13012.1</ndm:RELATIVE_SPEED>
      <ndm:relativeStateVector>
        <ndm:RELATIVE_POSITION_R units="km">-0.5</ndm:RELATIVE_POSITION_R>
        <ndm:RELATIVE_POSITION_T>851.7</ndm:RELATIVE_POSITION_T>
        <ndm:RELATIVE_POSITION_N units="m"><![CDATA[262.4]]></ndm:RELATIVE_POSITION_N>
      </ndm:relativeStateVector>
      <ndm:COLLISION_PROBABILITY>6.4E-05</ndm:COLLISION_PROBABILITY>
      <ndm:COLLISION_PROBABILITY_METHOD>FOSTER-1992</ndm:COLLISION_PROBABILITY_METHOD>
    </ndm:relativeMetadataData>
    <ndm:segment>
      <ndm:metadata>
        <ndm:OBJECT>OBJECT2</ndm:OBJECT>
        <ndm:OBJECT_DESIGNATOR>34427</ndm:OBJECT_DESIGNATOR>
        <ndm:OBJECT_NAME>COSMOS 2251 DEB</ndm:OBJECT_NAME>
        <ndm:OBJECT_TYPE>DEBRIS</ndm:OBJECT_TYPE>
      </ndm:metadata>
      <ndm:data><ndm:stateVector><ndm:X units="km">2</ndm:X></ndm:stateVector></ndm:data>
    </ndm:segment>
    <ndm:segment>
      <ndm:metadata>
        <ndm:OBJECT>OBJECT1</ndm:OBJECT>
        <ndm:OBJECT_DESIGNATOR>25544</ndm:OBJECT_DESIGNATOR>
        <ndm:OBJECT_NAME>ISS &amp; ZARYA</ndm:OBJECT_NAME>
      </ndm:metadata>
      <ndm:data/>
    </ndm:segment>
  </ndm:body>
</ndm:cdm>
"#;

#[test]
fn an_xml_cdm_says_what_its_kvn_form_says() {
    let (x, p) = cdm_xml::parse(CDM_XML);
    assert!(p.is_empty(), "{p:?}");
    let x = x.expect("cdm");
    let (k, _) = cdm::parse(CDM);
    let k = k.expect("cdm");
    assert_eq!(
        (x.message_id.as_str(), x.creation, x.tca, x.miss_distance),
        (k.message_id.as_str(), k.creation, k.tca, k.miss_distance)
    );
    assert_eq!((x.r, x.t, x.n, x.pc), (k.r, k.t, k.n, k.pc));
    assert_eq!(x.object1.designator, "25544", "by <OBJECT>, not by order");
    assert_eq!(x.object1.name, "ISS & ZARYA");
    assert_eq!(x.object2.kind, "DEBRIS");
    assert_eq!(x.line, 7);
}

#[test]
fn xml_cdm_problems_are_located_at_their_element() {
    let bad = |from: &str, to: &str| {
        let (c, p) = cdm_xml::parse(&CDM_XML.replace(from, to));
        assert!(c.is_none(), "{from} → {to}");
        p.iter().map(|p| p.render("x.xml")).collect::<Vec<_>>()
    };
    let m = bad(
        "<ndm:MISS_DISTANCE units=\"m\">900",
        "<ndm:MISS_DISTANCE units=\"ft\">900",
    );
    assert_eq!(
        m,
        ["x.xml:12: error: `MISS_DISTANCE` in [ft]: the unit must be [m] (or [km])"]
    );
    let m = bad(
        "<ndm:OBJECT>OBJECT1</ndm:OBJECT>",
        "<ndm:OBJECT>OBJECT2</ndm:OBJECT>",
    );
    assert!(
        m.contains(&"x.xml:31: error: OBJECT2 is described twice".to_string()),
        "{m:?}"
    );
    let m = bad("</ndm:TCA>", "</ndm:TCX>");
    assert!(
        m[0].starts_with("x.xml:11: error: the file is not well-formed XML"),
        "{m:?}"
    );
    let m = bad("<ndm:cdm ", "<ndm:oem ");
    assert!(
        m[0].contains("not a CDM: the root element is <oem>"),
        "{m:?}"
    );
    let m = bad(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<?xml version=\"1.0\"?><!DOCTYPE cdm [<!ENTITY a \"aaaa\">]>",
    );
    assert!(m[0].contains("declares entities"), "{m:?}");
    let deep = format!(
        "<cdm version=\"1.0\">{}{}</cdm>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let (_, p) = cdm_xml::parse(&deep);
    assert!(p[0].message.contains("nested more than 32"), "{p:?}");
    let (_, p) = cdm_xml::parse("");
    assert!(p[0].message.starts_with("not a CDM"), "{p:?}");
}

#[test]
fn our_object_first_a_cdm_about_others_is_told_apart() {
    let (c, _) = cdm::parse(CDM);
    let base = c.expect("cdm");
    let ours = [cdm::designator_key("025544")];
    let mut c = base.clone();
    assert_eq!(cdm::orient(&mut c, &ours), cdm::Orientation::Ours);
    let mut c = base.clone();
    std::mem::swap(&mut c.object1, &mut c.object2);
    assert_eq!(cdm::orient(&mut c, &ours), cdm::Orientation::Swapped);
    assert_eq!(
        c.object2.designator, "34427",
        "the other object is the secondary"
    );
    let mut c = base.clone();
    c.object1.designator = "11111".into();
    assert_eq!(cdm::orient(&mut c, &ours), cdm::Orientation::NotOurs);
    // By international designator too.
    c.object1.international = "1998-067a".into();
    assert_eq!(
        cdm::orient(&mut c, &[cdm::designator_key("1998-067A")]),
        cdm::Orientation::Ours
    );
}

#[test]
fn history_rows_of_the_month_or_later_are_warned_not_used() {
    let ctx = ReadCtx {
        month: Some(OCT),
        ..ReadCtx::default()
    };
    let (h, p) = kpi::read_history_with(
        &from_csv(b"month,kpi,value\n2014-09,coverage,70\n2014-10,coverage,99\n2014-10,completion,99\n2015-01,coverage,1\n1914-10,coverage,1\n").0,
        &ctx,
    );
    assert_eq!(
        h.keys().map(|m| m.to_string()).collect::<Vec<_>>(),
        ["2014-09"]
    );
    let mut p = p;
    p.sort();
    let m: Vec<String> = p.iter().map(|p| p.render("h.csv")).collect();
    assert_eq!(
        m,
        [
            "h.csv:3:1: warning: 2 rows for 2014-10 are not used: 2014-10 is the month reported, whose values this report computes from its inputs",
            "h.csv:5:1: warning: 1 row for 2015-01 is not used: 2015-01 is after the month reported (2014-10)",
            "h.csv:6:1: error: the month `1914-10` is before 1957-10 (the first satellite): no report is that old; is the year mistyped?",
        ]
    );
}

#[test]
fn a_log_row_with_a_problem_is_still_joined_to_the_plans() {
    let (rows, problems) = log("Activity,Plan,Actual start,Actual end,Status\n\
         A9,P,2014-10-02,2014-10-02 11:00,done\n\
         A1,P,,,finished\n");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].message.contains("has no time of day"),
        "{problems:?}"
    );
    let acts = [act("P", "A1", "2014-10-02 10:00", "x")];
    let (m, join) = compute(&acts, &rows);
    let j: Vec<&str> = join.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        j,
        ["activity `A9` is not in plan `P`"],
        "the bad rows are joined"
    );
    assert_eq!(m.counts.not_reported, 1, "and never counted");
}

#[test]
fn done_activities_are_early_or_late_and_far_times_are_warned() {
    let acts = [
        act("P", "E", "2014-10-02 10:00", "x"),
        act("P", "L", "2014-10-02 11:00", "x"),
        act("P", "F", "2014-10-03 11:00", "x"),
    ];
    let log = [
        flown("E", Some("2014-10-02 09:54:59"), FlownStatus::Done),
        flown("L", Some("2014-10-02 11:05:01"), FlownStatus::Done),
        flown("F", Some("2014-10-11 11:00"), FlownStatus::Done),
    ];
    let (m, problems) = compute(&acts, &log);
    let o: Vec<Outcome> = m.results.iter().map(|r| r.outcome).collect();
    assert_eq!(o, [Outcome::Early, Outcome::Late, Outcome::Late]);
    assert_eq!(m.counts.done, 3);
    assert_eq!(m.counts.deviated, 3);
    let w: Vec<String> = problems.iter().map(|p| p.render("log.csv")).collect();
    assert_eq!(w.len(), 2, "start and end of F: {w:#?}");
    assert!(w[0].starts_with("log.csv:2:3: warning: the actual start 2014/284 11:00 is 8 d 0 h after the planned start of `F`"), "{w:#?}");
}

#[test]
fn change_requests_are_matched_to_the_plans_as_the_log_is() {
    let acts = [
        act("P", "A1", "2014-10-02 10:00", "x"),
        act("Q", "A1", "2014-11-02 10:00", "x"),
    ];
    let (crs, problems) = changes::read(
        &from_csv(
            b"CR,Raised,Status,Decided,Plan,Activities,Title\n\
              C1,2014-10-01,approved,2014-10-01,,A1,in P and Q: the one planned in the month\n\
              C2,2014-10-01,approved,2014-10-01,P,A2,not in P\n\
              C3,2014-10-01,open,,R,B1,another month's plan\n\
              C4,2014-10-01,approved,2014-10-01,R,B1,changes the month: must be read\n\
              C5,2014-09-01,approved,2014-09-01,R,B1,September's: not listed\n\
              C6,2014-10-01,pending,,P,A7,a bad row is still matched\n",
        )
        .0,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    let idx = join::Index::new(&acts, OCT, &["A1", "A2", "B1", "A7"]);
    let (found, p) = join::change_requests(&idx, &crs);
    let c1 = crs.iter().position(|c| c.id == "C1").expect("C1");
    assert_eq!(found[c1], [0], "C1 resolves by the month");
    let m: Vec<String> = p.iter().map(|p| p.render("c.csv")).collect();
    assert_eq!(m.len(), 4, "{m:#?}");
    assert!(
        m[0].starts_with(
            "c.csv:3:37: error: change request `C2`: activity `A2` is not in plan `P`"
        ),
        "{m:#?}"
    );
    assert!(m[1].starts_with("c.csv:4:21: note: change request `C3`: plan `R` is not among the plans read (P, Q), so it is not checked"), "{m:#?}");
    assert!(m[2].starts_with("c.csv:5:35: error: change request `C4`: plan `R` is not among the plans read (P, Q); it is approved and decided in October 2014"), "{m:#?}");
    assert!(
        m[3].starts_with(
            "c.csv:7:26: error: change request `C6`: activity `A7` is not in plan `P`"
        ),
        "{m:#?}"
    );
}

#[test]
fn outage_systems_are_one_system_ignoring_case_and_blanks() {
    let ctx = ReadCtx {
        month: Some(OCT),
        ..ReadCtx::default()
    };
    let (log, p) = outages::read_with(
        &from_csv(
            b"System,Start,End,Kind\n\
              Kiruna Station,2014-10-03 10:00,2014-10-03 11:00,unplanned\n\
              KIRUNA station,2014-10-03 10:30,2014-10-03 12:00,unplanned\n\
              Kiruna Station,2014-12-03 10:30,2014-12-03 12:00,unplanned\n",
        )
        .0,
        &ctx,
    );
    assert!(log.iter().all(|o| o.system == "Kiruna Station"));
    let a = outages::availability(OCT, &log);
    assert_eq!((a.len(), a[0].unplanned_s), (1, 2 * 3600));
    let m: Vec<String> = p.iter().map(|p| p.render("o.csv")).collect();
    assert_eq!(m.len(), 2, "{m:#?}");
    assert!(
        m[0].starts_with("o.csv:3:1: note: system `KIRUNA station` is counted as `Kiruna Station`"),
        "{m:#?}"
    );
    assert!(
        m[1].starts_with("o.csv:4:1: note: 1 outage of the log does not touch October 2014"),
        "{m:#?}"
    );
}

#[test]
fn cut_or_garbled_cdms_are_problems_never_panics() {
    // Every prefix of both forms, and bytes overwritten by a fixed pseudo-random walk: a
    // problem or a CDM, never a panic (the XML reader also runs inside
    // `context::contain_panic` in `workspace::monthly`).
    for text in [CDM, CDM_XML] {
        for (i, _) in text.char_indices() {
            let _ = cdm::parse(&text[..i]);
            let _ = cdm_xml::parse(&text[..i]);
        }
        let mut seed: u64 = 0x5eed;
        for _ in 0..2_000 {
            let mut bytes = text.as_bytes().to_vec();
            for _ in 0..4 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let at = (seed >> 33) as usize % bytes.len();
                bytes[at] = b"<>/=[]&;\"' \nZ+-.:0x"[(seed >> 20) as usize % 19];
            }
            let garbled = String::from_utf8_lossy(&bytes);
            let _ = cdm::parse(&garbled);
            let _ = cdm_xml::parse(&garbled);
        }
    }
}

#[test]
fn dates_are_written_in_the_notation_chosen_to_the_minute() {
    use super::Dates;
    // 2014-10-27 (GMT 300) 23:59:59: the seconds dropped, never rounded into the next day.
    let late = t("2014-10-27 23:59:59");
    assert_eq!(Dates::Iso.time(late), "2014-10-27 23:59");
    assert_eq!(Dates::DayOfYear.time(late), "2014/300 23:59");
    assert_eq!(Dates::Iso.date(late), "2014-10-27");
    assert_eq!(Dates::DayOfYear.date(late), "2014/300");
    // A register's date alone stays a date.
    let day = t("2014-10-03");
    assert_eq!(Dates::Iso.stamp(day, false), "2014-10-03");
    assert_eq!(Dates::Iso.stamp(day, true), "2014-10-03 00:00");
    assert_eq!(
        manifest::parse("dates: day-of-year\n").manifest.dates,
        Dates::DayOfYear
    );
    assert_eq!(
        manifest::parse("month: 2014-10\n").manifest.dates,
        Dates::Iso
    );
    let bad = manifest::parse("month: 2014-10\ndates: julian\n");
    assert_eq!(bad.failed, vec!["dates".to_string()]);
    assert!(bad.problems[0].message.contains("day-of-year"), "{bad:?}");
}
