//! Runs the `https_web` example:
//! `cargo run -p ecscdk-examples --bin https_web -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::https_web::app()?.run()
}
