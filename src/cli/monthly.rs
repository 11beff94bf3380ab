//! `opsplan report monthly`: the monthly operations report (in progress).

use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct MonthlyArgs {
    /// The month reported, `YYYY-MM`.
    #[arg(long)]
    pub month: String,
    #[command(flatten)]
    pub output: super::report::ReportOutput,
}

pub fn run(_args: &MonthlyArgs, _out: &mut impl Write) -> anyhow::Result<u8> {
    eprintln!("opsplan: error: the monthly report is not built yet");
    Ok(super::EXIT_FAILURE)
}
