//! Runs the EC2 services app: `cargo run -p ecscdk-examples --bin ec2_services -- synth`.

use ecscdk::cli::Run;

fn main() -> ecscdk::cli::Result<()> {
    ecscdk_examples::ec2_services::app()?.run()
}
