//! Runs the image-from-source example:
//! `cargo run -p ecscdk-examples --bin image_service -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::image_service::app()?.run()
}
