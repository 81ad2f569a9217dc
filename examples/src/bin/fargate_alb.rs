//! Runs the port of the CDK's fargate-alb app:
//! `cargo run -p ecscdk-examples --bin fargate_alb -- synth`.

fn main() -> ecscdk::Result<()> {
    ecscdk_examples::fargate_alb::app()?.run()
}
