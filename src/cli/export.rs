//! `opsplan export PLAN --out DIR`: the transmission package of a checked plan.

use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The plan: a .plan file, a mission folder or an opsplan.yaml.
    pub plan: PathBuf,
    /// The package folder to create (must not exist, or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Export even when the check finds errors; the package is marked as forced.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &ExportArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let _ = (args, out);
    anyhow::bail!("export is being built (issue #6)")
}
