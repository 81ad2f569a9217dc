//! Runs the engine demo: `cargo run -p ecscdk-examples --bin engine_demo -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::engine_demo::app()?.run()
}
