//! Runs the `service_connect_pair` example:
//! `cargo run -p ecscdk-examples --bin service_connect_pair -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::service_connect_pair::app()?.run()
}
