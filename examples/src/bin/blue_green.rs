//! Runs the `blue_green` example:
//! `cargo run -p ecscdk-examples --bin blue_green -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::blue_green::app()?.run()
}
