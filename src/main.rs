//! The `sovsim` binary: parses the command line, runs, and maps the outcome to an exit code
//! (0 success, 1 run-time failure, 2 bad invocation or invalid scenario).

mod app;
mod claims_command;
mod cli;
mod sweep_command;

use clap::Parser;

fn main() {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    std::process::exit(app::run(cli));
}
