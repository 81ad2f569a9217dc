//! Containers, volumes and task sizes.

use super::*;

pub(super) fn fargate_cpu(
    units: u32,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<FargateCpu, Error> {
    FargateCpu::from_units(units).ok_or_else(|| {
        src.invalid(
            at,
            format!(
                "Fargate has no {units} CPU units; use 256, 512, 1024, 2048, 4096, 8192 or 16384"
            ),
        )
    })
}

pub(super) fn lower_volume(volume: &VolumeSpec) -> Volume {
    match &volume.efs_file_system {
        Some(id) => Volume::efs(EfsVolume::new(volume.name.clone(), id.clone())),
        None => Volume::scratch(volume.name.clone()),
    }
}

pub(super) fn lower_container(
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
    if let Some(timeout) = spec.start_timeout {
        c = c.start_timeout(timeout.get());
    }
    if let Some(timeout) = spec.stop_timeout {
        c = c.stop_timeout(timeout.get());
    }
    if let Some(policy) = &spec.restart_policy {
        let mut p = if policy.enabled {
            ecs::RestartPolicy::enabled()
        } else {
            ecs::RestartPolicy::disabled()
        };
        p = p.ignored_exit_codes(policy.ignored_exit_codes.iter().copied());
        if let Some(period) = policy.attempt_period {
            p = p.attempt_period(period.get());
        }
        c = c.restart_policy(p);
    }
    for control in &spec.system_controls {
        c = c.system_control(control.namespace.clone(), control.value.clone());
    }
    Ok(c)
}

pub(super) fn retention(days: u32) -> Option<RetentionDays> {
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
