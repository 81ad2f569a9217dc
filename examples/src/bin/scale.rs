//! Runs the scale app: `STACKS=2 SERVICES=40 cargo run -p ecscdk-examples --bin scale -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::scale::app()?.run()
}
