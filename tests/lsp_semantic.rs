//! The language server's semantic features (`opsplan::lsp::semantic`) on the example
//! mission `examples/atv5-week40`, checked with its `opsplan.yaml` (requirements traced):
//! hovers of the main kinds of names (snapshot), definition and references across files,
//! completion, and the code actions of a mission with defects.

use opsplan::lsp::semantic::{
    code_actions, complete, definition, hover, references, CompletionKind, Index,
};
use opsplan::source::FileId;
use opsplan::workspace::{check_paths, Run};
use std::path::PathBuf;

const WEEK: &str = "examples/atv5-week40";

fn week() -> (Run, Index) {
    let run = check_paths(&[PathBuf::from(WEEK)]).expect("the example mission loads");
    assert!(
        run.traced.is_some(),
        "the example names its requirement exports"
    );
    let index = Index::build(&run);
    (run, index)
}

/// The file of the run whose path ends with `name`.
fn file(run: &Run, name: &str) -> FileId {
    run.sources
        .ids()
        .find(|&f| run.sources.path(f).ends_with(name))
        .unwrap_or_else(|| panic!("no file {name} in the run"))
}

/// The offset of the first character of `needle` in `file` (after `after` when given).
fn offset(run: &Run, f: FileId, after: &str, needle: &str) -> usize {
    let text = run.sources.text(f);
    let from = text.find(after).unwrap_or_else(|| panic!("no {after:?}"));
    from + text[from..]
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?}"))
}

fn texts(run: &Run, spans: &[opsplan::source::Span]) -> Vec<(String, String)> {
    spans
        .iter()
        .map(|s| {
            let name = run
                .sources
                .path(s.file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            (name, run.sources.slice(*s).to_string())
        })
        .collect()
}

#[test]
fn hovers_of_the_main_kinds_of_names() {
    let (run, index) = week();
    let plan = file(&run, "atv5-week40.plan");
    let rules = file(&run, "flight-rules.yaml");
    let proc_file = file(&run, "ATV-FCP-RBT-020.proc");
    let cases = [
        ("activity", plan, offset(&run, plan, "activity A12", "A12")),
        (
            "procedure",
            plan,
            offset(&run, plan, "procedure ATV-FCP-REF-010", "ATV-FCP-REF-010"),
        ),
        (
            "requirement",
            proc_file,
            offset(&run, proc_file, "covers", "ATV-OPS-REQ-011"),
        ),
        (
            "flight rule",
            rules,
            offset(&run, rules, "id: FR-02", "FR-02"),
        ),
    ];
    let mut shown = String::new();
    for (what, f, at) in cases {
        let h = hover(&run, &index, f, at + 1).unwrap_or_else(|| panic!("a hover on {what}"));
        assert!(h.span.start as usize <= at + 1 && at < h.span.end as usize);
        shown.push_str(&format!(
            "=== {what}: `{}`\n{}\n",
            run.sources.slice(h.span),
            h.markdown
        ));
    }
    insta::assert_snapshot!("hovers", shown);
}

#[test]
fn definition_and_references_cross_files() {
    let (run, index) = week();
    let plan = file(&run, "atv5-week40.plan");
    // The procedure a plan names, in its version, is defined in its library file.
    let at = offset(&run, plan, "procedure ATV-FCP-REF-010", "ATV-FCP-REF-010");
    let defs = definition(&run, &index, plan, at);
    assert_eq!(
        texts(&run, &defs),
        [(
            "ATV-FCP-REF-010.proc".to_string(),
            "ATV-FCP-REF-010".to_string()
        )]
    );
    // The version written after it resolves to the same procedure.
    let v = offset(&run, plan, "procedure ATV-FCP-REF-010", "v3.2");
    assert_eq!(definition(&run, &index, plan, v + 1), defs);

    // An activity: its definition, and the references in its plan.
    let a11 = offset(&run, plan, "after  A11", "A11");
    let defs = definition(&run, &index, plan, a11);
    assert_eq!(
        texts(&run, &defs),
        [("atv5-week40.plan".into(), "A11".into())]
    );
    let with = references(&run, &index, plan, a11, true);
    let without = references(&run, &index, plan, a11, false);
    assert_eq!(with.len(), without.len() + 1);
    assert!(with.contains(&defs[0]) && !without.contains(&defs[0]));
    // Asked at the definition, the same answer.
    let at_def = defs[0].start as usize;
    assert_eq!(references(&run, &index, plan, at_def, true), with);

    // A requirement cited in a procedure is defined in the export.
    let f = file(&run, "ATV-FCP-RBT-020.proc");
    let at = offset(&run, f, "covers", "ATV-OPS-REQ-011");
    let defs = definition(&run, &index, f, at);
    assert_eq!(defs.len(), 1);
    assert!(run
        .sources
        .path(defs[0].file)
        .ends_with("atv-ops-requirements.reqif"));
    // Every cite of it, flight rules included.
    let refs = texts(&run, &references(&run, &index, f, at, false));
    assert!(
        refs.iter().any(|(f, _)| f == "flight-rules.yaml"),
        "{refs:?}"
    );
    assert!(refs.iter().all(|(_, t)| t == "ATV-OPS-REQ-011"), "{refs:?}");

    // A flight rule's id in the YAML is its definition.
    let rules = file(&run, "flight-rules.yaml");
    let at = offset(&run, rules, "id: FR-02", "FR-02");
    assert_eq!(
        texts(&run, &definition(&run, &index, rules, at)),
        [("flight-rules.yaml".into(), "FR-02".into())]
    );
    // Nothing between names.
    assert!(definition(&run, &index, plan, 0).is_empty());
}

#[test]
fn completion_offers_the_plans_own_names() {
    let (run, index) = week();
    let plan = file(&run, "atv5-week40.plan");
    let text = run.sources.text(plan);
    let at = offset(&run, plan, "after  A11", "A11") + 2;
    let items = complete(&run, &index, plan, text, at);
    let labels: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
    assert!(
        labels.contains(&"A11") && labels.contains(&"A10"),
        "{labels:?}"
    );
    assert!(items.iter().all(|c| c.kind == CompletionKind::Activity));
    // Requirement ids after `covers`, with their text as documentation.
    let at =
        offset(&run, plan, "covers ATV-OPS-REQ-003", "ATV-OPS-REQ-003") + "ATV-OPS-REQ-00".len();
    let items = complete(&run, &index, plan, text, at);
    let req = items
        .iter()
        .find(|c| c.label == "ATV-OPS-REQ-003")
        .expect("the cited requirement");
    assert_eq!(req.kind, CompletionKind::Requirement);
    assert!(req.documentation.as_ref().is_some_and(|d| !d.is_empty()));
    assert!(items.iter().all(|c| c.label.starts_with("ATV-OPS-REQ-00")));
}

#[test]
fn a_scenario_names_its_plan_activities_people_and_procedures() {
    let (run, index) = week();
    let scn = file(&run, "sim-rbt-overtemp.scn");
    let text = run.sources.text(scn);
    // `at A29.start + 3m`: the activity of the scenario's plan.
    let at = offset(&run, scn, "at A29", "A29");
    let defs = texts(&run, &definition(&run, &index, scn, at));
    assert_eq!(defs, [("atv5-week40.plan".into(), "A29".into())]);
    // `instructor JROUX`: the person of the plan's roster.
    let at = offset(&run, scn, "instructor", "JROUX");
    let defs = texts(&run, &definition(&run, &index, scn, at));
    assert_eq!(defs, [("atv5-week40.roster".into(), "JROUX".into())]);
    // `expect ATV-CRP-PRP-090 v1.1`: the procedure in that version.
    let at = offset(&run, scn, "expect", "v1.1");
    let defs = texts(&run, &definition(&run, &index, scn, at));
    assert_eq!(
        defs,
        [("ATV-CRP-PRP-090.proc".into(), "ATV-CRP-PRP-090".into())]
    );
    // Completion after `at` in an inject: the plan's activities.
    let at = offset(&run, scn, "at A29", "A29") + 2;
    let items = complete(&run, &index, scn, text, at);
    assert!(items.iter().any(|c| c.label == "A29"), "{items:?}");
    assert!(items.iter().all(|c| c.label.starts_with("A2")));
    // After `instructor`: people of the roster.
    let at = offset(&run, scn, "instructor", "JROUX") + 1;
    let items = complete(&run, &index, scn, text, at);
    assert!(items.iter().any(|c| c.label == "JROUX"), "{items:?}");
    assert!(items.iter().all(|c| c.kind == CompletionKind::Person));
}

#[test]
fn code_actions_of_the_mission_with_defects() {
    let run = check_paths(&[PathBuf::from("examples/atv5-week40-defects")])
        .expect("the example mission loads");
    let index = Index::build(&run);
    let mut titles = Vec::new();
    for f in run.sources.ids() {
        let len = run.sources.text(f).len();
        for a in code_actions(&run, &index, f, 0..len) {
            let d = &run.diagnostics[a.diagnostic.expect("every action fixes a finding")];
            assert_eq!(d.primary.span.file, f);
            for e in &a.edits {
                assert!(e.range.start <= e.range.end);
            }
            titles.push(format!(
                "{} {}: {}{}",
                d.code.info().code,
                run.sources.path(f).file_name().unwrap().to_string_lossy(),
                a.title,
                if a.preferred { " (preferred)" } else { "" }
            ));
            for e in &a.edits {
                titles.push(format!(
                    "    {} {}..{}: {:?}",
                    e.path.file_name().unwrap().to_string_lossy(),
                    e.range.start,
                    e.range.end,
                    e.new_text
                ));
            }
        }
    }
    insta::assert_snapshot!("defects_actions", titles.join("\n"));
}
