//! The bodies of the fuzz targets added by issue 15, shared by `fuzz/fuzz_targets/` and
//! `tests/fuzz_regressions.rs` (each includes this file with `#[path]`), so the
//! regression test replays exactly what the fuzzer ran.

use opsplan::source::FileId;
use opsplan::syntax::format::{format, FormatError};

/// The files `fmt_edit` edits: a plan, a procedure and a scenario of the example mission.
const EDIT_SEEDS: &[&str] = &[
    include_str!("../examples/atv5-week40/atv5-week40.plan"),
    include_str!("../examples/atv5-week40/procedures/ATV-FCP-RBT-020.proc"),
    include_str!("../examples/atv5-week40/scenarios/sim-rbt-overtemp.scn"),
];

/// What `fmt` writes in place must survive the edits people make between two runs: the
/// first byte picks a seed, each following triple (position: 2 bytes, edit: 1 byte)
/// inserts a space, a tab, a line end, a line comment or a block comment next to existing
/// whitespace. The formatter must never change a token or lose a comment
/// (`FormatError::Changed`), and formatting its own output must give the same text.
pub fn fmt_edit(data: &[u8]) {
    let Some((&pick, ops)) = data.split_first() else {
        return;
    };
    let mut text = EDIT_SEEDS[usize::from(pick) % EDIT_SEEDS.len()].to_string();
    for op in ops.chunks_exact(3).take(64) {
        let mut at = usize::from(u16::from_le_bytes([op[0], op[1]])) % (text.len() + 1);
        // From the next character boundary (a seed's comment may hold `…`).
        while !text.is_char_boundary(at) {
            at += 1;
        }
        // The next whitespace at or after `at` (never inside a multi-byte character).
        let Some(ws) = text[at..].find(char::is_whitespace).map(|i| at + i) else {
            continue;
        };
        let edit = match op[2] % 5 {
            0 => " ",
            1 => "\t",
            2 => "\n",
            3 => " // fuzz edit\n",
            _ => " /* fuzz */ ",
        };
        text.insert_str(ws, edit);
    }
    match format(&text) {
        Ok(once) => {
            let twice = format(&once).expect("formatted text formats again");
            assert_eq!(once, twice, "formatting is not idempotent");
        }
        // An edit inside a string or a comment may make the text invalid.
        Err(FormatError::Syntax) => {}
        Err(FormatError::Changed(why)) => panic!("the formatter changed the text: {why}"),
    }
}

/// Flight Dynamics window files (CSV, any encoding `decode` accepts), default columns.
pub fn windows_csv(data: &[u8]) {
    use opsplan::workspace::windows_csv::{decode, read_window_file, WindowColumns};
    let text = decode(data);
    let _ = read_window_file(FileId(0), &text, &WindowColumns::default());
}

/// Training scenarios judged against the example mission's plan and procedures: the
/// injects' running activities, contingency paths and trainee roles.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    const MISSION: &[(&str, &str)] = &[
        (
            "atv5-week40.plan",
            include_str!("../examples/atv5-week40/atv5-week40.plan"),
        ),
        (
            "p090.proc",
            include_str!("../examples/atv5-week40/procedures/ATV-CRP-PRP-090.proc"),
        ),
        (
            "p091.proc",
            include_str!("../examples/atv5-week40/procedures/ATV-CRP-PRP-091.proc"),
        ),
        (
            "d030.proc",
            include_str!("../examples/atv5-week40/procedures/ATV-FCP-DAM-030.proc"),
        ),
        (
            "r020.proc",
            include_str!("../examples/atv5-week40/procedures/ATV-FCP-RBT-020.proc"),
        ),
        (
            "r010.proc",
            include_str!("../examples/atv5-week40/procedures/ATV-FCP-REF-010.proc"),
        ),
        (
            "l050.proc",
            include_str!("../examples/atv5-week40/procedures/ATV-GCP-LNK-050.proc"),
        ),
        (
            "m060.proc",
            include_str!("../examples/atv5-week40/procedures/ATV-GCP-MON-060.proc"),
        ),
        (
            "h040.proc",
            include_str!("../examples/atv5-week40/procedures/ATV-MEP-HAT-040.proc"),
        ),
    ];
    let mut files = MISSION.to_vec();
    files.push(("fuzz.scn", text));
    let run = opsplan::workspace::check_texts(&files);
    let _ = run.verdict();
}

/// Staffing rosters judged against the example mission's plan: people, positions, shifts,
/// on-call turns and assignments resolved, and every `W` rule's sweep.
pub fn roster(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let plan = include_str!("../examples/atv5-week40/atv5-week40.plan");
    let run = opsplan::workspace::check_texts(&[("atv5-week40.plan", plan), ("fuzz.roster", text)]);
    let _ = run.verdict();
}
