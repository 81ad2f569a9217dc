//! Bad inputs of the EC2 capacity, EC2 task definitions and EC2 services.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AmiFamily, AmiHardware, AsgCapacityProvider, AutoScalingGroup, Cluster, Container,
    ContainerBuilder, ContainerImage, CpuArchitecture, Ec2NetworkMode, Ec2Service,
    Ec2TaskDefinition, EcsOptimizedImage, EfsVolume, FargateTaskDefinition, FsxWindowsVolume,
    OperatingSystem, PortMapping, ServicePlacementConstraint,
};

/// A stack `Web` with a VPC, a cluster, a t3 group and its associated
/// provider.
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn capacity(instance_type: &str) -> (Stack, Cluster, AsgCapacityProvider) {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).expect("vpc");
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .expect("cluster");
    let asg = AutoScalingGroup::builder("Asg", &vpc, instance_type)
        .capacity(0, 2)
        .build(&mut stack)
        .expect("asg");
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut stack)
        .expect("provider");
    cluster
        .add_asg_capacity_provider(&mut stack, &provider)
        .expect("association");
    (stack, cluster, provider)
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn task(stack: &mut Stack, container: ContainerBuilder) -> Ec2TaskDefinition {
    Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(container)
        .build(stack)
        .expect("task")
}

#[test]
fn rejects_desired_capacity_outside_min_max() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let err = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .capacity(1, 3)
        .desired_capacity(5)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Asg", "desired_capacity");
    insta::assert_snapshot!(err, @"[Web/Asg] desired_capacity: 5 is outside the group's capacity 1..=3; set it within, or leave it unset");
}

#[test]
fn rejects_a_minimum_capacity_above_the_maximum() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let err = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .capacity(4, 2)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Asg", "capacity");
    insta::assert_snapshot!(err, @"[Web/Asg] capacity: minimum 4 is above maximum 2; the group could never settle");
}

#[test]
fn rejects_a_bottlerocket_neuron_ami() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let err = AutoScalingGroup::builder("Asg", &vpc, "inf2.xlarge")
        .machine_image(EcsOptimizedImage::new(
            AmiFamily::Bottlerocket,
            AmiHardware::Neuron,
        ))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Asg", "machine_image");
    insta::assert_snapshot!(err, @"[Web/Asg] machine_image: AWS publishes no Bottlerocket ECS AMI for Neuron; use Amazon Linux 2023 (AmiHardware::Neuron) instead");
}

#[test]
fn rejects_termination_protection_without_managed_scaling() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .build(&mut stack)
        .unwrap();
    let err = AsgCapacityProvider::builder("Provider", &asg)
        .managed_scaling(false)
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(
        &err,
        "Web/Provider",
        "managed_termination_protection",
        "managed_scaling(false)",
    );
    insta::assert_snapshot!(err, @"[Web/Provider] `managed_termination_protection` conflicts with `managed_scaling(false)`: managed termination protection needs managed scaling; enable it or turn protection off");
}

#[test]
fn rejects_a_cluster_and_its_asg_provider_in_two_stacks() {
    let mut network = Stack::new("Cluster");
    let vpc = Vpc::builder("Vpc").build(&mut network).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut network)
        .unwrap();
    let mut compute = Stack::new("Compute");
    let vpc2 = Vpc::builder("Vpc").build(&mut compute).unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc2, "t3.medium")
        .build(&mut compute)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut compute)
        .unwrap();
    let err = cluster
        .add_asg_capacity_provider(&mut compute, &provider)
        .unwrap_err();
    assert_unsupported(&err, "Compute", "add_asg_capacity_provider");
    insta::assert_snapshot!(err, @"[Compute] `add_asg_capacity_provider` cannot be used on a cluster of another stack: a cluster and its ASG capacity providers must share a stack: the associations reference the provider and the instances' user data and role reference the cluster, so split stacks would depend on each other (a deadly embrace CloudFormation cannot deploy or delete); build the Auto Scaling group and its provider in the cluster's stack");
}

#[test]
fn rejects_an_asg_provider_of_another_stack_in_the_clusters_stack() {
    let (mut stack, cluster, _) = capacity("t3.medium");
    let mut compute = Stack::new("Compute");
    let vpc = Vpc::builder("Vpc").build(&mut compute).unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .build(&mut compute)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut compute)
        .unwrap();
    let err = cluster
        .add_asg_capacity_provider(&mut stack, &provider)
        .unwrap_err();
    assert_unsupported(&err, "Web", "add_asg_capacity_provider");
    insta::assert_snapshot!(err, @"[Web] `add_asg_capacity_provider` cannot be used with a capacity provider of another stack: a cluster and its ASG capacity providers must share a stack: the associations reference the provider and the instances' user data and role reference the cluster, so split stacks would depend on each other (a deadly embrace CloudFormation cannot deploy or delete); build the Auto Scaling group and its provider in the cluster's stack");
}

#[test]
fn rejects_an_asg_provider_on_an_imported_cluster() {
    let (mut stack, _, provider) = capacity("t3.medium");
    let err = Cluster::from_name("shared")
        .add_asg_capacity_provider(&mut stack, &provider)
        .unwrap_err();
    assert_unsupported(&err, "Web", "add_asg_capacity_provider");
    insta::assert_snapshot!(err, @"[Web] `add_asg_capacity_provider` cannot be used on an imported cluster: an imported cluster's capacity providers are managed where it is defined; associate the provider there");
}

#[test]
fn rejects_an_asg_provider_built_in_another_stack_than_its_group() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .build(&mut stack)
        .unwrap();
    let mut other = Stack::new("Other");
    let err = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut other)
        .unwrap_err();
    assert_unsupported(&err, "Other/Provider", "AsgCapacityProvider::builder");
    insta::assert_snapshot!(err, @"[Other/Provider] `AsgCapacityProvider::builder` cannot be used with an Auto Scaling group of another stack: build the capacity provider in the stack of its Auto Scaling group: the provider turns managed termination protection on in the group");
}

#[test]
fn rejects_a_default_strategy_with_a_provider_not_associated() {
    let (mut stack, cluster, _) = capacity("t3.medium");
    let vpc = Vpc::builder("Vpc2").build(&mut stack).unwrap();
    let asg = AutoScalingGroup::builder("Asg2", &vpc, "t3.medium")
        .build(&mut stack)
        .unwrap();
    let loose = AsgCapacityProvider::builder("Loose", &asg)
        .build(&mut stack)
        .unwrap();
    let err = cluster
        .set_default_asg_strategy(&mut stack, [loose.strategy()])
        .unwrap_err();
    assert_unsupported(&err, "Web/Cluster", "set_default_asg_strategy");
    insta::assert_snapshot!(err, @"[Web/Cluster] `set_default_asg_strategy` cannot be used with a provider not associated with the cluster: call `cluster.add_asg_capacity_provider(..)` with the provider first");
}

#[test]
fn rejects_an_instance_type_no_region_offers() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let err = AutoScalingGroup::builder("Asg", &vpc, "t3.mediun")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Asg", "instance_type");
    insta::assert_snapshot!(err, @r#"[Web/Asg] instance_type: "t3.mediun" is not an EC2 instance type; the t3 family has t3.2xlarge, t3.large, t3.medium, t3.micro, t3.nano, t3.small, t3.xlarge"#);
    let err = AutoScalingGroup::builder("Other", &vpc, "t3.medium")
        .instance_type("banana")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Other", "instance_type");
    insta::assert_snapshot!(err, @r#"[Web/Other] instance_type: "banana" is not an EC2 instance type any region offers; give one such as `t3.medium` or `m7g.large`"#);
}

#[test]
fn rejects_an_ip_target_group_for_a_bridge_mode_service() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .build(&mut stack)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut stack)
        .unwrap();
    cluster
        .add_asg_capacity_provider(&mut stack, &provider)
        .unwrap();
    let task = task(
        &mut stack,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80)),
    );
    // The `TargetGroup` default is `ip`, for awsvpc tasks.
    let group = ecscdk::elbv2::TargetGroup::http("Group", &vpc, 80)
        .build(&mut stack)
        .unwrap();
    let err = Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .load_balancer_target(group.arn(), "web", 80, [])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "load_balancer_target");
    insta::assert_snapshot!(err, @"[Web/Service] load_balancer_target: the target group's target type is `ip`, and the tasks run in bridge network mode; ECS registers bridge- and host-mode tasks as instance and host port: build the target group with `.instance_targets()`");
}

#[test]
fn rejects_an_instance_target_group_for_an_awsvpc_service() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(nginx("web").port(PortMapping::tcp(80)))
        .build(&mut stack)
        .unwrap();
    let group = ecscdk::elbv2::TargetGroup::http("Group", &vpc, 80)
        .instance_targets()
        .build(&mut stack)
        .unwrap();
    let err = ecscdk::ecs::FargateService::builder("Service", &cluster, &task)
        .load_balancer_target(group.arn(), "web", 80, [])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "load_balancer_target");
    insta::assert_snapshot!(err, @"[Web/Service] load_balancer_target: the target group's target type is `instance`, and the tasks run in awsvpc network mode; ECS registers awsvpc tasks by IP address: build the target group with the `ip` target type (the `TargetGroup` default)");
}

#[test]
fn rejects_a_host_port_in_awsvpc_mode() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::AwsVpc)
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).host_port(8080)),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "port");
    insta::assert_snapshot!(err, @r#"[Web/Task] port: container "web" maps container port 80 to host port 8080; in awsvpc mode the host port is the container port: drop `host_port`"#);
}

#[test]
fn rejects_a_port_in_network_mode_none() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::None)
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80)),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "port");
    insta::assert_snapshot!(err, @r#"[Web/Task] port: container "web" maps port 80, but network mode `none` has no external networking; drop the port or choose another mode"#);
}

#[test]
fn rejects_an_ec2_container_without_memory() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(Container::builder(
            "web",
            ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
        ))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "memory_limit_mib");
    insta::assert_snapshot!(err, @r#"[Web/Task] memory_limit_mib: container "web" has neither a memory limit nor a reservation; an EC2 task needs one, or task-level memory: `.memory_limit_mib(..)` or `.memory_reservation_mib(..)` on the container, or `.memory_mib(..)` on the task definition"#);
}

#[test]
fn rejects_a_member_of_expression_that_does_not_parse() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(nginx("web").memory_limit_mib(256))
        .placement_constraint("(attribute:ecs.instance-type =~ t3.*")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "placement_constraint");
    insta::assert_snapshot!(err, @"[Web/Task] placement_constraint: unbalanced parentheses or quotes");
}

#[test]
fn rejects_a_member_of_expression_without_an_operator() {
    let (mut stack, cluster, _) = capacity("t3.medium");
    let task = task(&mut stack, nginx("web").memory_limit_mib(256));
    let err = Ec2Service::builder("Service", &cluster, &task)
        .placement_constraint(ServicePlacementConstraint::MemberOf(
            "attribute:ecs.instance-type".to_owned(),
        ))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "placement_constraint");
    insta::assert_snapshot!(err, @r#"[Web/Service] placement_constraint: no operator in "attribute:ecs.instance-type"; compare an attribute, e.g. `attribute:ecs.availability-zone in [us-east-1a, us-east-1b]`"#);
}

#[test]
fn rejects_a_daemon_service_with_a_desired_count() {
    let (mut stack, cluster, _) = capacity("t3.medium");
    let task = task(&mut stack, nginx("web").memory_limit_mib(256));
    let err = Ec2Service::builder("Service", &cluster, &task)
        .daemon()
        .desired_count(2)
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(&err, "Web/Service", "daemon", "desired_count");
    insta::assert_snapshot!(err, @"[Web/Service] `daemon` conflicts with `desired_count`: a daemon service runs one task per instance; drop the desired count");
}

#[test]
fn rejects_a_gpu_task_on_instances_without_gpus() {
    let (mut stack, cluster, provider) = capacity("t3.medium");
    let task = task(&mut stack, nginx("web").memory_limit_mib(256).gpu_count(1));
    let err = Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Web/Service] capacity_provider_strategy: the task reserves 1 GPU(s), but the provider's instance types have none; use GPU instances (g5, p4d, ..) with a GPU AMI");
}

#[test]
fn rejects_a_provider_not_associated_with_the_cluster() {
    let (mut stack, _, provider) = capacity("t3.medium");
    let other = Cluster::builder("Other").build(&mut stack).unwrap();
    let task = task(&mut stack, nginx("web").memory_limit_mib(256));
    let err = Ec2Service::builder("Service", &other, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Web/Service] `capacity_provider_strategy` cannot be used with a provider not associated with the cluster: call `cluster.add_asg_capacity_provider(&mut stack, &provider)` first");
}

fn windows_task(mode: Ec2NetworkMode) -> ecscdk::ecs::Ec2TaskDefinitionBuilder {
    Ec2TaskDefinition::builder("Task", mode).runtime_platform(
        OperatingSystem::WindowsServer2022Core,
        CpuArchitecture::X86_64,
    )
}

fn iis() -> ContainerBuilder {
    Container::builder(
        "iis",
        ContainerImage::registry(
            "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        ),
    )
    .memory_limit_mib(1024)
}

fn fsx() -> FsxWindowsVolume {
    FsxWindowsVolume::new(
        "share",
        "fs-0123456789abcdef0",
        "share",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:fsx-credentials",
        "corp.example.com",
    )
}

#[test]
fn rejects_a_windows_task_with_an_unsupported_network_mode() {
    let mut stack = Stack::new("Web");
    let err = windows_task(Ec2NetworkMode::Bridge)
        .container(iis())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "network_mode");
    insta::assert_snapshot!(err, @"[Web/Task] network_mode: Windows tasks on EC2 support the default NAT network (`Ec2NetworkMode::Nat`) and awsvpc, not bridge; choose one of those");
}

#[test]
fn rejects_a_windows_task_in_host_mode() {
    let mut stack = Stack::new("Web");
    let err = windows_task(Ec2NetworkMode::Host)
        .container(iis())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "network_mode");
    insta::assert_snapshot!(err, @"[Web/Task] network_mode: Windows tasks on EC2 support the default NAT network (`Ec2NetworkMode::Nat`) and awsvpc, not host; choose one of those");
}

#[test]
fn rejects_the_nat_network_mode_on_linux() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Nat)
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "network_mode");
    insta::assert_snapshot!(err, @"[Web/Task] network_mode: the NAT network mode is for Windows tasks; Linux tasks use bridge, host, awsvpc or none (or set `.runtime_platform(OperatingSystem::Windows..)`)");
}

#[test]
fn rejects_a_windows_task_on_arm64() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Nat)
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::Arm64,
        )
        .container(iis())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "runtime_platform");
    insta::assert_snapshot!(err, @"[Web/Task] runtime_platform: Windows container instances are x86-64 only; use CpuArchitecture::X86_64");
}

#[test]
fn rejects_linux_parameters_in_a_windows_task() {
    let mut stack = Stack::new("Web");
    let err = windows_task(Ec2NetworkMode::Nat)
        .container(iis().init_process(true))
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Task/iis", "init_process");
    insta::assert_snapshot!(err, @"[Web/Task/iis] `init_process` cannot be used in a Windows task: resource limits, the init process, capabilities and privileged mode are Linux settings that ECS refuses for Windows containers; drop the setting, or run the task on Linux");
}

#[test]
fn rejects_gpus_in_a_windows_task() {
    let mut stack = Stack::new("Web");
    let err = windows_task(Ec2NetworkMode::Nat)
        .container(iis().gpu_count(1))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "gpu_count");
    insta::assert_snapshot!(err, @r#"[Web/Task] gpu_count: container "iis" reserves GPUs, which ECS offers only to Linux containers; drop `gpu_count` or run the task on Linux"#);
}

#[test]
fn rejects_an_efs_volume_in_a_windows_task() {
    let mut stack = Stack::new("Web");
    let err = windows_task(Ec2NetworkMode::Nat)
        .volume(EfsVolume::new("data", "fs-0123456789abcdef0"))
        .container(iis())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "volume");
    insta::assert_snapshot!(err, @r#"[Web/Task] volume: volume "data": Amazon EFS is for Linux tasks; use an FSx for Windows File Server volume"#);
}

#[test]
fn rejects_an_fsx_for_windows_volume_in_a_linux_task() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .volume(fsx())
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "volume");
    insta::assert_snapshot!(err, @r#"[Web/Task] volume: FSx for Windows File Server volume "share" needs a Windows task; set `.runtime_platform(OperatingSystem::WindowsServer2022Core, CpuArchitecture::X86_64)` or use an EFS volume"#);
}

#[test]
fn rejects_fsx_credentials_that_are_not_a_secret_or_parameter_arn() {
    let mut stack = Stack::new("Web");
    let err = windows_task(Ec2NetworkMode::Nat)
        .volume(FsxWindowsVolume::new(
            "share",
            "fs-0123456789abcdef0",
            "share",
            "fsx-credentials",
            "corp.example.com",
        ))
        .container(iis())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "volume");
    insta::assert_snapshot!(err, @r#"[Web/Task] volume: FSx volume "share": credentials "fsx-credentials" are not the ARN of a Secrets Manager secret or an SSM parameter"#);
}

#[test]
fn rejects_efs_iam_authorization_without_transit_encryption() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .volume(EfsVolume::new("data", "fs-0123456789abcdef0").transit_encryption(false))
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "volume");
    insta::assert_snapshot!(err, @r#"[Web/Task] volume: EFS volume "data": IAM authorization needs transit encryption; keep `transit_encryption(true)` or turn IAM authorization off"#);
}

#[test]
fn rejects_an_efs_root_directory_with_an_access_point() {
    let mut stack = Stack::new("Web");
    let err = FargateTaskDefinition::builder("Task")
        .volume(
            EfsVolume::new("data", "fs-0123456789abcdef0")
                .access_point("fsap-0123456789abcdef0")
                .root_directory("/data")
                .into(),
        )
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "volume");
    insta::assert_snapshot!(err, @r#"[Web/Task] volume: EFS volume "data": with an access point the root directory must be `/` or omitted (the access point sets the directory); drop `root_directory`"#);
}

#[test]
fn rejects_a_relative_efs_root_directory() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .volume(EfsVolume::new("data", "fs-0123456789abcdef0").root_directory("data"))
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "volume");
    insta::assert_snapshot!(err, @r#"[Web/Task] volume: EFS volume "data": root directory "data" is not an absolute path (at most 4096 characters)"#);
}

#[test]
fn rejects_an_efs_volume_in_a_windows_fargate_task() {
    let mut stack = Stack::new("Web");
    let err = FargateTaskDefinition::builder("Task")
        .size(ecscdk::ecs::FargateSize::new(ecscdk::ecs::FargateCpu::Vcpu1, 2048).unwrap())
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .volume(EfsVolume::new("data", "fs-0123456789abcdef0").into())
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "volume");
    insta::assert_snapshot!(err, @r#"[Web/Task] volume: EFS volume "data": Amazon EFS is for Linux tasks; Windows tasks use FSx for Windows File Server (on EC2)"#);
}

#[test]
fn rejects_a_load_balanced_ec2_service_without_a_capacity_provider_strategy() {
    let (mut stack, cluster, _) = capacity("t3.medium");
    let err = ecscdk::patterns::ApplicationLoadBalancedEc2Service::builder(
        "Api",
        &cluster,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80)),
    )
    .build(&mut stack)
    .unwrap_err();
    assert_missing(&err, "Web/Api", "capacity provider strategy");
    insta::assert_snapshot!(err, @"[Web/Api] `capacity provider strategy` is required: name the Auto Scaling group capacity providers the tasks run on, `.capacity_provider_strategy([provider.strategy()])`, so their instances' security groups admit the load balancer on the tasks' host ports");
}

#[test]
fn rejects_a_load_balanced_ec2_service_in_another_stack_than_its_instances() {
    let (_compute, cluster, provider) = capacity("t3.medium");
    let mut stack = Stack::new("Service");
    let err = ecscdk::patterns::NetworkLoadBalancedEc2Service::builder(
        "Api",
        &cluster,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80)),
    )
    .capacity_provider_strategy([provider.strategy()])
    .build(&mut stack)
    .unwrap_err();
    assert_unsupported(&err, "Service/Api", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Service/Api] `capacity_provider_strategy` cannot be used with an Auto Scaling group of another stack: the instances' security group must admit the load balancer, a rule written in the group's stack: build the pattern in the stack of the cluster's Auto Scaling groups");
}

#[test]
fn rejects_a_load_balanced_ec2_service_in_network_mode_none() {
    let (mut stack, cluster, provider) = capacity("t3.medium");
    let err = ecscdk::patterns::ApplicationLoadBalancedEc2Service::builder(
        "Api",
        &cluster,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80)),
    )
    .network_mode(Ec2NetworkMode::None)
    .capacity_provider_strategy([provider.strategy()])
    .build(&mut stack)
    .unwrap_err();
    assert_invalid(&err, "Web/Api", "network_mode");
    insta::assert_snapshot!(err, @"[Web/Api] network_mode: a load balancer needs the tasks reachable: use bridge (the default), host or awsvpc, not none");
}

#[test]
fn rejects_an_arm64_task_on_x86_instances() {
    let (mut stack, cluster, provider) = capacity("t3.medium");
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .runtime_platform(OperatingSystem::Linux, CpuArchitecture::Arm64)
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap();
    let err = Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Web/Service] capacity_provider_strategy: the task runs on ARM64, but the provider's instances boot an x86-64 AMI; match `runtime_platform` and the group's `machine_image`");
}

#[test]
fn rejects_a_windows_task_on_linux_instances() {
    let (mut stack, cluster, provider) = capacity("t3.medium");
    let task = windows_task(Ec2NetworkMode::Nat)
        .container(iis())
        .build(&mut stack)
        .unwrap();
    let err = Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Web/Service] capacity_provider_strategy: the task runs on WindowsServer2022Core, but the provider's instances boot a Linux ECS-optimized AMI; ECS places a task only on instances of its operating system: match `runtime_platform` and the group's `machine_image`");
}

#[test]
fn rejects_a_task_without_a_declared_platform_on_windows_instances() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "m5.large")
        .machine_image(EcsOptimizedImage::new(
            AmiFamily::WindowsServer2022Core,
            AmiHardware::Standard,
        ))
        .build(&mut stack)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut stack)
        .unwrap();
    cluster
        .add_asg_capacity_provider(&mut stack, &provider)
        .unwrap();
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::AwsVpc)
        .container(iis())
        .build(&mut stack)
        .unwrap();
    let err = Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @"[Web/Service] capacity_provider_strategy: the provider's instances run Windows; declare the task's Windows version with `.runtime_platform(OperatingSystem::Windows.., CpuArchitecture::X86_64)`");
}

#[test]
fn rejects_a_windows_gpu_ami() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let err = AutoScalingGroup::builder("Asg", &vpc, "g5.xlarge")
        .machine_image(EcsOptimizedImage::new(
            AmiFamily::WindowsServer2022Full,
            AmiHardware::Gpu,
        ))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Asg", "machine_image");
    insta::assert_snapshot!(err, @"[Web/Asg] machine_image: AWS publishes Windows ECS-optimized AMIs for x86-64 without GPU or Neuron support only; use AmiHardware::Standard");
}

#[test]
fn rejects_an_ec2_task_cpu_outside_what_ecs_accepts() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .cpu(64)
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "cpu");
    insta::assert_snapshot!(err, @"[Web/Task] cpu: 64 CPU units is outside what ECS accepts for tasks on EC2 and external instances: 128 (0.125 vCPU) to 196608 (192 vCPU)");
}

#[test]
fn rejects_an_ec2_container_limit_above_the_task_memory() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .memory_mib(128)
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "memory_limit_mib");
    insta::assert_snapshot!(err, @r#"[Web/Task] memory_limit_mib: container "web" asks for 256 MiB, more than the task's 128 MiB; raise `memory_mib` or lower the container's"#);
}

#[test]
fn rejects_ec2_containers_reserving_more_memory_than_the_task() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .memory_mib(400)
        .container(nginx("web").memory_limit_mib(256))
        .container(
            Container::builder("sidecar", ContainerImage::registry("sidecar:1"))
                .memory_reservation_mib(200)
                .essential(false),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "memory_mib");
    insta::assert_snapshot!(err, @"[Web/Task] memory_mib: the containers reserve 456 MiB together, more than the task's 400 MiB; raise `memory_mib` or lower the containers' reservations");
}

#[test]
fn rejects_ec2_containers_reserving_more_cpu_than_the_task() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .cpu(256)
        .container(nginx("web").memory_limit_mib(256).cpu_units(512))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "cpu");
    insta::assert_snapshot!(err, @"[Web/Task] cpu: the containers reserve 512 CPU units together, more than the task's 256; raise `cpu` or lower the containers' `cpu_units`");
}

#[test]
fn rejects_task_level_memory_on_a_windows_ec2_task() {
    let mut stack = Stack::new("Web");
    let err = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Nat)
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .memory_mib(1024)
        .container(nginx("web").memory_limit_mib(256))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Task", "memory_mib");
    insta::assert_snapshot!(err, @"[Web/Task] memory_mib: ECS ignores task-level CPU and memory for Windows containers on EC2; drop them and give each container `.memory_limit_mib(..)` (and `.cpu_units(..)`)");
}
