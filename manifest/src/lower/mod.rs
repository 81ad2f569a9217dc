//! Lowering a [`Manifest`] to the `ecscdk` builders: each entry becomes the
//! builder calls a Rust program would make, in the same order, so both write
//! the same templates. Nothing here writes CloudFormation itself.

use std::path::Path;

use ecscdk::App;
use ecscdk::cloudwatch::{
    Alarm, Comparison, Dashboard, Metric, RecommendedAlarms, Statistic, TextWidget,
    TreatMissingData,
};
use ecscdk::ec2::{Connectable, Peer, Port, SubnetSelection, Vpc, VpcAttributes};
use ecscdk::ecr_assets::{AssetImage, Platform};
use ecscdk::ecs::{
    self, AmiFamily, AmiHardware, AsgCapacityProvider, AutoScalingGroup, CloudMapOptions, Cluster,
    Container, ContainerBuilder, ContainerImage, ContainerSecret, CpuArchitecture, CpuManufacturer,
    Ec2NetworkMode, Ec2Service, Ec2TaskDefinition, Ec2Volume, EcsOptimizedImage, EfsVolume,
    FARGATE_SIZES, FargateCapacity, FargateCpu, FargateService, FargateSize, FargateTaskDefinition,
    HealthCheck, InstanceGeneration, InstanceRequirements, LogDriver,
    ManagedInstancesCapacityProvider, ManagedInstancesNetworkMode, ManagedInstancesService,
    ManagedInstancesTaskDefinition, OperatingSystem, PortMapping, ServiceConnect,
    ServiceConnectPort, ServiceScaling, Volume,
};
use ecscdk::elbv2;
use ecscdk::guardduty::{DETECTOR_WARNING, RuntimeMonitoring};
use ecscdk::logs::RetentionDays;
use ecscdk::patterns::{
    ApplicationLoadBalancedFargateService, NetworkLoadBalancedFargateService,
    QueueProcessingFargateService, ScheduledFargateTask,
};
use ecscdk::route53::HostedZone;
use ecscdk::scheduler::ScheduleExpression;
use ecscdk::servicediscovery::{DnsRecordType, NamespaceType};
use ecscdk::sns::{Subscription, Topic};
use ecscdk::synth::{Env, ReferenceStrength, Stack, Value};
use indexmap::IndexMap;

use crate::error::{Error, Place};
use crate::locate::{FieldPath, locate};
use crate::model::{
    self, AutoScalingSpec, CapacityEntry, ContainerSpec, Manifest, StackSpec, VolumeSpec,
};
use crate::read::Format;

mod capacity;
mod container;
mod monitoring;
mod network;
mod outputs;
mod patterns;
mod services;

use container::{fargate_cpu, lower_container, lower_volume};
use monitoring::topic_ref;
use services::{auto_scale, capacity, circuit_breaker, scale, subnets};

/// The text a manifest was read from, for placing errors and resolving
/// relative paths.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file's name, as errors show it.
    pub file: &'a str,
    /// Its text.
    pub text: &'a str,
    /// Its format.
    pub format: Format,
    /// The directory relative paths (build contexts) start from.
    pub base_dir: &'a Path,
}

impl Source<'_> {
    fn place(&self, path: &FieldPath) -> Place {
        Place {
            file: self.file.to_owned(),
            location: locate(self.format, self.text, path),
            path: path.clone(),
        }
    }

    fn invalid(&self, path: &FieldPath, message: impl Into<String>) -> Error {
        Error::Invalid {
            at: self.place(path),
            message: message.into(),
        }
    }

    fn build(&self, path: &FieldPath, source: ecscdk::Error) -> Error {
        Error::Build {
            at: self.place(path),
            source: Box::new(source),
        }
    }
}

/// Builds the app a manifest describes.
///
/// # Errors
/// [`Error::Invalid`] for references to entries that do not exist and
/// values no builder takes; [`Error::Build`] with the builder's own error
/// (which names the construct path) placed at the entry that made it.
pub fn lower(manifest: &Manifest, src: &Source<'_>) -> Result<App, Error> {
    let context = manifest
        .context_file
        .as_deref()
        .unwrap_or("cdk.context.json");
    let mut app = App::new().context_file(src.base_dir.join(context));
    if let Some(strength) = manifest.cross_stack_references {
        app = app.cross_stack_references(match strength {
            model::ReferenceStrength::Strong => ReferenceStrength::Strong,
            model::ReferenceStrength::Weak => ReferenceStrength::Weak,
        });
    }
    let stacks = FieldPath::default().key("stacks");
    let mut done: IndexMap<String, Built> = IndexMap::new();
    for (name, spec) in &manifest.stacks {
        let at = stacks.key(name);
        let (stack, built) = lower_stack(manifest, name, spec, &done, &at, src)?;
        app.add(stack).map_err(|e| src.build(&at, e))?;
        done.insert(name.clone(), built);
    }
    Ok(app)
}

/// A stack being lowered: what its sections read and what they built.
struct Lowering<'a> {
    stack: Stack,
    built: Built,
    spec: &'a StackSpec,
    at: &'a FieldPath,
    src: &'a Source<'a>,
    done: &'a IndexMap<String, Built>,
}

/// What a stack's entries became, for references between them and from
/// the stacks after it.
#[derive(Default)]
struct Built {
    vpc: Option<(String, Vpc)>,
    cluster: Option<(String, Cluster)>,
    tasks: IndexMap<String, FargateTaskDefinition>,
    services: IndexMap<String, FargateService>,
    load_balanced: IndexMap<String, ApplicationLoadBalancedFargateService>,
    network_load_balanced: IndexMap<String, NetworkLoadBalancedFargateService>,
    topics: IndexMap<String, Topic>,
    asg_providers: IndexMap<String, AsgCapacityProvider>,
    mi_providers: IndexMap<String, ManagedInstancesCapacityProvider>,
    ec2_services: IndexMap<String, Ec2Service>,
    mi_services: IndexMap<String, ManagedInstancesService>,
    recommended: IndexMap<String, RecommendedAlarms>,
    queue_services: IndexMap<String, QueueProcessingFargateService>,
    scheduled: IndexMap<String, ScheduledFargateTask>,
}

fn lower_stack(
    manifest: &Manifest,
    name: &str,
    spec: &StackSpec,
    done: &IndexMap<String, Built>,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<(Stack, Built), Error> {
    let mut stack = Stack::new(name);
    if let Some(env_name) = &spec.environment {
        let Some(env) = manifest.environments.get(env_name) else {
            return Err(src.invalid(
                &at.key("environment"),
                format!(
                    "no environment {env_name:?}; define it under `environments`{}",
                    known(manifest.environments.keys())
                ),
            ));
        };
        stack = stack.env(Env::new(env.account.clone(), env.region.clone()));
    }
    if let Some(description) = &spec.description {
        stack = stack.description(description.clone());
    }
    for (key, value) in &spec.tags {
        stack = stack.tag(key.clone(), value.clone());
    }

    let mut l = Lowering {
        stack,
        built: Built::default(),
        spec,
        at,
        src,
        done,
    };
    monitoring::detector(&mut l)?;
    network::vpc_and_cluster(&mut l)?;
    capacity::providers(&mut l)?;
    monitoring::topics(&mut l)?;
    services::task_definitions(&mut l)?;
    capacity::services(&mut l)?;
    services::services(&mut l)?;
    patterns::load_balanced(&mut l)?;
    patterns::network_load_balanced(&mut l)?;
    patterns::queue_processing(&mut l)?;
    patterns::scheduled(&mut l)?;
    monitoring::alarms(&mut l)?;
    monitoring::dashboards(&mut l)?;
    outputs::outputs(&mut l)?;
    Ok((l.stack, l.built))
}

/// What an earlier stack of the manifest built.
fn other_stack<'a>(
    done: &'a IndexMap<String, Built>,
    name: &str,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<&'a Built, Error> {
    done.get(name).ok_or_else(|| {
        src.invalid(
            at,
            format!(
                "no stack {name:?} before this one; a stack can use what the stacks listed above it built{}",
                known(done.keys())
            ),
        )
    })
}

/// `; known: A, B` for an error about a missing name, or nothing.
fn known<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(" (known: {})", names.join(", "))
    }
}

fn need_containers(
    containers: &IndexMap<String, ContainerSpec>,
    task: &FieldPath,
    src: &Source<'_>,
) -> Result<(), Error> {
    if containers.is_empty() {
        return Err(src.invalid(
            &task.key("containers"),
            "a task definition needs a container; add one under `containers`",
        ));
    }
    Ok(())
}

fn need_cluster(built: &Built, at: &FieldPath, src: &Source<'_>) -> Result<Cluster, Error> {
    built.cluster.as_ref().map(|(_, c)| c.clone()).ok_or_else(|| {
        src.invalid(at, "services run in the stack's cluster; add `cluster: {}` (and `vpc: {}`) to the stack")
    })
}
