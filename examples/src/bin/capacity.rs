//! Runs the capacity app: `cargo run -p ecscdk-examples --bin capacity -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::capacity::app()?.run()
}
