//! The symbol index: every definition and reference of a run as (file, byte span,
//! symbol), sorted per file for a binary search by offset.
//!
//! Names are resolved the way the model resolves them (an activity reference resolves in
//! its own plan through `activity_index`, a relation through `relation_targets`, a
//! procedure reference through the version it asks for); what the model does not keep
//! (the names of a roster's shifts) is read back from the item's own text, a few words
//! each. Building is linear in the run: one pass over the model, the flight rules and the
//! trace, then one sort per file.

use crate::model::{ActIdx, Model, PlanIdx, ProcIdx, ScnIdx};
use crate::source::{FileId, Span};
use crate::syntax::ast;
use crate::workspace::Run;
use rustc_hash::FxHashMap as HashMap;

/// What a name denotes. Roles, windows, people and positions are known by name across
/// the run (procedures name the roles and windows of every plan, scenarios the people of
/// their plan's roster); the others by where they are declared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Symbol {
    Plan(PlanIdx),
    Activity(PlanIdx, ActIdx),
    Procedure(ProcIdx),
    Step(ProcIdx, usize),
    Role(String),
    Resource(PlanIdx, usize),
    Window(String),
    Phase(PlanIdx, usize),
    Scenario(ScnIdx),
    FlightRule(String),
    Requirement(String),
    Person(String),
    Position(String),
}

/// One place a symbol is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub start: u32,
    pub end: u32,
    pub symbol: u32,
    /// A definition (else a reference).
    pub def: bool,
}

impl Entry {
    pub fn span(&self, file: FileId) -> Span {
        Span {
            file,
            start: self.start,
            end: self.end,
        }
    }
}

/// The index proper (held by [`super::Index`]).
#[derive(Debug, Default)]
pub(crate) struct Data {
    /// Entries of each file (by `FileId`), sorted by start, never overlapping.
    pub files: Vec<Vec<Entry>>,
    pub symbols: Vec<Symbol>,
    /// Every place of every symbol, definitions flagged, grouped by symbol, each group in
    /// (file, start) order: symbol `k`'s are `places[place_starts[k]..place_starts[k + 1]]`.
    pub places: Vec<(Span, bool)>,
    pub place_starts: Vec<u32>,
}

impl Data {
    /// The entry at `offset` of `file`: the one holding it, else one ending there (the
    /// cursor just after a name).
    pub fn at(&self, file: FileId, offset: usize) -> Option<&Entry> {
        let entries = self.files.get(file.0 as usize)?;
        let off = u32::try_from(offset).ok()?;
        let k = entries.partition_point(|e| e.start <= off);
        if k == 0 {
            return None;
        }
        let e = &entries[k - 1];
        if off <= e.end {
            return Some(e);
        }
        None
    }

    pub fn symbol(&self, id: u32) -> &Symbol {
        &self.symbols[id as usize]
    }

    #[cfg(test)]
    pub fn id_of(&self, symbol: &Symbol) -> Option<u32> {
        self.symbols
            .iter()
            .position(|s| s == symbol)
            .map(|k| k as u32)
    }

    /// Every place of a symbol.
    pub fn places(&self, id: u32) -> &[(Span, bool)] {
        let k = id as usize;
        &self.places[self.place_starts[k] as usize..self.place_starts[k + 1] as usize]
    }

    /// The definitions of a symbol.
    pub fn definitions(&self, id: u32) -> impl Iterator<Item = Span> + '_ {
        self.places(id).iter().filter(|p| p.1).map(|p| p.0)
    }

    /// How many references (not definitions) a symbol has.
    pub fn use_count(&self, id: u32) -> usize {
        self.places(id).iter().filter(|p| !p.1).count()
    }
}

/// A symbol as the builder sees it: names borrowed from the run, so that looking one up
/// allocates nothing; made a [`Symbol`] once, when first seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'r> {
    Plan(PlanIdx),
    Activity(PlanIdx, ActIdx),
    Procedure(ProcIdx),
    Step(ProcIdx, usize),
    Role(&'r str),
    Resource(PlanIdx, usize),
    Window(&'r str),
    Phase(PlanIdx, usize),
    Scenario(ScnIdx),
    FlightRule(&'r str),
    Requirement(&'r str),
    Person(&'r str),
    Position(&'r str),
}

impl Key<'_> {
    fn owned(self) -> Symbol {
        match self {
            Key::Plan(p) => Symbol::Plan(p),
            Key::Activity(p, a) => Symbol::Activity(p, a),
            Key::Procedure(p) => Symbol::Procedure(p),
            Key::Step(p, s) => Symbol::Step(p, s),
            Key::Role(n) => Symbol::Role(n.to_string()),
            Key::Resource(p, r) => Symbol::Resource(p, r),
            Key::Window(n) => Symbol::Window(n.to_string()),
            Key::Phase(p, k) => Symbol::Phase(p, k),
            Key::Scenario(s) => Symbol::Scenario(s),
            Key::FlightRule(n) => Symbol::FlightRule(n.to_string()),
            Key::Requirement(n) => Symbol::Requirement(n.to_string()),
            Key::Person(n) => Symbol::Person(n.to_string()),
            Key::Position(n) => Symbol::Position(n.to_string()),
        }
    }
}

struct Builder<'r> {
    run: &'r Run,
    symbols: Vec<Symbol>,
    ids: HashMap<Key<'r>, u32>,
    /// Places gathered, unsorted: (file, start, end, symbol, def).
    raw: Vec<(FileId, u32, u32, u32, bool)>,
}

impl<'r> Builder<'r> {
    fn intern(&mut self, key: Key<'r>) -> u32 {
        let symbols = &mut self.symbols;
        *self.ids.entry(key).or_insert_with(|| {
            symbols.push(key.owned());
            (symbols.len() - 1) as u32
        })
    }

    fn add(&mut self, span: Span, key: Key<'r>, def: bool) {
        if (span.file.0 as usize) >= self.run.sources.len() || span.end < span.start {
            return;
        }
        // An empty span marks no text (a workbook's row): kept as a definition to go to,
        // never found by offset.
        if span.start == span.end && !def {
            return;
        }
        let id = self.intern(key);
        self.raw.push((span.file, span.start, span.end, id, def));
    }

    fn finish(mut self) -> Data {
        let files = self.run.sources.len();
        // By file, start, definitions first: one integer key, and a stable sort that
        // finds the runs the walk already gives in source order.
        self.raw.sort_by_key(|&(f, s, _, _, def)| {
            (u64::from(f.0) << 33) | (u64::from(s) << 1) | u64::from(!def)
        });
        // The same span twice (a name found by two routes) is kept once: the definition
        // sorts first.
        self.raw.dedup_by_key(|&mut (f, s, _, _, _)| (f, s));
        let n = self.symbols.len();
        // Places grouped by symbol by a counting sort, stable: (file, start) order kept.
        let mut place_starts = vec![0u32; n + 1];
        for &(_, _, _, sym, _) in &self.raw {
            place_starts[sym as usize + 1] += 1;
        }
        for k in 0..n {
            place_starts[k + 1] += place_starts[k];
        }
        let mut next: Vec<u32> = place_starts[..n].to_vec();
        let empty = (Span::new(FileId(0), 0..0), false);
        let mut places = vec![empty; self.raw.len()];
        let mut per_file = vec![Vec::new(); files];
        for (f, s, e, sym, def) in self.raw {
            let span = Span {
                file: f,
                start: s,
                end: e,
            };
            let slot = &mut next[sym as usize];
            places[*slot as usize] = (span, def);
            *slot += 1;
            if s < e {
                let list: &mut Vec<Entry> = &mut per_file[f.0 as usize];
                // Never overlapping: a span inside the previous one is dropped.
                if list.last().is_some_and(|l| l.end > s) {
                    continue;
                }
                list.push(Entry {
                    start: s,
                    end: e,
                    symbol: sym,
                    def,
                });
            }
        }
        Data {
            files: per_file,
            symbols: self.symbols,
            places,
            place_starts,
        }
    }
}

/// Builds the index of a run.
pub(crate) fn build(run: &Run) -> Data {
    let m = &run.model;
    let activities: usize = m.plans.iter().map(|p| p.activities.len()).sum();
    let mut b = Builder {
        run,
        symbols: Vec::with_capacity(activities + 1024),
        ids: HashMap::with_capacity_and_hasher(activities + 1024, Default::default()),
        raw: Vec::with_capacity(4 * activities + 1024),
    };
    for pi in 0..m.plans.len() {
        plan(&mut b, m, pi);
    }
    for (pi, p) in m.procedures.iter().enumerate() {
        if !p.incomplete {
            procedure(&mut b, m, pi);
        }
    }
    for si in 0..m.scenarios.len() {
        scenario(&mut b, m, si);
    }
    for ri in 0..m.staffing.len() {
        roster(&mut b, m, ri);
    }
    flight_rules(&mut b);
    requirements(&mut b);
    b.finish()
}

fn ident<'r>(b: &mut Builder<'r>, id: &'r ast::Ident, key: Key<'r>, def: bool) {
    b.add(id.span, key, def);
}

fn time_expr<'r>(b: &mut Builder<'r>, m: &'r Model, pi: PlanIdx, e: &'r ast::TimeExpr) {
    if let ast::TimeExpr::Relative { activity, .. } = e {
        if let Some(&ai) = m.plans[pi].activity_index.get(&activity.value) {
            ident(b, activity, Key::Activity(pi, ai), false);
        }
    }
}

fn proc_ref<'r>(b: &mut Builder<'r>, target: Option<ProcIdx>, r: &'r ast::ProcRef) {
    if let Some(p) = target {
        ident(b, &r.id, Key::Procedure(p), false);
        if let Some(v) = &r.version {
            b.add(v.span, Key::Procedure(p), false);
        }
    }
}

fn plan<'r>(b: &mut Builder<'r>, m: &'r Model, pi: PlanIdx) {
    let p = &m.plans[pi];
    ident(b, &p.id, Key::Plan(pi), true);
    for r in &p.roles {
        ident(b, &r.name, Key::Role(&r.name.value), true);
        if let Some(g) = &r.group {
            ident(b, g, Key::Role(&g.value), false);
        }
    }
    for (i, r) in p.resources.iter().enumerate() {
        ident(b, &r.name, Key::Resource(pi, i), true);
    }
    for w in &p.windows {
        ident(b, &w.decl.name, Key::Window(&w.decl.name.value), true);
    }
    for (i, ph) in p.phases.iter().enumerate() {
        ident(b, &ph.name, Key::Phase(pi, i), true);
    }
    for (ai, am) in p.activities.iter().enumerate() {
        let a = &am.ast;
        ident(b, &a.id, Key::Activity(pi, ai), true);
        for e in a.at.iter().chain(&a.until) {
            time_expr(b, m, pi, e);
        }
        for r in &a.by {
            ident(b, r, Key::Role(&r.value), false);
        }
        if let Some(pr) = &a.procedure {
            proc_ref(b, am.procedure, pr);
        }
        if let Some(n) = &a.needs {
            for w in &n.windows {
                ident(b, w, Key::Window(&w.value), false);
            }
        }
        for u in &a.uses {
            if let Some(&ri) = p.resource_index.get(&u.resource.value) {
                ident(b, &u.resource, Key::Resource(pi, ri), false);
            }
        }
        for (r, t) in a.relations.iter().zip(&am.relation_targets) {
            if let Some(t) = t {
                ident(b, &r.target, Key::Activity(pi, *t), false);
            }
        }
    }
    for w in &p.waivers {
        ident(b, &w.rule, Key::FlightRule(&w.rule.value), false);
        for a in &w.activities {
            if let Some(&ai) = p.activity_index.get(&a.value) {
                ident(b, a, Key::Activity(pi, ai), false);
            }
        }
    }
}

fn procedure<'r>(b: &mut Builder<'r>, m: &'r Model, pi: ProcIdx) {
    let pm = &m.procedures[pi];
    let p = &pm.ast;
    ident(b, &p.id, Key::Procedure(pi), true);
    for r in &p.roles {
        ident(b, r, Key::Role(&r.value), false);
    }
    if let Some(n) = &p.requires_coverage {
        for w in &n.windows {
            ident(b, w, Key::Window(&w.value), false);
        }
    }
    let resolve = |r: &ast::ProcRef| {
        m.resolve_procedure(&r.id.value, r.version.as_ref().map(|v| v.value.as_str()))
    };
    if let Some(c) = &p.contingency {
        proc_ref(b, resolve(c), c);
    }
    let step = |b: &mut Builder<'r>, label: &'r ast::Ident| {
        if let Some(&si) = pm.step_index.get(&label.value) {
            ident(b, label, Key::Step(pi, si), false);
        }
    };
    for (si, s) in p.steps.iter().enumerate() {
        ident(b, &s.label, Key::Step(pi, si), true);
        for st in &s.statements {
            match &st.kind {
                ast::StatementKind::Call(r) => proc_ref(b, resolve(r), r),
                ast::StatementKind::Manual { role, .. } => {
                    ident(b, role, Key::Role(&role.value), false)
                }
                ast::StatementKind::Poll { roles } => {
                    for r in roles {
                        ident(b, r, Key::Role(&r.value), false);
                    }
                }
                ast::StatementKind::Goto(label) => step(b, label),
                _ => {}
            }
            match &st.on_fail {
                Some(ast::FailAction::Goto(label)) => step(b, label),
                Some(ast::FailAction::Call(r)) => proc_ref(b, resolve(r), r),
                _ => {}
            }
        }
    }
}

fn scenario<'r>(b: &mut Builder<'r>, m: &'r Model, si: ScnIdx) {
    let sm = &m.scenarios[si];
    let s = &sm.ast;
    ident(b, &s.id, Key::Scenario(si), true);
    if let (Some(name), Some(p)) = (&s.plan, sm.plan) {
        ident(b, name, Key::Plan(p), false);
    }
    for t in &s.trainees {
        // A name is a role of the plan first, else a person of its roster.
        let role = sm
            .plan
            .is_some_and(|p| m.plans[p].role_index.contains_key(&t.value));
        let symbol = if role {
            Key::Role(&t.value)
        } else {
            Key::Person(&t.value)
        };
        ident(b, t, symbol, false);
    }
    if let Some(i) = &s.instructor {
        ident(b, i, Key::Person(&i.value), false);
    }
    for (k, inj) in s.injects.iter().enumerate() {
        if let Some(p) = sm.plan {
            time_expr(b, m, p, &inj.at);
        }
        let targets = sm.injects.get(k).map(|im| im.expects.as_slice());
        for (j, e) in inj.expects.iter().enumerate() {
            let t = targets.and_then(|t| t.get(j).copied().flatten());
            proc_ref(b, t, e);
        }
    }
}

/// The words of `text` (split at blanks and commas) with their byte ranges, at most `max`.
fn words(text: &str, max: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let sep = c.is_whitespace() || c == ',';
        match (sep, start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
                if out.len() == max {
                    return out;
                }
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// The words of an item's text: its span's text read back (the model keeps the names,
/// not where each is written).
fn item_words(run: &Run, span: Span, max: usize) -> Vec<(Span, &str)> {
    let text = run.sources.text(span.file);
    let Some(item) = text.get(span.range()) else {
        return Vec::new();
    };
    words(item, max)
        .into_iter()
        .map(|(o, w)| {
            let s = span.start as usize + o;
            (Span::new(span.file, s..s + w.len()), w)
        })
        .collect()
}

fn roster<'r>(b: &mut Builder<'r>, m: &'r Model, ri: usize) {
    let st = &m.staffing[ri];
    if let (Some(name), Some(p)) = (&st.plan_name, st.plan) {
        ident(b, name, Key::Plan(p), false);
    }
    for person in &st.people {
        ident(b, &person.id, Key::Person(&person.id.value), true);
    }
    for pos in &st.positions {
        ident(b, &pos.name, Key::Position(&pos.name.value), true);
        for r in &pos.fills {
            ident(b, r, Key::Role(&r.value), false);
        }
    }
    let run = b.run;
    // `shift PERSON POSITION …`, `oncall PERSON DUTY …`, `assign PERSON to A1, A2`.
    for s in &st.shifts {
        let w = item_words(run, s.span, 3);
        if let [(_, "shift"), (p, person), (q, position)] = w.as_slice() {
            if st.person_index.get(*person) == Some(&s.person) {
                b.add(*p, Key::Person(person), false);
            }
            if st.position_index.get(*position) == Some(&s.position) {
                b.add(*q, Key::Position(position), false);
            }
        }
    }
    for o in &st.oncalls {
        let w = item_words(run, o.span, 2);
        if let [(_, "oncall"), (p, person)] = w.as_slice() {
            if st.person_index.get(*person) == Some(&o.person) {
                b.add(*p, Key::Person(person), false);
            }
        }
    }
    // `qualified P1, P2 [from D] [until D] [after N scenarios]`, `trainee P under X …`:
    // one qualification per position, each with the clause's span.
    for person in &st.people {
        let mut seen = None;
        for q in &person.quals {
            if seen == Some(q.span) {
                continue;
            }
            seen = Some(q.span);
            let w = item_words(run, q.span, 4096);
            let mut under = false;
            for (s, word) in w.iter().skip(1) {
                match *word {
                    "from" | "until" | "after" => break,
                    "under" => under = true,
                    _ if under => {
                        if st.person_index.contains_key(*word) {
                            b.add(*s, Key::Person(word), false);
                        }
                        break;
                    }
                    _ => {
                        if st.position_index.contains_key(*word) {
                            b.add(*s, Key::Position(word), false);
                        }
                    }
                }
            }
        }
    }
    let mut seen_assign = None;
    for a in &st.assignments {
        // One `assign` line gives one assignment per activity: read it once.
        if seen_assign == Some(a.span) {
            continue;
        }
        seen_assign = Some(a.span);
        let w = item_words(run, a.span, 4096);
        let [(_, "assign"), (p, person), (_, "to"), rest @ ..] = w.as_slice() else {
            continue;
        };
        if st.person_index.get(*person) == Some(&a.person) {
            b.add(*p, Key::Person(person), false);
        }
        if let Some(pi) = st.plan {
            for (s, name) in rest {
                if let Some(&ai) = m.plans[pi].activity_index.get(*name) {
                    b.add(*s, Key::Activity(pi, ai), false);
                }
            }
        }
    }
}

fn flight_rules(b: &mut Builder) {
    let run = b.run;
    for set in &run.rule_sets {
        for rule in &set.rules {
            b.add(rule.span, Key::FlightRule(&rule.id), true);
            // With a trace, its links locate the `traces` entries.
            if run.traced.is_some() || rule.traces.is_empty() {
                continue;
            }
            let file = rule.span.file;
            if (file.0 as usize) >= run.sources.len() {
                continue;
            }
            let text = run.sources.text(file);
            let mut locator = crate::flight::RuleLocator::new(text, rule);
            for entry in &rule.traces {
                let (id, _) = crate::trace::split_stamp(entry);
                let span = locator.locate(entry, "traces");
                if text.get(span.range()).is_some_and(|s| s.starts_with(id)) {
                    let start = span.start as usize;
                    b.add(
                        Span::new(file, start..start + id.len()),
                        Key::Requirement(id),
                        false,
                    );
                }
            }
        }
    }
}

fn cites<'r>(b: &mut Builder<'r>, cites: &'r [ast::Cite]) {
    for c in cites {
        ident(b, &c.id, Key::Requirement(&c.id.value), false);
    }
}

fn requirements(b: &mut Builder) {
    let run = b.run;
    if let Some(t) = &run.traced {
        for r in &t.trace.requirements {
            if r.file.is_some() {
                b.add(r.span, Key::Requirement(&r.id), true);
            }
        }
        for l in &t.trace.links {
            let id = match l.requirement {
                Some(r) => t.trace.requirements[r].id.as_str(),
                None => l.cited.as_str(),
            };
            // A flight rule's `traces` entry is located with its stamp (`REQ@3f2a`):
            // the name is the id alone.
            let mut span = l.span;
            let written = if (span.file.0 as usize) < run.sources.len() {
                run.sources.text(span.file).get(span.range()).unwrap_or("")
            } else {
                ""
            };
            if written.len() > l.cited.len() && written.starts_with(l.cited.as_str()) {
                span.end = span.start + l.cited.len() as u32;
            }
            b.add(span, Key::Requirement(id), false);
        }
        return;
    }
    let m = &run.model;
    for p in &m.plans {
        for a in &p.activities {
            cites(b, &a.ast.covers);
        }
    }
    for p in m.procedures.iter().filter(|p| !p.incomplete) {
        cites(b, &p.ast.covers);
        for s in &p.ast.steps {
            cites(b, &s.covers);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::check_texts;

    const PLAN: &str = r#"plan P {
  horizon 2014/272 00:00 .. 2014/273 00:00
  roles FD, GC
  resource OCS exclusive
  window ART every 92m lasting 40m from 2014/272 00:10
  phase one {
    activity A1 { at 2014/272 06:30 lasts 30m by FD uses OCS needs ART }
    activity A2 { after A1 lasts 10m by GC procedure PR v2 }
  }
}
"#;
    const PROC1: &str = "procedure PR \"one\" {\n  version 1\n  roles FD\n  step 1 { goto 2 }\n  step 2 { end }\n}\n";
    const PROC2: &str =
        "procedure PR \"two\" {\n  version 2\n  roles GC\n  step 1 { call PR v1 }\n}\n";

    fn places(run: &Run, data: &Data, symbol: &Symbol) -> Vec<(String, bool)> {
        let id = data.id_of(symbol).expect("indexed");
        data.places(id)
            .iter()
            .map(|(s, d)| (run.sources.slice(*s).to_string(), *d))
            .collect()
    }

    #[test]
    fn every_kind_of_name_of_a_small_plan_is_indexed() {
        let run = check_texts(&[("p.plan", PLAN), ("a.proc", PROC1), ("b.proc", PROC2)]);
        let data = build(&run);
        let a1 = Symbol::Activity(0, 0);
        assert_eq!(
            places(&run, &data, &a1),
            [("A1".to_string(), true), ("A1".to_string(), false)]
        );
        let v2 = run.model.resolve_procedure("PR", Some("2")).unwrap();
        let v1 = run.model.resolve_procedure("PR", Some("1")).unwrap();
        let v2_places = places(&run, &data, &Symbol::Procedure(v2));
        assert!(
            v2_places.contains(&("v2".to_string(), false)),
            "{v2_places:?}"
        );
        assert_eq!(
            places(&run, &data, &Symbol::Procedure(v1))
                .iter()
                .filter(|p| !p.1)
                .count(),
            2,
            "`call PR v1`: the id and the version"
        );
        assert_eq!(places(&run, &data, &Symbol::Role("FD".into())).len(), 3);
        assert_eq!(places(&run, &data, &Symbol::Window("ART".into())).len(), 2);
        assert_eq!(places(&run, &data, &Symbol::Resource(0, 0)).len(), 2);
        assert_eq!(places(&run, &data, &Symbol::Step(v1, 1)).len(), 2);
        assert!(data.id_of(&Symbol::Phase(0, 0)).is_some());
    }

    #[test]
    fn the_names_of_a_roster_are_indexed_from_their_lines() {
        let run = crate::workspace::check_paths(&["examples/atv5-week40".into()]).unwrap();
        let data = build(&run);
        let desk = places(&run, &data, &Symbol::Position("PLN-DESK".into()));
        assert_eq!(desk.iter().filter(|p| p.1).count(), 1);
        assert!(desk.iter().all(|p| p.0 == "PLN-DESK"));
        let roster = run
            .sources
            .ids()
            .find(|&f| run.sources.path(f).ends_with("atv5-week40.roster"))
            .unwrap();
        let text = run.sources.text(roster);
        let id = data.id_of(&Symbol::Position("PLN-DESK".into())).unwrap();
        let lines: Vec<&str> = data
            .places(id)
            .iter()
            .map(|(s, _)| {
                let start = text[..s.start as usize].rfind('\n').map_or(0, |k| k + 1);
                text[start..].split_whitespace().next().unwrap()
            })
            .collect();
        for kind in ["position", "qualified", "shift"] {
            assert!(lines.contains(&kind), "{kind}: {lines:?}");
        }
    }

    #[test]
    fn lookup_by_offset_agrees_with_a_linear_scan() {
        let small = check_texts(&[("p.plan", PLAN), ("a.proc", PROC1), ("b.proc", PROC2)]);
        let week = crate::workspace::check_paths(&["examples/atv5-week40".into()]).unwrap();
        for run in [small, week] {
            lookup_agrees(&run);
        }
    }

    fn lookup_agrees(run: &Run) {
        let data = build(run);
        for f in run.sources.ids() {
            let entries = &data.files[f.0 as usize];
            for w in entries.windows(2) {
                assert!(w[0].end <= w[1].start, "sorted and disjoint");
            }
            let len = run.sources.text(f).len();
            // Every offset, and a pseudo-random walk past the end.
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            let extra = (0..200).map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % (len as u64 + 10)) as usize
            });
            for off in (0..=len).chain(extra) {
                let o = off as u32;
                let linear = entries
                    .iter()
                    .find(|e| e.start <= o && o < e.end)
                    .or_else(|| entries.iter().find(|e| e.end == o));
                assert_eq!(data.at(f, off), linear, "offset {off}");
            }
        }
    }
}
