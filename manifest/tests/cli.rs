//! The `ecscdk` command as a user runs it: `synth -f` writes the same
//! cloud assembly as the Rust example, `list` names the stacks, the file is
//! found without `-f`, errors exit non-zero with the place, and `schema`
//! prints the committed schema.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ecscdk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecscdk"))
        .args(args)
        .current_dir(dir)
        // No credentials: nothing may need them for synth and list.
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

#[test]
fn synth_writes_the_template_of_the_rust_example() {
    let out = tempfile::tempdir().unwrap();
    let output = ecscdk(
        &examples(),
        &[
            "synth",
            "-f",
            "src/web.yaml",
            "--output",
            out.path().to_str().unwrap(),
            "--quiet",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(out.path().join("Web.template.json")).unwrap();
    let expected = ecscdk_examples::web::app()
        .unwrap()
        .context_file(examples().join("cdk.context.json"))
        .synth()
        .unwrap();
    assert!(written == expected.stack("Web").unwrap().template);
    assert!(out.path().join("manifest.json").is_file());
}

#[test]
fn list_names_the_stacks_and_takes_f_before_the_command() {
    let output = ecscdk(
        &examples(),
        &["-f", "src/service_connect_pair.yaml", "list"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "ServiceConnect"
    );
}

#[test]
fn finds_ecscdk_yaml_in_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ecscdk.yaml"),
        "stacks:\n  Only:\n    vpc: { max_azs: 2 }\n",
    )
    .unwrap();
    let output = ecscdk(dir.path(), &["list"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "Only");
}

#[test]
fn a_bad_manifest_fails_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.toml"), "[stacks.A.vpc]\nmax_az = 2\n").unwrap();
    let output = ecscdk(dir.path(), &["synth", "-f", "app.toml"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("app.toml:2:1: stacks.A.vpc.max_az: unknown field `max_az`"),
        "{stderr}"
    );
}

#[test]
fn no_manifest_is_an_error_that_says_what_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    let output = ecscdk(dir.path(), &["synth"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("pass one with -f FILE"));
}

#[test]
fn an_unknown_command_is_the_apps_usage_error() {
    let output = ecscdk(&examples(), &["-f", "src/web.yaml", "deplyo"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("deplyo"));
}

#[test]
fn schema_prints_the_committed_schema() {
    let output = ecscdk(&examples(), &["schema"]);
    assert!(output.status.success());
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ecscdk.schema.json"))
            .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout) == committed);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn import_copilot_writes_a_manifest_and_a_program_that_build() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/copilot/ws1"),
        &ws,
    );
    let output = ecscdk(
        dir.path(),
        &["import", "copilot", "ws", "--rust", "ws/main.rs"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("wrote ws/ecscdk.yaml") && stderr.contains("wrote ws/main.rs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("copilot/api/manifest.yml: http.path"),
        "{stderr}"
    );
    let program = std::fs::read_to_string(ws.join("main.rs")).unwrap();
    assert!(
        program.contains("fn main() -> ecscdk::cli::Result<()>"),
        "{program}"
    );

    let listed = ecscdk(&ws, &["list"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let stacks = String::from_utf8_lossy(&listed.stdout);
    assert!(
        stacks.contains("shopfront-test") && stacks.contains("shopfront-prod"),
        "{stacks}"
    );

    // An existing manifest is not overwritten without --force.
    let again = ecscdk(dir.path(), &["import", "copilot", "ws"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("pass --force"));
    let forced = ecscdk(dir.path(), &["import", "copilot", "ws", "--force"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
}
