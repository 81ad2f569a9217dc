//! Runs the engine demo: `cargo run -p ecscdk-examples --bin engine_demo -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::engine_demo::app()?.run()
}
