//! Bad inputs of the `ecs` module.

#[allow(unused_imports)]
use super::*;

use std::time::Duration;

use ecscdk::ecs::{
    Cluster, ContainerBuilder, ContainerCondition, ContainerImage, ContainerSecret,
    CpuArchitecture, FargateCapacity, FargateCpu, FargateSize, FargateTaskDefinition,
    FargateTaskDefinitionBuilder, HealthCheck, OperatingSystem, PortMapping,
};

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn build_err(task: FargateTaskDefinitionBuilder) -> Error {
    let mut stack = Stack::new("Web");
    task.build(&mut stack)
        .expect_err("the task definition is rejected")
}

#[test]
fn rejects_a_task_definition_without_containers() {
    let err = build_err(FargateTaskDefinition::builder("Task"));
    assert_missing(&err, "Web/Task", "container");
    insta::assert_snapshot!(err, @"[Web/Task] `container` is required: add one with `.container(Container::builder(name, image))`");
}

#[test]
fn rejects_a_memory_fargate_does_not_offer_with_the_cpu() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .cpu(FargateCpu::Vcpu0_5)
            .memory_mib(5000)
            .container(nginx("web")),
    );
    assert_invalid(&err, "Web/Task", "memory_mib");
    insta::assert_snapshot!(err, @"[Web/Task] memory_mib: Fargate does not offer 5000 MiB with 512 CPU units; with 512 CPU units use one of 1024, 2048, 3072, 4096 MiB");
}

#[test]
fn rejects_a_memory_too_small_for_the_default_cpu() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .memory_mib(256)
            .container(nginx("web")),
    );
    assert_invalid(&err, "Web/Task", "memory_mib");
    insta::assert_snapshot!(err, @"[Web/Task] memory_mib: Fargate does not offer 256 MiB with 256 CPU units; with 256 CPU units use one of 512, 1024, 2048 MiB");
}

#[test]
fn rejects_duplicate_container_names() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web"))
            .container(nginx("web")),
    );
    assert_invalid(&err, "Web/Task", "container");
    insta::assert_snapshot!(err, @r#"[Web/Task] container: two containers are named "web"; container names must be unique in a task definition"#);
}

#[test]
fn rejects_container_memory_above_the_task() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(nginx("web").memory_limit_mib(1024)),
    );
    assert_invalid(&err, "Web/Task", "memory_limit_mib");
    insta::assert_snapshot!(err, @r#"[Web/Task] memory_limit_mib: container "web" asks for 1024 MiB but the task has 512 MiB; lower it or choose a larger FargateSize"#);
}

#[test]
fn rejects_container_cpu_above_the_task() {
    let err =
        build_err(FargateTaskDefinition::builder("Task").container(nginx("web").cpu_units(512)));
    assert_invalid(&err, "Web/Task", "cpu_units");
}

const REPO_ARN: &str = "arn:aws:ecr:us-east-1:123456789012:repository/team/api";
const REPO_URI: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api";

fn ecr_error(image: ContainerImage) -> Error {
    build_err(
        FargateTaskDefinition::builder("Task")
            .container(ecscdk::ecs::Container::builder("web", image)),
    )
}

#[test]
fn accepts_a_well_formed_ecr_image() {
    let mut stack = Stack::new("Web");
    FargateTaskDefinition::builder("Task")
        .container(ecscdk::ecs::Container::builder(
            "web",
            ContainerImage::ecr_tag(REPO_ARN, REPO_URI, "v1.2.3"),
        ))
        .build(&mut stack)
        .unwrap();
}

#[test]
fn rejects_an_ecr_repository_arn_that_is_not_one() {
    let err = ecr_error(ContainerImage::ecr_tag("team/api", REPO_URI, "v1"));
    assert_invalid(&err, "Web/Task/web", "image");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] image: "team/api" is not an ECR repository ARN (`arn:aws:ecr:<region>:<account>:repository/<name>`)"#);
}

#[test]
fn rejects_an_ecr_repository_uri_with_a_tag() {
    let err = ecr_error(ContainerImage::ecr_tag(
        REPO_ARN,
        format!("{REPO_URI}:v1"),
        "v1",
    ));
    assert_invalid(&err, "Web/Task/web", "image");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v1" is not an ECR repository URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`, without a tag)"#);
}

#[test]
fn rejects_an_empty_ecr_tag() {
    let err = ecr_error(ContainerImage::ecr_tag(REPO_ARN, REPO_URI, ""));
    assert_invalid(&err, "Web/Task/web", "image");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] image: "" is not an image tag or digest: a tag is 1 to 128 letters, digits, `_`, `.` or `-`, not starting with `.` or `-`"#);
}

#[test]
fn rejects_a_malformed_ecr_digest() {
    let err = ecr_error(ContainerImage::ecr_digest(REPO_ARN, REPO_URI, "sha256:abc"));
    assert_invalid(&err, "Web/Task/web", "image");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] image: "sha256:abc" is not an image tag or digest: a digest is `sha256:` and 64 lowercase hexadecimal digits"#);
}

#[test]
fn rejects_an_ecr_arn_and_uri_of_two_repositories() {
    let err = ecr_error(ContainerImage::ecr_tag(
        REPO_ARN,
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web",
        "v1",
    ));
    assert_invalid(&err, "Web/Task/web", "image");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] image: the ARN names repository "team/api" of account 123456789012 and the URI "team/web" of account 123456789012; give the ARN and URI of one repository (the execution role may pull from the ARN's only)"#);
}

/// A Fargate service `Web/Service` with `desired` tasks, on given subnets
/// and groups.
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn scaled_service(desired: Option<u32>) -> (Stack, ecscdk::ecs::FargateService) {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster")
        .build(&mut stack)
        .expect("cluster");
    let task = FargateTaskDefinition::builder("Task")
        .container(nginx("web"))
        .build(&mut stack)
        .expect("task");
    let mut service = ecscdk::ecs::FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"]);
    if let Some(count) = desired {
        service = service.desired_count(count);
    }
    let service = service.build(&mut stack).expect("service");
    (stack, service)
}

#[test]
fn rejects_a_desired_count_outside_the_scaling_range() {
    let (mut stack, service) = scaled_service(Some(12));
    let err = service.auto_scale(&mut stack, 2..=10).unwrap_err();
    assert_invalid(&err, "Web/Service", "desired_count");
    insta::assert_snapshot!(err, @"[Web/Service] desired_count: 12 tasks is outside the auto-scaling range 2..=10, so scaling and every deploy would reset each other; give a desired count inside the range, or none (scaling then keeps the count in the range)");
}

#[test]
fn rejects_a_cpu_target_above_100_percent() {
    let (mut stack, service) = scaled_service(None);
    let err = service
        .auto_scale(&mut stack, 2..=10)
        .unwrap()
        .on_cpu(150.0)
        .unwrap_err();
    assert_invalid(&err, "Web/Service/TaskCount/Target/Cpu", "target_value");
    insta::assert_snapshot!(err, @"[Web/Service/TaskCount/Target/Cpu] target_value: target value 150 is above 100, and ECSServiceAverageCPUUtilization is a percentage of what the tasks reserve; aim below 100 (e.g. 70), leaving headroom for a burst");
}

#[test]
fn rejects_a_memory_target_above_100_percent() {
    let (mut stack, service) = scaled_service(Some(3));
    let err = service
        .auto_scale(&mut stack, 2..=10)
        .unwrap()
        .on_memory(100.5)
        .unwrap_err();
    assert_invalid(&err, "Web/Service/TaskCount/Target/Memory", "target_value");
}

#[test]
fn rejects_a_secrets_manager_secret_given_by_name() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(nginx("web").secret(
            "DB_PASSWORD",
            ContainerSecret::secrets_manager("prod/db-password"),
        )),
    );
    assert_invalid(&err, "Web/Task/web", "secret");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] secret: DB_PASSWORD: "prod/db-password" is not an ARN of the form `arn:aws:secretsmanager:<region>:<account>:secret:<name>`, as the secret's console page or `aws secretsmanager describe-secret` shows it"#);
}

#[test]
fn rejects_an_ssm_parameter_arn_that_is_a_name() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(nginx("web").secret(
            "DB_URL",
            ContainerSecret::SsmParameter {
                arn: "/app/db-url".into(),
            },
        )),
    );
    assert_invalid(&err, "Web/Task/web", "secret");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] secret: DB_URL: "/app/db-url" is not an ARN of the form `arn:aws:ssm:<region>:<account>:parameter/<name>`; for a parameter of this account and region by name use `ContainerSecret::ssm_parameter_name`"#);
}

#[test]
fn rejects_registry_credentials_given_by_name() {
    let err = ecr_error(ContainerImage::registry_with_credentials(
        "registry.example.com/team/api:1",
        "registry-login",
    ));
    assert_invalid(&err, "Web/Task/web", "image");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] image: the registry credentials "registry-login" are not a Secrets Manager secret ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>`)"#);
}

#[test]
fn rejects_a_fargate_size_through_question_mark() {
    fn size() -> ecscdk::Result<FargateSize> {
        Ok(FargateSize::new(FargateCpu::Vcpu1, 1000)?)
    }
    let err = size().unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidValue {
                what: "FargateSize::new",
                ..
            }
        ),
        "{err:?}"
    );
    insta::assert_snapshot!(err, @"FargateSize::new: Fargate does not offer 1000 MiB with 1024 CPU units; with 1024 CPU units use one of 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB");
}

#[test]
fn rejects_an_environment_variable_set_twice() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web").env("MODE", "a").env("MODE", "b")),
    );
    assert_invalid(&err, "Web/Task/web", "env");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] env: "MODE" is set twice, and only the last value would reach the container; set it once"#);
}

#[test]
fn rejects_a_secret_set_twice() {
    let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(
            nginx("web")
                .secret("DB", ContainerSecret::secrets_manager(arn))
                .secret("DB", ContainerSecret::secrets_manager(arn)),
        ),
    );
    assert_invalid(&err, "Web/Task/web", "secret");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] secret: "DB" is set twice, and only the last value would reach the container; set it once"#);
}

#[test]
fn rejects_a_name_both_environment_variable_and_secret() {
    let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(
            nginx("web")
                .env("DB", "local")
                .secret("DB", ContainerSecret::secrets_manager(arn)),
        ),
    );
    assert_invalid(&err, "Web/Task/web", "secret");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] secret: "DB" is both an environment variable and a secret, and ECS takes a name once; drop one of them"#);
}

#[test]
fn rejects_a_port_mapped_twice() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(
            nginx("web")
                .port(PortMapping::tcp(80))
                .port(PortMapping::tcp(80).name("again")),
        ),
    );
    assert_invalid(&err, "Web/Task/web", "port");
    insta::assert_snapshot!(err, @"[Web/Task/web] port: container port 80/tcp is mapped twice; map each port once");
}

#[test]
fn rejects_two_port_mappings_with_one_name() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(
            nginx("web")
                .port(PortMapping::tcp(80).name("http"))
                .port(PortMapping::tcp(8080).name("http")),
        ),
    );
    assert_invalid(&err, "Web/Task/web", "port");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] port: two port mappings are named "http"; give each its own name"#);
}

#[test]
fn rejects_a_host_port_different_from_the_container_port() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web").port(PortMapping::tcp(80).host_port(8080))),
    );
    assert_invalid(&err, "Web/Task/web", "port");
    insta::assert_snapshot!(err, @"[Web/Task/web] port: host port 8080 differs from container port 80; in awsvpc mode (Fargate) the host port is the container port: drop `host_port`");
}

#[test]
fn rejects_a_health_check_timeout_above_a_minute() {
    let err = build_err(FargateTaskDefinition::builder("Task").container(
        nginx("web").health_check(HealthCheck::shell("true").timeout(Duration::from_secs(90))),
    ));
    assert_invalid(&err, "Web/Task/web", "health_check.timeout");
    insta::assert_snapshot!(err, @"[Web/Task/web] health_check.timeout: 90 is outside 2..=60, the range ECS accepts");
}

#[test]
fn rejects_a_health_check_interval_out_of_range() {
    let err = build_err(FargateTaskDefinition::builder("Task").container(
        nginx("web").health_check(HealthCheck::shell("true").interval(Duration::from_secs(1))),
    ));
    assert_invalid(&err, "Web/Task/web", "health_check.interval");
    insta::assert_snapshot!(err, @"[Web/Task/web] health_check.interval: 1 is outside 5..=300, the range ECS accepts");
}

#[test]
fn rejects_a_stop_timeout_above_fargates_limit() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web").stop_timeout(Duration::from_secs(121))),
    );
    assert_invalid(&err, "Web/Task/web", "stop_timeout");
}

#[test]
fn rejects_a_capability_fargate_does_not_allow() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(nginx("web").add_capability("NET_ADMIN")),
    );
    assert_invalid(&err, "Web/Task/web", "add_capability");
}

#[test]
fn rejects_ephemeral_storage_out_of_range() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .ephemeral_storage_gib(20)
            .container(nginx("web")),
    );
    assert_invalid(&err, "Web/Task", "ephemeral_storage_gib");
    insta::assert_snapshot!(err, @"[Web/Task] ephemeral_storage_gib: 20 GiB is outside 21..=200 GiB, what Fargate accepts");
}

#[test]
fn rejects_windows_on_a_size_fargate_does_not_offer_for_it() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .runtime_platform(
                OperatingSystem::WindowsServer2022Core,
                CpuArchitecture::X86_64,
            )
            .container(nginx("web")),
    );
    assert_invalid(&err, "Web/Task", "runtime_platform");
}

#[test]
fn rejects_windows_on_arm() {
    let size = FargateSize::new(FargateCpu::Vcpu1, 2048).unwrap();
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .size(size)
            .runtime_platform(
                OperatingSystem::WindowsServer2022Core,
                CpuArchitecture::Arm64,
            )
            .container(nginx("web")),
    );
    assert_invalid(&err, "Web/Task", "runtime_platform");
}

#[test]
fn rejects_a_dependency_on_an_unknown_container() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web").depends_on("db", ContainerCondition::Healthy)),
    );
    assert_invalid(&err, "Web/Task", "depends_on");
    insta::assert_snapshot!(err, @r#"[Web/Task] depends_on: container "web" depends on "db", which is not a container of this task definition"#);
}

#[test]
fn rejects_a_mount_of_an_unknown_volume() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(nginx("web").mount(
            "cache",
            "/var/cache",
            false,
        )),
    );
    assert_invalid(&err, "Web/Task", "mount");
}

#[test]
fn rejects_a_task_without_an_essential_container() {
    let err =
        build_err(FargateTaskDefinition::builder("Task").container(nginx("web").essential(false)));
    assert_invalid(&err, "Web/Task", "essential");
}

#[test]
fn rejects_a_strategy_with_two_bases() {
    let mut stack = Stack::new("Web");
    let err = Cluster::builder("Cluster")
        .default_capacity_provider_strategy([
            FargateCapacity::on_demand().base(1),
            FargateCapacity::spot().base(2),
        ])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Cluster", "default_capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Web/Cluster] default_capacity_provider_strategy: only one item of a capacity provider strategy may have a base; keep the base on one provider");
}

#[test]
fn rejects_a_strategy_with_all_weights_zero() {
    let mut stack = Stack::new("Web");
    let err = Cluster::builder("Cluster")
        .default_capacity_provider_strategy([FargateCapacity::on_demand().weight(0)])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Cluster", "default_capacity_provider_strategy");
}

#[allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]
mod service {
    use super::*;
    use ecscdk::ecs::{FargateService, FargateServiceBuilder};

    fn setup(
        stack: &mut Stack,
        spot_cluster: bool,
        container: ContainerBuilder,
    ) -> (Cluster, FargateTaskDefinition) {
        let mut cluster = Cluster::builder("Cluster");
        if spot_cluster {
            cluster = cluster.fargate_capacity_providers();
        }
        let cluster = cluster.build(stack).unwrap();
        let task = FargateTaskDefinition::builder("Task")
            .container(container)
            .build(stack)
            .unwrap();
        (cluster, task)
    }

    fn service_err(
        container: ContainerBuilder,
        f: impl FnOnce(FargateServiceBuilder) -> FargateServiceBuilder,
    ) -> Error {
        let mut stack = Stack::new("Web");
        let (cluster, task) = setup(&mut stack, false, container);
        let builder = FargateService::builder("Svc", &cluster, &task)
            .subnet_ids(["subnet-1"])
            .security_group_ids(["sg-1"]);
        f(builder).build(&mut stack).unwrap_err()
    }

    #[test]
    fn rejects_min_healthy_above_max() {
        let err = service_err(nginx("web"), |b| {
            b.min_healthy_percent(100)
                .max_percent(100)
                .min_healthy_percent(150)
                .max_percent(120)
        });
        assert_invalid(&err, "Web/Svc", "min_healthy_percent");
        insta::assert_snapshot!(err, @"[Web/Svc] min_healthy_percent: minimum healthy 150% is above the maximum 120%; a deployment could never start a task");
    }

    #[test]
    fn rejects_max_percent_below_100() {
        let err = service_err(nginx("web"), |b| b.min_healthy_percent(50).max_percent(90));
        assert_invalid(&err, "Web/Svc", "max_percent");
    }

    #[test]
    fn rejects_a_grace_period_without_a_load_balancer() {
        let err = service_err(nginx("web"), |b| {
            b.health_check_grace_period(Duration::from_secs(30))
        });
        assert_unsupported(&err, "Web/Svc", "health_check_grace_period");
        insta::assert_snapshot!(err, @"[Web/Svc] `health_check_grace_period` cannot be used without a load balancer: a grace period only applies to load-balancer health checks; attach a target group or drop the grace period");
    }

    #[test]
    fn rejects_a_strategy_on_a_cluster_without_fargate_providers() {
        let err = service_err(nginx("web"), |b| {
            b.capacity_provider_strategy([FargateCapacity::spot()])
        });
        assert_unsupported(&err, "Web/Svc", "capacity_provider_strategy");
        insta::assert_snapshot!(err, @"[Web/Svc] `capacity_provider_strategy` cannot be used on a cluster without Fargate capacity providers: call `.fargate_capacity_providers()` on the cluster's builder");
    }

    #[test]
    fn rejects_a_target_on_a_port_the_container_does_not_map() {
        let err = service_err(nginx("web").port(PortMapping::tcp(80)), |b| {
            b.load_balancer_target(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1",
                "web",
                8080,
                [],
            )
        });
        assert_invalid(&err, "Web/Svc", "load_balancer_target");
        insta::assert_snapshot!(err, @r#"[Web/Svc] load_balancer_target: container "web" maps no port 8080; add `.port(PortMapping::tcp(8080))` to it"#);
    }

    #[test]
    fn rejects_a_target_on_an_unknown_container() {
        let err = service_err(nginx("web").port(PortMapping::tcp(80)), |b| {
            b.load_balancer_target(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1",
                "api",
                80,
                [],
            )
        });
        assert_invalid(&err, "Web/Svc", "load_balancer_target");
    }

    #[test]
    fn rejects_ecs_exec_with_a_read_only_root_filesystem() {
        let err = service_err(nginx("web"), FargateServiceBuilder::enable_execute_command);
        assert_unsupported(&err, "Web/Svc", "enable_execute_command");
        insta::assert_snapshot!(err, @"[Web/Svc] `enable_execute_command` cannot be used with a read-only root filesystem: the ECS Exec agent writes to /managed-agents, /var/lib/amazon/ssm and /var/log/amazon/ssm: mount writable scratch volumes there, or make the root filesystem writable");
    }

    #[test]
    fn accepts_ecs_exec_with_a_writable_root_filesystem() {
        let mut stack = Stack::new("Web");
        let (cluster, task) = setup(&mut stack, false, nginx("web").writable_root_filesystem());
        FargateService::builder("Svc", &cluster, &task)
            .subnet_ids(["subnet-1"])
            .security_group_ids(["sg-1"])
            .enable_execute_command()
            .build(&mut stack)
            .unwrap();
    }

    #[test]
    fn rejects_a_service_without_subnets() {
        let mut stack = Stack::new("Web");
        let (cluster, task) = setup(&mut stack, true, nginx("web"));
        let err = FargateService::builder("Svc", &cluster, &task)
            .security_group_ids(["sg-1"])
            .build(&mut stack)
            .unwrap_err();
        assert_missing(&err, "Web/Svc", "subnet_ids");
    }
}

#[test]
#[allow(clippy::unwrap_used, reason = "test setup")]
fn rejects_service_connect_on_an_unnamed_port() {
    use ecscdk::ecs::{FargateService, ServiceConnect, ServiceConnectPort};
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(nginx("web").port(PortMapping::tcp(80)))
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Svc", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .service_connect(
            ServiceConnect::in_namespace("internal").port(ServiceConnectPort::named("web")),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Svc", "service_connect");
    insta::assert_snapshot!(err, @r#"[Web/Svc] service_connect: no container maps a port named "web"; name the port mapping with `PortMapping::tcp(..).name("web")`"#);
}

#[test]
#[allow(clippy::unwrap_used, reason = "test setup")]
fn rejects_cloud_map_without_a_namespace() {
    use ecscdk::ecs::{CloudMapOptions, FargateService};
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(nginx("web"))
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Svc", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .cloud_map(CloudMapOptions::named("web"))
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Svc", "Cloud Map namespace");
    insta::assert_snapshot!(err, @"[Web/Svc] `Cloud Map namespace` is required: give the cluster `.default_cloud_map_namespace(..)`, or the options `.namespace(..)`");
}

#[test]
#[allow(clippy::unwrap_used, reason = "test setup")]
fn rejects_service_connect_without_a_namespace() {
    use ecscdk::ecs::{FargateService, ServiceConnect};
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(nginx("web"))
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Svc", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .service_connect(ServiceConnect::in_cluster_namespace())
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Svc", "Service Connect namespace");
}

#[test]
fn rejects_a_private_dns_namespace_on_a_cluster_without_a_vpc() {
    use ecscdk::servicediscovery::NamespaceType;
    let mut stack = Stack::new("Web");
    let err = Cluster::builder("Cluster")
        .default_cloud_map_namespace("internal", NamespaceType::DnsPrivate)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Cluster", "vpc");
    insta::assert_snapshot!(err, @"[Web/Cluster] `vpc` is required: a private DNS namespace lives in a VPC: give the cluster `.vpc(&vpc)`, or use NamespaceType::Http");
}
