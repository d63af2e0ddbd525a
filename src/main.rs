#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use clap::Parser;
    use starrocks_overview::server::config::{Cli, Command};
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Sim(args)) => starrocks_overview::server::sim::run_cli(args).await,
        None => starrocks_overview::server::startup::run(cli.serve).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("starrocks-overview: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser build starts through `hydrate()` in lib.rs.
}
