//! Runs the ECS Anywhere app: `cargo run -p ecscdk-examples --bin anywhere -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::anywhere::app()?.run()
}
