//! Bad inputs of ECS Managed Daemons: daemon task definitions and daemons,
//! and privileged containers where they cannot run.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use std::time::Duration;

use ecscdk::ecs::{
    Daemon, DaemonBuilder, DaemonTaskDefinition, DaemonTaskDefinitionBuilder,
    FargateTaskDefinition, ManagedInstancesCapacityProvider, PortMapping,
};

/// Builds `make(builder)` for a daemon task definition `Agent` in the
/// stack `Web`.
fn task_error(
    make: impl FnOnce(DaemonTaskDefinitionBuilder) -> DaemonTaskDefinitionBuilder,
) -> Error {
    let mut stack = web_stack();
    make(DaemonTaskDefinition::builder("Agent"))
        .build(&mut stack)
        .unwrap_err()
}

/// Builds `make(builder)` for a daemon `Agent` of a valid task definition
/// in the cluster of the stack `Web`, which has a provider `Provider`.
fn daemon_error(
    make: impl FnOnce(DaemonBuilder, &ManagedInstancesCapacityProvider) -> DaemonBuilder,
) -> Error {
    let (mut stack, cluster) = web_cluster();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let task = DaemonTaskDefinition::builder("AgentTask")
        .container(nginx("agent"))
        .build(&mut stack)
        .unwrap();
    make(Daemon::builder("Agent", &cluster, &task), &provider)
        .build(&mut stack)
        .unwrap_err()
}

#[test]
fn rejects_a_daemon_task_definition_without_containers() {
    let err = task_error(|b| b);
    assert_missing(&err, "Web/Agent", "container");
    insta::assert_snapshot!(err, @"[Web/Agent] `container` is required: add the agent with `.container(Container::builder(name, image))`");
}

#[test]
fn rejects_a_daemon_task_definition_without_an_essential_container() {
    let err = task_error(|b| b.container(nginx("agent").essential(false)));
    assert_missing(&err, "Web/Agent", "essential container");
    insta::assert_snapshot!(err, @"[Web/Agent] `essential container` is required: ECS needs at least one essential container in a daemon task definition: drop `.essential(false)` from the agent's container");
}

#[test]
fn rejects_two_daemon_containers_of_one_name() {
    let err = task_error(|b| b.container(nginx("agent")).container(nginx("agent")));
    assert_invalid(&err, "Web/Agent", "container");
}

#[test]
fn rejects_a_port_mapping_in_a_daemon() {
    let err = task_error(|b| b.container(nginx("agent").port(PortMapping::tcp(4317))));
    assert_unsupported(&err, "Web/Agent", "port");
    insta::assert_snapshot!(err, @"[Web/Agent] `port` cannot be used in a daemon task definition: daemons have no port mappings: they share the instance's daemon network, where tasks reach them at 169.254.172.2; let the container listen on its port, and give each daemon on an instance ports of its own");
}

#[test]
fn rejects_gpus_in_a_daemon() {
    let err = task_error(|b| b.container(nginx("agent").gpu_count(1)));
    assert_unsupported(&err, "Web/Agent", "gpu_count");
}

#[test]
fn rejects_two_daemon_volumes_of_one_name() {
    let err = task_error(|b| {
        b.container(nginx("agent"))
            .host_volume("logs", "/var/log")
            .host_volume("logs", "/var/lib")
    });
    assert_invalid(&err, "Web/Agent", "host_volume");
    insta::assert_snapshot!(err, @r#"[Web/Agent] host_volume: two volumes are named "logs"; volume names must be unique"#);
}

#[test]
fn rejects_a_relative_host_path() {
    let err = task_error(|b| b.container(nginx("agent")).host_volume("logs", "var/log"));
    assert_invalid(&err, "Web/Agent", "host_volume");
    insta::assert_snapshot!(err, @r#"[Web/Agent] host_volume: volume "logs": the host path "var/log" is not absolute; give the instance's directory from the root, such as `/var/log`"#);
}

#[test]
fn rejects_a_mount_of_a_volume_the_daemon_lacks() {
    let err = task_error(|b| b.container(nginx("agent").mount("proc", "/host/proc", true)));
    assert_invalid(&err, "Web/Agent", "mount");
    insta::assert_snapshot!(err, @r#"[Web/Agent] mount: container "agent" mounts volume "proc", which the daemon task definition does not have; add the instance's directory with `.host_volume("proc", "/path/on/the/instance")`"#);
}

#[test]
fn rejects_a_daemon_of_zero_cpu() {
    let err = task_error(|b| b.container(nginx("agent")).cpu(0));
    assert_invalid(&err, "Web/Agent", "cpu");
}

#[test]
fn rejects_a_daemon_container_asking_for_more_memory_than_the_daemon() {
    let err = task_error(|b| {
        b.container(nginx("agent").memory_reservation_mib(1024))
            .memory_mib(512)
    });
    assert_invalid(&err, "Web/Agent", "memory_reservation_mib");
}

#[test]
fn rejects_a_daemon_family_ecs_refuses() {
    let err = task_error(|b| b.container(nginx("agent")).family("my agent"));
    assert_invalid(&err, "Web/Agent", "family");
    insta::assert_snapshot!(err, @r#"[Web/Agent] family: "my agent" is not a family ECS accepts: 1 to 255 letters, digits, `-` and `_`"#);
}

#[test]
fn rejects_a_daemon_without_a_capacity_provider() {
    let err = daemon_error(|b, _| b);
    assert_missing(&err, "Web/Agent", "capacity provider");
    insta::assert_snapshot!(err, @"[Web/Agent] `capacity provider` is required: a daemon runs on the instances of Managed Instances providers: add `.capacity_provider(&provider)`");
}

#[test]
fn rejects_a_daemon_on_a_provider_of_another_cluster() {
    let (mut stack, cluster) = web_cluster();
    let vpc = Vpc::builder("Other").max_azs(1).build(&mut stack).unwrap();
    let other = Cluster::builder("OtherCluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let provider = ManagedInstancesCapacityProvider::builder("Provider", &other)
        .build(&mut stack)
        .unwrap();
    let task = DaemonTaskDefinition::builder("AgentTask")
        .container(nginx("agent"))
        .build(&mut stack)
        .unwrap();
    let err = Daemon::builder("Agent", &cluster, &task)
        .capacity_provider(&provider)
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Agent", "capacity_provider");
}

#[test]
fn rejects_a_provider_given_twice() {
    let err = daemon_error(|b, p| b.capacity_provider(p).capacity_provider(p));
    assert_invalid(&err, "Web/Agent", "capacity_provider");
    insta::assert_snapshot!(err, @"[Web/Agent] capacity_provider: the provider Web/Provider is given twice; give each provider once");
}

#[test]
fn rejects_a_drain_percentage_above_100() {
    let err = daemon_error(|b, p| b.capacity_provider(p).drain_percent(150.0));
    assert_invalid(&err, "Web/Agent", "drain_percent");
    insta::assert_snapshot!(err, @"[Web/Agent] drain_percent: 150 is outside 0 to 100, the percentages of instances ECS drains at a time");
}

#[test]
fn rejects_a_drain_percentage_that_is_not_a_number() {
    let err = daemon_error(|b, p| b.capacity_provider(p).drain_percent(f64::NAN));
    assert_invalid(&err, "Web/Agent", "drain_percent");
}

#[test]
fn rejects_a_daemon_bake_time_of_seconds() {
    let err = daemon_error(|b, p| b.capacity_provider(p).bake_time(Duration::from_secs(90)));
    assert_invalid(&err, "Web/Agent", "bake_time");
    insta::assert_snapshot!(err, @"[Web/Agent] bake_time: bake time 90s is not whole minutes; ECS takes minutes");
}

#[test]
fn rejects_a_daemon_bake_time_above_a_day() {
    let err = daemon_error(|b, p| {
        b.capacity_provider(p)
            .bake_time(Duration::from_secs(25 * 3600))
    });
    assert_invalid(&err, "Web/Agent", "bake_time");
}

#[test]
fn rejects_a_daemon_name_ecs_refuses() {
    let err = daemon_error(|b, p| b.capacity_provider(p).daemon_name("agent.v2"));
    assert_invalid(&err, "Web/Agent", "daemon_name");
    insta::assert_snapshot!(err, @r#"[Web/Agent] daemon_name: "agent.v2" is not a name ECS accepts: 1 to 255 letters, digits, `-` and `_`"#);
}

#[test]
fn rejects_a_privileged_container_on_fargate() {
    let mut stack = web_stack();
    let err = FargateTaskDefinition::builder("Task")
        .container(nginx("web").privileged())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task/web", "privileged");
    insta::assert_snapshot!(err, @"[Web/Task/web] privileged: Fargate does not run privileged containers; add the capability the container needs with `add_capability(..)` (Fargate allows SYS_PTRACE), or run the task on EC2 or Managed Instances capacity");
}
