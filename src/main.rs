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
    // SIGINT and SIGTERM ask the run to stop: the replicates in progress stop at their next
    // step and are dropped with their scenario, point or variant; what is complete stays,
    // nothing half-written is left. A second signal ends the process at once: the handler
    // runs on a thread of its own, so busy workers cannot hold it up, and what it leaves
    // are hidden temporaries the next run removes.
    let _ = ctrlc::set_handler(|| {
        if commands::common::INTERRUPTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!(
            "sovsim: stopping: the work in progress is dropped, what is complete is kept (signal again to stop at once)"
        );
    });
    std::process::exit(commands::execute(cli.command.into()));
}
