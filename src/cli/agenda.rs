//! `opsplan agenda --at TIME`: the Operations Manager's shift sheet.

use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct AgendaArgs {
    /// Files, folders or opsplan.yaml (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// The start of the shift (`2014/275 12:00` or `2014-10-02T12:00Z`).
    #[arg(long, value_name = "TIME")]
    pub at: String,
    /// The length of the shift, in hours.
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub hours: u32,
    /// Only this role (repeatable).
    #[arg(long, value_name = "ROLE")]
    pub role: Vec<String>,
}

pub fn run(args: &AgendaArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let _ = (args, out);
    anyhow::bail!("agenda is being built (issue #6)")
}
