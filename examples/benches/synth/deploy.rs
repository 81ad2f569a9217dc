//! Deploy wall time against a local moto server: the scale app's stacks
//! (as moto can deploy them) deployed, then destroyed, one stack at a time
//! and four at a time. Runs when `ECSCDK_MOTO_ENDPOINT` names the server.

use std::time::Instant;

use ecscdk::cli::Run;

/// The size deployed.
const SIZE: (usize, usize) = (20, 40);

/// Runs the app's command line against moto.
fn run(app: &ecscdk::App, endpoint: &str, args: &[&str]) {
    let mut argv = vec!["scale"];
    argv.extend_from_slice(args);
    argv.extend(["--endpoint-url", endpoint, "--region", "us-east-1"]);
    app.run_with_args(argv).unwrap();
}

pub(crate) fn run_all() {
    let Ok(endpoint) = std::env::var("ECSCDK_MOTO_ENDPOINT") else {
        println!(
            "\ndeploy: not measured (set ECSCDK_MOTO_ENDPOINT to a moto server, as scripts/test does)"
        );
        return;
    };
    let (stacks, services) = SIZE;
    let app = ecscdk_examples::scale::app_for_moto(stacks, services).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_string_lossy().into_owned();
    println!("\ndeploy to moto at {endpoint}: {stacks} x {services}, then destroy");
    // Left over from an earlier run against the same server.
    run(
        &app,
        &endpoint,
        &["destroy", "--force", "--concurrency", "4"],
    );
    for concurrency in ["1", "4"] {
        let start = Instant::now();
        run(
            &app,
            &endpoint,
            &["deploy", "--concurrency", concurrency, "--output", &out],
        );
        let deployed = start.elapsed();
        let start = Instant::now();
        run(
            &app,
            &endpoint,
            &["destroy", "--force", "--concurrency", concurrency],
        );
        println!(
            "--concurrency {concurrency}  deploy {:>6.1} s  destroy {:>6.1} s",
            deployed.as_secs_f64(),
            start.elapsed().as_secs_f64()
        );
    }
}
