//! Runs the managed_daemon app: `cargo run -p ecscdk-examples --bin managed_daemon -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::managed_daemon::app()?.run()
}
