//! Runs the `multi_stack` example:
//! `cargo run -p ecscdk-examples --bin multi_stack -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::multi_stack::app()?.run()
}
