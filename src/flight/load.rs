//! Rule files: YAML → validated [`FlightRule`]s, every problem an `F003` diagnostic at
//! its line and column.
//!
//! serde does the shape (unknown keys, wrong types and unknown kinds are its errors,
//! located by the YAML parser); the checks a kind needs (which parameters it takes,
//! a positive period, a gap range that is not empty) are done here. serde does not
//! give the position of a value, so these are located by finding the key inside the
//! text of the rule they belong to.

use super::{Constraint, FlightRule, RuleSet, Selector};
use crate::diag::{Code, Diagnostic, Label};
use crate::source::{FileId, Span};
use crate::time::Dur;
use serde::Deserialize;

/// At most this many bytes of YAML are read from one rule file.
pub const MAX_RULE_FILE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rules: Vec<RawRule>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
enum Kind {
    MinSeparation,
    NoOverlap,
    RequiresWindow,
    ForbiddenWindow,
    Precedence,
    RequiresPreceding,
    RequiresFollowing,
    Sequence,
    MaxPerPeriod,
    ResourceCapacity,
    CrewDay,
    RolesRequired,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    title: String,
    kind: Kind,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    traces: OneOrMany,
    #[serde(default)]
    select: Option<RawSelector>,
    #[serde(default)]
    a: Option<RawSelector>,
    #[serde(default)]
    b: Option<RawSelector>,
    #[serde(default)]
    preceding: Option<RawSelector>,
    #[serde(default)]
    following: Option<RawSelector>,
    #[serde(default)]
    steps: Option<Vec<RawSelector>>,
    #[serde(default)]
    min: Option<DurText>,
    #[serde(default)]
    margin: Option<DurText>,
    #[serde(default)]
    min_gap: Option<DurText>,
    #[serde(default)]
    max_gap: Option<DurText>,
    #[serde(default)]
    next_day: Option<bool>,
    #[serde(default)]
    windows: Option<OneOrMany>,
    #[serde(default)]
    period: Option<DurText>,
    #[serde(default)]
    max_count: Option<u32>,
    #[serde(default)]
    max_duration: Option<DurText>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    max: Option<u32>,
    #[serde(default)]
    max_work: Option<DurText>,
    #[serde(default)]
    sleep: Option<String>,
    #[serde(default)]
    all: Option<OneOrMany>,
    #[serde(default)]
    any: Option<OneOrMany>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawSelector {
    #[serde(default)]
    kind: OneOrMany,
    #[serde(default)]
    tag: OneOrMany,
    #[serde(default)]
    role: OneOrMany,
    #[serde(default)]
    critical: Option<bool>,
    #[serde(default)]
    phase: OneOrMany,
    #[serde(default)]
    id: OneOrMany,
}

/// A name or a list of names: `kind: reboost` or `kind: [reboost, dam]`.
#[derive(Deserialize, Default, Clone)]
#[serde(from = "OneOrManyRaw")]
struct OneOrMany(Vec<String>);

#[derive(Deserialize)]
#[serde(untagged, expecting = "a name or a list of names")]
enum OneOrManyRaw {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrManyRaw> for OneOrMany {
    fn from(r: OneOrManyRaw) -> Self {
        match r {
            OneOrManyRaw::One(s) => OneOrMany(vec![s]),
            OneOrManyRaw::Many(v) => OneOrMany(v),
        }
    }
}

/// A non-negative duration written like the language's: `3h`, `1h30m`, `PT40M`.
#[derive(Clone, Copy)]
struct DurText(Dur);

impl<'de> Deserialize<'de> for DurText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let t = text.trim();
        if t.starts_with('-') {
            return Err(serde::de::Error::custom(format!(
                "`{t}` is negative: durations and margins in flight rules are 0 or more"
            )));
        }
        Dur::parse(t).map(DurText).map_err(|e| {
            serde::de::Error::custom(format!(
                "`{t}` is not a duration such as `15m`, `3h` or `PT40M` ({e})"
            ))
        })
    }
}

impl From<RawSelector> for Selector {
    fn from(r: RawSelector) -> Self {
        Selector {
            kind: r.kind.0,
            tag: r.tag.0,
            role: r.role.0,
            critical: r.critical,
            phase: r.phase.0,
            id: r.id.0,
        }
    }
}

/// Parses one rule file. The rules that are valid are returned even when others are not.
pub fn load(file: FileId, text: &str) -> (RuleSet, Vec<Diagnostic>) {
    let mut set = RuleSet {
        file: Some(file),
        rules: Vec::new(),
    };
    if text.len() > MAX_RULE_FILE_BYTES {
        let d = Diagnostic::new(
            Code::InvalidFlightRuleFile,
            format!(
                "flight-rule file is larger than {} MiB",
                MAX_RULE_FILE_BYTES / (1024 * 1024)
            ),
            Label::new(Span::new(file, 0..0), "file too large"),
        );
        return (set, vec![d]);
    }
    let raw: RawFile = match serde_yaml::from_str(text) {
        Ok(r) => r,
        Err(e) => return (set, vec![yaml_error(file, text, &e)]),
    };
    let blocks = rule_blocks(text, &raw.rules);
    let mut diags = Vec::new();
    let mut seen: Vec<(String, Span)> = Vec::new();
    for (rule, block) in raw.rules.into_iter().zip(blocks) {
        let at = Locator { file, text, block };
        let id_span = at.key_value("id").unwrap_or(at.block_span());
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == rule.id) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidFlightRuleFile,
                    format!("flight rule `{}` is defined twice", rule.id),
                    Label::new(id_span, "defined again here"),
                )
                .with_secondary(Label::new(*first, "first defined here")),
            );
            continue;
        }
        seen.push((rule.id.clone(), id_span));
        match validate(rule, &at) {
            Ok(mut r) => {
                r.span = id_span;
                set.rules.push(r);
            }
            Err(d) => diags.extend(d),
        }
    }
    (set, diags)
}

fn yaml_error(file: FileId, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let message = e.to_string();
    // serde_yaml appends " at line L column C"; the location is shown by the label.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let span = match e.location() {
        Some(loc) => {
            let mut start = floor_char_boundary(text, loc.index());
            // serde reports a bad value at the start of the mapping that holds it; when
            // the message quotes the value (`-15m`), point at the value itself.
            if let Some(value) = message.split('`').nth(1).filter(|v| !v.is_empty()) {
                // The search window ends on a character boundary (found by fuzzing: 4096
                // bytes on could fall inside a multi-byte character, a panic).
                let window = &text[start..floor_char_boundary(text, start + 4096)];
                if let Some(i) = window.find(value) {
                    start += i;
                    let end = start + value.len();
                    return Diagnostic::new(
                        Code::InvalidFlightRuleFile,
                        format!("invalid flight-rule file: {message}"),
                        Label::new(Span::new(file, start..end), "here"),
                    )
                    .with_help("see `docs/flight-rules.md` for the keys each kind takes");
                }
            }
            let end = token_end(text, start);
            Span::new(file, start..end)
        }
        None => Span::new(file, 0..0),
    };
    Diagnostic::new(
        Code::InvalidFlightRuleFile,
        format!("invalid flight-rule file: {message}"),
        Label::new(span, "here"),
    )
    .with_help("see `docs/flight-rules.md` for the keys each kind takes")
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

/// The byte range of each rule in the text: from its `id:` to the next rule's `id:`.
fn rule_blocks(text: &str, rules: &[RawRule]) -> Vec<std::ops::Range<usize>> {
    let mut starts = Vec::with_capacity(rules.len());
    let mut from = 0;
    for r in rules {
        let at = find_key_value(text, from, "id", &r.id).unwrap_or(from);
        // Back up to the start of the list item (`- `) when the id is not first.
        let item = text[..at]
            .rfind("\n-")
            .or_else(|| text[..at].rfind("\n  -"));
        let start = item.map_or(at, |i| (i + 1).max(from)).min(at);
        starts.push(start);
        from = at + 1;
    }
    let mut blocks = Vec::with_capacity(starts.len());
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(text.len()).max(s);
        blocks.push(s..e);
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

/// Finds things inside one rule's text.
struct Locator<'t> {
    file: FileId,
    text: &'t str,
    block: std::ops::Range<usize>,
}

impl Locator<'_> {
    fn block_span(&self) -> Span {
        let start = self.block.start;
        Span::new(self.file, start..token_end(self.text, start))
    }

    /// The value after `key:` in this rule.
    fn key_value(&self, key: &str) -> Option<Span> {
        let at = self.key(key)?;
        let after = &self.text[at.end as usize..];
        let colon = after.find(':')?;
        let mut v = at.end as usize + colon + 1;
        while self.text[v..].starts_with([' ', '\t', '"', '\'']) {
            v += 1;
        }
        Some(Span::new(self.file, v..token_end(self.text, v)))
    }

    /// The key `key:` in this rule.
    fn key(&self, key: &str) -> Option<Span> {
        let block = &self.text[self.block.clone()];
        let mut pos = 0;
        while let Some(i) = block[pos..].find(key) {
            let k = pos + i;
            pos = k + key.len();
            let before = block[..k].chars().last();
            let ok_before = before.is_none_or(|c| !c.is_alphanumeric() && c != '_');
            let ok_after = block[pos..]
                .trim_start_matches([' ', '\t'])
                .starts_with(':');
            if ok_before && ok_after {
                let s = self.block.start + k;
                return Some(Span::new(self.file, s..s + key.len()));
            }
        }
        None
    }

    /// A word inside this rule (a window name), else the key it belongs to.
    pub(super) fn word_or_key(&self, word: &str, key: &str) -> Span {
        let block = &self.text[self.block.clone()];
        if let Some(k) = self.key(key) {
            let from = k.end as usize - self.block.start;
            let mut pos = from;
            while let Some(i) = block[pos..].find(word) {
                let s = pos + i;
                let e = s + word.len();
                let before = block[..s].chars().last();
                let after = block[e..].chars().next();
                let boundary = |c: Option<char>| {
                    c.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'))
                };
                if boundary(before) && boundary(after) {
                    let s = self.block.start + s;
                    return Span::new(self.file, s..s + word.len());
                }
                pos = e;
            }
            return k;
        }
        self.block_span()
    }
}

/// Locates a word (a window name) in the rule `rule` of `text`: used by the checks that
/// need the plan (unknown windows), after loading.
pub(crate) fn locate_in_rule(text: &str, rule: &FlightRule, word: &str, key: &str) -> Span {
    let start = rule.span.start as usize;
    // The rule's list item starts at the nearest line, at or above its id, whose first
    // non-blank character is `-` (`- id: FR-02` at any indentation).
    let mut block_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    while !text[block_start..]
        .trim_start_matches([' ', '\t'])
        .starts_with('-')
        && block_start > 0
    {
        block_start = text[..block_start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    // It ends before the next line indented no deeper than its `-`.
    let indent =
        text[block_start..].len() - text[block_start..].trim_start_matches([' ', '\t']).len();
    let mut next = text.len();
    let mut line = text[start..].find('\n').map(|i| start + i + 1);
    while let Some(l) = line {
        let rest = &text[l..];
        let body = rest.trim_start_matches([' ', '\t']);
        let blank = body.is_empty() || body.starts_with(['\n', '\r']);
        if !blank && rest.len() - body.len() <= indent {
            next = l;
            break;
        }
        line = rest.find('\n').map(|i| l + i + 1);
    }
    let at = Locator {
        file: rule.span.file,
        text,
        block: block_start.min(start)..next,
    };
    at.word_or_key(word, key)
}

fn validate(r: RawRule, at: &Locator<'_>) -> Result<FlightRule, Vec<Diagnostic>> {
    let mut errs = Vec::new();
    let err = |key: &str, msg: String, errs: &mut Vec<Diagnostic>| {
        let span = at.key(key).unwrap_or_else(|| at.block_span());
        errs.push(
            Diagnostic::new(
                Code::InvalidFlightRuleFile,
                format!("flight rule `{}`: {msg}", r.id),
                Label::new(span, "here"),
            )
            .with_help("see `docs/flight-rules.md` for the keys each kind takes"),
        );
    };
    let kind = r.kind;
    let kind_name = format!("{kind:?}");
    let _ = r.description.as_ref();
    // Which keys each kind takes (besides id, title, kind, description, traces).
    let takes: &[&str] = match kind {
        Kind::MinSeparation => &["select", "min"],
        Kind::NoOverlap => &["a", "b", "margin"],
        Kind::RequiresWindow | Kind::ForbiddenWindow => &["select", "windows", "margin"],
        Kind::Precedence => &["a", "b", "min_gap", "max_gap", "next_day"],
        Kind::RequiresPreceding => &["select", "preceding", "min_gap", "max_gap"],
        Kind::RequiresFollowing => &["select", "following", "min_gap", "max_gap"],
        Kind::Sequence => &["steps", "max_gap"],
        Kind::MaxPerPeriod => &["select", "period", "max_count", "max_duration"],
        Kind::ResourceCapacity => &["resource", "select", "max"],
        Kind::CrewDay => &["select", "max_work", "sleep"],
        Kind::RolesRequired => &["select", "all", "any"],
    };
    let given: [(&str, bool); 21] = [
        ("select", r.select.is_some()),
        ("a", r.a.is_some()),
        ("b", r.b.is_some()),
        ("preceding", r.preceding.is_some()),
        ("following", r.following.is_some()),
        ("steps", r.steps.is_some()),
        ("min", r.min.is_some()),
        ("margin", r.margin.is_some()),
        ("min_gap", r.min_gap.is_some()),
        ("max_gap", r.max_gap.is_some()),
        ("next_day", r.next_day.is_some()),
        ("windows", r.windows.is_some()),
        ("period", r.period.is_some()),
        ("max_count", r.max_count.is_some()),
        ("max_duration", r.max_duration.is_some()),
        ("resource", r.resource.is_some()),
        ("max", r.max.is_some()),
        ("max_work", r.max_work.is_some()),
        ("sleep", r.sleep.is_some()),
        ("all", r.all.is_some()),
        ("any", r.any.is_some()),
    ];
    let snake = snake_case(&kind_name);
    for (key, present) in given {
        if present && !takes.contains(&key) {
            err(
                key,
                format!(
                    "`{key}` does not apply to `{snake}` (it takes {})",
                    takes
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                &mut errs,
            );
        }
    }
    let need = |key: &str, present: bool, errs: &mut Vec<Diagnostic>| {
        if !present {
            err("kind", format!("`{snake}` needs `{key}`"), errs);
        }
    };
    let sel = |s: &Option<RawSelector>| s.clone().map(Selector::from).unwrap_or_default();
    let dur = |d: Option<DurText>| d.map_or(Dur(0), |d| d.0);
    let check_gaps = |min: Option<DurText>, max: Option<DurText>, errs: &mut Vec<Diagnostic>| {
        if let (Some(lo), Some(hi)) = (min, max) {
            if hi.0 < lo.0 {
                err("max_gap", "`max_gap` is less than `min_gap`".into(), errs);
            }
        }
    };
    let check = match kind {
        Kind::MinSeparation => {
            need("min", r.min.is_some(), &mut errs);
            Constraint::MinSeparation {
                select: sel(&r.select),
                min: dur(r.min),
            }
        }
        Kind::NoOverlap => {
            need("a", r.a.is_some(), &mut errs);
            need("b", r.b.is_some(), &mut errs);
            Constraint::NoOverlap {
                a: sel(&r.a),
                b: sel(&r.b),
                margin: dur(r.margin),
            }
        }
        Kind::RequiresWindow | Kind::ForbiddenWindow => {
            let windows = r.windows.clone().map(|w| w.0).unwrap_or_default();
            need("windows", !windows.is_empty(), &mut errs);
            if kind == Kind::RequiresWindow {
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
        Kind::Precedence => {
            need("a", r.a.is_some(), &mut errs);
            need("b", r.b.is_some(), &mut errs);
            check_gaps(r.min_gap, r.max_gap, &mut errs);
            Constraint::Precedence {
                a: sel(&r.a),
                b: sel(&r.b),
                min_gap: dur(r.min_gap),
                max_gap: r.max_gap.map(|d| d.0),
                next_day: r.next_day.unwrap_or(false),
            }
        }
        Kind::RequiresPreceding => {
            need("preceding", r.preceding.is_some(), &mut errs);
            check_gaps(r.min_gap, r.max_gap, &mut errs);
            Constraint::RequiresPreceding {
                select: sel(&r.select),
                preceding: sel(&r.preceding),
                min_gap: dur(r.min_gap),
                max_gap: r.max_gap.map(|d| d.0),
            }
        }
        Kind::RequiresFollowing => {
            need("following", r.following.is_some(), &mut errs);
            check_gaps(r.min_gap, r.max_gap, &mut errs);
            Constraint::RequiresFollowing {
                select: sel(&r.select),
                following: sel(&r.following),
                min_gap: dur(r.min_gap),
                max_gap: r.max_gap.map(|d| d.0),
            }
        }
        Kind::Sequence => {
            let steps: Vec<Selector> = r
                .steps
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(Selector::from)
                .collect();
            if steps.len() < 2 {
                err(
                    if r.steps.is_some() { "steps" } else { "kind" },
                    "`sequence` needs `steps` with at least two selectors".into(),
                    &mut errs,
                );
            }
            Constraint::Sequence {
                steps,
                max_gap: r.max_gap.map(|d| d.0),
            }
        }
        Kind::MaxPerPeriod => {
            need("period", r.period.is_some(), &mut errs);
            if r.max_count.is_none() && r.max_duration.is_none() {
                err(
                    "kind",
                    "`max_per_period` needs `max_count`, `max_duration` or both".into(),
                    &mut errs,
                );
            }
            if r.period.is_some_and(|p| p.0 .0 <= 0) {
                err("period", "`period` must be longer than 0".into(), &mut errs);
            }
            Constraint::MaxPerPeriod {
                select: sel(&r.select),
                period: dur(r.period),
                max_count: r.max_count,
                max_duration: r.max_duration.map(|d| d.0),
            }
        }
        Kind::ResourceCapacity => {
            if r.resource.is_none() && r.max.is_none() {
                err(
                    "kind",
                    "`resource_capacity` needs `resource`, or `select` with `max`".into(),
                    &mut errs,
                );
            }
            Constraint::ResourceCapacity {
                resource: r.resource.clone(),
                select: sel(&r.select),
                max: r.max,
            }
        }
        Kind::CrewDay => {
            if r.max_work.is_none() && r.sleep.is_none() {
                err(
                    "kind",
                    "`crew_day` needs `max_work`, `sleep` or both".into(),
                    &mut errs,
                );
            }
            Constraint::CrewDay {
                select: sel(&r.select),
                max_work: r.max_work.map(|d| d.0),
                sleep: r.sleep.clone(),
            }
        }
        Kind::RolesRequired => {
            let all = r.all.clone().map(|w| w.0).unwrap_or_default();
            let any = r.any.clone().map(|w| w.0).unwrap_or_default();
            if all.is_empty() && any.is_empty() {
                err(
                    if r.all.is_some() {
                        "all"
                    } else if r.any.is_some() {
                        "any"
                    } else {
                        "kind"
                    },
                    "`roles_required` needs `all`, `any` or both, each with at least one role"
                        .into(),
                    &mut errs,
                );
            }
            Constraint::RolesRequired {
                select: sel(&r.select),
                all,
                any,
            }
        }
    };
    if r.id.trim().is_empty() {
        err("id", "the id is empty".into(), &mut errs);
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(FlightRule {
        id: r.id,
        title: r.title,
        check,
        traces: r.traces.0,
        span: at.block_span(),
    })
}

fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
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

    const GOOD: &str = "rules:\n  - id: FR-02\n    title: OCS burns at least 3 h apart\n    kind: min_separation\n    select: { kind: [reboost, dam] }\n    min: 3h\n    traces: [ATV-OPS-REQ-011]\n";

    #[test]
    fn a_good_rule_loads() {
        let (set, diags) = load(FileId(0), GOOD);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(set.rules.len(), 1);
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
    fn unknown_keys_kinds_and_types_are_located() {
        let text = GOOD.replace("min: 3h", "minimum: 3h");
        let e = errors(&text);
        assert_eq!(e.len(), 1);
        assert!(e[0].1.contains("unknown field `minimum`"), "{e:?}");
        assert_eq!(&text[e[0].0 as usize..e[0].0 as usize + 7], "minimum");

        let text = GOOD.replace("min_separation", "min_seperation");
        let e = errors(&text);
        assert!(e[0].1.contains("unknown variant `min_seperation`"), "{e:?}");
        assert_eq!(&text[e[0].0 as usize..][..14], "min_seperation");

        let text = GOOD.replace("min: 3h", "min: [3h]");
        assert!(
            errors(&text)[0].1.contains("invalid type"),
            "{:?}",
            errors(&text)
        );
    }

    #[test]
    fn negative_and_malformed_durations_are_errors_at_the_value() {
        let text = GOOD.replace("min: 3h", "min: -3h");
        let e = errors(&text);
        assert!(e[0].1.contains("negative"), "{e:?}");
        let text = GOOD.replace("min: 3h", "min: three hours");
        let e = errors(&text);
        assert!(e[0].1.contains("not a duration"), "{e:?}");
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
        let e = errors(&text);
        assert!(e[0].1.contains("needs `min`"), "{e:?}");
    }

    #[test]
    fn duplicate_ids_and_alias_bombs_are_errors() {
        let text = format!("{GOOD}{}", &GOOD["rules:\n".len()..]);
        let e = errors(&text);
        assert!(e[0].1.contains("defined twice"), "{e:?}");
        let bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\nrules: [*i]\n";
        let e = errors(bomb);
        assert_eq!(e.len(), 1, "{e:?}");
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
            assert_eq!(diags.len(), 1, "{text:?}: {diags:?}");
        }
    }
}
