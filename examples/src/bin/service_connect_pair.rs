//! Runs the `service_connect_pair` example:
//! `cargo run -p ecscdk-examples --bin service_connect_pair -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::service_connect_pair::app()?.run()
}
