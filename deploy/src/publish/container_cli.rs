//! The docker-compatible command line that builds and pushes images:
//! which one to run, and the exact arguments the AWS CDK's `cdk-assets`
//! gives it (`@aws-cdk/cdk-assets-lib/lib/private/docker.ts`, bundled in the
//! CDK CLI 2.1148), so an image builds here as it does under `cdk deploy`.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use ecscdk_synth::ImageArtifact;

/// The CLIs tried, in order, when `CDK_DOCKER` is not set.
pub(crate) const CANDIDATES: [&str; 3] = ["docker", "podman", "finch"];

/// How many lines of a failed command's output an error shows.
const TAIL_LINES: usize = 20;

/// Which CLI to run: `CDK_DOCKER` when set (as the CDK reads it), else the
/// first of docker, podman and finch whose `info` succeeds — a docker
/// client without a running engine is passed over.
///
/// Returns the CLI, or every candidate tried with why it was passed over.
pub(crate) fn detect(cdk_docker: Option<OsString>) -> Result<String, Vec<String>> {
    if let Some(cli) = cdk_docker.filter(|c| !c.is_empty()) {
        let cli = cli.to_string_lossy().into_owned();
        return match probe(&cli) {
            Ok(()) => Ok(cli),
            Err(why) => Err(vec![format!("{cli} (from CDK_DOCKER): {why}")]),
        };
    }
    let mut tried = Vec::new();
    for cli in CANDIDATES {
        match probe(cli) {
            Ok(()) => return Ok(cli.to_owned()),
            Err(why) => tried.push(format!("{cli}: {why}")),
        }
    }
    Err(tried)
}

/// Whether `<cli> info` runs and succeeds.
fn probe(cli: &str) -> Result<(), String> {
    match Command::new(cli)
        .arg("info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
    {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stderr);
            let last = text.lines().rev().find(|l| !l.trim().is_empty());
            Err(format!(
                "`{cli} info` failed ({}){}",
                out.status,
                last.map_or_else(String::new, |l| format!(": {}", l.trim()))
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("not installed".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// The local tag an asset is built under (cdk-assets' `cdkasset-<id>`).
pub(crate) fn local_tag(image: &ImageArtifact) -> String {
    format!("cdkasset-{}", image.hash.to_lowercase())
}

/// `build …`, run in the staged build context, in cdk-assets' order.
pub(crate) fn build_args(image: &ImageArtifact) -> Vec<String> {
    let source = &image.source;
    let mut args = vec!["build".to_owned()];
    for (key, value) in &source.build_args {
        args.push("--build-arg".to_owned());
        args.push(format!("{key}={value}"));
    }
    args.push("--tag".to_owned());
    args.push(local_tag(image));
    let mut option = |flag: &str, value: &Option<String>| {
        if let Some(v) = value {
            args.push(flag.to_owned());
            args.push(v.clone());
        }
    };
    option("--target", &source.target);
    option("--file", &source.file);
    option("--network", &source.network_mode);
    option("--platform", &source.platform);
    args.push(".".to_owned());
    args
}

/// A command that ran and failed: its status and the end of its output.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The command line, without secrets.
    pub(crate) command: String,
    /// The exit status, or why it could not start.
    pub(crate) status: String,
    /// The last lines of its output (stdout and stderr, in that order).
    pub(crate) tail: String,
}

/// Runs `cli args…` in `dir`, feeding `input` on stdin, and keeps its
/// output; fails with the output's tail.
pub(crate) fn run(
    cli: &str,
    args: &[String],
    dir: Option<&Path>,
    input: Option<&str>,
) -> Result<String, Failure> {
    let command = format!("{cli} {}", redact(args).join(" "));
    let mut cmd = Command::new(cli);
    cmd.args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Docker Build adds provenance attestations by default, which
        // confuse ECR's image listing (cdk-assets sets the same).
        .env("BUILDX_NO_DEFAULT_ATTESTATIONS", "1");
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let fail = |status: String, tail: String| Failure {
        command: command.clone(),
        status,
        tail,
    };
    let mut child = cmd
        .spawn()
        .map_err(|e| fail(format!("could not start: {e}"), String::new()))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        // A CLI that exits before reading is reported by its status below.
        let _ = stdin.write_all(text.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| fail(format!("could not wait for it: {e}"), String::new()))?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(text)
    } else {
        Err(fail(out.status.to_string(), tail(&text, TAIL_LINES)))
    }
}

/// Build arguments may carry secrets: their values are not shown.
fn redact(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut hide_next = false;
    for a in args {
        if hide_next {
            let key = a.split_once('=').map_or(a.as_str(), |(k, _)| k);
            out.push(format!("{key}=***"));
            hide_next = false;
        } else {
            hide_next = a == "--build-arg";
            out.push(a.clone());
        }
    }
    out
}

/// The last `n` non-empty lines of `text`.
pub(crate) fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecscdk_synth::asset::DockerImageSource;

    fn image(source: DockerImageSource) -> ImageArtifact {
        ImageArtifact {
            hash: "AB12".into(),
            display_name: "Task/web/AssetImage".into(),
            source,
            repository_name: "repo".into(),
            region: None,
            account: None,
        }
    }

    #[test]
    fn builds_with_cdk_assets_arguments_in_its_order() {
        let mut source = DockerImageSource::new("ctx");
        source.build_args.insert("B".into(), "2".into());
        source.build_args.insert("A".into(), "1".into());
        source.target = Some("release".into());
        source.file = Some("sub/Dockerfile".into());
        source.network_mode = Some("host".into());
        source.platform = Some("linux/arm64".into());
        assert_eq!(
            build_args(&image(source)),
            [
                "build",
                "--build-arg",
                "B=2",
                "--build-arg",
                "A=1",
                "--tag",
                "cdkasset-ab12",
                "--target",
                "release",
                "--file",
                "sub/Dockerfile",
                "--network",
                "host",
                "--platform",
                "linux/arm64",
                "."
            ]
        );
        assert_eq!(
            build_args(&image(DockerImageSource::new("ctx"))),
            ["build", "--tag", "cdkasset-ab12", "."]
        );
    }

    #[test]
    fn hides_build_argument_values() {
        let args: Vec<String> = ["build", "--build-arg", "TOKEN=s3cret", "."]
            .map(String::from)
            .into();
        assert_eq!(redact(&args), ["build", "--build-arg", "TOKEN=***", "."]);
    }

    #[test]
    fn keeps_the_last_lines() {
        assert_eq!(tail("a\n\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
        assert_eq!(tail("", 5), "");
    }

    #[test]
    fn a_missing_cli_named_by_cdk_docker_is_reported_as_such() {
        let err = detect(Some("/nonexistent/docker".into())).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(
            err[0].contains("CDK_DOCKER") && err[0].contains("not installed"),
            "{err:?}"
        );
    }

    #[test]
    fn a_cli_whose_info_fails_is_passed_over() {
        // `false info` runs and exits 1, as a docker client without an engine.
        let err = detect(Some("false".into())).unwrap_err();
        assert!(err[0].contains("`false info` failed"), "{err:?}");
    }

    #[test]
    fn a_failed_command_keeps_its_status_and_output() {
        let args: Vec<String> = ["-c", "echo one; echo two >&2; exit 3"]
            .map(String::from)
            .into();
        let err = run("sh", &args, None, None).unwrap_err();
        assert!(err.status.contains('3'), "{}", err.status);
        assert_eq!(err.tail, "one\ntwo");
        let args: Vec<String> = ["-c", "cat"].map(String::from).into();
        assert_eq!(
            run("sh", &args, None, Some("fed")).ok().as_deref(),
            Some("fed")
        );
    }
}
