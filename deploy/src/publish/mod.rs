//! Image assets published before their stacks deploy, as the AWS CDK's
//! `cdk-assets` publishes them: for each image of a stack being deployed,
//! `DescribeImages` looks for its tag in the bootstrap's container-asset
//! repository; a tag already there is skipped, any other image is built
//! from its staged context (`<assembly>/asset.<hash>/`) with the
//! docker-compatible CLI, tagged and pushed after an ECR login.
//!
//! Every image of every stack being deployed is built (and tagged for its
//! repository) before the first stack deploys, so a failed build leaves
//! CloudFormation untouched, as the CDK CLI's `--asset-prebuild` (its
//! default) does. Pushing waits for the stack: each stack pushes the images
//! it needs just before it deploys ([`Pushes::push_for`]), so with
//! `--concurrency` one stack's pushes overlap other stacks' deployments. An
//! image two stacks need is pushed once, by whichever gets to it first; the
//! other waits for that push.

mod container_cli;

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use aws_sdk_ecr::error::ProvideErrorMetadata;
use ecscdk_synth::{ImageArtifact, StackArtifact};
use indicatif::{ProgressBar, ProgressStyle};

use crate::connection::Aws;
use crate::error::{Error, Result};
use crate::watch::Console;

/// One image to publish, its placeholders resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    /// `<StackId>/<asset path>`, for messages.
    asset: String,
    repository: String,
    tag: String,
}

/// The repository name with the bootstrap's placeholders resolved
/// (`${AWS::AccountId}`, `${AWS::Region}`, `${AWS::Partition}`), as
/// cdk-assets resolves an environment-agnostic stack's destinations.
fn resolve(text: &str, account: &str, region: &str, partition: &str) -> String {
    text.replace("${AWS::AccountId}", account)
        .replace("${AWS::Region}", region)
        .replace("${AWS::Partition}", partition)
}

/// The partition of a region, for `${AWS::Partition}`.
fn partition_of(region: &str) -> &'static str {
    ecscdk_synth::Env::new("000000000000", region)
        .partition()
        .unwrap_or("aws")
}

/// Says what publishing is doing: a spinner line on a terminal, plain lines
/// otherwise.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self { bar }
    }

    /// A step under way.
    fn step(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(text.to_owned()),
            None => eprintln!("{text}"),
        }
    }

    /// A result to keep on screen.
    fn done(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// An image built and tagged for its repository, not pushed yet.
struct Pending {
    /// The ids of the stacks that need it.
    stacks: Vec<String>,
    /// `<StackId>/<asset path>` of the first stack that needs it.
    asset: String,
    repository: String,
    /// `<repository URI>:<tag>`.
    remote: String,
    /// The container CLI that built it.
    cli: String,
    /// Whether it was pushed; held while pushing, so that a second stack
    /// needing the image waits for the first one's push.
    pushed: futures_util::lock::Mutex<bool>,
}

/// The images [`prepare`] built, each to be pushed before the first stack
/// that needs it deploys.
pub(crate) struct Pushes {
    pending: Vec<Pending>,
}

impl Pushes {
    /// Pushes the images `stack` needs that no stack pushed yet, waiting for
    /// a push another stack has under way. The push runs on a blocking
    /// thread, so the stacks deploying meanwhile are still followed.
    pub(crate) async fn push_for(&self, stack: &StackArtifact, console: &Console) -> Result<()> {
        for image in self.pending.iter().filter(|p| p.stacks.contains(&stack.id)) {
            let mut pushed = image.pushed.lock().await;
            if *pushed {
                continue;
            }
            // The full URI (a 64-digit tag) is on the result line.
            console.line(&format!(
                "{}: pushing {} to {}",
                stack.stack_name, image.asset, image.repository
            ));
            let (cli, args) = (image.cli.clone(), container_cli::push_args(&image.remote));
            let ran =
                tokio::task::spawn_blocking(move || container_cli::run(&cli, &args, None, None))
                    .await;
            let failure = match ran {
                Ok(Ok(_)) => None,
                Ok(Err(failure)) => Some(failure),
                Err(e) => Some(container_cli::Failure {
                    command: format!("{} push {}", image.cli, image.remote),
                    status: format!("did not finish: {e}"),
                    tail: String::new(),
                }),
            };
            if let Some(f) = failure {
                return Err(Error::ImageCommand {
                    asset: image.asset.clone(),
                    command: f.command,
                    status: f.status,
                    tail: f.tail,
                    fix: "check that these credentials may push to the repository and that the registry is reachable; no stack that needs this image was deployed",
                });
            }
            *pushed = true;
            console.line(&format!(
                "\u{2705} {}: published {}",
                image.asset, image.remote
            ));
        }
        Ok(())
    }
}

/// Readies the images of `stacks` (each with the clients of its
/// environment) whose tags are not in their repositories yet: checks the
/// accounts, logs in, builds and tags each image, and returns what is left
/// to push ([`Pushes::push_for`]). The staged build contexts are in
/// `assembly_dir`.
pub(crate) async fn prepare(
    stacks: &[(&StackArtifact, &Aws)],
    assembly_dir: &Path,
) -> Result<Pushes> {
    let mut pending: Vec<Pending> = Vec::new();
    if stacks.iter().all(|(s, _)| s.images.is_empty()) {
        return Ok(Pushes { pending });
    }
    let progress = Progress::new();
    // Found on the first image that needs building, then kept.
    let mut cli: Option<String> = None;
    let mut logged_in: Vec<String> = Vec::new();
    for (stack, aws) in stacks {
        if stack.images.is_empty() {
            continue;
        }
        // The credentials' account: it resolves `${AWS::AccountId}`, and a
        // stack pinned to another account would have its images looked for
        // (and pulled) there — the CDK stops on that mismatch too.
        let account = caller_account(aws, &stack.stack_name).await?;
        if let Some(expected) = stack.env.account()
            && expected != account
        {
            return Err(Error::WrongAccount {
                stack: stack.id.clone(),
                expected: expected.to_owned(),
                actual: account,
            });
        }
        for image in &stack.images {
            let asset = format!("{}/{}", stack.id, image.display_name);
            let target = Target {
                asset,
                repository: resolve(
                    &image.repository_name,
                    &account,
                    &aws.region,
                    partition_of(&aws.region),
                ),
                tag: image.hash.clone(),
            };
            progress.step(&format!(
                "{}: looking for its tag in {}",
                target.asset, target.repository
            ));
            let uri = repository_uri(aws, stack, &target).await?;
            let remote = format!("{uri}:{}", target.tag);
            // Two stacks of one environment may share an image: pushed once.
            if let Some(built) = pending.iter_mut().find(|p| p.remote == remote) {
                progress.done(&format!(
                    "\u{2705} {}: built already for {} ({remote})",
                    target.asset, built.asset
                ));
                built.stacks.push(stack.id.clone());
                continue;
            }
            if tag_exists(aws, &target).await? {
                progress.done(&format!(
                    "\u{2705} {}: already published ({uri}:{})",
                    target.asset, target.tag
                ));
                continue;
            }
            let cli = match &cli {
                Some(c) => c.clone(),
                None => {
                    let found = container_cli::detect(
                        std::env::var_os("CDK_DOCKER"),
                        std::env::var_os("PATH").as_deref(),
                    )
                    .map_err(|tried| Error::NoContainerCli {
                        asset: target.asset.clone(),
                        tried: tried.join("; "),
                    })?;
                    cli = Some(found.clone());
                    found
                }
            };
            // Once per registry, as cdk-assets logs in once per destination
            // domain.
            let domain = uri.split('/').next().unwrap_or_default().to_owned();
            if !logged_in.contains(&domain) {
                progress.step(&format!("{}: logging in to {domain}", target.asset));
                login(aws, &cli, &target).await?;
                logged_in.push(domain);
            }
            build_and_tag(&cli, image, &target, &remote, assembly_dir, &progress)?;
            pending.push(Pending {
                stacks: vec![stack.id.clone()],
                asset: target.asset,
                repository: target.repository,
                remote,
                cli,
                pushed: futures_util::lock::Mutex::new(false),
            });
        }
    }
    Ok(Pushes { pending })
}

/// The account of the deploying credentials (STS `GetCallerIdentity`).
pub(crate) async fn caller_account(aws: &Aws, stack: &str) -> Result<String> {
    let out = aws
        .sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| crate::connection::service_error(stack, "GetCallerIdentity", &e))?;
    out.account()
        .map(str::to_owned)
        .ok_or_else(|| Error::Service {
            stack: stack.to_owned(),
            action: "GetCallerIdentity",
            message: "the answer names no account".to_owned(),
            fix: "check the credentials".to_owned(),
        })
}

/// The repository's URI; a missing repository means the environment was
/// not bootstrapped for images.
async fn repository_uri(aws: &Aws, stack: &StackArtifact, target: &Target) -> Result<String> {
    match aws
        .ecr
        .describe_repositories()
        .repository_names(&target.repository)
        .send()
        .await
    {
        Ok(out) => out
            .repositories()
            .first()
            .and_then(|r| r.repository_uri())
            .map(str::to_owned)
            .ok_or_else(|| Error::ImagesNotBootstrapped {
                asset: target.asset.clone(),
                repository: target.repository.clone(),
            }),
        Err(e) if e.code() == Some("RepositoryNotFoundException") => {
            Err(Error::ImagesNotBootstrapped {
                asset: target.asset.clone(),
                repository: target.repository.clone(),
            })
        }
        Err(e) => Err(crate::connection::service_error(
            &stack.stack_name,
            "DescribeRepositories",
            &e,
        )),
    }
}

/// Whether the tag is in the repository already.
async fn tag_exists(aws: &Aws, target: &Target) -> Result<bool> {
    let id = aws_sdk_ecr::types::ImageIdentifier::builder()
        .image_tag(&target.tag)
        .build();
    match aws
        .ecr
        .describe_images()
        .repository_name(&target.repository)
        .image_ids(id)
        .send()
        .await
    {
        Ok(out) => Ok(!out.image_details().is_empty()),
        Err(e) if e.code() == Some("ImageNotFoundException") => Ok(false),
        Err(e) => Err(crate::connection::service_error(
            &target.asset,
            "DescribeImages",
            &e,
        )),
    }
}

/// `GetAuthorizationToken`, then `<cli> login --username AWS
/// --password-stdin <proxyEndpoint's host>` (the password never on the
/// command line), as cdk-assets logs in.
async fn login(aws: &Aws, cli: &str, target: &Target) -> Result<()> {
    let out = aws
        .ecr
        .get_authorization_token()
        .send()
        .await
        .map_err(|e| {
            crate::connection::service_error(&target.asset, "GetAuthorizationToken", &e)
        })?;
    let data = out.authorization_data().first();
    let token = data
        .and_then(|d| d.authorization_token())
        .unwrap_or_default();
    let registry = data
        .and_then(|d| d.proxy_endpoint())
        .map(container_cli::registry_host)
        .ok_or_else(|| Error::Service {
            stack: target.asset.clone(),
            action: "GetAuthorizationToken",
            message: "the answer names no proxyEndpoint to log in to".to_owned(),
            fix: "retry; check the endpoint answers as ECR does".to_owned(),
        })?;
    let (user, password) = decode_token(token).ok_or_else(|| Error::Service {
        stack: target.asset.clone(),
        action: "GetAuthorizationToken",
        message: "the token is not base64 of `user:password`".to_owned(),
        fix: "retry; check the endpoint answers as ECR does".to_owned(),
    })?;
    let args = container_cli::login_args(&user, registry);
    container_cli::run(cli, &args, None, Some(&password))
        .map(|_| ())
        .map_err(|f| Error::ImageCommand {
            asset: target.asset.clone(),
            command: f.command,
            status: f.status,
            tail: f.tail,
            fix: "check that the registry is reachable and that these credentials may push to ECR",
        })
}

/// ECR's token: base64 of `AWS:<password>`.
fn decode_token(token: &str) -> Option<(String, String)> {
    let bytes = aws_smithy_types::base64::decode(token).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Builds `image` unless the CLI has it already, and tags it `remote`.
fn build_and_tag(
    cli: &str,
    image: &ImageArtifact,
    target: &Target,
    remote: &str,
    assembly_dir: &Path,
    progress: &Progress,
) -> Result<()> {
    let context = assembly_dir.join(image.directory_name());
    let local = container_cli::local_tag(image);
    let command_error = |fix: &'static str| {
        let asset = target.asset.clone();
        move |f: container_cli::Failure| Error::ImageCommand {
            asset,
            command: f.command,
            status: f.status,
            tail: f.tail,
            fix,
        }
    };
    let cached = container_cli::run(cli, &container_cli::inspect_args(&local), None, None).is_ok();
    if !cached {
        progress.step(&format!("{}: building with {cli}", target.asset));
        container_cli::run(cli, &container_cli::build_args(image), Some(&context), None).map_err(
            command_error(
                "fix the Dockerfile or the build context and deploy again; nothing was deployed",
            ),
        )?;
    }
    container_cli::run(cli, &container_cli::tag_args(&local, remote), None, None).map_err(
        command_error("check the container CLI; nothing was deployed"),
    )?;
    progress.done(&format!("\u{2705} {}: built", target.asset));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_the_bootstraps_placeholders() {
        assert_eq!(
            resolve(
                "cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}",
                "111122223333",
                "eu-west-1",
                "aws"
            ),
            "cdk-hnb659fds-container-assets-111122223333-eu-west-1"
        );
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        assert_eq!(partition_of("eu-west-1"), "aws");
    }

    #[test]
    fn decodes_ecr_tokens() {
        let token = aws_smithy_types::base64::encode("AWS:pass:with:colons");
        assert_eq!(
            decode_token(&token),
            Some(("AWS".to_owned(), "pass:with:colons".to_owned()))
        );
        assert_eq!(decode_token("not base64!"), None);
        assert_eq!(
            decode_token(&aws_smithy_types::base64::encode("nocolon")),
            None
        );
    }
}
