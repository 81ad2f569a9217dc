//! Runs the weak references example:
//! `cargo run -p ecscdk-examples --bin weak_refs -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::weak_refs::app()?.run()
}
