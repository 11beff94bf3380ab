//! `--watch` (`opsplan check`, `opsplan report … -o FILE`): the command runs, then runs
//! again each time one of its inputs is saved, until Ctrl-C.
//!
//! What is watched is re-read after every run ([`Round`]): every input of the run that
//! exists on disk (its sources, flight-rule and window files, requirement exports, the
//! project file; through their folders, so an editor that saves by renaming a new file
//! over the old one is seen), the folders given on the command line and the folders a
//! `use` names (searched recursively, so a new `.plan`, `.proc`, `.scn`, `.roster` or a
//! new export there counts). Events on the command's own outputs and on opsplan's
//! temporaries are ignored, so writing a report never starts another run; so are reads
//! (access events). A burst of events (an editor writes, renames and touches) makes one
//! run, [`DEBOUNCE`] after the last of them.
//!
//! A run that fails (exit 2: a bad opsplan.yaml, a missing file) prints its message and
//! the watch goes on, with the inputs of the last run that read them plus the paths given.
//! On a terminal the screen is cleared before each run; after it comes one summary line:
//! `[watch HH:MM:SS UTC] VERDICT: COUNTS (ELAPSED s); watching N files in M folders,
//! Ctrl-C to stop`.
//! SIGINT, SIGTERM and SIGHUP end the watch through `temp.rs` (temporaries removed, the
//! process ended by the signal).

use super::EXIT_FAILURE;
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the inputs must stay quiet after an event before the run starts.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(150);

/// What one run tells the watch: what it read, where it searched, its summary.
#[derive(Debug, Default)]
pub(crate) struct Round {
    /// True in watch mode (a run may then not leak its model at the end, as a one-shot
    /// `check` does to exit faster).
    pub watching: bool,
    /// The files the run read; `None` when it stopped before reading them (exit 2).
    pub inputs: Option<Vec<PathBuf>>,
    /// Folders the run searched for sources (`use` folders), watched recursively.
    pub folders: Vec<PathBuf>,
    /// The verdict and counts (`pass: 0 errors, 1 warning, 0 notes in 4 files`).
    pub summary: Option<String>,
}

impl Round {
    /// Records the inputs of a check run and the folders its `use` items name.
    pub fn record_run(&mut self, run: &crate::workspace::Run) {
        self.record(&crate::workspace::inputs::Inputs::of_run(run));
        for plan in &run.model.plans {
            let file = run.sources.path(plan.id.span.file);
            let base = file.parent().unwrap_or(Path::new("."));
            for u in &plan.uses {
                let p = base.join(&u.path.value);
                if p.is_dir() {
                    self.folders.push(p);
                }
            }
        }
    }

    /// Records the files a command read.
    pub fn record(&mut self, inputs: &crate::workspace::inputs::Inputs) {
        let list = self.inputs.get_or_insert_with(Vec::new);
        list.extend(inputs.iter().map(|i| i.path.clone()));
    }

    /// Records the verdict line of the run.
    pub fn summary(&mut self, line: impl Into<String>) {
        self.summary = Some(line.into());
    }
}

/// Runs `once` now and after every change of its inputs; returns only when the output
/// cannot be written any more (a closed pipe: 0) or the watch cannot start (2).
/// `roots` are the paths given on the command line (none: the current folder);
/// `outputs` the files the command writes, never a reason to run again.
pub(crate) fn run<W: Write>(
    roots: &[PathBuf],
    outputs: &[PathBuf],
    out: &mut W,
    mut once: impl FnMut(&mut W, &mut Round) -> anyhow::Result<u8>,
) -> anyhow::Result<u8> {
    super::temp::install_signals();
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("opsplan: error: --watch cannot watch files here: {e}");
            return Ok(EXIT_FAILURE);
        }
    };
    let clear = std::io::stdout().is_terminal();
    let ignored: BTreeSet<PathBuf> = outputs.iter().map(|p| absolute(p)).collect();
    let mut last_inputs: Vec<PathBuf> = Vec::new();
    let mut watched: BTreeMap<PathBuf, RecursiveMode> = BTreeMap::new();
    loop {
        if clear {
            // Clear the screen and its scrollback, cursor home.
            out.write_all(b"\x1b[2J\x1b[3J\x1b[H")?;
            out.flush()?;
        }
        let started = Instant::now();
        let mut round = Round {
            watching: true,
            ..Round::default()
        };
        let code = match once(out, &mut round) {
            Ok(code) => code,
            Err(e) => {
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                {
                    return Ok(super::EXIT_OK);
                }
                eprintln!(
                    "opsplan: error: {}",
                    crate::diag::terminal_safe(&format!("{e:#}"))
                );
                EXIT_FAILURE
            }
        };
        if let Some(inputs) = round.inputs.take() {
            last_inputs = inputs;
        }
        let plan = WatchPlan::new(roots, &last_inputs, &round.folders);
        update(&mut watcher, &mut watched, &plan);
        let line = summary_line(
            &clock(),
            code,
            round.summary.as_deref(),
            started.elapsed(),
            (plan.files.len(), plan.recursive.len() + plan.flat.len()),
        );
        writeln!(out, "{}", crate::diag::terminal_safe(&line))?;
        out.flush()?;
        wait_for_change(&rx, &plan, &ignored);
    }
}

/// `[watch 21:45:03 UTC] fail: 2 errors, 0 warnings, 0 notes in 5 files (0.31 s); watching
/// 5 files in 2 folders, Ctrl-C to stop`.
pub(crate) fn summary_line(
    clock: &str,
    code: u8,
    summary: Option<&str>,
    elapsed: Duration,
    (files, folders): (usize, usize),
) -> String {
    let what = match summary {
        // The verdict is the last line of a summary that says first what was left out.
        Some(s) => {
            let verdict = s.lines().last().unwrap_or(s);
            if code == EXIT_FAILURE {
                // An input not used, or the report not written.
                format!("{verdict}, exit 2: see the message above")
            } else {
                verdict.to_string()
            }
        }
        None if code == EXIT_FAILURE => "error: see the message above".to_string(),
        None => format!("exit {code}"),
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "[watch {clock}] {what} ({:.2} s); watching {files} file{} in {folders} folder{}, \
         Ctrl-C to stop",
        elapsed.as_secs_f64(),
        plural(files),
        plural(folders)
    )
}

/// The time of day, UTC, `HH:MM:SS` (what the summary line shows; not in any output).
fn clock() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = secs % 86_400;
    format!("{:02}:{:02}:{:02} UTC", day / 3600, day / 60 % 60, day % 60)
}

/// The path made absolute and its folder resolved (the file itself may not exist yet),
/// so that it compares with the paths the watcher reports.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(abs.clone()),
        _ => abs,
    }
}

/// The extensions of the files a searched folder may gain that change a run.
const INPUT_EXTENSIONS: &[&str] = &[
    "plan", "proc", "scn", "roster", "yaml", "yml", "reqif", "reqifz", "csv", "tsv", "xlsx",
    "xlsm", "xls", "ods", "kvn", "xml", "cdm", "txt",
];

/// What to watch after a run.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct WatchPlan {
    /// Folders watched with everything below them.
    pub recursive: BTreeSet<PathBuf>,
    /// Folders watched for their own entries (the folders of the files read).
    pub flat: BTreeSet<PathBuf>,
    /// The files read (absolute).
    pub files: BTreeSet<PathBuf>,
}

impl WatchPlan {
    pub fn new(roots: &[PathBuf], inputs: &[PathBuf], folders: &[PathBuf]) -> WatchPlan {
        let mut plan = WatchPlan::default();
        let default_root = [PathBuf::from(".")];
        let roots = if roots.is_empty() {
            &default_root[..]
        } else {
            roots
        };
        for root in roots {
            let abs = absolute(root);
            if abs.is_dir() {
                plan.recursive.insert(abs);
            } else {
                let is_project = abs.extension().is_some_and(|e| e == "yaml" || e == "yml");
                if let Some(dir) = abs.parent() {
                    if is_project {
                        // A project file's folder holds its `inputs`.
                        plan.recursive.insert(dir.to_path_buf());
                    } else {
                        plan.flat.insert(dir.to_path_buf());
                    }
                }
                plan.files.insert(abs);
            }
        }
        for f in folders {
            plan.recursive.insert(absolute(f));
        }
        for input in inputs {
            let abs = absolute(input);
            if let Some(dir) = abs.parent() {
                plan.flat.insert(dir.to_path_buf());
            }
            plan.files.insert(abs);
        }
        // A folder below a recursive one is already watched.
        let recursive: Vec<PathBuf> = plan.recursive.iter().cloned().collect();
        let covered = |p: &Path, strictly: bool| {
            recursive
                .iter()
                .any(|r| p.starts_with(r) && (!strictly || p != r.as_path()))
        };
        plan.recursive.retain(|p| !covered(p, true));
        plan.flat.retain(|p| !covered(p, false));
        plan.recursive.retain(|p| p.is_dir());
        plan.flat.retain(|p| p.is_dir());
        plan
    }

    /// Whether a change of `path` may change the run: a file read, or a file a folder
    /// watched may gain as an input (by its extension), or a folder.
    pub fn concerns(&self, path: &Path, ignored: &BTreeSet<PathBuf>) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy());
        if name
            .as_deref()
            .is_some_and(|n| n.starts_with(".opsplan-tmp-"))
        {
            return false;
        }
        if ignored.contains(path) {
            return false;
        }
        if self.files.contains(path) {
            return true;
        }
        let by_extension = path.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_ascii_lowercase();
            INPUT_EXTENSIONS.contains(&e.as_str())
        });
        by_extension || (path.extension().is_none() && path.is_dir())
    }
}

/// Brings the watcher to `plan`: folders no longer needed are dropped, new ones added.
fn update(
    watcher: &mut impl Watcher,
    watched: &mut BTreeMap<PathBuf, RecursiveMode>,
    plan: &WatchPlan,
) {
    let mut wanted: BTreeMap<PathBuf, RecursiveMode> = BTreeMap::new();
    for p in &plan.recursive {
        wanted.insert(p.clone(), RecursiveMode::Recursive);
    }
    for p in &plan.flat {
        wanted
            .entry(p.clone())
            .or_insert(RecursiveMode::NonRecursive);
    }
    watched.retain(|p, mode| {
        if wanted.get(p) == Some(mode) {
            return true;
        }
        let _ = watcher.unwatch(p);
        false
    });
    for (p, mode) in wanted {
        if watched.contains_key(&p) {
            continue;
        }
        match watcher.watch(&p, mode) {
            Ok(()) => {
                watched.insert(p, mode);
            }
            // A folder removed meanwhile: the next run says what is missing.
            Err(_) if !p.is_dir() => {}
            // Said, never silent: saves there would not start a run (an inotify limit).
            Err(e) => eprintln!(
                "opsplan: warning: {}: cannot be watched ({}); saves there are not seen",
                crate::diag::terminal_safe(&p.display().to_string()),
                crate::diag::terminal_safe(&e.to_string())
            ),
        }
    }
}

/// Waits for an event that concerns the plan, then for the inputs to stay quiet for
/// [`DEBOUNCE`].
fn wait_for_change(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    plan: &WatchPlan,
    ignored: &BTreeSet<PathBuf>,
) {
    let concerns = |event: &notify::Result<notify::Event>| match event {
        Ok(e) => {
            !matches!(e.kind, EventKind::Access(_))
                && e.paths.iter().any(|p| plan.concerns(p, ignored))
        }
        // Events were lost (a queue overflow): run again to be sure.
        Err(_) => true,
    };
    loop {
        match rx.recv() {
            Ok(event) if concerns(&event) => break,
            Ok(_) => {}
            // The watcher is gone: nothing more will come.
            Err(_) => loop {
                std::thread::park();
            },
        }
    }
    // Quiet means no event that concerns the plan: reads of the inputs (a browser
    // showing the report, another tool) go on without delaying the run.
    let mut quiet_from = Instant::now();
    loop {
        let left = DEBOUNCE.saturating_sub(quiet_from.elapsed());
        if left.is_zero() {
            break;
        }
        match rx.recv_timeout(left) {
            Ok(event) if concerns(&event) => quiet_from = Instant::now(),
            Ok(_) => {}
            Err(_) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_shows_the_verdict_the_time_and_the_files() {
        let line = summary_line(
            "21:45:03 UTC",
            1,
            Some("incomplete check: …\nfail: 2 errors, 0 warnings, 0 notes in 5 files"),
            Duration::from_millis(310),
            (5, 2),
        );
        assert_eq!(
            line,
            "[watch 21:45:03 UTC] fail: 2 errors, 0 warnings, 0 notes in 5 files (0.31 s); \
             watching 5 files in 2 folders, Ctrl-C to stop"
        );
        let incomplete = summary_line(
            "00:00:00 UTC",
            2,
            Some("incomplete check: …\npass: 1 error, 0 warnings, 0 notes in 2 files"),
            Duration::ZERO,
            (2, 1),
        );
        assert!(
            incomplete.contains("] pass: 1 error, 0 warnings, 0 notes in 2 files, exit 2: see"),
            "{incomplete}"
        );
        let error = summary_line("00:00:00 UTC", 2, None, Duration::ZERO, (1, 1));
        assert!(error.contains(
            "] error: see the message above (0.00 s); watching 1 file in 1 folder, Ctrl-C"
        ));
    }

    #[test]
    fn outputs_temporaries_and_reads_of_other_files_do_not_concern_the_watch() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("lib")).unwrap();
        std::fs::write(root.join("a.plan"), "").unwrap();
        std::fs::write(root.join("notes.md"), "").unwrap();
        let plan = WatchPlan::new(
            std::slice::from_ref(&root),
            &[root.join("a.plan"), root.join("lib")],
            &[root.join("lib")],
        );
        // The folder given covers the folders below it.
        assert_eq!(plan.recursive, BTreeSet::from([root.clone()]));
        assert!(plan.flat.is_empty());
        let out: BTreeSet<PathBuf> = [root.join("report.html")].into();
        assert!(plan.concerns(&root.join("a.plan"), &out));
        assert!(
            plan.concerns(&root.join("lib/new.proc"), &out),
            "a new file"
        );
        assert!(
            !plan.concerns(&root.join("report.html"), &out),
            "the output"
        );
        assert!(!plan.concerns(&root.join(".opsplan-tmp-12-abc"), &out));
        assert!(!plan.concerns(&root.join("notes.md"), &out));
        // An output given as a yaml or csv is still ignored.
        let csv: BTreeSet<PathBuf> = [root.join("out.csv")].into();
        assert!(!plan.concerns(&root.join("out.csv"), &csv));
    }

    #[test]
    fn a_file_given_is_watched_through_its_folder_and_a_project_file_through_its_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("m")).unwrap();
        std::fs::write(root.join("m/a.plan"), "").unwrap();
        std::fs::write(root.join("m/opsplan.yaml"), "").unwrap();
        let one = WatchPlan::new(&[root.join("m/a.plan")], &[], &[]);
        assert_eq!(one.flat, BTreeSet::from([root.join("m")]));
        assert!(one.recursive.is_empty());
        let project = WatchPlan::new(&[root.join("m/opsplan.yaml")], &[], &[]);
        assert_eq!(project.recursive, BTreeSet::from([root.join("m")]));
    }
}
