use crate::checks::staffing::judged;
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::{PersonIdx, Staffing};
use crate::time::{first_gap, merge_intervals, Interval};
use rustc_hash::FxHashMap as HashMap;

rule! {
    /// ## What it does
    /// Reports each interval during which a trainee (`trainee P under I`) holds a position
    /// with no qualified holder on it beside them, unless the position says
    /// `trainees alone`. A person qualified for the position at that time holds it as
    /// qualified, even if also declared its trainee. The help says whether the trainee's
    /// instructor is on the position then, and who qualified is free and rested.
    ///
    /// The qualified presence on each position is merged once; each trainee shift is
    /// then walked gap by gap by binary search.
    ///
    /// ## Why it matters
    /// Trainees hold console positions under supervision until they are certified. A
    /// night shift where the trainee is alone on the Flight Director console is a night
    /// shift without a certified Flight Director.
    ///
    /// ## Example
    /// ```text
    /// position FD-DESK { fills FD   continuous }
    /// person LPETIT { trainee FD-DESK under MMARTIN }
    /// shift LPETIT FD-DESK 2014/272 22:00 .. 2014/273 06:15   // nobody qualified beside
    /// ```
    TraineeAlone, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for s in judged(cx.model) {
        // For each (person, position): when qualified, and when a trainee.
        let mut when_qualified: HashMap<(PersonIdx, usize), Vec<Interval>> = HashMap::default();
        let mut when_trainee: HashMap<(PersonIdx, usize), Vec<Interval>> = HashMap::default();
        for (p, person) in s.people.iter().enumerate() {
            for q in &person.quals {
                let map = if q.trainee {
                    &mut when_trainee
                } else {
                    &mut when_qualified
                };
                map.entry((p, q.position)).or_default().push(q.valid);
            }
        }
        for v in when_qualified.values_mut().chain(when_trainee.values_mut()) {
            *v = merge_intervals(std::mem::take(v));
        }
        for (pi, pos) in s.positions.iter().enumerate() {
            if pos.trainees_alone || s.by_position[pi].is_empty() {
                continue;
            }
            // When a qualified holder is on the position.
            let mut present: Vec<Interval> = Vec::new();
            let mut trainee_parts: Vec<(Interval, usize)> = Vec::new();
            for &(iv, k) in s.by_position[pi].items() {
                let person = s.shifts[k].person;
                let qualified = when_qualified
                    .get(&(person, pi))
                    .map_or(&[][..], Vec::as_slice);
                let parts = intersect(iv, qualified);
                present.extend(parts.iter().copied());
                if let Some(trainee) = when_trainee.get(&(person, pi)) {
                    // Trainee, and not qualified, during these parts of the shift.
                    for t in intersect(iv, trainee) {
                        for part in subtract(t, qualified) {
                            trainee_parts.push((part, k));
                        }
                    }
                }
            }
            let present = merge_intervals(present);
            for (part, k) in trainee_parts {
                let mut from = part.start;
                while from < part.end {
                    let Some(gap) = first_gap(&present, Interval::new(from, part.end)) else {
                        break;
                    };
                    out.push(diagnostic(s, pi, k, gap));
                    from = gap.end;
                }
            }
        }
    }
}

/// The parts of `iv` inside `set` (sorted, disjoint).
fn intersect(iv: Interval, set: &[Interval]) -> Vec<Interval> {
    let k = set.partition_point(|x| x.end <= iv.start);
    set[k..]
        .iter()
        .take_while(|x| x.start < iv.end)
        .map(|x| Interval::new(x.start.max(iv.start), x.end.min(iv.end)))
        .collect()
}

/// The parts of `iv` outside `set` (sorted, disjoint).
fn subtract(iv: Interval, set: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut from = iv.start;
    for x in intersect(iv, set) {
        if x.start > from {
            out.push(Interval::new(from, x.start));
        }
        from = x.end;
    }
    if from < iv.end {
        out.push(Interval::new(from, iv.end));
    }
    out
}

fn diagnostic(s: &Staffing, pi: usize, k: usize, gap: Interval) -> Diagnostic {
    let sh = &s.shifts[k];
    let who = &s.people[sh.person].id.value;
    let position = &s.positions[pi].name.value;
    let qual = s.qualification(sh.person, pi, gap.start);
    let mut d = Diagnostic::new(
        Code::TraineeAlone,
        format!(
            "trainee {who} holds {position} alone from {} to {}: no qualified holder beside",
            s.format_time(gap.start),
            s.format_time(gap.end)
        ),
        Label::new(sh.span, format!("{who} is a trainee on {position}")),
    );
    let mut help = Vec::new();
    if let Some(q) = qual.filter(|q| q.trainee) {
        d = d.with_secondary(Label::new(q.span, "a trainee here"));
        if let Some(i) = q.instructor {
            let name = &s.people[i].id.value;
            let on = s.holders_at(pi, gap.start).iter().any(|&(p, _)| p == i);
            help.push(if on {
                format!("the instructor {name} is on {position} then, but not qualified for it")
            } else {
                format!("the instructor {name} is not on {position} then")
            });
        }
    }
    if let Some(t) = s.available_text(pi, gap, &[sh.person]) {
        help.push(t);
    }
    help.push(format!(
        "put a qualified holder beside {who}, or let trainees hold {position} alone (`trainees alone`)"
    ));
    d.with_note(format!(
        "the rule: {position} does not say `trainees alone`: a trainee holds it beside a qualified holder"
    ))
    .with_help(help.join("; "))
    .with_interval(Some(gap))
    .with_secondary(Label::new(
        s.positions[pi].name.span,
        "trainees hold it beside a qualified holder",
    ))
}
