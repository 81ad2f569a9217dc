//! The load-balanced, queue-processing and scheduled patterns.

use super::*;

/// Lowers `load_balanced_services`, then their scaling, ingress and recommended alarms.
pub(super) fn load_balanced(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, service) in &spec.load_balanced_services {
        let here = at.key("load_balanced_services").key(id);
        let cluster = need_cluster(built, &here, src)?;
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
        if let Some(kind) = service.subnets {
            builder = builder.task_subnets(subnets(kind));
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            auto_scale(
                handle.service(),
                stack,
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
                    stack,
                    &Peer::ipv4(rule.cidr.clone()),
                    Port::tcp(rule.port),
                    rule.description.as_deref(),
                )
                .map_err(|e| src.build(&here.key("load_balancer_ingress").index(i), e))?;
        }
        if let Some(alarms) = &service.recommended_alarms {
            let here = here.key("recommended_alarms");
            let topic = topic_ref(built, alarms.topic.as_deref(), &here.key("topic"), src)?;
            let made = handle
                .service()
                .add_recommended_alarms(stack, topic)
                .map_err(|e| src.build(&here, e))?;
            built.recommended.insert(id.clone(), made);
        }
        built.load_balanced.insert(id.clone(), handle);
    }
    Ok(())
}

/// Lowers `network_load_balanced_services`.
pub(super) fn network_load_balanced(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, service) in &spec.network_load_balanced_services {
        let here = at.key("network_load_balanced_services").key(id);
        let cluster = need_cluster(built, &here, src)?;
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
        if let Some(kind) = service.subnets {
            builder = builder.task_subnets(subnets(kind));
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            auto_scale(
                handle.service(),
                stack,
                scaling,
                &here.key("auto_scaling"),
                src,
            )?;
        }
        built.network_load_balanced.insert(id.clone(), handle);
    }
    Ok(())
}

/// Lowers `queue_processing_services`.
pub(super) fn queue_processing(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, service) in &spec.queue_processing_services {
        let here = at.key("queue_processing_services").key(id);
        let cluster = need_cluster(built, &here, src)?;
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
        if service.assign_public_ip {
            builder = builder.assign_public_ip(true);
        }
        if let Some(kind) = service.subnets {
            builder = builder.task_subnets(subnets(kind));
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        built.queue_services.insert(id.clone(), handle);
    }
    Ok(())
}

/// Lowers `scheduled_tasks`.
pub(super) fn scheduled(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, task) in &spec.scheduled_tasks {
        let here = at.key("scheduled_tasks").key(id);
        let cluster = need_cluster(built, &here, src)?;
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
        if let Some(version) = &task.platform_version {
            builder = builder.platform_version(services::platform_version(version));
        }
        if task.assign_public_ip {
            builder = builder.assign_public_ip(true);
        }
        if let Some(kind) = task.subnets {
            builder = builder.task_subnets(subnets(kind));
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        built.scheduled.insert(id.clone(), handle);
    }
    Ok(())
}

pub(super) fn deployment_strategy(
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

pub(super) fn lifecycle_hook(spec: &model::LifecycleHookSpec, index: usize) -> ecs::LifecycleHook {
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

/// The task size of a pattern: CPU and memory, either defaulted.
pub(super) fn size(
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

pub(super) fn target_health_check(
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
pub(super) fn schedule_expression(
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
