//! Runs the ECS Anywhere app: `cargo run -p ecscdk-examples --bin anywhere -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::anywhere::app()?.run()
}
