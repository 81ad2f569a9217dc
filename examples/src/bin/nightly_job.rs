//! Runs the nightly job: `cargo run -p ecscdk-examples --bin nightly_job -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::nightly_job::app()?.run()
}
