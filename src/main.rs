//! The `casebook` command line: argument parsing and printing over the library's pipeline.

mod cli;

/// mimalloc instead of the system allocator: an ingest allocates and frees millions of small
/// strings on all cores, and glibc malloc took about 15% of its time (see README, "Benchmark").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    cli::main()
}

/// Rust ignores SIGPIPE, so `casebook parse … | head` would end in a "Broken pipe" panic on the
/// next print. A command-line filter should just stop, as `cat` does: restore the default action.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
