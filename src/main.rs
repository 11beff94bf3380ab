//! The `opsplan` binary: all logic lives in the library (`opsplan::cli`).

// mimalloc: the check allocates millions of small strings and vectors on several threads
// (see BENCHMARKS.md); it is faster than the system allocator for that and returns
// memory to the threads that freed it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    opsplan::cli::main()
}
