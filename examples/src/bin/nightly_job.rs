//! Runs the nightly job: `cargo run -p ecscdk-examples --bin nightly_job -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::nightly_job::app()?.run()
}
