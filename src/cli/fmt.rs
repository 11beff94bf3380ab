//! `opsplan fmt [PATHS]`: canonical layout of `.plan` and `.proc` files.

use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Files or folders (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let _ = (args, out);
    anyhow::bail!("fmt is being built (issue #6)")
}
