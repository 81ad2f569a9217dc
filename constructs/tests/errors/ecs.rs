//! Bad inputs of the `ecs` module.

#[allow(unused_imports)]
use super::*;

use std::time::Duration;

use ecscdk::ecs::{
    Cluster, Container, ContainerBuilder, ContainerCondition, ContainerImage, CpuArchitecture,
    FargateCapacity, FargateCpu, FargateSize, FargateTaskDefinition, FargateTaskDefinitionBuilder,
    HealthCheck, OperatingSystem, PortMapping,
};

fn nginx(name: &str) -> ContainerBuilder {
    Container::builder(
        name,
        ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
    )
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn build_err(task: FargateTaskDefinitionBuilder) -> Error {
    let mut stack = Stack::new("Web");
    task.build(&mut stack)
        .expect_err("the task definition is rejected")
}

fn is_invalid(err: &Error, at: &str, prop: &str) -> bool {
    matches!(err, Error::InvalidProperty { path, property, .. } if path.as_str() == at && property == prop)
}

#[test]
fn rejects_a_task_definition_without_containers() {
    let err = build_err(FargateTaskDefinition::builder("Task"));
    assert!(
        matches!(&err, Error::Missing { path, what: "container", .. } if path.as_str() == "Web/Task")
    );
    insta::assert_snapshot!(err, @"[Web/Task] `container` is required: add one with `.container(Container::builder(name, image))`");
}

#[test]
fn rejects_duplicate_container_names() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web"))
            .container(nginx("web")),
    );
    assert!(is_invalid(&err, "Web/Task", "container"), "{err}");
    insta::assert_snapshot!(err, @r#"[Web/Task] container: two containers are named "web"; container names must be unique in a task definition"#);
}

#[test]
fn rejects_container_memory_above_the_task() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(nginx("web").memory_limit_mib(1024)),
    );
    assert!(is_invalid(&err, "Web/Task", "memory_limit_mib"), "{err}");
    insta::assert_snapshot!(err, @r#"[Web/Task] memory_limit_mib: container "web" asks for 1024 MiB but the task has 512 MiB; lower it or choose a larger FargateSize"#);
}

#[test]
fn rejects_container_cpu_above_the_task() {
    let err =
        build_err(FargateTaskDefinition::builder("Task").container(nginx("web").cpu_units(512)));
    assert!(is_invalid(&err, "Web/Task", "cpu_units"), "{err}");
}

#[test]
fn rejects_a_host_port_different_from_the_container_port() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web").port(PortMapping::tcp(80).host_port(8080))),
    );
    assert!(is_invalid(&err, "Web/Task/web", "port"), "{err}");
    insta::assert_snapshot!(err, @"[Web/Task/web] port: host port 8080 differs from container port 80; in awsvpc mode (Fargate) the host port is the container port: drop `host_port`");
}

#[test]
fn rejects_a_health_check_interval_out_of_range() {
    let err = build_err(FargateTaskDefinition::builder("Task").container(
        nginx("web").health_check(HealthCheck::shell("true").interval(Duration::from_secs(1))),
    ));
    assert!(
        is_invalid(&err, "Web/Task/web", "health_check.interval"),
        "{err}"
    );
    insta::assert_snapshot!(err, @"[Web/Task/web] health_check.interval: 1 is outside 5..=300, the range ECS accepts");
}

#[test]
fn rejects_a_stop_timeout_above_fargates_limit() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web").stop_timeout(Duration::from_secs(121))),
    );
    assert!(is_invalid(&err, "Web/Task/web", "stop_timeout"), "{err}");
}

#[test]
fn rejects_a_capability_fargate_does_not_allow() {
    let err = build_err(
        FargateTaskDefinition::builder("Task").container(nginx("web").add_capability("NET_ADMIN")),
    );
    assert!(is_invalid(&err, "Web/Task/web", "add_capability"), "{err}");
}

#[test]
fn rejects_ephemeral_storage_out_of_range() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .ephemeral_storage_gib(20)
            .container(nginx("web")),
    );
    assert!(
        is_invalid(&err, "Web/Task", "ephemeral_storage_gib"),
        "{err}"
    );
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
    assert!(is_invalid(&err, "Web/Task", "runtime_platform"), "{err}");
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
    assert!(is_invalid(&err, "Web/Task", "runtime_platform"), "{err}");
}

#[test]
fn rejects_a_dependency_on_an_unknown_container() {
    let err = build_err(
        FargateTaskDefinition::builder("Task")
            .container(nginx("web").depends_on("db", ContainerCondition::Healthy)),
    );
    assert!(is_invalid(&err, "Web/Task", "depends_on"), "{err}");
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
    assert!(is_invalid(&err, "Web/Task", "mount"), "{err}");
}

#[test]
fn rejects_a_task_without_an_essential_container() {
    let err =
        build_err(FargateTaskDefinition::builder("Task").container(nginx("web").essential(false)));
    assert!(is_invalid(&err, "Web/Task", "essential"), "{err}");
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
    assert!(
        is_invalid(&err, "Web/Cluster", "default_capacity_provider_strategy"),
        "{err}"
    );
    insta::assert_snapshot!(err, @"[Web/Cluster] default_capacity_provider_strategy: only one item of a capacity provider strategy may have a base; keep the base on one provider");
}

#[test]
fn rejects_a_strategy_with_all_weights_zero() {
    let mut stack = Stack::new("Web");
    let err = Cluster::builder("Cluster")
        .default_capacity_provider_strategy([FargateCapacity::on_demand().weight(0)])
        .build(&mut stack)
        .unwrap_err();
    assert!(
        is_invalid(&err, "Web/Cluster", "default_capacity_provider_strategy"),
        "{err}"
    );
}
