//! Runs the `https_web` example:
//! `cargo run -p ecscdk-examples --bin https_web -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::https_web::app()?.run()
}
