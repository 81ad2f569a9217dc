//! Runs the flagship: `cargo run -p ecscdk-examples --bin web -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::web::app()?.run()
}
