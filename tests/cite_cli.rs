//! Every id citable, per-module settings, dangling findings that tell the truth (issue
//! #16), as users run the binary: quoted and numeric ids in `covers` and in flight-rule
//! `traces`, a DOORS Next ReqIF module with integer ids traced through
//! `requirements: modules:` (prefix, need with except), `--prefix` on ReqIF, a module key
//! naming no module, an id deleted since the baseline and an export id cited in place of
//! the `Req ID`.
//!
//! The DOORS Next export is `tests/data/doors-next/amr.reqif` (and its baseline), written
//! by hand in the shape of a DOORS Next 7 export: artifact numbers as `ReqIF.ForeignID`
//! strings, one spec-object type per artifact type.

use assert_cmd::Command;
use std::path::Path;

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

/// Runs `opsplan ARGS` in `dir` and returns (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = opsplan().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// The one line of `text` that contains `needle`.
fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(needle)).collect();
    assert_eq!(
        lines.len(),
        1,
        "one line with {needle:?} expected in:\n{text}"
    );
    lines[0]
}

/// A plan whose one activity covers `covers`.
fn plan(covers: &str) -> String {
    format!(
        "plan ROVER {{\n  horizon 2025/060 00:00 .. 2025/061 00:00\n  roles OPS\n  activity D1 \"Drive\" {{\n    at 2025/060 09:00   lasts 1h   by OPS\n    covers {covers}\n  }}\n}}\n"
    )
}

/// A mission folder: `rover.plan` covering `covers`, `opsplan.yaml` holding `yaml`, and
/// the DOORS Next export with its baseline under `reqs/`.
fn doors_next_mission(covers: &str, yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("reqs/baseline")).unwrap();
    for f in ["amr.reqif", "baseline/amr-1.reqif"] {
        std::fs::copy(
            Path::new("tests/data/doors-next").join(f),
            d.join("reqs").join(f),
        )
        .unwrap();
    }
    std::fs::write(d.join("rover.plan"), plan(covers)).unwrap();
    std::fs::write(d.join("opsplan.yaml"), yaml).unwrap();
    dir
}

const MODULE: &str = "AMR Stakeholder Requirements";

/// The DOORS Next settings of docs/tracing.md ("DOORS Next").
fn modules_yaml(extra: &str) -> String {
    format!(
        "requirements:\n  sources: reqs/amr.reqif\n{extra}  modules:\n    {MODULE}:\n      prefix: AMR-\n      need: {{ attribute: Verification Method, except: [Not verified] }}\n"
    )
}

#[test]
fn a_doors_next_module_is_cited_with_its_prefix_and_needs_what_except_leaves() {
    let dir = doors_next_mission("AMR-4594, \"AMR-4595\"", &modules_yaml(""));
    let (code, out, err) = run_in(dir.path(), &["trace", "--color", "never"]);
    // AMR-4597 needs coverage and has none.
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(line_with(&out, "AMR-4594  ").contains("covered"), "{out}");
    assert!(line_with(&out, "AMR-4595  ").contains("covered"), "{out}");
    // `Not verified` is excepted: not required.
    assert!(
        line_with(&out, "AMR-4596  ").contains("not-required"),
        "{out}"
    );
    assert!(line_with(&out, "AMR-4597  ").contains("uncovered"), "{out}");
    assert!(
        out.contains("coverage 66.7 % (2 of 3 requirements that need coverage)"),
        "{out}"
    );
    // `reqs list` shows the module name to write under `modules:`, and the ids
    // `--prefix` makes, links between objects of the module included.
    let (code, out, err) = run_in(
        dir.path(),
        &["reqs", "list", "reqs/amr.reqif", "--prefix", "AMR-"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(&format!("\nmodule: {MODULE} (5 objects)\n")),
        "{out}"
    );
    assert!(
        out.contains("\nAMR-4594  [requirement, level 2]\n"),
        "{out}"
    );
    assert!(out.contains("  <- Satisfaction AMR-4595\n"), "{out}");
    // And `reqs diff` compares the prefixed ids of both exports.
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "reqs",
            "diff",
            "reqs/baseline/amr-1.reqif",
            "reqs/amr.reqif",
            "--prefix",
            "AMR-",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("\nadded   AMR-4597  "), "{out}");
    assert!(out.contains("\nremoved AMR-4598  "), "{out}");
    assert!(out.contains(", 4 unchanged"), "{out}");
    // The same prefix on the command line of `trace`, for a ReqIF export.
    std::fs::write(dir.path().join("opsplan.yaml"), "").unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "trace",
            "-r",
            "reqs/amr.reqif",
            "--prefix",
            "AMR",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(line_with(&out, "AMR-4594  ").contains("covered"), "{out}");
    assert!(!out.contains("Q002"), "{out}");
}

#[test]
fn a_bare_artifact_number_says_which_id_to_cite_not_a_near_one() {
    let dir = doors_next_mission("4594, AMR-4595", &modules_yaml(""));
    let (code, out, err) = run_in(dir.path(), &["trace", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("error[Q002]: activity D1 cites `4594`, which is not the id its requirement is cited by"),
        "{out}"
    );
    assert!(out.contains("--> rover.plan:6:12"), "{out}");
    assert!(
        out.contains("= `4594` is the export identifier of `AMR-4594`"),
        "{out}"
    );
    assert!(
        out.contains("= help: with `prefix: AMR-`, cite `AMR-4594`"),
        "{out}"
    );
    assert!(!out.contains("did you mean"), "{out}");
    assert!(
        out.contains("  activity D1 cites 4594 (the export id of AMR-4594)  [rover.plan:4:12]"),
        "{out}"
    );
    let (_, json, _) = run_in(dir.path(), &["trace", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cite = &json["artifacts"][0]["cites"][0];
    assert_eq!(cite["id"], "4594");
    assert_eq!(cite["cite_instead"], "AMR-4594");
    assert!(cite.get("suggestions").is_none(), "{cite}");
}

#[test]
fn a_module_key_naming_no_module_is_exit_2_with_the_modules_there_are() {
    let yaml = "requirements:\n  sources: reqs/amr.reqif\n  modules:\n    AMR Stakeholder Requirement:\n      prefix: AMR-\n";
    let dir = doors_next_mission("AMR-4594", yaml);
    let (code, out, err) = run_in(dir.path(), &["trace", "--color", "never"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert_eq!(out, "", "no trace written");
    assert!(
        err.contains("error[Q001]: `requirements: modules:` names the module `AMR Stakeholder Requirement`, which no export holds"),
        "{err}"
    );
    assert!(err.contains("--> opsplan.yaml:4:5"), "{err}");
    assert!(
        err.contains(&format!("= the modules of the exports: `{MODULE}`")),
        "{err}"
    );
    assert!(
        err.contains(&format!("= help: did you mean `{MODULE}`?")),
        "{err}"
    );
    // `opsplan check` fails on it too, never ignoring the key.
    let (code, out, _) = run_in(dir.path(), &["check", "--color", "never"]);
    assert_ne!(code, Some(0), "{out}");
    assert!(
        out.contains("names the module `AMR Stakeholder Requirement`"),
        "{out}"
    );
}

#[test]
fn an_id_deleted_since_the_baseline_says_so_with_the_baseline_text() {
    let yaml = modules_yaml("  baseline: reqs/baseline/amr-1.reqif\n");
    let dir = doors_next_mission("AMR-4594, AMR-4598", &yaml);
    let (code, out, err) = run_in(dir.path(), &["trace", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("error[Q002]: activity D1 cites `AMR-4598`, which was deleted since the baseline reqs/baseline/amr-1.reqif"),
        "{out}"
    );
    assert!(
        out.contains("= the baseline's text: The rover shall carry the mission flag on its mast."),
        "{out}"
    );
    // AMR-4594, AMR-4595 and AMR-4597 are one edit away: none is offered.
    assert!(!out.contains("did you mean"), "{out}");
    assert!(
        out.contains("  activity D1 cites AMR-4598 (deleted since the baseline reqs/baseline/amr-1.reqif)  [rover.plan:4:12]"),
        "{out}"
    );
    // The same through --changed-since, which lists the deletion too.
    std::fs::write(dir.path().join("opsplan.yaml"), modules_yaml("")).unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "trace",
            "--changed-since",
            "reqs/baseline/amr-1.reqif",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("AMR-4598 (deleted)"), "{out}");
    assert!(
        out.contains(
            "cites `AMR-4598`, which was deleted since the baseline reqs/baseline/amr-1.reqif"
        ),
        "{out}"
    );
}

#[test]
fn an_export_id_cited_in_place_of_the_req_id_names_the_req_id_not_a_near_id() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // SRS-4 has no Req ID: it keeps its export id, one edit from SRS-3.
    std::fs::write(
        d.join("reqs.csv"),
        "Object Identifier,Req ID,Object Text\nSRS-3,OPS-REQ-006,Each transfer shall be preceded by a GO poll.\nSRS-4,,The tank pressure shall stay below 22 bar.\n",
    )
    .unwrap();
    std::fs::write(d.join("p.plan"), plan("SRS-3, SRS-4")).unwrap();
    std::fs::write(
        d.join("opsplan.yaml"),
        "requirements:\n  sources: reqs.csv\n  id: Req ID\n",
    )
    .unwrap();
    let (code, out, err) = run_in(d, &["trace", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("= `SRS-3` is the export identifier of `OPS-REQ-006`"),
        "{out}"
    );
    assert!(
        out.contains("= help: with `id: Req ID`, cite `OPS-REQ-006`"),
        "{out}"
    );
    assert!(!out.contains("did you mean"), "{out}");
    // With --id on the command line, the same words.
    std::fs::write(d.join("opsplan.yaml"), "").unwrap();
    let (code, out, err) = run_in(
        d,
        &[
            "trace", "-r", "reqs.csv", "--id", "Req ID", "--color", "never",
        ],
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("= help: with `id: Req ID`, cite `OPS-REQ-006`"),
        "{out}"
    );
}

#[test]
fn quoted_and_numeric_ids_trace_from_plans_and_flight_rules_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("reqs.csv"),
        "Object Identifier,Object Text\n4594,Drive 100 m per sol.\n1.10,Report the position.\nREQ 1.2,Stow the arm.\nSYS/12,Keep the mast up.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("p.plan"),
        plan("4594, \"REQ 1.2\", SYS/12, \"REQ 1.2 \""),
    )
    .unwrap();
    // YAML reads 1.10 as the number 1.1: the digits written are kept.
    std::fs::write(
        d.join("rules.yaml"),
        "rules:\n  - id: FR-1\n    title: Drives apart\n    kind: min_separation\n    select: { kind: drive }\n    min: 1h\n    traces: [1.10, 4594]\n",
    )
    .unwrap();
    std::fs::write(
        d.join("opsplan.yaml"),
        "rules: [rules.yaml]\nrequirements:\n  sources: reqs.csv\n",
    )
    .unwrap();
    let (code, out, err) = run_in(d, &["trace", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}{err}");
    for id in ["4594", "1.10", "REQ 1.2", "SYS/12"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("{id}  ")) && l.contains("  covered  ")),
            "{id}: {out}"
        );
    }
    // The quoted id with a trailing blank is another id, pointed at as written.
    assert!(
        out.contains(
            "error[Q002]: activity D1 cites requirement `REQ 1.2 `, which no export holds"
        ),
        "{out}"
    );
    assert!(out.contains("--> p.plan:6:37"), "{out}");
    assert!(out.contains("help: did you mean `\"REQ 1.2\"`?"), "{out}");
    assert!(
        out.contains("  activity D1 cites \"REQ 1.2 \" (did you mean \"REQ 1.2\"?)  [p.plan:4:12]"),
        "{out}"
    );
    assert!(!out.contains("`1.1`"), "{out}");
}

#[test]
fn a_yaml_number_whose_digits_cannot_be_read_back_is_refused_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("reqs.csv"),
        "Object Identifier,Object Text\n1.10,x\n",
    )
    .unwrap();
    std::fs::write(d.join("p.plan"), plan("\"1.10\"")).unwrap();
    std::fs::write(
        d.join("rules.yaml"),
        "rules:\n  - id: FR-0\n    title: t\n    kind: min_separation\n    select: { kind: drive }\n    min: 1h\n    traces: &ids [1.10]\n  - id: FR-1\n    title: t\n    kind: min_separation\n    select: { kind: drive }\n    min: 1h\n    traces: *ids\n",
    )
    .unwrap();
    std::fs::write(
        d.join("opsplan.yaml"),
        "rules: [rules.yaml]\nrequirements:\n  sources: reqs.csv\n",
    )
    .unwrap();
    let (code, out, err) = run_in(d, &["trace", "--color", "never"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains("rule FR-1: `traces` entry `1.1` is a number to YAML, and the digits written for it cannot be read back"),
        "{err}"
    );
    assert!(err.contains("--> rules.yaml:13:13"), "{err}");
    // FR-0 writes the digits: it is read, and only FR-1 is refused.
    assert!(!err.contains("rule FR-0"), "{err}");
    assert!(
        err.contains("traces: [\\\"1.10\\\"]") || err.contains("traces: [\"1.10\"]"),
        "{err}"
    );
}

#[test]
fn fmt_keeps_every_form_of_cited_id_as_written() {
    let text = "plan P {\n  activity A1 {\n    covers 4594,\"REQ 1.2\"@3F2A9C1B ,  SYS/12, REQ-1.2@0123abcd, \"4595\"\n  }\n}\n";
    let out = opsplan()
        .args(["fmt", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let formatted = String::from_utf8(out.stdout).unwrap();
    assert!(
        formatted
            .contains("covers 4594, \"REQ 1.2\"@3F2A9C1B, SYS/12, REQ-1.2@0123abcd, \"4595\"\n"),
        "{formatted}"
    );
}

/// A ReqIF module and a CSV module (by its `Module` column), each with its own prefix; the
/// CSV module's `need` leaves out artifact types; a flight rule cites a bare number.
#[test]
fn two_modules_each_with_its_prefix_and_need() {
    let yaml = "rules: [rules.yaml]\nrequirements:\n  sources: reqs/\n  baseline: reqs/baseline/amr-1.reqif\n  need: { attribute: Verification Method, values: [Test, Inspection] }\n  justified:\n    AMR-4597: \"Verified on the rover test bed\"\n  modules:\n    AMR Stakeholder Requirements:\n      prefix: AMR-\n    SYS Requirements:\n      prefix: SYS\n      need: { attribute: Artifact Type, except: [Information, Heading] }\n";
    let dir = doors_next_mission("AMR-4595@165429fd5c14, SYS-15, \"SYS-13\"", yaml);
    let d = dir.path();
    std::fs::write(
        d.join("reqs/sys.csv"),
        "ID,Module,Artifact Type,Primary Text,Verification Method\n12,SYS Requirements,Heading,System,\n13,SYS Requirements,System Requirement,The system shall log every command.,Test\n14,SYS Requirements,Information,Logs are kept for 30 days.,\n15,SYS Requirements,System Requirement,The system shall time-tag commands in UTC.,\n",
    )
    .unwrap();
    std::fs::write(
        d.join("rules.yaml"),
        "rules:\n  - id: FR-1\n    title: Drives apart\n    kind: min_separation\n    select: { kind: drive }\n    min: 1h\n    traces: [4594, SYS-13]\n",
    )
    .unwrap();
    let (code, out, err) = run_in(d, &["trace", "--color", "never"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let status = |id: &str| {
        let row = line_with(&out, &format!("{id}  "));
        row.split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(status("AMR-4594"), "uncovered", "{out}");
    // The recorded fingerprint is that of the prefixed id: not suspect.
    assert_eq!(status("AMR-4595"), "covered", "{out}");
    assert_eq!(status("AMR-4596"), "not-required", "{out}");
    assert_eq!(status("AMR-4597"), "justified", "{out}");
    assert_eq!(status("SYS-13"), "covered", "{out}");
    assert_eq!(status("SYS-14"), "not-required", "{out}");
    // The module's need replaces the common one: no Verification Method, still needed.
    assert_eq!(status("SYS-15"), "covered", "{out}");
    assert!(!out.contains("SYS-12  "), "a heading: {out}");
    // In YAML the id to cite is written as YAML takes it, unquoted.
    assert!(
        out.contains("error[Q002]: flight rule FR-1 cites `4594`, which is not the id its requirement is cited by"),
        "{out}"
    );
    assert!(out.contains("--> rules.yaml:7:14"), "{out}");
    assert!(
        out.contains("= help: with `prefix: AMR-`, cite `AMR-4594`"),
        "{out}"
    );
}

#[test]
fn need_settings_that_would_be_ignored_and_module_ids_no_object_has_are_refused() {
    // `except` without the attribute it lists values of.
    let yaml = format!(
        "requirements:\n  sources: reqs/amr.reqif\n  modules:\n    {MODULE}:\n      need: {{ except: [Not verified] }}\n"
    );
    let dir = doors_next_mission("AMR-4594", &yaml);
    let (code, out, err) = run_in(dir.path(), &["trace", "--color", "never"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains(&format!(
            "opsplan.yaml:5:24: the `need` of module `{MODULE}` lists `except` but no `attribute`"
        )),
        "{err}"
    );
    // A module's `id` that none of its objects has.
    let yaml = format!(
        "requirements:\n  sources: reqs/amr.reqif\n  modules:\n    {MODULE}:\n      id: Req ID\n"
    );
    std::fs::write(dir.path().join("opsplan.yaml"), yaml).unwrap();
    let (code, out, err) = run_in(dir.path(), &["trace", "--color", "never"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains(&format!("the id attribute `Req ID` of module `{MODULE}` (`requirements: modules:` in opsplan.yaml) is an attribute of none of its objects; their attributes: `Artifact Type`, `Verification Method`")),
        "{err}"
    );
}
