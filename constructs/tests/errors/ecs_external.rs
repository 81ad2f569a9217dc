//! Bad inputs of the service core as EC2 services now use it (Cloud Map in
//! bridge mode, awsvpc-only settings, auto scaling a daemon) and of ECS
//! Anywhere's external task definitions and services.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    CloudMapOptions, Cluster, Container, ContainerBuilder, ContainerImage, Ec2NetworkMode,
    Ec2Service, Ec2TaskDefinition, ExternalNetworkMode, ExternalService, ExternalTaskDefinition,
    PortMapping,
};
use ecscdk::servicediscovery::{DnsRecordType, NamespaceType};

/// A stack `Web` with a VPC and a cluster whose default namespace is the
/// private DNS namespace `internal`.
fn cluster_with_namespace() -> (Stack, Cluster) {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .default_cloud_map_namespace("internal", NamespaceType::DnsPrivate)
        .build(&mut stack)
        .unwrap();
    (stack, cluster)
}

fn ec2_task(
    stack: &mut Stack,
    mode: Ec2NetworkMode,
    container: ContainerBuilder,
) -> Ec2TaskDefinition {
    Ec2TaskDefinition::builder("Task", mode)
        .container(container)
        .build(stack)
        .unwrap()
}

#[test]
fn rejects_cloud_map_a_records_in_bridge_mode() {
    let (mut stack, cluster) = cluster_with_namespace();
    let task = ec2_task(
        &mut stack,
        Ec2NetworkMode::Bridge,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80)),
    );
    let err = Ec2Service::builder("Service", &cluster, &task)
        .cloud_map(CloudMapOptions::named("web").dns_record_type(DnsRecordType::A))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "cloud_map");
    insta::assert_snapshot!(err, @"[Web/Service] cloud_map: in bridge network mode tasks share their instance's address, so Cloud Map needs SRV records, which carry the port; use `DnsRecordType::Srv` (the default in this mode)");
}

#[test]
fn rejects_cloud_map_in_network_mode_none() {
    let (mut stack, cluster) = cluster_with_namespace();
    let task = ec2_task(
        &mut stack,
        Ec2NetworkMode::None,
        nginx("web").memory_limit_mib(256),
    );
    let err = Ec2Service::builder("Service", &cluster, &task)
        .cloud_map(CloudMapOptions::named("web"))
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "cloud_map");
    insta::assert_snapshot!(err, @"[Web/Service] `cloud_map` cannot be used in network mode none: tasks without networking have no address to register; choose the bridge, host or awsvpc network mode, or drop the Cloud Map registration");
}

#[test]
fn rejects_cloud_map_srv_records_without_a_port_in_bridge_mode() {
    let (mut stack, cluster) = cluster_with_namespace();
    let task = ec2_task(
        &mut stack,
        Ec2NetworkMode::Bridge,
        nginx("web").memory_limit_mib(256),
    );
    let err = Ec2Service::builder("Service", &cluster, &task)
        .cloud_map(CloudMapOptions::named("web"))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "cloud_map");
    insta::assert_snapshot!(err, @"[Web/Service] cloud_map: SRV records carry a port, but no essential container maps one; add a port mapping");
}

#[test]
fn rejects_subnets_for_a_bridge_mode_service() {
    let (mut stack, cluster) = cluster_with_namespace();
    let task = ec2_task(
        &mut stack,
        Ec2NetworkMode::Bridge,
        nginx("web").memory_limit_mib(256),
    );
    let err = Ec2Service::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "subnets");
    insta::assert_snapshot!(err, @"[Web/Service] `subnets` cannot be used in network mode bridge: only tasks in awsvpc network mode get subnets and security groups of their own (the others use their instance's network); drop them, or use `Ec2NetworkMode::AwsVpc`");
}

#[test]
fn rejects_an_awsvpc_service_without_subnets() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = ec2_task(
        &mut stack,
        Ec2NetworkMode::AwsVpc,
        nginx("web").memory_limit_mib(256),
    );
    let err = Ec2Service::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "subnet_ids");
    insta::assert_snapshot!(err, @"[Web/Service] `subnet_ids` is required: give the cluster a VPC with `.vpc(&vpc)`, or the service its subnets with `.subnet_ids(..)`");
}

#[test]
fn rejects_auto_scaling_a_daemon_service() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = ec2_task(
        &mut stack,
        Ec2NetworkMode::Bridge,
        nginx("web").memory_limit_mib(256),
    );
    let service = Ec2Service::builder("Service", &cluster, &task)
        .daemon()
        .build(&mut stack)
        .unwrap();
    let err = service.auto_scale(&mut stack, 1..=4).unwrap_err();
    assert_conflict(&err, "Web/Service", "auto_scale", "daemon");
    insta::assert_snapshot!(err, @"[Web/Service] `auto_scale` conflicts with `daemon`: a daemon service runs one task on every instance and ECS ignores its desired count; scale the Auto Scaling group instead");
}

fn external_task(
    stack: &mut Stack,
    mode: ExternalNetworkMode,
    container: ContainerBuilder,
) -> ExternalTaskDefinition {
    ExternalTaskDefinition::builder("Task", mode)
        .container(container)
        .build(stack)
        .unwrap()
}

#[test]
fn rejects_an_external_daemon_with_a_desired_count() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = external_task(
        &mut stack,
        ExternalNetworkMode::Host,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80)),
    );
    let err = ExternalService::builder("Service", &cluster, &task)
        .daemon()
        .desired_count(3)
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(&err, "Web/Service", "daemon", "desired_count");
    insta::assert_snapshot!(err, @"[Web/Service] `daemon` conflicts with `desired_count`: a daemon service runs one task per server; drop the desired count");
}

#[test]
fn rejects_an_external_service_whose_minimum_is_above_its_maximum() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = external_task(
        &mut stack,
        ExternalNetworkMode::Bridge,
        nginx("web").memory_limit_mib(256),
    );
    let err = ExternalService::builder("Service", &cluster, &task)
        .max_percent(100)
        .min_healthy_percent(150)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "min_healthy_percent");
    insta::assert_snapshot!(err, @"[Web/Service] min_healthy_percent: minimum healthy 150% is above the maximum 100%; a deployment could never start a task");
}

#[test]
fn rejects_default_rollout_percentages_with_a_fixed_host_port() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = external_task(
        &mut stack,
        ExternalNetworkMode::Bridge,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80).host_port(8080)),
    );
    let err = ExternalService::builder("Service", &cluster, &task)
        .desired_count(2)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "min_healthy_percent");
    insta::assert_snapshot!(err, @"[Web/Service] min_healthy_percent: the task holds host port 8080, so a server runs one copy, and with the default 100%/200% each rolling deploy waits for a server with the port free and stalls where none is spare; replace tasks in place with `.min_healthy_percent(50).max_percent(100)` (or 0 for a single task), or give both percentages if you keep spare servers");
    // Chosen percentages, or a dynamic host port, build.
    ExternalService::builder("Chosen", &cluster, &task)
        .min_healthy_percent(50)
        .max_percent(100)
        .build(&mut stack)
        .unwrap();
    let dynamic = ExternalTaskDefinition::builder("Dynamic", ExternalNetworkMode::Bridge)
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80)),
        )
        .build(&mut stack)
        .unwrap();
    ExternalService::builder("Spread", &cluster, &dynamic)
        .build(&mut stack)
        .unwrap();
}

#[test]
fn rejects_default_rollout_percentages_in_external_host_mode() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = external_task(
        &mut stack,
        ExternalNetworkMode::Host,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80)),
    );
    let err = ExternalService::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "min_healthy_percent");
}

#[test]
fn rejects_a_host_port_different_from_the_container_port_in_external_host_mode() {
    let mut stack = Stack::new("Web");
    let err = ExternalTaskDefinition::builder("Task", ExternalNetworkMode::Host)
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).host_port(8080)),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "port");
    insta::assert_snapshot!(err, @r#"[Web/Task] port: container "web" maps container port 80 to host port 8080; in host mode the host port is the container port: drop `host_port`"#);
}

#[test]
fn rejects_an_external_container_without_memory() {
    let mut stack = Stack::new("Web");
    let err = ExternalTaskDefinition::builder("Task", ExternalNetworkMode::Bridge)
        .container(Container::builder(
            "web",
            ContainerImage::registry("nginx:1.27"),
        ))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "memory_limit_mib");
    insta::assert_snapshot!(err, @r#"[Web/Task] memory_limit_mib: container "web" has neither a memory limit nor a reservation; an EC2 task needs one, or task-level memory: `.memory_limit_mib(..)` or `.memory_reservation_mib(..)` on the container, or `.memory_mib(..)` on the task definition"#);
}

#[test]
fn rejects_ecs_exec_on_an_external_service_with_a_read_only_root_filesystem() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = external_task(
        &mut stack,
        ExternalNetworkMode::Bridge,
        nginx("web").memory_limit_mib(256),
    );
    let err = ExternalService::builder("Service", &cluster, &task)
        .enable_execute_command()
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "enable_execute_command");
    insta::assert_snapshot!(err, @"[Web/Service] `enable_execute_command` cannot be used with a read-only root filesystem: the ECS Exec agent writes to /managed-agents, /var/lib/amazon/ssm and /var/log/amazon/ssm: mount writable scratch volumes there, or make the root filesystem writable");
}

#[test]
fn rejects_an_external_member_of_expression_that_does_not_parse() {
    use ecscdk::ecs::ServicePlacementConstraint;
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = external_task(
        &mut stack,
        ExternalNetworkMode::Bridge,
        nginx("web").memory_limit_mib(256),
    );
    let err = ExternalService::builder("Service", &cluster, &task)
        .placement_constraint(ServicePlacementConstraint::MemberOf(
            "(attribute:site == factory-1".to_owned(),
        ))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "placement_constraint");
    insta::assert_snapshot!(err, @"[Web/Service] placement_constraint: unbalanced parentheses or quotes");
}

#[test]
fn rejects_an_external_daemon_with_a_placement_strategy() {
    use ecscdk::ecs::PlacementStrategy;
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = external_task(
        &mut stack,
        ExternalNetworkMode::Host,
        nginx("web").memory_limit_mib(256),
    );
    let err = ExternalService::builder("Service", &cluster, &task)
        .daemon()
        .placement_strategy(PlacementStrategy::spread_across_instances())
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(&err, "Web/Service", "daemon", "placement_strategy");
    insta::assert_snapshot!(err, @"[Web/Service] `daemon` conflicts with `placement_strategy`: a daemon places one task on every server; drop the placement strategy");
}
