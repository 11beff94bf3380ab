//! Resolving rosters against their plans: the tables of people, positions and duties,
//! the working-time rules, the shifts, on-call turns and assignments; then the indexes
//! (per position, per duty, per person, per qualification) and each person's stretches
//! of work.

use super::*;
use crate::model::{Duplicate, Model, RefKind, Scope, UnresolvedRef};
use crate::time::merge_intervals;

/// Resolves every roster of the parsed files into `m.staffing` (after the plans are
/// scheduled: assignments take their activities' times).
pub(in crate::model) fn build_staffing(m: &mut Model, rosters: Vec<(FileId, ast::Roster)>) {
    let plan_ids: HashMap<String, PlanIdx> = m
        .plans
        .iter()
        .enumerate()
        .rev()
        .map(|(i, p)| (p.id.value.clone(), i))
        .collect();
    let mut ids: HashMap<String, Span> = HashMap::default();
    let mut of_plan: HashMap<PlanIdx, Span> = HashMap::default();
    for (file, r) in rosters {
        match ids.get(&r.id.value) {
            Some(&first) => m.duplicates.push(Duplicate {
                what: "roster",
                name: r.id.value.clone(),
                first,
                second: r.id.span,
            }),
            None => {
                ids.insert(r.id.value.clone(), r.id.span);
            }
        }
        let plan = r
            .plan
            .as_ref()
            .and_then(|p| plan_ids.get(&p.value).copied());
        if let (Some(pi), Some(name)) = (plan, &r.plan) {
            match of_plan.get(&pi) {
                Some(&first) => m.duplicates.push(Duplicate {
                    what: "roster of plan",
                    name: name.value.clone(),
                    first,
                    second: name.span,
                }),
                None => {
                    of_plan.insert(pi, name.span);
                }
            }
        }
        let s = Builder { m, plan }.roster(file, r);
        m.staffing.push(s);
    }
}

struct Builder<'m> {
    m: &'m mut Model,
    plan: Option<PlanIdx>,
}

/// Records `name` in `table`, or a duplicate when it is there already.
fn define(
    dups: &mut Vec<Duplicate>,
    table: &mut HashMap<String, usize>,
    what: &'static str,
    name: &ast::Ident,
    idx: usize,
    spans: &[Span],
) -> bool {
    match table.get(&name.value) {
        Some(&first) => {
            dups.push(Duplicate {
                what,
                name: name.value.clone(),
                first: spans[first],
                second: name.span,
            });
            false
        }
        None => {
            table.insert(name.value.clone(), idx);
            true
        }
    }
}

impl Builder<'_> {
    fn roster(&mut self, file: FileId, r: ast::Roster) -> Staffing {
        let mut s = Staffing {
            id: r.id,
            title: r.title.map(|t| t.value),
            file,
            plan: self.plan,
            incomplete: self.m.files_with_syntax_errors.contains(&file)
                || self.plan.is_some_and(|pi| {
                    self.m
                        .files_with_syntax_errors
                        .contains(&self.m.plans[pi].file)
                }),
            plan_name: r.plan,
            notation: r.notation,
            span: r.span,
            rules: WorkRules::default(),
            people: Vec::new(),
            positions: Vec::new(),
            duties: Vec::new(),
            shifts: Vec::new(),
            oncalls: Vec::new(),
            assignments: Vec::new(),
            person_index: HashMap::default(),
            position_index: HashMap::default(),
            duty_index: HashMap::default(),
            unresolved: Vec::new(),
            by_position: Vec::new(),
            by_duty: Vec::new(),
            person_shifts: Vec::new(),
            by_person: Vec::new(),
            stretches: Vec::new(),
            qualified: Vec::new(),
            sessions: Vec::new(),
        };
        self.rules(&mut s, &r.rules);
        self.positions(&mut s, r.positions);
        self.duties(&mut s, r.duties);
        self.people(&mut s, r.people);
        self.entries(&mut s, r.shifts, r.oncalls, r.assignments);
        index(&mut s);
        s
    }

    fn rules(&mut self, s: &mut Staffing, rules: &[ast::WorkRule]) {
        use ast::WorkRuleKind as K;
        let dur = |d: &ast::DurLit, span: Span, slot: &mut Setting<Dur>| {
            if let Some(v) = d.value {
                *slot = Setting {
                    value: v,
                    set_at: Some(span),
                };
            }
        };
        let w = &mut s.rules;
        for r in rules {
            match &r.kind {
                K::DailyRest(d) => dur(d, r.span, &mut w.daily_rest),
                K::WeeklyRest(d) => dur(d, r.span, &mut w.weekly_rest),
                K::MaxShift(d) => dur(d, r.span, &mut w.max_shift),
                K::MaxWeek(d) => dur(d, r.span, &mut w.max_week),
                K::Handover(d) => dur(d, r.span, &mut w.handover),
                K::MaxNights(n) => {
                    if let Some(v) = n.value {
                        w.max_nights = Setting {
                            value: v,
                            set_at: Some(r.span),
                        };
                    }
                }
                K::Night { from, to } => match (from.value, to.value) {
                    (Some(a), Some(b)) if a == b => self.m.bad_intervals.push((
                        r.span,
                        "the night period starts and ends at the same time".to_string(),
                    )),
                    (Some(a), Some(b)) => {
                        w.night = Setting {
                            value: NightPeriod { from: a, to: b },
                            set_at: Some(r.span),
                        }
                    }
                    _ => {}
                },
            }
        }
    }

    /// The time a `continuous` clause asks for: the horizon, phases, windows, intervals.
    fn required(
        &mut self,
        s: &mut Staffing,
        clauses: &[ast::Continuous],
    ) -> (Vec<Interval>, Vec<Unjudged>) {
        let mut out = Vec::new();
        let mut unjudged = Vec::new();
        for c in clauses {
            let Some(pi) = self.plan else {
                // The roster names no known plan: its intervals still count; its phases,
                // windows and horizon cannot be known (W001 says so, once, at `plan`).
                for p in &c.periods {
                    if let ast::Period::Interval(lit) = p {
                        out.extend(super::super::build::interval_of(self.m, lit));
                    }
                }
                continue;
            };
            if c.periods.is_empty() {
                match self.m.plans[pi].horizon {
                    Some(h) => out.push(h),
                    None => unjudged.push(Unjudged {
                        span: c.span,
                        why: format!(
                            "`continuous` means the plan's horizon, and plan {} gives none",
                            self.m.plans[pi].id.value
                        ),
                    }),
                }
            }
            for p in &c.periods {
                match p {
                    ast::Period::Interval(lit) => {
                        out.extend(super::super::build::interval_of(self.m, lit))
                    }
                    ast::Period::Name(name) => self.period(s, pi, name, &mut out, &mut unjudged),
                }
            }
        }
        (merge_intervals(out), unjudged)
    }

    /// A phase of the plan, else a window (its occurrences in the horizon).
    fn period(
        &mut self,
        s: &mut Staffing,
        pi: PlanIdx,
        name: &ast::Ident,
        out: &mut Vec<Interval>,
        unjudged: &mut Vec<Unjudged>,
    ) {
        let plan = &self.m.plans[pi];
        if let Some(phase) = plan.phases.iter().find(|p| p.name.value == name.value) {
            match phase.interval {
                Some(iv) => out.push(iv),
                None => unjudged.push(Unjudged {
                    span: name.span,
                    why: format!("phase {} has no interval", name.value),
                }),
            }
            return;
        }
        if let Some(&wi) = plan.window_index.get(&name.value) {
            let count = plan.window_count_in_horizon(wi);
            if count > MAX_OCCURRENCES {
                unjudged.push(Unjudged {
                    span: name.span,
                    why: format!(
                        "window {} opens {count} times in the horizon, more than the {MAX_OCCURRENCES} a roster is judged over",
                        name.value
                    ),
                });
                return;
            }
            if plan.window_unread(&name.value) && count == 0 {
                return;
            }
            out.extend(plan.window_in_horizon(wi));
            return;
        }
        if plan.window_unread(&name.value) {
            // A window of a window file that could not be read: its E005 says why.
            unjudged.push(Unjudged {
                span: name.span,
                why: format!(
                    "window {} comes from a window file that could not be read",
                    name.value
                ),
            });
            return;
        }
        s.unresolved.push(Unresolved {
            what: "phase or window",
            name: name.clone(),
        });
    }

    fn positions(&mut self, s: &mut Staffing, decls: Vec<ast::PositionDecl>) {
        let mut spans = Vec::new();
        for p in decls {
            let idx = s.positions.len();
            spans.push(p.name.span);
            define(
                &mut self.m.duplicates,
                &mut s.position_index,
                "position",
                &p.name,
                idx,
                &spans,
            );
            let mut fills = Vec::new();
            for role in p.fills {
                match self.plan {
                    Some(pi) if !self.m.plans[pi].role_index.contains_key(&role.value) => {
                        self.m.unresolved.push(UnresolvedRef {
                            kind: RefKind::Role,
                            name: role,
                            version: None,
                            scope: Scope::Plan(pi),
                        })
                    }
                    _ => fills.push(role),
                }
            }
            let (required, unjudged) = self.required(s, &p.continuous);
            let handover = match &p.handover {
                Some(ast::DurLit {
                    value: Some(v),
                    span,
                }) => Setting {
                    value: *v,
                    set_at: Some(*span),
                },
                _ => s.rules.handover,
            };
            s.positions.push(Position {
                name: p.name,
                title: p.title.map(|t| t.value),
                fills,
                required,
                unjudged,
                continuous_span: p.continuous.first().map(|c| c.span),
                minimum: p.minimum.and_then(|m| m.value).unwrap_or(1),
                trainees_alone: p.trainees_alone.is_some(),
                handover,
                span: p.span,
            });
        }
    }

    fn duties(&mut self, s: &mut Staffing, decls: Vec<ast::DutyDecl>) {
        let mut spans = Vec::new();
        for d in decls {
            let idx = s.duties.len();
            spans.push(d.name.span);
            define(
                &mut self.m.duplicates,
                &mut s.duty_index,
                "duty",
                &d.name,
                idx,
                &spans,
            );
            let (required, unjudged) = self.required(s, &d.continuous);
            s.duties.push(Duty {
                name: d.name,
                title: d.title.map(|t| t.value),
                required,
                unjudged,
                continuous_span: d.continuous.first().map(|c| c.span),
                response: d.response.and_then(|r| {
                    r.value.map(|v| Setting {
                        value: v,
                        set_at: Some(r.span),
                    })
                }),
                span: d.span,
            });
        }
    }

    fn people(&mut self, s: &mut Staffing, decls: Vec<ast::PersonDecl>) {
        let mut spans = Vec::new();
        for (i, p) in decls.iter().enumerate() {
            spans.push(p.id.span);
            define(
                &mut self.m.duplicates,
                &mut s.person_index,
                "person",
                &p.id,
                i,
                &spans,
            );
        }
        for p in decls {
            let mut quals = Vec::new();
            for q in &p.qualifications {
                let Some(valid) = self.validity(q) else {
                    continue;
                };
                let training = match &q.after {
                    None => None,
                    // An invalid number is an invalid literal: no qualification.
                    Some(n) => match n.value {
                        None => continue,
                        Some(required) => Some(TrainingRequirement {
                            required,
                            span: n.span,
                            declared: valid,
                            ready: None,
                        }),
                    },
                };
                let instructor = q.under.as_ref().and_then(|i| self.person(s, i));
                for name in &q.positions {
                    let Some(position) = self.position(s, name) else {
                        continue;
                    };
                    quals.push(Qual {
                        position,
                        valid,
                        trainee: q.under.is_some(),
                        instructor,
                        training: training.clone(),
                        span: q.span,
                    });
                }
            }
            s.people.push(Person {
                id: p.id,
                name: p.name.map(|n| n.value),
                quals,
                span: p.span,
            });
        }
    }

    /// When a qualification holds: from its `from` (or ever) to its `until` (a day
    /// included whole; or for ever). `None` when a bound is invalid or it ends before it
    /// starts (recorded).
    fn validity(&mut self, q: &ast::Qualification) -> Option<Interval> {
        let start = match &q.from {
            Some(b) => b.time.value?,
            None => Time::MIN,
        };
        let end = match &q.until {
            Some(b) if b.day => Time(b.time.value?.0 + DAY),
            Some(b) => b.time.value?,
            None => Time(i64::MAX),
        };
        if end <= start {
            self.m.bad_intervals.push((
                q.span,
                "the qualification ends before it starts".to_string(),
            ));
            return None;
        }
        Some(Interval::new(start, end))
    }

    fn person(&mut self, s: &mut Staffing, name: &ast::Ident) -> Option<PersonIdx> {
        let found = s.person_index.get(&name.value).copied();
        if found.is_none() {
            s.unresolved.push(Unresolved {
                what: "person",
                name: name.clone(),
            });
        }
        found
    }

    fn position(&mut self, s: &mut Staffing, name: &ast::Ident) -> Option<PositionIdx> {
        let found = s.position_index.get(&name.value).copied();
        if found.is_none() {
            s.unresolved.push(Unresolved {
                what: "position",
                name: name.clone(),
            });
        }
        found
    }

    fn entries(
        &mut self,
        s: &mut Staffing,
        shifts: Vec<ast::ShiftDecl>,
        oncalls: Vec<ast::OnCallDecl>,
        assignments: Vec<ast::AssignDecl>,
    ) {
        for sh in shifts {
            let person = self.person(s, &sh.person);
            let position = self.position(s, &sh.position);
            let interval = super::super::build::interval_of(self.m, &sh.interval);
            if let (Some(person), Some(position), Some(interval)) = (person, position, interval) {
                s.shifts.push(Shift {
                    person,
                    position,
                    interval,
                    span: sh.span,
                });
            }
        }
        for o in oncalls {
            let person = self.person(s, &o.person);
            let duty = s.duty_index.get(&o.duty.value).copied();
            if duty.is_none() {
                s.unresolved.push(Unresolved {
                    what: "duty",
                    name: o.duty.clone(),
                });
            }
            let interval = super::super::build::interval_of(self.m, &o.interval);
            if let (Some(person), Some(duty), Some(interval)) = (person, duty, interval) {
                s.oncalls.push(OnCall {
                    person,
                    duty,
                    interval,
                    response: o.response.and_then(|r| r.value),
                    span: o.span,
                });
            }
        }
        for a in assignments {
            let person = self.person(s, &a.person);
            let Some(pi) = self.plan else {
                continue;
            };
            for act in a.activities {
                let Some(&ai) = self.m.plans[pi].activity_index.get(&act.value) else {
                    self.m.unresolved.push(UnresolvedRef {
                        kind: RefKind::Activity,
                        name: act,
                        version: None,
                        scope: Scope::Plan(pi),
                    });
                    continue;
                };
                if let Some(person) = person {
                    s.assignments.push(Assignment {
                        person,
                        activity: ai,
                        interval: self.m.plans[pi].activities[ai].time.interval(),
                        span: act.span,
                    });
                }
            }
        }
    }
}

/// The indexes: shifts per position and per person, turns per duty, qualifications per
/// position, stretches per person.
fn index(s: &mut Staffing) {
    let mut per_position: Vec<Vec<(Interval, usize)>> = vec![Vec::new(); s.positions.len()];
    let mut per_person: Vec<Vec<ShiftIdx>> = vec![Vec::new(); s.people.len()];
    for (k, sh) in s.shifts.iter().enumerate() {
        per_position[sh.position].push((sh.interval, k));
        per_person[sh.person].push(k);
    }
    s.by_position = per_position.into_iter().map(IntervalIndex::new).collect();
    let mut per_duty: Vec<Vec<(Interval, usize)>> = vec![Vec::new(); s.duties.len()];
    for (k, o) in s.oncalls.iter().enumerate() {
        per_duty[o.duty].push((o.interval, k));
    }
    s.by_duty = per_duty.into_iter().map(IntervalIndex::new).collect();
    for list in &mut per_person {
        list.sort_unstable_by_key(|&k| (s.shifts[k].interval.start, k));
    }
    let mut qualified: Vec<Vec<(PersonIdx, usize)>> = vec![Vec::new(); s.positions.len()];
    for (p, person) in s.people.iter().enumerate() {
        for (q, qual) in person.quals.iter().enumerate() {
            qualified[qual.position].push((p, q));
        }
    }
    s.qualified = qualified;
    // Stretches: each person's shifts and assigned activities, merged where they touch.
    let mut items: Vec<Vec<(Interval, WorkItem)>> = per_person
        .iter()
        .map(|list| {
            list.iter()
                .map(|&k| (s.shifts[k].interval, WorkItem::Shift(k)))
                .collect()
        })
        .collect();
    for (a, asg) in s.assignments.iter().enumerate() {
        if let Some(iv) = asg.interval {
            items[asg.person].push((iv, WorkItem::Activity(a)));
        }
    }
    let night = s.rules.night.value;
    s.stretches = items
        .into_iter()
        .map(|mut list| {
            list.sort_unstable_by_key(|(iv, item)| {
                (
                    iv.start,
                    match item {
                        WorkItem::Shift(k) => (0, *k),
                        WorkItem::Activity(a) => (1, *a),
                    },
                )
            });
            let mut out: Vec<Stretch> = Vec::new();
            for (iv, item) in list {
                match out.last_mut() {
                    Some(last) if iv.start <= last.interval.end => {
                        last.interval.end = last.interval.end.max(iv.end);
                        last.items.push(item);
                    }
                    _ => out.push(Stretch {
                        interval: iv,
                        items: vec![item],
                        nights: None,
                    }),
                }
            }
            for st in &mut out {
                st.nights = night.nights_of(st.interval);
            }
            out
        })
        .collect();
    s.by_person = per_person
        .iter()
        .map(|list| IntervalIndex::new(list.iter().map(|&k| (s.shifts[k].interval, k)).collect()))
        .collect();
    s.person_shifts = per_person;
}
