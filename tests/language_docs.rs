//! Every ```opsplan block in docs/language.md is a complete file that parses cleanly.

use opsplan::source::FileId;

#[test]
fn every_language_example_parses() {
    let doc = std::fs::read_to_string("docs/language.md").expect("docs/language.md exists");
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        match &mut current {
            None if line.trim_start().starts_with("```opsplan") => {
                current = Some((n + 1, String::new()))
            }
            Some((start, text)) if line.trim_start().starts_with("```") => {
                blocks.push((*start, std::mem::take(text)));
                current = None;
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    assert!(blocks.len() >= 10, "only {} opsplan examples", blocks.len());
    for (line, text) in blocks {
        let (ast, diags) = opsplan::syntax::parse(FileId(0), &text);
        assert!(
            diags.is_empty(),
            "docs/language.md:{line}: {diags:#?}\n{text}"
        );
        assert!(
            !ast.plans.is_empty() || !ast.procedures.is_empty() || !ast.scenarios.is_empty(),
            "docs/language.md:{line}: the example defines nothing"
        );
    }
}
