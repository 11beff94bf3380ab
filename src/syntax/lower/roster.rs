//! Lowering a `roster` item: people, positions, on-call duties, the working-time rules,
//! shifts, on-call turns and assignments (grammar/opsplan.pest, "staffing rosters").

use super::{not_keyword, Lowerer};
use crate::source::Spanned;
use crate::syntax::ast::*;
use crate::syntax::Rule;
use crate::time::{Notation, Time};

impl Roster {
    /// A roster with only its id: the start of lowering.
    pub fn empty(id: Ident, span: crate::source::Span) -> Roster {
        Roster {
            id,
            title: None,
            plan: None,
            rules: Vec::new(),
            positions: Vec::new(),
            people: Vec::new(),
            duties: Vec::new(),
            shifts: Vec::new(),
            oncalls: Vec::new(),
            assignments: Vec::new(),
            notation: Notation::DayOfYear,
            span,
        }
    }
}
use pest::iterators::Pair;

impl Lowerer<'_> {
    pub(super) fn roster(&mut self, pair: Pair<'_, Rule>) -> Roster {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let id = self.ident(it.next().expect("roster id"));
        let mut r = Roster::empty(id, span);
        for item in it {
            self.roster_item(&mut r, item);
        }
        r.notation = self.first_notation.unwrap_or_default();
        r
    }

    pub(in crate::syntax) fn roster_item(&mut self, r: &mut Roster, item: Pair<'_, Rule>) {
        match item.as_rule() {
            Rule::shift_decl => {
                let span = self.span(&item);
                let mut it = item.into_inner().filter(not_keyword);
                let person = self.ident(it.next().expect("shift person"));
                let position = self.ident(it.next().expect("shift position"));
                let interval = self.interval(it.next().expect("shift interval"));
                r.shifts.push(ShiftDecl {
                    person,
                    position,
                    interval,
                    span,
                });
            }
            Rule::oncall_decl => {
                let span = self.span(&item);
                let mut it = item.into_inner().filter(not_keyword);
                let person = self.ident(it.next().expect("on-call person"));
                let duty = self.ident(it.next().expect("on-call duty"));
                let interval = self.interval(it.next().expect("on-call interval"));
                let response = it.next().map(|p| self.response(p));
                r.oncalls.push(OnCallDecl {
                    person,
                    duty,
                    interval,
                    response,
                    span,
                });
            }
            Rule::assign_decl => {
                let span = self.span(&item);
                let mut it = item.into_inner().filter(not_keyword);
                let person = self.ident(it.next().expect("assigned person"));
                let activities = self.idents(it.next().expect("assigned activities"));
                r.assignments.push(AssignDecl {
                    person,
                    activities,
                    span,
                });
            }
            Rule::person_decl => {
                let p = self.person(item);
                r.people.push(p);
            }
            Rule::position_decl => {
                let p = self.position(item);
                r.positions.push(p);
            }
            Rule::duty_decl => {
                let d = self.duty(item);
                r.duties.push(d);
            }
            Rule::roster_plan => {
                let p = self.ident(item.into_inner().find(not_keyword).expect("plan id"));
                self.once(&mut r.plan, p, "plan", |p| p.span);
            }
            Rule::roster_rules => {
                for rule in item.into_inner().filter(not_keyword) {
                    let w = self.work_rule(rule);
                    if let Some(first) = r
                        .rules
                        .iter()
                        .find(|x| x.kind.name() == w.kind.name())
                        .map(|x| x.span)
                    {
                        self.repeated(w.kind.name(), first, w.span);
                    } else {
                        r.rules.push(w);
                    }
                }
            }
            Rule::string => r.title = Some(self.string(item)),
            _ => {}
        }
    }

    fn work_rule(&mut self, pair: Pair<'_, Rule>) -> WorkRule {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::rest_rule => {
                let mut it = pair.into_inner().filter(not_keyword);
                let period = it.next().expect("rest period");
                let d = self.duration(it.next().expect("rest duration"));
                if period.as_str() == "weekly" {
                    WorkRuleKind::WeeklyRest(d)
                } else {
                    WorkRuleKind::DailyRest(d)
                }
            }
            Rule::max_rule => {
                let what = pair
                    .into_inner()
                    .find(not_keyword)
                    .expect("max shift, week or nights");
                let rule = what.as_rule();
                let value = what.into_inner().find(not_keyword).expect("max value");
                match rule {
                    Rule::max_shift => WorkRuleKind::MaxShift(self.duration(value)),
                    Rule::max_week => WorkRuleKind::MaxWeek(self.duration(value)),
                    _ => WorkRuleKind::MaxNights(self.count(value, 1)),
                }
            }
            Rule::night_rule => {
                let mut it = pair.into_inner().filter(not_keyword);
                let from = self.clock(it.next().expect("night from"));
                let to = self.clock(it.next().expect("night to"));
                WorkRuleKind::Night { from, to }
            }
            _ => WorkRuleKind::Handover(self.handover(pair)),
        };
        WorkRule { kind, span }
    }

    /// A whole number of at least `min` (`max nights 3`, `minimum 2`); an impossible one is
    /// an invalid literal and `None`.
    fn count(&mut self, pair: Pair<'_, Rule>, min: u32) -> Spanned<Option<u32>> {
        let span = self.span(&pair);
        let value = match pair.as_str().parse::<u32>() {
            Ok(n) if n >= min => Some(n),
            _ => {
                self.invalid(
                    span,
                    format!(
                        "`{}` must be a whole number from {min} to {}",
                        pair.as_str(),
                        u32::MAX
                    ),
                );
                None
            }
        };
        Spanned::new(value, span)
    }

    fn handover(&mut self, pair: Pair<'_, Rule>) -> DurLit {
        let d = pair
            .into_inner()
            .find(not_keyword)
            .expect("handover duration");
        self.duration(d)
    }

    fn response(&mut self, pair: Pair<'_, Rule>) -> DurLit {
        let d = pair
            .into_inner()
            .find(not_keyword)
            .expect("response duration");
        self.duration(d)
    }

    fn continuous(&mut self, pair: Pair<'_, Rule>) -> Continuous {
        let span = self.span(&pair);
        let periods = pair
            .into_inner()
            .filter(not_keyword)
            .map(|p| match p.as_rule() {
                Rule::interval => Period::Interval(self.interval(p)),
                _ => Period::Name(self.ident(p)),
            })
            .collect();
        Continuous { periods, span }
    }

    fn position(&mut self, pair: Pair<'_, Rule>) -> PositionDecl {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let name = self.ident(it.next().expect("position name"));
        let mut p = PositionDecl {
            name,
            title: None,
            fills: Vec::new(),
            continuous: Vec::new(),
            minimum: None,
            trainees_alone: None,
            handover: None,
            span,
        };
        for item in it {
            match item.as_rule() {
                Rule::string => p.title = Some(self.string(item)),
                Rule::fills_clause => {
                    let list = item.into_inner().find(not_keyword).expect("fills list");
                    p.fills.extend(self.idents(list));
                }
                Rule::continuous_clause => {
                    let c = self.continuous(item);
                    p.continuous.push(c);
                }
                Rule::minimum_clause => {
                    let n = item.into_inner().find(not_keyword).expect("minimum");
                    let n = self.count(n, 1);
                    self.once(&mut p.minimum, n, "minimum", |n| n.span);
                }
                Rule::trainees_alone => {
                    let s = self.span(&item);
                    self.once(&mut p.trainees_alone, s, "trainees alone", |s| *s);
                }
                Rule::handover_clause => {
                    let d = self.handover(item);
                    self.once(&mut p.handover, d, "handover", |d| d.span);
                }
                _ => {}
            }
        }
        p
    }

    fn person(&mut self, pair: Pair<'_, Rule>) -> PersonDecl {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let id = self.ident(it.next().expect("person id"));
        let mut p = PersonDecl {
            id,
            name: None,
            qualifications: Vec::new(),
            span,
        };
        for item in it {
            match item.as_rule() {
                Rule::string => p.name = Some(self.string(item)),
                Rule::qualified_clause | Rule::trainee_clause => {
                    let q = self.qualification(item);
                    p.qualifications.push(q);
                }
                _ => {}
            }
        }
        p
    }

    fn qualification(&mut self, pair: Pair<'_, Rule>) -> Qualification {
        let span = self.span(&pair);
        let trainee = pair.as_rule() == Rule::trainee_clause;
        let mut it = pair.into_inner().filter(not_keyword);
        let positions = self.idents(it.next().expect("qualified positions"));
        let under = if trainee {
            Some(self.ident(it.next().expect("instructor")))
        } else {
            None
        };
        let mut q = Qualification {
            positions,
            under,
            from: None,
            until: None,
            after: None,
            span,
        };
        for bound in it {
            if bound.as_rule() == Rule::after_scenarios {
                let n = bound.into_inner().find(not_keyword).expect("a number");
                q.after = Some(self.count(n, 1));
                continue;
            }
            let is_from = bound.as_rule() == Rule::valid_from;
            let value = bound.into_inner().find(not_keyword).expect("a day or time");
            let b = self.bound(value);
            if is_from {
                q.from = Some(b);
            } else {
                q.until = Some(b);
            }
        }
        q
    }

    /// A day (`2015/120`, `2015-04-30`) or a time.
    fn bound(&mut self, pair: Pair<'_, Rule>) -> Bound {
        if pair.as_rule() != Rule::date {
            return Bound {
                time: self.abs_time(pair),
                day: false,
            };
        }
        let span = self.span(&pair);
        let text = pair.as_str();
        let notation = if text.contains('/') {
            Notation::DayOfYear
        } else {
            Notation::Iso
        };
        let value = match Time::parse_day(text) {
            Ok(t) => Some(t),
            Err(e) => {
                self.invalid_time(span, format!("invalid day `{text}`: {e}"), &e);
                None
            }
        };
        Bound {
            time: TimeLit {
                value,
                notation,
                span,
            },
            day: true,
        }
    }

    fn duty(&mut self, pair: Pair<'_, Rule>) -> DutyDecl {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let name = self.ident(it.next().expect("duty name"));
        let mut d = DutyDecl {
            name,
            title: None,
            continuous: Vec::new(),
            response: None,
            span,
        };
        for item in it {
            match item.as_rule() {
                Rule::string => d.title = Some(self.string(item)),
                Rule::continuous_clause => {
                    let c = self.continuous(item);
                    d.continuous.push(c);
                }
                Rule::response_clause => {
                    let r = self.response(item);
                    self.once(&mut d.response, r, "response", |r| r.span);
                }
                _ => {}
            }
        }
        d
    }
}
