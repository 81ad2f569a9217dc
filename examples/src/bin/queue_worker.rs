//! Runs the queue worker: `cargo run -p ecscdk-examples --bin queue_worker -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::queue_worker::app()?.run()
}
