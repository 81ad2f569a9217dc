//! Runs the managed_instances app: `cargo run -p ecscdk-examples --bin managed_instances -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::managed_instances::app()?.run()
}
