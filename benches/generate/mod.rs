//! A deterministic generator of realistic opsplan inputs: one plan of `n` activities and a
//! procedure library of `p` procedures, both as source text.
//!
//! The same [`Spec`] always gives byte-identical text (a seeded SplitMix64, no dependency).
//! The output is meant to check clean, at every size: every name resolves, every relation
//! holds, no two users of an exclusive resource overlap, every activity lies inside its
//! phase and the horizon, no dependency or call cycle, every step is reachable. The
//! procedure-logic rules hold by construction too:
//! - every check that follows a command in its step has an `on fail` (P005), and every
//!   `wait for` has a `timeout` (P006);
//! - a `contingency` names a lower-numbered procedure of family CRP (P007);
//! - an activity runs a procedure whose `duration` fits its slot (P008) and whose `roles`
//!   name the activity's owner, its only `by` role, or the owner's group `CREW` (P009);
//! - a procedure that `requires coverage ART | TDRS` is run only by a `critical` activity
//!   (TDRS is booked around it) or by one that lies inside a single ART pass (P010);
//! - every `critical` activity names its procedure with the version (P011). When no
//!   procedure of the library fits it (a tiny library), the activity is not critical.
//!
//! The benchmark asserts a clean check on a 1,000-activity plan.
//!
//! Shape of the plan (one phase per GMT day, about [`ACTIVITIES_PER_DAY`] activities a day):
//! - horizon over all days; the days start at 2029/364, so the year changes early;
//! - roles, four exclusive resources and one `capacity 2` resource;
//! - windows: a periodic relay window (`every 92m lasting 40m`), a daily crew-sleep window,
//!   five ground passes a day as explicit intervals, and TDRS bookings around every
//!   `critical` activity (which `needs` them);
//! - in each day, a 12 h monitoring shift plus parallel "lanes" (one responsible role
//!   each) of activities that follow each other without overlap. Lanes 0-3 hold the users
//!   of the four exclusive resources, so they never clash;
//! - activities start at an absolute time, relative to their lane predecessor
//!   (`at A12.end + 5m`, `at A12.start + 1h`), or only by a relation (`after A12 + 10m`);
//!   they end with `lasts`, `until` or the duration of their procedure; they carry extra
//!   `after`/`before` (with `within`), `during` and `starts with` relations that hold by
//!   construction, `by`, `kind`, `tags`, `critical`, `procedure ID vX.Y`, `uses`, `covers`.
//!   About a quarter run a procedure: the critical ones (3 %), and about 18 % of the
//!   others, chosen among those their owner takes part in.
//!
//! Procedures have 5-10 steps: commands with arguments, range and comparison checks,
//! polls, waits (plain and for an event with a timeout), manual tasks, calls to
//! lower-numbered procedures only (so no call cycle), `on fail goto` the last step (a
//! contingency step that aborts), and an `end` before it. About 30 % require coverage
//! `ART | TDRS`; about 20 % name a contingency.
//!
//! Reuse from another target with `#[path = "../benches/generate/mod.rs"] mod generate;`.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

pub mod reqif;
pub mod roster;

/// Activities per day (one phase per day); the number of days grows with the plan.
pub const ACTIVITIES_PER_DAY: usize = 250;
/// Parallel lanes of activities per day (besides the monitoring shift).
pub const LANES: usize = 25;
/// The lane number of the daily monitoring shift.
const SHIFT: usize = usize::MAX;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub activities: usize,
    pub procedures: usize,
    pub seed: u64,
}

impl Spec {
    pub fn new(activities: usize, procedures: usize) -> Self {
        Spec {
            activities,
            procedures,
            seed: 0x0b5e_55ed_2014_0272,
        }
    }
}

/// Generated source text.
#[derive(Debug, Clone)]
pub struct Generated {
    pub spec: Spec,
    /// One `*.plan` file.
    pub plan: String,
    /// One `*.proc` file holding every procedure.
    pub procedures: String,
    /// Number of phases (days).
    pub days: usize,
}

impl Generated {
    /// The file name of the plan, relative to the mission folder.
    pub const PLAN_FILE: &'static str = "generated.plan";
    /// The file name of the library, relative to the mission folder.
    pub const PROC_FILE: &'static str = "procedures/generated.proc";

    /// Both files in a fresh source database (plan first).
    pub fn source_db(&self) -> opsplan::source::SourceDb {
        let mut db = opsplan::source::SourceDb::new();
        db.add(Self::PLAN_FILE, self.plan.clone());
        db.add(Self::PROC_FILE, self.procedures.clone());
        db
    }

    /// The plan with `use roster "generated.roster"` (see [`roster::roster`]).
    pub fn staffed_plan(&self) -> String {
        self.plan.replacen(
            "  use procedures \"procedures/\"\n",
            "  use procedures \"procedures/\"\n  use roster     \"generated.roster\"\n",
            1,
        )
    }

    /// The plan's id (`GEN-1000`).
    pub fn plan_id(&self) -> String {
        format!("GEN-{}", self.spec.activities)
    }

    /// Writes the mission folder: `dir/generated.plan` and `dir/procedures/generated.proc`
    /// (the plan finds the library through `use procedures "procedures/"`).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("procedures"))?;
        std::fs::write(dir.join(Self::PLAN_FILE), &self.plan)?;
        std::fs::write(dir.join(Self::PROC_FILE), &self.procedures)
    }
}

/// Generates a plan and a procedure library.
pub fn generate(spec: Spec) -> Generated {
    let mut rng = Rng::new(spec.seed);
    let procs = procedures(&mut rng, spec.procedures);
    let (procedures, polled) = write_procedures(&mut rng, &procs);
    let schedule = schedule(&mut rng, spec.activities, &procs);
    let plan = write_plan(&mut rng, &schedule, &procs, &polled, spec.activities);
    Generated {
        spec,
        plan,
        procedures,
        days: schedule.days,
    }
}

// ---------------------------------------------------------------- random numbers

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------- vocabulary

const GROUND_ROLES: &[&str] = &["FD", "OM", "PLN", "FDS", "GC", "EST"];
const PARTNER_ROLES: &[&str] = &["MCC-M", "MCC-H", "IMMT"];
const CREW_ROLES: &[&str] = &["FE-5", "FE-6"];
const POLL_ROLES: &[&str] = &["FD", "MCC-M", "MCC-H", "OM"];
/// Every role a procedure may name.
const ALL_ROLES: &[&str] = &[
    "FD", "OM", "PLN", "FDS", "GC", "EST", "MCC-M", "MCC-H", "IMMT", "CREW", "FE-5", "FE-6",
];
/// Exclusive resources; lane `i` (i < 4) holds the users of resource `i`.
const EXCLUSIVE: &[(&str, &str)] = &[
    ("OCS", "orbit control thrusters: one burn at a time"),
    (
        "PROP-LINES",
        "propellant lines: one line operation at a time",
    ),
    ("ROBOTIC-ARM", "one arm operation at a time"),
    ("ICC-HATCH", "hatch operations"),
];
const SHARED: &str = "GROUND-CHAIN";

/// Lane `i` is run by `LANE_ROLES[i % len]`; crew lanes keep to the crew day.
const LANE_ROLES: &[&str] = &[
    "GC", "GC", "MCC-M", "FE-5", "FDS", "EST", "PLN", "FD", "OM", "MCC-H", "CREW", "FE-6", "IMMT",
    "GC", "FDS", "EST", "CREW", "MCC-M", "OM", "PLN", "FE-5", "GC", "FDS", "EST", "MCC-H",
];
const KINDS: &[&str] = &[
    "config",
    "transfer",
    "telecon",
    "review",
    "od",
    "analysis",
    "crew",
    "planning",
    "test",
    "monitoring",
    "computation",
    "booking",
    "maintenance",
    "report",
    "poll",
    "attitude",
];
const TAGS: &[&str] = &[
    "refuelling",
    "propulsion",
    "reboost",
    "collision-risk",
    "cargo",
    "water",
    "o2",
    "links",
    "crew-day",
    "power",
    "thermal",
];
const TOPICS: &[&str] = &[
    "He pressurisation",
    "Valve configuration",
    "Propellant transfer",
    "Line purge",
    "Gauging",
    "Attitude change",
    "Relay test",
    "Cargo transfer",
    "Battery conditioning",
    "Thermal check",
    "Software patch",
    "Orbit determination",
    "Conjunction screening",
    "Telecon",
    "Water transfer",
    "Hatch operation",
    "Arm manoeuvre",
    "Camera survey",
];
const FAMILIES: &[&str] = &["FCP", "GCP", "MEP", "CRP", "OIP"];
/// The family of recovery procedures: the only one a `contingency` may name (P007).
const CONTINGENCY_FAMILY: &str = "CRP";
const SYSTEMS: &[&str] = &[
    "REF", "RBT", "DAM", "HAT", "LNK", "MON", "PRP", "PWR", "THM", "COM",
];
const COMMANDS: &[&str] = &[
    "PROP_HE_PRESS",
    "PROP_VALVES_OPEN",
    "PROP_VALVES_CLOSE",
    "PROP_ISOL_CLOSE",
    "PWR_BUS_ON",
    "PWR_BUS_OFF",
    "THM_HEATER_ON",
    "LNK_RATE_SET",
    "TM_MONITOR_ENABLE",
    "AOCS_MODE_SET",
];
const TELEMETRY: &[(&str, &str, f64, f64)] = &[
    ("P_TANK", "bar", 18.0, 22.0),
    ("P_LINE", "bar", 15.0, 24.0),
    ("T_LINE", "degC", 5.0, 40.0),
    ("V_BUS", "V", 26.0, 30.0),
    ("I_HEATER", "A", 0.5, 2.5),
    ("SOC_BAT", "%", 40.0, 100.0),
];
const STATES: &[(&str, &str)] = &[
    ("VALVE_POS", "OPEN"),
    ("VALVE_POS", "CLOSED"),
    ("MON_STATUS", "ACTIVE"),
    ("AOCS_MODE", "NOMINAL"),
    ("LINK_STATE", "LOCKED"),
];
/// The periodic relay window `ART`: a pass of `ART_LENGTH` minutes every `ART_PERIOD`,
/// the first at minute `ART_FROM` of the plan.
const ART_FROM: i64 = 10;
const ART_PERIOD: i64 = 92;
const ART_LENGTH: i64 = 40;
/// Requirement ids are `OPS-REQ-0001` .. this.
const REQUIREMENTS: usize = 1_000;

// ---------------------------------------------------------------- time

/// The first day of the plan: 2029/364 (2029 has 365 days).
const BASE_YEAR: i64 = 2029;
const BASE_DAY_OF_YEAR: i64 = 364;
const DAY: i64 = 1440;

fn days_in_year(y: i64) -> i64 {
    if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
        366
    } else {
        365
    }
}

/// Minutes since the start of the first day → `YYYY/DDD HH:MM`.
fn fmt_time(out: &mut String, t: i64) {
    let (mut year, mut doy) = (BASE_YEAR, BASE_DAY_OF_YEAR + t.div_euclid(DAY));
    while doy > days_in_year(year) {
        doy -= days_in_year(year);
        year += 1;
    }
    let m = t.rem_euclid(DAY);
    let _ = write!(out, "{year:04}/{doy:03} {:02}:{:02}", m / 60, m % 60);
}

fn time(t: i64) -> String {
    let mut s = String::new();
    fmt_time(&mut s, t);
    s
}

/// Minutes → compact duration (`1d2h`, `1h25m`, `40m`, `0m`).
fn fmt_dur(out: &mut String, minutes: i64) {
    let (d, h, m) = (minutes / DAY, minutes % DAY / 60, minutes % 60);
    if d > 0 {
        let _ = write!(out, "{d}d");
    }
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if m > 0 || minutes == 0 {
        let _ = write!(out, "{m}m");
    }
}

fn dur(minutes: i64) -> String {
    let mut s = String::new();
    fmt_dur(&mut s, minutes);
    s
}

/// Rounds up to a multiple of `step`.
fn round_up(x: i64, step: i64) -> i64 {
    (x + step - 1).div_euclid(step) * step
}

// ---------------------------------------------------------------- procedures

struct Proc {
    id: String,
    version: String,
    family: &'static str,
    duration: i64,
    /// The `roles` clause: 2-4 distinct entries of [`ALL_ROLES`].
    roles: Vec<&'static str>,
    /// `requires coverage ART | TDRS`.
    needs_coverage: bool,
}

fn procedures(rng: &mut Rng, n: usize) -> Vec<Proc> {
    (0..n)
        .map(|i| {
            let family = *rng.pick(FAMILIES);
            let id = format!("GEN-{family}-{}-{:04}", rng.pick(SYSTEMS), i + 1);
            let version = format!("{}.{}", rng.range(1, 4), rng.range(0, 9));
            let duration = 5 * rng.range(2, 18);
            // Steps of 3 through the 12 roles: the 2-4 roles are always distinct.
            let roles = (0..rng.range(2, 4) as usize)
                .map(|k| ALL_ROLES[(i + 3 * k) % ALL_ROLES.len()])
                .collect();
            Proc {
                id,
                version,
                family,
                duration,
                roles,
                needs_coverage: rng.chance(30),
            }
        })
        .collect()
}

/// The library's text, and the roles each procedure polls (an activity that runs it
/// brings them in its `by`, P013).
fn write_procedures(rng: &mut Rng, procs: &[Proc]) -> (String, Vec<Vec<&'static str>>) {
    let mut s = String::with_capacity(procs.len() * 1_400);
    let mut polled = Vec::with_capacity(procs.len());
    s.push_str("// Generated procedure library (benches/generate): do not edit.\n\n");
    // The recovery procedures, by number: a `contingency` names one of the lower-numbered.
    let recoveries: Vec<usize> = (0..procs.len())
        .filter(|&i| procs[i].family == CONTINGENCY_FAMILY)
        .collect();
    for (i, p) in procs.iter().enumerate() {
        let below = &recoveries[..recoveries.partition_point(|&c| c < i)];
        polled.push(write_procedure(rng, &mut s, i, p, procs, below));
    }
    (s, polled)
}

/// The roles statements name (polled, given a task, waited for), for the `roles` clause
/// (P012), and the polled ones apart.
#[derive(Default)]
struct Named {
    all: Vec<&'static str>,
    polled: Vec<&'static str>,
}

impl Named {
    fn add(&mut self, role: &'static str) {
        if !self.all.contains(&role) {
            self.all.push(role);
        }
    }

    fn poll(&mut self, role: &'static str) {
        self.add(role);
        if !self.polled.contains(&role) {
            self.polled.push(role);
        }
    }
}

fn write_procedure(
    rng: &mut Rng,
    out: &mut String,
    i: usize,
    p: &Proc,
    procs: &[Proc],
    recoveries: &[usize],
) -> Vec<&'static str> {
    // The header is written after the steps: its `roles` lists every role they name.
    let mut head = String::new();
    let mut body = String::new();
    let mut named = Named::default();
    let s = &mut head;
    let _ = writeln!(
        s,
        "procedure {} \"{} {}\" {{",
        p.id,
        rng.pick(TOPICS),
        i + 1
    );
    let _ = writeln!(s, "  version     {}", p.version);
    let _ = writeln!(s, "  family      {}", p.family);
    let roles_at = s.len();
    if rng.chance(60) {
        let _ = writeln!(s, "  covers      {}", requirement(rng));
    }
    if p.needs_coverage {
        let _ = writeln!(s, "  requires    coverage ART | TDRS");
    }
    if rng.chance(50) {
        let _ = writeln!(s, "  requires    \"{} ready\"", rng.pick(PARTNER_ROLES));
    }
    if !recoveries.is_empty() && rng.chance(20) {
        let c = &procs[*rng.pick(recoveries)];
        let _ = writeln!(s, "  contingency {} v{}", c.id, c.version);
    }
    s.push_str("  duration    ");
    fmt_dur(s, p.duration);
    s.push_str("\n\n");
    let s = &mut body;

    // Steps 1..=last-1 are the nominal path (the last of them ends with `end`);
    // step `last` is the contingency, reached by `on fail goto`.
    let last = rng.range(5, 10) as usize;
    let call_step = if i > 0 && rng.chance(35) {
        Some(rng.range(2, last as i64 - 1) as usize)
    } else {
        None
    };
    for step in 1..last {
        let _ = writeln!(s, "  step {step} \"{} {step}\" {{", rng.pick(TOPICS));
        if step == 1 {
            // Always a guarded check first, so the contingency step is reachable.
            command(rng, s);
            range_check(rng, s);
            let _ = writeln!(s, " on fail goto {last}");
        } else if Some(step) == call_step {
            let c = &procs[rng.below(i)];
            if rng.chance(80) {
                let _ = writeln!(s, "    call {} v{}", c.id, c.version);
            } else {
                let _ = writeln!(s, "    call {}", c.id);
            }
        } else {
            for _ in 0..rng.range(1, 3) {
                statement(rng, s, i, last, procs, &mut named);
            }
        }
        if step == last - 1 {
            s.push_str("    end\n");
        }
        s.push_str("  }\n");
    }
    let _ = writeln!(s, "  step {last} \"Contingency\" {{");
    s.push_str("    command PROP_ISOL_CLOSE\n");
    let reporter = *rng.pick(GROUND_ROLES);
    named.add(reporter);
    let _ = writeln!(s, "    manual  {reporter} \"Report the anomaly\"");
    let _ = writeln!(s, "    abort   \"{} interrupted\"", p.id);
    s.push_str("  }\n}\n\n");
    let mut roles = p.roles.clone();
    for r in named.all {
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    head.insert_str(roles_at, &format!("  roles       {}\n", roles.join(", ")));
    out.push_str(&head);
    out.push_str(&body);
    named.polled
}

fn requirement(rng: &mut Rng) -> String {
    format!("OPS-REQ-{:04}", rng.range(1, REQUIREMENTS as i64))
}

fn command(rng: &mut Rng, s: &mut String) {
    let name = rng.pick(COMMANDS);
    match rng.below(3) {
        0 => {
            let _ = writeln!(s, "    command {name}");
        }
        1 => {
            let (_, unit, lo, hi) = rng.pick(TELEMETRY);
            let _ = writeln!(
                s,
                "    command {name}(target = {:.1} {unit}, mode = AUTO)",
                (lo + hi) / 2.0
            );
        }
        _ => {
            let _ = writeln!(
                s,
                "    command {name}(line = FGB, label = \"seq {}\")",
                rng.range(1, 99)
            );
        }
    }
}

/// A range check without its line end (the caller may add `on fail …`).
fn range_check(rng: &mut Rng, s: &mut String) {
    let (tm, unit, lo, hi) = rng.pick(TELEMETRY);
    let _ = write!(
        s,
        "    check   {tm} in {lo:.1} .. {hi:.1} {unit} within {}m",
        rng.range(1, 10)
    );
}

fn statement(
    rng: &mut Rng,
    s: &mut String,
    i: usize,
    last: usize,
    procs: &[Proc],
    named: &mut Named,
) {
    match rng.below(9) {
        0 | 1 => command(rng, s),
        2 => {
            range_check(rng, s);
            let _ = writeln!(s, " on fail goto {last}");
        }
        3 => {
            let (tm, value) = rng.pick(STATES);
            let _ = writeln!(
                s,
                "    check   {tm} == {value} within 1m on fail goto {last}"
            );
        }
        4 => {
            let a = rng.below(POLL_ROLES.len());
            let b = (a + 1 + rng.below(POLL_ROLES.len() - 1)) % POLL_ROLES.len();
            named.poll(POLL_ROLES[a]);
            named.poll(POLL_ROLES[b]);
            let _ = writeln!(
                s,
                "    poll    {}, {} on fail abort \"NO-GO\"",
                POLL_ROLES[a], POLL_ROLES[b]
            );
        }
        5 => {
            let _ = writeln!(s, "    wait    {}m", rng.range(1, 15));
        }
        6 => {
            let partner = *rng.pick(PARTNER_ROLES);
            named.add(partner);
            let _ = writeln!(
                s,
                "    wait    for {partner} \"go ahead\" timeout {}m on fail goto {last}",
                5 * rng.range(1, 9)
            );
        }
        7 => {
            let role = *rng.pick(ALL_ROLES);
            named.add(role);
            let _ = writeln!(s, "    manual  {role} \"Confirm on the loop\"");
        }
        _ => {
            if i > 0 {
                let c = &procs[rng.below(i)];
                range_check(rng, s);
                let _ = writeln!(s, " on fail call {} v{}", c.id, c.version);
            } else {
                let _ = writeln!(s, "    note    \"no call from the first procedure\"");
            }
        }
    }
}

// ---------------------------------------------------------------- schedule

#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
enum Placement {
    /// `at <abs>`
    Absolute,
    /// `at P.end + gap` (P = lane predecessor)
    AfterEndOf(usize),
    /// `at P.start + offset`
    AfterStartOf(usize),
    /// no `at`: placed by `after P + gap`
    ByRelation(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Lasts,
    Until,
    /// no `lasts`: the procedure's duration
    Procedure,
}

#[derive(Clone, Copy)]
enum Rel {
    After { target: usize, within: bool },
    Before { target: usize, within: bool },
    During(usize),
    StartsWith(usize),
}

struct Act {
    day: usize,
    lane: usize,
    start: i64,
    end: i64,
    role: &'static str,
    start_by: Placement,
    end_by: End,
    relations: Vec<Rel>,
    procedure: Option<(usize, bool)>,
    uses: Vec<(&'static str, Option<u32>)>,
    critical: bool,
    id: usize,
}

struct Schedule {
    days: usize,
    acts: Vec<Act>,
    /// Activities of each day, by start time.
    by_day: Vec<Vec<usize>>,
}

fn schedule(rng: &mut Rng, n: usize, procs: &[Proc]) -> Schedule {
    let days = n.div_ceil(ACTIVITIES_PER_DAY).max(1);
    let runnable = Runnable::new(procs);
    let mut acts: Vec<Act> = Vec::with_capacity(n);
    let mut last_in_lane: Vec<Option<usize>> = vec![None; LANES];
    for day in 0..days {
        let count = n / days + usize::from(day < n % days);
        if count == 0 {
            continue;
        }
        let day0 = day as i64 * DAY;
        let first_of_day = acts.len();
        // The day's monitoring shift, 06:00-18:00: a `during` target.
        let shift = acts.len();
        acts.push(new_act(day, SHIFT, day0 + 360, day0 + 1080, "EST"));
        let lanes = LANES.min(count - 1);
        for lane in 0..lanes {
            let k = (count - 1) / lanes + usize::from(lane < (count - 1) % lanes);
            let role = LANE_ROLES[lane % LANE_ROLES.len()];
            let crew = matches!(role, "CREW" | "FE-5" | "FE-6");
            let (s0, s1) = if crew { (360, 1290) } else { (10, 1430) };
            let slot = (s1 - s0) / k as i64;
            let q = slot / 4;
            let mut prev_today: Option<usize> = None;
            for j in 0..k {
                let slot_start = day0 + s0 + j as i64 * slot;
                let start = slot_start + 5 * rng.range(0, q / 5);
                let len = (5 * rng.range(q / 5, 2 * q / 5)).max(5);
                let me = acts.len();
                let mut a = new_act(day, lane, start, start + len, role);
                // A critical activity runs a procedure and has TDRS booked around it; any
                // other runs one that needs coverage only if it lies inside an ART pass.
                let critical = rng.chance(3);
                let covered = critical || inside_art_pass(start, start + len);
                let fits = runnable.fitting(role, len, covered);
                let exact = runnable.lasting(role, len, covered);
                if let Some(p) = prev_today {
                    a.start_by = match rng.below(100) {
                        0..=24 => Placement::AfterEndOf(p),
                        25..=29 => Placement::AfterStartOf(p),
                        30..=39 => Placement::ByRelation(p),
                        _ => Placement::Absolute,
                    };
                }
                a.end_by = match rng.below(100) {
                    0..=9 => End::Until,
                    10..=14 if !exact.is_empty() => End::Procedure,
                    _ => End::Lasts,
                };
                // A critical activity always gives the version it was approved with.
                if a.end_by == End::Procedure {
                    a.procedure = Some((*rng.pick(exact), critical || rng.chance(90)));
                } else if !fits.is_empty() && (critical || rng.chance(18)) {
                    a.procedure = Some((*rng.pick(fits), critical || rng.chance(90)));
                }
                a.critical = critical && a.procedure.is_some();
                // Extra relations, each true by construction.
                let pred = prev_today.or(last_in_lane[lane]);
                if let Some(p) = pred {
                    if rng.chance(20) && a.start_by != Placement::ByRelation(p) {
                        a.relations.push(Rel::After {
                            target: p,
                            within: rng.chance(50),
                        });
                    }
                    if rng.chance(3) && start > acts[p].start && Some(p) == prev_today {
                        a.relations.push(Rel::StartsWith(p));
                    }
                }
                if rng.chance(8) && me > first_of_day + 1 {
                    for _ in 0..3 {
                        let x = first_of_day + 1 + rng.below(me - first_of_day - 1);
                        if acts[x].lane != lane && acts[x].end <= start {
                            a.relations.push(Rel::After {
                                target: x,
                                within: false,
                            });
                            break;
                        }
                    }
                }
                if rng.chance(4) && start > acts[shift].start && a.end <= acts[shift].end {
                    a.relations.push(Rel::During(shift));
                }
                if lane < EXCLUSIVE.len() && rng.chance(60) {
                    a.uses.push((EXCLUSIVE[lane].0, None));
                }
                if rng.chance(10) {
                    a.uses.push((SHARED, Some(1)));
                }
                if let Some(p) = prev_today {
                    // `before` goes on the predecessor, which ends before this one starts.
                    if rng.chance(8) {
                        acts[p].relations.push(Rel::Before {
                            target: me,
                            within: rng.chance(50),
                        });
                    }
                }
                acts.push(a);
                prev_today = Some(me);
            }
            if prev_today.is_some() {
                last_in_lane[lane] = prev_today;
            }
        }
    }
    let mut by_day: Vec<Vec<usize>> = vec![Vec::new(); days];
    for (i, a) in acts.iter().enumerate() {
        by_day[a.day].push(i);
    }
    let mut next_id = 1;
    for list in &mut by_day {
        list.sort_by_key(|&i| (acts[i].start, acts[i].lane));
        for &i in list.iter() {
            acts[i].id = next_id;
            next_id += 1;
        }
    }
    Schedule { days, acts, by_day }
}

/// The procedures an owner may run (P009), by the owner's role and then by duration.
struct Runnable<'a> {
    procs: &'a [Proc],
    /// For each of [`ALL_ROLES`]: the procedures whose `roles` name it or its group (a
    /// procedure for `CREW` is run by FE-5 or FE-6), by (duration, number).
    any: Vec<Vec<usize>>,
    /// The same without the procedures that require coverage.
    uncovered: Vec<Vec<usize>>,
}

impl<'a> Runnable<'a> {
    fn new(procs: &'a [Proc]) -> Self {
        let mut any: Vec<Vec<usize>> = vec![Vec::new(); ALL_ROLES.len()];
        for (i, p) in procs.iter().enumerate() {
            for role in &p.roles {
                let members: &[&str] = if *role == "CREW" { CREW_ROLES } else { &[] };
                for r in std::iter::once(role).chain(members) {
                    let list = &mut any[role_index(r)];
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        for list in &mut any {
            list.sort_by_key(|&i| (procs[i].duration, i));
        }
        let uncovered = any
            .iter()
            .map(|l| {
                l.iter()
                    .copied()
                    .filter(|&i| !procs[i].needs_coverage)
                    .collect()
            })
            .collect();
        Runnable {
            procs,
            any,
            uncovered,
        }
    }

    fn list(&self, role: &str, covered: bool) -> &[usize] {
        let lists = if covered { &self.any } else { &self.uncovered };
        &lists[role_index(role)]
    }

    /// The procedures `role` may run in a slot of `len` minutes (P008).
    fn fitting(&self, role: &str, len: i64, covered: bool) -> &[usize] {
        let list = self.list(role, covered);
        &list[..list.partition_point(|&i| self.procs[i].duration <= len)]
    }

    /// The procedures `role` may run that last exactly `len` minutes.
    fn lasting(&self, role: &str, len: i64, covered: bool) -> &[usize] {
        let fitting = self.fitting(role, len, covered);
        &fitting[fitting.partition_point(|&i| self.procs[i].duration < len)..]
    }
}

fn role_index(role: &str) -> usize {
    ALL_ROLES
        .iter()
        .position(|r| *r == role)
        .expect("a role of ALL_ROLES")
}

/// True when `[start, end)` lies inside one pass of the `ART` window.
fn inside_art_pass(start: i64, end: i64) -> bool {
    if start < ART_FROM {
        return false;
    }
    let pass = ART_FROM + (start - ART_FROM) / ART_PERIOD * ART_PERIOD;
    end <= pass + ART_LENGTH
}

fn new_act(day: usize, lane: usize, start: i64, end: i64, role: &'static str) -> Act {
    Act {
        day,
        lane,
        start,
        end,
        role,
        start_by: Placement::Absolute,
        end_by: End::Lasts,
        relations: Vec::new(),
        procedure: None,
        uses: Vec::new(),
        critical: false,
        id: 0,
    }
}

// ---------------------------------------------------------------- plan text

fn write_plan(
    rng: &mut Rng,
    sch: &Schedule,
    procs: &[Proc],
    polled: &[Vec<&'static str>],
    n: usize,
) -> String {
    let mut s = String::with_capacity(n * 260 + 4_096);
    let horizon_end = sch.days as i64 * DAY;
    let _ = writeln!(
        s,
        "// Generated plan (benches/generate): {n} activities, {} days. Do not edit.",
        sch.days
    );
    let _ = writeln!(
        s,
        "plan GEN-{n} \"Generated operations plan, {n} activities\" {{"
    );
    s.push_str("  mission \"Generated mission\"\n  issue   1\n");
    let _ = writeln!(s, "  horizon {} .. {}\n", time(0), time(horizon_end));
    s.push_str("  use procedures \"procedures/\"\n\n");
    let _ = writeln!(s, "  roles {}", GROUND_ROLES.join(", "));
    let _ = writeln!(s, "  roles {}", PARTNER_ROLES.join(", "));
    s.push_str("  roles CREW\n");
    let _ = writeln!(s, "  roles {} in CREW\n", CREW_ROLES.join(", "));
    for (name, note) in EXCLUSIVE {
        let _ = writeln!(s, "  resource {name:<12} exclusive  \"{note}\"");
    }
    // As many chains as the busiest moment takes (at least two), so that the declared
    // capacity holds (T008).
    let _ = writeln!(
        s,
        "  resource {SHARED} capacity {} \"TM/TC chains, prime and backup\"\n",
        shared_peak(sch).max(2)
    );
    let _ = writeln!(
        s,
        "  window ART \"Artemis relay\" every {ART_PERIOD}m lasting {ART_LENGTH}m from {} until {}",
        time(ART_FROM),
        time(horizon_end)
    );
    s.push_str("  window CREW-SLEEP \"Crew sleep\" daily 21:30 .. 06:00\n");
    // Five ground passes a day, about one orbit apart.
    s.push_str("  window RGS \"Russian ground station passes\"");
    for day in 0..sch.days as i64 {
        let mut t = day * DAY + rng.range(300, 480);
        s.push_str("\n   ");
        for pass in 0..5 {
            let len = rng.range(10, 14);
            let sep = if pass == 0 { " " } else { ", " };
            let _ = write!(s, "{sep}{} .. {}", time(t), time(t + len));
            t += rng.range(92, 96);
        }
        if day + 1 < sch.days as i64 {
            s.push(',');
        }
    }
    s.push('\n');
    // TDRS bookings: 15 min around every critical activity.
    let mut bookings: Vec<(i64, i64)> = sch
        .acts
        .iter()
        .filter(|a| a.critical)
        .map(|a| ((a.start - 15).max(0), (a.end + 15).min(horizon_end)))
        .collect();
    bookings.sort();
    if bookings.is_empty() {
        bookings.push((60, 120));
    }
    s.push_str("  window TDRS \"TDRSS bookings\"");
    for (k, (a, b)) in bookings.iter().enumerate() {
        let sep = if k == 0 { "" } else { "," };
        let _ = write!(s, "{sep}\n    {} .. {}", time(*a), time(*b));
    }
    s.push_str("\n\n");

    for (day, list) in sch.by_day.iter().enumerate() {
        let d0 = day as i64 * DAY;
        let _ = writeln!(
            s,
            "  // ================================================================ day {}",
            day + 1
        );
        let _ = writeln!(
            s,
            "  phase day-{:04} \"Operations {}\" {} .. {} {{",
            day + 1,
            &time(d0)[..8],
            time(d0),
            time(d0 + DAY)
        );
        for &i in list {
            write_activity(rng, &mut s, &sch.acts[i], &sch.acts, procs, polled);
        }
        s.push_str("  }\n\n");
    }
    s.push_str("}\n");
    s
}

/// The most units of the shared resource in use at once.
fn shared_peak(sch: &Schedule) -> u32 {
    let mut events: Vec<(i64, i64)> = Vec::new();
    for a in &sch.acts {
        for &(r, amount) in &a.uses {
            if r == SHARED {
                let k = i64::from(amount.unwrap_or(1));
                events.push((a.start, k));
                events.push((a.end, -k));
            }
        }
    }
    events.sort_unstable();
    let (mut level, mut peak) = (0i64, 0i64);
    for (_, d) in events {
        level += d;
        peak = peak.max(level);
    }
    u32::try_from(peak).unwrap_or(u32::MAX)
}

fn write_activity(
    rng: &mut Rng,
    s: &mut String,
    a: &Act,
    acts: &[Act],
    procs: &[Proc],
    polled: &[Vec<&'static str>],
) {
    let id = |i: usize| acts[i].id;
    let topic = if a.lane == SHIFT {
        "Console monitoring shift"
    } else {
        rng.pick(TOPICS)
    };
    let _ = writeln!(s, "    activity A{} \"{topic}\" {{", a.id);
    let mut clauses: Vec<String> = Vec::with_capacity(8);
    clauses.push(match a.start_by {
        Placement::Absolute => format!("at {}", time(a.start)),
        Placement::AfterEndOf(p) => format!("at A{}.end{}", id(p), plus(a.start - acts[p].end)),
        Placement::AfterStartOf(p) => {
            format!("at A{}.start{}", id(p), plus(a.start - acts[p].start))
        }
        Placement::ByRelation(p) => format!("after A{}{}", id(p), plus(a.start - acts[p].end)),
    });
    match a.end_by {
        End::Lasts => clauses.push(format!("lasts {}", dur(a.end - a.start))),
        End::Until => clauses.push(format!("until {}", time(a.end))),
        End::Procedure => {}
    }
    // The owner, then the roles its procedure polls (P013).
    let mut by = vec![a.role];
    if let Some((p, _)) = a.procedure {
        for &r in &polled[p] {
            if !by.contains(&r) {
                by.push(r);
            }
        }
    }
    clauses.push(format!("by {}", by.join(", ")));
    let kind = if a.lane == SHIFT {
        "monitoring"
    } else {
        KINDS[(a.id * 7 + a.lane) % KINDS.len()]
    };
    clauses.push(format!("kind {kind}"));
    if a.critical {
        clauses.push("critical".to_string());
    }
    if rng.chance(30) {
        let t1 = rng.below(TAGS.len());
        let t2 = (t1 + 1 + rng.below(TAGS.len() - 1)) % TAGS.len();
        clauses.push(format!("tags {}, {}", TAGS[t1], TAGS[t2]));
    }
    if let Some((p, with_version)) = a.procedure {
        let version = if with_version {
            format!(" v{}", procs[p].version)
        } else {
            String::new()
        };
        clauses.push(format!("procedure {}{version}", procs[p].id));
    }
    if a.critical {
        clauses.push(
            if rng.chance(50) {
                "needs TDRS"
            } else {
                "needs ART | TDRS"
            }
            .to_string(),
        );
    }
    if !a.uses.is_empty() {
        let list: Vec<String> = a
            .uses
            .iter()
            .map(|(r, amount)| match amount {
                Some(k) => format!("{r} {k}"),
                None => r.to_string(),
            })
            .collect();
        clauses.push(format!("uses {}", list.join(", ")));
    }
    for r in &a.relations {
        clauses.push(match *r {
            Rel::After { target, within } => {
                let w = within.then(|| a.start - acts[target].end);
                format!("after A{}{}", id(target), within_clause(w))
            }
            Rel::Before { target, within } => {
                let w = within.then(|| acts[target].start - a.end);
                format!("before A{}{}", id(target), within_clause(w))
            }
            Rel::During(target) => format!("during A{}", id(target)),
            Rel::StartsWith(target) => {
                format!(
                    "starts with A{}{}",
                    id(target),
                    plus(a.start - acts[target].start)
                )
            }
        });
    }
    if rng.chance(15) {
        let mut c = format!("covers {}", requirement(rng));
        if rng.chance(30) {
            let _ = write!(c, ", {}", requirement(rng));
        }
        clauses.push(c);
    }
    if rng.chance(5) {
        clauses.push(format!("note \"generated note {}\"", rng.range(1, 9_999)));
    }
    // Short activities on one line, the others one clause per line (both styles occur).
    let sep = if clauses.len() <= 5 && rng.chance(70) {
        "   "
    } else {
        "\n      "
    };
    s.push_str("      ");
    s.push_str(&clauses.join(sep));
    s.push_str("\n    }\n");
}

/// ` + 1h5m`, or nothing for a zero offset.
fn plus(minutes: i64) -> String {
    if minutes == 0 {
        String::new()
    } else {
        format!(" + {}", dur(minutes))
    }
}

/// ` within <gap rounded up to the next half hour>`, or nothing.
fn within_clause(gap: Option<i64>) -> String {
    match gap {
        Some(g) => format!(" within {}", dur(round_up(g + 1, 30))),
        None => String::new(),
    }
}

/// Checks the calendar arithmetic of the generator (the benchmark calls it before measuring).
pub fn self_check() {
    assert_eq!(time(0), "2029/364 00:00");
    assert_eq!(time(2 * DAY + 61), "2030/001 01:01");
    assert_eq!(time(367 * DAY), "2031/001 00:00");
    assert_eq!(dur(0), "0m");
    assert_eq!(dur(DAY + 85), "1d1h25m");
    assert_eq!(round_up(31, 30), 60);
}

/// `count` flight rules over the generated plans' kinds, tags, roles, windows and shared
/// resource, cycling through every constraint kind (deterministic).
pub fn flight_rules(count: usize) -> String {
    let mut s = String::from("rules:\n");
    for i in 0..count {
        let k1 = KINDS[i % KINDS.len()];
        let k2 = KINDS[(i * 5 + 3) % KINDS.len()];
        let t1 = TAGS[i % TAGS.len()];
        let id = format!("GEN-{i:03}");
        let _ = writeln!(s, "  - id: {id}\n    title: generated rule {i}");
        let body = match i % 12 {
            0 => format!("    kind: min_separation\n    select: {{ kind: {k1} }}\n    min: 20m\n"),
            1 => format!("    kind: no_overlap\n    a: {{ kind: {k1} }}\n    b: {{ tag: {t1} }}\n    margin: 5m\n"),
            2 => format!("    kind: requires_window\n    select: {{ kind: {k1} }}\n    windows: [ART, TDRS]\n    margin: 5m\n"),
            3 => "    kind: forbidden_window\n    select: { role: CREW }\n    windows: [CREW-SLEEP]\n".to_string(),
            4 => format!("    kind: precedence\n    a: {{ kind: {k1}, id: \"A1*\" }}\n    b: {{ kind: {k2}, id: \"A9*\" }}\n"),
            5 => format!("    kind: requires_preceding\n    select: {{ kind: {k1} }}\n    preceding: {{ kind: {k2} }}\n    max_gap: 6h\n"),
            6 => format!("    kind: requires_following\n    select: {{ kind: {k1} }}\n    following: {{ tag: {t1} }}\n    max_gap: 12h\n"),
            7 => format!("    kind: sequence\n    steps:\n      - {{ kind: {k1} }}\n      - {{ kind: {k2} }}\n"),
            8 => format!("    kind: max_per_period\n    select: {{ kind: {k1} }}\n    period: 24h\n    max_count: 20\n    max_duration: 10h\n"),
            9 => "    kind: resource_capacity\n    resource: GROUND-CHAIN\n".to_string(),
            10 => "    kind: crew_day\n    select: { role: CREW }\n    max_work: 6h30m\n".to_string(),
            _ => format!("    kind: roles_required\n    select: {{ kind: {k1} }}\n    any: [FD, OM, MCC-M]\n"),
        };
        s.push_str(&body);
        let _ = writeln!(s, "    traces: [GEN-REQ-{:03}]", i % 40);
    }
    s
}
