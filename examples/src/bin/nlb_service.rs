//! Runs the `nlb_service` example:
//! `cargo run -p ecscdk-examples --bin nlb_service -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::nlb_service::app()?.run()
}
