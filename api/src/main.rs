//! The `jobtrack` binary: parses the command line and runs it.

use clap::Parser;
use jobtrack_api::cli::{Cli, run};
use jobtrack_api::config::Config;

/// mimalloc instead of the system allocator: at national scale the server spent 22 % of
/// its CPU in malloc/free, and a faster allocator cut its CPU per request by a quarter
/// (see README, Benchmarks). Built without its transparent-huge-page advice (`no_thp`):
/// with it, one completion report at national scale took the resident set from 46 to
/// 100 MiB (2 MiB pages touched for a few KiB each); without, from 32 to 73, at the same
/// CPU.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::from_env();
    jobtrack_api::metrics::init_tracing(&config.log_filter);
    if let Err(problem) = config.validate() {
        eprintln!("jobtrack: configuration: {problem}");
        return std::process::ExitCode::from(2);
    }
    match run(Cli::parse(), config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("jobtrack: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
