//! The `casebook` command line: argument parsing and printing over the library's pipeline.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
