//! Image assets published by `deploy`, for real: built from a Dockerfile
//! with podman, pushed to a registry, the stack deployed to moto afterwards.
//!
//! `scripts/test` runs these with `--include-ignored` under
//! `scripts/registry-env` (a private mount namespace where moto's ECR host
//! names lead to local `docker-registry` servers: read-write for us-east-1,
//! read-only for eu-west-1; `CDK_DOCKER=podman`) and with
//! `ECSCDK_MOTO_ENDPOINT` set; without them they fail instead of passing.
//! Nothing comes from the internet: the images are `FROM scratch`.
//!
//! moto implements ECR's API but is not a registry: the test tells it about
//! a pushed image with `PutImage` of the manifest the registry holds, as ECR
//! would know it (there, the API and the registry are one service).
//!
//! Each test runs the app as a child process (this binary again, running
//! `publish_child`), so that it has its own environment (`CDK_DOCKER`) and
//! its exit status and output are those a user sees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use ecscdk::ecs::{Container, ContainerImage, FargateTaskDefinition};
use ecscdk::prelude::*;

mod common;

/// The variable that turns `publish_child` into an app's `main`.
const CHILD: &str = "ECSCDK_PUBLISH_TEST_CHILD";

fn endpoint() -> String {
    std::env::var("ECSCDK_MOTO_ENDPOINT").expect(
        "ECSCDK_MOTO_ENDPOINT is not set: these tests need a moto server; run them through scripts/test",
    )
}

fn registry() -> String {
    std::env::var("ECSCDK_TEST_REGISTRY").expect(
        "ECSCDK_TEST_REGISTRY is not set: these tests need scripts/registry-env; run them through scripts/test",
    )
}

/// One stack of the app the children run.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct StackSpec {
    name: String,
    /// The account of its environment, moto's 123456789012 unless a test
    /// says otherwise.
    account: String,
    /// In `account`/`region`; `None`: environment-agnostic.
    region: Option<String>,
    /// The container's image is built from this context; `None`: a
    /// registry image, nothing to publish.
    context: Option<PathBuf>,
}

impl StackSpec {
    fn new(name: &str, region: &str, context: &Path) -> Self {
        Self {
            name: name.to_owned(),
            account: "123456789012".to_owned(),
            region: Some(region.to_owned()),
            context: Some(context.to_owned()),
        }
    }
}

/// The app the children run: per stack, a Fargate task definition whose
/// container's image is built from the stack's context.
fn image_app(stacks: &[StackSpec]) -> App {
    let mut app = App::new();
    for spec in stacks {
        let mut s = Stack::new(spec.name.as_str());
        if let Some(region) = &spec.region {
            s = s.env(Env::new(spec.account.as_str(), region.as_str()));
        }
        let image = match &spec.context {
            Some(context) => ContainerImage::from_asset(context),
            None => ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
        };
        let task = FargateTaskDefinition::builder("Task")
            .container(Container::builder("web", image))
            .build(&mut s)
            .unwrap();
        s.output("TaskDefinition", task.arn()).unwrap();
        app.add(s).unwrap();
    }
    app
}

/// Not a test of its own: the `main` of the child processes.
#[test]
fn publish_child() {
    common::child::run_if_child(CHILD, |(stacks, args): (Vec<StackSpec>, Vec<String>)| {
        (image_app(&stacks), args)
    });
}

/// How a child ended.
#[derive(Debug)]
struct Finished {
    code: Option<i32>,
    stderr: String,
}

/// Runs `args` on the one-stack image app in a child, against moto.
fn run_app(
    stack: &str,
    region: &str,
    context: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Finished {
    run_stacks(&[StackSpec::new(stack, region, context)], args, env)
}

/// Runs `args` on the image app of `stacks` in a child, against moto.
fn run_stacks(stacks: &[StackSpec], args: &[&str], env: &[(&str, &str)]) -> Finished {
    let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    args.extend(["--endpoint-url".to_owned(), endpoint()]);
    let spec = (stacks, args);
    let mut command = common::child::command("publish_child", CHILD, &spec, |c| {
        c.envs(env.iter().copied());
    });
    let out = command.output().unwrap();
    Finished {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `name` and a suffix of this run: moto may be reused by the next run,
/// whose stacks must be new to it too.
fn unique(name: &str) -> String {
    static RUN: OnceLock<String> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        format!("{}x{nanos}", std::process::id())
    });
    format!("{name}{run}")
}

/// One test at a time: they share the registries and podman's storage.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `bootstrap` in us-east-1 and eu-west-1, once: the toolkit stack with the
/// container-asset repository.
fn bootstrapped() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let (_dir, context) = context(DOCKERFILE);
        for region in ["us-east-1", "eu-west-1"] {
            let done = run_app(
                "Bootstrap",
                region,
                &context,
                &["bootstrap", "--region", region],
                &[],
            );
            assert_eq!(done.code, Some(0), "{done:#?}");
            assert!(done.stderr.contains("image asset repository"), "{done:#?}");
        }
    });
}

/// A build context: a `FROM scratch` Dockerfile copying a file whose text is
/// unique to this run, so its tag is new to the registry and to moto.
fn context(dockerfile: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let context = dir.path().join("image");
    std::fs::create_dir(&context).unwrap();
    std::fs::write(context.join("Dockerfile"), dockerfile).unwrap();
    let nonce = format!("{} {:?}", std::process::id(), std::time::SystemTime::now());
    std::fs::write(context.join("hello.txt"), nonce).unwrap();
    (dir, context)
}

const DOCKERFILE: &str = "FROM scratch\nCOPY hello.txt /hello.txt\n";

/// The image hash synth gave the stack's one image.
fn image_hash(out: &Path, stack: &str) -> String {
    let text = std::fs::read_to_string(out.join(format!("{stack}.assets.json"))).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let images = manifest["dockerImages"].as_object().unwrap();
    assert_eq!(images.len(), 1, "{manifest:#}");
    images.keys().next().unwrap().clone()
}

/// `GET /v2/<repo>/manifests/<tag>` on the local registry: the status, the
/// digest header and the body.
fn registry_manifest(repository: &str, tag: &str) -> (u16, Option<String>, String) {
    let base = registry();
    let host = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /v2/{repository}/manifests/{tag} HTTP/1.1\r\nHost: {host}\r\n\
         Accept: application/vnd.oci.image.manifest.v1+json\r\n\
         Accept: application/vnd.docker.distribution.manifest.v2+json\r\n\
         Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let digest = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("docker-content-digest")
            .then(|| v.trim().to_owned())
    });
    (status, digest, body.to_owned())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn credentials() -> aws_sdk_cloudformation::config::Credentials {
    aws_sdk_cloudformation::config::Credentials::new("testing", "testing", None, None, "test")
}

/// The stack's status in moto, `None` when it does not exist.
fn stack_status(name: &str, region: &str) -> Option<String> {
    let config = aws_sdk_cloudformation::Config::builder()
        .behavior_version(aws_sdk_cloudformation::config::BehaviorVersion::latest())
        .region(aws_sdk_cloudformation::config::Region::new(
            region.to_owned(),
        ))
        .endpoint_url(endpoint())
        .credentials_provider(credentials())
        .build();
    let cfn = aws_sdk_cloudformation::Client::from_conf(config);
    runtime().block_on(async {
        cfn.describe_stacks()
            .stack_name(name)
            .send()
            .await
            .ok()?
            .stacks()
            .first()?
            .stack_status()
            .map(|s| s.as_str().to_owned())
    })
}

fn cloudformation(region: &str) -> aws_sdk_cloudformation::Client {
    let config = aws_sdk_cloudformation::Config::builder()
        .behavior_version(aws_sdk_cloudformation::config::BehaviorVersion::latest())
        .region(aws_sdk_cloudformation::config::Region::new(
            region.to_owned(),
        ))
        .endpoint_url(endpoint())
        .credentials_provider(credentials())
        .build();
    aws_sdk_cloudformation::Client::from_conf(config)
}

fn ecr(region: &str) -> aws_sdk_ecr::Client {
    let config = aws_sdk_ecr::Config::builder()
        .behavior_version(aws_sdk_ecr::config::BehaviorVersion::latest())
        .region(aws_sdk_ecr::config::Region::new(region.to_owned()))
        .endpoint_url(endpoint())
        .credentials_provider(credentials())
        .build();
    aws_sdk_ecr::Client::from_conf(config)
}

/// The logical IDs of the toolkit stack's resources in `region`.
fn toolkit_resources(region: &str) -> Vec<String> {
    let out = runtime()
        .block_on(
            cloudformation(region)
                .describe_stack_resources()
                .stack_name("EcscdkToolkit")
                .send(),
        )
        .unwrap();
    out.stack_resources()
        .iter()
        .filter_map(|r| r.logical_resource_id().map(str::to_owned))
        .collect()
}

/// Tells moto's ECR about an image the registry holds (see the module docs).
fn put_image_in_moto(repository: &str, tag: &str, manifest: &str) {
    let ecr = ecr("us-east-1");
    runtime()
        .block_on(
            ecr.put_image()
                .repository_name(repository)
                .image_tag(tag)
                .image_manifest(manifest)
                .send(),
        )
        .unwrap();
}

const REPOSITORY: &str = "cdk-hnb659fds-container-assets-123456789012-us-east-1";

#[test]
#[ignore = "needs moto and the local registries; run through scripts/test"]
fn an_image_is_built_pushed_and_deployed_then_skipped_the_next_time() {
    let _serial = serial();
    bootstrapped();
    let (dir, context) = context(DOCKERFILE);
    let out = dir.path().join("cdk.out");
    let out_arg = out.display().to_string();
    let deploy = ["deploy", "--method", "direct", "--output", out_arg.as_str()];
    let stack = unique("ImagePublish");

    let first = run_app(&stack, "us-east-1", &context, &deploy, &[]);
    assert_eq!(first.code, Some(0), "{first:#?}");
    assert!(
        first.stderr.contains(&format!(
            "{stack}/Task/web/AssetImage: published 123456789012.dkr.ecr.us-east-1.amazonaws.com/"
        )),
        "{first:#?}"
    );
    let hash = image_hash(&out, &stack);
    let (status, digest, manifest) = registry_manifest(REPOSITORY, &hash);
    assert_eq!(status, 200, "{manifest}");
    assert!(
        digest.as_deref().is_some_and(|d| d.starts_with("sha256:")),
        "{digest:?}"
    );
    assert_eq!(
        stack_status(&stack, "us-east-1").as_deref(),
        Some("CREATE_COMPLETE")
    );

    put_image_in_moto(REPOSITORY, &hash, &manifest);
    // No CLI at all: the deploy can only succeed by finding the tag.
    let second = run_app(
        &stack,
        "us-east-1",
        &context,
        &deploy,
        &[("CDK_DOCKER", "/nonexistent/docker")],
    );
    assert_eq!(second.code, Some(0), "{second:#?}");
    assert!(
        second
            .stderr
            .contains(&format!("{stack}/Task/web/AssetImage: already published")),
        "{second:#?}"
    );
}

#[test]
#[ignore = "needs moto and the local registries; run through scripts/test"]
fn a_failing_build_names_the_asset_shows_the_output_and_deploys_nothing() {
    let _serial = serial();
    bootstrapped();
    let (dir, context) = context("FROM scratch\nCOPY missing.txt /missing.txt\n");
    let out = dir.path().join("cdk.out").display().to_string();
    let stack = unique("ImageBroken");
    let done = run_app(
        &stack,
        "us-east-1",
        &context,
        &["deploy", "--output", out.as_str()],
        &[],
    );
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(
        done.stderr
            .contains(&format!("[{stack}/Task/web/AssetImage] `podman build")),
        "{done:#?}"
    );
    assert!(done.stderr.contains("missing.txt"), "{done:#?}");
    assert!(done.stderr.contains("nothing was deployed"), "{done:#?}");
    assert_eq!(stack_status(&stack, "us-east-1"), None);
}

#[test]
#[ignore = "needs moto and the local registries; run through scripts/test"]
fn a_push_the_registry_refuses_fails_before_the_stack() {
    let _serial = serial();
    bootstrapped();
    let (dir, context) = context(DOCKERFILE);
    let out = dir.path().join("cdk.out").display().to_string();
    // eu-west-1's registry is read-only (scripts/registry-env).
    let stack = unique("ImageDenied");
    let done = run_app(
        &stack,
        "eu-west-1",
        &context,
        &["deploy", "--output", out.as_str()],
        &[],
    );
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(
        done.stderr
            .contains(&format!("[{stack}/Task/web/AssetImage] `podman push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/")),
        "{done:#?}"
    );
    assert!(done.stderr.contains("405"), "{done:#?}");
    assert_eq!(stack_status(&stack, "eu-west-1"), None);
}

#[test]
#[ignore = "needs moto and the local registries; run through scripts/test"]
fn no_container_cli_says_how_to_get_one_and_deploys_nothing() {
    let _serial = serial();
    bootstrapped();
    let (dir, context) = context(DOCKERFILE);
    let out = dir.path().join("cdk.out").display().to_string();
    let stack = unique("ImageNoCli");
    let done = run_app(
        &stack,
        "us-east-1",
        &context,
        &["deploy", "--output", out.as_str()],
        &[("CDK_DOCKER", "/nonexistent/docker")],
    );
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(
        done.stderr.contains(&format!(
            "[{stack}/Task/web/AssetImage] no container CLI can build this image (/nonexistent/docker (from CDK_DOCKER): not installed)"
        )),
        "{done:#?}"
    );
    assert!(done.stderr.contains("apt-get install podman"), "{done:#?}");
    assert_eq!(stack_status(&stack, "us-east-1"), None);
}

#[test]
#[ignore = "needs moto and the local registries; run through scripts/test"]
fn an_environment_not_bootstrapped_for_images_deploys_nothing() {
    let _serial = serial();
    let (dir, context) = context(DOCKERFILE);
    let out = dir.path().join("cdk.out").display().to_string();
    let stack = unique("ImageNoRepo");
    let done = run_app(
        &stack,
        "ap-south-1",
        &context,
        &["deploy", "--output", out.as_str()],
        &[],
    );
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(
        done.stderr.contains(&format!(
            "[{stack}/Task/web/AssetImage] no ECR repository \"cdk-hnb659fds-container-assets-123456789012-ap-south-1\""
        )),
        "{done:#?}"
    );
    assert!(done.stderr.contains("`bootstrap`"), "{done:#?}");
    assert_eq!(stack_status(&stack, "ap-south-1"), None);
}

/// An environment-agnostic stack's repository is named with
/// `${AWS::AccountId}` and `${AWS::Region}`: the deploy resolves them with
/// STS (moto's account, 123456789012) and the connection's region.
#[test]
#[ignore = "needs moto and the local registries; run through scripts/test"]
fn an_environment_agnostic_stack_resolves_its_repository_when_deploying() {
    let _serial = serial();
    bootstrapped();
    let (dir, context) = context(DOCKERFILE);
    let out = dir.path().join("cdk.out");
    let out_arg = out.display().to_string();
    let stack = unique("ImageAgnostic");
    let spec = StackSpec {
        region: None,
        ..StackSpec::new(&stack, "", &context)
    };
    let done = run_stacks(
        &[spec],
        &[
            "deploy",
            "--method",
            "direct",
            "--region",
            "us-east-1",
            "--output",
            out_arg.as_str(),
        ],
        &[],
    );
    assert_eq!(done.code, Some(0), "{done:#?}");
    let manifest = std::fs::read_to_string(out.join(format!("{stack}.assets.json"))).unwrap();
    assert!(
        manifest.contains("cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}"),
        "{manifest}"
    );
    assert!(
        done.stderr.contains(&format!(
            "{stack}/Task/web/AssetImage: published 123456789012.dkr.ecr.us-east-1.amazonaws.com/{REPOSITORY}:"
        )),
        "{done:#?}"
    );
    let (status, _, body) = registry_manifest(REPOSITORY, &image_hash(&out, &stack));
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        stack_status(&stack, "us-east-1").as_deref(),
        Some("CREATE_COMPLETE")
    );
}

/// Only the images of the stacks being deployed are published: a stack
/// whose image cannot build does not stop a deploy of another.
#[test]
#[ignore = "needs moto and the local registries; run through scripts/test"]
fn only_the_deployed_stacks_images_are_built() {
    let _serial = serial();
    bootstrapped();
    let (_dir, broken) = context("FROM scratch\nCOPY missing.txt /missing.txt\n");
    let plain = unique("ImagePlain");
    let other = unique("ImageOther");
    let stacks = [
        StackSpec {
            context: None,
            ..StackSpec::new(&plain, "us-east-1", &broken)
        },
        StackSpec::new(&other, "us-east-1", &broken),
    ];
    let out = broken
        .parent()
        .unwrap()
        .join("cdk.out")
        .display()
        .to_string();
    let done = run_stacks(
        &stacks,
        &[
            "deploy",
            plain.as_str(),
            "--method",
            "direct",
            "--output",
            out.as_str(),
        ],
        &[],
    );
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(!done.stderr.contains("AssetImage"), "{done:#?}");
    assert_eq!(
        stack_status(&plain, "us-east-1").as_deref(),
        Some("CREATE_COMPLETE")
    );
    assert_eq!(stack_status(&other, "us-east-1"), None);
}

/// Two stacks of one environment with the same image, deployed side by
/// side: built once before either stack deploys, pushed once by whichever
/// stack gets to it first, and neither stack created before that push ended
/// (the other waits for it).
#[test]
#[ignore = "needs moto and the local registries; run through scripts/test"]
fn an_image_two_stacks_share_is_built_and_pushed_once_before_either_deploys() {
    let _serial = serial();
    bootstrapped();
    let (dir, context) = context(DOCKERFILE);
    let first = unique("ImageShareA");
    let second = unique("ImageShareB");
    let out = dir.path().join("cdk.out").display().to_string();
    let done = run_stacks(
        &[
            StackSpec::new(&first, "us-east-1", &context),
            StackSpec::new(&second, "us-east-1", &context),
        ],
        &[
            "deploy",
            "--method",
            "direct",
            "--concurrency",
            "2",
            "--output",
            out.as_str(),
        ],
        &[],
    );
    assert_eq!(done.code, Some(0), "{done:#?}");
    let built = done
        .stderr
        .lines()
        .filter(|l| l.ends_with(": built"))
        .count();
    assert_eq!(built, 1, "{done:#?}");
    assert!(
        done.stderr.contains(&format!(
            "{second}/Task/web/AssetImage: built already for {first}/Task/web/AssetImage"
        )),
        "{done:#?}"
    );
    assert_eq!(done.stderr.matches(": published ").count(), 1, "{done:#?}");
    let published = done.stderr.find(": published ").unwrap();
    for stack in [&first, &second] {
        let created = done
            .stderr
            .find(&format!("{stack}: creating"))
            .unwrap_or_else(|| panic!("{stack} was not created: {done:#?}"));
        assert!(
            published < created,
            "{stack} was created before the image was pushed: {done:#?}"
        );
        assert_eq!(
            stack_status(stack, "us-east-1").as_deref(),
            Some("CREATE_COMPLETE")
        );
    }
}

/// A stack pinned to another account than the credentials' stops before
/// anything is looked for, built or deployed (moto's credentials are for
/// 123456789012).
#[test]
#[ignore = "needs moto; run through scripts/test"]
fn a_stack_of_another_account_deploys_nothing() {
    let _serial = serial();
    bootstrapped();
    let (dir, context) = context(DOCKERFILE);
    let out = dir.path().join("cdk.out").display().to_string();
    let stack = unique("ImageElsewhere");
    let spec = StackSpec {
        account: "111111111111".to_owned(),
        ..StackSpec::new(&stack, "us-east-1", &context)
    };
    let done = run_stacks(&[spec], &["deploy", "--output", out.as_str()], &[]);
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(
        done.stderr.contains(&format!(
            "[{stack}] the stack's environment is account 111111111111, but the credentials are for account 123456789012"
        )),
        "{done:#?}"
    );
    assert!(!done.stderr.contains("podman"), "{done:#?}");
    assert_eq!(stack_status(&stack, "us-east-1"), None);
}

/// A repository of the CDK's name that the toolkit stack does not hold (a
/// `cdk bootstrap` made it) is left alone, also by a second `bootstrap`.
#[test]
#[ignore = "needs moto; run through scripts/test"]
fn bootstrap_leaves_a_cdk_bootstrap_repository_alone() {
    let _serial = serial();
    let region = "ca-central-1";
    let repository = format!("cdk-hnb659fds-container-assets-123456789012-{region}");
    // What `cdk bootstrap` would have made (a rerun of this test finds it).
    let created = runtime().block_on(
        ecr(region)
            .create_repository()
            .repository_name(&repository)
            .send(),
    );
    if let Err(e) = created {
        let e = e.into_service_error();
        assert!(e.is_repository_already_exists_exception(), "{e:?}");
    }
    let (_dir, context) = context(DOCKERFILE);
    for _ in 0..2 {
        let done = run_app(
            "Bootstrap",
            region,
            &context,
            &["bootstrap", "--region", region],
            &[],
        );
        assert_eq!(done.code, Some(0), "{done:#?}");
        assert!(
            done.stderr.contains(&format!(
                "image asset repository {repository} exists already"
            )),
            "{done:#?}"
        );
        let resources = toolkit_resources(region);
        assert!(
            resources.contains(&"StagingBucket".to_owned()),
            "{resources:?}"
        );
        assert!(
            !resources.contains(&"ContainerAssetsRepository".to_owned()),
            "{resources:?}"
        );
    }
}

/// A repository the toolkit stack made stays in it when `bootstrap` runs
/// again (it exists then, but is ours).
#[test]
#[ignore = "needs moto; run through scripts/test"]
fn bootstrap_again_keeps_its_own_repository() {
    let _serial = serial();
    let region = "sa-east-1";
    let (_dir, context) = context(DOCKERFILE);
    for _ in 0..2 {
        let done = run_app(
            "Bootstrap",
            region,
            &context,
            &["bootstrap", "--region", region],
            &[],
        );
        assert_eq!(done.code, Some(0), "{done:#?}");
        assert!(
            done.stderr.contains(&format!(
                "image asset repository cdk-hnb659fds-container-assets-123456789012-{region} ready"
            )),
            "{done:#?}"
        );
        let resources = toolkit_resources(region);
        assert!(
            resources.contains(&"ContainerAssetsRepository".to_owned()),
            "{resources:?}"
        );
    }
}

/// `synth` and `diff` never build: with no container CLI and no registry
/// they succeed.
#[test]
#[ignore = "needs moto; run through scripts/test"]
fn synth_and_diff_never_build() {
    let _serial = serial();
    let (dir, context) = context(DOCKERFILE);
    let out = dir.path().join("cdk.out").display().to_string();
    let none = [("CDK_DOCKER", "/nonexistent/docker")];
    let synth = run_app(
        "ImageSynth",
        "us-east-1",
        &context,
        &["synth", "-q", "-o", out.as_str()],
        &none,
    );
    assert_eq!(synth.code, Some(0), "{synth:#?}");
    let diff = run_app("ImageSynth", "us-east-1", &context, &["diff"], &none);
    assert_eq!(diff.code, Some(0), "{diff:#?}");
}

/// The official `cdk` CLI (tools/node_modules, installed by scripts/test)
/// reads our assembly and publishes its image asset with podman: the asset
/// manifest is the CDK's format.
#[test]
#[ignore = "needs moto, the local registries and the CDK CLI; run through scripts/test"]
fn the_cdk_cli_publishes_our_image_assets_too() {
    let _serial = serial();
    bootstrapped();
    let (dir, context) = context(DOCKERFILE);
    let out = dir.path().join("cdk.out");
    let out_arg = out.display().to_string();
    let synth = run_app(
        "ImageCdk",
        "us-east-1",
        &context,
        &["synth", "-q", "-o", out_arg.as_str()],
        &[],
    );
    assert_eq!(synth.code, Some(0), "{synth:#?}");
    let hash = image_hash(&out, "ImageCdk");
    let cdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/node_modules/.bin/cdk");
    let published = Command::new(&cdk)
        .args([
            "publish-assets",
            "--unstable=publish-assets",
            "--app",
            out_arg.as_str(),
            "ImageCdk",
        ])
        .env("AWS_ENDPOINT_URL", endpoint())
        .env("AWS_REGION", "us-east-1")
        .env("CDK_DISABLE_VERSION_CHECK", "1")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", cdk.display()));
    // The CLI writes its messages to stderr, or to stdout when CI is set.
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&published.stdout),
        String::from_utf8_lossy(&published.stderr)
    );
    assert!(published.status.success(), "{output}");
    assert!(output.contains("Published Task/web/AssetImage"), "{output}");
    let (status, digest, _) = registry_manifest(REPOSITORY, &hash);
    assert_eq!(status, 200);
    assert!(digest.is_some());
}
