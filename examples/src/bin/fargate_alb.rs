//! Runs the port of the CDK's fargate-alb app:
//! `cargo run -p ecscdk-examples --bin fargate_alb -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::fargate_alb::app()?.run()
}
