//! Rule files: YAML → validated [`FlightRule`]s, every problem an `F003` diagnostic at
//! its line and column.
//!
//! The file is read as YAML once, by serde_norway, into a [`Node`] tree: a syntax error,
//! an alias bomb or nesting too deep fails the whole file, located by the YAML parser
//! (none of its rules is then evaluated, and the set says so: [`RuleSet::unreadable`]).
//! Then each rule is checked on its own: its keys, the types of their values, its kind,
//! the keys the kind takes and needs, durations, gaps. A rule with a problem is reported
//! and skipped ([`RuleSet::skipped`]); every valid rule of the file is evaluated.
//!
//! serde gives no position for a value that parsed, so the problems are located by
//! [`RuleText`]: one scan of the rule's lines finds every `key:` in it (its own keys at
//! the rule's indentation, the selectors' keys inside their values). The rules' text
//! ranges come from one scan of the `rules:` list ([`list_items`]). Everything is linear
//! in the size of the file.

mod traces;

use super::{Constraint, FlightRule, RuleSet, Selector, SkippedRule};
use crate::diag::{Code, Diagnostic, Label, Suggester};
use crate::source::{FileId, Span};
use crate::time::Dur;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::ops::Range;

/// At most this many bytes of YAML are read from one rule file.
pub const MAX_RULE_FILE_BYTES: usize = 16 * 1024 * 1024;

/// The keys of a rule file.
pub const FILE_KEYS: &[&str] = &["rules"];

/// The keys every rule takes, whatever its kind.
pub const COMMON_KEYS: &[&str] = &["id", "title", "kind", "description", "traces"];

/// Every kind, in the order of `docs/flight-rules.md`, with the keys it takes besides
/// [`COMMON_KEYS`].
pub const KINDS: &[(&str, &[&str])] = &[
    ("min_separation", &["select", "min"]),
    ("no_overlap", &["a", "b", "margin"]),
    ("requires_window", &["select", "windows", "margin"]),
    ("forbidden_window", &["select", "windows", "margin"]),
    ("precedence", &["a", "b", "min_gap", "max_gap", "next_day"]),
    (
        "requires_preceding",
        &["select", "preceding", "min_gap", "max_gap"],
    ),
    (
        "requires_following",
        &["select", "following", "min_gap", "max_gap"],
    ),
    ("sequence", &["steps", "max_gap"]),
    (
        "max_per_period",
        &["select", "period", "max_count", "max_duration"],
    ),
    ("resource_capacity", &["resource", "select", "max"]),
    ("crew_day", &["select", "max_work", "sleep"]),
    ("roles_required", &["select", "all", "any"]),
];

/// Every key a rule may have: [`COMMON_KEYS`], then the keys of the kinds.
pub const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "kind",
    "description",
    "traces",
    "select",
    "a",
    "b",
    "preceding",
    "following",
    "steps",
    "min",
    "margin",
    "min_gap",
    "max_gap",
    "next_day",
    "windows",
    "period",
    "max_count",
    "max_duration",
    "resource",
    "max",
    "max_work",
    "sleep",
    "all",
    "any",
];

/// The keys of a selector.
pub const SELECTOR_KEYS: &[&str] = &["kind", "tag", "role", "critical", "phase", "id"];

/// The keys `kind` takes besides [`COMMON_KEYS`]; `None` for a kind that does not exist.
pub fn kind_keys(kind: &str) -> Option<&'static [&'static str]> {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, keys)| *keys)
}

/// Where the user of the binary finds the keys of every kind.
const SEE_KEYS: &str = "`opsplan rule F003` lists the keys of every kind (so does the page \
                        \"Flight rules\", flight-rules.md, of the documentation)";

/// A YAML value as the parser gave it, without positions.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    /// A number, as Rust prints it (`7`, `1.5`).
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in file order; a key given twice is kept twice (and reported).
    Map(Vec<(Node, Node)>),
    /// A value with a tag (`!ref x`); the value is not kept.
    Tagged(String),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(n) = seq.next_element()? {
            items.push(n);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(e) = map.next_entry()? {
            entries.push(e);
        }
        Ok(Node::Map(entries))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        use serde::de::VariantAccess;
        let (tag, value): (String, _) = data.variant()?;
        value.newtype_variant::<serde::de::IgnoredAny>()?;
        Ok(Node::Tagged(tag))
    }
}

impl Node {
    /// The text of a scalar (an empty value is empty text); `None` for a list, a mapping
    /// or a tagged value.
    fn scalar(&self) -> Option<&str> {
        match self {
            Node::Null => Some(""),
            Node::Bool(true) => Some("true"),
            Node::Bool(false) => Some("false"),
            Node::Number(t) | Node::Str(t) => Some(t),
            _ => None,
        }
    }

    /// What the value is, for messages: "a list", "`3h`".
    fn describe(&self) -> String {
        match self {
            Node::Null => "empty".to_string(),
            Node::Seq(_) => "a list".to_string(),
            Node::Map(_) => "a mapping".to_string(),
            Node::Tagged(tag) => format!("a value tagged `{tag}`"),
            other => format!("`{}`", other.scalar().unwrap_or_default()),
        }
    }
}

/// Parses one rule file. The rules that are valid are returned even when others are not:
/// a rule with a problem is reported (`F003`) and listed in [`RuleSet::skipped`]; a file
/// that cannot be read as a list of rules is reported and marked
/// [`RuleSet::unreadable`].
pub fn load(file: FileId, text: &str) -> (RuleSet, Vec<Diagnostic>) {
    let mut set = RuleSet {
        file: Some(file),
        ..RuleSet::default()
    };
    let mut diags = Vec::new();
    if text.len() > MAX_RULE_FILE_BYTES {
        set.unreadable = true;
        diags.push(file_problem(
            Span::new(file, 0..0),
            format!(
                "flight-rule file is larger than {} MiB",
                MAX_RULE_FILE_BYTES / (1024 * 1024)
            ),
            "file too large",
        ));
        return (set, diags);
    }
    // Nesting is bounded before the parser sees the text (it is slow on deep nesting).
    if let Err(e) = crate::yaml::check_depth(text, crate::yaml::MAX_DEPTH) {
        set.unreadable = true;
        let start = floor_char_boundary(text, e.offset);
        let end = start + text[start..].chars().next().map_or(0, char::len_utf8);
        diags.push(
            file_problem(
                Span::new(file, start..end),
                format!("flight-rule file is {}", e.message()),
                "one level too deep",
            )
            .with_help(
                "a flight-rule file nests 5 levels deep: `rules:`, its list, a rule, a selector, a list of values",
            ),
        );
        return (set, diags);
    }
    let doc: Node = match serde_yaml::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            set.unreadable = true;
            diags.push(yaml_error(file, text, &e));
            return (set, diags);
        }
    };
    let lines = LineStarts::new(text);
    let top = RuleText::new(file, text, 0..text.len(), 0);
    let Some(items) = rules_list(doc, &top, &mut set, &mut diags) else {
        return (set, diags);
    };
    let blocks = match top.key("rules", 0) {
        Some(key) => list_items(text, key.end as usize)
            .filter(|b| b.len() == items.len())
            .unwrap_or_else(|| blocks_by_id(text, &lines, key.end as usize, &items)),
        None => blocks_by_id(text, &lines, 0, &items),
    };
    let mut seen: FxHashMap<String, Span> = FxHashMap::default();
    // Rules that could not be told apart in the text share one range, scanned once.
    let mut rt = RuleText::new(file, text, 0..0, 0);
    for (index, (node, block)) in items.into_iter().zip(blocks).enumerate() {
        if block != rt.block {
            let line_start = lines.start_of(block.start);
            rt = RuleText::new(file, text, block, line_start);
        }
        match check_rule(node, index, &rt, &mut seen) {
            Checked::Valid(rule) => set.rules.push(*rule),
            Checked::Skipped(skipped, found) => {
                if let Some(s) = skipped {
                    set.skipped.push(s);
                }
                diags.extend(found);
            }
        }
    }
    (set, diags)
}

/// The items of the file's `rules:` list, or `None` (reported) when the file holds none.
fn rules_list(
    doc: Node,
    top: &RuleText<'_>,
    set: &mut RuleSet,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Node>> {
    let file = top.file;
    let entries = match doc {
        Node::Map(entries) => entries,
        Node::Null => {
            set.unreadable = true;
            diags.push(
                file_problem(
                    Span::new(file, 0..0),
                    "flight-rule file is empty: it has no `rules:` list".into(),
                    "empty",
                )
                .with_help(
                    "a flight-rule file holds `rules:` and, under it, one `- id: …` per rule",
                ),
            );
            return None;
        }
        other => {
            set.unreadable = true;
            diags.push(
                file_problem(
                    doc_start(file, top.text),
                    format!(
                        "flight-rule file holds {}, not a mapping with the key `rules:`",
                        other.describe()
                    ),
                    "here",
                )
                .with_help(
                    "a flight-rule file holds `rules:` and, under it, one `- id: …` per rule",
                ),
            );
            return None;
        }
    };
    let mut rules: Option<Node> = None;
    let mut unknown: Vec<Diagnostic> = Vec::new();
    let mut rules_seen = 0;
    for (key, value) in entries {
        match key.scalar() {
            Some("rules") => {
                if rules.is_none() {
                    rules = Some(value);
                } else {
                    // Its rules are not read: which they are is unknown.
                    set.unreadable = true;
                    diags.push(
                        Diagnostic::new(
                            Code::InvalidFlightRuleFile,
                            "`rules:` is given twice in this flight-rule file",
                            Label::new(
                                top.key("rules", rules_seen)
                                    .unwrap_or_else(|| doc_start(file, top.text)),
                                "given again here",
                            ),
                        )
                        .with_note("the rules of the first `rules:` list are evaluated, not these"),
                    );
                }
                rules_seen += 1;
            }
            name => {
                let name = name.map_or_else(|| key.describe(), |n| format!("`{n}`"));
                let bare = name.trim_matches('`');
                let span = top
                    .key(bare, 0)
                    .unwrap_or_else(|| doc_start(file, top.text));
                let mut d = Diagnostic::new(
                    Code::InvalidFlightRuleFile,
                    format!("unknown key {name} in a flight-rule file"),
                    Label::new(span, "unknown key"),
                )
                .with_note("a flight-rule file has one key, `rules:`, holding the list of rules");
                if let Some(s) = crate::diag::did_you_mean(bare, FILE_KEYS.iter().copied()) {
                    d = d.with_help(s.did_you_mean());
                }
                unknown.push(d);
            }
        }
    }
    match rules {
        None => {
            set.unreadable = true;
            if unknown.is_empty() {
                diags.push(
                    file_problem(
                        doc_start(file, top.text),
                        "flight-rule file has no `rules:` list".into(),
                        "no `rules:`",
                    )
                    .with_help(
                        "a flight-rule file holds `rules:` and, under it, one `- id: …` per rule",
                    ),
                );
            }
            for d in unknown {
                diags.push(d.with_note("none of the rules of this file is evaluated"));
            }
            None
        }
        Some(list) => {
            diags.extend(unknown);
            match list {
                Node::Null => Some(Vec::new()),
                Node::Seq(items) => Some(items),
                other => {
                    set.unreadable = true;
                    let span = top
                        .key("rules", 0)
                        .map(|k| top.value_span(k))
                        .unwrap_or_else(|| doc_start(file, top.text));
                    diags.push(
                        file_problem(
                            span,
                            format!(
                                "`rules:` must be a list of rules (`- id: …`), not {}",
                                other.describe()
                            ),
                            "not a list",
                        )
                        .with_help(SEE_KEYS),
                    );
                    None
                }
            }
        }
    }
}

/// A problem that makes the whole file unusable: it says that none of its rules is
/// evaluated.
fn file_problem(span: Span, message: String, label: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidFlightRuleFile,
        message,
        Label::new(span, label),
    )
    .with_note("none of the rules of this file is evaluated")
}

fn yaml_error(file: FileId, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let message = e.to_string();
    // serde_yaml appends " at line L column C"; the location is shown by the label.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let message = format!("flight-rule file is not valid YAML: {message}");
    let span = match e.location() {
        Some(loc) => {
            let start = floor_char_boundary(text, loc.index());
            Span::new(file, start..token_end(text, start))
        }
        None => Span::new(file, 0..0),
    };
    file_problem(span, message, "here")
}

/// The largest character boundary of `text` at or before `i` (`text.len()` past its end);
/// `str::floor_char_boundary` is newer than the crate's minimum Rust version.
fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where each line of a text starts, found once: the start of the line holding any
/// offset by binary search (a rule's text may start in the middle of a long line, and
/// searching back for its line start from each rule was quadratic in a file written on
/// one line).
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, c)| c == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineStarts(starts)
    }

    /// The start of the line holding byte `at`.
    fn start_of(&self, at: usize) -> usize {
        let k = self.0.partition_point(|&s| s <= at);
        self.0[k.saturating_sub(1)]
    }
}

/// The end of the word or value starting at `start` (to a blank, `,`, `]`, `}` or line end).
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let n = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}'))
        .unwrap_or(rest.len());
    if n == 0 {
        (start + rest.chars().next().map_or(0, char::len_utf8)).min(text.len())
    } else {
        start + n
    }
}

/// The byte range of each item of a block-style list (`- id: …` lines) starting on the
/// line after `after`: an item runs from its `-` line to its last line that is neither
/// blank nor a comment. `None` when the list is not written that way (`rules: [ … ]`).
fn list_items(text: &str, after: usize) -> Option<Vec<Range<usize>>> {
    let line_end = text[after..].find('\n').map_or(text.len(), |i| after + i);
    let rest = text[after..line_end].trim_start_matches([' ', '\t', ':']);
    if !(rest.trim().is_empty() || rest.starts_with('#')) {
        return None;
    }
    let mut items: Vec<Range<usize>> = Vec::new();
    let mut item_indent: Option<usize> = None;
    let mut ls = line_end + 1;
    while ls < text.len() {
        let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
        let line = text[ls..le].trim_end_matches('\r');
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if body.trim().is_empty() || body.starts_with('#') {
            ls = le + 1;
            continue;
        }
        let dash = body.starts_with('-')
            && body[1..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t');
        let ii = *item_indent.get_or_insert(indent);
        if indent < ii || (indent == ii && !dash) || (items.is_empty() && !dash) {
            break;
        }
        if indent == ii {
            items.push(ls..ls + line.len());
        } else if let Some(last) = items.last_mut() {
            last.end = ls + line.len();
        }
        ls = le + 1;
    }
    Some(items)
}

/// The rules' text ranges when the list is not in block style: from each rule's `id:`
/// (found in turn, each after the previous) to the next one's. A rule without a text id
/// shares the range of the rule before it (its problems are located less precisely).
fn blocks_by_id(text: &str, lines: &LineStarts, from: usize, items: &[Node]) -> Vec<Range<usize>> {
    let mut starts = Vec::with_capacity(items.len());
    let mut pos = from;
    let mut last = from;
    // Once an id is not found, the search stops: each search could read to the end.
    let mut lost = false;
    // The last `{` or `-` before `marker_scan`, found by one forward scan over the rules.
    let mut marker_scan = from;
    let mut last_marker: Option<usize> = None;
    for item in items {
        let id = match item {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.scalar() == Some("id"))
                .and_then(|(_, v)| v.scalar())
                .filter(|id| !id.is_empty()),
            _ => None,
        };
        let at = id
            .filter(|_| !lost)
            .and_then(|id| find_key_value(text, pos, "id", id));
        lost |= id.is_some() && at.is_none();
        if let Some(at) = at {
            // Back up to the start of the item (`{` or `- `) on the id's line. Only
            // the text after the previous rule's id is searched: a file written on one
            // line is not read back to its start for each rule.
            let line = lines.start_of(at);
            let from = line.max(pos);
            last = match text[from..at].rfind(['{', '-']) {
                Some(i) => from + i,
                None => {
                    // One between the line start and `pos`: the item starts at `pos`.
                    while marker_scan < pos {
                        if matches!(text.as_bytes()[marker_scan], b'{' | b'-') {
                            last_marker = Some(marker_scan);
                        }
                        marker_scan += 1;
                    }
                    if last_marker.is_some_and(|m| m >= line) {
                        pos
                    } else {
                        at
                    }
                }
            }
            .max(pos);
            pos = at + 1;
        }
        starts.push(last);
    }
    // The starts never decrease: from the last, the next greater start is carried back.
    let mut blocks = vec![0..0; starts.len()];
    let mut next = text.len();
    for i in (0..starts.len()).rev() {
        if let Some(&after) = starts.get(i + 1) {
            if after > starts[i] {
                next = after;
            }
        }
        blocks[i] = starts[i]..next.max(starts[i]);
    }
    blocks
}

/// The position of `value` written after `key:` at or after `from`.
fn find_key_value(text: &str, from: usize, key: &str, value: &str) -> Option<usize> {
    let mut pos = from;
    while let Some(i) = text.get(pos..)?.find(key) {
        let k = pos + i;
        pos = k + key.len();
        let before_ok = k == 0
            || !text.as_bytes()[k - 1].is_ascii_alphanumeric() && text.as_bytes()[k - 1] != b'_';
        let rest = &text[pos..];
        let Some(after_colon) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let value_text = after_colon.trim_start_matches([' ', '\t']);
        let value_text = value_text.trim_start_matches(['"', '\'']);
        if value_text.starts_with(value) {
            return Some(text.len() - value_text.len());
        }
    }
    None
}

/// One key written in a rule's text.
struct KeyAt {
    /// The key's name (inside its quotes, if quoted).
    name: Range<usize>,
    /// A key of the rule itself (at the rule's indentation, first on its line), not of a
    /// value inside it.
    top: bool,
    /// First on its line (block style), not inside a flow mapping.
    first_on_line: bool,
}

/// The first word of the document (past blank lines, comments, directives and `---`).
fn doc_start(file: FileId, text: &str) -> Span {
    let mut ls = 0;
    while ls < text.len() {
        let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
        let line = &text[ls..le];
        let body = line.trim_start();
        let skip = body.is_empty()
            || body.starts_with('#')
            || body.starts_with('%')
            || body.trim_end() == "---";
        if !skip {
            let start = ls + (line.len() - body.len());
            return Span::new(file, start..token_end(text, start));
        }
        ls = le + 1;
    }
    Span::new(file, 0..0)
}

/// Where things are written in one rule (or in the whole file): every `key:` of its
/// lines, found by one scan, indexed by name.
struct RuleText<'t> {
    file: FileId,
    text: &'t str,
    block: Range<usize>,
    /// Where the line holding the start of `block` starts.
    line_start: usize,
    keys: Vec<KeyAt>,
    /// name → indices into `keys`, in text order: the rule's own keys (or, for a rule
    /// written as one flow mapping, every key).
    top: FxHashMap<&'t str, Vec<usize>>,
    /// name → indices into `keys` of every key of that name, in text order.
    all: FxHashMap<&'t str, Vec<usize>>,
    /// Where each of the rule's own keys starts, in text order (block style only).
    top_starts: Vec<usize>,
}

impl<'t> RuleText<'t> {
    fn new(file: FileId, text: &'t str, block: Range<usize>, line_start: usize) -> Self {
        let keys = scan_keys(text, block.clone(), line_start);
        let mut top: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let mut all: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let block_style = keys.iter().any(|k| k.top);
        let mut top_starts = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let name = &text[k.name.clone()];
            all.entry(name).or_default().push(i);
            if k.top || !block_style {
                top.entry(name).or_default().push(i);
            }
            if k.top {
                top_starts.push(k.name.start);
            }
        }
        RuleText {
            file,
            text,
            block,
            line_start,
            keys,
            top,
            all,
            top_starts,
        }
    }

    fn span(&self, r: Range<usize>) -> Span {
        Span::new(self.file, r)
    }

    /// The first word of the block (the rule's first key, or its `-`).
    fn first_token(&self) -> Span {
        if let Some(k) = self.keys.first() {
            return self.span(k.name.clone());
        }
        let body = &self.text[self.block.clone()];
        let skip = body.len() - body.trim_start().len();
        let start = self.block.start + skip;
        let end = token_end(self.text, start).min(self.block.end.max(start));
        self.span(start..end)
    }

    /// The `nth` (from 0) key `name` of the rule itself.
    fn key(&self, name: &str, nth: usize) -> Option<Span> {
        let i = *self.top.get(name)?.get(nth)?;
        Some(self.span(self.keys[i].name.clone()))
    }

    /// Where the rule is named: its `id:` value, else its first key.
    fn anchor(&self) -> Span {
        match self.key("id", 0) {
            Some(k) => self.value_span(k),
            None => self.first_token(),
        }
    }

    /// The value written after the key at `key` on its line; the key itself when the
    /// value is on the lines below. After a key first on its line, the value runs to the
    /// end of the line (or a comment); inside a flow mapping (`{ kind: burn }`), to the
    /// next `,`, `]` or `}`. Reads no further than the value.
    fn value_span(&self, key: Span) -> Span {
        let b = self.text.as_bytes();
        let k = self
            .keys
            .partition_point(|k| k.name.start < key.start as usize);
        let whole = self
            .keys
            .get(k)
            .is_some_and(|k| k.name.start == key.start as usize && k.first_on_line);
        let blank = |c: u8| c == b' ' || c == b'\t';
        let mut i = key.end as usize;
        if matches!(b.get(i), Some(b'"' | b'\'')) {
            i += 1;
        }
        while b.get(i).is_some_and(|&c| blank(c)) {
            i += 1;
        }
        if b.get(i) != Some(&b':') {
            return key;
        }
        i += 1;
        while b.get(i).is_some_and(|&c| blank(c)) {
            i += 1;
        }
        let v = i;
        let stop = |j: usize, end: &[u8]| j >= b.len() || b[j] == b'\n' || end.contains(&b[j]);
        let end = match b.get(v) {
            None | Some(b'\n' | b'\r' | b'#') => return key,
            Some(&q @ (b'"' | b'\'')) => {
                let mut j = v + 1;
                while !stop(j, &[q]) {
                    j += 1;
                }
                return self.span(v + 1..j);
            }
            Some(&open @ (b'[' | b'{')) => {
                let close = if open == b'[' { b']' } else { b'}' };
                let mut j = v;
                while !stop(j, &[close]) {
                    j += 1;
                }
                if b.get(j) == Some(&close) {
                    j + 1
                } else {
                    j
                }
            }
            Some(_) => {
                let flow: &[u8] = if whole { b"" } else { b",]}" };
                let mut j = v;
                // To the end, a flow indicator, or a comment (`#` after a blank).
                while !(stop(j, flow) || b[j] == b'#' && blank(b[j - 1])) {
                    j += 1;
                }
                while j > v && matches!(b[j - 1], b' ' | b'\t' | b'\r') {
                    j -= 1;
                }
                j
            }
        };
        self.span(v..end.max(v + 1).min(b.len()))
    }

    /// The text range of the value of the rule's key at `key`: to its next key, or the
    /// end of the rule.
    fn region(&self, key: Span) -> Range<usize> {
        let start = key.end as usize;
        let next = self.top_starts.partition_point(|&s| s < start);
        let end = self.top_starts.get(next).copied().unwrap_or(self.block.end);
        start..end.max(start)
    }

    /// The `nth` (from 0) key `name` inside `region` (a key of a selector).
    fn key_in(&self, region: &Range<usize>, name: &str, nth: usize) -> Option<Span> {
        let all = self.all.get(name)?;
        let first = all.partition_point(|&i| self.keys[i].name.start < region.start);
        let &i = all.get(first + nth)?;
        let k = &self.keys[i];
        (k.name.end <= region.end).then(|| self.span(k.name.clone()))
    }

    /// `word` (a window name) inside the value of the rule's key `key`, else the key,
    /// else where the rule is named.
    fn word_or_key(&self, word: &str, key: &str) -> Span {
        let Some(k) = self.key(key, 0) else {
            return self.anchor();
        };
        let region = self.region(k);
        let hay = &self.text[region.clone()];
        let mut pos = 0;
        while let Some(i) = hay[pos..].find(word) {
            let s = pos + i;
            let e = s + word.len();
            let boundary =
                |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
            if boundary(hay[..s].chars().last()) && boundary(hay[e..].chars().next()) {
                return self.span(region.start + s..region.start + e);
            }
            pos = e;
        }
        k
    }
}

/// Every `key:` written in `block`, in text order, each marked when it is a key of the
/// rule itself (first on its line, at the column of the rule's first key). Lines of block
/// scalars (`description: |`) and comments are skipped; quoted keys are found inside
/// their quotes. One pass over the block.
fn scan_keys(text: &str, block: Range<usize>, first_line_start: usize) -> Vec<KeyAt> {
    let mut keys = Vec::new();
    let mut key_col: Option<usize> = None;
    // Inside a block scalar: the column of its key (its lines are indented deeper).
    let mut scalar_col: Option<usize> = None;
    let mut first = true;
    let mut ls = block.start;
    while ls < block.end {
        let le = text[ls..block.end].find('\n').map_or(block.end, |i| ls + i);
        // Every line after the first starts right after a line end.
        let line_start = if ls == block.start {
            first_line_start
        } else {
            ls
        };
        let line = text[ls..le].trim_end_matches('\r');
        let body = line.trim_start_matches([' ', '\t']);
        let col = ls - line_start + (line.len() - body.len());
        let next = le + 1;
        if let Some(sc) = scalar_col {
            if body.is_empty() || col > sc {
                ls = next;
                continue;
            }
            scalar_col = None;
        }
        if body.is_empty() || body.starts_with('#') {
            ls = next;
            continue;
        }
        let base = ls + (line.len() - body.len());
        let b = body.as_bytes();
        let mut i = 0;
        if first {
            // The item's own `-`.
            if b[0] == b'-' && b.get(1).is_none_or(|c| *c == b' ' || *c == b'\t') {
                i = 1;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
            }
            if i < b.len() {
                key_col = Some(col + i);
            }
            first = false;
        } else if key_col.is_none() {
            key_col = Some(col);
        }
        let mut token_start = true;
        let mut first_token = true;
        while i < b.len() {
            let c = b[i];
            match c {
                b' ' | b'\t' => {
                    i += 1;
                    token_start = true;
                    continue;
                }
                b'#' if token_start => break,
                b'-' if token_start && b.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\t') => {
                    i += 1;
                    first_token = false;
                    continue;
                }
                b'{' | b'[' | b',' => {
                    i += 1;
                    token_start = true;
                    first_token = false;
                    continue;
                }
                b'}' | b']' => {
                    i += 1;
                    token_start = false;
                    first_token = false;
                    continue;
                }
                _ if !token_start => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // A token: a quoted or plain word, a key when `:` and a blank follow.
            let is_top = first_token && key_col == Some(col + i);
            let was_first = first_token;
            first_token = false;
            token_start = false;
            let (name, after) = if c == b'"' || c == b'\'' {
                let Some(close) = body[i + 1..].find(c as char) else {
                    break; // a quoted value continued on the next lines
                };
                (i + 1..i + 1 + close, i + 2 + close)
            } else {
                let mut j = i;
                while j < b.len() {
                    let d = b[j];
                    if matches!(d, b' ' | b'\t' | b',' | b'[' | b']' | b'{' | b'}')
                        || (d == b':'
                            && b.get(j + 1).is_none_or(|e| {
                                matches!(e, b' ' | b'\t' | b',' | b']' | b'}' | b'\r')
                            }))
                    {
                        break;
                    }
                    j += 1;
                }
                (i..j, j)
            };
            let mut k = after;
            while k < b.len() && (b[k] == b' ' || b[k] == b'\t') {
                k += 1;
            }
            let quoted = c == b'"' || c == b'\'';
            let colon = b.get(k) == Some(&b':')
                && (quoted
                    || b.get(k + 1)
                        .is_none_or(|e| matches!(e, b' ' | b'\t' | b',' | b']' | b'}' | b'\r')));
            if colon && !name.is_empty() {
                keys.push(KeyAt {
                    name: base + name.start..base + name.end,
                    top: is_top,
                    first_on_line: was_first,
                });
                let value = body[k + 1..].trim_start();
                if value.starts_with(['|', '>']) {
                    scalar_col = Some(col + i);
                    break;
                }
                i = k + 1;
                token_start = true;
            } else {
                i = after.max(i + 1);
            }
        }
        ls = next;
    }
    keys
}

/// Locates words (unknown windows, selector values, `traces` entries) in one rule's text
/// after loading, for the checks that need the plan and for tracing. The rule's text (kept
/// by the loader, [`FlightRule::block`]) is scanned once, and the words of each key's
/// value are indexed on first use, so locating every word of a rule is linear in its
/// text, however many there are.
pub(crate) struct RuleLocator<'t> {
    rt: RuleText<'t>,
    /// Key → the words of its value: each run of letters, digits, `_` and `-`, at its
    /// first place.
    words: FxHashMap<String, FxHashMap<&'t str, Range<usize>>>,
    /// Bytes left for searching words that are not such runs (`REQ.1@3f2a`) by a scan of
    /// the value; past it, they are found only written whole, between blanks, quotes,
    /// commas and brackets.
    budget: usize,
    /// Key → its value's runs between blanks, quotes, commas and brackets.
    whole: FxHashMap<String, FxHashMap<&'t str, Range<usize>>>,
}

/// A character of a word as [`RuleText::word_or_key`] delimits words.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

impl<'t> RuleLocator<'t> {
    pub(crate) fn new(text: &'t str, rule: &FlightRule) -> Self {
        let (start, end) = (rule.block.start as usize, rule.block.end as usize);
        let line = rule.block_line as usize;
        let fits = |i: usize| i <= text.len() && text.is_char_boundary(i);
        let rt = if start <= end && line <= start && fits(start) && fits(end) && fits(line) {
            RuleText::new(rule.span.file, text, start..end, line)
        } else {
            RuleText::new(rule.span.file, text, 0..text.len(), 0)
        };
        let budget = 4 * (rt.block.end - rt.block.start) + 4096;
        RuleLocator {
            rt,
            words: FxHashMap::default(),
            budget,
            whole: FxHashMap::default(),
        }
    }

    /// `word` inside the value of the rule's key `key`, else the key, else where the rule
    /// is named; the first place where it is written as a word (between characters that
    /// are not letters, digits, `_` or `-`).
    pub(crate) fn locate(&mut self, word: &str, key: &str) -> Span {
        let Some(k) = self.rt.key(key, 0) else {
            return self.rt.anchor();
        };
        let region = self.rt.region(k);
        let text = self.rt.text;
        if !word.is_empty() && word.chars().all(word_char) {
            let index = self
                .words
                .entry(key.to_string())
                .or_insert_with(|| runs(text, region.clone(), |c| !word_char(c)));
            return index.get(word).map_or(k, |r| self.rt.span(r.clone()));
        }
        if self.budget >= region.len() {
            self.budget -= region.len();
            return self.rt.word_or_key(word, key);
        }
        let index = self.whole.entry(key.to_string()).or_insert_with(|| {
            runs(text, region.clone(), |c| {
                c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}' | '"' | '\'')
            })
        });
        index.get(word).map_or(k, |r| self.rt.span(r.clone()))
    }
}

/// The runs of `text[region]` between characters that are `separator`, each at its first
/// place.
fn runs(
    text: &str,
    region: Range<usize>,
    separator: impl Fn(char) -> bool,
) -> FxHashMap<&str, Range<usize>> {
    let mut out: FxHashMap<&str, Range<usize>> = FxHashMap::default();
    let mut start: Option<usize> = None;
    for (i, c) in text[region.clone()].char_indices() {
        let at = region.start + i;
        match (separator(c), start) {
            (true, Some(s)) => {
                out.entry(&text[s..at]).or_insert(s..at);
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.entry(&text[s..region.end]).or_insert(s..region.end);
    }
    out
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st".
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `a`, `a` and `b`, `a`, `b` and `c` (each in backticks).
fn and_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|k| format!("`{k}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What a kind takes, for messages.
fn takes_note(kind: Option<&str>) -> String {
    let common = format!("every rule takes {}", and_list(COMMON_KEYS));
    match kind.and_then(|k| Some((k, kind_keys(k)?))) {
        Some((k, keys)) => format!("`{k}` takes {}; {common}", and_list(keys)),
        None => format!("{common}; the other keys depend on the kind"),
    }
}

/// The findings of one rule: each says which rule, and that it is not evaluated.
struct Found {
    /// `rule FR-02`, or `the 3rd rule` when it has no id.
    name: String,
    diags: Vec<Diagnostic>,
    /// Whether each finding ends with where the keys of every kind are listed.
    see: Vec<bool>,
}

impl Found {
    fn new(name: String) -> Self {
        Found {
            name,
            diags: Vec::new(),
            see: Vec::new(),
        }
    }

    /// A finding whose message is `message` as written (it names the rule itself).
    fn push(&mut self, span: Span, label: &str, message: String, see: bool) -> &mut Diagnostic {
        self.diags.push(Diagnostic::new(
            Code::InvalidFlightRuleFile,
            message,
            Label::new(span, label),
        ));
        self.see.push(see);
        self.diags.last_mut().expect("just pushed")
    }

    /// A finding `rule FR-02: {message}`.
    fn problem(&mut self, span: Span, label: &str, message: &str, see: bool) -> &mut Diagnostic {
        let message = format!("{}: {message}", self.name);
        self.push(span, label, message, see)
    }

    /// The findings, each with the note that the rule is not evaluated.
    fn finish(self, id: Option<&str>) -> Vec<Diagnostic> {
        let not_evaluated = format!("{} is not evaluated", self.name);
        self.diags
            .into_iter()
            .zip(self.see)
            .map(|(mut d, see)| {
                d.notes.push(not_evaluated.clone());
                if see {
                    d = match d.help {
                        None => d.with_help(SEE_KEYS),
                        Some(_) => d.with_note(SEE_KEYS),
                    };
                }
                if let Some(id) = id {
                    d = d.with_flight_rule(id, &[]);
                }
                d
            })
            .collect()
    }
}

enum Checked {
    Valid(Box<FlightRule>),
    /// The rule (`None` for the second definition of an id: the first is evaluated), and
    /// its findings.
    Skipped(Option<SkippedRule>, Vec<Diagnostic>),
}

/// The values of a rule's keys, once checked.
#[derive(Default)]
struct Given {
    title: Option<String>,
    traces: Vec<String>,
    select: Option<Selector>,
    a: Option<Selector>,
    b: Option<Selector>,
    preceding: Option<Selector>,
    following: Option<Selector>,
    steps: Option<Vec<Selector>>,
    min: Option<Dur>,
    margin: Option<Dur>,
    min_gap: Option<Dur>,
    max_gap: Option<Dur>,
    next_day: Option<bool>,
    windows: Option<Vec<String>>,
    period: Option<Dur>,
    max_count: Option<u32>,
    max_duration: Option<Dur>,
    resource: Option<String>,
    max: Option<u32>,
    max_work: Option<Dur>,
    sleep: Option<String>,
    all: Option<Vec<String>>,
    any: Option<Vec<String>>,
}

/// A value that is not what its key takes: the message and where.
struct Bad {
    at: Span,
    label: &'static str,
    message: String,
    help: Option<String>,
    note: Option<String>,
}

impl Bad {
    fn new(at: Span, message: String) -> Self {
        Bad {
            at,
            label: "here",
            message,
            help: None,
            note: None,
        }
    }
}

/// The kinds' names, for messages.
fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|(k, _)| *k).collect()
}

/// Checks one rule (the `index`th of the file, from 0) and builds it.
fn check_rule(
    node: Node,
    index: usize,
    rt: &RuleText<'_>,
    seen: &mut FxHashMap<String, Span>,
) -> Checked {
    let entries = match node {
        Node::Map(entries) => entries,
        other => {
            let mut found = Found::new(format!("the {} rule", ordinal(index + 1)));
            let message = format!(
                "{} is {}, not a rule (a mapping of keys: `id: …`, `title: …`, `kind: …`)",
                found.name,
                other.describe()
            );
            let at = rt.first_token();
            found.push(at, "not a rule", message, true);
            let skipped = SkippedRule { id: None, span: at };
            return Checked::Skipped(Some(skipped), found.finish(None));
        }
    };
    let value_of = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| k.scalar() == Some(key))
            .map(|(_, v)| v)
    };
    let id_node = value_of("id");
    let id: Option<String> = id_node
        .and_then(Node::scalar)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let mut found = Found::new(match &id {
        Some(id) => format!("rule {id}"),
        None => format!("the {} rule", ordinal(index + 1)),
    });
    let anchor = rt.anchor();
    let skipped = |id: &Option<String>| SkippedRule {
        id: id.clone(),
        span: anchor,
    };

    // The id: given, text, not empty, not taken by an earlier rule of the file.
    match id_node {
        None => {
            let m = format!("{} has no `id`", found.name);
            found.push(anchor, "no `id`", m, false);
        }
        Some(v) if v.scalar().is_none() => {
            let at = rt.key("id", 0).map_or(anchor, |k| rt.value_span(k));
            let m = format!("`id` must be text such as `FR-02`, not {}", v.describe());
            found.problem(at, "not an id", &m, false);
        }
        Some(_) if id.is_none() => {
            let m = format!("{} has an empty `id`", found.name);
            found.push(anchor, "empty", m, false);
        }
        Some(_) => {}
    }
    if let Some(id) = &id {
        if let Some(&first) = seen.get(id) {
            let d = Diagnostic::new(
                Code::InvalidFlightRuleFile,
                format!("flight rule `{id}` is defined twice in this file"),
                Label::new(anchor, "defined again here"),
            )
            .with_secondary(Label::new(first, "first defined here"))
            .with_note("this second definition is not evaluated")
            .with_flight_rule(id.clone(), &[]);
            return Checked::Skipped(None, vec![d]);
        }
        seen.insert(id.clone(), anchor);
    }

    // The kind, first: it decides which keys the rule takes.
    let kinds_note = format!("the kinds are {}", and_list(&kind_names()));
    let kind: Option<&'static str> = match value_of("kind") {
        None => {
            let m = format!("{} has no `kind`", found.name);
            found
                .push(anchor, "no `kind`", m, true)
                .notes
                .push(kinds_note);
            None
        }
        Some(v) => match v.scalar().map(str::trim) {
            Some(k) if kind_keys(k).is_some() => kind_names().into_iter().find(|n| *n == k),
            given => {
                let at = rt.key("kind", 0).map_or(anchor, |k| rt.value_span(k));
                let m = match given {
                    Some(k) => format!("unknown kind `{k}`"),
                    None => format!("`kind` must be a name, not {}", v.describe()),
                };
                let d = found.problem(at, "unknown kind", &m, true);
                if let Some(s) = given.and_then(|k| crate::diag::did_you_mean(k, kind_names())) {
                    d.help = Some(s.did_you_mean());
                }
                d.notes.push(kinds_note);
                None
            }
        },
    };
    let takes: Vec<&str> = match kind.and_then(kind_keys) {
        Some(keys) => COMMON_KEYS.iter().chain(keys).copied().collect(),
        None => RULE_KEYS.to_vec(),
    };

    // Every key: known, taken by the kind, given once, with a value of its type.
    let mut given = Given::default();
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    let suggester = Suggester::new(takes.clone());
    for (key, value) in &entries {
        let Some(name) = key.scalar() else {
            let m = format!("a key must be a name, not {}", key.describe());
            found.problem(anchor, "here", &m, false);
            continue;
        };
        let nth = {
            let c = counts.entry(name).or_default();
            *c += 1;
            *c - 1
        };
        let key_span = rt.key(name, nth).unwrap_or(anchor);
        if nth > 0 {
            let m = format!("`{name}` is given twice");
            found.problem(key_span, "given again", &m, false);
            continue;
        }
        if !RULE_KEYS.contains(&name) {
            let m = format!("unknown key `{name}`");
            let d = found.problem(key_span, "unknown key", &m, true);
            if let Some(s) = suggester.suggest(name) {
                d.help = Some(s.did_you_mean());
            } else if let Some(k) = takes.iter().find(|k| {
                k.len().min(name.len()) >= 3 && (name.starts_with(*k) || k.starts_with(name))
            }) {
                // A key spelt out or cut short (`minimum` for `min`, `marg` for `margin`).
                d.help = Some(format!("did you mean `{k}`?"));
            }
            d.notes.push(takes_note(kind));
            continue;
        }
        if !takes.contains(&name) {
            let kind = kind.unwrap_or_default();
            let others: Vec<&str> = KINDS
                .iter()
                .filter(|(_, keys)| keys.contains(&name))
                .map(|(k, _)| *k)
                .collect();
            let m = format!("`{name}` does not apply to `{kind}`");
            let d = found.problem(key_span, "not taken by this kind", &m, false);
            d.help = Some(format!(
                "remove `{name}`, or use a kind that takes it: {}",
                and_list(&others)
            ));
            d.notes.push(takes_note(Some(kind)));
            continue;
        }
        // `id` and `kind` are read above. An empty value is an absent key (as serde reads
        // `min:` into an `Option`), but `title:` is an empty title.
        if matches!(name, "id" | "kind") || (matches!(value, Node::Null) && name != "title") {
            continue;
        }
        let region = rt.region(key_span);
        let value_at = rt.value_span(key_span);
        if let Err(bad) = set_key(&mut given, name, value, rt, value_at, &region) {
            let d = found.problem(bad.at, bad.label, &bad.message, false);
            d.help = bad.help;
            d.notes.extend(bad.note);
        }
    }
    if value_of("title").is_none() {
        let m = format!("{} has no `title`", found.name);
        found.push(anchor, "no `title`", m, false);
    }
    if let (true, Some(kind)) = (found.diags.is_empty(), kind) {
        let built = build(kind, given, rt, &mut found);
        if found.diags.is_empty() {
            let (check, title, traces) = built;
            return Checked::Valid(Box::new(FlightRule {
                id: id.unwrap_or_default(),
                title,
                check,
                traces,
                span: anchor,
                block: rt.span(rt.block.clone()),
                block_line: rt.line_start as u32,
            }));
        }
    }
    Checked::Skipped(Some(skipped(&id)), found.finish(id.as_deref()))
}

/// Reads the value of the rule's key `name` into `given`.
fn set_key(
    given: &mut Given,
    name: &str,
    value: &Node,
    rt: &RuleText<'_>,
    at: Span,
    region: &Range<usize>,
) -> Result<(), Bad> {
    let bad = |message: String| Bad::new(at, message);
    let text = |v: &Node| -> Result<String, Bad> {
        v.scalar()
            .map(str::to_string)
            .ok_or_else(|| bad(format!("`{name}` must be text, not {}", v.describe())))
    };
    let names = |v: &Node| -> Result<Vec<String>, Bad> {
        names_of(v).ok_or_else(|| {
            bad(format!(
                "`{name}` must be a name or a list of names, not {}",
                v.describe()
            ))
        })
    };
    let dur = |v: &Node| -> Result<Dur, Bad> {
        let Some(t) = v.scalar() else {
            return Err(bad(format!(
                "`{name}` must be a duration such as `15m`, `3h` or `PT40M`, not {}",
                v.describe()
            )));
        };
        let t = t.trim();
        if t.starts_with('-') {
            return Err(bad(format!(
                "`{t}` is negative: durations and margins in flight rules are 0 or more"
            )));
        }
        Dur::parse(t).map_err(|e| {
            bad(format!(
                "`{t}` is not a duration such as `15m`, `3h` or `PT40M` ({e})"
            ))
        })
    };
    let count = |v: &Node| -> Result<u32, Bad> {
        match v {
            Node::Number(t) => t.parse::<u32>().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            bad(format!(
                "`{name}` must be a whole number from 0 to {}, not {}",
                u32::MAX,
                v.describe()
            ))
        })
    };
    let selector = |v: &Node| selector_of(v, name, rt, region, at);
    match name {
        "title" => given.title = Some(text(value)?),
        "description" => {
            text(value)?;
        }
        "traces" => {
            let plain = names(value)?;
            given.traces =
                traces::as_written(value, plain, rt.text, region.clone()).map_err(|entry| Bad {
                    help: Some(
                        "write the id in quotes, as the export writes it: `traces: [\"1.10\"]` \
                         (YAML reads a bare `1.10` as the number 1.1)"
                            .to_string(),
                    ),
                    ..Bad::new(
                        at,
                        format!(
                            "`traces` entry `{entry}` is a number to YAML, and the digits \
                             written for it cannot be read back"
                        ),
                    )
                })?
        }
        "select" => given.select = Some(selector(value)?),
        "a" => given.a = Some(selector(value)?),
        "b" => given.b = Some(selector(value)?),
        "preceding" => given.preceding = Some(selector(value)?),
        "following" => given.following = Some(selector(value)?),
        "steps" => {
            let Node::Seq(items) = value else {
                return Err(bad(format!(
                    "`steps` must be a list of selectors (`- {{ kind: … }}`), not {}",
                    value.describe()
                )));
            };
            let mut steps = Vec::with_capacity(items.len());
            let mut first_bad = None;
            for item in items {
                match selector(item) {
                    Ok(s) => steps.push(s),
                    Err(b) => {
                        first_bad.get_or_insert(b);
                    }
                }
            }
            if let Some(b) = first_bad {
                return Err(b);
            }
            given.steps = Some(steps);
        }
        "min" => given.min = Some(dur(value)?),
        "margin" => given.margin = Some(dur(value)?),
        "min_gap" => given.min_gap = Some(dur(value)?),
        "max_gap" => given.max_gap = Some(dur(value)?),
        "period" => given.period = Some(dur(value)?),
        "max_duration" => given.max_duration = Some(dur(value)?),
        "max_work" => given.max_work = Some(dur(value)?),
        "next_day" => match value {
            Node::Bool(b) => given.next_day = Some(*b),
            other => {
                return Err(bad(format!(
                    "`next_day` must be `true` or `false`, not {}",
                    other.describe()
                )))
            }
        },
        "windows" => given.windows = Some(names(value)?),
        "all" => given.all = Some(names(value)?),
        "any" => given.any = Some(names(value)?),
        "max_count" => given.max_count = Some(count(value)?),
        "max" => given.max = Some(count(value)?),
        "resource" => given.resource = Some(text(value)?),
        "sleep" => given.sleep = Some(text(value)?),
        // `id` and `kind` are read by the caller; every other key of RULE_KEYS above.
        _ => {}
    }
    Ok(())
}

/// A name or a list of names: `kind: reboost` or `kind: [reboost, dam]`.
fn names_of(v: &Node) -> Option<Vec<String>> {
    match v {
        Node::Seq(items) => items
            .iter()
            .map(|i| match i {
                Node::Null => None,
                other => other.scalar().map(str::to_string),
            })
            .collect(),
        Node::Null => None,
        other => other.scalar().map(|s| vec![s.to_string()]),
    }
}

/// A selector (`{ kind: reboost, critical: true }`), its problems located inside the
/// value of the rule's key `key` (`region`).
fn selector_of(
    v: &Node,
    key: &str,
    rt: &RuleText<'_>,
    region: &Range<usize>,
    at: Span,
) -> Result<Selector, Bad> {
    let entries = match v {
        Node::Map(entries) => entries,
        Node::Null => return Ok(Selector::default()),
        other => {
            return Err(Bad {
                note: Some(format!("a selector takes {}", and_list(SELECTOR_KEYS))),
                ..Bad::new(
                    at,
                    format!(
                        "`{key}` must be a selector such as `{{ kind: reboost }}`, not {}",
                        other.describe()
                    ),
                )
            })
        }
    };
    let mut s = Selector::default();
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for (k, value) in entries {
        let Some(name) = k.scalar() else {
            return Err(Bad::new(
                at,
                format!(
                    "a key of the selector `{key}` must be a name, not {}",
                    k.describe()
                ),
            ));
        };
        let nth = {
            let c = counts.entry(name).or_default();
            *c += 1;
            *c - 1
        };
        let key_at = rt.key_in(region, name, nth).unwrap_or(at);
        if nth > 0 {
            return Err(Bad {
                label: "given again",
                ..Bad::new(
                    key_at,
                    format!("`{name}` is given twice in the selector `{key}`"),
                )
            });
        }
        if !SELECTOR_KEYS.contains(&name) {
            return Err(Bad {
                label: "unknown key",
                help: crate::diag::did_you_mean(name, SELECTOR_KEYS.iter().copied())
                    .map(|s| s.did_you_mean()),
                note: Some(format!("a selector takes {}", and_list(SELECTOR_KEYS))),
                ..Bad::new(key_at, format!("unknown selector key `{name}` in `{key}`"))
            });
        }
        let value_at = rt.value_span(key_at);
        if name == "critical" {
            match value {
                Node::Bool(b) => s.critical = Some(*b),
                Node::Null => {}
                other => {
                    return Err(Bad::new(
                        value_at,
                        format!(
                            "`critical` must be `true` or `false`, not {}",
                            other.describe()
                        ),
                    ))
                }
            }
            continue;
        }
        let list = names_of(value).ok_or_else(|| {
            Bad::new(
                value_at,
                format!(
                    "selector `{name}` must be a name or a list of names, not {}",
                    value.describe()
                ),
            )
        })?;
        match name {
            "kind" => s.kind = list,
            "tag" => s.tag = list,
            "role" => s.role = list,
            "phase" => s.phase = list,
            _ => s.id = list,
        }
    }
    Ok(s)
}

/// The constraint of a rule whose keys are all valid, with its title and traces; what
/// the kind needs is checked (each missing thing a finding in `found`).
fn build(
    kind: &str,
    r: Given,
    rt: &RuleText<'_>,
    found: &mut Found,
) -> (Constraint, String, Vec<String>) {
    let kind_at = rt
        .key("kind", 0)
        .map_or_else(|| rt.anchor(), |k| rt.value_span(k));
    let value_at = |key: &str| rt.key(key, 0).map(|k| rt.value_span(k));
    let key_at = |key: &str| rt.key(key, 0).unwrap_or(kind_at);
    // (where, message, whether to say what the kind takes)
    let mut missing: Vec<(Span, String, bool)> = Vec::new();
    let need = |key: &str, present: bool, missing: &mut Vec<(Span, String, bool)>| {
        if !present {
            missing.push((kind_at, format!("`{kind}` needs `{key}`"), true));
        }
    };
    let sel = |s: &Option<Selector>| s.clone().unwrap_or_default();
    let dur = |d: Option<Dur>| d.unwrap_or(Dur(0));
    if let (Some(lo), Some(hi)) = (r.min_gap, r.max_gap) {
        if hi < lo {
            missing.push((
                value_at("max_gap").unwrap_or(kind_at),
                "`max_gap` is less than `min_gap`".into(),
                false,
            ));
        }
    }
    let check = match kind {
        "min_separation" => {
            need("min", r.min.is_some(), &mut missing);
            Constraint::MinSeparation {
                select: sel(&r.select),
                min: dur(r.min),
            }
        }
        "no_overlap" => {
            need("a", r.a.is_some(), &mut missing);
            need("b", r.b.is_some(), &mut missing);
            Constraint::NoOverlap {
                a: sel(&r.a),
                b: sel(&r.b),
                margin: dur(r.margin),
            }
        }
        "requires_window" | "forbidden_window" => {
            let windows = r.windows.clone().unwrap_or_default();
            need("windows", !windows.is_empty(), &mut missing);
            if kind == "requires_window" {
                Constraint::RequiresWindow {
                    select: sel(&r.select),
                    windows,
                    margin: dur(r.margin),
                }
            } else {
                Constraint::ForbiddenWindow {
                    select: sel(&r.select),
                    windows,
                    margin: dur(r.margin),
                }
            }
        }
        "precedence" => {
            need("a", r.a.is_some(), &mut missing);
            need("b", r.b.is_some(), &mut missing);
            Constraint::Precedence {
                a: sel(&r.a),
                b: sel(&r.b),
                min_gap: dur(r.min_gap),
                max_gap: r.max_gap,
                next_day: r.next_day.unwrap_or(false),
            }
        }
        "requires_preceding" => {
            need("preceding", r.preceding.is_some(), &mut missing);
            Constraint::RequiresPreceding {
                select: sel(&r.select),
                preceding: sel(&r.preceding),
                min_gap: dur(r.min_gap),
                max_gap: r.max_gap,
            }
        }
        "requires_following" => {
            need("following", r.following.is_some(), &mut missing);
            Constraint::RequiresFollowing {
                select: sel(&r.select),
                following: sel(&r.following),
                min_gap: dur(r.min_gap),
                max_gap: r.max_gap,
            }
        }
        "sequence" => {
            let steps = r.steps.clone().unwrap_or_default();
            if steps.len() < 2 {
                missing.push((
                    if r.steps.is_some() {
                        key_at("steps")
                    } else {
                        kind_at
                    },
                    "`sequence` needs `steps` with at least two selectors".into(),
                    false,
                ));
            }
            Constraint::Sequence {
                steps,
                max_gap: r.max_gap,
            }
        }
        "max_per_period" => {
            need("period", r.period.is_some(), &mut missing);
            if r.max_count.is_none() && r.max_duration.is_none() {
                missing.push((
                    kind_at,
                    "`max_per_period` needs `max_count`, `max_duration` or both".into(),
                    true,
                ));
            }
            if r.period.is_some_and(|p| p.0 <= 0) {
                missing.push((
                    value_at("period").unwrap_or(kind_at),
                    "`period` must be longer than 0".into(),
                    false,
                ));
            }
            Constraint::MaxPerPeriod {
                select: sel(&r.select),
                period: dur(r.period),
                max_count: r.max_count,
                max_duration: r.max_duration,
            }
        }
        "resource_capacity" => {
            if r.resource.is_none() && r.max.is_none() {
                missing.push((
                    kind_at,
                    "`resource_capacity` needs `resource`, or `select` with `max`".into(),
                    true,
                ));
            }
            Constraint::ResourceCapacity {
                resource: r.resource.clone(),
                select: sel(&r.select),
                max: r.max,
            }
        }
        "crew_day" => {
            if r.max_work.is_none() && r.sleep.is_none() {
                missing.push((
                    kind_at,
                    "`crew_day` needs `max_work`, `sleep` or both".into(),
                    true,
                ));
            }
            Constraint::CrewDay {
                select: sel(&r.select),
                max_work: r.max_work,
                sleep: r.sleep.clone(),
            }
        }
        _ => {
            // `roles_required`, the last of KINDS.
            let all = r.all.clone().unwrap_or_default();
            let any = r.any.clone().unwrap_or_default();
            if all.is_empty() && any.is_empty() {
                missing.push((
                    if r.all.is_some() {
                        key_at("all")
                    } else if r.any.is_some() {
                        key_at("any")
                    } else {
                        kind_at
                    },
                    "`roles_required` needs `all`, `any` or both, each with at least one role"
                        .into(),
                    false,
                ));
            }
            Constraint::RolesRequired {
                select: sel(&r.select),
                all,
                any,
            }
        }
    };
    for (at, message, takes) in missing {
        let d = found.problem(at, "here", &message, false);
        if takes {
            d.notes.push(takes_note(Some(kind)));
        }
    }
    (check, r.title.unwrap_or_default(), r.traces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<(u32, String)> {
        load(FileId(0), text)
            .1
            .into_iter()
            .map(|d| (d.primary.span.start, d.message))
            .collect()
    }

    /// The text a finding points at.
    fn at<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
        &text[d.primary.span.start as usize..d.primary.span.end as usize]
    }

    const GOOD: &str = "rules:\n  - id: FR-02\n    title: OCS burns at least 3 h apart\n    kind: min_separation\n    select: { kind: [reboost, dam] }\n    min: 3h\n    traces: [ATV-OPS-REQ-011]\n";

    /// Three rules; the second is FR-03, `min_separation` like the others.
    fn three(second: &str) -> String {
        format!(
            "rules:\n  - id: FR-01\n    title: one\n    kind: min_separation\n    min: 1h\n\
             \x20 - id: FR-03\n    title: three\n{second}\
             \x20 - id: FR-04\n    title: four\n    kind: min_separation\n    min: 4h\n"
        )
    }

    #[test]
    fn a_good_rule_loads() {
        let (set, diags) = load(FileId(0), GOOD);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(set.rules.len(), 1);
        assert!(set.skipped.is_empty() && !set.unreadable);
        let r = &set.rules[0];
        assert_eq!(r.id, "FR-02");
        assert_eq!(r.traces, ["ATV-OPS-REQ-011"]);
        assert_eq!(&GOOD[r.span.start as usize..r.span.end as usize], "FR-02");
        match &r.check {
            Constraint::MinSeparation { select, min } => {
                assert_eq!(select.kind, ["reboost", "dam"]);
                assert_eq!(*min, Dur(3 * 3600));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_bad_rule_does_not_drop_the_others() {
        let text = three("    kind: min_separation\n    minimum: 2h\n");
        let (set, diags) = load(FileId(0), &text);
        let ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["FR-01", "FR-04"]);
        assert_eq!(set.skipped.len(), 1);
        assert_eq!(set.skipped[0].id.as_deref(), Some("FR-03"));
        assert!(!set.unreadable);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!(d.message, "rule FR-03: unknown key `minimum`");
        assert_eq!(at(&text, d), "minimum");
        assert_eq!(d.help.as_deref(), Some("did you mean `min`?"));
        assert_eq!(
            d.notes,
            [
                "`min_separation` takes `select` and `min`; every rule takes `id`, `title`, \
                 `kind`, `description` and `traces`",
                "rule FR-03 is not evaluated",
                SEE_KEYS,
            ]
        );
        assert_eq!(d.flight_rule.as_deref(), Some("FR-03"));
        // The rules after it keep their own locations.
        let fr04 = &set.rules[1];
        assert_eq!(
            &text[fr04.span.start as usize..fr04.span.end as usize],
            "FR-04"
        );
    }

    #[test]
    fn every_problem_of_a_rule_is_reported_at_its_key_or_value() {
        let text = three(
            "    kind: min_separation\n    min: -1h\n    margin: 5m\n    colour: red\n    select: { kint: burn }\n",
        );
        let (set, diags) = load(FileId(0), &text);
        assert_eq!(set.rules.len(), 2);
        let found: Vec<(&str, &str)> = diags
            .iter()
            .map(|d| (d.message.as_str(), at(&text, d)))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "rule FR-03: `-1h` is negative: durations and margins in flight rules are 0 or more",
                    "-1h"
                ),
                ("rule FR-03: `margin` does not apply to `min_separation`", "margin"),
                ("rule FR-03: unknown key `colour`", "colour"),
                ("rule FR-03: unknown selector key `kint` in `select`", "kint"),
            ]
        );
        assert_eq!(
            diags[1].help.as_deref(),
            Some("remove `margin`, or use a kind that takes it: `no_overlap`, `requires_window` and `forbidden_window`")
        );
        assert_eq!(diags[2].help.as_deref(), Some(SEE_KEYS), "no close key");
        assert_eq!(diags[3].help.as_deref(), Some("did you mean `kind`?"));
        assert!(diags
            .iter()
            .all(|d| d.notes.contains(&"rule FR-03 is not evaluated".to_string())));
    }

    #[test]
    fn unknown_keys_kinds_and_types_are_located() {
        let text = GOOD.replace("min: 3h", "minimum: 3h");
        let e = errors(&text);
        assert_eq!(e.len(), 1);
        assert!(e[0].1.contains("unknown key `minimum`"), "{e:?}");
        assert_eq!(&text[e[0].0 as usize..e[0].0 as usize + 7], "minimum");

        let text = GOOD.replace("min_separation", "min_seperation");
        let (_, diags) = load(FileId(0), &text);
        assert_eq!(
            diags.len(),
            1,
            "the kind's keys are not reported too: {diags:#?}"
        );
        let d = &diags[0];
        assert_eq!(d.message, "rule FR-02: unknown kind `min_seperation`");
        assert_eq!(at(&text, d), "min_seperation");
        assert_eq!(d.help.as_deref(), Some("did you mean `min_separation`?"));
        assert!(d.notes[0].starts_with("the kinds are `min_separation`, `no_overlap`, "));
        assert!(
            d.notes[0].ends_with(" and `roles_required`"),
            "{}",
            d.notes[0]
        );

        let text = GOOD.replace("min: 3h", "min: [3h]");
        let (_, diags) = load(FileId(0), &text);
        assert_eq!(
            diags[0].message,
            "rule FR-02: `min` must be a duration such as `15m`, `3h` or `PT40M`, not a list"
        );
        assert_eq!(at(&text, &diags[0]), "[3h]");
    }

    #[test]
    fn the_kind_is_found_at_the_rules_own_indentation() {
        // The selector's `kind` comes first in the text: the rule's own `kind` is meant.
        let text = "rules:\n  - id: X\n    title: t\n    select: { kind: burn }\n    kind: nope\n";
        let (_, diags) = load(FileId(0), text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(at(text, &diags[0]), "nope");
        assert_eq!(
            &text[diags[0].primary.span.start as usize - 6..][..4],
            "kind"
        );
    }

    #[test]
    fn a_rule_without_an_id_is_named_by_its_place() {
        let text = three("    kind: min_separation\n    min: 2h\n")
            .replace("- id: FR-03\n", "- title: x\n");
        let (set, diags) = load(FileId(0), &text);
        assert_eq!(set.rules.len(), 2);
        assert_eq!(set.skipped.len(), 1);
        assert_eq!(set.skipped[0].id, None, "no id for a waiver to name");
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.contains(&"the 2nd rule has no `id`"),
            "{messages:?}"
        );
        assert!(diags.iter().all(|d| d
            .notes
            .contains(&"the 2nd rule is not evaluated".to_string())));
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(23), "23rd");
    }

    #[test]
    fn negative_and_malformed_durations_are_errors_at_the_value() {
        let text = GOOD.replace("min: 3h", "min: -3h");
        let (_, diags) = load(FileId(0), &text);
        assert!(diags[0].message.contains("negative"), "{diags:?}");
        assert_eq!(at(&text, &diags[0]), "-3h");
        let text = GOOD.replace("min: 3h", "min: three hours   # a comment");
        let (_, diags) = load(FileId(0), &text);
        assert!(diags[0].message.contains("not a duration"), "{diags:?}");
        assert_eq!(at(&text, &diags[0]), "three hours");
    }

    #[test]
    fn keys_that_do_not_apply_and_missing_keys_are_reported_at_their_key() {
        let text = GOOD.replace("min: 3h", "min: 3h\n    margin: 1h");
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0]
            .1
            .contains("`margin` does not apply to `min_separation`"));
        assert_eq!(&text[e[0].0 as usize..][..6], "margin");
        let text = GOOD.replace("    min: 3h\n", "");
        let (_, diags) = load(FileId(0), &text);
        assert_eq!(diags[0].message, "rule FR-02: `min_separation` needs `min`");
        assert_eq!(at(&text, &diags[0]), "min_separation");
        let text = GOOD.replace("    title: OCS burns at least 3 h apart\n", "");
        assert_eq!(errors(&text)[0].1, "rule FR-02 has no `title`");
        let text = GOOD.replace("    kind: min_separation\n", "");
        let (_, diags) = load(FileId(0), &text);
        assert_eq!(diags[0].message, "rule FR-02 has no `kind`");
        assert_eq!(at(&text, &diags[0]), "FR-02");
        let text = GOOD.replace("min: 3h", "min: 3h\n    min: 4h");
        let (_, diags) = load(FileId(0), &text);
        assert_eq!(diags[0].message, "rule FR-02: `min` is given twice");
        assert_eq!(
            diags[0].primary.span.start as usize,
            text.rfind("min:").unwrap()
        );
    }

    #[test]
    fn duplicate_ids_and_alias_bombs_are_errors() {
        let text = format!("{GOOD}{}", &GOOD["rules:\n".len()..]);
        let (set, diags) = load(FileId(0), &text);
        assert!(diags[0].message.contains("defined twice"), "{diags:?}");
        assert_eq!(set.rules.len(), 1, "the first definition is evaluated");
        let bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\nrules: [*i]\n";
        let (set, diags) = load(FileId(0), bomb);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(set.unreadable);
    }

    #[test]
    fn a_file_that_cannot_be_read_says_none_of_its_rules_is_evaluated() {
        let text = GOOD.replace("min: 3h", "min: [3h");
        let (set, diags) = load(FileId(0), &text);
        assert!(set.unreadable && set.rules.is_empty());
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .message
                .starts_with("flight-rule file is not valid YAML: "),
            "{}",
            diags[0].message
        );
        assert_eq!(
            diags[0].notes,
            ["none of the rules of this file is evaluated"]
        );
    }

    #[test]
    fn unknown_top_level_keys_are_reported_and_the_rules_still_evaluated() {
        let text = format!("version: 2\n{GOOD}");
        let (set, diags) = load(FileId(0), &text);
        assert_eq!(set.rules.len(), 1);
        assert!(!set.unreadable);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "unknown key `version` in a flight-rule file"
        );
        assert_eq!(at(&text, &diags[0]), "version");
        // Without `rules:`, nothing is evaluated.
        let text = GOOD.replace("rules:", "rule:");
        let (set, diags) = load(FileId(0), &text);
        assert!(set.unreadable);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `rules`?"));
        assert!(diags[0]
            .notes
            .contains(&"none of the rules of this file is evaluated".to_string()));
    }

    #[test]
    fn rules_written_as_flow_mappings_are_checked_one_by_one() {
        let text = "rules: [{id: A, title: t, kind: min_separation, min: 1h},\n  {id: B, title: t, kind: min_separation, minimum: 1h}]\n";
        let (set, diags) = load(FileId(0), text);
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.skipped[0].id.as_deref(), Some("B"));
        assert_eq!(diags.len(), 1);
        assert_eq!(at(text, &diags[0]), "minimum");
    }

    #[test]
    fn block_scalars_comments_and_quotes_do_not_mislead_the_locator() {
        let text = "rules:\n# min: not a key\n  - id: \"X\"\n    description: |\n      kind: not a key\n      min: nor this\n    title: 't'\n    kind: min_separation # min: a comment\n    \"min\": -1h\n";
        let (_, diags) = load(FileId(0), text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(at(text, &diags[0]), "-1h");
    }

    #[test]
    fn a_rule_that_is_not_a_mapping_is_reported_alone() {
        let text = format!("{GOOD}  - just text\n");
        let (set, diags) = load(FileId(0), &text);
        assert_eq!(set.rules.len(), 1);
        assert_eq!(diags.len(), 1);
        assert!(diags[0]
            .message
            .starts_with("the 2nd rule is `just text`, not a rule"));
    }

    #[test]
    fn the_keys_of_the_kinds_are_the_rule_keys() {
        let mut union: Vec<&str> = COMMON_KEYS.to_vec();
        for (_, keys) in KINDS {
            for k in *keys {
                if !union.contains(k) {
                    union.push(k);
                }
            }
        }
        let mut all = RULE_KEYS.to_vec();
        union.sort_unstable();
        all.sort_unstable();
        assert_eq!(union, all);
        // Every kind, with the values its keys take, loads.
        for (kind, keys) in KINDS {
            let mut rule = format!("rules:\n  - id: X\n    title: t\n    kind: {kind}\n");
            for k in *keys {
                let v = match *k {
                    "select" | "a" | "b" | "preceding" | "following" => "{ kind: k }",
                    "steps" => "[{ kind: a }, { kind: b }]",
                    "next_day" => "true",
                    "windows" | "all" | "any" => "[W]",
                    "max_count" | "max" => "2",
                    "resource" | "sleep" => "R",
                    _ => "1h",
                };
                rule.push_str(&format!("    {k}: {v}\n"));
            }
            let (set, diags) = load(FileId(0), &rule);
            assert!(diags.is_empty(), "{kind}: {diags:#?}");
            assert_eq!(set.rules[0].check.kind_name(), *kind);
        }
    }

    #[test]
    fn many_problems_in_one_rule_cost_linear_time() {
        // 40,000 unknown keys in one rule, then a rule without an id in a flow list: each
        // finding is located through the index, never by a new scan of the rule.
        let mut text = String::from("rules:\n  - id: X\n    title: t\n    kind: min_separation\n");
        for i in 0..40_000 {
            text.push_str(&format!("    k{i}: 1\n"));
        }
        let (_, diags) = load(FileId(0), &text);
        assert_eq!(diags.len(), 40_000);
        assert_eq!(at(&text, &diags[39_999]), "k39999");
        let flow = format!("rules: [{}]\n", vec!["{title: t}"; 20_000].join(", "));
        let (_, diags) = load(FileId(0), &flow);
        assert!(diags.len() >= 20_000);
    }

    #[test]
    fn empty_and_broken_yaml_never_panic() {
        // `rules:` with nothing is an empty list, which is valid.
        assert!(load(FileId(0), "rules:").1.is_empty());
        for text in [
            "",
            "rules: [",
            "\u{0}",
            "rules:\n  - id: [\n",
            "- a\n- b",
            "rules: 5",
        ] {
            let (set, diags) = load(FileId(0), text);
            assert!(set.rules.is_empty(), "{text:?}");
            assert!(set.unreadable, "{text:?}");
            assert_eq!(diags.len(), 1, "{text:?}: {diags:?}");
        }
    }

    #[test]
    fn nesting_past_the_limit_is_refused_where_it_passes_it() {
        let text = format!(
            "rules:\n  - id: X\n    a: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let (set, diags) = load(FileId(0), &text);
        assert!(set.unreadable && set.rules.is_empty());
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(diags[0].message.contains("nested more than 64 levels deep"));
        // `rules`, the list and the rule make 3 levels: the 62nd bracket is the 65th.
        let col = "    a: ".len() + 61;
        let line2 = "rules:\n  - id: X\n".len();
        assert_eq!(diags[0].primary.span.start as usize, line2 + col);
        assert_eq!(at(&text, &diags[0]), "[");
    }

    #[test]
    fn rules_on_one_line_are_told_apart_in_linear_time() {
        // 20,000 rules in one flow list on one line, each tracing its own requirement:
        // each rule's text is its own item, and each trace is found in it.
        let n = 20_000;
        let items: Vec<String> = (0..n)
            .map(|i| format!("{{id: R{i}, title: t, kind: min_separation, select: {{kind: burn}}, min: 1m, traces: [REQ.{i}@ab, Q{i}]}}"))
            .collect();
        let text = format!("rules: [{}]\n", items.join(", "));
        let (set, diags) = load(FileId(0), &text);
        assert!(diags.is_empty(), "{:#?}", &diags[..diags.len().min(3)]);
        assert_eq!(set.rules.len(), n);
        for i in [0, 1, 9_999, n - 1] {
            let rule = &set.rules[i];
            assert_eq!(
                &text[rule.block.start as usize..rule.block.start as usize + 1],
                "{"
            );
            let mut locator = RuleLocator::new(&text, rule);
            let span = locator.locate(&format!("REQ.{i}@ab"), "traces");
            assert_eq!(
                &text[span.start as usize..span.end as usize],
                format!("REQ.{i}@ab")
            );
            let span = locator.locate(&format!("Q{i}"), "traces");
            assert_eq!(
                &text[span.start as usize..span.end as usize],
                format!("Q{i}")
            );
            assert!(text[..span.start as usize].ends_with(&format!("REQ.{i}@ab, ")));
        }
    }

    #[test]
    fn a_locator_finds_words_as_a_scan_would() {
        let text = "rules:\n  - id: W\n    title: t\n    kind: requires_window\n    select: { kind: x }\n    windows: [TDRS-2, X.TDRS, TDRS, \"GS 1\"]\n";
        let (set, diags) = load(FileId(0), text);
        assert!(diags.is_empty(), "{diags:#?}");
        let rule = &set.rules[0];
        let mut locator = RuleLocator::new(text, rule);
        for (word, key, expect) in [
            ("TDRS", "windows", "X.TDRS"),
            ("TDRS-2", "windows", "[TDRS-2"),
            ("GS 1", "windows", "\"GS 1"),
            ("NONE", "windows", "    windows"),
            ("x", "select", "{ kind: x"),
        ] {
            let span = locator.locate(word, key);
            let found = &text[..span.end as usize];
            assert!(found.ends_with(expect), "{word}: {found:?}");
            assert_eq!(
                span,
                RuleText::new(
                    FileId(0),
                    text,
                    rule.block.start as usize..rule.block.end as usize,
                    rule.block_line as usize
                )
                .word_or_key(word, key)
            );
        }
    }
}
