//! Deploy wall time against a local moto server: the scale app's stacks
//! (as moto can deploy them) created one stack at a time and four at a
//! time. Runs when `ECSCDK_MOTO_ENDPOINT` names the server. Destroy is not
//! timed: moto fails to delete these stacks (it deletes a VPC before the
//! resources in it).

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
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_string_lossy().into_owned();
    println!("\ndeploy to moto at {endpoint}: {stacks} x {services}, stacks created");
    for concurrency in ["1", "4"] {
        // Stacks of their own each time: moto cannot delete them (it
        // deletes a VPC before what is in it), and an update with no
        // changes would time nothing.
        let prefix = format!("Bench{}C{concurrency}S", std::process::id());
        let app = ecscdk_examples::scale::app_for_moto(&prefix, stacks, services).unwrap();
        // The staging bucket the templates (over 51,200 bytes) go through.
        run(&app, &endpoint, &["bootstrap"]);
        let start = Instant::now();
        run(
            &app,
            &endpoint,
            &["deploy", "--concurrency", concurrency, "--output", &out],
        );
        println!(
            "--concurrency {concurrency}  deploy {:>6.1} s",
            start.elapsed().as_secs_f64()
        );
    }
}
