//! Runs the capacity app: `cargo run -p ecscdk-examples --bin capacity -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::capacity::app()?.run()
}
