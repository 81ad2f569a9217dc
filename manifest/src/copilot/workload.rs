//! One Copilot workload, merged for one environment, as an entry of the
//! environment's stack.

use indexmap::IndexMap;
use serde_norway::Value;

use super::env::EnvInfo;
use super::schedule::{self, Schedule};
use super::yaml::{Doc, as_u32, scalar_text};
use crate::duration::Duration;
use crate::error::Error;
use crate::model::{
    AlarmSpec, AutoScalingSpec, BuildPlatform, BuildSpec, CapacityEntry, CloudMapSpec,
    ComparisonSpec, ContainerHealthCheck, ContainerSpec, CpuArchitectureSpec, FargateProvider,
    LoadBalancedServiceSpec, LoggingSpec, MountSpec, PortProtocol, PortSpec,
    QueueProcessingServiceSpec, ScheduledTaskSpec, SecretSpec, ServiceConnectPortSpec,
    ServiceConnectSpec, ServiceSpec, StatisticSpec, SubnetKind, TargetHealthCheck,
    TaskDefinitionSpec, VolumeSpec,
};

/// The Copilot workload types the importer converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `Load Balanced Web Service` → `load_balanced_services`.
    LoadBalanced,
    /// `Backend Service` → `services`.
    Backend,
    /// `Worker Service` → `queue_processing_services`.
    Worker,
    /// `Scheduled Job` → `scheduled_tasks`.
    Job,
}

impl Kind {
    /// The kind a manifest's `type:` names, if converted.
    pub fn of(text: &str) -> Option<Self> {
        match text {
            "Load Balanced Web Service" => Some(Self::LoadBalanced),
            "Backend Service" => Some(Self::Backend),
            "Worker Service" => Some(Self::Worker),
            "Scheduled Job" => Some(Self::Job),
            _ => None,
        }
    }
}

/// A converted workload.
#[derive(Debug, Clone)]
pub(super) enum Spec {
    /// A load-balanced service.
    LoadBalanced(Box<LoadBalancedServiceSpec>),
    /// A service with its own task definition.
    Service(Box<ServiceSpec>),
    /// A queue processing service.
    Queue(Box<QueueProcessingServiceSpec>),
    /// A scheduled task.
    Scheduled(Box<ScheduledTaskSpec>),
}

/// A workload as one environment's stack holds it.
#[derive(Debug, Clone)]
pub(super) struct Converted {
    /// The entry.
    pub spec: Spec,
    /// It runs tasks on Fargate Spot (the cluster needs the providers).
    pub uses_spot: bool,
    /// It registers in Cloud Map or uses Service Connect (the cluster
    /// needs Copilot's namespace `<env>.<app>.local`).
    pub uses_namespace: bool,
    /// Stack alarms (by construct id) that roll its deployments back.
    pub alarms: IndexMap<String, AlarmSpec>,
}

/// The workload, names and environment being converted.
struct Ctx<'a> {
    app: &'a str,
    name: &'a str,
    /// The construct id of its entry.
    id: &'a str,
    env: &'a EnvInfo,
    kind: Kind,
}

impl Ctx<'_> {
    /// The manifest section of the entry.
    fn section(&self) -> &'static str {
        match self.kind {
            Kind::LoadBalanced => "load_balanced_services",
            Kind::Backend => "services",
            Kind::Worker => "queue_processing_services",
            Kind::Job => "scheduled_tasks",
        }
    }
}

const SIDECARS_RUST: &str = "in Rust, add a container to the pattern's task definition (`task_definition()`), or import it as a Backend Service, whose sidecars become containers of its task";

/// Converts the merged workload tree of `doc` for `env`. `Ok(None)`: the
/// workload is skipped for this environment (with a note).
pub(super) fn convert(
    doc: &mut Doc<'_>,
    app: &str,
    name: &str,
    id: &str,
    kind: Kind,
    env: &EnvInfo,
) -> Result<Option<Converted>, Error> {
    let cx = Ctx {
        app,
        name,
        id,
        env,
        kind,
    };
    doc.touch("name");
    doc.touch("type");
    doc.touch("environments");
    match kind {
        Kind::Backend if doc.has("http") => {
            doc.note(
                "http",
                "a Backend Service behind Copilot's internal load balancer is not converted (skipped): the manifest model has no internal load balancer shared by services; make it a `load_balanced_services` entry with `public_load_balancer: false`",
            );
            return Ok(None);
        }
        Kind::LoadBalanced if matches!(doc.get("http"), Some(Value::Bool(false))) => {
            doc.note(
                "http",
                "a Load Balanced Web Service with only a network load balancer (`http: false`) is not converted (skipped): the manifest model has no network load balancer pattern; in Rust, `NetworkLoadBalancedFargateService`",
            );
            return Ok(None);
        }
        _ => {}
    }

    let (mut container, volumes) = container(doc, &cx)?;
    let (cpu, memory) = size(doc)?;
    let arm = platform(doc, &mut container)?;
    let ephemeral = ephemeral(doc)?;
    let mut exec = exec(doc, &cx)?;
    let mut volumes = volumes;
    if exec
        && container.read_only_root_filesystem == Some(true)
        && !container.mounts.iter().any(|m| !m.read_only)
    {
        exec = exec_scratch(doc, &cx, &mut container, &mut volumes);
    }
    let placement = placement(doc)?;
    let count = count(doc, &cx)?;
    common_notes(doc, &cx);
    let uses_spot = matches!(kind, Kind::Backend | Kind::Worker)
        && (count.spot.is_some() || count.spot_from.is_some());
    if kind != Kind::Backend {
        pattern_task_notes(doc, &cx, &container, arm, ephemeral);
        if placement == Placement::Public {
            note_public_placement(doc, &cx);
        }
    }
    let subnets = match placement {
        Placement::Private => Some(SubnetKind::Private),
        Placement::Public | Placement::Given => None,
    };

    let spec = match kind {
        Kind::LoadBalanced => {
            let mut spec = load_balanced(doc, &cx, container, volumes, cpu, memory, exec, &count)?;
            spec.subnets = subnets;
            Spec::LoadBalanced(Box::new(spec))
        }
        Kind::Backend => {
            let task = Task {
                container,
                volumes,
                cpu,
                memory,
                arm,
                ephemeral,
            };
            let spec = backend(doc, &cx, task, exec, placement, &count)?;
            Spec::Service(Box::new(spec))
        }
        Kind::Worker => {
            let mut container = container;
            no_volumes(doc, &volumes, &mut container, "queue_processing_services");
            let mut spec = worker(doc, &cx, container, cpu, memory, exec, &count)?;
            spec.subnets = subnets;
            Spec::Queue(Box::new(spec))
        }
        Kind::Job => {
            let mut container = container;
            no_volumes(doc, &volumes, &mut container, "scheduled_tasks");
            let mut spec = job(doc, &cx, container, cpu, memory)?;
            spec.subnets = subnets;
            Spec::Scheduled(Box::new(spec))
        }
    };
    let alarms = if kind == Kind::Job {
        IndexMap::new()
    } else {
        rollback_alarms(doc, &cx)?
    };
    Ok(Some(Converted {
        spec,
        uses_spot,
        uses_namespace: kind == Kind::Backend,
        alarms,
    }))
}

/// What a Backend Service's task is made of.
struct Task {
    container: ContainerSpec,
    volumes: Vec<VolumeSpec>,
    cpu: Option<u32>,
    memory: Option<u32>,
    /// `platform` is ARM64.
    arm: bool,
    /// `storage.ephemeral` beyond Fargate's 20 GiB.
    ephemeral: Option<u32>,
}

/// `a.b` from a prefix (`""` or `sidecars.x`) and a field.
fn at(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

/// The main container, and the task volumes its mounts use.
fn container(doc: &mut Doc<'_>, cx: &Ctx<'_>) -> Result<(ContainerSpec, Vec<VolumeSpec>), Error> {
    let mut c = ContainerSpec::default();
    image(doc, "image", &mut c)?;
    if matches!(cx.kind, Kind::LoadBalanced | Kind::Backend)
        && let Some(port) = doc.u32("image.port")?
    {
        let port = u16::try_from(port)
            .map_err(|_| doc.invalid("image.port", "a port is at most 65535"))?;
        c.ports.push(PortSpec {
            port,
            ..PortSpec::default()
        });
    }
    c.health_check = container_health_check(doc, "image.healthcheck")?;
    doc.note_if_set(
        "image.credentials",
        "private registry credentials are not in the manifest model; in Rust, the container's image with repository credentials",
    );
    doc.note_if_set(
        "image.labels",
        "Docker labels are not in the manifest model",
    );
    doc.note_if_set(
        "image.depends_on",
        "container start order is not in the manifest model; in Rust, `ContainerBuilder::depends_on`",
    );
    c.command = doc.words("command")?;
    c.entry_point = doc.words("entrypoint")?;

    // The variables Copilot injects, then the manifest's.
    let discovery = format!("{}.{}.local", cx.env.name, cx.app);
    for (key, value) in [
        ("COPILOT_APPLICATION_NAME", cx.app),
        ("COPILOT_ENVIRONMENT_NAME", cx.env.name.as_str()),
        ("COPILOT_SERVICE_NAME", cx.name),
        ("COPILOT_SERVICE_DISCOVERY_ENDPOINT", discovery.as_str()),
    ] {
        c.environment.insert(key.to_owned(), value.to_owned());
    }
    variables(doc, "", &mut c)?;
    secrets(doc, "", &mut c)?;
    doc.note_if_set(
        "env_file",
        "an env file is uploaded to S3 by Copilot; the manifest model has none: move its variables to `environment`, or in Rust, `ContainerBuilder::environment_file` with the S3 object's ARN",
    );

    if let Some(days) = doc.u32("logging.retention")? {
        if crate_retention(days) {
            c.logging = Some(LoggingSpec {
                stream_prefix: "copilot".to_owned(),
                retention_days: Some(days),
            });
        } else {
            doc.note(
                "logging.retention",
                format!("CloudWatch Logs keeps logs 1, 3, 5, 7, 14, 30, 60, 90, … 3653 days, not {days}; ecscdk keeps them 30 days"),
            );
        }
    }
    if let Some(logging) = doc.map("logging")? {
        for key in logging.keys().filter_map(Value::as_str) {
            if key != "retention" {
                doc.note(
                    &format!("logging.{key}"),
                    "FireLens log routing is not in the manifest model: logs go to CloudWatch Logs with the awslogs driver",
                );
            }
        }
    }

    // Copilot's root filesystem is writable unless `readonly_fs`; ecscdk's
    // is read-only unless false.
    c.read_only_root_filesystem = Some(doc.bool("storage.readonly_fs")?.unwrap_or(false));
    let volumes = volumes(doc, &mut c)?;
    Ok((c, volumes))
}

/// `image.location` or `image.build` (also of a sidecar: `sidecars.x.image`).
fn image(doc: &mut Doc<'_>, path: &str, c: &mut ContainerSpec) -> Result<(), Error> {
    let location = at(path, "location");
    let build = at(path, "build");
    if let Some(uri) = doc.str(&location)? {
        c.image = Some(uri);
        return Ok(());
    }
    match doc.get(&build) {
        None => Err(doc.invalid(
            path,
            "a container needs `location` (an image in a registry) or `build` (a Dockerfile)",
        )),
        Some(Value::Mapping(_)) => {
            let context = doc.str(&at(&build, "context"))?;
            let dockerfile = doc.str(&at(&build, "dockerfile"))?;
            let mut spec = build_spec(doc, &build, context.as_deref(), dockerfile.as_deref());
            if let Some(args) = doc.entries(&at(&build, "args"))? {
                for (key, value) in &args {
                    if let (Some(key), Some(value)) = (key.as_str(), scalar_text(value)) {
                        spec.args.insert(key.to_owned(), value);
                    }
                }
            }
            spec.target = doc.str(&at(&build, "target"))?;
            doc.note_if_set(
                &at(&build, "cache_from"),
                "build caches are not in the manifest model",
            );
            c.build = Some(spec);
            Ok(())
        }
        Some(value) => {
            let Some(dockerfile) = scalar_text(&value) else {
                return Err(doc.invalid(&build, "expected a Dockerfile path or a mapping"));
            };
            c.build = Some(build_spec(doc, &build, None, Some(&dockerfile)));
            Ok(())
        }
    }
}

/// Copilot's build paths are relative to the workspace; ecscdk's context
/// to the manifest (written in the workspace), its Dockerfile to the
/// context.
fn build_spec(
    doc: &mut Doc<'_>,
    path: &str,
    context: Option<&str>,
    dockerfile: Option<&str>,
) -> BuildSpec {
    let dockerfile = dockerfile.map(clean_path);
    let context = match (context, &dockerfile) {
        (Some(c), _) => clean_path(c),
        (None, Some(file)) => match file.rsplit_once('/') {
            Some((dir, _)) => dir.to_owned(),
            None => ".".to_owned(),
        },
        (None, None) => ".".to_owned(),
    };
    let dockerfile = match dockerfile {
        None => None,
        Some(file) => {
            let inside = if context == "." {
                Some(file.clone())
            } else {
                file.strip_prefix(&context)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .map(str::to_owned)
            };
            match inside {
                Some(rel) if rel == "Dockerfile" => None,
                Some(rel) => Some(rel),
                None => {
                    doc.note(
                        &at(path, "dockerfile"),
                        format!("the Dockerfile {file:?} is outside the build context {context:?}, which ecscdk does not build; the context's own `Dockerfile` is used"),
                    );
                    None
                }
            }
        }
    };
    BuildSpec {
        context,
        dockerfile,
        ..BuildSpec::default()
    }
}

/// A relative path without `./` and trailing `/`.
fn clean_path(path: &str) -> String {
    let mut p = path.trim();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let p = p.trim_end_matches('/');
    if p.is_empty() {
        ".".to_owned()
    } else {
        p.to_owned()
    }
}

/// A container health check, with Copilot's defaults for the keys not
/// given (interval 10s, retries 2, timeout 5s, `curl -f http://localhost/`).
fn container_health_check(
    doc: &mut Doc<'_>,
    path: &str,
) -> Result<Option<ContainerHealthCheck>, Error> {
    if doc.map(path)?.is_none() {
        return Ok(None);
    }
    let words = doc.words(&at(path, "command"))?;
    let command = match words.as_deref() {
        None | Some([]) => "curl -f http://localhost/ || exit 1".to_owned(),
        Some([first, rest @ ..]) if first == "CMD-SHELL" => rest.join(" "),
        Some([first]) if first == "NONE" => return Ok(None),
        Some(all) => {
            let exec = match all {
                [first, rest @ ..] if first == "CMD" => rest,
                _ => all,
            };
            doc.note(
                &at(path, "command"),
                "an exec-form check (`CMD`) runs through the shell (`CMD-SHELL`) in the manifest model: the image needs /bin/sh",
            );
            schedule::shell_join(exec)
        }
    };
    let secs = |d: Option<std::time::Duration>, default: u64| {
        Some(Duration::from(
            d.unwrap_or(std::time::Duration::from_secs(default)),
        ))
    };
    let interval = doc.duration(&at(path, "interval"))?;
    let timeout = doc.duration(&at(path, "timeout"))?;
    let start = doc.duration(&at(path, "start_period"))?;
    Ok(Some(ContainerHealthCheck {
        command,
        interval: secs(interval, 10),
        timeout: secs(timeout, 5),
        retries: Some(doc.u32(&at(path, "retries"))?.unwrap_or(2)),
        start_period: start.filter(|d| !d.is_zero()).map(Duration::from),
    }))
}

/// `variables` (of the workload or a sidecar).
fn variables(doc: &mut Doc<'_>, prefix: &str, c: &mut ContainerSpec) -> Result<(), Error> {
    let path = at(prefix, "variables");
    let Some(vars) = doc.entries(&path)? else {
        return Ok(());
    };
    for (key, value) in &vars {
        let Some(key) = key.as_str() else { continue };
        let here = format!("{path}.{key}");
        if let Some(text) = scalar_text(value) {
            c.environment.insert(key.to_owned(), text);
        } else if value.get("from_cfn").is_some() {
            doc.note(
                &here,
                "a variable from another stack's export (`from_cfn`) is not in the manifest model: set its value, or in Rust, pass `Fn::ImportValue` to `ContainerBuilder::env`",
            );
        } else if !value.is_null() {
            return Err(doc.invalid(&here, "expected a string or `from_cfn: EXPORT`"));
        }
    }
    Ok(())
}

/// `secrets` (of the workload or a sidecar).
fn secrets(doc: &mut Doc<'_>, prefix: &str, c: &mut ContainerSpec) -> Result<(), Error> {
    let path = at(prefix, "secrets");
    let Some(secrets) = doc.entries(&path)? else {
        return Ok(());
    };
    for (key, value) in &secrets {
        let Some(key) = key.as_str() else { continue };
        let here = format!("{path}.{key}");
        if let Some(text) = value.as_str() {
            let spec = if text.starts_with("arn:") && text.contains(":secretsmanager:") {
                secrets_manager_arn(doc, &here, text)
            } else {
                SecretSpec {
                    ssm_parameter: Some(text.to_owned()),
                    ..SecretSpec::default()
                }
            };
            c.secrets.insert(key.to_owned(), spec);
        } else if let Some(name) = value.get("secretsmanager").and_then(Value::as_str) {
            if name.starts_with("arn:") {
                let spec = secrets_manager_arn(doc, &here, name);
                c.secrets.insert(key.to_owned(), spec);
            } else {
                doc.note(
                    &here,
                    "a Secrets Manager secret by name is not converted: Copilot builds its ARN from the account and Region at deploy, which the manifest does not know; give the full ARN as `secrets_manager`",
                );
            }
        } else if value.get("from_cfn").is_some() {
            doc.note(
                &here,
                "a secret from another stack's export (`from_cfn`) is not in the manifest model: give the parameter's name or the secret's ARN",
            );
        } else if !value.is_null() {
            return Err(doc.invalid(
                &here,
                "expected an SSM parameter name or ARN, `secretsmanager: NAME` or `from_cfn: EXPORT`",
            ));
        }
    }
    Ok(())
}

/// A Secrets Manager ARN, with a JSON key after the secret's name
/// (`…:secret:NAME:KEY::`) split off.
fn secrets_manager_arn(doc: &mut Doc<'_>, path: &str, arn: &str) -> SecretSpec {
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() <= 7 {
        return SecretSpec {
            secrets_manager: Some(arn.to_owned()),
            ..SecretSpec::default()
        };
    }
    if parts[8..].iter().any(|p| !p.is_empty()) {
        doc.note(
            path,
            "the version stage or id after the secret's JSON key is not in the manifest model: the current version is read",
        );
    }
    SecretSpec {
        secrets_manager: Some(parts[..7].join(":")),
        json_key: Some(parts[7].to_owned()).filter(|k| !k.is_empty()),
        ..SecretSpec::default()
    }
}

fn crate_retention(days: u32) -> bool {
    [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ]
    .contains(&days)
}

/// `storage.volumes`: scratch volumes and EFS file systems by id.
fn volumes(doc: &mut Doc<'_>, c: &mut ContainerSpec) -> Result<Vec<VolumeSpec>, Error> {
    let mut out = Vec::new();
    let Some(volumes) = doc.map("storage.volumes")? else {
        return Ok(out);
    };
    for key in volumes.keys().filter_map(Value::as_str) {
        let here = format!("storage.volumes.{key}");
        let Some(path) = doc.str(&format!("{here}.path"))? else {
            return Err(doc.invalid(&here, "a volume needs `path`, where it is mounted"));
        };
        let read_only = doc.bool(&format!("{here}.read_only"))?.unwrap_or(true);
        let efs = format!("{here}.efs");
        let file_system = match doc.get(&efs) {
            None | Some(Value::Bool(false)) => None,
            Some(Value::Mapping(map)) if map.get("id").is_some() => {
                let id = doc.str(&format!("{efs}.id"))?;
                if doc
                    .str(&format!("{efs}.root_dir"))?
                    .is_some_and(|d| d != "/")
                {
                    doc.note(
                        &format!("{efs}.root_dir"),
                        "an EFS root directory is not in the manifest model: the volume mounts the file system's root",
                    );
                }
                doc.note_if_set(
                    &format!("{efs}.auth"),
                    "EFS IAM authorization and access points are not in the manifest model; in Rust, `EfsVolume`",
                );
                id
            }
            Some(_) => {
                doc.note(
                    &efs,
                    "a Copilot-managed EFS file system (`efs: true` or `uid`/`gid`) is not converted (volume skipped): create the file system and give its id as `efs_file_system`",
                );
                continue;
            }
        };
        out.push(VolumeSpec {
            name: key.to_owned(),
            efs_file_system: file_system,
        });
        c.mounts.push(MountSpec {
            volume: key.to_owned(),
            path,
            read_only,
        });
    }
    Ok(out)
}

/// Patterns whose model has no volumes: mounts are dropped with a note.
fn no_volumes(
    doc: &mut Doc<'_>,
    volumes: &[VolumeSpec],
    container: &mut ContainerSpec,
    section: &str,
) {
    for volume in volumes {
        doc.note(
            &format!("storage.volumes.{}", volume.name),
            format!("`{section}` entries have no volumes in the manifest model (volume skipped); in Rust, add it to the pattern's task definition"),
        );
    }
    container.mounts.clear();
}

/// `cpu` and `memory`, checked against Fargate's sizes.
fn size(doc: &mut Doc<'_>) -> Result<(Option<u32>, Option<u32>), Error> {
    let cpu = doc.u32("cpu")?;
    let memory = doc.u32("memory")?;
    let units = cpu.unwrap_or(256);
    let mib = memory.unwrap_or(512);
    let Some(fargate_cpu) = ecscdk::ecs::FargateCpu::from_units(units) else {
        return Err(doc.invalid(
            "cpu",
            format!(
                "Fargate has no {units} CPU units; use 256, 512, 1024, 2048, 4096, 8192 or 16384"
            ),
        ));
    };
    if let Err(e) = ecscdk::ecs::FargateSize::new(fargate_cpu, mib) {
        let path = if memory.is_some() { "memory" } else { "cpu" };
        return Err(doc.invalid(path, e.to_string()));
    }
    Ok((cpu, memory))
}

/// `platform`: x86 is the default; ARM sets the image build's platform.
/// Returns whether the tasks are ARM64 (a Backend Service's task takes
/// it; the patterns' have no architecture, noted by the caller).
fn platform(doc: &mut Doc<'_>, c: &mut ContainerSpec) -> Result<bool, Error> {
    let given = doc.get("platform");
    doc.consume("platform");
    let (os, arch) = match given {
        None => return Ok(false),
        Some(Value::Mapping(map)) => (
            map.get("osfamily")
                .and_then(scalar_text)
                .unwrap_or_default(),
            map.get("architecture")
                .and_then(scalar_text)
                .unwrap_or_default(),
        ),
        Some(value) => {
            let text = scalar_text(&value).unwrap_or_default();
            match text.split_once('/') {
                Some((os, arch)) => (os.to_owned(), arch.to_owned()),
                None => {
                    return Err(doc.invalid("platform", "expected `os/arch`, such as linux/arm64"));
                }
            }
        }
    };
    let os = os.to_ascii_lowercase();
    let arch = arch.to_ascii_lowercase();
    if os != "linux" {
        doc.note(
            "platform",
            "Windows tasks are not in the manifest model; in Rust, `FargateTaskDefinitionBuilder::runtime_platform`",
        );
        return Ok(false);
    }
    if matches!(arch.as_str(), "arm" | "arm64") {
        if let Some(build) = &mut c.build {
            build.platform = Some(BuildPlatform::LinuxArm64);
        }
        Ok(true)
    } else {
        if let Some(build) = &mut c.build {
            build.platform = Some(BuildPlatform::LinuxAmd64);
        }
        Ok(false)
    }
}

/// `storage.ephemeral`, GiB: 20 to 200 as Copilot checks; 20, Fargate's
/// default, is left out (as Copilot leaves it out).
fn ephemeral(doc: &mut Doc<'_>) -> Result<Option<u32>, Error> {
    match doc.u32("storage.ephemeral")? {
        None | Some(20) => Ok(None),
        Some(gib @ 21..=200) => Ok(Some(gib)),
        Some(gib) => Err(doc.invalid(
            "storage.ephemeral",
            format!("ephemeral storage is 20 to 200 GiB, not {gib}"),
        )),
    }
}

/// The task settings of `platform` and `storage.ephemeral` the patterns'
/// entries have no field for (only a `services` entry's `task` has).
fn pattern_task_notes(
    doc: &mut Doc<'_>,
    cx: &Ctx<'_>,
    container: &ContainerSpec,
    arm: bool,
    ephemeral: Option<u32>,
) {
    let section = cx.section();
    if arm {
        let image = if container.build.is_some() {
            "the image, built for linux/arm64, does not start on them: build it for x86-64 (the build's `platform: linux/amd64`), or make".to_owned()
        } else {
            format!(
                "the image {} starts on them only if it has a linux/amd64 variant; if it has none, make",
                container.image.as_deref().unwrap_or("given")
            )
        };
        doc.note(
            "platform",
            format!("`{section}` entries have no CPU architecture in the manifest model (only a `services` entry's `task.cpu_architecture`): the tasks run on x86-64, not ARM64 (Graviton), and {image} the workload a `services` entry with `task: {{ cpu_architecture: arm64 }}`"),
        );
    }
    if let Some(gib) = ephemeral {
        doc.note(
            "storage.ephemeral",
            format!("`{section}` entries have no ephemeral storage size in the manifest model (only a `services` entry's `task.ephemeral_storage_gib`): the tasks get Fargate's 20 GiB, not {gib} GiB"),
        );
    }
}

/// `exec`: a boolean or `{enable}`.
fn exec(doc: &mut Doc<'_>, cx: &Ctx<'_>) -> Result<bool, Error> {
    if cx.kind == Kind::Job {
        doc.note_if_set("exec", "Copilot ignores `exec` for Scheduled Jobs");
        return Ok(false);
    }
    match doc.get("exec") {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(Value::Mapping(_)) => Ok(doc.bool("exec.enable")?.unwrap_or(false)),
        Some(_) => Err(doc.invalid("exec", "expected true, false or `enable: true`")),
    }
}

/// ECS Exec with a read-only root filesystem: ecscdk wants writable
/// scratch volumes where the agent writes (Copilot deploys it as is, and
/// the agent cannot start). Returns whether exec stays on.
fn exec_scratch(
    doc: &mut Doc<'_>,
    cx: &Ctx<'_>,
    container: &mut ContainerSpec,
    volumes: &mut Vec<VolumeSpec>,
) -> bool {
    if cx.kind == Kind::Worker {
        doc.note(
            "exec",
            "not converted: ECS Exec needs a writable root filesystem or writable volumes, and `queue_processing_services` entries have no volumes in the manifest model; drop `storage.readonly_fs` to use it",
        );
        return false;
    }
    for (name, path) in [
        ("ecs-exec-agent", "/managed-agents"),
        ("ecs-exec-ssm-lib", "/var/lib/amazon/ssm"),
        ("ecs-exec-ssm-log", "/var/log/amazon/ssm"),
    ] {
        volumes.push(VolumeSpec {
            name: name.to_owned(),
            efs_file_system: None,
        });
        container.mounts.push(MountSpec {
            volume: name.to_owned(),
            path: path.to_owned(),
            read_only: false,
        });
    }
    doc.note(
        "exec",
        "converted with three scratch volumes (ecs-exec-*) mounted where the ECS Exec agent writes, which a read-only root filesystem (`storage.readonly_fs`) needs",
    );
    true
}

/// `network.vpc.placement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// Public subnets with a public IP (Copilot's default).
    Public,
    /// Private subnets.
    Private,
    /// Subnets by id (noted: the tasks run in the default subnets).
    Given,
}

fn placement(doc: &mut Doc<'_>) -> Result<Placement, Error> {
    match doc.get("network.vpc.placement") {
        None => Ok(Placement::Public),
        Some(Value::String(s)) if s == "public" => Ok(Placement::Public),
        Some(Value::String(s)) if s == "private" => Ok(Placement::Private),
        Some(Value::Mapping(_)) => {
            doc.note(
                "network.vpc.placement.subnets",
                "tasks placed in given subnets are not in the manifest model: they run in the stack VPC's private subnets",
            );
            Ok(Placement::Given)
        }
        Some(_) => Err(doc.invalid(
            "network.vpc.placement",
            "expected public, private or `subnets: [ids]`",
        )),
    }
}

/// Public placement of a pattern's tasks is not converted: they stay in
/// private subnets, behind the NAT gateways of the stack's VPC.
fn note_public_placement(doc: &mut Doc<'_>, cx: &Ctx<'_>) {
    let path = if doc.has("network.vpc.placement") {
        "network.vpc.placement"
    } else {
        "network.vpc.placement (default public)"
    };
    doc.note(
        path,
        format!("kept private: the tasks run in the VPC's private subnets without a public IP and reach the internet through its NAT gateways; to place them as Copilot did, in public subnets with public IPs, set `subnets: public` and `assign_public_ip: true` on the `{}` entry {}", cx.section(), cx.id),
    );
}

/// `deployment.rollback_alarms`: Copilot's CPU and memory alarms as stack
/// alarms watching the service's deployments; alarms by name are noted.
fn rollback_alarms(doc: &mut Doc<'_>, cx: &Ctx<'_>) -> Result<IndexMap<String, AlarmSpec>, Error> {
    let mut out = IndexMap::new();
    let path = "deployment.rollback_alarms";
    match doc.get(path) {
        None => {}
        Some(Value::Sequence(names)) => {
            let names: Vec<String> = names.iter().filter_map(scalar_text).collect();
            let rust = match cx.kind {
                Kind::Backend => {
                    "; in Rust, `FargateServiceBuilder::deployment_alarms` takes names"
                }
                Kind::Worker => {
                    "; in Rust, the queue processing pattern's `deployment_alarms` takes names"
                }
                _ => "",
            };
            doc.note(
                path,
                format!("rollback on existing CloudWatch alarms by name ({}) is not in the manifest model, whose deployment alarms are the stack's own `alarms` (`deployment_alarm_of: {}`): recreate them there{rust}", names.join(", "), cx.id),
            );
        }
        Some(Value::Mapping(map)) => {
            for key in map.keys().filter_map(Value::as_str) {
                let here = format!("{path}.{key}");
                match key {
                    "cpu_utilization" | "memory_utilization" => {}
                    "messages_delayed" if cx.kind == Kind::Worker => doc.note(
                        &here,
                        "no alarm on the queue's delayed messages (ApproximateNumberOfMessagesDelayed): the manifest model's queue metrics are `oldest_message_age` and `visible_messages`",
                    ),
                    _ => doc.note(&here, super::UNKNOWN),
                }
            }
            let mut made = Vec::new();
            for (key, metric, label) in [
                ("cpu_utilization", "CPU utilization", "Cpu"),
                ("memory_utilization", "memory utilization", "Memory"),
            ] {
                let here = format!("{path}.{key}");
                let Some(threshold) = number(doc, &here)? else {
                    continue;
                };
                let alarm_id = format!("{}{label}RollbackAlarm", cx.id);
                out.insert(
                    alarm_id.clone(),
                    AlarmSpec {
                        metric: format!("{}.{key}", cx.id),
                        threshold,
                        period: Some(Duration::from(std::time::Duration::from_secs(60))),
                        statistic: Some(StatisticSpec::Average),
                        comparison: Some(ComparisonSpec::GreaterThanOrEqual),
                        evaluation_periods: Some(3),
                        datapoints_to_alarm: Some(2),
                        description: Some(format!(
                            "Rolls back a deployment of {} when its {metric} is at least {threshold}% in 2 of 3 periods (Copilot's rollback alarm)",
                            cx.name
                        )),
                        deployment_alarm_of: Some(cx.id.to_owned()),
                        rollback: Some(true),
                        ..AlarmSpec::default()
                    },
                );
                made.push(alarm_id);
            }
            if !made.is_empty() {
                doc.note(
                    path,
                    format!("converted to the stack's alarms {} (the average over 1 minute at or above the threshold in 2 of 3 periods rolls the deployment back, as Copilot's)", made.join(", ")),
                );
            }
        }
        Some(_) => {
            return Err(doc.invalid(
                path,
                "expected a list of alarm names or `cpu_utilization` / `memory_utilization` thresholds",
            ));
        }
    }
    Ok(out)
}

/// A number (a percentage), written as a number or as text.
fn number(doc: &mut Doc<'_>, path: &str) -> Result<Option<f64>, Error> {
    match doc.get(path) {
        None => Ok(None),
        Some(value) => {
            let parsed = match &value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            parsed
                .filter(|n: &f64| n.is_finite())
                .map(Some)
                .ok_or_else(|| doc.invalid(path, "expected a number, such as 70"))
        }
    }
}

/// `count`, read.
#[derive(Debug, Default)]
struct Count {
    desired: Option<u32>,
    range: Option<(u32, u32)>,
    spot: Option<u32>,
    spot_from: Option<u32>,
    cpu: Option<f64>,
    memory: Option<f64>,
}

fn count(doc: &mut Doc<'_>, cx: &Ctx<'_>) -> Result<Count, Error> {
    let mut out = Count::default();
    match doc.get("count") {
        None => {}
        Some(Value::Mapping(_)) => {
            if cx.kind == Kind::Job {
                return Err(doc.invalid("count", "a Scheduled Job cannot have autoscaling options"));
            }
            out.spot = doc.u32("count.spot")?;
            out.desired = out.spot;
            match doc.get("count.range") {
                None => {}
                Some(Value::Mapping(_)) => {
                    let min = doc.u32("count.range.min")?;
                    let max = doc.u32("count.range.max")?;
                    let (Some(min), Some(max)) = (min, max) else {
                        return Err(doc.invalid("count.range", "a range needs `min` and `max`"));
                    };
                    out.range = Some((min, max));
                    out.spot_from = doc.u32("count.range.spot_from")?;
                }
                Some(value) => {
                    let text = scalar_text(&value).unwrap_or_default();
                    let parsed = text
                        .split_once('-')
                        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)));
                    let Some(range) = parsed else {
                        return Err(doc.invalid(
                            "count.range",
                            format!("{text:?} is not a range; write MIN-MAX, such as 1-10"),
                        ));
                    };
                    out.range = Some(range);
                }
            }
            out.cpu = percentage(doc, "count.cpu_percentage")?;
            out.memory = percentage(doc, "count.memory_percentage")?;
            doc.note_if_set(
                "count.cooldown",
                "scaling cooldowns are not in the manifest model: ecscdk keeps the target-tracking defaults (300s)",
            );
            if cx.kind == Kind::Worker {
                doc.note_if_set(
                    "count.queue_delay",
                    "Copilot scales a worker on its backlog per task (acceptable_latency / msg_processing_time); the queue processing pattern scales in steps on the visible messages between `capacity`'s bounds; in Rust, `scaling_steps` tunes them",
                );
                for metric in ["count.cpu_percentage", "count.memory_percentage"] {
                    doc.note_if_set(
                        metric,
                        "the queue processing pattern scales on the backlog only, not on CPU or memory use",
                    );
                }
            } else {
                doc.note_if_set(
                    "count.requests",
                    "scaling on requests per task is not in the manifest model; in Rust, `ScalableTaskCount::on_request_count`",
                );
                doc.note_if_set(
                    "count.response_time",
                    "scaling on response time is not in the manifest model (Copilot tracks TargetResponseTime)",
                );
            }
        }
        Some(value) => {
            let Some(n) = as_u32(&value) else {
                return Err(doc.invalid("count", "expected a number of tasks or a mapping"));
            };
            if cx.kind == Kind::Job {
                doc.note(
                    "count",
                    "Copilot ignores `count` for Scheduled Jobs (one task a run)",
                );
            } else {
                out.desired = Some(n);
            }
        }
    }
    Ok(out)
}

/// A scaling target: a number or `{value, cooldown}`.
fn percentage(doc: &mut Doc<'_>, path: &str) -> Result<Option<f64>, Error> {
    match doc.get(path) {
        None => Ok(None),
        Some(Value::Mapping(_)) => {
            doc.note_if_set(
                &format!("{path}.cooldown"),
                "scaling cooldowns are not in the manifest model: ecscdk keeps the target-tracking defaults (300s)",
            );
            Ok(doc.u32(&format!("{path}.value"))?.map(f64::from))
        }
        Some(value) => as_u32(&value)
            .map(|n| Some(f64::from(n)))
            .ok_or_else(|| doc.invalid(path, "expected a percentage, such as 70")),
    }
}

/// Capacity providers for `spot` and `spot_from`.
fn spot_strategy(count: &Count) -> Vec<CapacityEntry> {
    if count.spot.is_some() {
        return vec![CapacityEntry {
            provider: FargateProvider::FargateSpot,
            base: None,
            weight: None,
        }];
    }
    match (count.spot_from, count.range) {
        (Some(from), Some((min, _))) if from >= min => vec![
            CapacityEntry {
                provider: FargateProvider::FargateSpot,
                base: None,
                weight: None,
            },
            CapacityEntry {
                provider: FargateProvider::Fargate,
                base: Some(from.saturating_sub(1)),
                weight: Some(0),
            },
        ],
        (Some(_), _) => vec![CapacityEntry {
            provider: FargateProvider::FargateSpot,
            base: None,
            weight: None,
        }],
        _ => Vec::new(),
    }
}

fn auto_scaling(count: &Count) -> Option<AutoScalingSpec> {
    count.range.map(|(min, max)| AutoScalingSpec {
        min,
        max,
        cpu_percent: count.cpu,
        memory_percent: count.memory,
    })
}

/// Fields of every type the model has no place for.
fn common_notes(doc: &mut Doc<'_>, cx: &Ctx<'_>) {
    doc.note_if_set(
        "network.vpc.security_groups",
        "extra security groups are not in the manifest model: each service gets its own; in Rust, the builder's `security_group`",
    );
    doc.note_if_set(
        "publish",
        "SNS topics are not in the manifest model; in Rust, `sns::Topic`, and grant the task role `sns:Publish`",
    );
    doc.note_if_set(
        "taskdef_overrides",
        "task definition overrides are not converted: set the fields they change in the manifest, or escape to the CloudFormation resource in Rust",
    );
    doc.note_if_set(
        "observability.tracing",
        "the X-Ray sidecar is not in the manifest model",
    );
    if cx.kind != Kind::Backend {
        let section = cx.section();
        if let Some(Value::Mapping(sidecars)) = doc.get("sidecars") {
            for key in sidecars.keys().filter_map(Value::as_str) {
                doc.note(
                    &format!("sidecars.{key}"),
                    format!("`{section}` entries hold one container in the manifest model (sidecar skipped); {SIDECARS_RUST}"),
                );
            }
        }
        if cx.kind == Kind::Job {
            doc.note_if_set(
                "deployment",
                "Copilot ignores `deployment` for Scheduled Jobs",
            );
            doc.note_if_set(
                "network.connect",
                "Copilot ignores `network.connect` for Scheduled Jobs",
            );
        } else {
            if cx.kind == Kind::Worker {
                doc.note_if_set(
                    "deployment.rolling",
                    format!("`{section}` entries have no deployment percentages in the manifest model: ECS's 100% / 200% (the circuit breaker rolls back, as Copilot's)"),
                );
            }
            if connect_enabled(doc) {
                doc.note(
                    "network.connect",
                    format!("`{section}` entries have no Service Connect in the manifest model: this service cannot reach others by their Service Connect names; in Rust, `FargateServiceBuilder::service_connect`"),
                );
            } else {
                doc.touch("network.connect");
            }
        }
    }
}

/// Whether `network.connect` is on: `true` or `{alias}`.
fn connect_enabled(doc: &mut Doc<'_>) -> bool {
    match doc.get("network.connect") {
        Some(Value::Bool(b)) => b,
        Some(Value::Mapping(map)) => map.get("alias").is_some_and(|v| !v.is_null()),
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)]
fn load_balanced(
    doc: &mut Doc<'_>,
    cx: &Ctx<'_>,
    container: ContainerSpec,
    volumes: Vec<VolumeSpec>,
    cpu: Option<u32>,
    memory: Option<u32>,
    exec: bool,
    count: &Count,
) -> Result<LoadBalancedServiceSpec, Error> {
    if container.ports.is_empty() {
        return Err(doc.invalid(
            "image.port",
            "a Load Balanced Web Service needs `image.port`",
        ));
    }
    let mut spec = LoadBalancedServiceSpec {
        container_name: Some(cx.name.to_owned()),
        cpu,
        memory_mib: memory,
        volumes,
        desired_count: if count.range.is_some() {
            None
        } else {
            count.desired
        },
        certificate_arn: cx.env.certificate.clone(),
        enable_execute_command: exec,
        auto_scaling: auto_scaling(count),
        ..LoadBalancedServiceSpec::default()
    };
    if count.spot.is_some() || count.spot_from.is_some() {
        let path = if count.spot.is_some() {
            "count.spot"
        } else {
            "count.range.spot_from"
        };
        doc.note(
            path,
            "`load_balanced_services` entries have no capacity provider strategy in the manifest model: the tasks run on on-demand Fargate",
        );
    }
    doc.note(
        "(implicit) COPILOT_LB_DNS",
        "the load balancer's DNS name is not given to the container; the stack outputs it instead",
    );
    doc.note(
        "(implicit) service discovery",
        format!("`load_balanced_services` entries have no Cloud Map registration in the manifest model (only `services` entries' `cloud_map`): Copilot's name {}.<env>.{}.local does not resolve; other services reach this one through its load balancer", cx.name, cx.app),
    );

    let http = doc.get("http");
    match http {
        None => {
            return Err(doc.invalid(
                "http",
                "a Load Balanced Web Service needs `http` (with `path`)",
            ));
        }
        Some(Value::Mapping(_)) => {}
        Some(_) => return Err(doc.invalid("http", "expected a mapping, or false with `nlb`")),
    }
    if let Some(path) = doc.str("http.path")?
        && path != "/"
    {
        doc.note(
            "http.path",
            format!("the service gets every path of a load balancer of its own (Copilot routed {path:?} on the environment's shared one); put a reverse proxy in front, or serve the paths at `/`"),
        );
    }
    match doc.get("http.healthcheck") {
        None => {}
        Some(Value::Mapping(_)) => {
            let interval = doc.duration("http.healthcheck.interval")?;
            let timeout = doc.duration("http.healthcheck.timeout")?;
            let port = match doc.u32("http.healthcheck.port")? {
                None => None,
                Some(p) => Some(u16::try_from(p).map_err(|_| {
                    doc.invalid("http.healthcheck.port", "a port is at most 65535")
                })?),
            };
            spec.health_check = Some(TargetHealthCheck {
                port,
                path: doc.str("http.healthcheck.path")?,
                interval: interval.map(Duration::from),
                timeout: timeout.map(Duration::from),
                healthy_threshold: doc.u32("http.healthcheck.healthy_threshold")?,
                unhealthy_threshold: doc.u32("http.healthcheck.unhealthy_threshold")?,
                success_codes: doc.str("http.healthcheck.success_codes")?,
                ..TargetHealthCheck::default()
            });
            doc.note_if_set(
                "http.healthcheck.grace_period",
                "the health check grace period is not in the manifest model (Copilot's default is 60s); in Rust, the builder's `health_check_grace_period`",
            );
        }
        Some(value) => {
            spec.health_check = Some(TargetHealthCheck {
                path: scalar_text(&value),
                ..TargetHealthCheck::default()
            });
        }
    }
    // Copilot's deregistration delay is 60s; the target group's own, 300s.
    spec.deregistration_delay = Some(Duration::from(
        doc.duration("http.deregistration_delay")?
            .unwrap_or(std::time::Duration::from_secs(60)),
    ));
    if doc.bool("http.stickiness")? == Some(true) {
        doc.note(
            "http.stickiness",
            "sticky sessions are not in the manifest model",
        );
    }
    if let Some(target) = doc.str("http.target_container")?
        && target != cx.name
    {
        doc.note(
            "http.target_container",
            "traffic goes to the main container in the manifest model, not to a sidecar",
        );
    }
    let port = container.ports.first().map(|p| u32::from(p.port));
    if let Some(target) = doc.u32("http.target_port")?
        && Some(target) != port
    {
        doc.note(
            "http.target_port",
            "traffic goes to `image.port` in the manifest model",
        );
    }
    for (field, reason) in [
        (
            "http.alias",
            "not converted: Copilot's aliases are records in the application's domain; give `domain_name` and `domain_zone` (the hosted zone's id and name) to the entry",
        ),
        (
            "http.hosted_zone",
            "not converted: `domain_zone` needs the hosted zone's name as well as its id",
        ),
        (
            "http.version",
            "the target group's protocol version is not in the manifest model (HTTP/1.1)",
        ),
        (
            "http.allowed_source_ips",
            "source IP conditions are not in the manifest model: the load balancer takes every address",
        ),
        (
            "http.additional_rules",
            "listener rules are not in the manifest model: the listener forwards everything to this service",
        ),
        (
            "http.alb",
            "an existing load balancer is not in the manifest model: the service gets one of its own",
        ),
        (
            "nlb",
            "a network load balancer is not in the manifest model; in Rust, `NetworkLoadBalancedFargateService`",
        ),
    ] {
        doc.note_if_set(field, reason);
    }
    if doc.bool("http.redirect_to_https")? == Some(false) && cx.env.certificate.is_some() {
        spec.redirect_http = Some(false);
    }
    if doc.str("deployment.rolling")?.as_deref() == Some("recreate") {
        spec.min_healthy_percent = Some(0);
        spec.max_percent = Some(100);
    }
    spec.container = container;
    Ok(spec)
}

fn backend(
    doc: &mut Doc<'_>,
    cx: &Ctx<'_>,
    task: Task,
    exec: bool,
    placement: Placement,
    count: &Count,
) -> Result<ServiceSpec, Error> {
    let Task {
        mut container,
        mut volumes,
        cpu,
        memory,
        arm,
        ephemeral,
    } = task;
    let connect = connect_enabled(doc);
    let alias = doc.str("network.connect.alias")?;
    doc.touch("network.connect");
    let port = container.ports.first().map(|p| p.port);
    let service_connect = match (connect, port) {
        (false, _) => None,
        (true, None) => {
            if alias.is_some() {
                return Err(doc.invalid(
                    "network.connect.alias",
                    "a Service Connect alias needs `image.port`",
                ));
            }
            Some(ServiceConnectSpec::default())
        }
        (true, Some(port)) => {
            if let Some(mapping) = container.ports.first_mut() {
                mapping.name = Some("target".to_owned());
            }
            Some(ServiceConnectSpec {
                ports: vec![ServiceConnectPortSpec {
                    port_name: "target".to_owned(),
                    discovery_name: Some(format!("{}-sc", cx.name)),
                    dns_name: Some(alias.unwrap_or_else(|| cx.name.to_owned())),
                    client_port: Some(port),
                    per_request_timeout: None,
                }],
            })
        }
    };
    // Copilot registers a service with a port as `<svc>` in the
    // environment's namespace: A and SRV records, 10s TTL.
    let cloud_map = port.map(|port| {
        doc.note(
            "(implicit) service discovery",
            format!("converted to `cloud_map: {{ name: {} }}` ({}.<env>.{}.local) with A records and Copilot's 10s TTL; Copilot's SRV records, which carry the port, are not made: clients use port {port}", cx.name, cx.name, cx.app),
        );
        CloudMapSpec {
            name: cx.name.to_owned(),
            dns_ttl: Some(Duration::from(std::time::Duration::from_secs(10))),
            ..CloudMapSpec::default()
        }
    });

    let mut containers = IndexMap::new();
    containers.insert(cx.name.to_owned(), container);
    sidecars(doc, &mut containers, &mut volumes)?;

    let (min_healthy_percent, max_percent) = match doc.str("deployment.rolling")?.as_deref() {
        Some("recreate") => (Some(0), Some(100)),
        _ => (None, None),
    };

    let public = placement == Placement::Public;
    let spec = ServiceSpec {
        task: Some(TaskDefinitionSpec {
            cpu,
            memory_mib: memory,
            cpu_architecture: arm.then_some(CpuArchitectureSpec::Arm64),
            ephemeral_storage_gib: ephemeral,
            volumes,
            containers,
            ..TaskDefinitionSpec::default()
        }),
        desired_count: if count.range.is_some() {
            None
        } else {
            count.desired
        },
        min_healthy_percent,
        max_percent,
        enable_execute_command: exec,
        capacity_provider_strategy: spot_strategy(count),
        assign_public_ip: public,
        subnets: match placement {
            Placement::Public => Some(SubnetKind::Public),
            Placement::Private => Some(SubnetKind::Private),
            Placement::Given => None,
        },
        service_connect,
        cloud_map,
        auto_scaling: auto_scaling(count),
        ..ServiceSpec::default()
    };
    Ok(spec)
}

/// Sidecars as more containers of the task.
fn sidecars(
    doc: &mut Doc<'_>,
    containers: &mut IndexMap<String, ContainerSpec>,
    volumes: &mut [VolumeSpec],
) -> Result<(), Error> {
    let Some(sidecars) = doc.map("sidecars")? else {
        return Ok(());
    };
    // Copilot adds sidecars sorted by name.
    let mut names: Vec<String> = sidecars
        .keys()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    names.sort();
    for name in names {
        let prefix = format!("sidecars.{name}");
        let mut c = ContainerSpec::default();
        match doc.get(&format!("{prefix}.image")) {
            Some(Value::Mapping(_)) => image(doc, &format!("{prefix}.image"), &mut c)?,
            Some(value) => c.image = scalar_text(&value),
            None => {
                return Err(doc.invalid(&prefix, "a sidecar needs `image`"));
            }
        }
        if let Some(port) = doc.str(&format!("{prefix}.port"))? {
            let (number, protocol) = match port.split_once('/') {
                Some((n, p)) => (n.to_owned(), Some(p.to_ascii_lowercase())),
                None => (port.clone(), None),
            };
            let Ok(number) = number.parse::<u16>() else {
                return Err(
                    doc.invalid(&format!("{prefix}.port"), "expected PORT or PORT/PROTOCOL")
                );
            };
            c.ports.push(PortSpec {
                port: number,
                protocol: match protocol.as_deref() {
                    Some("udp") => Some(PortProtocol::Udp),
                    _ => None,
                },
                ..PortSpec::default()
            });
        }
        c.essential =
            Some(doc.bool(&format!("{prefix}.essential"))?.unwrap_or(true)).filter(|e| !e);
        // Copilot's sidecars have a writable root filesystem.
        c.read_only_root_filesystem = Some(false);
        variables(doc, &prefix, &mut c)?;
        secrets(doc, &prefix, &mut c)?;
        c.command = doc.words(&format!("{prefix}.command"))?;
        c.entry_point = doc.words(&format!("{prefix}.entrypoint"))?;
        c.health_check = container_health_check(doc, &format!("{prefix}.healthcheck"))?;
        if let Some(Value::Sequence(points)) = doc.get(&format!("{prefix}.mount_points")) {
            for point in points {
                let volume = point.get("source_volume").and_then(scalar_text);
                let path = point.get("path").and_then(scalar_text);
                let (Some(volume), Some(path)) = (volume, path) else {
                    return Err(doc.invalid(
                        &format!("{prefix}.mount_points"),
                        "a mount point needs `source_volume` and `path`",
                    ));
                };
                if !volumes.iter().any(|v| v.name == volume) {
                    doc.note(
                        &format!("{prefix}.mount_points"),
                        format!("no converted volume {volume:?} (mount skipped)"),
                    );
                    continue;
                }
                let read_only = point
                    .get("read_only")
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
                c.mounts.push(MountSpec {
                    volume,
                    path,
                    read_only,
                });
            }
        }
        for (field, reason) in [
            (
                "credentialsParameter",
                "private registry credentials are not in the manifest model",
            ),
            ("labels", "Docker labels are not in the manifest model"),
            (
                "depends_on",
                "container start order is not in the manifest model; in Rust, `ContainerBuilder::depends_on`",
            ),
            (
                "env_file",
                "env files are not in the manifest model; in Rust, `ContainerBuilder::environment_file`",
            ),
        ] {
            doc.note_if_set(&format!("{prefix}.{field}"), reason);
        }
        containers.insert(name, c);
    }
    Ok(())
}

fn worker(
    doc: &mut Doc<'_>,
    cx: &Ctx<'_>,
    container: ContainerSpec,
    cpu: Option<u32>,
    memory: Option<u32>,
    exec: bool,
    count: &Count,
) -> Result<QueueProcessingServiceSpec, Error> {
    // Copilot's worker runs `count` tasks (1 unless set), or scales in its
    // range.
    let capacity = match (count.range, count.desired) {
        (Some((min, max)), _) => Some([min, max]),
        (None, Some(n)) => Some([n, n]),
        (None, None) => Some([1, 1]),
    };
    let capacity = match capacity {
        Some([_, 0]) => {
            doc.note(
                "count",
                "a worker of no tasks is not converted: the pattern runs at least one",
            );
            None
        }
        other => other,
    };
    let queue = "subscribe.queue";
    let retention = doc.duration(&format!("{queue}.retention"))?;
    let timeout = doc.duration(&format!("{queue}.timeout"))?;
    let tries = doc.u32(&format!("{queue}.dead_letter.tries"))?;
    if tries.is_none() {
        doc.note(
            "subscribe.queue.dead_letter",
            "Copilot keeps failed messages in the queue without a dead-letter queue; the pattern moves them to one after 3 receives",
        );
    }
    doc.note_if_set(
        &format!("{queue}.delay"),
        "a queue delivery delay is not in the manifest model; in Rust, `QueueBuilder::delivery_delay` for a queue given to the pattern",
    );
    doc.note_if_set(
        &format!("{queue}.fifo"),
        "FIFO queues are not in the manifest model; in Rust, `QueueBuilder::fifo` for a queue given to the pattern",
    );
    if let Some(Value::Sequence(topics)) = doc.get("subscribe.topics") {
        let names: Vec<String> = topics
            .iter()
            .map(|t| {
                let service = t.get("service").and_then(scalar_text).unwrap_or_default();
                let name = t.get("name").and_then(scalar_text).unwrap_or_default();
                format!("{}-<env>-{service}-{name}", cx.app)
            })
            .collect();
        doc.note(
            "subscribe.topics",
            format!("SNS subscriptions (topics {}) are not in the manifest model: the queue receives nothing from them; in Rust, subscribe the pattern's queue to the topics (`sns::Subscription`, with their filter policies)", names.join(", ")),
        );
    }
    doc.note(
        "(implicit) COPILOT_QUEUE_URI",
        "the container gets the queue's name in QUEUE_NAME (the pattern's variable), not its URL in COPILOT_QUEUE_URI",
    );
    let strategy = spot_strategy(count);
    Ok(QueueProcessingServiceSpec {
        container_name: Some(cx.name.to_owned()),
        container,
        cpu,
        memory_mib: memory,
        visibility_timeout: timeout.map(Duration::from),
        retention_period: retention.map(Duration::from),
        max_receive_count: tries,
        capacity,
        capacity_provider_strategy: strategy,
        enable_execute_command: exec,
        ..QueueProcessingServiceSpec::default()
    })
}

fn job(
    doc: &mut Doc<'_>,
    cx: &Ctx<'_>,
    container: ContainerSpec,
    cpu: Option<u32>,
    memory: Option<u32>,
) -> Result<ScheduledTaskSpec, Error> {
    let Some(text) = doc.str("on.schedule")? else {
        return Err(doc.invalid("on", "a Scheduled Job needs `on.schedule`"));
    };
    let (schedule, enabled) = match schedule::convert(&text) {
        Ok(Schedule::Expression(e)) => (e, None),
        Ok(Schedule::Disabled) => ("rate(5 minutes)".to_owned(), Some(false)),
        Err(e) => return Err(doc.invalid("on.schedule", e)),
    };
    let retries = doc.u32("retries")?;
    if retries.is_some() {
        doc.note(
            "retries",
            "converted to `retry_attempts`, which retries starting a run that could not start; Copilot's state machine also retried runs whose task failed (every 10s, backoff 1.5)",
        );
    }
    doc.note_if_set(
        "timeout",
        "a run time limit is not in the manifest model: EventBridge Scheduler starts the task and does not stop it (Copilot's state machine stopped it after the timeout)",
    );
    Ok(ScheduledTaskSpec {
        container_name: Some(cx.name.to_owned()),
        container,
        cpu,
        memory_mib: memory,
        schedule,
        retry_attempts: retries,
        enabled,
        ..ScheduledTaskSpec::default()
    })
}
