//! Auto Scaling group and Managed Instances capacity providers, and the
//! EC2 and Managed Instances services on them.

use super::*;

/// Lowers `auto_scaling_groups` (each with its capacity provider, added to the cluster) and `managed_instances_providers`.
pub(super) fn providers(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
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
        let asg = builder.build(stack).map_err(|e| src.build(&here, e))?;
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
            .build(stack)
            .map_err(|e| src.build(&provider_at, e))?;
        cluster
            .add_asg_capacity_provider(stack, &provider)
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
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        built.mi_providers.insert(id.clone(), handle);
    }
    Ok(())
}

/// Lowers `ec2_services` and `managed_instances_services`, each with its own task definition.
pub(super) fn services(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, service) in &spec.ec2_services {
        let here = at.key("ec2_services").key(id);
        let cluster = need_cluster(built, &here, src)?;
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
        let task = task.build(stack).map_err(|e| src.build(&task_at, e))?;
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
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            let at = here.key("auto_scaling");
            scale(
                handle.auto_scale(stack, scaling.min..=scaling.max),
                scaling,
                &at,
                src,
            )?;
        }
        built.ec2_services.insert(id.clone(), handle);
    }

    for (id, service) in &spec.managed_instances_services {
        let here = at.key("managed_instances_services").key(id);
        let cluster = need_cluster(built, &here, src)?;
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
        let task = task.build(stack).map_err(|e| src.build(&task_at, e))?;
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
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        if let Some(scaling) = &service.auto_scaling {
            let at = here.key("auto_scaling");
            scale(
                handle.auto_scale(stack, scaling.min..=scaling.max),
                scaling,
                &at,
                src,
            )?;
        }
        built.mi_services.insert(id.clone(), handle);
    }
    Ok(())
}
