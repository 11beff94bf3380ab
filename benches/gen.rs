//! The generator of large inputs as a command (issue #7), deterministic from a seed:
//!
//! ```text
//! cargo bench --bench gen -- plan 1000000 target/bench-plans/1000000 [--procedures 2000] [--rules 50] [--people 100] [--seed N]
//! cargo bench --bench gen -- reqs 100000 target/bench-reqs/100000 [--seed N]
//! ```
//!
//! `plan` writes a mission folder: `generated.plan` (N activities, one phase a day,
//! windows, resources, relations; see `benches/generate`), `procedures/generated.proc`,
//! `flight-rules.yaml` (every rule kind) and an `opsplan.yaml` naming the rules; it checks
//! clean but for the violations the generated rules find (F001: they are not written for
//! the plan, as rules are not in a real week); with `--people P`, also `generated.roster`:
//! P engineers staffing the plan's days around the clock (six continuous desks in three
//! shifts, console rotations, an on-call hotline; about 118,000 shifts for 100 people
//! over the 400 days of 100,000 activities), named by the plan's `use roster` and
//! checking clean (`benches/generate/roster.rs`). `reqs` writes a DOORS Classic module of N requirements in the three forms DOORS
//! exports (`module.reqif`, and `module.csv` and `module.xlsx` with the DOORS column
//! names, made from what opsplan imports of the ReqIF), a plan, a library and flight
//! rules citing it (about 95 % covered, a few dangling cites), and an `opsplan.yaml`
//! naming the ReqIF. Without arguments (as `cargo test --benches` runs it) it generates a
//! small mission of each kind into a temporary folder and checks it.

mod generate;

use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.is_empty() {
        smoke();
        return;
    }
    if let Err(e) = run(&args) {
        eprintln!("gen: {e}");
        eprintln!(
            "usage: gen plan N DIR [--procedures P] [--rules K] [--people P] [--seed S] | gen reqs N DIR [--seed S]"
        );
        std::process::exit(2);
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (kind, n, dir) = match args {
        [kind, n, dir, ..] => (
            kind.as_str(),
            n.replace('_', "")
                .parse::<usize>()
                .map_err(|_| format!("not a count: {n}"))?,
            PathBuf::from(dir),
        ),
        _ => return Err("missing arguments".into()),
    };
    let mut procedures = 2_000usize;
    let mut rules = 50usize;
    let mut people = 0usize;
    let mut seed: Option<u64> = None;
    let mut rest = args[3..].iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .parse::<u64>()
            .map_err(|_| format!("{flag}: not a number"))?;
        match flag.as_str() {
            "--procedures" => procedures = value as usize,
            "--rules" => rules = value as usize,
            "--people" => people = value as usize,
            "--seed" => seed = Some(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let t = std::time::Instant::now();
    match kind {
        "plan" => write_plan_mission(&dir, n, procedures, rules, people, seed),
        "reqs" => write_reqs_mission(&dir, n, seed),
        _ => return Err(format!("unknown kind {kind} (plan or reqs)")),
    }
    .map_err(|e| format!("{}: {e}", dir.display()))?;
    eprintln!("gen: wrote {} in {:.1?}", dir.display(), t.elapsed());
    Ok(())
}

fn write_plan_mission(
    dir: &Path,
    n: usize,
    procedures: usize,
    rules: usize,
    people: usize,
    seed: Option<u64>,
) -> std::io::Result<()> {
    let mut spec = generate::Spec::new(n, procedures);
    if let Some(s) = seed {
        spec.seed = s;
    }
    let g = generate::generate(spec);
    g.write_to(dir)?;
    if people > 0 {
        let r = generate::roster::roster(&g.plan_id(), g.days, people, spec.seed);
        std::fs::write(dir.join(generate::Generated::PLAN_FILE), g.staffed_plan())?;
        std::fs::write(dir.join(generate::roster::ROSTER_FILE), &r.text)?;
        eprintln!(
            "gen: roster of {people} people, {} shifts and {} on-call turns over {} days",
            r.shifts, r.oncalls, g.days
        );
    }
    std::fs::write(dir.join("flight-rules.yaml"), generate::flight_rules(rules))?;
    std::fs::write(
        dir.join("opsplan.yaml"),
        "# Generated (benches/gen.rs): the plan, its library and every flight-rule kind.\n\
         rules: [flight-rules.yaml]\n",
    )
}

fn write_reqs_mission(dir: &Path, n: usize, seed: Option<u64>) -> std::io::Result<()> {
    let reqs = match seed {
        Some(s) => generate::reqif::reqif_seeded(n, s),
        None => generate::reqif::reqif(n),
    };
    let mission = generate::reqif::mission(&reqs);
    mission.write_to(dir)?;
    std::fs::write(dir.join("module.reqif"), &reqs.reqif)?;
    std::fs::write(
        dir.join("opsplan.yaml"),
        "# Generated (benches/gen.rs): a plan, a library and flight rules citing the module.\n\
         requirements:\n  sources: module.reqif\n",
    )?;
    // The same module as DOORS writes it to CSV and XLSX, from what opsplan imports.
    let (export, _) =
        opsplan::reqs::reqif::import_reqif(opsplan::source::FileId(0), reqs.reqif.as_bytes());
    let mut attributes: Vec<String> = export
        .objects
        .iter()
        .flat_map(|o| o.attributes.keys().cloned())
        .collect();
    attributes.sort();
    attributes.dedup();
    attributes.retain(|a| !matches!(a.as_str(), "ReqIF.Text" | "ReqIF.ChapterName"));
    let mut header = vec![
        "Object Identifier".to_string(),
        "Object Heading".to_string(),
        "Object Text".to_string(),
        "Object Level".to_string(),
    ];
    header.extend(attributes.iter().cloned());
    let rows: Vec<Vec<String>> = export
        .objects
        .iter()
        .map(|o| {
            let mut row = vec![
                o.id.clone(),
                o.heading.clone().unwrap_or_default(),
                if o.is_heading {
                    String::new()
                } else {
                    o.text.clone()
                },
                o.level.map(|l| l.to_string()).unwrap_or_default(),
            ];
            row.extend(attributes.iter().map(|a| {
                o.attributes
                    .get(a)
                    .map(opsplan::reqs::AttrValue::display)
                    .unwrap_or_default()
            }));
            row
        })
        .collect();
    let mut csv = csv::Writer::from_path(dir.join("module.csv")).map_err(std::io::Error::other)?;
    csv.write_record(&header).map_err(std::io::Error::other)?;
    for r in &rows {
        csv.write_record(r).map_err(std::io::Error::other)?;
    }
    csv.flush()?;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Module").map_err(std::io::Error::other)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h)
            .map_err(std::io::Error::other)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, v)
                    .map_err(std::io::Error::other)?;
            }
        }
    }
    wb.save(dir.join("module.xlsx"))
        .map_err(std::io::Error::other)
}

/// A small mission of each kind, generated and checked.
fn smoke() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let plan_dir = tmp.path().join("plan");
    write_plan_mission(&plan_dir, 300, 40, 12, 50, Some(7)).expect("plan mission written");
    let run = opsplan::workspace::check_paths(std::slice::from_ref(&plan_dir)).expect("loads");
    assert_eq!(run.model.plans[0].activities.len(), 300);
    // The plan holds by construction; the generated flight rules are not written for it,
    // so they find violations (F001), as rules do in a real week.
    let errors: Vec<String> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == opsplan::diag::Severity::Error)
        .filter(|d| d.code != opsplan::diag::Code::FlightRuleViolated)
        .map(|d| format!("{}: {}", d.code.info().code, d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "the generated plan checks clean: {errors:#?}"
    );
    assert!(run.rule_sets.iter().map(|s| s.rules.len()).sum::<usize>() == 12);
    // The roster staffs the plan without a finding of its own.
    let staffing: Vec<String> = run
        .diagnostics
        .iter()
        .filter(|d| d.code.info().family == opsplan::diag::Family::Staffing)
        .map(|d| format!("{}: {}", d.code.info().code, d.message))
        .collect();
    assert!(
        staffing.is_empty(),
        "the generated roster checks clean: {staffing:#?}"
    );
    assert!(
        run.model.staffing[0].shifts.len() > 150,
        "a roster of shifts"
    );
    let reqs_dir = tmp.path().join("reqs");
    write_reqs_mission(&reqs_dir, 200, None).expect("requirements mission written");
    for form in ["module.reqif", "module.csv", "module.xlsx"] {
        let run = opsplan::workspace::requirements::load_requirements(
            &[reqs_dir.join(form)],
            &Default::default(),
        )
        .expect("loads");
        let objects: usize = run.exports.iter().map(|(_, e)| e.objects.len()).sum();
        assert!(objects > 200, "{form}: {objects} objects");
        assert!(
            run.diagnostics
                .iter()
                .all(|d| d.severity != opsplan::diag::Severity::Error),
            "{form} imports cleanly"
        );
    }
    eprintln!("gen: smoke test passed (plan and requirement missions)");
}
