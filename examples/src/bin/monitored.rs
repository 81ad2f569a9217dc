//! Runs the `monitored` example:
//! `cargo run -p ecscdk-examples --bin monitored -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::monitored::app()?.run()
}
