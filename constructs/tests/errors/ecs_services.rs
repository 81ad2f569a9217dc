//! Bad inputs of the services' shared core: connections of EC2 services in
//! `bridge`, `host` and `none` mode, Service Connect's network modes and
//! access logs, and services on imported clusters.

#[allow(unused_imports)]
use super::*;

use ecscdk::ec2::{Connectable, Peer, Port, Vpc};
use ecscdk::ecs::{
    AccessLogFormat, AsgCapacityProvider, AutoScalingGroup, Cluster, ClusterAttributes, Container,
    ContainerImage, CpuArchitecture, Ec2NetworkMode, Ec2Service, Ec2TaskDefinition, FargateService,
    FargateTaskDefinition, OperatingSystem, PlatformVersion, PortMapping, ServiceConnect,
    ServiceConnectPort, ServiceConnectTls,
};
use ecscdk::logs::LogGroup;

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn ec2_task(stack: &mut Stack, mode: Ec2NetworkMode) -> Ec2TaskDefinition {
    Ec2TaskDefinition::builder("Task", mode)
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(stack)
        .expect("task")
}

#[test]
fn rejects_opening_a_bridge_service_whose_instances_are_unknown() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = ec2_task(&mut stack, Ec2NetworkMode::Bridge);
    let service = Ec2Service::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    let err = service
        .connections()
        .allow_from(&mut stack, &Peer::ipv4("10.0.0.0/16"), Port::tcp(80), None)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "security groups");
    insta::assert_snapshot!(err, @r#"[Web/Service] `security groups` is required: the tasks share their instances' network, and no Auto Scaling group of the cluster is known when the service is built; associate the capacity provider first (`cluster.add_asg_capacity_provider`) and name it in `.capacity_provider_strategy(..)`, import the cluster with `ClusterAttributes::instance_security_group(..)`, or use `Ec2NetworkMode::AwsVpc`"#);
}

#[test]
fn rejects_opening_a_bridge_service_of_a_cluster_in_another_stack() {
    let mut shared = Stack::new("Shared");
    let vpc = Vpc::builder("Vpc").build(&mut shared).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut shared)
        .unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .build(&mut shared)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut shared)
        .unwrap();
    cluster
        .add_asg_capacity_provider(&mut shared, &provider)
        .unwrap();
    let mut stack = Stack::new("Web");
    let task = ec2_task(&mut stack, Ec2NetworkMode::Bridge);
    let service = Ec2Service::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    let other = Peer::ipv4("10.0.0.0/16").connections();
    let err = other
        .allow_to(&mut stack, &service, Port::tcp(80), None)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "security groups");
    insta::assert_snapshot!(err, @r#"[Web/Service] `security groups` is required: the cluster is in another stack, so its instances' security groups are unknown here; open the Auto Scaling group's connections (`group.connections(&stack)`) in the cluster's stack, or build the service there"#);
}

#[test]
fn rejects_opening_a_service_in_network_mode_none() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::None)
        .container(
            Container::builder("worker", ContainerImage::registry("worker:1"))
                .memory_limit_mib(256),
        )
        .build(&mut stack)
        .unwrap();
    let service = Ec2Service::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    let err = service
        .connections()
        .allow_from_any_ipv4(&mut stack, Port::tcp(80), None)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "security groups");
    insta::assert_snapshot!(err, @r#"[Web/Service] `security groups` is required: tasks in network mode none have no network interface to admit anything to; use `Ec2NetworkMode::Bridge`, `Host` or `AwsVpc`"#);
}

#[test]
fn rejects_a_fargate_service_on_an_imported_cluster_without_a_vpc_or_subnets() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_attributes(ClusterAttributes::named("shared"));
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "subnet_ids");
    insta::assert_snapshot!(err, @r#"[Web/Service] `subnet_ids` is required: give the cluster a VPC with `.vpc(&vpc)`, or the service its subnets with `.subnet_ids(..)`"#);
}

#[test]
fn rejects_a_fargate_service_on_an_imported_cluster_with_subnets_but_no_security_groups() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_attributes(ClusterAttributes::named("shared"));
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1", "subnet-2"])
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "security_group_ids");
    insta::assert_snapshot!(err, @r#"[Web/Service] `security_group_ids` is required: give the cluster a VPC with `.vpc(&vpc)` (a security group is then created), or the service its groups"#);
}

#[test]
fn rejects_a_fargate_strategy_on_an_imported_cluster_without_fargate_providers() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_attributes(
        ClusterAttributes::named("shared").fargate_capacity_providers(false),
    );
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .capacity_provider_strategy([ecscdk::ecs::FargateCapacity::spot()])
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @r#"[Web/Service] `capacity_provider_strategy` cannot be used on a cluster without Fargate capacity providers: the imported cluster was declared without them: associate FARGATE and FARGATE_SPOT where the cluster is defined and drop `.fargate_capacity_providers(false)`, or use the FARGATE launch type"#);
}

fn service_connect() -> ServiceConnect {
    ServiceConnect::in_namespace("internal").port(ServiceConnectPort::named("http"))
}

#[test]
fn rejects_service_connect_in_host_mode() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = ec2_task(&mut stack, Ec2NetworkMode::Host);
    let err = Ec2Service::builder("Service", &cluster, &task)
        .service_connect(service_connect())
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "service_connect");
    insta::assert_snapshot!(err, @r#"[Web/Service] `service_connect` cannot be used in network mode host: ECS runs the Service Connect proxy only beside tasks in awsvpc or bridge network mode; use `Ec2NetworkMode::AwsVpc` or `Bridge`, or register in Cloud Map with `.cloud_map(..)` instead"#);
}

#[test]
fn rejects_service_connect_in_network_mode_none() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::None)
        .container(
            Container::builder("worker", ContainerImage::registry("worker:1"))
                .memory_limit_mib(256),
        )
        .build(&mut stack)
        .unwrap();
    let err = Ec2Service::builder("Service", &cluster, &task)
        .service_connect(ServiceConnect::in_namespace("internal"))
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "service_connect");
    insta::assert_snapshot!(err, @r#"[Web/Service] `service_connect` cannot be used in network mode none: ECS runs the Service Connect proxy only beside tasks in awsvpc or bridge network mode; use `Ec2NetworkMode::AwsVpc` or `Bridge`, or register in Cloud Map with `.cloud_map(..)` instead"#);
}

#[test]
fn rejects_service_connect_for_windows_tasks() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Nat)
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(&mut stack)
        .unwrap();
    let err = Ec2Service::builder("Service", &cluster, &task)
        .service_connect(service_connect())
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "service_connect");
    insta::assert_snapshot!(err, @r#"[Web/Service] `service_connect` cannot be used with a Windows task definition: Service Connect does not run Windows containers; run the service on Linux instances, or use Cloud Map (`.cloud_map(..)`) for discovery"#);
}

#[test]
fn rejects_service_connect_tls_in_bridge_mode() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = ec2_task(&mut stack, Ec2NetworkMode::Bridge);
    let tls = ServiceConnectTls {
        private_ca_arn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/1".into(),
        kms_key_arn: None,
        role_arn: "arn:aws:iam::123456789012:role/sc-tls".into(),
    };
    let err = Ec2Service::builder("Service", &cluster, &task)
        .service_connect(
            ServiceConnect::in_namespace("internal")
                .port(ServiceConnectPort::named("http").tls(tls)),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "ServiceConnectPort::tls");
    insta::assert_snapshot!(err, @r#"[Web/Service] `ServiceConnectPort::tls` cannot be used in network mode bridge: Service Connect TLS works only in awsvpc network mode; use `Ec2NetworkMode::AwsVpc`, or drop `.tls(..)`"#);
}

#[test]
fn rejects_service_connect_on_a_fargate_platform_before_1_4() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .platform_version(PlatformVersion::Other("1.3.0".to_owned()))
        .service_connect(service_connect())
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(&err, "Web/Service", "service_connect", "platform_version");
    insta::assert_snapshot!(err, @r#"[Web/Service] `service_connect` conflicts with `platform_version`: Service Connect needs Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`"#);
}

#[test]
fn rejects_service_connect_access_logs_without_a_log_group() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .service_connect(service_connect().access_logs(AccessLogFormat::Json, false))
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "Service Connect log group");
    insta::assert_snapshot!(err, @r#"[Web/Service] `Service Connect log group` is required: access logs are written where the proxy's logs go: add `.log_group(group, prefix)` to the ServiceConnect"#);
}

#[test]
fn rejects_service_connect_logs_for_a_task_without_an_execution_role() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let group = LogGroup::builder("ProxyLogs").build(&mut stack).unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http"))
                .no_logging(),
        )
        .build(&mut stack)
        .unwrap();
    assert!(task.execution_role().is_none());
    let err = FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .service_connect(service_connect().log_group(group, "proxy"))
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "task execution role");
    insta::assert_snapshot!(err, @r#"[Web/Service] `task execution role` is required: the proxy's logs are shipped with the task definition's execution role, and this one has none; give a container `LogDriver::aws_logs(..)` (which creates the role), or drop `.log_group(..)`"#);
}

#[test]
fn rejects_two_service_connect_ports_with_one_discovery_name() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http"))
                .port(PortMapping::tcp(8080).name("admin")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .service_connect(
            service_connect().port(ServiceConnectPort::named("admin").discovery_name("http")),
        )
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "service_connect");
    insta::assert_snapshot!(err, @r#"[Web/Service] service_connect: two ports are discovered as "http"; discovery names are unique in a namespace: give one `.discovery_name(..)`"#);
}

#[test]
fn rejects_service_connect_on_an_ec2_task_without_task_memory() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = ec2_task(&mut stack, Ec2NetworkMode::Bridge);
    let err = Ec2Service::builder("Service", &cluster, &task)
        .service_connect(service_connect())
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "task-level memory");
    insta::assert_snapshot!(err, @"[Web/Service] `task-level memory` is required: ECS requires a task memory limit for Service Connect: its proxy uses the task's memory beyond the containers' limits; give the task definition `.memory_mib(..)`, at least 64 MiB above the sum of its containers' memory limits");
}

#[test]
fn rejects_service_connect_when_the_container_limits_fill_the_task_memory() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::from_name("shared");
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::AwsVpc)
        .memory_mib(256)
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(&mut stack)
        .unwrap();
    let err = Ec2Service::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .service_connect(service_connect())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "service_connect");
    insta::assert_snapshot!(err, @"[Web/Service] service_connect: the containers' memory limits add up to 256 MiB, and the task has 256 MiB; ECS requires task memory above the containers' limits, which the Service Connect proxy uses: give the task at least 64 MiB more, or lower the limits");
}

/// A stack `Web` with a cluster in a VPC that has a private subnet in a
/// Local Zone (group `Lax`) and one on an Outpost (group `Rack`).
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn edge_cluster() -> (Stack, Cluster) {
    use ecscdk::ec2::{SubnetConfiguration, SubnetType, ZoneSubnet};
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc")
        .subnet_groups([
            SubnetConfiguration::default_for(SubnetType::Public).cidr_mask(24),
            SubnetConfiguration::default_for(SubnetType::PrivateWithEgress).cidr_mask(20),
        ])
        .zone_subnet(ZoneSubnet::local_zone(
            "Lax",
            "us-east-1-bos-1a",
            SubnetType::PrivateWithEgress,
            "10.0.240.0/24",
        ))
        .zone_subnet(ZoneSubnet::outpost(
            "Rack",
            "us-east-1a",
            "arn:aws:outposts:us-east-1:123456789012:outpost/op-0123456789abcdef0",
            SubnetType::Isolated,
            "10.0.241.0/24",
        ))
        .build(&mut stack)
        .expect("vpc");
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .expect("cluster");
    (stack, cluster)
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn fargate_task(stack: &mut Stack) -> FargateTaskDefinition {
    FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).name("http")),
        )
        .build(stack)
        .expect("task")
}

#[test]
fn rejects_a_fargate_service_in_a_local_zone_subnet() {
    let (mut stack, cluster) = edge_cluster();
    let task = fargate_task(&mut stack);
    let err = FargateService::builder("Service", &cluster, &task)
        .vpc_subnets(ecscdk::ec2::SubnetSelection::group("Lax"))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "vpc_subnets");
    insta::assert_snapshot!(err, @r#"[Web/Service] vpc_subnets: subnet group "Lax" is in the Local Zone us-east-1-bos-1a, where AWS Fargate does not run; select subnets of the Region's Availability Zones (the default selection keeps to them), or run the tasks there on EC2 capacity with an Ec2Service"#);
}

#[test]
fn rejects_a_fargate_service_on_an_outpost_subnet() {
    let (mut stack, cluster) = edge_cluster();
    let task = fargate_task(&mut stack);
    let err = FargateService::builder("Service", &cluster, &task)
        .vpc_subnets(ecscdk::ec2::SubnetSelection::group("Rack"))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Service", "vpc_subnets");
    insta::assert_snapshot!(err, @r#"[Web/Service] vpc_subnets: subnet group "Rack" is on an Outpost in us-east-1a, where AWS Fargate does not run; select subnets of the Region's Availability Zones (the default selection keeps to them), or run the tasks there on EC2 capacity with an Ec2Service"#);
}

#[test]
fn rejects_a_load_balanced_fargate_pattern_in_a_local_zone_subnet() {
    // The Fargate patterns build a FargateService, which checks the subnets.
    let (mut stack, cluster) = edge_cluster();
    let err = ecscdk::patterns::ApplicationLoadBalancedFargateService::builder(
        "Api",
        &cluster,
        nginx("web")
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80).name("http")),
    )
    .task_subnets(ecscdk::ec2::SubnetSelection::group("Lax"))
    .build(&mut stack)
    .unwrap_err();
    assert_invalid(&err, "Web/Api/Service", "vpc_subnets");
    insta::assert_snapshot!(err, @r#"[Web/Api/Service] vpc_subnets: subnet group "Lax" is in the Local Zone us-east-1-bos-1a, where AWS Fargate does not run; select subnets of the Region's Availability Zones (the default selection keeps to them), or run the tasks there on EC2 capacity with an Ec2Service"#);
}

#[test]
fn rejects_fargate_services_guardduty_could_not_watch() {
    use ecscdk::ecs::{CpuArchitecture, LogDriver, OperatingSystem};
    let monitored = |stack: &mut Stack| {
        let vpc = two_zone_vpc(stack);
        Cluster::builder("Cluster")
            .vpc(&vpc)
            .runtime_monitoring(true)
            .build(stack)
            .unwrap()
    };
    // No execution role: GuardDuty would start the tasks without its agent.
    let mut stack = web_stack();
    let cluster = monitored(&mut stack);
    let task = FargateTaskDefinition::builder("Task")
        .container(nginx("web").writable_root_filesystem().no_logging())
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Service", "task execution role");
    insta::assert_snapshot!(err, @"[Web/Service] `task execution role` is required: GuardDuty adds its agent to Fargate tasks only with an execution role, which pulls the agent's image and which the agent reports as; give a container `LogDriver::aws_logs(..)` (which creates the role) or an ECR image");
    // A platform before 1.4.0.
    let mut stack = web_stack();
    let cluster = monitored(&mut stack);
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .writable_root_filesystem()
                .logging(LogDriver::aws_logs("web")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .platform_version(PlatformVersion::Other("1.3.0".to_owned()))
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(
        &err,
        "Web/Service",
        "runtime_monitoring",
        "platform_version",
    );
    insta::assert_snapshot!(err, @"[Web/Service] `runtime_monitoring` conflicts with `platform_version`: GuardDuty's agent needs Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`");
    // Windows.
    let mut stack = web_stack();
    let cluster = monitored(&mut stack);
    let task = FargateTaskDefinition::builder("Task")
        .cpu(ecscdk::ecs::FargateCpu::Vcpu1)
        .memory_mib(2048)
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("mcr.microsoft.com/windows/servercore/iis:latest"),
            )
            .logging(LogDriver::aws_logs("web")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "runtime_monitoring");
    insta::assert_snapshot!(err, @"[Web/Service] `runtime_monitoring` cannot be used with Windows tasks: GuardDuty Runtime Monitoring runs on Linux Fargate tasks only; run the service in a cluster without `runtime_monitoring(true)`, or on Linux");
    // A VPC whose DNS GuardDuty's endpoint cannot use.
    let mut stack = web_stack();
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .enable_dns_hostnames(false)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .runtime_monitoring(true)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .writable_root_filesystem()
                .logging(LogDriver::aws_logs("web")),
        )
        .build(&mut stack)
        .unwrap();
    let err = FargateService::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "runtime_monitoring");
    insta::assert_snapshot!(err, @"[Web/Service] `runtime_monitoring` cannot be used in a VPC without DNS support and host names: the agent reports through GuardDuty's `guardduty-data` endpoint, whose private DNS name needs both: build the VPC with `enable_dns_support(true)` and `enable_dns_hostnames(true)` (the defaults)");
}
