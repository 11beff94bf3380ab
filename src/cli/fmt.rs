//! `opsplan fmt [PATHS]`: canonical layout of `.plan` and `.proc` files (the layout is
//! described in `syntax::format` and docs/fmt.md).
//!
//! Exit codes: 0 every file is (now) formatted; 1 with `--check`, some files would be
//! reformatted (they are listed); 2 a file could not be read, does not parse, or could
//! not be written (read-only, changed while formatting, a write error): every such file
//! is reported, the others are still formatted.
//!
//! Files are written by [`super::write::replace_checked`]: through symbolic links, keeping
//! hard links, mode and owner, never over a read-only file or one saved meanwhile.

use super::write::replace_checked;
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::diag::Diagnostic;
use crate::source::SourceDb;
use crate::syntax::format::{format, FormatError};
use crate::{output, syntax, workspace};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
opsplan fmt                               format every .plan and .proc file below the current folder\n  \
opsplan fmt examples/atv5-week40\n  \
opsplan fmt --check .                     for CI: list the files that would change, exit 1\n  \
opsplan fmt - < week40.plan               format standard input to standard output\n\n\
Formatting keeps every comment and never changes what a file says (the result is parsed \
again and compared). Files already formatted are not rewritten. A symbolic link is \
written through (its target is formatted); a file with several names (hard links) keeps \
them all; a read-only file is not written; a file saved while it was being formatted is \
left as saved. The summary counts only files written.\n\
Exit codes: 0 formatted, 1 (--check) some files would be reformatted, 2 a file could not \
be read, does not parse or could not be written (read-only, changed while formatting).")]
pub struct FmtArgs {
    /// Files or folders (default: the current folder); `-` reads standard input and
    /// writes the result to standard output.
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    if args.paths.len() == 1 && args.paths[0].as_os_str() == "-" {
        return stdin(out);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut failed = false;
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &paths {
        if p.is_dir() {
            match workspace::source_files_in(p) {
                Ok(found) => files.extend(found),
                Err(e) => {
                    eprintln!(
                        "opsplan: error: {}",
                        crate::diag::terminal_safe(&e.to_string())
                    );
                    failed = true;
                }
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            eprintln!("opsplan: error: {}: no such file or directory", p.display());
            failed = true;
        }
    }
    // A file named twice (a path and a symbolic link to it, two hard links) is one file.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(same_file_key(f)));

    let mut sources = SourceDb::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut changed = 0usize;
    for path in &files {
        let Ok(id) = workspace::read_utf8(
            path,
            &mut sources,
            &mut diags,
            crate::diag::Code::UnreadableSource,
        ) else {
            failed = true;
            continue;
        };
        let text = sources.text(id);
        let formatted = match format(text) {
            Ok(f) => f,
            Err(FormatError::Syntax) if !syntax::starts_like_source(text) => {
                // Not opsplan text (a key a link in the folder points at): never quoted.
                let kind = &workspace::contain::OPSPLAN_SOURCE;
                diags.push(workspace::contain::not_of_kind(id, text, kind));
                sources.make_opaque(id);
                failed = true;
                continue;
            }
            Err(FormatError::Syntax) => {
                diags.extend(syntax::parse(id, text).1);
                failed = true;
                continue;
            }
            Err(FormatError::Changed(why)) => {
                eprintln!(
                    "opsplan: error: {}: not formatted: the result would not say the same as \
                     the file ({why}); this is a bug in opsplan, please report it",
                    path.display()
                );
                failed = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if !args.check {
            if let Err(e) = replace_checked(path, text.as_bytes(), formatted.as_bytes()) {
                eprintln!("opsplan: error: {}: {e}", path.display());
                failed = true;
                continue;
            }
        }
        changed += 1;
        writeln!(
            out,
            "{}",
            crate::diag::terminal_safe(&path.display().to_string())
        )?;
    }
    out.flush()?;
    if !diags.is_empty() {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", output::text::render(&sources, &diags, color));
    }
    let verb = if args.check {
        "would be reformatted"
    } else {
        "reformatted"
    };
    eprintln!("{changed} of {} files {verb}", files.len());
    Ok(if failed {
        EXIT_FAILURE
    } else if args.check && changed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// What makes two paths the same file: device and inode (through links); else the path.
fn same_file_key(path: &std::path::Path) -> (u64, u64, PathBuf) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(path) {
            return (m.dev(), m.ino(), PathBuf::new());
        }
    }
    (0, 0, path.to_path_buf())
}

/// `opsplan fmt -`: standard input to standard output.
fn stdin(out: &mut impl Write) -> anyhow::Result<u8> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    let mut sources = SourceDb::new();
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("opsplan: error: <stdin>: not valid UTF-8 text");
        return Ok(EXIT_FAILURE);
    };
    let id = sources.add("<stdin>", text);
    match format(sources.text(id)) {
        Ok(f) => {
            out.write_all(f.as_bytes())?;
            out.flush()?;
            Ok(EXIT_OK)
        }
        Err(FormatError::Syntax) => {
            let diags = syntax::parse(id, sources.text(id)).1;
            eprint!("{}", output::text::render(&sources, &diags, false));
            Ok(EXIT_FAILURE)
        }
        Err(FormatError::Changed(why)) => {
            eprintln!("opsplan: error: <stdin>: not formatted ({why}); this is a bug in opsplan");
            Ok(EXIT_FAILURE)
        }
    }
}
