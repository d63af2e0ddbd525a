//! `starrocks-overview`: serves the console, or with `sim` runs the simulator.

use clap::Parser;
use starrocks_overview::config::{Cli, Command};
use starrocks_overview::startup;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Sim(args)) => {
            startup::init_logging(&args.log_level, startup::LogFormat::Text);
            sim::run_cli(args).await
        }
        None => startup::run(cli.serve).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` names the cause chain: "cannot open the database …: …".
            eprintln!("starrocks-overview: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
