//! Bad inputs of a container's restart policy, start timeout and kernel
//! parameters (system controls): rejected at the task definition's
//! `build()` with the container's path, or at the service's with its own
//! when the Fargate platform version is too old.

#[allow(unused_imports)]
use super::*;

use std::time::Duration;

use ecscdk::ecs::{
    ContainerCondition, CpuArchitecture, Ec2NetworkMode, Ec2TaskDefinition, FargateService,
    FargateTaskDefinition, FargateTaskDefinitionBuilder, ManagedInstancesNetworkMode,
    ManagedInstancesTaskDefinition, OperatingSystem, PlatformVersion, RestartPolicy,
};
use ecscdk::patterns::ScheduledFargateTask;
use ecscdk::scheduler::ScheduleExpression;

fn fargate_err(container: ContainerBuilder) -> Error {
    task_err(FargateTaskDefinition::builder("Task").container(container))
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn task_err(task: FargateTaskDefinitionBuilder) -> Error {
    let mut stack = Stack::new("Web");
    task.build(&mut stack)
        .expect_err("the task definition is rejected")
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn windows_fargate(container: ContainerBuilder) -> FargateTaskDefinitionBuilder {
    FargateTaskDefinition::builder("Task")
        .size(
            ecscdk::ecs::FargateSize::new(ecscdk::ecs::FargateCpu::Vcpu1, 2048)
                .expect("Fargate offers 1 vCPU with 2 GiB"),
        )
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .container(container)
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn ec2_err(mode: Ec2NetworkMode, container: ContainerBuilder) -> Error {
    let mut stack = Stack::new("Web");
    Ec2TaskDefinition::builder("Task", mode)
        .container(container.memory_limit_mib(256))
        .build(&mut stack)
        .expect_err("the task definition is rejected")
}

fn restart(policy: RestartPolicy) -> Error {
    fargate_err(nginx("web").restart_policy(policy))
}

#[test]
fn rejects_a_restart_attempt_period_below_a_minute() {
    let err = restart(RestartPolicy::enabled().attempt_period(Duration::from_secs(59)));
    assert_invalid(&err, "Web/Task/web", "restart_policy");
    insta::assert_snapshot!(err, @"[Web/Task/web] restart_policy: an attempt period of 59s is not a whole number of seconds from 60 to 1800, the range ECS accepts");
}

#[test]
fn rejects_a_restart_attempt_period_above_half_an_hour() {
    let err = restart(RestartPolicy::enabled().attempt_period(Duration::from_secs(1801)));
    assert_invalid(&err, "Web/Task/web", "restart_policy");
    insta::assert_snapshot!(err, @"[Web/Task/web] restart_policy: an attempt period of 1801s is not a whole number of seconds from 60 to 1800, the range ECS accepts");
}

#[test]
fn rejects_a_restart_attempt_period_with_a_fraction_of_a_second() {
    let err = restart(RestartPolicy::enabled().attempt_period(Duration::from_millis(90_500)));
    assert_invalid(&err, "Web/Task/web", "restart_policy");
    insta::assert_snapshot!(err, @"[Web/Task/web] restart_policy: an attempt period of 90.5s is not a whole number of seconds from 60 to 1800, the range ECS accepts");
}

#[test]
fn rejects_more_than_fifty_ignored_exit_codes() {
    let err = restart(RestartPolicy::enabled().ignored_exit_codes(0..51));
    assert_invalid(&err, "Web/Task/web", "restart_policy");
    insta::assert_snapshot!(err, @"[Web/Task/web] restart_policy: 51 ignored exit codes, and ECS takes at most 50; keep the codes that mean the work is done");
}

#[test]
fn rejects_ignored_exit_codes_on_a_disabled_restart_policy() {
    let err = restart(RestartPolicy::disabled().ignored_exit_code(0));
    assert_invalid(&err, "Web/Task/web", "restart_policy");
    insta::assert_snapshot!(err, @"[Web/Task/web] restart_policy: a disabled policy takes no ignored exit codes or attempt period; start from `RestartPolicy::enabled()`, or drop them");
}

#[test]
fn rejects_an_attempt_period_on_a_disabled_restart_policy() {
    let err = restart(RestartPolicy::disabled().attempt_period(Duration::from_secs(300)));
    assert_invalid(&err, "Web/Task/web", "restart_policy");
}

#[test]
fn rejects_a_restart_policy_in_a_windows_fargate_task() {
    let err = task_err(windows_fargate(
        nginx("web").restart_policy(RestartPolicy::enabled()),
    ));
    assert_unsupported(&err, "Web/Task/web", "restart_policy");
    insta::assert_snapshot!(err, @"[Web/Task/web] `restart_policy` cannot be used in a Windows task on Fargate: ECS restarts no Windows containers on Fargate; drop the policy (a service replaces a task whose essential container exits), or run the task on EC2 capacity");
}

#[test]
fn rejects_a_start_timeout_below_fargates_range() {
    let err = fargate_err(nginx("web").start_timeout(Duration::from_secs(1)));
    assert_invalid(&err, "Web/Task/web", "start_timeout");
    insta::assert_snapshot!(err, @"[Web/Task/web] start_timeout: 1 s is outside 2..=120 s, the range Fargate accepts");
}

#[test]
fn rejects_a_start_timeout_above_fargates_range() {
    let err = fargate_err(nginx("web").start_timeout(Duration::from_secs(121)));
    assert_invalid(&err, "Web/Task/web", "start_timeout");
    insta::assert_snapshot!(err, @"[Web/Task/web] start_timeout: 121 s is outside 2..=120 s, the range Fargate accepts");
}

#[test]
fn rejects_a_start_timeout_with_a_fraction_of_a_second() {
    let err = ec2_err(
        Ec2NetworkMode::Bridge,
        nginx("web").start_timeout(Duration::from_millis(2500)),
    );
    assert_invalid(&err, "Web/Task/web", "start_timeout");
    insta::assert_snapshot!(err, @"[Web/Task/web] start_timeout: 2.5s is not a whole number of seconds, which ECS takes");
}

#[test]
fn rejects_a_kernel_parameter_outside_the_containers_namespaces() {
    let err = fargate_err(nginx("web").system_control("vm.swappiness", "10"));
    assert_invalid(&err, "Web/Task/web", "system_control");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] system_control: "vm.swappiness" is not a kernel parameter of the container's own IPC or network namespace, the only ones ECS sets (its `SystemControl` reference lists them); use an IPC one (`kernel.msgmax`, `kernel.msgmnb`, `kernel.msgmni`, `kernel.sem`, `kernel.shmall`, `kernel.shmmax`, `kernel.shmmni`, `kernel.shm_rmid_forced`, `fs.mqueue.*`) or a network one (`net.*`), or set it on the instance"#);
}

#[test]
fn rejects_a_kernel_parameter_set_twice() {
    let err = fargate_err(
        nginx("web")
            .system_control("net.core.somaxconn", "1024")
            .system_control("net.core.somaxconn", "4096"),
    );
    assert_invalid(&err, "Web/Task/web", "system_control");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] system_control: "net.core.somaxconn" is set twice, and only the last value would reach the container; set it once"#);
}

#[test]
fn rejects_a_network_parameter_in_host_network_mode() {
    let err = ec2_err(
        Ec2NetworkMode::Host,
        nginx("web").system_control("net.ipv4.tcp_keepalive_time", "300"),
    );
    assert_invalid(&err, "Web/Task/web", "system_control");
    insta::assert_snapshot!(err, @r#"[Web/Task/web] system_control: "net.ipv4.tcp_keepalive_time" is a network parameter, and a task in `host` network mode shares the instance's network namespace, where ECS sets none; set it on the instance, or use the `bridge` or `awsvpc` network mode"#);
}

#[test]
fn rejects_a_network_parameter_in_a_managed_instances_host_task() {
    let mut stack = Stack::new("Web");
    let err = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::Host)
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .system_control("net.core.somaxconn", "4096"),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task/web", "system_control");
}

#[test]
fn rejects_kernel_parameters_in_a_windows_fargate_task() {
    let err = task_err(windows_fargate(
        nginx("web").system_control("kernel.shmmax", "1"),
    ));
    assert_unsupported(&err, "Web/Task/web", "system_control");
    insta::assert_snapshot!(err, @"[Web/Task/web] `system_control` cannot be used in a Windows task: ECS sets no kernel parameters in Windows containers; drop the system controls, or run the task on Linux");
}

#[test]
fn rejects_resource_limits_in_a_windows_fargate_task() {
    let err = task_err(windows_fargate(nginx("web").ulimit(
        ecscdk::ecs::UlimitSetting {
            name: ecscdk::cfn::ecs::task_definition::Name::Nofile,
            soft: 1024,
            hard: 4096,
        },
    )));
    assert_unsupported(&err, "Web/Task/web", "ulimit");
    insta::assert_snapshot!(err, @"[Web/Task/web] `ulimit` cannot be used in a Windows task: resource limits, the init process, capabilities and privileged mode are Linux settings that ECS refuses for Windows containers; drop the setting, or run the task on Linux");
}

#[test]
fn rejects_linux_parameters_in_a_windows_fargate_task() {
    for (container, setting) in [
        (nginx("web").init_process(true), "init_process"),
        (nginx("web").add_capability("SYS_PTRACE"), "add_capability"),
        (nginx("web").drop_capability("ALL"), "drop_capability"),
    ] {
        let err = task_err(windows_fargate(container));
        assert_unsupported(&err, "Web/Task/web", setting);
    }
    // Turning the init process off is no Linux setting.
    windows_fargate(nginx("web").init_process(false))
        .build(&mut Stack::new("Web"))
        .unwrap();
}

#[test]
fn rejects_kernel_parameters_in_a_windows_ec2_task() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Nat)
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .container(
            nginx("iis")
                .memory_limit_mib(1024)
                .system_control("net.core.somaxconn", "4096"),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Task/iis", "system_control");
}

/// Builds a Fargate service of a task with `container` on `version`, and
/// returns its error.
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn service_err(container: ContainerBuilder, version: &str) -> Error {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = FargateTaskDefinition::builder("Task")
        .container(container)
        .build(&mut stack)
        .expect("the task definition builds");
    FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .platform_version(PlatformVersion::Other(version.to_owned()))
        .build(&mut stack)
        .expect_err("the service is rejected")
}

#[test]
fn rejects_a_restart_policy_on_a_fargate_platform_before_1_4() {
    let err = service_err(
        nginx("web").restart_policy(RestartPolicy::enabled()),
        "1.3.0",
    );
    assert_conflict(&err, "Web/Service", "restart_policy", "platform_version");
    insta::assert_snapshot!(err, @"[Web/Service] `restart_policy` conflicts with `platform_version`: ECS restarts containers on Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`");
}

#[test]
fn rejects_kernel_parameters_on_a_fargate_platform_before_1_4() {
    let err = service_err(
        nginx("web").system_control("net.core.somaxconn", "4096"),
        "1.3.0",
    );
    assert_conflict(&err, "Web/Service", "system_control", "platform_version");
    insta::assert_snapshot!(err, @"[Web/Service] `system_control` conflicts with `platform_version`: ECS sets kernel parameters on Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`");
}

#[test]
fn rejects_a_start_timeout_on_a_fargate_platform_before_1_3() {
    let err = service_err(nginx("web").start_timeout(Duration::from_secs(30)), "1.2.0");
    assert_conflict(&err, "Web/Service", "start_timeout", "platform_version");
    insta::assert_snapshot!(err, @"[Web/Service] `start_timeout` conflicts with `platform_version`: a container start timeout needs Fargate platform 1.3.0 or later; use `PlatformVersion::Latest` or `V1_4_0`");
}

#[test]
fn rejects_a_stop_timeout_on_a_fargate_platform_before_1_3() {
    let err = service_err(nginx("web").stop_timeout(Duration::from_secs(60)), "1.2.0");
    assert_conflict(&err, "Web/Service", "stop_timeout", "platform_version");
    insta::assert_snapshot!(err, @"[Web/Service] `stop_timeout` conflicts with `platform_version`: a container stop timeout needs Fargate platform 1.3.0 or later; use `PlatformVersion::Latest` or `V1_4_0`");
}

#[test]
fn rejects_container_dependencies_on_a_fargate_platform_before_1_3() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = FargateTaskDefinition::builder("Task")
        .container(nginx("init").essential(false))
        .container(nginx("web").depends_on("init", ContainerCondition::Success))
        .build(&mut stack)
        .unwrap();
    let service = |id: &str, version: &str, stack: &mut Stack| {
        FargateService::builder(id, &cluster, &task)
            .subnet_ids(["subnet-1"])
            .security_group_ids(["sg-1"])
            .platform_version(PlatformVersion::Other(version.to_owned()))
            .build(stack)
    };
    let err = service("Service", "1.1.0", &mut stack).unwrap_err();
    assert_conflict(&err, "Web/Service", "depends_on", "platform_version");
    insta::assert_snapshot!(err, @"[Web/Service] `depends_on` conflicts with `platform_version`: container dependencies need Fargate platform 1.3.0 or later; use `PlatformVersion::Latest` or `V1_4_0`");
    // The first platform that has them takes them.
    service("OnTime", "1.3.0", &mut stack).unwrap();
}

#[test]
fn rejects_a_scheduled_task_restarting_on_a_fargate_platform_before_1_4() {
    let (mut stack, cluster) = web_cluster();
    let err = ScheduledFargateTask::builder(
        "Nightly",
        &cluster,
        nginx("job").restart_policy(RestartPolicy::enabled()),
        ScheduleExpression::daily_at(2, 0),
    )
    .platform_version(PlatformVersion::Other("1.3.0".to_owned()))
    .build(&mut stack)
    .unwrap_err();
    assert_conflict(&err, "Web/Nightly", "restart_policy", "platform_version");
}
