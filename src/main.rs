//! The `opsplan` binary: all logic lives in the library (`opsplan::cli`).

fn main() -> std::process::ExitCode {
    opsplan::cli::main()
}
