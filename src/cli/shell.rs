//! `opsplan completions SHELL` and `opsplan man [--out DIR]`: the shell completion scripts
//! (`clap_complete`) and the manual pages (`clap_mangen`), both generated from the real
//! command tree ([`super::Cli`]), so every subcommand, option and value is in them.
//! `man --out DIR` writes each page through `write.rs` (whole or not at all, never onto a
//! folder, a device or another non-regular file).

use super::write;
use super::{EXIT_FAILURE, EXIT_OK};
use crate::workspace::inputs::Inputs;
use clap::CommandFactory;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const COMPLETIONS_AFTER_HELP: &str = "Examples:\n  \
opsplan completions bash > ~/.local/share/bash-completion/completions/opsplan\n  \
opsplan completions zsh > ~/.zfunc/_opsplan        (with fpath+=~/.zfunc before compinit)\n  \
opsplan completions fish > ~/.config/fish/completions/opsplan.fish\n\n\
docs/editors.md (\"Shell completions and manual pages\") has every shell.\n\
Exit codes: 0 printed, 2 usage (an unknown shell).";

pub const MAN_AFTER_HELP: &str = "Examples:\n  \
opsplan man | man -l -                        read opsplan(1)\n  \
opsplan man --out ~/.local/share/man/man1     install every page\n\n\
--out DIR writes opsplan.1 and one page per subcommand (opsplan-check.1, …), creating DIR \
if missing; a page already there is replaced whole, anything at a page's name that is not a \
regular file is refused, and so is a DIR that is not a folder (nothing written).\n\
Exit codes: 0 written, 2 usage or a refused or failed write.";

/// The shell to complete for.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell the script is for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Write opsplan.1 and one page per subcommand into this folder (created if missing)
    /// instead of printing opsplan(1).
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub out: Option<PathBuf>,
}

/// The sections the main page adds to clap's: exit status, where the docs are (roff).
const MAIN_PAGE_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
No finding at error severity (pass, or pass with waivers); for trace, no trace defect;
for diff and reqs diff, no difference; otherwise the command did what was asked.
.TP
\fB1\fR
Findings at error severity (check, report consistency), trace defects (trace), differences
(diff, reqs diff), files that would change (fmt \-\-check), an export refused or forced.
.TP
\fB2\fR
Usage or input failure: a missing or unreadable file, a bad opsplan.yaml, an invalid
flight\-rule or window file, an output refused because it is an input of the run or not
a regular file (nothing is written).
.TP
\fB3\fR
An internal error (a bug in opsplan): one line on standard error names the input being
read; nothing is written.
.TP
\fB129\fR, \fB130\fR, \fB143\fR
Interrupted by SIGHUP, SIGINT or SIGTERM: the temporary files are removed and opsplan
ends by that signal (as a shell shows it).
"#;

/// Where the full documentation is (roff), on every page.
const SEE_ALSO: &str = r#".SH "SEE ALSO"
The full documentation is in the docs/ folder of the opsplan sources: docs/language.md (the
language), docs/flight\-rules.md (flight rules, opsplan.yaml), docs/tracing.md
(requirements and traceability), docs/reports.md, docs/monthly.md, docs/export.md,
docs/agenda.md, docs/fmt.md, docs/ci.md (CI outputs and exit codes), docs/security.md,
docs/editors.md (editors, completions, these pages); README.md has the command table.
"#;

/// `opsplan completions SHELL`: the script on standard output.
pub fn completions(args: &CompletionsArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "opsplan", &mut script);
    out.write_all(&script)?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// Every page: `opsplan.1` first, then the subcommands' pages by file name.
fn pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut root = super::Cli::command().disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    // A work list rather than recursion (the tree is ours, but the rule is kept).
    let mut todo = vec![(root, true)];
    while let Some((command, main)) = todo.pop() {
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            todo.push((sub.clone(), false));
        }
        let man = clap_mangen::Man::new(command).manual("opsplan manual");
        let mut text = Vec::new();
        man.render(&mut text)?;
        if main {
            text.extend_from_slice(MAIN_PAGE_SECTIONS.as_bytes());
        }
        text.extend_from_slice(SEE_ALSO.as_bytes());
        pages.push((man.get_filename(), text));
    }
    pages.sort_by(|a, b| (a.0 != "opsplan.1", &a.0).cmp(&(b.0 != "opsplan.1", &b.0)));
    Ok(pages)
}

/// `opsplan man [--out DIR]`.
pub fn man(args: &ManArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let pages = pages()?;
    let Some(dir) = &args.out else {
        let (_, main) = &pages[0];
        out.write_all(main)?;
        out.flush()?;
        return Ok(EXIT_OK);
    };
    match write_pages(dir, &pages) {
        Ok(written) => {
            for path in written {
                writeln!(out, "{}", path.display())?;
            }
            out.flush()?;
            Ok(EXIT_OK)
        }
        Err(message) => {
            eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
            Ok(EXIT_FAILURE)
        }
    }
}

/// Writes the pages into `dir`: every target is checked before the first is written
/// (a refusal writes nothing), then each is written whole.
fn write_pages(dir: &Path, pages: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, String> {
    let shown = dir.display();
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(format!(
                "--out {shown} exists and is not a folder: nothing written"
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(dir).is_ok() {
                return Err(format!(
                    "--out {shown} is a symbolic link to a missing folder: nothing written"
                ));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("--out {shown}: cannot be created: {e}"))?;
        }
        Err(e) => return Err(format!("--out {shown}: cannot be examined: {e}")),
    }
    // The pages read nothing: no input of the run can be overwritten, but the target
    // checks (kind of file, symbolic links) are those of every `-o`.
    let inputs = Inputs::new();
    let mut targets = Vec::with_capacity(pages.len());
    for (name, _) in pages {
        targets.push(write::check_output("--out", &dir.join(name), &inputs)?);
    }
    let mut written = Vec::with_capacity(pages.len());
    for ((name, text), target) in pages.iter().zip(&targets) {
        let path = dir.join(name);
        write::write_atomic(target, text)
            .map_err(|e| format!("{}: cannot be written: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
