//! A generated roster for a generated plan (issue #18): `people` engineers on the 24-hour
//! service of the plan's days, checking clean by construction.
//!
//! - Six continuous desks, one per ground role of the plan (`FD-DESK` fills `FD`, …), each
//!   held in three shifts a day (06:00-14:15, 14:00-22:15, 22:00-06:15: 15 min of
//!   handover) by a team of six desk engineers on a 12-day cycle: two mornings, a day
//!   off, two afternoons, a day off, three nights, three days off. The six members start
//!   two days apart, so every shift of every day is held (nights by one or two); the
//!   cycle keeps 11 h of daily rest, 35 h of weekly rest in every 7 days, at most 48 h a
//!   week and 3 nights in a row.
//! - The other engineers rotate on 25 consoles (`CON-01` … `CON-25`, each filling a ground
//!   role too) in day shifts of 7 h 30 (07:00-14:30 or 13:30-21:00) cut in six console
//!   slots of 1 h 15, five days on and two off.
//! - A collision-risk hotline (`CRA-HOTLINE`, continuous, 30 min) with a daily turn
//!   taken by a console engineer (never on a night).
//!
//! With 100 people over the 400 days of the 100,000-activity plan this is about 118,000
//! shifts (`gen plan 100000 DIR --people 100`).

use super::{time, Rng, DAY, GROUND_ROLES};
use std::fmt::Write as _;

/// Consoles of the rotation.
const CONSOLES: usize = 25;
/// Desk engineers per continuous desk.
const TEAM: usize = 6;
/// Console slots of a day shift, and their length in minutes.
const SLOTS: i64 = 6;
const SLOT: i64 = 75;

/// A generated roster.
pub struct Roster {
    pub text: String,
    pub shifts: usize,
    pub oncalls: usize,
}

/// The file name of the roster in a mission folder.
pub const ROSTER_FILE: &str = "generated.roster";

/// The roster of plan `plan_id` over its `days` (from minute 0 of the generated
/// calendar), for `people` engineers (at least the 36 of the desks and one on the
/// consoles).
pub fn roster(plan_id: &str, days: usize, people: usize, seed: u64) -> Roster {
    let mut rng = Rng::new(seed ^ 0x0000_5747_4146_4600);
    let desks = GROUND_ROLES.len();
    let desk_people = desks * TEAM;
    let people = people.max(desk_people + 1);
    let console_people = people - desk_people;
    let mut s = String::with_capacity(days * 300 * 64 + 4_096);
    let _ = writeln!(
        s,
        "// Generated roster (benches/generate/roster.rs): {people} engineers, {days} days. Do not edit."
    );
    let _ = writeln!(s, "roster STAFF-{plan_id} \"Generated 24-hour service\" {{");
    let _ = writeln!(s, "  plan {plan_id}\n");
    s.push_str("  rules {\n    daily rest 11h\n    weekly rest 35h\n    max nights 3\n    handover   15m\n  }\n\n");
    for role in GROUND_ROLES {
        let _ = writeln!(
            s,
            "  position {role}-DESK {{\n    fills      {role}\n    continuous\n  }}"
        );
    }
    for c in 0..CONSOLES {
        let _ = writeln!(
            s,
            "  position CON-{:02} {{\n    fills {}\n  }}",
            c + 1,
            GROUND_ROLES[c % GROUND_ROLES.len()]
        );
    }
    s.push_str(
        "  duty CRA-HOTLINE \"Collision-risk hotline\" {\n    continuous\n    response   30m\n  }\n\n",
    );
    // People: the desk teams, then the console engineers.
    let consoles: Vec<String> = (1..=CONSOLES).map(|c| format!("CON-{c:02}")).collect();
    for (d, role) in GROUND_ROLES.iter().enumerate() {
        for m in 0..TEAM {
            let _ = writeln!(
                s,
                "  person D{:03} {{\n    qualified {role}-DESK until {}\n  }}",
                d * TEAM + m,
                time((days as i64 + 400) * DAY)
                    .split(' ')
                    .next()
                    .unwrap_or_default()
            );
        }
    }
    for p in 0..console_people {
        let _ = writeln!(
            s,
            "  person C{p:03} {{\n    qualified {}\n  }}",
            consoles.join(", ")
        );
    }
    s.push('\n');
    let mut shifts = 0;
    // The desk shifts, day by day (so that the file reads as a roster does).
    // Cycle day → shift: 0-1 morning, 3-4 afternoon, 6-8 night.
    let kind = |c: i64| match c {
        0 | 1 => Some((6 * 60, 14 * 60 + 15)),
        3 | 4 => Some((14 * 60, 22 * 60 + 15)),
        6..=8 => Some((22 * 60, 30 * 60 + 15)),
        _ => None,
    };
    // Console engineers: day on/off by a 7-day pattern from their offset; early or late.
    let groups: Vec<(i64, bool)> = (0..console_people)
        .map(|p| (rng.below(7) as i64, p % 2 == 0))
        .collect();
    for day in 0..days as i64 {
        let day0 = day * DAY;
        // The night before the first day is held too.
        if day == 0 {
            for (d, role) in GROUND_ROLES.iter().enumerate() {
                for m in 0..TEAM {
                    let c = (-1 - 2 * m as i64).rem_euclid(12);
                    if let Some((a, _)) = kind(c).filter(|&(a, _)| a == 22 * 60) {
                        let who = d * TEAM + m;
                        let _ = writeln!(
                            s,
                            "  shift D{who:03} {role}-DESK {} .. {}",
                            time(a - DAY),
                            time(a - DAY + 8 * 60 + 15)
                        );
                        shifts += 1;
                    }
                }
            }
        }
        for (d, role) in GROUND_ROLES.iter().enumerate() {
            for m in 0..TEAM {
                let c = (day - 2 * m as i64).rem_euclid(12);
                if let Some((a, b)) = kind(c) {
                    let who = d * TEAM + m;
                    let _ = writeln!(
                        s,
                        "  shift D{who:03} {role}-DESK {} .. {}",
                        time(day0 + a),
                        time(day0 + b)
                    );
                    shifts += 1;
                }
            }
        }
        let mut hotline: Option<usize> = None;
        for (p, &(offset, early)) in groups.iter().enumerate() {
            if (day + offset).rem_euclid(7) >= 5 {
                continue;
            }
            hotline.get_or_insert(p);
            let start = day0 + if early { 7 * 60 } else { 13 * 60 + 30 };
            for k in 0..SLOTS {
                let console = (p + day as usize + k as usize) % CONSOLES;
                let _ = writeln!(
                    s,
                    "  shift C{p:03} {} {} .. {}",
                    consoles[console],
                    time(start + k * SLOT),
                    time(start + (k + 1) * SLOT)
                );
                shifts += 1;
            }
        }
        let who = hotline.unwrap_or(0);
        let _ = writeln!(
            s,
            "  oncall C{who:03} CRA-HOTLINE {} .. {}",
            time(day0),
            time(day0 + DAY)
        );
    }
    s.push_str("}\n");
    Roster {
        text: s,
        shifts,
        oncalls: days,
    }
}
