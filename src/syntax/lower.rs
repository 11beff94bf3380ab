//! Lowering pest pairs into the typed AST: one `lower_x` per grammar rule.
//! Literals are validated here (impossible dates, overflowing durations) and reported
//! as `invalid-literal`; clauses that may appear once are reported as `repeated-clause`.

use super::ast::*;
use super::Rule;
use crate::diag::{Code, Diagnostic, Label};
use crate::source::{FileId, Span, Spanned};
use crate::time::{parse_clock, Dur, Notation, Time, TimeError};
use pest::iterators::Pair;

mod roster;

/// True when `text` holds only blanks and comments.
fn is_trivia(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return true;
        }
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find(['\n', '\r']).map_or("", |i| &r[i..]);
        } else if let Some(r) = rest.strip_prefix("/*") {
            match r.find("*/") {
                Some(i) => rest = &r[i + 2..],
                None => return false,
            }
        } else {
            return false;
        }
    }
}

/// The id of a quoted `covers` entry: `\"` and `\\` undone (the grammar allows no other
/// escape).
fn unescape_cited(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            other => out.push(other),
        }
    }
    out
}

fn not_keyword(pair: &Pair<'_, Rule>) -> bool {
    !super::keywords::is_keyword(pair.as_rule())
}

struct Lowerer<'d> {
    file: FileId,
    /// Offset of the parsed text in the file (non-zero for the pieces of a large file).
    base: usize,
    diags: &'d mut Vec<Diagnostic>,
    /// The notation of the first absolute time seen in the current plan.
    first_notation: Option<Notation>,
}

pub(super) fn lower_file(
    file: FileId,
    root: Pair<'_, Rule>,
    ast: &mut SourceAst,
    diags: &mut Vec<Diagnostic>,
) {
    let mut l = Lowerer {
        file,
        base: 0,
        diags,
        first_notation: None,
    };
    l.items(root, ast);
}

/// The tree of one piece of a large file (see `split.rs`).
pub(super) struct LoweredPiece {
    pub plans: Vec<Plan>,
    pub procedures: Vec<Procedure>,
    pub scenarios: Vec<Scenario>,
    pub rosters: Vec<Roster>,
    /// The notation of the piece's first absolute time, if it has one.
    pub notation: Option<Notation>,
    pub diags: Vec<Diagnostic>,
}

/// Lowers one piece parsed from `text[base..]`. A `PlanBody` or `PlanTail` piece gives
/// one plan that holds only the items, to be merged into the plan its head began.
pub(super) fn lower_piece(
    file: FileId,
    base: usize,
    kind: super::split::PieceKind,
    root: Pair<'_, Rule>,
) -> LoweredPiece {
    use super::split::PieceKind;
    let mut diags = Vec::new();
    let mut l = Lowerer {
        file,
        base,
        diags: &mut diags,
        first_notation: None,
    };
    let mut ast = SourceAst {
        file,
        plans: Vec::new(),
        procedures: Vec::new(),
        scenarios: Vec::new(),
        rosters: Vec::new(),
        has_syntax_errors: false,
    };
    let mut notation = None;
    match kind {
        PieceKind::Items => l.items(root, &mut ast),
        PieceKind::PlanHead => {
            let plan = l.plan(root);
            notation = l.first_notation;
            ast.plans.push(plan);
        }
        PieceKind::PlanBody | PieceKind::PlanTail => {
            let span = l.span(&root);
            let id = Spanned::new(String::new(), span);
            let mut plan = Plan::empty(id, span);
            for item in root.into_inner().filter(not_keyword) {
                l.plan_item(&mut plan, item);
            }
            notation = l.first_notation;
            ast.plans.push(plan);
        }
        PieceKind::RosterHead => {
            let r = l.roster(root);
            notation = l.first_notation;
            ast.rosters.push(r);
        }
        PieceKind::RosterBody | PieceKind::RosterTail => {
            let span = l.span(&root);
            let mut r = Roster::empty(Spanned::new(String::new(), span), span);
            for item in root.into_inner().filter(not_keyword) {
                l.roster_item(&mut r, item);
            }
            notation = l.first_notation;
            ast.rosters.push(r);
        }
    }
    LoweredPiece {
        plans: ast.plans,
        procedures: ast.procedures,
        scenarios: ast.scenarios,
        rosters: ast.rosters,
        notation,
        diags,
    }
}

/// `` `clause` is given more than once ``, pointing at both.
pub(super) fn repeated_clause(clause: &str, first: Span, again: Span) -> Diagnostic {
    Diagnostic::new(
        Code::RepeatedClause,
        format!("`{clause}` is given more than once"),
        Label::new(again, "given again here"),
    )
    .with_secondary(Label::new(first, "first given here"))
    .with_help(format!("keep one `{clause}`; the first one is used"))
}

impl Lowerer<'_> {
    /// Top-level items: plans, procedures and scenarios.
    fn items(&mut self, root: Pair<'_, Rule>, ast: &mut SourceAst) {
        for item in root.into_inner().filter(not_keyword) {
            match item.as_rule() {
                Rule::plan => {
                    self.first_notation = None;
                    let plan = self.plan(item);
                    ast.plans.push(plan);
                }
                Rule::procedure => {
                    let p = self.procedure(item);
                    ast.procedures.push(p);
                }
                Rule::scenario => {
                    let sc = self.scenario(item);
                    ast.scenarios.push(sc);
                }
                Rule::roster => {
                    self.first_notation = None;
                    let r = self.roster(item);
                    ast.rosters.push(r);
                }
                _ => {}
            }
        }
    }

    /// The pair's span without the blanks and comments pest keeps at its end when the
    /// rule ends in an optional part that did not match.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let raw = s.as_str();
        let mut end = s.end();
        // Trivia can end a pair only when it ends in a blank, in `*/`, or at the end
        // of the input (a last line comment); everything else is a token end.
        if !raw.ends_with(|c: char| c.is_ascii_whitespace())
            && !raw.ends_with("*/")
            && end != pair.get_input().len()
        {
            return Span::new(self.file, self.base + s.start()..self.base + end);
        }
        // No token ends in a blank, so trailing blanks always go; a trailing comment
        // is told from a `//` inside a string by the children's end.
        let text = raw.trim_end_matches(|c: char| c.is_ascii_whitespace());
        end = s.start() + text.len();
        let may_end_in_comment =
            text.ends_with("*/") || text[text.rfind('\n').map_or(0, |i| i + 1)..].contains("//");
        if may_end_in_comment {
            if let Some(last) = pair.clone().into_inner().last() {
                let last_end = last.as_span().end();
                if last_end < end && is_trivia(&pair.get_input()[last_end..end]) {
                    end = last_end;
                }
            }
        }
        Span::new(self.file, self.base + s.start()..self.base + end)
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Spanned::new(pair.as_str().to_string(), self.span(&pair))
    }

    fn idents(&self, pair: Pair<'_, Rule>) -> Vec<Ident> {
        pair.into_inner()
            .filter(not_keyword)
            .map(|p| self.ident(p))
            .collect()
    }

    /// The requirements of a `covers` clause.
    fn cites(&self, clause: Pair<'_, Rule>) -> Vec<Cite> {
        clause
            .into_inner()
            .filter(|p| p.as_rule() == Rule::cited)
            .map(|c| {
                let mut parts = c.into_inner();
                let written = parts.next().expect("cited id");
                let id = match written.as_rule() {
                    // The id between the quotes, its escapes undone; the span is the
                    // quoted token as written.
                    Rule::cited_quoted => {
                        let span = self.span(&written);
                        let inner = written.into_inner().next().map_or("", |p| p.as_str());
                        Spanned::new(unescape_cited(inner), span)
                    }
                    _ => self.ident(written),
                };
                let stamp = parts
                    .next()
                    .map(|s| Spanned::new(s.as_str().to_ascii_lowercase(), self.span(&s)));
                Cite { id, stamp }
            })
            .collect()
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        let inner = pair
            .into_inner()
            .find(not_keyword)
            .map(|p| p.as_str())
            .unwrap_or("");
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Spanned::new(out, span)
    }

    fn version(&self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        Spanned::new(pair.as_str().trim_start_matches('v').to_string(), span)
    }

    fn invalid(&mut self, span: Span, message: String) {
        self.diags.push(Diagnostic::new(
            Code::InvalidLiteral,
            message,
            Label::new(span, "impossible value"),
        ));
    }

    /// An invalid time or time of day, with what to write instead when it can be said.
    fn invalid_time(&mut self, span: Span, message: String, e: &TimeError) {
        let label = match e {
            TimeError::Digits { field, .. } => format!("the {field} has too few digits"),
            TimeError::Offset { .. } => "not UTC".to_string(),
            _ => "impossible value".to_string(),
        };
        let mut d = Diagnostic::new(Code::InvalidLiteral, message, Label::new(span, label));
        match e {
            TimeError::Digits { fixed, .. } => d = d.with_help(format!("write `{fixed}`")),
            TimeError::Offset { utc, .. } => {
                d = d.with_help(format!("in UTC this is `{utc}`: write that"))
            }
            _ => {}
        }
        self.diags.push(d);
    }

    fn repeated(&mut self, clause: &str, first: Span, again: Span) {
        self.diags.push(repeated_clause(clause, first, again));
    }

    /// Stores `value` in `slot` unless it is already set (then reports a repeated clause).
    fn once<T>(&mut self, slot: &mut Option<T>, value: T, clause: &str, span_of: fn(&T) -> Span) {
        match slot {
            Some(existing) => {
                let first = span_of(existing);
                let again = span_of(&value);
                self.repeated(clause, first, again);
            }
            None => *slot = Some(value),
        }
    }

    // ------------------------------------------------------------ time

    /// A `doy_time` or `iso_time` pair.
    fn abs_time(&mut self, inner: Pair<'_, Rule>) -> TimeLit {
        let span = self.span(&inner);
        let text = inner.as_str();
        let (notation, parsed) = match inner.as_rule() {
            Rule::doy_time => (Notation::DayOfYear, Time::parse_doy(text)),
            _ => (Notation::Iso, Time::parse_iso(text)),
        };
        self.first_notation.get_or_insert(notation);
        let value = match parsed {
            Ok(t) => Some(t),
            Err(e) => {
                self.invalid_time(span, format!("invalid time `{text}`: {e}"), &e);
                None
            }
        };
        TimeLit {
            value,
            notation,
            span,
        }
    }

    fn duration(&mut self, pair: Pair<'_, Rule>) -> DurLit {
        let span = self.span(&pair);
        let text = pair.as_str();
        let value = match Dur::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.invalid(span, format!("invalid duration: {e}"));
                None
            }
        };
        DurLit { value, span }
    }

    /// `sign ~ duration` → a signed duration literal spanning both.
    fn signed_duration(&mut self, sign: Pair<'_, Rule>, dur: Pair<'_, Rule>) -> DurLit {
        let negative = sign.as_str() == "-";
        let span = self.span(&sign).cover(self.span(&dur));
        let mut d = self.duration(dur);
        if negative {
            d.value = d.value.map(Dur::negated);
        }
        d.span = span;
        d
    }

    fn offset(&mut self, pair: Pair<'_, Rule>) -> DurLit {
        let mut it = pair.into_inner().filter(not_keyword);
        let sign = it.next().expect("offset sign");
        let dur = it.next().expect("offset duration");
        self.signed_duration(sign, dur)
    }

    /// A `doy_time`, `iso_time` or `rel_time` pair.
    fn time_expr(&mut self, inner: Pair<'_, Rule>) -> TimeExpr {
        match inner.as_rule() {
            Rule::doy_time | Rule::iso_time => TimeExpr::Absolute(self.abs_time(inner)),
            _ => {
                let span = self.span(&inner);
                let mut it = inner.into_inner().filter(not_keyword);
                let activity = self.ident(it.next().expect("rel_time ident"));
                let anchor = match it.next().map(|p| p.as_str()) {
                    Some("start") => Anchor::Start,
                    _ => Anchor::End,
                };
                let offset = match (it.next(), it.next()) {
                    (Some(sign), Some(dur)) => Some(self.signed_duration(sign, dur)),
                    _ => None,
                };
                TimeExpr::Relative {
                    activity,
                    anchor,
                    offset,
                    span,
                }
            }
        }
    }

    fn interval(&mut self, pair: Pair<'_, Rule>) -> IntervalLit {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let start = self.abs_time(it.next().expect("interval start"));
        let end = self.abs_time(it.next().expect("interval end"));
        IntervalLit { start, end, span }
    }

    fn clock(&mut self, pair: Pair<'_, Rule>) -> Spanned<Option<i64>> {
        let span = self.span(&pair);
        let value = match parse_clock(pair.as_str()) {
            Ok(v) => Some(v),
            Err(e @ TimeError::Digits { .. }) => {
                let message = format!("invalid time of day `{}`: {e}", pair.as_str());
                self.invalid_time(span, message, &e);
                None
            }
            Err(e) => {
                self.invalid(span, e.to_string());
                None
            }
        };
        Spanned::new(value, span)
    }

    // ------------------------------------------------------------ plans

    fn plan(&mut self, pair: Pair<'_, Rule>) -> Plan {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let id = self.ident(it.next().expect("plan id"));
        let mut plan = Plan::empty(id, span);
        for item in it {
            self.plan_item(&mut plan, item);
        }
        plan.notation = self.first_notation.unwrap_or_default();
        plan
    }

    fn plan_item(&mut self, plan: &mut Plan, item: Pair<'_, Rule>) {
        match item.as_rule() {
            Rule::string => plan.title = Some(self.string(item)),
            Rule::mission_decl => {
                let s = self.string(item.into_inner().find(not_keyword).expect("mission string"));
                self.once(&mut plan.mission, s, "mission", |s| s.span);
            }
            Rule::issue_decl => {
                let v = item.into_inner().find(not_keyword).expect("issue value");
                let s = if v.as_rule() == Rule::string {
                    self.string(v)
                } else {
                    Spanned::new(v.as_str().to_string(), self.span(&v))
                };
                self.once(&mut plan.issue, s, "issue", |s| s.span);
            }
            Rule::horizon_decl => {
                let i = self.interval(
                    item.into_inner()
                        .find(not_keyword)
                        .expect("horizon interval"),
                );
                self.once(&mut plan.horizon, i, "horizon", |i| i.span);
            }
            Rule::use_decl => {
                let span = self.span(&item);
                let mut it = item.into_inner().filter(not_keyword);
                let kind = match it.next().map(|p| p.as_str()) {
                    Some("windows") => UseKind::Windows,
                    Some("rules") => UseKind::Rules,
                    Some("roster") => UseKind::Roster,
                    _ => UseKind::Procedures,
                };
                let path = self.string(it.next().expect("use path"));
                plan.uses.push(Use { kind, path, span });
            }
            Rule::roles_decl => {
                let mut it = item.into_inner().filter(not_keyword);
                let names = self.idents(it.next().expect("roles list"));
                let group = it.next().map(|g| self.ident(g));
                plan.roles.extend(names.into_iter().map(|name| RoleDecl {
                    name,
                    group: group.clone(),
                }));
            }
            Rule::resource_decl => plan.resources.push(self.resource(item)),
            Rule::window_decl => plan.windows.push(self.window(item)),
            Rule::phase_decl => {
                let phase = self.phase(item);
                plan.phases.push(phase);
            }
            Rule::activity => {
                let a = self.activity(item);
                plan.activities.push(Box::new(a));
            }
            Rule::waive_decl => {
                let span = self.span(&item);
                let mut it = item.into_inner().filter(not_keyword);
                let rule = self.ident(it.next().expect("waived rule"));
                let activities = self.idents(it.next().expect("waived activities"));
                let reference = self.string(it.next().expect("waiver reference"));
                plan.waivers.push(Waiver {
                    rule,
                    activities,
                    reference,
                    span,
                });
            }
            _ => {}
        }
    }

    fn resource(&mut self, pair: Pair<'_, Rule>) -> ResourceDecl {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let name = self.ident(it.next().expect("resource name"));
        let mut kind = ResourceKind::Exclusive;
        let mut description = None;
        for p in it {
            match p.as_rule() {
                Rule::resource_capacity => {
                    let n = p.into_inner().find(not_keyword).expect("capacity integer");
                    let nspan = self.span(&n);
                    kind = match n.as_str().parse::<u32>() {
                        Ok(c) if c > 0 => ResourceKind::Capacity(c),
                        _ => {
                            self.invalid(
                                nspan,
                                format!(
                                    "capacity `{}` must be a whole number from 1 to {}",
                                    n.as_str(),
                                    u32::MAX
                                ),
                            );
                            ResourceKind::Capacity(u32::MAX)
                        }
                    };
                }
                Rule::string => description = Some(self.string(p)),
                _ => {}
            }
        }
        ResourceDecl {
            name,
            kind,
            description,
            span,
        }
    }

    fn window(&mut self, pair: Pair<'_, Rule>) -> WindowDecl {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let name = self.ident(it.next().expect("window name"));
        let mut title = None;
        let mut kind = None;
        let mut shape = WindowShape::Intervals(Vec::new());
        for p in it {
            match p.as_rule() {
                Rule::string => title = Some(self.string(p)),
                Rule::window_kind => {
                    if let Some(v) = p
                        .into_inner()
                        .find(|v| v.as_rule() == Rule::window_kind_value)
                    {
                        let span = self.span(&v);
                        kind = WindowKind::parse(v.as_str()).map(|k| Spanned::new(k, span));
                    }
                }
                Rule::window_periodic => {
                    let mut it = p.into_inner().filter(not_keyword);
                    let every = self.duration(it.next().expect("every"));
                    let lasting = self.duration(it.next().expect("lasting"));
                    let from = self.abs_time(it.next().expect("from"));
                    let until = it.next().map(|u| self.abs_time(u));
                    shape = WindowShape::Periodic {
                        every,
                        lasting,
                        from,
                        until,
                    };
                }
                Rule::window_daily => {
                    let mut it = p.into_inner().filter(not_keyword);
                    let from = self.clock(it.next().expect("daily from"));
                    let to = self.clock(it.next().expect("daily to"));
                    shape = WindowShape::Daily { from, to };
                }
                Rule::window_intervals => {
                    let list = p
                        .into_inner()
                        .filter(not_keyword)
                        .map(|i| self.interval(i))
                        .collect();
                    shape = WindowShape::Intervals(list);
                }
                _ => {}
            }
        }
        WindowDecl {
            name,
            title,
            kind,
            shape,
            span,
        }
    }

    fn phase(&mut self, pair: Pair<'_, Rule>) -> Phase {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let name = self.ident(it.next().expect("phase name"));
        let mut phase = Phase {
            name,
            title: None,
            interval: None,
            activities: Vec::new(),
            span,
        };
        for p in it {
            match p.as_rule() {
                Rule::string => phase.title = Some(self.string(p)),
                Rule::interval => phase.interval = Some(self.interval(p)),
                Rule::activity => {
                    let a = self.activity(p);
                    phase.activities.push(Box::new(a));
                }
                _ => {}
            }
        }
        phase
    }

    fn needs(&mut self, pair: Pair<'_, Rule>) -> Needs {
        let span = self.span(&pair);
        let mut mode = NeedsMode::All;
        let mut windows = Vec::new();
        for p in pair.into_inner().filter(not_keyword) {
            match p.as_rule() {
                Rule::ident => windows.push(self.ident(p)),
                Rule::needs_or => mode = NeedsMode::Any,
                _ => {}
            }
        }
        Needs {
            mode,
            windows,
            span,
        }
    }

    fn proc_ref(&mut self, pair: Pair<'_, Rule>) -> ProcRef {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let id = self.ident(it.next().expect("procedure id"));
        let version = it.next().map(|v| self.version(v));
        ProcRef { id, version, span }
    }

    fn activity(&mut self, pair: Pair<'_, Rule>) -> Activity {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let id = self.ident(it.next().expect("activity id"));
        let mut a = Activity {
            id,
            title: None,
            at: None,
            lasts: None,
            until: None,
            by: Vec::new(),
            kind: None,
            critical: None,
            tags: Vec::new(),
            procedure: None,
            needs: None,
            uses: Vec::new(),
            covers: Vec::new(),
            notes: Vec::new(),
            relations: Vec::new(),
            span,
        };
        let mut by_span: Option<Span> = None;
        for clause in it {
            let cspan = self.span(&clause);
            match clause.as_rule() {
                Rule::string => a.title = Some(self.string(clause)),
                Rule::at_clause => {
                    let t = self.time_expr(clause.into_inner().find(not_keyword).expect("at time"));
                    self.once(&mut a.at, t, "at", TimeExpr::span);
                }
                Rule::lasts_clause => {
                    let d = self.duration(
                        clause
                            .into_inner()
                            .find(not_keyword)
                            .expect("lasts duration"),
                    );
                    self.once(&mut a.lasts, d, "lasts", |d| d.span);
                }
                Rule::until_clause => {
                    let t =
                        self.time_expr(clause.into_inner().find(not_keyword).expect("until time"));
                    self.once(&mut a.until, t, "until", TimeExpr::span);
                }
                Rule::by_clause => {
                    if let Some(first) = by_span {
                        self.repeated("by", first, cspan);
                    } else {
                        by_span = Some(cspan);
                        a.by = self.idents(clause.into_inner().find(not_keyword).expect("by list"));
                    }
                }
                Rule::kind_clause => {
                    let k = self.ident(clause.into_inner().find(not_keyword).expect("kind"));
                    self.once(&mut a.kind, k, "kind", |k| k.span);
                }
                Rule::critical_clause if a.critical.is_none() => {
                    a.critical = Some(cspan);
                }
                Rule::tags_clause => a
                    .tags
                    .extend(self.idents(clause.into_inner().find(not_keyword).expect("tags list"))),
                Rule::procedure_clause => {
                    let r = self.proc_ref(clause);
                    self.once(&mut a.procedure, r, "procedure", |r| r.span);
                }
                Rule::needs_clause => {
                    let n = self.needs(clause);
                    self.once(&mut a.needs, n, "needs", |n| n.span);
                }
                Rule::uses_clause => {
                    for u in clause.into_inner().filter(not_keyword) {
                        let mut it = u.into_inner().filter(not_keyword);
                        let resource = self.ident(it.next().expect("resource"));
                        let amount = it.next().map(|n| {
                            let span = self.span(&n);
                            let v = n.as_str().parse::<u32>().unwrap_or_else(|_| {
                                self.invalid(span, format!("amount `{}` is too large", n.as_str()));
                                u32::MAX
                            });
                            Spanned::new(v, span)
                        });
                        a.uses.push(ResourceUse { resource, amount });
                    }
                }
                Rule::covers_clause => a.covers.extend(self.cites(clause)),
                Rule::note_clause => {
                    let s = self.string(clause.into_inner().find(not_keyword).expect("note"));
                    a.notes.push(s);
                }
                Rule::rel_after | Rule::rel_before | Rule::rel_during | Rule::rel_starts_with => {
                    let r = self.relation(clause);
                    a.relations.push(r);
                }
                _ => {}
            }
        }
        if let (Some(lasts), Some(until)) = (&a.lasts, &a.until) {
            self.diags.push(
                Diagnostic::new(
                    Code::RepeatedClause,
                    "an activity's end is given twice, by `lasts` and by `until`",
                    Label::new(until.span(), "`until` given here"),
                )
                .with_secondary(Label::new(lasts.span, "`lasts` given here"))
                .with_help("keep one of them; `lasts` is used"),
            );
        }
        a
    }

    /// A `rel_after`, `rel_before`, `rel_during` or `rel_starts_with` pair.
    fn relation(&mut self, inner: Pair<'_, Rule>) -> Relation {
        let span = self.span(&inner);
        let kind = match inner.as_rule() {
            Rule::rel_after => RelationKind::After,
            Rule::rel_before => RelationKind::Before,
            Rule::rel_during => RelationKind::During,
            _ => RelationKind::StartsWith,
        };
        let mut it = inner.into_inner().filter(not_keyword);
        let target = self.ident(it.next().expect("relation target"));
        let mut offset = None;
        let mut within = None;
        for p in it {
            match p.as_rule() {
                Rule::offset => offset = Some(self.offset(p)),
                Rule::within => {
                    within = Some(
                        self.duration(p.into_inner().find(not_keyword).expect("within duration")),
                    )
                }
                _ => {}
            }
        }
        Relation {
            kind,
            target,
            offset,
            within,
            span,
        }
    }

    // ------------------------------------------------------------ procedures

    fn procedure(&mut self, pair: Pair<'_, Rule>) -> Procedure {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let id = self.ident(it.next().expect("procedure id"));
        let mut p = Procedure::placeholder(id.value.clone(), id.span);
        p.span = span;
        for item in it {
            match item.as_rule() {
                Rule::string => p.title = Some(self.string(item)),
                Rule::version_decl => {
                    let v = self.version(item.into_inner().find(not_keyword).expect("version"));
                    self.once(&mut p.version, v, "version", |v| v.span);
                }
                Rule::family_decl => {
                    let f = self.ident(item.into_inner().find(not_keyword).expect("family"));
                    self.once(&mut p.family, f, "family", |f| f.span);
                }
                Rule::proc_roles_decl => p
                    .roles
                    .extend(self.idents(item.into_inner().find(not_keyword).expect("roles list"))),
                Rule::covers_clause => p.covers.extend(self.cites(item)),
                Rule::requires_decl => {
                    let r = item.into_inner().find(not_keyword).expect("requires body");
                    if r.as_rule() == Rule::requires_coverage {
                        let n = self.needs(r);
                        self.once(&mut p.requires_coverage, n, "requires coverage", |n| n.span);
                    } else {
                        let s = self.string(r);
                        p.requires.push(s);
                    }
                }
                Rule::contingency_decl => {
                    let r = self.proc_ref(item);
                    self.once(&mut p.contingency, r, "contingency", |r| r.span);
                }
                Rule::handles_decl => p
                    .handles
                    .extend(self.idents(item.into_inner().find(not_keyword).expect("events"))),
                Rule::duration_decl => {
                    let d = self.duration(item.into_inner().find(not_keyword).expect("duration"));
                    self.once(&mut p.duration, d, "duration", |d| d.span);
                }
                Rule::step => {
                    let s = self.step(item);
                    p.steps.push(s);
                }
                _ => {}
            }
        }
        p
    }

    // ------------------------------------------------------------ scenarios

    fn scenario(&mut self, pair: Pair<'_, Rule>) -> Scenario {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let id = self.ident(it.next().expect("scenario id"));
        let mut sc = Scenario {
            id,
            title: None,
            plan: None,
            trainees: Vec::new(),
            instructor: None,
            held: None,
            outcome: None,
            injects: Vec::new(),
            span,
        };
        for item in it {
            match item.as_rule() {
                Rule::string => sc.title = Some(self.string(item)),
                Rule::scenario_plan => {
                    let p = self.ident(item.into_inner().find(not_keyword).expect("plan id"));
                    self.once(&mut sc.plan, p, "plan", |p| p.span);
                }
                Rule::trainees_decl => sc.trainees.extend(
                    self.idents(item.into_inner().find(not_keyword).expect("trainee roles")),
                ),
                Rule::instructor_decl => {
                    let i = self.ident(item.into_inner().find(not_keyword).expect("instructor"));
                    self.once(&mut sc.instructor, i, "instructor", |i| i.span);
                }
                Rule::held_decl => {
                    let iv = self.interval(item.into_inner().find(not_keyword).expect("interval"));
                    self.once(&mut sc.held, iv, "held", |i| i.span);
                }
                Rule::outcome_decl => {
                    let v = item.into_inner().find(not_keyword).expect("outcome");
                    let outcome = match v.as_str() {
                        "passed" => Outcome::Passed,
                        "failed" => Outcome::Failed,
                        _ => Outcome::Cancelled,
                    };
                    let o = Spanned::new(outcome, self.span(&v));
                    self.once(&mut sc.outcome, o, "outcome", |o| o.span);
                }
                Rule::inject_decl => {
                    let i = self.inject(item);
                    sc.injects.push(i);
                }
                _ => {}
            }
        }
        sc
    }

    fn inject(&mut self, pair: Pair<'_, Rule>) -> Inject {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let event = self.ident(it.next().expect("inject event"));
        let mut text = None;
        let mut at = None;
        let mut expects = Vec::new();
        for p in it {
            match p.as_rule() {
                Rule::string => text = Some(self.string(p)),
                Rule::expect_clause => expects.push(self.proc_ref(p)),
                _ => at = Some(self.time_expr(p)),
            }
        }
        Inject {
            event,
            text,
            at: at.expect("inject time"),
            expects,
            span,
        }
    }

    fn step(&mut self, pair: Pair<'_, Rule>) -> Step {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let label = self.ident(it.next().expect("step label"));
        let mut step = Step {
            label,
            title: None,
            covers: Vec::new(),
            statements: Vec::new(),
            span,
        };
        for p in it {
            match p.as_rule() {
                Rule::string => step.title = Some(self.string(p)),
                Rule::covers_clause => step.covers.extend(self.cites(p)),
                Rule::statement => {
                    let s = self.statement(p);
                    step.statements.push(s);
                }
                _ => {}
            }
        }
        step
    }

    fn statement(&mut self, pair: Pair<'_, Rule>) -> Statement {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let body = it.next().expect("statement body");
        let kind = self.statement_kind(body);
        let on_fail = it.next().map(|f| {
            let action = f.into_inner().find(not_keyword).expect("on fail action");
            match action.as_rule() {
                Rule::goto_stmt => FailAction::Goto(
                    self.ident(action.into_inner().find(not_keyword).expect("label")),
                ),
                Rule::call_stmt => FailAction::Call(self.proc_ref(action)),
                _ => FailAction::Abort(
                    action
                        .into_inner()
                        .filter(not_keyword)
                        .find(|p| p.as_rule() == Rule::string)
                        .map(|s| self.string(s)),
                ),
            }
        });
        Statement {
            kind,
            on_fail,
            span,
        }
    }

    /// A `string`, `quantity` or `ident` pair.
    fn value(&mut self, inner: Pair<'_, Rule>) -> Spanned<Value> {
        let span = self.span(&inner);
        let v = match inner.as_rule() {
            Rule::string => Value::Text(self.string(inner).value),
            Rule::hex_number => Value::Number {
                value: self.hex(&inner),
                unit: None,
            },
            Rule::quantity => self.quantity(inner),
            _ => Value::Name(inner.as_str().to_string()),
        };
        Spanned::new(v, span)
    }

    fn number(&mut self, pair: &Pair<'_, Rule>) -> f64 {
        match pair.as_str().parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                let span = self.span(pair);
                self.invalid(span, format!("number `{}` is out of range", pair.as_str()));
                0.0
            }
        }
    }

    /// A hexadecimal number: reported (the language writes numbers in decimal), read as
    /// its value so that the rest of the statement is still checked.
    fn hex(&mut self, pair: &Pair<'_, Rule>) -> f64 {
        let text = pair.as_str();
        let value = u128::from_str_radix(&text[2..], 16).ok();
        let help = match value {
            Some(v) => format!("write the number in decimal: `{v}`"),
            None => "write the number in decimal".to_string(),
        };
        let span = self.span(pair);
        self.diags.push(
            Diagnostic::new(
                Code::InvalidLiteral,
                format!("hexadecimal number `{text}` is not accepted"),
                Label::new(span, "hexadecimal"),
            )
            .with_help(help),
        );
        value.map_or(0.0, |v| v as f64)
    }

    /// A `number` or `hex_number` pair.
    fn number_or_hex(&mut self, pair: &Pair<'_, Rule>) -> f64 {
        if pair.as_rule() == Rule::hex_number {
            self.hex(pair)
        } else {
            self.number(pair)
        }
    }

    fn quantity(&mut self, pair: Pair<'_, Rule>) -> Value {
        let mut it = pair.into_inner().filter(not_keyword);
        let n = it.next().expect("quantity number");
        let value = self.number(&n);
        let unit = it.next().map(|u| u.as_str().to_string());
        Value::Number { value, unit }
    }

    fn statement_kind(&mut self, pair: Pair<'_, Rule>) -> StatementKind {
        match pair.as_rule() {
            Rule::command_stmt => {
                let mut it = pair.into_inner().filter(not_keyword);
                let name = self.ident(it.next().expect("command name"));
                let args = it
                    .map(|a| {
                        let mut ai = a.into_inner().filter(not_keyword);
                        let name = self.ident(ai.next().expect("argument name"));
                        let value = self.value(ai.next().expect("argument value"));
                        Argument { name, value }
                    })
                    .collect();
                StatementKind::Command { name, args }
            }
            Rule::check_stmt => {
                let mut it = pair.into_inner().filter(not_keyword);
                let parameter = self.ident(it.next().expect("check parameter"));
                let test_pair = it.next().expect("check test");
                let test = if test_pair.as_rule() == Rule::check_range {
                    let range_span = self.span(&test_pair);
                    let range_text = test_pair
                        .as_str()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut ti = test_pair.into_inner().filter(not_keyword);
                    let low_pair = ti.next().expect("range low");
                    let low = self.number_or_hex(&low_pair);
                    let high_pair = ti.next().expect("range high");
                    let (high, unit) = if high_pair.as_rule() == Rule::hex_number {
                        (self.hex(&high_pair), None)
                    } else {
                        match self.quantity(high_pair) {
                            Value::Number { value, unit } => (value, unit),
                            _ => (0.0, None),
                        }
                    };
                    if low > high {
                        // An empty range: no telemetry value can pass the check.
                        self.invalid(
                            range_span,
                            format!(
                                "the range `{range_text}` is empty: its low bound is above its high bound"
                            ),
                        );
                        if let Some(d) = self.diags.last_mut() {
                            d.help = Some("write the low bound first: `in LOW .. HIGH`".into());
                        }
                    }
                    CheckTest::Range { low, high, unit }
                } else {
                    let mut ti = test_pair.into_inner().filter(not_keyword);
                    let op = match ti.next().map(|p| p.as_str()) {
                        Some("==") => CompareOp::Eq,
                        Some("!=") => CompareOp::Ne,
                        Some("<=") => CompareOp::Le,
                        Some(">=") => CompareOp::Ge,
                        Some("<") => CompareOp::Lt,
                        _ => CompareOp::Gt,
                    };
                    let value = self.value(ti.next().expect("compare value"));
                    CheckTest::Compare { op, value }
                };
                let within = it.next().map(|w| {
                    self.duration(w.into_inner().find(not_keyword).expect("within duration"))
                });
                StatementKind::Check {
                    parameter,
                    test,
                    within,
                }
            }
            Rule::poll_stmt => StatementKind::Poll {
                roles: self.idents(pair.into_inner().find(not_keyword).expect("poll roles")),
            },
            Rule::wait_stmt => {
                let inner = pair.into_inner().find(not_keyword).expect("wait body");
                if inner.as_rule() == Rule::duration {
                    StatementKind::Wait(WaitFor::Duration(self.duration(inner)))
                } else {
                    let mut source = None;
                    let mut event = None;
                    let mut timeout = None;
                    for p in inner.into_inner().filter(not_keyword) {
                        match p.as_rule() {
                            Rule::ident => source = Some(self.ident(p)),
                            Rule::string => event = Some(self.string(p)),
                            Rule::duration => timeout = Some(self.duration(p)),
                            _ => {}
                        }
                    }
                    StatementKind::Wait(WaitFor::Event {
                        source: source.expect("wait source"),
                        event,
                        timeout,
                    })
                }
            }
            Rule::call_stmt => StatementKind::Call(self.proc_ref(pair)),
            Rule::manual_stmt => {
                let mut it = pair.into_inner().filter(not_keyword);
                let role = self.ident(it.next().expect("manual role"));
                let text = self.string(it.next().expect("manual text"));
                StatementKind::Manual { role, text }
            }
            Rule::goto_stmt => StatementKind::Goto(
                self.ident(pair.into_inner().find(not_keyword).expect("goto label")),
            ),
            Rule::abort_stmt => StatementKind::Abort(
                pair.into_inner()
                    .filter(not_keyword)
                    .find(|p| p.as_rule() == Rule::string)
                    .map(|s| self.string(s)),
            ),
            Rule::end_stmt => StatementKind::End,
            _ => {
                StatementKind::Note(self.string(pair.into_inner().find(not_keyword).expect("note")))
            }
        }
    }
}
