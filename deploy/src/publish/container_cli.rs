//! The docker-compatible command line that builds and pushes images:
//! which one to run, and the exact arguments the AWS CDK's `cdk-assets`
//! gives it (`@aws-cdk/cdk-assets-lib/lib/private/docker.ts`, bundled in the
//! CDK CLI 2.1148), so an image builds here as it does under `cdk deploy`.

use std::ffi::{OsStr, OsString};
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
/// client without a running engine is passed over. `path` is the `PATH`
/// the names are looked up in (the process's own, passed in so that tests
/// can give theirs).
///
/// Returns the CLI, or every candidate tried with why it was passed over.
pub(crate) fn detect(
    cdk_docker: Option<OsString>,
    path: Option<&OsStr>,
) -> Result<String, Vec<String>> {
    if let Some(cli) = cdk_docker.filter(|c| !c.is_empty()) {
        let cli = cli.to_string_lossy().into_owned();
        return match probe(&cli, path) {
            Ok(()) => Ok(cli),
            Err(why) => Err(vec![format!("{cli} (from CDK_DOCKER): {why}")]),
        };
    }
    let mut tried = Vec::new();
    for cli in CANDIDATES {
        match probe(cli, path) {
            Ok(()) => return Ok(cli.to_owned()),
            Err(why) => tried.push(format!("{cli}: {why}")),
        }
    }
    Err(tried)
}

/// Whether `<cli> info` runs and succeeds, `cli` looked up in `path`.
fn probe(cli: &str, path: Option<&OsStr>) -> Result<(), String> {
    let mut command = Command::new(cli);
    if let Some(p) = path {
        // On Unix a PATH set on the command is the one its name is
        // looked up in.
        command.env("PATH", p);
    }
    match command
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

/// The registry host to log in to: ECR's `proxyEndpoint` without its
/// scheme and trailing slash, as cdk-assets strips it
/// (`endpoint.replace(/^https?:\/\/|\/$/g, "")`).
pub(crate) fn registry_host(proxy_endpoint: &str) -> &str {
    let host = proxy_endpoint
        .strip_prefix("https://")
        .or_else(|| proxy_endpoint.strip_prefix("http://"))
        .unwrap_or(proxy_endpoint);
    host.strip_suffix('/').unwrap_or(host)
}

/// `login --username <user> --password-stdin <registry>`: cdk-assets'
/// login; the password goes on stdin, never on the command line.
pub(crate) fn login_args(user: &str, registry: &str) -> Vec<String> {
    ["login", "--username", user, "--password-stdin", registry]
        .map(str::to_owned)
        .into()
}

/// `tag <local> <remote>`: the built image under its repository URI.
pub(crate) fn tag_args(local: &str, remote: &str) -> Vec<String> {
    ["tag", local, remote].map(str::to_owned).into()
}

/// `push <remote>`.
pub(crate) fn push_args(remote: &str) -> Vec<String> {
    ["push", remote].map(str::to_owned).into()
}

/// `inspect <local>`: whether the image was built already (cdk-assets'
/// `exists`, which skips the build).
pub(crate) fn inspect_args(local: &str) -> Vec<String> {
    ["inspect", local].map(str::to_owned).into()
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

    /// A `PATH` of one folder holding the named CLIs, each a link to
    /// `true` (its `info` succeeds) or `false` (fails, as a docker client
    /// without an engine). Links, not scripts: a script just written can
    /// fail to run (ETXTBSY) while another test thread forks.
    fn fake_path(clis: &[(&str, bool)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, works) in clis {
            let target = if *works {
                "/usr/bin/true"
            } else {
                "/usr/bin/false"
            };
            std::os::unix::fs::symlink(target, dir.path().join(name)).unwrap();
        }
        dir
    }

    #[test]
    fn detection_passes_over_a_docker_whose_info_fails() {
        let dir = fake_path(&[("docker", false), ("podman", true), ("finch", true)]);
        assert_eq!(
            detect(None, Some(dir.path().as_os_str())).as_deref(),
            Ok("podman")
        );
        let dir = fake_path(&[("docker", false), ("podman", false), ("finch", true)]);
        assert_eq!(
            detect(None, Some(dir.path().as_os_str())).as_deref(),
            Ok("finch")
        );
        let dir = fake_path(&[("docker", true), ("podman", true)]);
        assert_eq!(
            detect(None, Some(dir.path().as_os_str())).as_deref(),
            Ok("docker")
        );
        // An empty CDK_DOCKER counts as unset.
        let dir = fake_path(&[("podman", true)]);
        assert_eq!(
            detect(Some("".into()), Some(dir.path().as_os_str())).as_deref(),
            Ok("podman")
        );
    }

    #[test]
    fn detection_without_any_cli_lists_each_one_tried() {
        let dir = fake_path(&[("docker", false)]);
        let err = detect(None, Some(dir.path().as_os_str())).unwrap_err();
        assert_eq!(err.len(), 3, "{err:?}");
        assert!(
            err[0].starts_with("docker: `docker info` failed"),
            "{err:?}"
        );
        assert_eq!(err[1], "podman: not installed");
        assert_eq!(err[2], "finch: not installed");
    }

    #[test]
    fn cdk_docker_is_used_as_named_and_never_replaced() {
        let dir = fake_path(&[("docker", true), ("podman", false)]);
        let path = Some(dir.path().as_os_str());
        let err = detect(Some("/nonexistent/docker".into()), path).unwrap_err();
        assert_eq!(
            err,
            ["/nonexistent/docker (from CDK_DOCKER): not installed"]
        );
        // A named CLI whose info fails is an error, not a reason to fall
        // back on another.
        let err = detect(Some("podman".into()), path).unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(
            err[0].starts_with("podman (from CDK_DOCKER): `podman info` failed"),
            "{err:?}"
        );
        // A path outside PATH.
        let other = fake_path(&[("my-docker", true)]);
        let named = other.path().join("my-docker").display().to_string();
        assert_eq!(detect(Some(named.clone().into()), path), Ok(named));
    }

    #[test]
    fn logs_in_tags_and_pushes_with_cdk_assets_arguments() {
        let registry = registry_host("https://123456789012.dkr.ecr.us-east-1.amazonaws.com");
        assert_eq!(registry, "123456789012.dkr.ecr.us-east-1.amazonaws.com");
        assert_eq!(registry_host("http://localhost:5000/"), "localhost:5000");
        assert_eq!(registry_host("example.com"), "example.com");
        assert_eq!(
            login_args("AWS", registry),
            [
                "login",
                "--username",
                "AWS",
                "--password-stdin",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com"
            ]
        );
        let remote = "123456789012.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-us-east-1:ab12";
        assert_eq!(inspect_args("cdkasset-ab12"), ["inspect", "cdkasset-ab12"]);
        assert_eq!(
            tag_args("cdkasset-ab12", remote),
            ["tag", "cdkasset-ab12", remote]
        );
        assert_eq!(push_args(remote), ["push", remote]);
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
