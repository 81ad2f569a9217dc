//! Runs the managed_instances app: `cargo run -p ecscdk-examples --bin managed_instances -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::managed_instances::app()?.run()
}
