//! Fargate task definitions and services.

use super::*;

/// Lowers the shared `task_definitions`.
pub(super) fn task_definitions(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, task) in &spec.task_definitions {
        let here = at.key("task_definitions").key(id);
        if task.id.is_some() {
            return Err(src.invalid(
                &here.key("id"),
                "the key of a `task_definitions` entry is its id; remove `id`",
            ));
        }
        let handle = lower_task(id, task, stack, &here, src)?;
        built.tasks.insert(id.clone(), handle);
    }
    Ok(())
}

/// Lowers Fargate `services` (a task of their own or a shared one), then `allow_from` between them.
pub(super) fn services(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src, done) = (l.spec, l.at, l.src, l.done);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, service) in &spec.services {
        let here = at.key("services").key(id);
        let cluster = need_cluster(built, &here, src)?;
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
                let task = lower_task(&task_id, inline, stack, &here.key("task"), src)?;
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
        if let Some(version) = &service.platform_version {
            builder = builder.platform_version(platform_version(version));
        }
        if service.assign_public_ip {
            builder = builder.assign_public_ip(true);
        }
        if let Some(kind) = service.subnets {
            builder = builder.vpc_subnets(subnets(kind));
        }
        if let Some(map) = &service.cloud_map {
            let mut options = CloudMapOptions::named(map.name.clone());
            if let Some(kind) = map.dns_record_type {
                options = options.dns_record_type(match kind {
                    model::DnsRecordTypeSpec::A => DnsRecordType::A,
                    model::DnsRecordTypeSpec::Srv => DnsRecordType::Srv,
                });
            }
            if let Some(ttl) = map.dns_ttl {
                options = options.dns_ttl(ttl.get());
            }
            builder = builder.cloud_map(options);
        }
        if let Some(connect) = &service.service_connect {
            let mut config = ServiceConnect::in_cluster_namespace();
            for (i, port) in connect.ports.iter().enumerate() {
                let at = here.key("service_connect").key("ports").index(i);
                config = config.port(connect_port(port, task_spec, &at, src)?);
            }
            builder = builder.service_connect(config);
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            auto_scale(&handle, stack, scaling, &here.key("auto_scaling"), src)?;
        }
        if let Some(alarms) = &service.recommended_alarms {
            let here = here.key("recommended_alarms");
            let topic = topic_ref(built, alarms.topic.as_deref(), &here.key("topic"), src)?;
            let made = handle
                .add_recommended_alarms(stack, topic)
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
                    stack,
                    from,
                    Port::tcp(rule.port),
                    rule.description.as_deref(),
                )
                .map_err(|e| src.build(&here, e))?;
        }
    }
    Ok(())
}

pub(super) fn lower_task(
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
    if let Some(arch) = task.cpu_architecture {
        let arch = match arch {
            model::CpuArchitectureSpec::X86_64 => CpuArchitecture::X86_64,
            model::CpuArchitectureSpec::Arm64 => CpuArchitecture::Arm64,
        };
        builder = builder.runtime_platform(OperatingSystem::Linux, arch);
    }
    if let Some(gib) = task.ephemeral_storage_gib {
        builder = builder.ephemeral_storage_gib(gib);
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

pub(super) fn connect_port(
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

pub(super) fn auto_scale(
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
pub(super) fn scale(
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

pub(super) fn capacity(entries: &[CapacityEntry]) -> Vec<FargateCapacity> {
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

/// A manifest's Fargate platform version: `LATEST` and `1.4.0` by their
/// names, any other text as it is (ECS judges it).
pub(super) fn platform_version(text: &str) -> ecs::PlatformVersion {
    match text {
        "LATEST" => ecs::PlatformVersion::Latest,
        "1.4.0" => ecs::PlatformVersion::V1_4_0,
        other => ecs::PlatformVersion::Other(other.to_owned()),
    }
}

pub(super) fn subnets(kind: model::SubnetKind) -> SubnetSelection {
    match kind {
        model::SubnetKind::Public => SubnetSelection::public(),
        model::SubnetKind::Private => SubnetSelection::private_with_egress(),
        model::SubnetKind::Isolated => SubnetSelection::isolated(),
    }
}

pub(super) fn circuit_breaker(breaker: model::CircuitBreaker) -> ecs::CircuitBreaker {
    match breaker {
        model::CircuitBreaker::Rollback => ecs::CircuitBreaker::Rollback,
        model::CircuitBreaker::StopOnly => ecs::CircuitBreaker::StopOnly,
        model::CircuitBreaker::Off => ecs::CircuitBreaker::Off,
    }
}
