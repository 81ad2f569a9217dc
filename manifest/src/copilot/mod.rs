//! An importer of AWS Copilot workspaces: [`import`] reads `copilot/` and
//! returns an ecscdk [`Manifest`] with one stack per Copilot environment,
//! and a [`Note`] for every Copilot field it did not convert, with the
//! reason (and, where one exists, the ecscdk builder that can do it in
//! Rust).
//!
//! # What is read
//!
//! - `copilot/.workspace`: the application's name (`application:`).
//! - `copilot/environments/<env>/manifest.yml` (`type: Environment`): one
//!   stack each, named `<app>-<env>`, in the order of the names.
//! - `copilot/<name>/manifest.yml`: one workload each, by its `type:`.
//!   `Load Balanced Web Service`, `Backend Service`, `Worker Service` and
//!   `Scheduled Job` are converted; other types (`Request-Driven Web
//!   Service`, `Static Site`), a Backend Service with `http` (Copilot's
//!   internal load balancer) and a web service with only a network load
//!   balancer are skipped with a note. `addons/` and `overrides/`
//!   directories are noted too: they are CloudFormation the importer does
//!   not read.
//!
//! For each environment, a workload's `environments.<env>` override is
//! merged onto its base as Copilot merges it: mappings field by field,
//! scalars and lists replaced (an explicit `false`, `0` or `[]` too), the
//! entries of `variables` and `secrets` replaced whole, and a field of one
//! form replacing the other (`count: 1` drops the base's autoscaling map;
//! `image.build` drops `image.location`; `count.spot` drops the range and
//! metrics). Then `${COPILOT_APPLICATION_NAME}` and
//! `${COPILOT_ENVIRONMENT_NAME}` are substituted; other `${VAR}` come from
//! the shell that ran `copilot deploy`: they are kept as written, with a
//! note.
//!
//! # How it maps
//!
//! - **Stacks** are environment-agnostic: Copilot keeps accounts and Regions
//!   in its application's SSM parameters, not in the workspace. A note says
//!   to add `environments:` and the stacks' `environment:`. Each stack is
//!   tagged `copilot-application` and `copilot-environment`.
//! - **VPC**: `network.vpc.cidr` → `cidr`; the number of subnets per kind →
//!   `max_azs`. Subnet ranges and zone names, flow logs and security group
//!   rules are noted. An imported VPC (`id` with `subnets.public` /
//!   `private` ids) leaves the stack with a new VPC: `vpc.existing` needs
//!   the subnets' Availability Zones, which Copilot's manifest does not
//!   name; the note spells out the `vpc: { existing: { id, availability_zones,
//!   public_subnets, private_subnets } }` to write, with Copilot's ids and a
//!   placeholder per zone.
//! - **Cluster**: `observability.container_insights` → `container_insights`
//!   (`disabled` when unset, Copilot's default); `fargate_capacity_providers`
//!   when a workload of the environment uses Spot; the namespace
//!   `<env>.<app>.local` (private DNS, as Copilot's environment always has)
//!   when the environment has a Backend Service (Cloud Map, Service
//!   Connect).
//! - **Construct ids** are the workload names in PascalCase (`my-api` →
//!   `MyApi`); the container keeps the workload's name, as in Copilot.
//! - **Containers**: `image.location` → `image`; `image.build` → `build`,
//!   whose context stays relative to the workspace (the manifest is meant to
//!   be written at the workspace's root, next to `copilot/`) and whose
//!   Dockerfile becomes relative to the context; `platform` (`linux/arm64`
//!   or `{osfamily, architecture}`) → the build's platform, and for a
//!   Backend Service the task's `cpu_architecture: arm64` (the patterns'
//!   entries have no architecture: their tasks run on x86-64, noted);
//!   `image.port` → `ports`; `image.healthcheck` → `health_check` with
//!   Copilot's defaults for unset keys (10s, 2 retries, 5s; exec-form commands run through the
//!   shell, noted); `command`/`entrypoint` (a string is split with shell
//!   rules, as Copilot's `shlex`); `variables` → `environment`, after the
//!   `COPILOT_APPLICATION_NAME`, `COPILOT_ENVIRONMENT_NAME`,
//!   `COPILOT_SERVICE_NAME` and `COPILOT_SERVICE_DISCOVERY_ENDPOINT`
//!   Copilot injects; `secrets`: an SSM name or ARN → `ssm_parameter`, a
//!   Secrets Manager ARN → `secrets_manager` (and `json_key`), a secret by
//!   name or `from_cfn` is noted; `logging.retention` → `logging` (stream
//!   prefix `copilot`); `storage.readonly_fs`; `storage.volumes` → scratch
//!   or EFS (by id) volumes and mounts; `storage.ephemeral` → a Backend
//!   Service task's `ephemeral_storage_gib` (20, Fargate's default, left
//!   out; noted for the patterns, whose tasks keep 20 GiB).
//! - **Placement**: `network.vpc.placement: private` → `subnets: private`.
//!   `public`, Copilot's default, → `subnets: public` with
//!   `assign_public_ip` for a Backend Service; the patterns' tasks stay in
//!   private subnets behind the VPC's NAT gateways (ecscdk's default, not
//!   reachable from the internet), with a note naming `subnets: public` and
//!   `assign_public_ip: true`, which would place them as Copilot did.
//! - **Rollback alarms**: `deployment.rollback_alarms` thresholds
//!   `cpu_utilization` / `memory_utilization` (Load Balanced Web, Backend
//!   and Worker Services) → stack `alarms` `<Id>CpuRollbackAlarm` /
//!   `<Id>MemoryRollbackAlarm` on `<Id>.cpu_utilization` /
//!   `.memory_utilization`, as Copilot's (`>=` the threshold in 2 of 3
//!   periods), with `deployment_alarm_of: <Id>` and `rollback: true`; noted
//!   that their periods are the metric's 5 minutes, not Copilot's 1. Alarms
//!   by name and a worker's `messages_delayed` are noted.
//! - **Task size**: `cpu`, `memory` (checked against Fargate's sizes).
//! - **Load Balanced Web Service** → `load_balanced_services`: `count`
//!   number → `desired_count`; `count.range` with `cpu_percentage` /
//!   `memory_percentage` → `auto_scaling`; `http.healthcheck` → the target
//!   group's `health_check` (only the keys set, as Copilot);
//!   `http.deregistration_delay` (Copilot's 60s default written out); the
//!   environment's first `http.public.certificates` → `certificate_arn`;
//!   `exec`. `http.path` other than `/`, aliases, Spot, public placement,
//!   Service Connect and Copilot's Cloud Map name (the pattern's entries
//!   have no `cloud_map`) are noted.
//! - **Backend Service** → `services` with an inline `task` holding the
//!   main container and the sidecars (sorted by name, as Copilot);
//!   `count` (Spot → `capacity_provider_strategy`: `spot` all on
//!   `FARGATE_SPOT`, `range.spot_from: N` → `FARGATE` base N-1 weight 0 and
//!   `FARGATE_SPOT`); `network.connect` → `service_connect`, offering the
//!   port named `target` as Copilot does (discovery name `<svc>-sc`, DNS
//!   name the alias or the service's name); with `image.port`, Copilot's
//!   service discovery name `<svc>.<env>.<app>.local` → `cloud_map: { name:
//!   <svc>, dns_ttl: 10s }` beside it (A records; Copilot's SRV records are
//!   noted); `deployment.rolling: recreate` → 0% / 100%.
//! - **Worker Service** → `queue_processing_services`: `count` → `capacity`
//!   (`[n, n]` for a number, `[1, 1]` unset, the range otherwise);
//!   `subscribe.queue.retention` → `retention_period`, `timeout` →
//!   `visibility_timeout`, `dead_letter.tries` → `max_receive_count`. Topic
//!   subscriptions, `queue_delay` scaling, the queue's `delay` and
//!   `deployment.rolling` (the pattern has no deployment percentages) are
//!   noted.
//! - **Scheduled Job** → `scheduled_tasks`: `on.schedule` converted exactly
//!   as Copilot converts it (`@daily` → `cron(0 0 * * ? *)`, `@every 1h30m`
//!   → `rate(90 minutes)`, `30 2 * * 1-5` → `cron(30 2 ? * 2-6 *)`, `none`
//!   → disabled); `retries` → `retry_attempts` (noted: the semantics
//!   differ); `timeout` is noted.
//!
//! Stack outputs name each load balancer's DNS name (`<Id>LoadBalancerDns`)
//! and each worker's queue URL (`<Id>QueueUrl`).
//!
//! Notes that are the same in every environment are given once, without an
//! environment. Copilot's physical names (log groups `/copilot/…`, task
//! families, alarm names) and the resources Copilot makes
//! for its own machinery (custom resources, the shared load balancer) are
//! not kept: CloudFormation would create new resources, not adopt Copilot's.

mod env;
mod schedule;
mod workload;
mod yaml;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_norway::Value;

use crate::error::Error;
use crate::model::{ClusterSpec, Manifest, NamespaceKind, NamespaceSpec, StackSpec};
use workload::{Kind, Spec};
use yaml::{Doc, File};

/// The reason given to fields the importer does not know.
const UNKNOWN: &str = "not converted: the importer knows no ecscdk equivalent of this field";
/// The reason given to `${VAR}` kept as written.
const SHELL_VARIABLE: &str = "`${VAR}` other than COPILOT_APPLICATION_NAME and COPILOT_ENVIRONMENT_NAME comes from the shell that ran `copilot deploy`: kept as written, replace it";

/// A converted Copilot workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The ecscdk manifest: one stack per Copilot environment. Build
    /// contexts are relative to the workspace, where the manifest is meant
    /// to be written.
    pub manifest: Manifest,
    /// What was not converted, file by file.
    pub notes: Vec<Note>,
}

/// A Copilot field the importer did not convert (or converted with a
/// difference worth knowing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The Copilot manifest, relative to the workspace
    /// (`copilot/api/manifest.yml`).
    pub file: PathBuf,
    /// The field's path in the Copilot YAML, such as `http.stickiness`;
    /// `(implicit) …` for something Copilot does without a field.
    pub field: String,
    /// The environment whose merged manifest has the field; none when the
    /// note holds for every environment (or the file is an environment's).
    pub environment: Option<String>,
    /// Why it is not converted, and what to do instead.
    pub reason: String,
}

impl Import {
    /// The notes as text, one line each, `file: field (environment):
    /// reason`, grouped by file with a blank line between files.
    #[must_use]
    pub fn report(&self) -> String {
        let mut out = String::new();
        let mut files: Vec<&Path> = Vec::new();
        for note in &self.notes {
            if !files.contains(&note.file.as_path()) {
                files.push(&note.file);
            }
        }
        for (i, file) in files.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            for note in self.notes.iter().filter(|n| n.file == *file) {
                let _ = write!(out, "{}: {}", file.display(), note.field);
                if let Some(env) = &note.environment {
                    let _ = write!(out, " ({env})");
                }
                let _ = writeln!(out, ": {}", note.reason);
            }
        }
        out
    }
}

/// Imports the Copilot workspace at `workspace`, the directory that holds
/// `copilot/`.
///
/// # Errors
/// [`Error::Io`] for a file or directory that cannot be read (such as a
/// missing `copilot/.workspace`); [`Error::Parse`] for a manifest that is
/// not YAML; [`Error::Invalid`] for one Copilot would reject, such as a
/// `name:` that is not its directory's, a missing image or schedule, or a
/// value of the wrong type. Each names the file, and the field.
pub fn import(workspace: &Path) -> Result<Import, Error> {
    let ws = File::read(workspace, Path::new("copilot/.workspace"))?;
    let Some(app) = ws.top_str("application").map(str::to_owned) else {
        return Err(ws.invalid(
            "application",
            "`.workspace` names the application: `application: NAME`",
        ));
    };
    let mut notes = Vec::new();

    let mut envs = Vec::new();
    let env_dir = Path::new("copilot/environments");
    for name in subdirectories(workspace, env_dir)? {
        let rel = env_dir.join(&name).join("manifest.yml");
        if !workspace.join(&rel).is_file() {
            continue;
        }
        let file = File::read(workspace, &rel)?;
        let info = env::convert(&file, &name, &app)?;
        notes.push(Note {
            file: rel.clone(),
            field: "(account and Region)".to_owned(),
            environment: None,
            reason: format!("Copilot keeps the environment's account and Region in its application, not in the workspace: the stack {app}-{name} is environment-agnostic; add an entry to `environments:` and name it in the stack's `environment:`"),
        });
        notes.extend(info.notes.iter().cloned());
        envs.push(info);
    }
    for dir in ["addons", "overrides"] {
        if workspace.join(env_dir).join(dir).is_dir() {
            notes.push(Note {
                file: env_dir.join(dir),
                field: format!("{dir}/"),
                environment: None,
                reason: extension_reason(dir),
            });
        }
    }
    if envs.is_empty() {
        notes.push(Note {
            file: env_dir.to_owned(),
            field: "(environments)".to_owned(),
            environment: None,
            reason: "no environment manifests (`copilot env init` writes them): the manifest has no stacks".to_owned(),
        });
    }

    let mut stacks: IndexMap<String, StackSpec> = IndexMap::new();
    for env in &envs {
        stacks.insert(format!("{app}-{}", env.name), stack(&app, env));
    }

    for name in subdirectories(workspace, Path::new("copilot"))? {
        if name == "environments" || name == "pipelines" {
            continue;
        }
        let rel = Path::new("copilot").join(&name).join("manifest.yml");
        if !workspace.join(&rel).is_file() {
            continue;
        }
        let file = File::read(workspace, &rel)?;
        let kind_text = file.top_str("type").map(str::to_owned);
        let Some(kind_text) = kind_text else {
            return Err(file.invalid(
                "type",
                "a workload manifest needs `type:`, such as `Backend Service`",
            ));
        };
        if file.top_str("name") != Some(name.as_str()) {
            return Err(file.invalid(
                "name",
                format!("Copilot requires `name:` to be the directory's name {name:?}"),
            ));
        }
        for dir in ["addons", "overrides"] {
            if workspace.join("copilot").join(&name).join(dir).is_dir() {
                notes.push(Note {
                    file: Path::new("copilot").join(&name).join(dir),
                    field: format!("{dir}/"),
                    environment: None,
                    reason: extension_reason(dir),
                });
            }
        }
        let Some(kind) = Kind::of(&kind_text) else {
            notes.push(Note {
                file: rel.clone(),
                field: "type".to_owned(),
                environment: None,
                reason: format!(
                    "a {kind_text} is not an ECS service on Fargate: not converted (skipped)"
                ),
            });
            continue;
        };
        let id = construct_id(&name);
        let mut file_notes = Vec::new();
        let overrides = match file.root.get("environments") {
            None | Some(Value::Null) => serde_norway::Mapping::new(),
            Some(Value::Mapping(map)) => map.clone(),
            Some(_) => {
                return Err(file.invalid(
                    "environments",
                    "expected a mapping of environment names to overrides",
                ));
            }
        };
        for key in overrides.keys().filter_map(Value::as_str) {
            if !envs.iter().any(|e| e.name == key) {
                file_notes.push(Note {
                    file: rel.clone(),
                    field: format!("environments.{key}"),
                    environment: None,
                    reason: format!("no environment manifest copilot/environments/{key}/manifest.yml: the override is not used"),
                });
            }
        }
        for env in &envs {
            let mut base = Value::Mapping(file.root.clone());
            if let Value::Mapping(map) = &mut base {
                map.remove("environments");
            }
            match overrides.get(env.name.as_str()) {
                None | Some(Value::Null) => {}
                Some(over @ Value::Mapping(_)) => yaml::merge(&mut base, over, ""),
                Some(_) => {
                    return Err(file.invalid(
                        &format!("environments.{}", env.name),
                        "expected a mapping of overridden fields",
                    ));
                }
            }
            let kept = yaml::interpolate(&mut base, &app, &env.name, "");
            let mut doc = Doc::new(&file, Some(&env.name), base);
            for path in kept {
                doc.note(&path, SHELL_VARIABLE);
            }
            let converted = workload::convert(&mut doc, &app, &name, &id, kind, env)?;
            if converted.is_some() {
                doc.leftovers(UNKNOWN);
            }
            file_notes.append(&mut doc.notes);
            let Some(converted) = converted else { continue };
            let Some(stack) = stacks.get_mut(&format!("{app}-{}", env.name)) else {
                continue;
            };
            place(stack, &id, converted);
        }
        notes.extend(collapse(file_notes, envs.len()));
    }
    Ok(Import {
        manifest: Manifest {
            stacks,
            ..Manifest::default()
        },
        notes,
    })
}

fn extension_reason(dir: &str) -> String {
    if dir == "addons" {
        "addons are CloudFormation templates Copilot deploys as nested stacks: not converted; in Rust, write their resources with the builders or include the template".to_owned()
    } else {
        "overrides patch the CloudFormation Copilot generates: not converted; reapply what they change to the imported manifest".to_owned()
    }
}

/// The environment's stack before its workloads.
fn stack(app: &str, env: &env::EnvInfo) -> StackSpec {
    let mut tags = IndexMap::new();
    tags.insert("copilot-application".to_owned(), app.to_owned());
    tags.insert("copilot-environment".to_owned(), env.name.clone());
    StackSpec {
        description: Some(format!(
            "Copilot environment {} of application {app}, imported by ecscdk",
            env.name
        )),
        tags,
        vpc: Some(env.vpc.clone()),
        cluster: Some(ClusterSpec {
            container_insights: Some(env.container_insights),
            ..ClusterSpec::default()
        }),
        ..StackSpec::default()
    }
}

/// Adds a converted workload to its stack (and what its cluster needs).
fn place(stack: &mut StackSpec, id: &str, converted: workload::Converted) {
    if let Some(cluster) = &mut stack.cluster {
        if converted.uses_spot {
            cluster.fargate_capacity_providers = true;
        }
        if converted.uses_namespace && cluster.default_cloud_map_namespace.is_none() {
            let name = match (
                stack.tags.get("copilot-environment"),
                stack.tags.get("copilot-application"),
            ) {
                (Some(env), Some(app)) => format!("{env}.{app}.local"),
                _ => "local".to_owned(),
            };
            cluster.default_cloud_map_namespace = Some(NamespaceSpec {
                name,
                kind: Some(NamespaceKind::PrivateDns),
            });
        }
    }
    stack.alarms.extend(converted.alarms);
    match converted.spec {
        Spec::LoadBalanced(spec) => {
            stack.outputs.insert(
                format!("{id}LoadBalancerDns"),
                format!("{id}.load_balancer_dns"),
            );
            stack.load_balanced_services.insert(id.to_owned(), *spec);
        }
        Spec::Service(spec) => {
            stack.services.insert(id.to_owned(), *spec);
        }
        Spec::Queue(spec) => {
            stack
                .outputs
                .insert(format!("{id}QueueUrl"), format!("{id}.queue_url"));
            stack.queue_processing_services.insert(id.to_owned(), *spec);
        }
        Spec::Scheduled(spec) => {
            stack.scheduled_tasks.insert(id.to_owned(), *spec);
        }
    }
}

/// A workload's name as a construct id: its words in PascalCase.
fn construct_id(name: &str) -> String {
    let mut id = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.extend(chars);
        }
    }
    if id.is_empty() {
        "Workload".to_owned()
    } else {
        id
    }
}

/// Notes of one workload file: one without environment when every
/// environment has it, else one per environment, in first-seen order.
fn collapse(notes: Vec<Note>, env_count: usize) -> Vec<Note> {
    let mut groups: Vec<(Note, Vec<Option<String>>)> = Vec::new();
    for note in notes {
        let key = |n: &Note| (n.field.clone(), n.reason.clone());
        match groups.iter_mut().find(|(n, _)| key(n) == key(&note)) {
            Some((_, envs)) => {
                if !envs.contains(&note.environment) {
                    envs.push(note.environment);
                }
            }
            None => {
                let env = note.environment.clone();
                groups.push((note, vec![env]));
            }
        }
    }
    let mut out = Vec::new();
    for (note, envs) in groups {
        if envs.iter().any(Option::is_none) || envs.len() >= env_count {
            out.push(Note {
                environment: None,
                ..note
            });
        } else {
            for env in envs {
                out.push(Note {
                    environment: env,
                    ..note.clone()
                });
            }
        }
    }
    out
}

/// The names of the directories in `workspace/dir`, sorted; none when it
/// does not exist.
fn subdirectories(workspace: &Path, dir: &Path) -> Result<Vec<String>, Error> {
    let full = workspace.join(dir);
    if !full.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&full).map_err(|source| Error::Io {
        file: full.clone(),
        source,
    })?;
    let mut names = BTreeMap::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            file: full.clone(),
            source,
        })?;
        if entry.path().is_dir()
            && let Some(name) = entry.file_name().to_str()
        {
            names.insert(name.to_owned(), ());
        }
    }
    Ok(names.into_keys().collect())
}
