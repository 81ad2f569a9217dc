//! Bad inputs of ECS Managed Instances: the capacity provider, its task
//! definitions and services.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use ecscdk::ec2::{SubnetSelection, Vpc};
use ecscdk::ecs::{
    Cluster, ContainerBuilder, InstanceRequirements, ManagedInstancesCapacityProvider,
    ManagedInstancesNetworkMode, ManagedInstancesService, ManagedInstancesTaskDefinition,
    PortMapping,
};

/// A stack `Web` with a VPC and a cluster in it.
fn cluster() -> (Stack, Cluster) {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    (stack, cluster)
}

fn provider_error(requirements: InstanceRequirements) -> Error {
    let (mut stack, cluster) = cluster();
    ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .instance_requirements(requirements)
        .build(&mut stack)
        .unwrap_err()
}

fn task(
    stack: &mut Stack,
    mode: ManagedInstancesNetworkMode,
    container: ContainerBuilder,
) -> ManagedInstancesTaskDefinition {
    ManagedInstancesTaskDefinition::builder("Task", mode)
        .container(container)
        .build(stack)
        .unwrap()
}

#[test]
fn rejects_a_managed_instances_provider_of_a_cluster_without_vpc() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let err = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Provider", "cluster vpc");
    insta::assert_snapshot!(err, @"[Web/Provider] `cluster vpc` is required: Managed Instances are launched in the cluster's VPC: give the cluster `.vpc(&vpc)`");
}

#[test]
fn rejects_a_vcpu_range_whose_start_is_above_its_end() {
    #[allow(clippy::reversed_empty_ranges, reason = "the bad input under test")]
    let err = provider_error(InstanceRequirements::new(8..=2, 1024..));
    assert_invalid(&err, "Web/Provider", "instance_requirements");
    insta::assert_snapshot!(err, @"[Web/Provider] instance_requirements: the vCPU range starts at 8, above its end 2; give `min..=max` with min <= max");
}

#[test]
fn rejects_a_memory_range_whose_start_is_above_its_end() {
    #[allow(clippy::reversed_empty_ranges, reason = "the bad input under test")]
    let err = provider_error(InstanceRequirements::new(2.., 8192..=4096));
    assert_invalid(&err, "Web/Provider", "instance_requirements");
    insta::assert_snapshot!(err, @"[Web/Provider] instance_requirements: the memory (MiB) range starts at 8192, above its end 4096; give `min..=max` with min <= max");
}

#[test]
fn rejects_an_accelerator_count_range_whose_start_is_above_its_end() {
    #[allow(clippy::reversed_empty_ranges, reason = "the bad input under test")]
    let err = provider_error(InstanceRequirements::new(2.., 1024..).accelerator_count(4..=1));
    assert_invalid(&err, "Web/Provider", "instance_requirements");
    insta::assert_snapshot!(err, @"[Web/Provider] instance_requirements: the accelerator count range starts at 4, above its end 1; give `min..=max` with min <= max");
}

#[test]
fn rejects_zero_vcpus() {
    let err = provider_error(InstanceRequirements::new(0..=4, 1024..));
    assert_invalid(&err, "Web/Provider", "instance_requirements");
    insta::assert_snapshot!(err, @"[Web/Provider] instance_requirements: the vCPU range starts at 0; every instance has at least 1 vCPU, start it at 1 or more");
}

#[test]
fn rejects_allowed_and_excluded_instance_types_together() {
    let err = provider_error(
        InstanceRequirements::new(2.., 1024..)
            .allowed_instance_types(["m7g.*"])
            .excluded_instance_types(["t4g.*"]),
    );
    assert_conflict(
        &err,
        "Web/Provider",
        "allowed_instance_types",
        "excluded_instance_types",
    );
    insta::assert_snapshot!(err, @"[Web/Provider] `allowed_instance_types` conflicts with `excluded_instance_types`: EC2 takes one list of instance type patterns: keep either the allowed or the excluded types");
}

#[test]
fn rejects_an_instance_type_pattern_with_other_characters() {
    let err = provider_error(
        InstanceRequirements::new(2.., 1024..).allowed_instance_types(["m7g.large, c7g.large"]),
    );
    assert_invalid(&err, "Web/Provider", "instance_requirements");
    insta::assert_snapshot!(err, @"[Web/Provider] instance_requirements: \"m7g.large, c7g.large\" is not an instance type pattern: 1 to 30 letters, digits, `.` and `*` (e.g. `m7g.*`)");
}

#[test]
fn rejects_more_than_400_instance_types() {
    let err = provider_error(
        InstanceRequirements::new(2.., 1024..)
            .excluded_instance_types((0..401).map(|i| format!("m{i}.large"))),
    );
    assert_invalid(&err, "Web/Provider", "instance_requirements");
    insta::assert_snapshot!(err, @"[Web/Provider] instance_requirements: 401 instance types are listed; EC2 accepts at most 400");
}

#[test]
fn rejects_a_task_volume_of_zero_gib() {
    let (mut stack, cluster) = cluster();
    let err = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .task_volume_storage_gib(0)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Provider", "task_volume_storage_gib");
    insta::assert_snapshot!(err, @"[Web/Provider] task_volume_storage_gib: 0 GiB is no volume; give at least 1 GiB (ECS's default is 80)");
}

#[test]
fn rejects_a_scale_in_delay_above_an_hour() {
    let (mut stack, cluster) = cluster();
    let err = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .scale_in_after(Some(std::time::Duration::from_secs(7200)))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Provider", "scale_in_after");
    insta::assert_snapshot!(err, @"[Web/Provider] scale_in_after: 7200 s is above ECS's limit of 3600 s; give 0 to 3600 s, or None to turn the optimization off");
}

#[test]
fn rejects_a_managed_instances_provider_name_with_a_reserved_prefix() {
    let (mut stack, cluster) = cluster();
    let err = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .capacity_provider_name("ecs-managed")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Provider", "capacity_provider_name");
    insta::assert_snapshot!(err, @"[Web/Provider] capacity_provider_name: \"ecs-managed\" starts with a prefix ECS reserves (aws, ecs, fargate)");
}

#[test]
fn rejects_a_managed_instances_task_without_containers() {
    let mut stack = Stack::new("Web");
    let err = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Task", "container");
    insta::assert_snapshot!(err, @"[Web/Task] `container` is required: add one with `.container(Container::builder(name, image))`");
}

#[test]
fn rejects_two_managed_instances_containers_of_one_name() {
    let mut stack = Stack::new("Web");
    let err = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .container(nginx("web"))
        .container(nginx("web"))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "container");
    insta::assert_snapshot!(err, @"[Web/Task] container: two containers are named \"web\"; container names must be unique in a task definition");
}

#[test]
fn rejects_two_managed_instances_volumes_of_one_name() {
    let mut stack = Stack::new("Web");
    let err = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .scratch_volume("tmp")
        .scratch_volume("tmp")
        .container(nginx("web"))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "scratch_volume");
    insta::assert_snapshot!(err, @"[Web/Task] scratch_volume: two volumes are named \"tmp\"; volume names must be unique");
}

#[test]
fn rejects_a_mount_of_an_unknown_managed_instances_volume() {
    let mut stack = Stack::new("Web");
    let err = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .container(nginx("web").mount("cache", "/var/cache/nginx", false))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "mount");
    insta::assert_snapshot!(err, @"[Web/Task] mount: container \"web\" mounts volume \"cache\", which the task definition does not have; add it with `.scratch_volume(\"cache\")`");
}

#[test]
fn rejects_a_managed_instances_task_of_zero_cpu() {
    let mut stack = Stack::new("Web");
    let err = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .cpu(0)
        .container(nginx("web"))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "cpu");
    insta::assert_snapshot!(err, @"[Web/Task] cpu: 0 reserves nothing; give the task at least 1 (the CDK's defaults are 256 CPU units and 512 MiB)");
}

#[test]
fn rejects_a_container_with_more_memory_than_its_managed_instances_task() {
    let mut stack = Stack::new("Web");
    let err = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::Host)
        .memory_mib(512)
        .container(nginx("web").memory_limit_mib(1024))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "memory_limit_mib");
    insta::assert_snapshot!(err, @"[Web/Task] memory_limit_mib: container \"web\" asks for 1024 MiB, more than the task's 512 MiB; raise `memory_mib` or lower the container's");
}

#[test]
fn rejects_a_host_port_other_than_the_container_port_on_managed_instances() {
    let mut stack = Stack::new("Web");
    let err = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::Host)
        .container(nginx("web").port(PortMapping::tcp(80).host_port(8080)))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "port");
    insta::assert_snapshot!(err, @"[Web/Task] port: host port 8080 differs from container port 80; in the awsvpc and host network modes the host port is the container port: drop `host_port`");
}

#[test]
fn rejects_a_managed_instances_service_without_a_strategy() {
    let (mut stack, cluster) = cluster();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web"),
    );
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "capacity provider strategy");
    insta::assert_snapshot!(err, @"[Web/Service] `capacity provider strategy` is required: a service runs on Managed Instances only through a strategy: add `.capacity_provider_strategy([provider.strategy()])`");
}

#[test]
fn rejects_a_managed_instances_strategy_with_two_bases() {
    let (mut stack, cluster) = cluster();
    let on_demand = ManagedInstancesCapacityProvider::builder("OnDemand", &cluster)
        .build(&mut stack)
        .unwrap();
    let spot = ManagedInstancesCapacityProvider::builder("Spot", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web"),
    );
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([on_demand.strategy().base(1), spot.strategy().base(2)])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Web/Service] capacity_provider_strategy: only one item of a capacity provider strategy may have a base; keep the base on one provider");
}

#[test]
fn rejects_a_managed_instances_provider_of_another_cluster() {
    let (mut stack, cluster) = cluster();
    let vpc = cluster.vpc().unwrap().clone();
    let other = Cluster::builder("Other")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &other)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web"),
    );
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Web/Service] `capacity_provider_strategy` cannot be used with a provider of another cluster: a Managed Instances provider serves only the cluster it was built for; build one with `ManagedInstancesCapacityProvider::builder(id, &cluster)` for this service's cluster");
}

#[test]
fn rejects_subnets_for_a_host_mode_managed_instances_service() {
    let (mut stack, cluster) = cluster();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = task(&mut stack, ManagedInstancesNetworkMode::Host, nginx("web"));
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .vpc_subnets(SubnetSelection::public())
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "subnets");
    insta::assert_snapshot!(err, @"[Web/Service] `subnets` cannot be used in network mode host: only tasks in awsvpc network mode get subnets and security groups of their own (host-mode tasks use their instance's network, whose groups are the capacity provider's); drop them, or use `ManagedInstancesNetworkMode::AwsVpc`");
}

#[test]
fn rejects_an_awsvpc_managed_instances_service_on_a_cluster_without_vpc() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let imported = Cluster::from_name("shared").with_vpc(&vpc);
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &imported)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web"),
    );
    let err = ManagedInstancesService::builder("Service", &Cluster::from_name("shared"), &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "subnet_ids");
    insta::assert_snapshot!(err, @"[Web/Service] `subnet_ids` is required: give the cluster a VPC with `.vpc(&vpc)`, or the service its subnets with `.subnet_ids(..)`");
}

#[test]
fn rejects_a_managed_instances_minimum_healthy_above_the_maximum() {
    let (mut stack, cluster) = cluster();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web"),
    );
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .max_percent(150)
        .min_healthy_percent(160)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "min_healthy_percent");
    insta::assert_snapshot!(err, @"[Web/Service] min_healthy_percent: minimum healthy 160% is above the maximum 150%; a deployment could never start a task");
}

#[test]
fn rejects_a_managed_instances_maximum_below_100_percent() {
    let (mut stack, cluster) = cluster();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web"),
    );
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .min_healthy_percent(50)
        .max_percent(90)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "max_percent");
    insta::assert_snapshot!(err, @"[Web/Service] max_percent: 90% is below 100%; ECS requires at least 100% for replica services");
}

#[test]
fn rejects_a_managed_instances_load_balancer_target_of_an_unknown_container() {
    let (mut stack, cluster) = cluster();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web").port(PortMapping::tcp(80)),
    );
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .load_balancer_target(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1",
            "api",
            80,
            [],
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "load_balancer_target");
    insta::assert_snapshot!(err, @"[Web/Service] load_balancer_target: the task definition has no container \"api\"");
}

#[test]
fn rejects_a_managed_instances_load_balancer_target_of_an_unmapped_port() {
    let (mut stack, cluster) = cluster();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web").port(PortMapping::tcp(80)),
    );
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .load_balancer_target(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1",
            "web",
            8080,
            [],
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "load_balancer_target");
    insta::assert_snapshot!(err, @"[Web/Service] load_balancer_target: container \"web\" maps no port 8080; add `.port(PortMapping::tcp(8080))` to it");
}

#[test]
fn rejects_service_connect_on_managed_instances() {
    let (mut stack, cluster) = cluster();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web").port(PortMapping::tcp(80).name("http")),
    );
    let err = ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .service_connect(
            ecscdk::ecs::ServiceConnect::in_namespace("internal")
                .port(ecscdk::ecs::ServiceConnectPort::named("http")),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "service_connect");
    insta::assert_snapshot!(err, @"[Web/Service] `service_connect` cannot be used on Managed Instances: ECS does not offer Service Connect to services on Managed Instances; register in Cloud Map with `.cloud_map(..)`, or run the service on Fargate or EC2");
}

/// GuardDuty does not watch Managed Instances: a service there in a cluster
/// tagged for Runtime Monitoring is warned about, by path and id.
#[test]
fn warns_of_a_managed_instances_service_in_a_monitored_cluster() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .runtime_monitoring(true)
        .build(&mut stack)
        .unwrap();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = task(
        &mut stack,
        ManagedInstancesNetworkMode::AwsVpc,
        nginx("web").writable_root_filesystem(),
    );
    ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let warnings: Vec<String> = assembly.stacks()[0]
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    insta::assert_snapshot!(warnings[0], @"[Web/Service] GuardDuty Runtime Monitoring does not cover tasks on ECS Managed Instances: this service's tasks run unwatched although its cluster is tagged GuardDutyManaged=true; run them on Fargate or EC2 capacity to have them watched, or acknowledge this warning [ack: ecscdk:guardduty:managedInstances]");
}
