use std::process::ExitCode;

use clap::Parser;

use policywatch::cli::Cli;
use policywatch::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::init_logging(cli.global.log_format);
    match commands::run(cli) {
        Ok(code) => code.into(),
        Err(e) if commands::is_broken_pipe(&e) => commands::Exit::Ok.into(),
        Err(e) => {
            eprintln!("policywatch: feil: {e:#}");
            commands::Exit::Failure.into()
        }
    }
}
