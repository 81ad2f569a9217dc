//! Runs the `multi_stack` example:
//! `cargo run -p ecscdk-examples --bin multi_stack -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::multi_stack::app()?.run()
}
