//! A port of the AWS CDK reference app `scale.js`: `STACKS` stacks, each with
//! its own VPC and cluster and `SERVICES` Fargate services (own task
//! definition, one container with awslogs and a port mapping).
//!
//! `cargo run -p ecscdk-examples --bin scale -- synth`, with `STACKS` and
//! `SERVICES` from the environment (default 1 × 40). At 1 × 40 every logical
//! ID of the CDK's template appears here with the same type
//! (`tests/synth.rs`). Properties that deliberately differ from the CDK's:
//!
//! - containers: `ReadonlyRootFilesystem: true` (secure default); nginx gets
//!   scratch volumes for the paths it writes (`/var/cache/nginx`,
//!   `/var/run`, `/tmp`), so the task definitions also carry `Volumes` and
//!   `MountPoints`;
//! - log groups: 30-day retention (the CDK keeps logs forever);
//! - services: minimum healthy 100 % (the CDK's 50 %), circuit breaker with
//!   rollback, ECS managed tags on and tags propagated from the service;
//! - cluster: Container Insights enabled;
//! - VPC: flow logs to CloudWatch Logs (extra resources, not in the CDK's
//!   template).

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    Cluster, Container, ContainerBuilder, ContainerImage, FargateService, FargateTaskDefinition,
    FargateTaskDefinitionBuilder, LogDriver, PortMapping, Volume,
};
use ecscdk::prelude::*;

/// The image every reference app runs.
pub const NGINX: &str = "public.ecr.aws/nginx/nginx:latest";

/// Adds nginx to a task definition with writable scratch space where nginx
/// writes, so its root filesystem can stay read-only.
pub fn with_nginx(
    task: FargateTaskDefinitionBuilder,
    container: ContainerBuilder,
) -> FargateTaskDefinitionBuilder {
    task.volume(Volume::scratch("nginx-cache"))
        .volume(Volume::scratch("nginx-run"))
        .volume(Volume::scratch("tmp"))
        .container(
            container
                .mount("nginx-cache", "/var/cache/nginx", false)
                .mount("nginx-run", "/var/run", false)
                .mount("tmp", "/tmp", false),
        )
}

/// Builds the app with `stacks` × `services`.
///
/// # Errors
/// Never for valid sizes (more than about 50 services overflow
/// CloudFormation's 500-resource limit, which synth reports with the stack).
pub fn app_with(stacks: usize, services: usize) -> ecscdk::Result<App> {
    app_with_image(stacks, services, None)
}

/// [`app_with`], where the first service of each stack runs an image built
/// from the Dockerfile in `build_context` (for the benchmark: what an image
/// asset costs synth).
///
/// # Errors
/// As [`app_with`], and the asset's errors for a build context it cannot
/// use.
pub fn app_with_image(
    stacks: usize,
    services: usize,
    build_context: Option<&std::path::Path>,
) -> ecscdk::Result<App> {
    build("Scale", stacks, services, build_context, true)
}

/// The app as a local moto server can deploy it (the deploy benchmark):
/// the same stacks, named `{prefix}{n}`, without the VPCs'
/// restrict-default-security-group custom resource, whose Lambda function
/// moto cannot run.
///
/// # Errors
/// As [`app_with`].
pub fn app_for_moto(prefix: &str, stacks: usize, services: usize) -> ecscdk::Result<App> {
    build(prefix, stacks, services, None, false)
}

fn build(
    prefix: &str,
    stacks: usize,
    services: usize,
    build_context: Option<&std::path::Path>,
    restrict_default_security_group: bool,
) -> ecscdk::Result<App> {
    let mut app = App::new();
    for s in 0..stacks {
        let mut stack =
            Stack::new(format!("{prefix}{s}")).env(Env::new("123456789012", "us-east-1"));
        let vpc = Vpc::builder("Vpc")
            .max_azs(2)
            .nat_gateways(1)
            .restrict_default_security_group(restrict_default_security_group)
            .build(&mut stack)?;
        let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
        for i in 0..services {
            let task = with_nginx(
                FargateTaskDefinition::builder(format!("Task{i}")),
                Container::builder(
                    "app",
                    match build_context {
                        Some(dir) if i == 0 => ContainerImage::from_asset(dir),
                        _ => ContainerImage::registry(NGINX),
                    },
                )
                .port(PortMapping::tcp(8080))
                .logging(LogDriver::aws_logs(format!("svc{i}"))),
            )
            .build(&mut stack)?;
            FargateService::builder(format!("Service{i}"), &cluster, &task)
                .desired_count(1)
                .build(&mut stack)?;
        }
        app.add(stack)?;
    }
    Ok(app)
}

/// Builds the app with `STACKS` × `SERVICES` from the environment (1 × 40).
///
/// # Errors
/// As [`app_with`], and an [`ecscdk::Error::InvalidProperty`] for a size that
/// is not a number.
pub fn app() -> ecscdk::Result<App> {
    let read = |name: &str, default: usize| -> ecscdk::Result<usize> {
        match std::env::var(name) {
            Ok(v) => v.parse().map_err(|_| ecscdk::Error::InvalidProperty {
                path: ecscdk::synth::ConstructPath::new("App"),
                property: name.to_owned(),
                reason: format!("{v:?} is not a whole number"),
            }),
            Err(_) => Ok(default),
        }
    };
    app_with(read("STACKS", 1)?, read("SERVICES", 40)?)
}
