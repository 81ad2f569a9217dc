//! A container's restart policy, start timeout and kernel parameters
//! (`RestartPolicy`, `StartTimeout`, `SystemControls`) as the synthesized
//! template carries them: opt-in (a container without them renders none of
//! the three), written as CloudFormation expects them, and accepted where
//! ECS accepts them. `App::synth` checks every resource against its
//! registry schema, so each template here has passed that check too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::ecs::{
    Cluster, Container, ContainerBuilder, ContainerImage, CpuArchitecture, Ec2NetworkMode,
    Ec2TaskDefinition, FargateService, FargateTaskDefinition, ManagedInstancesNetworkMode,
    ManagedInstancesTaskDefinition, OperatingSystem, PlatformVersion, RestartPolicy,
};
use ecscdk::prelude::*;
use serde_json::{Value as Json, json};

#[path = "common/template.rs"]
mod template;
use template::synth;

/// The container definitions of the template's one resource of type `ty`.
fn containers(template: &Json, ty: &str) -> Vec<Json> {
    let mut found = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == ty);
    let resource = found.next().unwrap_or_else(|| panic!("no {ty}"));
    assert!(found.next().is_none(), "more than one {ty}");
    resource["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .clone()
}

fn worker() -> ContainerBuilder {
    Container::builder(
        "worker",
        ContainerImage::registry("public.ecr.aws/example/worker:1"),
    )
}

/// A Fargate task definition `Task` of `container`, synthesized alone in
/// stack `Web`; its container definitions.
fn fargate_containers(container: ContainerBuilder) -> Vec<Json> {
    let mut stack = Stack::new("Web");
    FargateTaskDefinition::builder("Task")
        .container(container)
        .build(&mut stack)
        .unwrap();
    containers(&synth(stack), "AWS::ECS::TaskDefinition")
}

#[test]
fn a_fargate_container_carries_its_restart_policy_start_timeout_and_kernel_parameters() {
    let defs = fargate_containers(
        worker()
            .restart_policy(
                RestartPolicy::enabled()
                    .ignored_exit_code(0)
                    .ignored_exit_codes([127, 143])
                    .attempt_period(Duration::from_secs(360)),
            )
            .start_timeout(Duration::from_secs(90))
            .system_control("net.ipv4.tcp_keepalive_time", "300")
            .system_control("kernel.shmmax", "68719476736")
            .system_control("fs.mqueue.msg_max", "64"),
    );
    let c = &defs[0];
    assert_eq!(
        c["RestartPolicy"],
        json!({"Enabled": true, "IgnoredExitCodes": [0, 127, 143], "RestartAttemptPeriod": 360})
    );
    assert_eq!(c["StartTimeout"], json!(90));
    // In the order given: ECS applies them in order, and a reordering
    // would register a new revision for nothing.
    assert_eq!(
        c["SystemControls"],
        json!([
            {"Namespace": "net.ipv4.tcp_keepalive_time", "Value": "300"},
            {"Namespace": "kernel.shmmax", "Value": "68719476736"},
            {"Namespace": "fs.mqueue.msg_max", "Value": "64"}
        ])
    );
}

#[test]
fn a_container_without_them_renders_none_of_the_three() {
    let defs = fargate_containers(worker());
    for key in ["RestartPolicy", "StartTimeout", "SystemControls"] {
        assert!(defs[0].get(key).is_none(), "{key} in {}", defs[0]);
    }
}

#[test]
fn a_bare_policy_is_enabled_with_ecs_defaults_and_a_disabled_one_is_written_out() {
    let defs = fargate_containers(worker().restart_policy(RestartPolicy::enabled()));
    assert_eq!(defs[0]["RestartPolicy"], json!({"Enabled": true}));
    let defs = fargate_containers(worker().restart_policy(RestartPolicy::disabled()));
    assert_eq!(defs[0]["RestartPolicy"], json!({"Enabled": false}));
}

#[test]
fn the_ends_of_the_ranges_are_accepted() {
    for (period, timeout) in [(60, 2), (1800, 120)] {
        let defs = fargate_containers(
            worker()
                .restart_policy(
                    RestartPolicy::enabled()
                        .ignored_exit_codes(0..50)
                        .attempt_period(Duration::from_secs(period)),
                )
                .start_timeout(Duration::from_secs(timeout)),
        );
        assert_eq!(
            defs[0]["RestartPolicy"]["RestartAttemptPeriod"],
            json!(period)
        );
        assert_eq!(
            defs[0]["RestartPolicy"]["IgnoredExitCodes"]
                .as_array()
                .unwrap()
                .len(),
            50
        );
        assert_eq!(defs[0]["StartTimeout"], json!(timeout));
    }
}

#[test]
fn a_start_timeout_beyond_fargates_range_is_accepted_on_ec2() {
    let mut stack = Stack::new("Web");
    Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(
            worker()
                .memory_limit_mib(256)
                .start_timeout(Duration::from_secs(600)),
        )
        .build(&mut stack)
        .unwrap();
    let defs = containers(&synth(stack), "AWS::ECS::TaskDefinition");
    assert_eq!(defs[0]["StartTimeout"], json!(600));
}

#[test]
fn a_host_mode_task_sets_ipc_parameters_and_a_bridge_task_network_ones() {
    let mut stack = Stack::new("Web");
    Ec2TaskDefinition::builder("Host", Ec2NetworkMode::Host)
        .container(
            worker()
                .memory_limit_mib(256)
                .system_control("kernel.sem", "250 32000 100 128"),
        )
        .build(&mut stack)
        .unwrap();
    ManagedInstancesTaskDefinition::builder("Managed", ManagedInstancesNetworkMode::Host)
        .container(
            worker()
                .memory_limit_mib(256)
                .system_control("kernel.shm_rmid_forced", "1"),
        )
        .build(&mut stack)
        .unwrap();
    Ec2TaskDefinition::builder("Bridge", Ec2NetworkMode::Bridge)
        .container(
            worker()
                .memory_limit_mib(256)
                .system_control("net.core.somaxconn", "4096"),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let controls: Vec<Json> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::ECS::TaskDefinition")
        .map(|r| r["Properties"]["ContainerDefinitions"][0]["SystemControls"].clone())
        .collect();
    assert_eq!(controls.len(), 3);
    for expected in [
        json!([{"Namespace": "kernel.sem", "Value": "250 32000 100 128"}]),
        json!([{"Namespace": "kernel.shm_rmid_forced", "Value": "1"}]),
        json!([{"Namespace": "net.core.somaxconn", "Value": "4096"}]),
    ] {
        assert!(
            controls.contains(&expected),
            "{expected} not in {controls:?}"
        );
    }
}

#[test]
fn a_windows_container_on_ec2_may_restart() {
    // The developer guide rules out restart policies for Windows containers
    // on Fargate only.
    let mut stack = Stack::new("Web");
    Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Nat)
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .container(
            Container::builder(
                "iis",
                ContainerImage::registry(
                    "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
                ),
            )
            .memory_limit_mib(1024)
            .restart_policy(RestartPolicy::enabled().ignored_exit_code(0)),
        )
        .build(&mut stack)
        .unwrap();
    let defs = containers(&synth(stack), "AWS::ECS::TaskDefinition");
    assert_eq!(
        defs[0]["RestartPolicy"],
        json!({"Enabled": true, "IgnoredExitCodes": [0]})
    );
}

#[test]
fn fargate_services_run_them_on_the_platforms_that_have_them() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let restarting = FargateTaskDefinition::builder("Restarting")
        .container(
            worker()
                .restart_policy(RestartPolicy::enabled())
                .system_control("net.core.somaxconn", "4096"),
        )
        .build(&mut stack)
        .unwrap();
    let waiting = FargateTaskDefinition::builder("Waiting")
        .container(worker().start_timeout(Duration::from_secs(30)))
        .build(&mut stack)
        .unwrap();
    for (id, task, version) in [
        ("Latest", &restarting, PlatformVersion::Latest),
        ("Pinned", &restarting, PlatformVersion::V1_4_0),
        (
            "Later",
            &restarting,
            PlatformVersion::Other("1.5.0".to_owned()),
        ),
        ("Old", &waiting, PlatformVersion::Other("1.3.0".to_owned())),
    ] {
        FargateService::builder(id, &cluster, task)
            .subnet_ids(["subnet-1"])
            .security_group_ids(["sg-1"])
            .platform_version(version)
            .build(&mut stack)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let t = synth(stack);
    let versions: Vec<&Json> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::ECS::Service")
        .map(|r| &r["Properties"]["PlatformVersion"])
        .collect();
    assert_eq!(versions.len(), 4);
    assert!(versions.contains(&&json!("1.3.0")));
}

#[test]
fn a_windows_fargate_container_has_no_read_only_root_filesystem() {
    // ECS refuses `readonlyRootFilesystem` for Windows containers, so
    // ecscdk's read-only default must not reach a Windows task on Fargate
    // (the EC2 task definition already left it out).
    let mut stack = Stack::new("Web");
    FargateTaskDefinition::builder("Task")
        .size(ecscdk::ecs::FargateSize::new(ecscdk::ecs::FargateCpu::Vcpu1, 2048).unwrap())
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .container(Container::builder(
            "iis",
            ContainerImage::registry(
                "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
            ),
        ))
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let written = &assembly.stacks()[0];
    let template: Json = serde_json::from_str(&written.template).unwrap();
    let defs = containers(&template, "AWS::ECS::TaskDefinition");
    assert!(
        defs[0].get("ReadonlyRootFilesystem").is_none(),
        "{}",
        defs[0]
    );
    // Nor is its writable root warned about.
    let warnings: Vec<String> = written.warnings.iter().map(ToString::to_string).collect();
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains(ecscdk::ecs::READ_ONLY_ROOT_WARNING)),
        "{warnings:?}"
    );
}
