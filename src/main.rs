use std::process::ExitCode;

use clap::Parser;

use policywatch::ErrorKind;
use policywatch::cli::Cli;
use policywatch::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::init_logging(cli.global.log_format);
    match commands::run(cli) {
        Ok(code) => code.into(),
        Err(e) => {
            if e.kind() != ErrorKind::BrokenPipe {
                eprintln!("policywatch: {e}");
            }
            e.exit().into()
        }
    }
}
