//! The `sovsim` binary: parses the command line, installs the signal handler, and runs the
//! command ([`commands`]), exiting with the code it returns (0 success, 1 run-time failure, 2
//! bad invocation or invalid scenario, 130 interrupted).

mod cli;
mod commands;

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
    // SIGINT and SIGTERM ask the run to stop at the next replicate, point or variant; what
    // is complete stays, nothing half-written is left. A second signal stops at once.
    let _ = ctrlc::set_handler(|| {
        if commands::common::INTERRUPTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("sovsim: stopping after the work in progress (signal again to stop at once)");
    });
    std::process::exit(commands::execute(cli.command.into()));
}
