//! Runs the queue worker: `cargo run -p ecscdk-examples --bin queue_worker -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::queue_worker::app()?.run()
}
