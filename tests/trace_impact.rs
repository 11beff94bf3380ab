//! `opsplan trace --changed-since`: which requirement links carry a change (by type and
//! direction, `requirements: impact: follow:`), and how the impact list says why each
//! item is affected (docs/tracing.md, "Impact of a change").
//!
//! Small missions and CSV exports built here: a glossary term three requirements link
//! to, a requirement derived from one of them by a `Satisfies` column.

use assert_cmd::Command;
use std::path::Path;

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

fn run<I, S>(args: I) -> (Option<i32>, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = opsplan().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// The requirements: T-1 a glossary term that link to (untyped DOORS
/// out-links); R-4 satisfies R-2. `{r2}` is R-2's text.
const EXPORT: &str = "ID,Object Text,Out-links,Satisfies\n\
                      T-1,GO: the flight director's poll of the positions.,,\n\
                      R-1,The poll shall be held before each transfer.,T-1,\n\
                      R-2,{r2},T-1,\n\
                      R-3,The poll shall be held again after a hold.,T-1,\n\
                      R-4,The log of each poll shall be signed.,,R-2\n";

/// A mission (one activity per requirement, A1 covering R-1 …) with the current export
/// and a baseline in which R-2 said something else, and `opsplan.yaml` holding
/// `requirements:` plus `extra`.
fn mission(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = String::from(
        "plan FIX \"Fixture\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles MCC-M\n",
    );
    for k in 1..=4 {
        plan.push_str(&format!(
            "  activity A{k} \"Step {k}\" {{\n    at 2014/273 0{k}:00 lasts 30m by MCC-M\n    covers R-{k}\n  }}\n"
        ));
    }
    plan.push_str("}\n");
    std::fs::write(dir.path().join("plan.plan"), plan).unwrap();
    std::fs::write(
        dir.path().join("reqs.csv"),
        EXPORT.replace("{r2}", "The poll shall be logged."),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("baseline")).unwrap();
    std::fs::write(
        dir.path().join("baseline/reqs.csv"),
        EXPORT.replace("{r2}", "The poll shall be recorded."),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("opsplan.yaml"),
        format!("requirements:\n  sources: reqs.csv\n{extra}"),
    )
    .unwrap();
    dir
}

fn changed_since(dir: &Path, format: &str) -> (Option<i32>, String, String) {
    run([
        "trace".as_ref(),
        dir.as_os_str(),
        "--changed-since".as_ref(),
        dir.join("baseline/reqs.csv").as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
        "--color".as_ref(),
        "never".as_ref(),
    ])
}

/// The impact part of the text output: from `changed since the baseline:` to the legend.
fn impact_text(text: &str) -> &str {
    let start = text.find("changed since the baseline:").expect("an impact");
    let end = text[start..]
        .find("\n\n")
        .map_or(text.len(), |e| start + e + 1);
    &text[start..end]
}

#[test]
fn a_change_reaches_what_derives_from_it_and_not_the_requirements_sharing_a_term() {
    let dir = mission("");
    let (code, text, err) = changed_since(dir.path(), "text");
    // T-1 needs coverage and has none: a trace defect.
    assert_eq!(code, Some(1), "{err}");
    let plan = dir.path().join("plan.plan").display().to_string();
    let at = |line: usize| format!("[{plan}:{line}:12]");
    assert_eq!(
        impact_text(&text),
        format!(
            "changed since the baseline: R-2 (text changed)\n\
             requirement links followed (by default): Out-links from target to source (3 links), Satisfies from target to source (1 link); not followed: none\n  \
             R-4 derived from changed R-2 (via Satisfies, from target to source)\n\
             affected (2):\n  \
             * activity    A2  cites R-2 (text changed)  {}\n  \
             + activity    A4  cites R-4, derived from changed R-2 (via Satisfies)  {}\n  \
             (* cites a changed requirement itself; + cites a requirement derived from a changed one)\n",
            at(8),
            at(16)
        ),
        "{text}"
    );

    let (code, out, err) = changed_since(dir.path(), "json");
    assert_eq!(code, Some(1), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let imp = &json["impact"];
    assert_eq!(
        imp["links"],
        serde_json::json!({
            "configured": false,
            "followed": [
                {"type": "Out-links", "direction": "target-to-source", "direction_words": "from target to source", "links": 3},
                {"type": "Satisfies", "direction": "target-to-source", "direction_words": "from target to source", "links": 1}
            ],
            "not_followed": []
        })
    );
    assert_eq!(imp["linked"], serde_json::json!([["R-4", "R-2"]]));
    assert_eq!(
        imp["reached"],
        serde_json::json!([{
            "id": "R-4", "changed": "R-2", "from": "R-2", "type": "Satisfies",
            "way": "target-to-source", "depth": 1,
            "reason": "derived from changed R-2 (via Satisfies, from target to source)"
        }])
    );
    let affected = imp["affected"].as_array().unwrap();
    let view = |a: &serde_json::Value| {
        (
            a["name"].as_str().unwrap().to_string(),
            a["direct"].as_bool().unwrap(),
            a["cites_changed"].as_bool().unwrap(),
            a["reason"].as_str().unwrap().to_string(),
            a["requirements"].clone(),
        )
    };
    assert_eq!(
        affected.iter().map(view).collect::<Vec<_>>(),
        [
            (
                "A2".to_string(),
                true,
                true,
                "cites R-2 (text changed)".to_string(),
                serde_json::json!(["R-2"])
            ),
            (
                "A4".to_string(),
                true,
                false,
                "cites R-4, derived from changed R-2 (via Satisfies)".to_string(),
                serde_json::json!(["R-2"])
            ),
        ]
    );
}

#[test]
fn configured_link_types_and_directions_replace_the_defaults() {
    // Out-links from source to target: R-2's change reaches the term it links to, and
    // from there nothing (the term links nowhere); Satisfies is not followed.
    let dir = mission(
        "  impact:\n    follow:\n      - { type: out links, direction: source-to-target }\n",
    );
    let (code, text, err) = changed_since(dir.path(), "text");
    assert_eq!(code, Some(1), "{err}");
    let imp = impact_text(&text);
    assert!(
        imp.contains("\nrequirement links followed (as opsplan.yaml says): Out-links from source to target (3 links); not followed: Satisfies (1 link)\n  T-1 derived from changed R-2 (via Out-links, from source to target)\n"),
        "{imp}"
    );
    assert!(
        imp.contains("\naffected (1):\n  * activity    A2 "),
        "{imp}"
    );
    assert!(!imp.contains("A4"), "{imp}");
    // Both ways: from R-2 to T-1, then back from T-1 to R-1 and R-3 (and R-4 not: the
    // Satisfies link is still not followed).
    let dir = mission("  impact:\n    follow: [{type: Out-links, direction: both}]\n");
    let (_, text, err) = changed_since(dir.path(), "text");
    let imp = impact_text(&text);
    assert!(
        imp.contains("  R-1 derived from changed R-2 (via Out-links from T-1, from target to source; 2 links away)\n"),
        "{imp}{err}"
    );
    assert!(
        imp.contains("+ activity    A1  cites R-1, derived from changed R-2 (via Out-links from T-1, 2 links away)"),
        "{imp}"
    );
    assert!(!imp.contains("A4"), "{imp}");
    // Nothing followed.
    let dir = mission("  impact:\n    follow: []\n");
    let (_, text, _) = changed_since(dir.path(), "text");
    let imp = impact_text(&text);
    assert!(
        imp.contains("requirement links followed (as opsplan.yaml says): none; not followed: Out-links (3 links), Satisfies (1 link)\naffected (1):\n"),
        "{imp}"
    );
}

#[test]
fn a_configured_link_type_no_link_has_is_exit_2_naming_the_types_there_are() {
    let dir = mission(
        "  impact:\n    follow:\n      - { type: Satisfies, direction: target-to-source }\n      - { type: Satisfy, direction: target-to-source }\n",
    );
    let (code, out, err) = changed_since(dir.path(), "text");
    assert_eq!(code, Some(2), "{out}{err}");
    assert_eq!(out, "");
    let config = dir.path().join("opsplan.yaml");
    assert_eq!(
        err,
        format!(
            "opsplan: error: {}:6:17: requirements: impact: follow: no link of the exports has the type `Satisfy`; their link types: `Out-links`, `Satisfies`\n",
            config.display()
        )
    );
    // Without --changed-since the impact is not computed: the trace is written.
    let (code, out, _) = run(["trace".as_ref(), dir.path().as_os_str()]);
    assert_eq!(code, Some(1));
    assert!(out.contains("coverage "), "{out}");
}

#[test]
fn a_follow_entry_with_a_wrong_direction_or_key_is_a_located_error() {
    for (entry, message) in [
        (
            "{ type: Satisfies, direction: down }",
            "unknown variant `down`, expected one of `target-to-source`, `source-to-target`, `both`",
        ),
        ("{ type: Satisfies }", "missing field `direction`"),
        (
            "{ type: Satisfies, direction: both, depth: 3 }",
            "unknown field `depth`, expected `type` or `direction`",
        ),
    ] {
        let dir = mission(&format!("  impact:\n    follow:\n      - {entry}\n"));
        for command in ["trace", "check"] {
            let (code, out, err) = run([command.as_ref(), dir.path().as_os_str()]);
            assert_eq!(code, Some(2), "{entry}: {out}{err}");
            assert_eq!(out, "", "{entry}");
            assert!(
                err.starts_with(&format!(
                    "opsplan: error: {}:",
                    dir.path().join("opsplan.yaml").display()
                )),
                "{entry}: {err}"
            );
            assert!(err.contains(message), "{entry}: {err}");
        }
    }
}
