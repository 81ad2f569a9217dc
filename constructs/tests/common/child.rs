//! An app's command line in a child process, as users run it: the test
//! binary starts itself again with `--exact <test>`, and that test becomes
//! the app's `main` when the variable naming the app is set (else it passes
//! at once, so it never counts as a test of its own).

use std::process::Command;

use ecscdk::App;
use ecscdk::cli::Run;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The body of the child test: when `var` is set, reads the app's spec from
/// it, builds the app and its arguments with `build`, runs the command line
/// and exits as `fn main() -> ecscdk::cli::Result<()>` does (status 1 and
/// `Error: …` on stderr for an error). Returns when `var` is not set.
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
pub fn run_if_child<S: DeserializeOwned>(var: &str, build: impl FnOnce(S) -> (App, Vec<String>)) {
    let Ok(spec) = std::env::var(var) else {
        return;
    };
    let spec: S = serde_json::from_str(&spec).expect("the child's spec is JSON");
    let (app, args) = build(spec);
    let args = std::iter::once("app").chain(args.iter().map(String::as_str));
    match app.run_with_args(args) {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("Error: {e:?}");
            std::process::exit(1);
        }
    }
}

/// A command that runs this test binary's test `test` alone, with `spec`
/// in the variable `var`: the child of [`run_if_child`]. `env` adjusts the
/// environment first (even `env_clear` keeps `var`).
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
pub fn command(
    test: &str,
    var: &str,
    spec: &impl Serialize,
    env: impl FnOnce(&mut Command),
) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
    command.args([
        "--exact",
        test,
        "--nocapture",
        "--quiet",
        "--test-threads=1",
    ]);
    env(&mut command);
    command.env(
        var,
        serde_json::to_string(spec).expect("the spec serializes"),
    );
    command
}
