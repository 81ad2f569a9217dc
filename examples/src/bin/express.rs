//! Runs the express app: `cargo run -p ecscdk-examples --bin express -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::express::app()?.run()
}
