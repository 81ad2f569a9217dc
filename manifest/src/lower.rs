//! Lowering a [`Manifest`] to the `ecscdk` builders: each entry becomes the
//! builder calls a Rust program would make, in the same order, so both write
//! the same templates. Nothing here writes CloudFormation itself.

use std::path::Path;

use ecscdk::App;
use ecscdk::cloudwatch::{
    Alarm, Comparison, Dashboard, Metric, RecommendedAlarms, TextWidget, TreatMissingData,
};
use ecscdk::ec2::{Connectable, Peer, Port, SubnetSelection, Vpc};
use ecscdk::ecr_assets::{AssetImage, Platform};
use ecscdk::ecs::{
    self, AmiFamily, AmiHardware, AsgCapacityProvider, AutoScalingGroup, Cluster, Container,
    ContainerBuilder, ContainerImage, ContainerSecret, CpuManufacturer, Ec2NetworkMode, Ec2Service,
    Ec2TaskDefinition, Ec2Volume, EcsOptimizedImage, EfsVolume, FARGATE_SIZES, FargateCapacity,
    FargateCpu, FargateService, FargateSize, FargateTaskDefinition, HealthCheck,
    InstanceGeneration, InstanceRequirements, LogDriver, ManagedInstancesCapacityProvider,
    ManagedInstancesNetworkMode, ManagedInstancesService, ManagedInstancesTaskDefinition,
    PortMapping, ServiceConnect, ServiceConnectPort, ServiceScaling, Volume,
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
use ecscdk::servicediscovery::NamespaceType;
use ecscdk::sns::{Subscription, Topic};
use ecscdk::synth::{Env, ReferenceStrength, Stack, Value};
use indexmap::IndexMap;

use crate::error::{Error, Place};
use crate::locate::{FieldPath, locate};
use crate::model::{
    self, AutoScalingSpec, CapacityEntry, ContainerSpec, Manifest, StackSpec, VolumeSpec,
};
use crate::read::Format;

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

    let mut built = Built::default();
    if let Some(detector) = &spec.guardduty_detector {
        let here = at.key("guardduty_detector");
        let mut builder = RuntimeMonitoring::builder(detector.id.as_deref().unwrap_or("GuardDuty"));
        if let Some(on) = detector.fargate_agent_management {
            builder = builder.fargate_agent_management(on);
        }
        if let Some(on) = detector.ec2_agent_management {
            builder = builder.ec2_agent_management(on);
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        if detector.acknowledge_warning {
            stack.acknowledge_warning(handle.node(), DETECTOR_WARNING);
        }
    }
    if let Some(vpc) = &spec.vpc {
        let id = vpc.id.clone().unwrap_or_else(|| "Vpc".to_owned());
        let mut builder = Vpc::builder(id.clone());
        if let Some(cidr) = &vpc.cidr {
            builder = builder.cidr(cidr.clone());
        }
        if let Some(n) = vpc.max_azs {
            builder = builder.max_azs(n as usize);
        }
        if let Some(n) = vpc.nat_gateways {
            builder = builder.nat_gateways(n as usize);
        }
        let handle = builder
            .build(&mut stack)
            .map_err(|e| src.build(&at.key("vpc"), e))?;
        built.vpc = Some((id, handle));
    }
    if let Some(from) = &spec.vpc_from {
        let here = at.key("vpc_from");
        if spec.vpc.is_some() {
            return Err(src.invalid(
                &here,
                "give `vpc` (this stack's own) or `vpc_from` (another stack's), not both",
            ));
        }
        let vpc = other_stack(done, from, &here, src)?
            .vpc
            .clone()
            .ok_or_else(|| {
                src.invalid(
                    &here,
                    format!(
                        "stack {from:?} has no `vpc`; add one to it or name the stack that has it"
                    ),
                )
            })?;
        built.vpc = Some(vpc);
    }
    if let Some(cluster) = &spec.cluster {
        let here = at.key("cluster");
        let Some((_, vpc)) = &built.vpc else {
            return Err(src.invalid(
                &here,
                "a cluster needs the stack's `vpc`; add `vpc: {}` to the stack",
            ));
        };
        let id = cluster.id.clone().unwrap_or_else(|| "Cluster".to_owned());
        let mut builder = Cluster::builder(id.clone()).vpc(vpc);
        if let Some(name) = &cluster.name {
            builder = builder.cluster_name(name.clone());
        }
        if let Some(insights) = cluster.container_insights {
            builder = builder.container_insights(match insights {
                model::ContainerInsights::Enabled => ecs::ContainerInsights::Enabled,
                model::ContainerInsights::Enhanced => ecs::ContainerInsights::Enhanced,
                model::ContainerInsights::Disabled => ecs::ContainerInsights::Disabled,
            });
        }
        if cluster.fargate_capacity_providers {
            builder = builder.fargate_capacity_providers();
        }
        if let Some(namespace) = &cluster.default_cloud_map_namespace {
            let kind = match namespace.kind {
                Some(model::NamespaceKind::Http) => NamespaceType::Http,
                Some(model::NamespaceKind::PrivateDns) | None => NamespaceType::DnsPrivate,
            };
            builder = builder.default_cloud_map_namespace(namespace.name.clone(), kind);
        }
        if cluster.runtime_monitoring {
            builder = builder.runtime_monitoring(true);
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        built.cluster = Some((id, handle));
    }

    if let Some(from) = &spec.cluster_from {
        let here = at.key("cluster_from");
        let cluster = other_stack(done, from, &here, src)?
            .cluster
            .clone()
            .ok_or_else(|| src.invalid(&here, format!("stack {from:?} has no `cluster`; add one to it or name the stack that has it")))?;
        built.cluster = Some(cluster);
    }

    for (id, group) in &spec.auto_scaling_groups {
        let here = at.key("auto_scaling_groups").key(id);
        let (Some((_, vpc)), Some((_, cluster))) = (&built.vpc, &built.cluster) else {
            return Err(src.invalid(
                &here,
                "an Auto Scaling group joins the stack's cluster in its VPC; add `cluster` (or `cluster_from`) and `vpc` (or `vpc_from`)",
            ));
        };
        let mut builder = AutoScalingGroup::builder(id.clone(), vpc, group.instance_type.clone());
        if let Some(ami) = group.machine_image {
            let family = match ami.family {
                Some(model::AmiFamilySpec::AmazonLinux2023) | None => AmiFamily::AmazonLinux2023,
                Some(model::AmiFamilySpec::AmazonLinux2) => AmiFamily::AmazonLinux2,
                Some(model::AmiFamilySpec::Bottlerocket) => AmiFamily::Bottlerocket,
            };
            let hardware = match ami.hardware {
                Some(model::AmiHardwareSpec::Standard) | None => AmiHardware::Standard,
                Some(model::AmiHardwareSpec::Arm64) => AmiHardware::Arm64,
                Some(model::AmiHardwareSpec::Gpu) => AmiHardware::Gpu,
                Some(model::AmiHardwareSpec::Neuron) => AmiHardware::Neuron,
            };
            builder = builder.machine_image(EcsOptimizedImage::new(family, hardware));
        }
        if group.min_capacity.is_some() || group.max_capacity.is_some() {
            builder = builder.capacity(
                group.min_capacity.unwrap_or(0),
                group.max_capacity.unwrap_or(1),
            );
        }
        if let Some(n) = group.desired_capacity {
            builder = builder.desired_capacity(n);
        }
        let asg = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        let provider_spec = group.capacity_provider.clone().unwrap_or_default();
        let provider_at = here.key("capacity_provider");
        let provider_id = provider_spec
            .id
            .clone()
            .unwrap_or_else(|| format!("{id}Provider"));
        let mut provider = AsgCapacityProvider::builder(provider_id.clone(), &asg);
        if let Some(on) = provider_spec.managed_scaling {
            provider = provider.managed_scaling(on);
        }
        if let Some(p) = provider_spec.target_capacity_percent {
            provider = provider.target_capacity_percent(p);
        }
        if let Some(on) = provider_spec.managed_termination_protection {
            provider = provider.managed_termination_protection(on);
        }
        if let Some(on) = provider_spec.managed_draining {
            provider = provider.managed_draining(on);
        }
        if let Some(name) = &provider_spec.capacity_provider_name {
            provider = provider.capacity_provider_name(name.clone());
        }
        let provider = provider
            .build(&mut stack)
            .map_err(|e| src.build(&provider_at, e))?;
        cluster
            .add_asg_capacity_provider(&mut stack, &provider)
            .map_err(|e| src.build(&provider_at, e))?;
        built.asg_providers.insert(provider_id, provider);
    }

    for (id, provider) in &spec.managed_instances_providers {
        let here = at.key("managed_instances_providers").key(id);
        let Some((_, cluster)) = &built.cluster else {
            return Err(src.invalid(&here, "a capacity provider belongs to the stack's cluster; add `cluster` (or `cluster_from`)"));
        };
        let [cpu_min, cpu_max] = provider.vcpus;
        let [mem_min, mem_max] = provider.memory_mib;
        let mut requirements = InstanceRequirements::new(cpu_min..=cpu_max, mem_min..=mem_max);
        for maker in &provider.cpu_manufacturers {
            requirements = requirements.cpu_manufacturer(match maker {
                model::CpuManufacturerSpec::Intel => CpuManufacturer::Intel,
                model::CpuManufacturerSpec::Amd => CpuManufacturer::Amd,
                model::CpuManufacturerSpec::AmazonWebServices => CpuManufacturer::AmazonWebServices,
            });
        }
        if provider.current_generation {
            requirements = requirements.instance_generation(InstanceGeneration::Current);
        }
        let mut builder = ManagedInstancesCapacityProvider::builder(id.clone(), cluster)
            .instance_requirements(requirements);
        if let Some(gib) = provider.task_volume_storage_gib {
            builder = builder.task_volume_storage_gib(gib);
        }
        if provider.propagate_tags {
            builder = builder.propagate_tags();
        }
        if let Some(name) = &provider.capacity_provider_name {
            builder = builder.capacity_provider_name(name.clone());
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        built.mi_providers.insert(id.clone(), handle);
    }

    for (id, topic) in &spec.topics {
        let here = at.key("topics").key(id);
        let mut builder = Topic::builder(id.clone());
        if let Some(name) = &topic.topic_name {
            builder = builder.topic_name(name.clone());
        }
        if let Some(name) = &topic.display_name {
            builder = builder.display_name(name.clone());
        }
        for address in &topic.email {
            builder = builder.subscription(Subscription::Email(address.clone()));
        }
        for url in &topic.https {
            builder = builder.subscription(Subscription::Https(url.clone()));
        }
        for arn in &topic.sqs {
            builder = builder.subscription(Subscription::Sqs(arn.clone().into()));
        }
        for arn in &topic.lambda {
            builder = builder.subscription(Subscription::Lambda(arn.clone().into()));
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        built.topics.insert(id.clone(), handle);
    }

    for (id, task) in &spec.task_definitions {
        let here = at.key("task_definitions").key(id);
        if task.id.is_some() {
            return Err(src.invalid(
                &here.key("id"),
                "the key of a `task_definitions` entry is its id; remove `id`",
            ));
        }
        let handle = lower_task(id, task, &mut stack, &here, src)?;
        built.tasks.insert(id.clone(), handle);
    }

    for (id, service) in &spec.ec2_services {
        let here = at.key("ec2_services").key(id);
        let cluster = need_cluster(&built, &here, src)?;
        let task_at = here.key("task");
        let spec_task = &service.task;
        let mode = match spec_task.network_mode {
            model::Ec2NetworkModeSpec::Bridge => Ec2NetworkMode::Bridge,
            model::Ec2NetworkModeSpec::Host => Ec2NetworkMode::Host,
            model::Ec2NetworkModeSpec::Awsvpc => Ec2NetworkMode::AwsVpc,
            model::Ec2NetworkModeSpec::None => Ec2NetworkMode::None,
        };
        let task_id = spec_task.id.clone().unwrap_or_else(|| format!("{id}Task"));
        let mut task = Ec2TaskDefinition::builder(task_id, mode);
        if let Some(units) = spec_task.cpu {
            task = task.cpu(units);
        }
        if let Some(mib) = spec_task.memory_mib {
            task = task.memory_mib(mib);
        }
        if let Some(family) = &spec_task.family {
            task = task.family(family.clone());
        }
        for volume in &spec_task.volumes {
            task = task.volume(match &volume.efs_file_system {
                Some(fs) => Ec2Volume::efs(EfsVolume::new(volume.name.clone(), fs.clone())),
                None => Ec2Volume::scratch(volume.name.clone()),
            });
        }
        need_containers(&spec_task.containers, &task_at, src)?;
        for (name, container) in &spec_task.containers {
            let at = task_at.key("containers").key(name);
            task = task.container(lower_container(name, container, &at, src)?);
        }
        let task = task.build(&mut stack).map_err(|e| src.build(&task_at, e))?;
        let mut builder = Ec2Service::builder(id.clone(), &cluster, &task);
        if let Some(n) = service.desired_count {
            builder = builder.desired_count(n);
        }
        if service.daemon {
            builder = builder.daemon();
        }
        if let Some(breaker) = service.circuit_breaker {
            builder = builder.circuit_breaker(circuit_breaker(breaker));
        }
        if let Some(p) = service.min_healthy_percent {
            builder = builder.min_healthy_percent(p);
        }
        if let Some(p) = service.max_percent {
            builder = builder.max_percent(p);
        }
        if let Some(name) = &service.service_name {
            builder = builder.service_name(name.clone());
        }
        if service.enable_execute_command {
            builder = builder.enable_execute_command();
        }
        if !service.capacity_provider_strategy.is_empty() {
            let mut strategy = Vec::new();
            for (i, share) in service.capacity_provider_strategy.iter().enumerate() {
                let at = here
                    .key("capacity_provider_strategy")
                    .index(i)
                    .key("provider");
                let Some(provider) = built.asg_providers.get(&share.provider) else {
                    return Err(src.invalid(
                        &at,
                        format!(
                            "no Auto Scaling group provider {:?} in this stack{}",
                            share.provider,
                            known(built.asg_providers.keys())
                        ),
                    ));
                };
                let mut entry = provider.strategy();
                if let Some(base) = share.base {
                    entry = entry.base(base);
                }
                if let Some(weight) = share.weight {
                    entry = entry.weight(weight);
                }
                strategy.push(entry);
            }
            builder = builder.capacity_provider_strategy(strategy);
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            let at = here.key("auto_scaling");
            scale(
                handle.auto_scale(&mut stack, scaling.min..=scaling.max),
                scaling,
                &at,
                src,
            )?;
        }
        built.ec2_services.insert(id.clone(), handle);
    }

    for (id, service) in &spec.managed_instances_services {
        let here = at.key("managed_instances_services").key(id);
        let cluster = need_cluster(&built, &here, src)?;
        let task_at = here.key("task");
        let spec_task = &service.task;
        let mode = match spec_task.network_mode {
            model::ManagedInstancesNetworkModeSpec::Awsvpc => ManagedInstancesNetworkMode::AwsVpc,
            model::ManagedInstancesNetworkModeSpec::Host => ManagedInstancesNetworkMode::Host,
        };
        let task_id = spec_task.id.clone().unwrap_or_else(|| format!("{id}Task"));
        let mut task = ManagedInstancesTaskDefinition::builder(task_id, mode);
        if let Some(units) = spec_task.cpu {
            task = task.cpu(units);
        }
        if let Some(mib) = spec_task.memory_mib {
            task = task.memory_mib(mib);
        }
        if let Some(family) = &spec_task.family {
            task = task.family(family.clone());
        }
        for name in &spec_task.scratch_volumes {
            task = task.scratch_volume(name.clone());
        }
        need_containers(&spec_task.containers, &task_at, src)?;
        for (name, container) in &spec_task.containers {
            let at = task_at.key("containers").key(name);
            task = task.container(lower_container(name, container, &at, src)?);
        }
        let task = task.build(&mut stack).map_err(|e| src.build(&task_at, e))?;
        let mut builder = ManagedInstancesService::builder(id.clone(), &cluster, &task);
        if let Some(n) = service.desired_count {
            builder = builder.desired_count(n);
        }
        if let Some(breaker) = service.circuit_breaker {
            builder = builder.circuit_breaker(circuit_breaker(breaker));
        }
        if let Some(p) = service.min_healthy_percent {
            builder = builder.min_healthy_percent(p);
        }
        if let Some(p) = service.max_percent {
            builder = builder.max_percent(p);
        }
        if let Some(name) = &service.service_name {
            builder = builder.service_name(name.clone());
        }
        if service.enable_execute_command {
            builder = builder.enable_execute_command();
        }
        let mut strategy = Vec::new();
        for (i, share) in service.capacity_provider_strategy.iter().enumerate() {
            let at = here
                .key("capacity_provider_strategy")
                .index(i)
                .key("provider");
            let Some(provider) = built.mi_providers.get(&share.provider) else {
                return Err(src.invalid(
                    &at,
                    format!(
                        "no Managed Instances provider {:?} in this stack{}",
                        share.provider,
                        known(built.mi_providers.keys())
                    ),
                ));
            };
            let mut entry = provider.strategy();
            if let Some(base) = share.base {
                entry = entry.base(base);
            }
            if let Some(weight) = share.weight {
                entry = entry.weight(weight);
            }
            strategy.push(entry);
        }
        builder = builder.capacity_provider_strategy(strategy);
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            let at = here.key("auto_scaling");
            scale(
                handle.auto_scale(&mut stack, scaling.min..=scaling.max),
                scaling,
                &at,
                src,
            )?;
        }
        built.mi_services.insert(id.clone(), handle);
    }

    for (id, service) in &spec.services {
        let here = at.key("services").key(id);
        let cluster = need_cluster(&built, &here, src)?;
        let (task, task_spec) = match (&service.task_definition, &service.task) {
            (Some(name), None) => {
                let Some(task) = built.tasks.get(name) else {
                    return Err(src.invalid(
                        &here.key("task_definition"),
                        format!(
                            "no task definition {name:?} in this stack; define it under `task_definitions`{}",
                            known(built.tasks.keys())
                        ),
                    ));
                };
                (task.clone(), spec.task_definitions.get(name))
            }
            (None, Some(inline)) => {
                let task_id = inline.id.clone().unwrap_or_else(|| format!("{id}Task"));
                let task = lower_task(&task_id, inline, &mut stack, &here.key("task"), src)?;
                (task, Some(inline))
            }
            (Some(_), Some(_)) => {
                return Err(src.invalid(
                    &here.key("task"),
                    "give `task_definition` (a shared one) or `task` (the service's own), not both",
                ));
            }
            (None, None) => {
                return Err(src.invalid(
                    &here,
                    "a service needs a task definition: add `task: { containers: {…} }`, or `task_definition: NAME` of an entry of `task_definitions`",
                ));
            }
        };
        let mut builder = FargateService::builder(id.clone(), &cluster, &task);
        if let Some(n) = service.desired_count {
            builder = builder.desired_count(n);
        }
        if let Some(breaker) = service.circuit_breaker {
            builder = builder.circuit_breaker(circuit_breaker(breaker));
        }
        if let Some(p) = service.min_healthy_percent {
            builder = builder.min_healthy_percent(p);
        }
        if let Some(p) = service.max_percent {
            builder = builder.max_percent(p);
        }
        if let Some(name) = &service.service_name {
            builder = builder.service_name(name.clone());
        }
        if service.enable_execute_command {
            builder = builder.enable_execute_command();
        }
        if !service.capacity_provider_strategy.is_empty() {
            builder =
                builder.capacity_provider_strategy(capacity(&service.capacity_provider_strategy));
        }
        if service.assign_public_ip {
            builder = builder.assign_public_ip(true);
        }
        if let Some(kind) = service.subnets {
            builder = builder.vpc_subnets(subnets(kind));
        }
        if let Some(connect) = &service.service_connect {
            let mut config = ServiceConnect::in_cluster_namespace();
            for (i, port) in connect.ports.iter().enumerate() {
                let at = here.key("service_connect").key("ports").index(i);
                config = config.port(connect_port(port, task_spec, &at, src)?);
            }
            builder = builder.service_connect(config);
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            auto_scale(&handle, &mut stack, scaling, &here.key("auto_scaling"), src)?;
        }
        if let Some(alarms) = &service.recommended_alarms {
            let here = here.key("recommended_alarms");
            let topic = topic_ref(&built, alarms.topic.as_deref(), &here.key("topic"), src)?;
            let made = handle
                .add_recommended_alarms(&mut stack, topic)
                .map_err(|e| src.build(&here, e))?;
            built.recommended.insert(id.clone(), made);
        }
        built.services.insert(id.clone(), handle);
    }
    for (id, service) in &spec.services {
        for (i, rule) in service.allow_from.iter().enumerate() {
            let here = at.key("services").key(id).key("allow_from").index(i);
            let services = match &rule.stack {
                Some(other) => &other_stack(done, other, &here.key("stack"), src)?.services,
                None => &built.services,
            };
            let Some(from) = services.get(&rule.service) else {
                return Err(src.invalid(
                    &here.key("service"),
                    format!(
                        "no service {:?} in the `services` of {}{}",
                        rule.service,
                        rule.stack
                            .as_deref()
                            .map_or("this stack".to_owned(), |s| format!("stack {s:?}")),
                        known(services.keys())
                    ),
                ));
            };
            let Some(to) = built.services.get(id) else {
                continue;
            };
            to.connections()
                .allow_from(
                    &mut stack,
                    from,
                    Port::tcp(rule.port),
                    rule.description.as_deref(),
                )
                .map_err(|e| src.build(&here, e))?;
        }
    }

    for (id, service) in &spec.load_balanced_services {
        let here = at.key("load_balanced_services").key(id);
        let cluster = need_cluster(&built, &here, src)?;
        let name = service.container_name.as_deref().unwrap_or("web");
        let container = lower_container(name, &service.container, &here.key("container"), src)?;
        let mut builder =
            ApplicationLoadBalancedFargateService::builder(id.clone(), &cluster, container);
        if let Some(size) = size(service.cpu, service.memory_mib, &here, src)? {
            builder = builder.size(size);
        }
        for volume in &service.volumes {
            builder = builder.volume(lower_volume(volume));
        }
        if let Some(n) = service.desired_count {
            builder = builder.desired_count(n);
        }
        if let Some(breaker) = service.circuit_breaker {
            builder = builder.circuit_breaker(circuit_breaker(breaker));
        }
        if let Some(public) = service.public_load_balancer {
            builder = builder.public_load_balancer(public);
        }
        if let Some(port) = service.listener_port {
            builder = builder.listener_port(port);
        }
        if let Some(arn) = &service.certificate_arn {
            builder = builder.certificate_arn(arn.clone());
        }
        if let Some(name) = &service.domain_name {
            builder = builder.domain_name(name.clone());
        }
        if let Some(zone) = &service.domain_zone {
            builder = builder.domain_zone(&HostedZone::from_attributes(
                zone.id.clone(),
                zone.name.clone(),
            ));
        }
        if let Some(on) = service.redirect_http {
            builder = builder.redirect_http(on);
        }
        if let Some(timeout) = service.idle_timeout {
            builder = builder.idle_timeout(timeout.get());
        }
        if let Some(p) = service.min_healthy_percent {
            builder = builder.min_healthy_percent(p);
        }
        if let Some(p) = service.max_percent {
            builder = builder.max_percent(p);
        }
        if let Some(check) = &service.health_check {
            builder =
                builder.health_check(target_health_check(check, &here.key("health_check"), src)?);
        }
        if let Some(delay) = service.deregistration_delay {
            builder = builder.deregistration_delay(delay.get());
        }
        if let Some(strategy) = &service.deployment_strategy {
            let at = here.key("deployment_strategy");
            builder = builder.deployment_strategy(deployment_strategy(strategy, &at, src)?);
        }
        if let Some(bake) = service.bake_time {
            builder = builder.bake_time(bake.get());
        }
        if let Some(port) = service.test_listener_port {
            builder = builder.test_listener_port(port);
        }
        for (i, hook) in service.lifecycle_hooks.iter().enumerate() {
            builder = builder.lifecycle_hook(lifecycle_hook(hook, i));
        }
        if service.enable_execute_command {
            builder = builder.enable_execute_command();
        }
        if service.assign_public_ip {
            builder = builder.assign_public_ip(true);
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            auto_scale(
                handle.service(),
                &mut stack,
                scaling,
                &here.key("auto_scaling"),
                src,
            )?;
        }
        for (i, rule) in service.load_balancer_ingress.iter().enumerate() {
            handle
                .load_balancer()
                .connections()
                .allow_from(
                    &mut stack,
                    &Peer::ipv4(rule.cidr.clone()),
                    Port::tcp(rule.port),
                    rule.description.as_deref(),
                )
                .map_err(|e| src.build(&here.key("load_balancer_ingress").index(i), e))?;
        }
        if let Some(alarms) = &service.recommended_alarms {
            let here = here.key("recommended_alarms");
            let topic = topic_ref(&built, alarms.topic.as_deref(), &here.key("topic"), src)?;
            let made = handle
                .service()
                .add_recommended_alarms(&mut stack, topic)
                .map_err(|e| src.build(&here, e))?;
            built.recommended.insert(id.clone(), made);
        }
        built.load_balanced.insert(id.clone(), handle);
    }

    for (id, service) in &spec.network_load_balanced_services {
        let here = at.key("network_load_balanced_services").key(id);
        let cluster = need_cluster(&built, &here, src)?;
        let name = service.container_name.as_deref().unwrap_or("web");
        let container = lower_container(name, &service.container, &here.key("container"), src)?;
        let mut builder =
            NetworkLoadBalancedFargateService::builder(id.clone(), &cluster, container);
        if let Some(size) = size(service.cpu, service.memory_mib, &here, src)? {
            builder = builder.size(size);
        }
        for volume in &service.volumes {
            builder = builder.volume(lower_volume(volume));
        }
        if let Some(name) = &service.domain_name {
            builder = builder.domain_name(name.clone());
        }
        if let Some(zone) = &service.domain_zone {
            builder = builder.domain_zone(&HostedZone::from_attributes(
                zone.id.clone(),
                zone.name.clone(),
            ));
        }
        if let Some(check) = &service.health_check {
            builder =
                builder.health_check(target_health_check(check, &here.key("health_check"), src)?);
        }
        if let Some(delay) = service.deregistration_delay {
            builder = builder.deregistration_delay(delay.get());
        }
        if let Some(n) = service.desired_count {
            builder = builder.desired_count(n);
        }
        if let Some(breaker) = service.circuit_breaker {
            builder = builder.circuit_breaker(circuit_breaker(breaker));
        }
        if let Some(public) = service.public_load_balancer {
            builder = builder.public_load_balancer(public);
        }
        if let Some(port) = service.listener_port {
            builder = builder.listener_port(port);
        }
        if let Some(on) = service.preserve_client_ip {
            builder = builder.preserve_client_ip(on);
        }
        if service.enable_execute_command {
            builder = builder.enable_execute_command();
        }
        if service.assign_public_ip {
            builder = builder.assign_public_ip(true);
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            auto_scale(
                handle.service(),
                &mut stack,
                scaling,
                &here.key("auto_scaling"),
                src,
            )?;
        }
        built.network_load_balanced.insert(id.clone(), handle);
    }

    for (id, service) in &spec.queue_processing_services {
        let here = at.key("queue_processing_services").key(id);
        let cluster = need_cluster(&built, &here, src)?;
        let name = service
            .container_name
            .as_deref()
            .unwrap_or("QueueProcessingContainer");
        let container = lower_container(name, &service.container, &here.key("container"), src)?;
        let mut builder = QueueProcessingFargateService::builder(id.clone(), &cluster, container);
        if let Some(size) = size(service.cpu, service.memory_mib, &here, src)? {
            builder = builder.size(size);
        }
        if let Some(timeout) = service.visibility_timeout {
            builder = builder.visibility_timeout(timeout.get());
        }
        if let Some(period) = service.retention_period {
            builder = builder.retention_period(period.get());
        }
        if let Some(count) = service.max_receive_count {
            builder = builder.max_receive_count(count);
        }
        if let Some([min, max]) = service.capacity {
            builder = builder.capacity(min..=max);
        }
        if let Some(breaker) = service.circuit_breaker {
            builder = builder.circuit_breaker(circuit_breaker(breaker));
        }
        if !service.capacity_provider_strategy.is_empty() {
            builder =
                builder.capacity_provider_strategy(capacity(&service.capacity_provider_strategy));
        }
        if service.enable_execute_command {
            builder = builder.enable_execute_command();
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        built.queue_services.insert(id.clone(), handle);
    }

    for (id, task) in &spec.scheduled_tasks {
        let here = at.key("scheduled_tasks").key(id);
        let cluster = need_cluster(&built, &here, src)?;
        let name = task
            .container_name
            .as_deref()
            .unwrap_or("ScheduledContainer");
        let container = lower_container(name, &task.container, &here.key("container"), src)?;
        let mut schedule = schedule_expression(&task.schedule, &here.key("schedule"), src)?;
        if let Some(zone) = &task.timezone {
            schedule = schedule.timezone(zone.clone());
        }
        let mut builder = ScheduledFargateTask::builder(id.clone(), &cluster, container, schedule);
        if let Some(size) = size(task.cpu, task.memory_mib, &here, src)? {
            builder = builder.size(size);
        }
        if let Some(text) = &task.description {
            builder = builder.description(text.clone());
        }
        if let Some(n) = task.task_count {
            builder = builder.task_count(n);
        }
        if let Some(n) = task.retry_attempts {
            builder = builder.retry_attempts(n);
        }
        if let Some(age) = task.max_event_age {
            builder = builder.max_event_age(age.get());
        }
        if let Some(on) = task.enabled {
            builder = builder.enabled(on);
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        built.scheduled.insert(id.clone(), handle);
    }

    for (id, alarm) in &spec.alarms {
        let here = at.key("alarms").key(id);
        let metric = metric_ref(&built, &alarm.metric, &here.key("metric"), src)?;
        let mut builder = Alarm::builder(id.clone(), metric, alarm.threshold);
        if let Some(c) = alarm.comparison {
            builder = builder.comparison(match c {
                model::ComparisonSpec::GreaterThanOrEqual => Comparison::GreaterThanOrEqual,
                model::ComparisonSpec::GreaterThan => Comparison::GreaterThan,
                model::ComparisonSpec::LessThan => Comparison::LessThan,
                model::ComparisonSpec::LessThanOrEqual => Comparison::LessThanOrEqual,
            });
        }
        if let Some(n) = alarm.evaluation_periods {
            builder = builder.evaluation_periods(n);
        }
        if let Some(n) = alarm.datapoints_to_alarm {
            builder = builder.datapoints_to_alarm(n);
        }
        if let Some(t) = alarm.treat_missing_data {
            builder = builder.treat_missing_data(match t {
                model::TreatMissingDataSpec::Breaching => TreatMissingData::Breaching,
                model::TreatMissingDataSpec::NotBreaching => TreatMissingData::NotBreaching,
                model::TreatMissingDataSpec::Ignore => TreatMissingData::Ignore,
                model::TreatMissingDataSpec::Missing => TreatMissingData::Missing,
            });
        }
        if let Some(text) = &alarm.description {
            builder = builder.description(text.clone());
        }
        if let Some(name) = &alarm.alarm_name {
            builder = builder.alarm_name(name.clone());
        }
        let alarm_topic = topic_ref(
            &built,
            alarm.alarm_topic.as_deref(),
            &here.key("alarm_topic"),
            src,
        )?;
        if let Some(topic) = alarm_topic {
            builder = builder.alarm_topic(topic);
        }
        let ok_topic = topic_ref(
            &built,
            alarm.ok_topic.as_deref(),
            &here.key("ok_topic"),
            src,
        )?;
        if let Some(topic) = ok_topic {
            builder = builder.ok_topic(topic);
        }
        let handle = builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
        match (&alarm.deployment_alarm_of, alarm.rollback) {
            (Some(service), rollback) => {
                let at = here.key("deployment_alarm_of");
                service_ref(&built, service, &at, src)?
                    .add_deployment_alarm(&mut stack, handle, rollback.unwrap_or(true))
                    .map_err(|e| src.build(&at, e))?;
            }
            (None, Some(_)) => {
                return Err(src.invalid(
                    &here.key("rollback"),
                    "`rollback` goes with `deployment_alarm_of: SERVICE`; add it, or remove `rollback`",
                ));
            }
            (None, None) => {}
        }
    }

    for (id, dashboard) in &spec.dashboards {
        let here = at.key("dashboards").key(id);
        let mut builder = Dashboard::builder(id.clone());
        for (i, row) in dashboard.rows.iter().enumerate() {
            let at = here.key("rows").index(i);
            match (&row.markdown, &row.service) {
                (Some(text), None) => {
                    let mut widget = TextWidget::new(text.clone());
                    if let Some(w) = row.width {
                        widget = widget.width(w);
                    }
                    if let Some(h) = row.height {
                        widget = widget.height(h);
                    }
                    builder = builder.row([widget]);
                }
                (None, Some(service)) => {
                    if row.width.is_some() || row.height.is_some() {
                        return Err(src.invalid(
                            &at,
                            "a service's row has its own widget sizes; remove `width` and `height`",
                        ));
                    }
                    let alarms = built
                        .recommended
                        .get(service)
                        .map(|a| a.all().to_vec())
                        .unwrap_or_default();
                    let widgets = service_ref(&built, service, &at.key("service"), src)?
                        .dashboard_widgets(alarms);
                    builder = builder.row(widgets);
                }
                _ => {
                    return Err(src.invalid(
                        &at,
                        "a row is `markdown: TEXT` or `service: ID`; give one of them",
                    ));
                }
            }
        }
        builder.build(&mut stack).map_err(|e| src.build(&here, e))?;
    }

    for (name, reference) in &spec.outputs {
        let here = at.key("outputs").key(name);
        let value = output_value(&built, reference, &here, src)?;
        stack.output(name, value).map_err(|e| src.build(&here, e))?;
    }
    Ok((stack, built))
}

/// The topic an entry names, if it names one.
fn topic_ref(
    built: &Built,
    name: Option<&str>,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<Option<Topic>, Error> {
    let Some(name) = name else { return Ok(None) };
    built.topics.get(name).copied().map(Some).ok_or_else(|| {
        src.invalid(
            at,
            format!(
                "no topic {name:?} in this stack; define it under `topics`{}",
                known(built.topics.keys())
            ),
        )
    })
}

/// The ECS service of an entry of `services` or of a pattern.
fn service_ref<'a>(
    built: &'a Built,
    id: &str,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<&'a FargateService, Error> {
    built
        .services
        .get(id)
        .or_else(|| built.load_balanced.get(id).map(|s| s.service()))
        .or_else(|| built.network_load_balanced.get(id).map(|s| s.service()))
        .or_else(|| built.queue_services.get(id).map(|s| s.service()))
        .ok_or_else(|| {
            src.invalid(
                at,
                format!("no service {id:?} in this stack; name an entry of services, load_balanced_services, network_load_balanced_services or queue_processing_services"),
            )
        })
}

/// The metric `<id>.<metric>` names.
fn metric_ref(
    built: &Built,
    reference: &str,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<Metric, Error> {
    let Some((id, name)) = reference.rsplit_once('.') else {
        return Err(src.invalid(
            at,
            format!("{reference:?} is not a metric; write `<construct id>.<metric>`, such as `Web.target_5xx_count`"),
        ));
    };
    let load_balancer = built
        .load_balanced
        .get(id)
        .map(|s| s.load_balancer())
        .or_else(|| {
            built
                .network_load_balanced
                .get(id)
                .map(|s| s.load_balancer())
        });
    match (name, load_balancer) {
        ("target_5xx_count", Some(lb)) => return Ok(lb.metric_target_5xx_count()),
        ("elb_5xx_count", Some(lb)) => return Ok(lb.metric_elb_5xx_count()),
        _ => {}
    }
    if let Some(queue) = built.queue_services.get(id).map(|s| s.queue()) {
        match name {
            "oldest_message_age" => return Ok(queue.metric_oldest_message_age()),
            "visible_messages" => return Ok(queue.metric_visible_messages()),
            _ => {}
        }
    }
    let service = service_ref(built, id, at, src)?;
    match name {
        "cpu_utilization" => Ok(service.metric_cpu_utilization()),
        "memory_utilization" => Ok(service.metric_memory_utilization()),
        "running_task_count" => Ok(service.metric_running_task_count()),
        "desired_task_count" => Ok(service.metric_desired_task_count()),
        "pending_task_count" => Ok(service.metric_pending_task_count()),
        _ => Err(src.invalid(
            at,
            format!("{id:?} has no metric {name:?}; services have cpu_utilization, memory_utilization, running_task_count, desired_task_count and pending_task_count, load-balanced services also target_5xx_count and elb_5xx_count, queue services oldest_message_age and visible_messages"),
        )),
    }
}

fn deployment_strategy(
    spec: &model::DeploymentStrategySpec,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<ecs::DeploymentStrategy, Error> {
    use ecs::DeploymentStrategy as S;
    use model::DeploymentKind as K;
    match (spec.kind, spec.percent, spec.bake) {
        (K::Rolling, None, None) => Ok(S::Rolling),
        (K::BlueGreen, None, None) => Ok(S::BlueGreen),
        (K::Linear, Some(p), Some(b)) => Ok(S::linear(p, b.get())),
        (K::Canary, Some(p), Some(b)) => Ok(S::canary(p, b.get())),
        (K::Linear | K::Canary, _, _) => Err(src.invalid(
            at,
            "linear and canary deployments need `percent` and `bake`, such as `{ type: canary, percent: 10, bake: 5m }`",
        )),
        (K::Rolling | K::BlueGreen, _, _) => Err(src.invalid(
            at,
            "`percent` and `bake` belong to linear and canary deployments; remove them (the wait after a blue/green shift is the service's `bake_time`)",
        )),
    }
}

fn lifecycle_hook(spec: &model::LifecycleHookSpec, index: usize) -> ecs::LifecycleHook {
    use ecs::LifecycleStage as L;
    use model::LifecycleStageSpec as M;
    let stages = spec.stages.iter().map(|s| match s {
        M::ReconcileService => L::ReconcileService,
        M::PreScaleUp => L::PreScaleUp,
        M::PostScaleUp => L::PostScaleUp,
        M::TestTrafficShift => L::TestTrafficShift,
        M::PostTestTrafficShift => L::PostTestTrafficShift,
        M::PreProductionTrafficShift => L::PreProductionTrafficShift,
        M::ProductionTrafficShift => L::ProductionTrafficShift,
        M::PostProductionTrafficShift => L::PostProductionTrafficShift,
    });
    let mut hook = match &spec.lambda {
        Some(arn) => {
            let id = spec
                .id
                .clone()
                .unwrap_or_else(|| format!("Hook{}", index + 1));
            ecs::LifecycleHook::lambda(id, arn.clone(), stages)
        }
        None => ecs::LifecycleHook::pause(stages),
    };
    if let Some(timeout) = spec.timeout {
        let action = match spec.on_timeout {
            Some(model::HookTimeoutActionSpec::Continue) => ecs::HookTimeoutAction::Continue,
            Some(model::HookTimeoutActionSpec::Rollback) | None => ecs::HookTimeoutAction::Rollback,
        };
        hook = hook.timeout(timeout.get(), action);
    }
    hook
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

fn lower_task(
    id: &str,
    task: &model::TaskDefinitionSpec,
    stack: &mut Stack,
    here: &FieldPath,
    src: &Source<'_>,
) -> Result<FargateTaskDefinition, Error> {
    let mut builder = FargateTaskDefinition::builder(id);
    if let Some(units) = task.cpu {
        builder = builder.cpu(fargate_cpu(units, &here.key("cpu"), src)?);
    }
    if let Some(memory) = task.memory_mib {
        builder = builder.memory_mib(memory);
    }
    if let Some(family) = &task.family {
        builder = builder.family(family.clone());
    }
    for volume in &task.volumes {
        builder = builder.volume(lower_volume(volume));
    }
    need_containers(&task.containers, here, src)?;
    for (name, container) in &task.containers {
        let at = here.key("containers").key(name);
        builder = builder.container(lower_container(name, container, &at, src)?);
    }
    builder.build(stack).map_err(|e| src.build(here, e))
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

fn fargate_cpu(units: u32, at: &FieldPath, src: &Source<'_>) -> Result<FargateCpu, Error> {
    FargateCpu::from_units(units).ok_or_else(|| {
        src.invalid(
            at,
            format!(
                "Fargate has no {units} CPU units; use 256, 512, 1024, 2048, 4096, 8192 or 16384"
            ),
        )
    })
}

/// The task size of a pattern: CPU and memory, either defaulted.
fn size(
    cpu: Option<u32>,
    memory: Option<u32>,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<Option<FargateSize>, Error> {
    if cpu.is_none() && memory.is_none() {
        return Ok(None);
    }
    let units = cpu.unwrap_or(256);
    let cpu_value = fargate_cpu(units, &at.key("cpu"), src)?;
    let memory = match memory {
        Some(m) => m,
        None => FARGATE_SIZES
            .iter()
            .find(|row| row.cpu == units)
            .map_or(512, |row| row.min_memory_mib),
    };
    FargateSize::new(cpu_value, memory)
        .map(Some)
        .map_err(|e| src.invalid(&at.key("memory_mib"), e.to_string()))
}

fn lower_volume(volume: &VolumeSpec) -> Volume {
    match &volume.efs_file_system {
        Some(id) => Volume::efs(EfsVolume::new(volume.name.clone(), id.clone())),
        None => Volume::scratch(volume.name.clone()),
    }
}

fn lower_container(
    name: &str,
    spec: &ContainerSpec,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<ContainerBuilder, Error> {
    let image = match (&spec.image, &spec.build) {
        (Some(image), None) => ContainerImage::registry(image.clone()),
        (None, Some(build)) => {
            let mut asset = AssetImage::new(src.base_dir.join(&build.context));
            if let Some(file) = &build.dockerfile {
                asset = asset.file(file.clone());
            }
            for (key, value) in &build.args {
                asset = asset.build_arg(key.clone(), value.clone());
            }
            if let Some(target) = &build.target {
                asset = asset.target(target.clone());
            }
            if let Some(platform) = build.platform {
                asset = asset.platform(match platform {
                    model::BuildPlatform::LinuxAmd64 => Platform::LinuxAmd64,
                    model::BuildPlatform::LinuxArm64 => Platform::LinuxArm64,
                });
            }
            asset.into()
        }
        (Some(_), Some(_)) => {
            return Err(src.invalid(
                &at.key("build"),
                "give `image` or `build`, not both: `image` names an image in a registry, `build` builds one from a Dockerfile",
            ));
        }
        (None, None) => {
            return Err(src.invalid(
                at,
                "a container needs an image: add `image: REGISTRY/NAME:TAG` or `build: { context: DIR }`",
            ));
        }
    };
    let mut c = Container::builder(name, image);
    for port in &spec.ports {
        let mut mapping = match port.protocol {
            Some(model::PortProtocol::Udp) => PortMapping::udp(port.port),
            Some(model::PortProtocol::Tcp) | None => PortMapping::tcp(port.port),
        };
        if let Some(name) = &port.name {
            mapping = mapping.name(name.clone());
        }
        if let Some(protocol) = port.app_protocol {
            mapping = mapping.app_protocol(match protocol {
                model::AppProtocol::Http => ecs::AppProtocol::Http,
                model::AppProtocol::Http2 => ecs::AppProtocol::Http2,
                model::AppProtocol::Grpc => ecs::AppProtocol::Grpc,
            });
        }
        c = c.port(mapping);
    }
    for (key, value) in &spec.environment {
        c = c.env(key.clone(), value.clone());
    }
    for (key, secret) in &spec.secrets {
        let here = at.key("secrets").key(key);
        let secret = match (
            &secret.ssm_parameter,
            &secret.secrets_manager,
            &secret.json_key,
        ) {
            (Some(p), None, None) if p.starts_with("arn:") => {
                ContainerSecret::ssm_parameter(p.clone())
            }
            (Some(p), None, None) => ContainerSecret::ssm_parameter_name(p),
            (None, Some(arn), None) => ContainerSecret::secrets_manager(arn.clone()),
            (None, Some(arn), Some(k)) => {
                ContainerSecret::secrets_manager_json_key(arn.clone(), k.clone())
            }
            (Some(_), _, Some(_)) | (None, None, Some(_)) => {
                return Err(src.invalid(&here.key("json_key"), "`json_key` picks a key of a Secrets Manager secret; give `secrets_manager: ARN` with it"));
            }
            (Some(_), Some(_), _) => {
                return Err(src.invalid(
                    &here,
                    "give one source: `ssm_parameter` or `secrets_manager`",
                ));
            }
            (None, None, None) => {
                return Err(src.invalid(
                    &here,
                    "a secret needs a source: `ssm_parameter: NAME` or `secrets_manager: ARN`",
                ));
            }
        };
        c = c.secret(key.clone(), secret);
    }
    if let Some(command) = &spec.command {
        c = c.command(command.iter().cloned());
    }
    if let Some(entry_point) = &spec.entry_point {
        c = c.entry_point(entry_point.iter().cloned());
    }
    if let Some(dir) = &spec.working_directory {
        c = c.working_directory(dir.clone());
    }
    if let Some(user) = &spec.user {
        c = c.user(user.clone());
    }
    if let Some(essential) = spec.essential {
        c = c.essential(essential);
    }
    if let Some(check) = &spec.health_check {
        let mut hc = HealthCheck::shell(check.command.clone());
        if let Some(d) = check.interval {
            hc = hc.interval(d.get());
        }
        if let Some(d) = check.timeout {
            hc = hc.timeout(d.get());
        }
        if let Some(n) = check.retries {
            hc = hc.retries(n);
        }
        if let Some(d) = check.start_period {
            hc = hc.start_period(d.get());
        }
        c = c.health_check(hc);
    }
    if let Some(logging) = &spec.logging {
        let mut driver = LogDriver::aws_logs(logging.stream_prefix.clone());
        if let Some(days) = logging.retention_days {
            driver = driver.retention(retention(days).ok_or_else(|| {
                src.invalid(
                    &at.key("logging").key("retention_days"),
                    format!("CloudWatch Logs keeps logs 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days, not {days}"),
                )
            })?);
        }
        c = c.logging(driver);
    }
    match spec.read_only_root_filesystem {
        Some(true) => c = c.read_only_root_filesystem(),
        Some(false) => c = c.writable_root_filesystem(),
        None => {}
    }
    for mount in &spec.mounts {
        c = c.mount(mount.volume.clone(), mount.path.clone(), mount.read_only);
    }
    if let Some(mib) = spec.memory_limit_mib {
        c = c.memory_limit_mib(mib);
    }
    if let Some(mib) = spec.memory_reservation_mib {
        c = c.memory_reservation_mib(mib);
    }
    if let Some(units) = spec.cpu {
        c = c.cpu_units(units);
    }
    if let Some(timeout) = spec.stop_timeout {
        c = c.stop_timeout(timeout.get());
    }
    Ok(c)
}

fn retention(days: u32) -> Option<RetentionDays> {
    use RetentionDays as R;
    [
        R::OneDay,
        R::ThreeDays,
        R::FiveDays,
        R::OneWeek,
        R::TwoWeeks,
        R::OneMonth,
        R::TwoMonths,
        R::ThreeMonths,
        R::FourMonths,
        R::FiveMonths,
        R::SixMonths,
        R::OneYear,
        R::ThirteenMonths,
        R::EighteenMonths,
        R::TwoYears,
        R::ThreeYears,
        R::FiveYears,
        R::SixYears,
        R::SevenYears,
        R::EightYears,
        R::NineYears,
        R::TenYears,
    ]
    .into_iter()
    .find(|r| r.days() == days)
}

fn circuit_breaker(breaker: model::CircuitBreaker) -> ecs::CircuitBreaker {
    match breaker {
        model::CircuitBreaker::Rollback => ecs::CircuitBreaker::Rollback,
        model::CircuitBreaker::StopOnly => ecs::CircuitBreaker::StopOnly,
        model::CircuitBreaker::Off => ecs::CircuitBreaker::Off,
    }
}

fn capacity(entries: &[CapacityEntry]) -> Vec<FargateCapacity> {
    entries
        .iter()
        .map(|entry| {
            let mut c = match entry.provider {
                model::FargateProvider::Fargate => FargateCapacity::on_demand(),
                model::FargateProvider::FargateSpot => FargateCapacity::spot(),
            };
            if let Some(base) = entry.base {
                c = c.base(base);
            }
            if let Some(weight) = entry.weight {
                c = c.weight(weight);
            }
            c
        })
        .collect()
}

fn subnets(kind: model::SubnetKind) -> SubnetSelection {
    match kind {
        model::SubnetKind::Public => SubnetSelection::public(),
        model::SubnetKind::Private => SubnetSelection::private_with_egress(),
        model::SubnetKind::Isolated => SubnetSelection::isolated(),
    }
}

fn connect_port(
    port: &model::ServiceConnectPortSpec,
    task: Option<&model::TaskDefinitionSpec>,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<ServiceConnectPort, Error> {
    let mut out = ServiceConnectPort::named(port.port_name.clone());
    if let Some(name) = &port.discovery_name {
        out = out.discovery_name(name.clone());
    }
    if port.dns_name.is_some() || port.client_port.is_some() {
        let container_port = task
            .into_iter()
            .flat_map(|t| t.containers.values())
            .flat_map(|c| &c.ports)
            .find(|p| p.name.as_deref() == Some(port.port_name.as_str()))
            .map(|p| p.port);
        let Some(client_port) = port.client_port.or(container_port) else {
            return Err(src.invalid(
                &at.key("port_name"),
                format!("no container port is named {:?}; name one with `name:` under the container's `ports`", port.port_name),
            ));
        };
        let dns = port
            .dns_name
            .clone()
            .or_else(|| port.discovery_name.clone())
            .unwrap_or_else(|| port.port_name.clone());
        out = out.alias(dns, client_port);
    }
    if let Some(timeout) = port.per_request_timeout {
        out = out.per_request_timeout(timeout.get());
    }
    Ok(out)
}

fn auto_scale(
    service: &FargateService,
    stack: &mut Stack,
    spec: &AutoScalingSpec,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<(), Error> {
    scale(
        service.auto_scale(stack, spec.min..=spec.max),
        spec,
        at,
        src,
    )
}

/// The target tracking of `spec` on a service's scalable task count.
fn scale(
    scaling: ecscdk::Result<ServiceScaling<'_>>,
    spec: &AutoScalingSpec,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<(), Error> {
    let mut scaling = scaling.map_err(|e| src.build(at, e))?;
    if let Some(percent) = spec.cpu_percent {
        scaling
            .on_cpu(percent)
            .map_err(|e| src.build(&at.key("cpu_percent"), e))?;
    }
    if let Some(percent) = spec.memory_percent {
        scaling
            .on_memory(percent)
            .map_err(|e| src.build(&at.key("memory_percent"), e))?;
    }
    Ok(())
}

fn target_health_check(
    check: &model::TargetHealthCheck,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<elbv2::HealthCheck, Error> {
    let path = check.path.clone().unwrap_or_else(|| "/".to_owned());
    let mut hc = match check.protocol {
        Some(model::HealthCheckProtocol::Http) => elbv2::HealthCheck::http(path),
        Some(model::HealthCheckProtocol::Tcp) if check.path.is_some() => {
            return Err(src.invalid(
                &at.key("path"),
                "a TCP health check has no path; remove `path`, or use `protocol: http`",
            ));
        }
        Some(model::HealthCheckProtocol::Tcp) => elbv2::HealthCheck::tcp(),
        None => elbv2::HealthCheck::path(path),
    };
    if let Some(port) = check.port {
        hc = hc.port(port);
    }
    if let Some(d) = check.interval {
        hc = hc.interval(d.get());
    }
    if let Some(d) = check.timeout {
        hc = hc.timeout(d.get());
    }
    if let Some(n) = check.healthy_threshold {
        hc = hc.healthy_threshold(n);
    }
    if let Some(n) = check.unhealthy_threshold {
        hc = hc.unhealthy_threshold(n);
    }
    if let Some(codes) = &check.success_codes {
        hc = hc.success_codes(codes.clone());
    }
    Ok(hc)
}

/// Reads `cron(…)`, `rate(N unit)` and `at(…)`.
fn schedule_expression(
    text: &str,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<ScheduleExpression, Error> {
    let hint = "write `cron(minutes hours day-of-month month day-of-week year)`, `rate(N minutes|hours|days)` or `at(yyyy-mm-ddThh:mm:ss)`";
    let inner = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(')'))
            .map(str::to_owned)
    };
    if let Some(body) = inner("cron(") {
        return Ok(ScheduleExpression::cron(body));
    }
    if let Some(body) = inner("at(") {
        return Ok(ScheduleExpression::at(body));
    }
    if let Some(body) = inner("rate(") {
        use ecscdk::scheduler::RateUnit;
        let mut words = body.split_whitespace();
        let value = words.next().and_then(|n| n.parse::<u32>().ok());
        let unit = match words.next() {
            Some("minute" | "minutes") => Some(RateUnit::Minutes),
            Some("hour" | "hours") => Some(RateUnit::Hours),
            Some("day" | "days") => Some(RateUnit::Days),
            _ => None,
        };
        if let (Some(value), Some(unit), None) = (value, unit, words.next()) {
            return Ok(ScheduleExpression::rate(value, unit));
        }
    }
    Err(src.invalid(at, format!("{text:?} is not a schedule; {hint}")))
}

fn output_value(
    built: &Built,
    reference: &str,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<Value<String>, Error> {
    let Some((id, attribute)) = reference.rsplit_once('.') else {
        return Err(src.invalid(
            at,
            format!("{reference:?} is not a reference; write `<construct id>.<attribute>`, such as `Service.name`"),
        ));
    };
    let unknown = |kind: &str, attributes: &str| {
        src.invalid(
            at,
            format!("a {kind} has no output attribute {attribute:?}; use one of: {attributes}"),
        )
    };
    if let Some(service) = built.ec2_services.get(id) {
        return match attribute {
            "name" => Ok(service.name().into()),
            "arn" => Ok(service.arn().into()),
            _ => Err(unknown("service", "name, arn")),
        };
    }
    if let Some(service) = built.mi_services.get(id) {
        return match attribute {
            "name" => Ok(service.name().into()),
            "arn" => Ok(service.arn().into()),
            _ => Err(unknown("service", "name, arn")),
        };
    }
    if let Some(provider) = built.mi_providers.get(id) {
        return match attribute {
            "name" => Ok(provider.name().into()),
            _ => Err(unknown("capacity provider", "name")),
        };
    }
    if let Some(provider) = built.asg_providers.get(id) {
        return match attribute {
            "name" => Ok(provider.name().into()),
            _ => Err(unknown("capacity provider", "name")),
        };
    }
    if let Some(service) = built.services.get(id) {
        return match attribute {
            "name" => Ok(service.name().into()),
            "arn" => Ok(service.arn().into()),
            _ => Err(unknown("service", "name, arn")),
        };
    }
    if let Some((_, cluster)) = built.cluster.as_ref().filter(|(cid, _)| cid == id) {
        return match attribute {
            "name" => Ok(cluster.name()),
            "arn" => Ok(cluster.arn()),
            _ => Err(unknown("cluster", "name, arn")),
        };
    }
    if let Some((_, vpc)) = built.vpc.as_ref().filter(|(vid, _)| vid == id) {
        return match attribute {
            "id" => Ok(vpc.vpc_id()),
            _ => Err(unknown("VPC", "id")),
        };
    }
    if let Some(service) = built.load_balanced.get(id) {
        return match attribute {
            "service_name" => Ok(service.service().name().into()),
            "load_balancer_dns" => Ok(service.load_balancer().dns_name().into()),
            _ => Err(unknown(
                "load-balanced service",
                "service_name, load_balancer_dns",
            )),
        };
    }
    if let Some(service) = built.network_load_balanced.get(id) {
        return match attribute {
            "service_name" => Ok(service.service().name().into()),
            "load_balancer_dns" => Ok(service.load_balancer().dns_name().into()),
            _ => Err(unknown(
                "load-balanced service",
                "service_name, load_balancer_dns",
            )),
        };
    }
    if let Some(service) = built.queue_services.get(id) {
        return match attribute {
            "service_name" => Ok(service.service().name().into()),
            "queue_url" => Ok(service.queue().url().into()),
            "queue_arn" => Ok(service.queue().arn().into()),
            "dead_letter_queue_url" => service
                .dead_letter_queue()
                .map(|q| q.url().into())
                .ok_or_else(|| {
                    src.invalid(at, "this queue service has no dead-letter queue of its own")
                }),
            _ => Err(unknown(
                "queue processing service",
                "service_name, queue_url, queue_arn, dead_letter_queue_url",
            )),
        };
    }
    if let Some(task) = built.scheduled.get(id) {
        return match attribute {
            "dead_letter_queue_url" => Ok(task.dead_letter_queue().url().into()),
            _ => Err(unknown("scheduled task", "dead_letter_queue_url")),
        };
    }
    Err(src.invalid(
        at,
        format!("no construct {id:?} in this stack; name the id of its vpc, cluster, or an entry of services, load_balanced_services, queue_processing_services or scheduled_tasks"),
    ))
}
