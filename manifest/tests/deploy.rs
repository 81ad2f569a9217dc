//! The `ecscdk` command deploys, diffs and destroys a manifest's stacks
//! against the moto server `scripts/test` starts (`ECSCDK_MOTO_ENDPOINT`),
//! over real HTTP, exactly as `cargo run -- deploy` of a Rust program does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;
use std::process::{Command, Output};

fn endpoint() -> String {
    std::env::var("ECSCDK_MOTO_ENDPOINT").expect(
        "ECSCDK_MOTO_ENDPOINT is not set: these tests need a moto server; run them through scripts/test",
    )
}

fn ecscdk(dir: &Path, args: &[&str]) -> Output {
    let endpoint = endpoint();
    let output = Command::new(env!("CARGO_BIN_EXE_ecscdk"))
        .args(args)
        .args(["--endpoint-url", &endpoint, "--region", "us-east-1"])
        .current_dir(dir)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "ecscdk {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The stack's status as CloudFormation (moto) reports it, read with the
/// SDK rather than through ecscdk.
fn status(stack: &str) -> Option<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = aws_sdk_cloudformation::Config::builder()
        .behavior_version(aws_sdk_cloudformation::config::BehaviorVersion::latest())
        .region(aws_sdk_cloudformation::config::Region::new("us-east-1"))
        .endpoint_url(endpoint())
        .credentials_provider(aws_sdk_cloudformation::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .build();
    let client = aws_sdk_cloudformation::Client::from_conf(config);
    let stacks = rt
        .block_on(client.describe_stacks().stack_name(stack).send())
        .ok()?;
    stacks
        .stacks()
        .first()
        .and_then(|s| s.stack_status())
        .map(|s| s.as_str().to_owned())
        .filter(|s| s != "DELETE_COMPLETE")
}

// A topic and its key: resources moto creates at once (a VPC's
// restrict-default-security-group custom resource would wait for a Lambda
// function moto cannot run).
const MANIFEST: &str = "\
stacks:
  ManifestTopic:
    description: a manifest deployed by the ecscdk command
    topics:
      Alerts: { display_name: alerts }
";

#[test]
#[ignore = "needs the moto server of scripts/test"]
fn deploys_diffs_and_destroys_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ecscdk.yaml");
    std::fs::write(&file, MANIFEST).unwrap();

    ecscdk(dir.path(), &["deploy", "--method", "direct"]);
    assert_eq!(status("ManifestTopic").as_deref(), Some("CREATE_COMPLETE"));

    let unchanged = ecscdk(dir.path(), &["diff"]);
    let text = String::from_utf8_lossy(&unchanged.stdout);
    assert!(text.contains("There were no differences"), "{text}");

    std::fs::write(
        &file,
        MANIFEST.replace("display_name: alerts", "display_name: pager"),
    )
    .unwrap();
    let changed = ecscdk(dir.path(), &["diff"]);
    let text = String::from_utf8_lossy(&changed.stdout);
    assert!(
        text.contains("[~] AWS::SNS::Topic Alerts91F83244"),
        "{text}"
    );
    assert!(text.contains("+ \"pager\""), "{text}");

    ecscdk(dir.path(), &["destroy", "--force"]);
    assert_eq!(status("ManifestTopic"), None);
}
