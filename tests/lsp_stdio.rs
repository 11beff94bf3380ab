//! `opsplan lsp` as an editor runs it (issue #19): JSON-RPC with `Content-Length`
//! framing over the binary's stdio. A session on the example mission (diagnostics on
//! open and after an edit, every request the server offers, shutdown and exit), and the
//! robustness of the server: malformed input, unknown methods and documents, a request
//! before `initialize`, a panic in a handler, the end of stdin.
//!
//! Hover, definition, references, completion and code actions answer through
//! `lsp::semantic`; their snapshots are re-accepted when its bodies change.

mod common;

use common::lsp::{relative, Client};
use serde_json::{json, Value};
use std::time::Duration;

const PLAN: &str = "examples/atv5-week40/atv5-week40.plan";

/// The position (line, UTF-16 column) of the `nth` occurrence of `needle` in `text`
/// (ASCII lines), plus `shift` characters.
fn pos_of(text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} in the text"))
        .0;
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..at].chars().map(char::len_utf16).sum::<usize>() + shift;
    json!({"line": line, "character": character})
}

fn doc(uri: &str) -> Value {
    json!({"uri": uri})
}

#[test]
fn lsp_help_succeeds_for_the_vs_code_extension_probe() {
    assert_cmd::Command::cargo_bin("opsplan")
        .unwrap()
        .args(["lsp", "--help"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Language Server Protocol"));
}

#[test]
fn a_session_on_the_example_mission() {
    let mut c = Client::spawn();
    let init = c.initialize();
    let caps = &init["result"]["capabilities"];
    assert_eq!(
        caps["textDocumentSync"]["change"], 2,
        "incremental sync: {init}"
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "opsplan");

    let text = std::fs::read_to_string(common::lsp::repo_root().join(PLAN)).unwrap();
    let uri = c.open(PLAN);
    // The server answers in order: every publish of the open's check comes first.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": doc(&uri)}),
    );
    let published = c.take_diagnostics();
    let plan_findings = published
        .get(&uri)
        .expect("the plan's findings are published");
    assert_eq!(plan_findings["version"], 1);
    insta::assert_json_snapshot!("open_diagnostics", relative(&json!(published)));
    insta::assert_json_snapshot!("document_symbols", relative(&symbols["result"]));

    // The requests of the semantic half, on the name `A03` in `after A03`.
    let at = pos_of(&text, "after A03", 0, "after ".len() + 1);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": doc(&uri), "position": at}),
    );
    let definition = c.request(
        "textDocument/definition",
        json!({"textDocument": doc(&uri), "position": at}),
    );
    let references = c.request(
        "textDocument/references",
        json!({"textDocument": doc(&uri), "position": at, "context": {"includeDeclaration": true}}),
    );
    let completion = c.request(
        "textDocument/completion",
        json!({"textDocument": doc(&uri), "position": at}),
    );
    let finding_range = &plan_findings["diagnostics"][0]["range"];
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": doc(&uri), "range": finding_range,
               "context": {"diagnostics": [plan_findings["diagnostics"][0].clone()]}}),
    );
    for r in [&hover, &definition, &references, &completion, &actions] {
        assert!(r.get("error").is_none(), "{r}");
    }
    insta::assert_json_snapshot!(
        "semantic_requests",
        relative(&json!({
            "hover": hover["result"],
            "definition": definition["result"],
            "references": references["result"],
            "completion": completion["result"],
            "codeAction": actions["result"],
        }))
    );

    let symbols = c.request("workspace/symbol", json!({"query": "A0"}));
    insta::assert_json_snapshot!("workspace_symbols", relative(&symbols["result"]));

    // An edit that breaks the layout only: formatting puts it back, and the range
    // formatting of the other lines changes nothing.
    let a01 = pos_of(&text, "at 2014/272 06:30", 0, 0);
    let line = a01["line"].as_u64().unwrap();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                             "end": {"line": line, "character": 6}},
                                   "text": "            "}]}),
    );
    let formatting = c.request(
        "textDocument/formatting",
        json!({"textDocument": doc(&uri), "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let elsewhere = c.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": doc(&uri), "options": {"tabSize": 2, "insertSpaces": true},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": line - 1, "character": 0}}}),
    );
    let here = c.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": doc(&uri), "options": {"tabSize": 2, "insertSpaces": true},
               "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 3}}}),
    );
    insta::assert_json_snapshot!(
        "formatting",
        json!({"formatting": formatting["result"], "rangeElsewhere": elsewhere["result"], "rangeHere": here["result"]})
    );
    assert_eq!(elsewhere["result"], json!([]));
    assert_eq!(formatting["result"], here["result"]);
    c.take_diagnostics();

    // An edit that introduces an error: its findings are published for version 3.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                             "end": {"line": line, "character": 0}},
                                   "text": "      after A99\n"}]}),
    );
    let _ = c.request("workspace/symbol", json!({"query": "A99"}));
    let published = c.take_diagnostics();
    let after = published.get(&uri).expect("the plan's findings again");
    assert_eq!(after["version"], 3);
    let messages: Vec<&str> = after["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("A99")),
        "a finding names A99: {messages:?}"
    );
    insta::assert_json_snapshot!("edited_diagnostics", relative(&json!(published)));

    // A document that does not parse is never formatted.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4},
               "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                             "end": {"line": line, "character": 0}},
                                   "text": "      activity ??? {\n"}]}),
    );
    let none = c.request(
        "textDocument/formatting",
        json!({"textDocument": doc(&uri), "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(none["result"], json!([]), "{none}");
    let none = c.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": doc(&uri), "options": {"tabSize": 2, "insertSpaces": true},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 400, "character": 0}}}),
    );
    assert_eq!(none["result"], json!([]), "{none}");
    let broken = c.take_diagnostics();
    assert!(
        broken[&uri]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "E001"),
        "a syntax error: {}",
        broken[&uri]
    );

    // Closing the document: the disk's text is checked again.
    c.notify("textDocument/didClose", json!({"textDocument": doc(&uri)}));
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn malformed_input_never_stops_the_server() {
    let mut c = Client::spawn_with(&[("OPSPLAN_LSP_TEST_PANIC", "1")]);
    // A request before initialize.
    let early = c.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    // Garbage bytes, a header without a length, a bad length.
    c.send_raw(b"\x00\xff\xfegarbage\r\n\r\n");
    c.send_raw(b"X-Header: 1\r\n\r\n");
    c.send_raw(b"Content-Length: many\r\n\r\n");
    // A body that is not JSON, and JSON that is not a message.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse_error = c.next();
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");
    assert_eq!(parse_error["id"], Value::Null);
    c.send(&json!({"jsonrpc": "2.0", "id": 77, "params": []}));
    let invalid = c.next();
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    assert_eq!(invalid["id"], 77);
    // The server still works.
    let init = c.initialize();
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    let unknown = c.request("opsplan/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let no_doc = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///no/such/file.plan"},
               "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(no_doc["error"]["code"], -32602, "{no_doc}");
    let bad_params = c.request("textDocument/formatting", json!({"textDocument": 3}));
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");
    let panic = c.request("$/opsplan/testPanic", json!({}));
    assert_eq!(panic["error"]["code"], -32603, "{panic}");
    assert!(
        panic["error"]["message"]
            .as_str()
            .unwrap()
            .contains("asked for by the test"),
        "{panic}"
    );
    // An unknown notification and a change of a document never opened: ignored.
    c.notify("opsplan/whatever", json!({}));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.plan", "version": 2}, "contentChanges": []}),
    );
    let still = c.request("workspace/symbol", json!({"query": "x"}));
    assert_eq!(still["result"], json!([]), "{still}");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn a_project_file_that_cannot_be_used_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opsplan.yaml"),
        "inputs:\n  - missing-folder/\n",
    )
    .unwrap();
    let plan = dir.path().join("p.plan");
    std::fs::write(&plan, "plan P {\n}\n").unwrap();
    let mut c = Client::spawn();
    c.initialize();
    let uri = common::lsp::uri_of(&plan);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "opsplan", "version": 1, "text": "plan P {\n}\n"}}),
    );
    let alive = c.request("workspace/symbol", json!({"query": ""}));
    assert!(alive.get("result").is_some(), "{alive}");
    let shown: Vec<&Value> = c
        .notifications
        .iter()
        .filter(|n| n["method"] == "window/showMessage")
        .collect();
    assert!(
        shown.iter().any(|n| n["params"]["message"]
            .as_str()
            .unwrap()
            .contains("missing-folder")),
        "a message names the missing input: {:?}",
        c.notifications
    );
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn the_server_ends_when_stdin_closes_and_exit_without_shutdown_is_1() {
    let mut c = Client::spawn();
    c.initialize();
    c.close_stdin();
    let code = c
        .wait_exit(Duration::from_secs(5))
        .expect("the server ends within 5 s of the end of its input");
    assert_eq!(code, Some(1));

    let mut c = Client::spawn();
    c.initialize();
    c.notify("exit", Value::Null);
    let code = c.wait_exit(Duration::from_secs(5)).expect("exit ends it");
    assert_eq!(code, Some(1));
}
