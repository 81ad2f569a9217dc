//! Runs the scale app: `STACKS=2 SERVICES=40 cargo run -p ecscdk-examples --bin scale -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::scale::app()?.run()
}
