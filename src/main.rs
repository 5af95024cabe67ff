//! The `embargo` binary: subcommands for scripts, the desktop app otherwise.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = embargo::cli::Cli::parse();
    match embargo::cli::run(cli) {
        Ok(embargo::cli::Outcome::Exit(code)) => ExitCode::from(code),
        Ok(embargo::cli::Outcome::Gui(gui)) => match embargo::ui::run(gui) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot start the desktop app: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {}", embargo::cli::error_text(&e));
            ExitCode::FAILURE
        }
    }
}
