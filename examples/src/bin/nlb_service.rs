//! Runs the `nlb_service` example:
//! `cargo run -p ecscdk-examples --bin nlb_service -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::nlb_service::app()?.run()
}
