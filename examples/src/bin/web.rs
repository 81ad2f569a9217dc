//! Runs the flagship: `cargo run -p ecscdk-examples --bin web -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::web::app()?.run()
}
