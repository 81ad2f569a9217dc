//! The command line every app gets (`app.run()`): synth and list, the
//! errors it returns instead of exiting. Deploy-side commands are tested
//! against moto in `deploy.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::cli::Error;
use ecscdk::prelude::*;

fn one_stack_app() -> App {
    let mut app = App::new();
    let mut s = Stack::new("One");
    s.output("O", "v").unwrap();
    app.add(s).unwrap();
    app
}

#[test]
fn the_cli_prints_one_template_as_json_or_yaml() {
    let app = one_stack_app();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    app.run_with_args(["prog", "synth", "--yaml", "-o", out.to_str().unwrap()])
        .unwrap();
    assert!(out.join("One.template.json").exists());
    assert!(out.join("manifest.json").exists());
    app.run_with_args(["prog", "list", "--long"]).unwrap();
}

#[test]
fn rejects_an_unknown_stack_on_the_command_line() {
    let mut app = App::new();
    app.add(Stack::new("Web")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let err = app
        .run_with_args(["prog", "synth", "Nope", "-q", "-o", out.to_str().unwrap()])
        .unwrap_err();
    assert!(matches!(&err, Error::UnknownStack { name, .. } if name == "Nope"));
    insta::assert_snapshot!(err, @r#"no stack named "Nope" in this app; the app has: Web"#);
}

#[test]
fn a_usage_error_is_returned_not_exited() {
    let err = one_stack_app()
        .run_with_args(["prog", "synthesize-everything"])
        .unwrap_err();
    match &err {
        Error::Usage(e) => assert_eq!(e.kind(), clap::error::ErrorKind::InvalidSubcommand),
        other => panic!("expected a usage error, got {other}"),
    }
    assert!(err.to_string().contains("synthesize-everything"), "{err}");
}

#[test]
fn help_is_returned_as_a_usage_error_with_the_text() {
    let err = one_stack_app()
        .run_with_args(["prog", "--help"])
        .unwrap_err();
    assert!(
        matches!(&err, Error::Usage(e) if e.kind() == clap::error::ErrorKind::DisplayHelp),
        "{err}"
    );
    assert!(err.to_string().contains("synth"), "{err}");
}

/// A stack `Warned` whose topic carries one warning.
fn warned_app() -> App {
    let mut app = App::new();
    let mut s = Stack::new("Warned");
    let topic = s
        .add(s.root(), "Topic", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    s.add_warning(topic.node(), "demo:topic", "this topic is only an example");
    app.add(s).unwrap();
    app
}

#[test]
fn warnings_reach_the_manifest_as_the_cdk_writes_them() {
    let app = warned_app();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    app.run_with_args(["prog", "synth", "-q", "-o", out.to_str().unwrap()])
        .unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["artifacts"]["Warned"]["metadata"],
        serde_json::json!({"/Warned/Topic": [
            {"type": "aws:cdk:warning", "data": "this topic is only an example [ack: demo:topic]"}
        ]})
    );
}

#[test]
fn strict_fails_on_a_warning_before_writing_the_assembly() {
    let app = warned_app();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let err = app
        .run_with_args([
            "prog",
            "synth",
            "-q",
            "--strict",
            "-o",
            out.to_str().unwrap(),
        ])
        .unwrap_err();
    assert!(matches!(&err, Error::Strict { count: 1 }), "{err}");
    assert!(!out.exists());
    insta::assert_snapshot!(err, @"1 warning(s), printed above, and --strict: address them, or run without --strict");
}

/// The fail-fast thresholds are checked before anything is synthesized or
/// deployed: at least one stopped task, and a duration that parses.
#[cfg(feature = "deploy")]
#[test]
fn fail_fast_thresholds_are_checked_on_the_command_line() {
    for (option, value) in [
        ("--fail-after-stopped-tasks", "0"),
        ("--fail-after-unplaceable", "soon"),
    ] {
        let err = one_stack_app()
            .run_with_args(["prog", "deploy", option, value])
            .unwrap_err();
        match &err {
            Error::Usage(e) => assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation),
            other => panic!("expected a usage error, got {other}"),
        }
        assert!(err.to_string().contains(option), "{err}");
    }
    let help = one_stack_app()
        .run_with_args(["prog", "deploy", "--help"])
        .unwrap_err()
        .to_string();
    for option in [
        "--no-fail-fast",
        "--fail-after-stopped-tasks <N>",
        "--fail-after-unplaceable <DURATION>",
    ] {
        assert!(help.contains(option), "{help}");
    }
}
