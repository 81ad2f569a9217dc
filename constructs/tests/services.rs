//! The service core as each kind of service uses it: an EC2 service's Cloud
//! Map registration in bridge mode compared with the template the AWS CDK
//! renders for `cdk-oracle/oracle.js`, an EC2 service in awsvpc mode with
//! its security group, connections and auto scaling, and ECS Anywhere's
//! external task definition, service and capacity. Logical IDs are computed
//! independently (MD5 of the path, as the CDK does).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::ec2::{Connectable, Peer, Port, SecurityGroup, Vpc};
use ecscdk::ecs::{AccessLogFormat, LogDriver, ServiceConnect, ServiceConnectPort};
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, CloudMapOptions, Cluster, ClusterAttributes, Container,
    ContainerBuilder, ContainerImage, Ec2NetworkMode, Ec2Service, Ec2TaskDefinition,
    ExternalCapacity, ExternalNetworkMode, ExternalService, ExternalTaskDefinition, FargateService,
    FargateTaskDefinition, PortMapping,
};
use ecscdk::logs::LogGroup;
use ecscdk::prelude::*;
use ecscdk::servicediscovery::NamespaceType;
use serde_json::{Value as Json, json};

#[path = "common/template.rs"]
mod template;
use template::synth;

fn oracle() -> Json {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cdk-oracle/Test.template.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn container(name: &str) -> ContainerBuilder {
    Container::builder(name, ContainerImage::registry("nginx")).memory_limit_mib(512)
}

#[test]
fn an_ec2_service_in_bridge_mode_registers_srv_records_as_the_cdk_does() {
    // oracle.js: an Ec2TaskDefinition in bridge mode with `MainContainer` on
    // port 8000, and an Ec2Service with `cloudMapOptions: { name: 'myApp',
    // dnsRecordType: SRV, dnsTtl: 10 s }`; SRV is ecscdk's default in
    // bridge mode, so it is not named here.
    let mut stack = Stack::new("Test");
    let vpc = Vpc::builder("MyVpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("EcsCluster")
        .vpc(&vpc)
        .default_cloud_map_namespace("scorekeep.com", NamespaceType::DnsPrivate)
        .build(&mut stack)
        .unwrap();
    let task = Ec2TaskDefinition::builder("Ec2TaskDef", Ec2NetworkMode::Bridge)
        .container(container("MainContainer").port(PortMapping::tcp(8000)))
        .build(&mut stack)
        .unwrap();
    Ec2Service::builder("Ec2Service", &cluster, &task)
        .cloud_map(CloudMapOptions::named("myApp").dns_ttl(Duration::from_secs(10)))
        .build(&mut stack)
        .unwrap();
    let ours = synth(stack);
    let theirs = oracle();
    // Ec2Service/CloudmapService/Resource: MD5 45B52C0F; Ec2Service/Service: 04A33183.
    let cloudmap = "Ec2ServiceCloudmapService45B52C0F";
    assert_eq!(
        ours["Resources"][cloudmap]["Properties"],
        theirs["Resources"][cloudmap]["Properties"]
    );
    let service = "Ec2Service04A33183";
    assert_eq!(
        ours["Resources"][service]["Properties"]["ServiceRegistries"],
        theirs["Resources"][service]["Properties"]["ServiceRegistries"]
    );
    assert_eq!(
        ours["Resources"][service]["Properties"]["ServiceRegistries"][0]["ContainerName"],
        json!("MainContainer")
    );
}

#[test]
fn an_awsvpc_ec2_service_has_its_security_group_connections_and_scaling() {
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::AwsVpc)
        .container(container("web").port(PortMapping::tcp(8080)))
        .build(&mut stack)
        .unwrap();
    let service = Ec2Service::builder("Web", &cluster, &task)
        .desired_count(2)
        .availability_zone_rebalancing(true)
        .deployment_alarms(["web-5xx"], true)
        .build(&mut stack)
        .unwrap();
    service
        .connections()
        .allow_from(
            &mut stack,
            &Peer::ipv4("10.0.0.0/16"),
            Port::tcp(8080),
            None,
        )
        .unwrap();
    service
        .auto_scale(&mut stack, 2..=6)
        .unwrap()
        .on_cpu(60.0)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    // Web/Service: DF29B54C; Web/SecurityGroup/Resource: F444D504;
    // Web/TaskCount/Target/Resource: 41D0074D.
    let props = &r["WebServiceDF29B54C"]["Properties"];
    assert_eq!(props["LaunchType"], json!("EC2"));
    assert_eq!(props["AvailabilityZoneRebalancing"], json!("ENABLED"));
    assert_eq!(
        props["DeploymentConfiguration"]["Alarms"],
        json!({"AlarmNames": ["web-5xx"], "Enable": true, "Rollback": true})
    );
    let awsvpc = &props["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(awsvpc["AssignPublicIp"], json!("DISABLED"));
    assert_eq!(
        awsvpc["SecurityGroups"],
        json!([{"Fn::GetAtt": ["WebSecurityGroupF444D504", "GroupId"]}])
    );
    let ingress = &r["WebSecurityGroupF444D504"]["Properties"]["SecurityGroupIngress"];
    assert_eq!(ingress[0]["CidrIp"], json!("10.0.0.0/16"));
    assert_eq!(ingress[0]["FromPort"], json!(8080));
    let target = &r["WebTaskCountTarget41D0074D"];
    assert_eq!(
        target["Type"],
        json!("AWS::ApplicationAutoScaling::ScalableTarget")
    );
    assert_eq!(target["Properties"]["MinCapacity"], json!(2));
    assert_eq!(target["Properties"]["MaxCapacity"], json!(6));
}

#[test]
fn a_bridge_mode_ec2_service_has_no_network_configuration() {
    let mut stack = Stack::new("S");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(container("web").port(PortMapping::tcp(80)))
        .build(&mut stack)
        .unwrap();
    let service = Ec2Service::builder("Web", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    // No Auto Scaling group is known: the connections refuse to open
    // rather than write no rule (see errors/ecs_services.rs).
    assert!(!service.connections().is_known());
    let t = synth(stack);
    let props = &t["Resources"]["WebServiceDF29B54C"]["Properties"];
    assert_eq!(props.get("NetworkConfiguration"), None);
    assert_eq!(props["LoadBalancers"], json!([]));
}

/// A stack `S` with a VPC, a cluster, an Auto Scaling group `Asg` and its
/// provider `Provider`, associated with the cluster.
fn ec2_capacity() -> (Stack, Vpc, Cluster, AsgCapacityProvider) {
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .capacity(0, 2)
        .build(&mut stack)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut stack)
        .unwrap();
    cluster
        .add_asg_capacity_provider(&mut stack, &provider)
        .unwrap();
    (stack, vpc, cluster, provider)
}

/// The `AWS::EC2::SecurityGroupIngress` resources of a template, as
/// (GroupId, SourceSecurityGroupId, FromPort, ToPort).
fn ingress_rules(t: &Json) -> Vec<(Json, Json, Json, Json)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
        .map(|r| {
            let p = &r["Properties"];
            (
                p["GroupId"].clone(),
                p["SourceSecurityGroupId"].clone(),
                p["FromPort"].clone(),
                p["ToPort"].clone(),
            )
        })
        .collect()
}

fn group_id(logical_id: &str) -> Json {
    json!({"Fn::GetAtt": [logical_id, "GroupId"]})
}

#[test]
fn a_bridge_mode_ec2_service_is_reached_through_its_strategys_instances() {
    let (mut stack, vpc, cluster, provider) = ec2_capacity();
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(container("web").port(PortMapping::tcp(80)))
        .build(&mut stack)
        .unwrap();
    let service = Ec2Service::builder("Web", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap();
    let lb = SecurityGroup::builder("Lb", &vpc)
        .build(&mut stack)
        .unwrap();
    let connections = service.connections();
    assert_eq!(
        connections.security_groups(),
        provider
            .auto_scaling_group()
            .connections(&stack)
            .security_groups()
    );
    // A dynamic host port: any of Docker's ephemeral ports.
    assert_eq!(
        connections.default_port(),
        Some(Port::tcp_range(32768, 65535))
    );
    connections
        .allow_default_port_from(&mut stack, &lb, Some("Load balancer to target"))
        .unwrap();
    let t = synth(stack);
    // md5("Asg/InstanceSecurityGroup/Resource") = C53F1492...,
    // md5("Lb/Resource") = 1928D9D6...
    assert_eq!(
        ingress_rules(&t),
        vec![(
            group_id("AsgInstanceSecurityGroupC53F1492"),
            group_id("Lb1928D9D6"),
            json!(32768),
            json!(65535)
        )]
    );
}

#[test]
fn an_ec2_launch_type_service_in_host_mode_is_reached_through_every_instance_of_the_cluster() {
    let (mut stack, _vpc, cluster, provider) = ec2_capacity();
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Host)
        .container(container("web").port(PortMapping::tcp(8080)))
        .build(&mut stack)
        .unwrap();
    let service = Ec2Service::builder("Web", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    let connections = service.connections();
    assert_eq!(
        connections.security_groups(),
        provider
            .auto_scaling_group()
            .connections(&stack)
            .security_groups()
    );
    assert_eq!(connections.default_port(), Some(Port::tcp(8080)));
    connections
        .allow_from(
            &mut stack,
            &Peer::ipv4("10.0.0.0/16"),
            Port::tcp(8080),
            None,
        )
        .unwrap();
    let t = synth(stack);
    let ingress =
        &t["Resources"]["AsgInstanceSecurityGroupC53F1492"]["Properties"]["SecurityGroupIngress"];
    assert_eq!(ingress[0]["CidrIp"], json!("10.0.0.0/16"));
    assert_eq!(ingress[0]["FromPort"], json!(8080));
}

#[test]
fn a_bridge_mode_service_of_an_imported_cluster_is_reached_through_its_instance_groups() {
    let mut stack = Stack::new("S");
    let instances = SecurityGroup::import("Instances", "sg-0123456789abcdef0")
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::from_attributes(
        ClusterAttributes::named("shared").instance_security_group(&instances),
    );
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(container("web").port(PortMapping::tcp(80).host_port(80)))
        .build(&mut stack)
        .unwrap();
    let service = Ec2Service::builder("Web", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    let connections = service.connections();
    assert_eq!(connections.security_groups(), [instances]);
    // A fixed host port is the port the instances serve.
    assert_eq!(connections.default_port(), Some(Port::tcp(80)));
    connections
        .allow_from(&mut stack, &Peer::ipv4("10.0.0.0/16"), Port::tcp(80), None)
        .unwrap();
    let t = synth(stack);
    let rule = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
        .unwrap();
    assert_eq!(rule["Properties"]["GroupId"], json!("sg-0123456789abcdef0"));
    assert_eq!(
        t["Resources"]["WebServiceDF29B54C"]["Properties"]["Cluster"],
        json!("shared")
    );
}

#[test]
fn a_fargate_service_runs_in_an_imported_cluster_by_name() {
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::from_attributes(ClusterAttributes::named("shared").vpc(&vpc));
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder("web", ContainerImage::registry("nginx")).port(PortMapping::tcp(80)),
        )
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Web", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let resources = t["Resources"].as_object().unwrap();
    assert!(
        !resources.values().any(|r| r["Type"] == "AWS::ECS::Cluster"),
        "an imported cluster creates nothing"
    );
    let props = &resources["WebServiceDF29B54C"]["Properties"];
    assert_eq!(props["Cluster"], json!("shared"));
    // Subnets from the given VPC, and the service's own security group
    // (md5("Web/SecurityGroup/Resource")).
    let awsvpc = &props["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(awsvpc["Subnets"].as_array().unwrap().len(), 2);
    assert_eq!(
        awsvpc["SecurityGroups"],
        json!([{"Fn::GetAtt": ["WebSecurityGroupF444D504", "GroupId"]}])
    );
}

fn edge() -> (Stack, Cluster) {
    let mut stack = Stack::new("S");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    (stack, cluster)
}

#[test]
fn external_capacity_creates_the_ssm_instance_role_and_the_operator_outputs() {
    let (mut stack, cluster) = edge();
    let capacity = ExternalCapacity::builder("Servers", &cluster)
        .build(&mut stack)
        .unwrap();
    let _ = capacity.instance_role();
    let t = synth(stack);
    // Servers/InstanceRole/Resource: 7ECF6D97.
    let role = &t["Resources"]["ServersInstanceRole7ECF6D97"];
    assert_eq!(role["Type"], json!("AWS::IAM::Role"));
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"],
        json!([{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}}])
    );
    assert_eq!(
        role["Properties"]["ManagedPolicyArns"],
        json!([
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"},
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"}
        ])
    );
    let outputs = &t["Outputs"];
    // Servers/InstanceRoleName: C3F03BF3; Servers/ActivationCommand:
    // A1E13E00; Servers/RegistrationCommand: 2CB534C7.
    assert_eq!(
        outputs["ServersInstanceRoleNameC3F03BF3"]["Value"],
        json!({"Ref": "ServersInstanceRole7ECF6D97"})
    );
    assert_eq!(
        outputs["ServersActivationCommandA1E13E00"]["Value"]["Fn::Join"][1][1],
        json!({"Ref": "ServersInstanceRole7ECF6D97"})
    );
    let command = &outputs["ServersRegistrationCommand2CB534C7"]["Value"]["Fn::Join"];
    assert_eq!(
        command,
        &json!(["", [
            "curl --proto \"https\" -o \"/tmp/ecs-anywhere-install.sh\" \"https://amazon-ecs-agent.s3.amazonaws.com/ecs-anywhere-install-latest.sh\" && bash /tmp/ecs-anywhere-install.sh --region \"",
            {"Ref": "AWS::Region"},
            "\" --cluster \"",
            {"Ref": "ClusterEB0386A7"},
            "\" --activation-id \"<ACTIVATION_ID>\" --activation-code \"<ACTIVATION_CODE>\""
        ]])
    );
}

#[test]
fn external_capacity_without_outputs_writes_none() {
    let (mut stack, cluster) = edge();
    ExternalCapacity::builder("Servers", &cluster)
        .without_outputs()
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    assert_eq!(t.get("Outputs"), None);
}

#[test]
fn an_external_service_runs_an_external_task_definition_with_the_external_launch_type() {
    let (mut stack, cluster) = edge();
    let task = ExternalTaskDefinition::builder("Task", ExternalNetworkMode::Bridge)
        .container(
            container("web")
                // A dynamic host port: the default rollout can start a
                // second copy on the same server.
                .port(PortMapping::tcp(80))
                .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    assert_eq!(task.network_mode(), ExternalNetworkMode::Bridge);
    ExternalService::builder("Edge", &cluster, &task)
        .desired_count(3)
        .service_name("edge")
        .enable_execute_command()
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    let td = r
        .as_object()
        .unwrap()
        .values()
        .find(|v| v["Type"] == json!("AWS::ECS::TaskDefinition"))
        .unwrap();
    assert_eq!(
        td["Properties"]["RequiresCompatibilities"],
        json!(["EXTERNAL"])
    );
    assert_eq!(td["Properties"]["NetworkMode"], json!("bridge"));
    // Edge/Service: 594DADB7.
    let props = &r["EdgeService594DADB7"]["Properties"];
    assert_eq!(props["LaunchType"], json!("EXTERNAL"));
    assert_eq!(props["SchedulingStrategy"], json!("REPLICA"));
    assert_eq!(props["DesiredCount"], json!(3));
    assert_eq!(props["ServiceName"], json!("edge"));
    assert_eq!(props["EnableExecuteCommand"], json!(true));
    for absent in [
        "LoadBalancers",
        "NetworkConfiguration",
        "ServiceRegistries",
        "ServiceConnectConfiguration",
        "CapacityProviderStrategy",
        "HealthCheckGracePeriodSeconds",
    ] {
        assert_eq!(props.get(absent), None, "{absent}");
    }
    assert_eq!(
        props["DeploymentConfiguration"],
        json!({
            "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
            "MaximumPercent": 200,
            "MinimumHealthyPercent": 100
        })
    );
}

#[test]
fn an_external_daemon_keeps_one_task_per_server() {
    let (mut stack, cluster) = edge();
    let task = ExternalTaskDefinition::builder("Task", ExternalNetworkMode::Host)
        .container(container("agent").port(PortMapping::tcp(9100)))
        .build(&mut stack)
        .unwrap();
    ExternalService::builder("Edge", &cluster, &task)
        .daemon()
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let props = &t["Resources"]["EdgeService594DADB7"]["Properties"];
    assert_eq!(props["SchedulingStrategy"], json!("DAEMON"));
    assert_eq!(props.get("DesiredCount"), None);
    assert_eq!(
        props["DeploymentConfiguration"]["MinimumHealthyPercent"],
        json!(0)
    );
    assert_eq!(
        props["DeploymentConfiguration"]["MaximumPercent"],
        json!(100)
    );
}

#[test]
fn a_bridge_mode_ec2_service_serves_a_named_port_through_service_connect() {
    use ecscdk::ecs::{ServiceConnect, ServiceConnectPort};
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .default_cloud_map_namespace("internal", NamespaceType::Http)
        .build(&mut stack)
        .unwrap();
    // Service Connect needs task-level memory, with room for its proxy
    // beyond the containers' limits (512 MiB here).
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .cpu(512)
        .memory_mib(640)
        .container(container("api").port(PortMapping::tcp(8080).name("api")))
        .build(&mut stack)
        .unwrap();
    Ec2Service::builder("Web", &cluster, &task)
        .service_connect(
            ServiceConnect::in_cluster_namespace()
                .port(ServiceConnectPort::named("api").alias("api", 80)),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let td = &t["Resources"]["Task79114B6B"]["Properties"];
    assert_eq!(td["Cpu"], json!("512"), "{td}");
    assert_eq!(td["Memory"], json!("640"), "{td}");
    let sc = &t["Resources"]["WebServiceDF29B54C"]["Properties"]["ServiceConnectConfiguration"];
    assert_eq!(sc["Enabled"], json!(true));
    assert_eq!(sc["Services"][0]["PortName"], json!("api"));
    assert_eq!(
        sc["Services"][0]["ClientAliases"],
        json!([{"DnsName": "api", "Port": 80}])
    );
    assert!(sc["Namespace"].get("Fn::GetAtt").is_some(), "{sc}");
}

#[test]
fn an_external_service_places_its_tasks_by_custom_attributes() {
    use ecscdk::ecs::{PlacementStrategy, ServicePlacementConstraint};
    let (mut stack, cluster) = edge();
    let task = ExternalTaskDefinition::builder("Task", ExternalNetworkMode::Bridge)
        .container(container("web").port(PortMapping::tcp(80)))
        .build(&mut stack)
        .unwrap();
    ExternalService::builder("Edge", &cluster, &task)
        .placement_strategy(PlacementStrategy::spread_across_instances())
        .placement_constraint(ServicePlacementConstraint::MemberOf(
            "attribute:site == factory-1".to_owned(),
        ))
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let props = &t["Resources"]["EdgeService594DADB7"]["Properties"];
    assert_eq!(
        props["PlacementStrategies"],
        json!([{"Field": "instanceId", "Type": "spread"}])
    );
    assert_eq!(
        props["PlacementConstraints"],
        json!([{"Expression": "attribute:site == factory-1", "Type": "memberOf"}])
    );
}

#[test]
fn service_connect_sends_proxy_and_access_logs_to_a_log_group_the_execution_role_may_write() {
    let mut stack = Stack::new("S");
    let cluster = Cluster::from_name("shared");
    let proxy_logs = LogGroup::builder("ProxyLogs").build(&mut stack).unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder("web", ContainerImage::registry("nginx"))
                .port(PortMapping::tcp(80).name("http"))
                .logging(LogDriver::aws_logs("web")),
        )
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Web", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .service_connect(
            ServiceConnect::in_namespace("internal")
                .port(ServiceConnectPort::named("http"))
                .log_group(proxy_logs, "proxy")
                .access_logs(AccessLogFormat::Json, true),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let sc = &t["Resources"]["WebServiceDF29B54C"]["Properties"]["ServiceConnectConfiguration"];
    // md5("ProxyLogs/Resource") = 3C0DA2B0...
    assert_eq!(
        sc["LogConfiguration"],
        json!({
            "LogDriver": "awslogs",
            "Options": {
                "awslogs-group": {"Ref": "ProxyLogs3C0DA2B0"},
                "awslogs-region": {"Ref": "AWS::Region"},
                "awslogs-stream-prefix": "proxy"
            }
        })
    );
    assert_eq!(
        sc["AccessLogConfiguration"],
        json!({"Format": "JSON", "IncludeQueryParameters": "ENABLED"})
    );
    // md5("Task/ExecutionRole/DefaultPolicy/Resource") = 72339918...
    let statements = &t["Resources"]["TaskExecutionRoleDefaultPolicy72339918"]["Properties"]["PolicyDocument"]
        ["Statement"];
    assert!(
        statements.as_array().unwrap().iter().any(|s| {
            s["Action"] == json!(["logs:CreateLogStream", "logs:PutLogEvents"])
                && s["Resource"]
                    .as_array()
                    .unwrap()
                    .contains(&json!({"Fn::GetAtt": ["ProxyLogs3C0DA2B0", "Arn"]}))
        }),
        "{statements:#}"
    );
}

#[test]
fn an_ec2_task_with_task_level_memory_needs_none_per_container() {
    // As the CDK's integ test `task-definition-without-container-level-memory`.
    let mut stack = Stack::new("S");
    let task = Ec2TaskDefinition::builder("TaskDef", Ec2NetworkMode::Bridge)
        .cpu(256)
        .memory_mib(512)
        .container(Container::builder(
            "Container",
            ContainerImage::registry("nginx"),
        ))
        .build(&mut stack)
        .unwrap();
    assert_eq!((task.cpu(), task.memory_mib()), (Some(256), Some(512)));
    let t = synth(stack);
    let td = &t["Resources"]["TaskDef54694570"]["Properties"];
    assert_eq!(td["Cpu"], json!("256"), "{td}");
    assert_eq!(td["Memory"], json!("512"), "{td}");
    let container = &td["ContainerDefinitions"][0];
    assert!(container.get("Memory").is_none(), "{container}");
    assert!(container.get("MemoryReservation").is_none(), "{container}");
}

/// A stack `Daemons` with a cluster and a Managed Instances provider.
fn managed_instances() -> (
    Stack,
    Cluster,
    ecscdk::ecs::ManagedInstancesCapacityProvider,
) {
    let mut stack = Stack::new("Daemons").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc").max_azs(2).build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let provider = ecscdk::ecs::ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    (stack, cluster, provider)
}

/// A container with every setting a daemon container takes.
fn every_daemon_setting(group: &LogGroup) -> [ContainerBuilder; 2] {
    let agent = Container::builder(
        "agent",
        ContainerImage::registry_with_credentials(
            "registry.example.com/agent:1",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf",
        ),
    )
    .command(["run", "--all"])
    .entry_point(["/agent"])
    .env("MODE", "daemon")
    .environment_file("arn:aws:s3:::config-bucket/agent.env")
    .secret(
        "TOKEN",
        ecscdk::ecs::ContainerSecret::secrets_manager(
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:token-AbCdEf",
        ),
    )
    .health_check(ecscdk::ecs::HealthCheck::shell("/agent health"))
    .depends_on("init", ecscdk::ecs::ContainerCondition::Success)
    .working_directory("/work")
    .user("1000")
    .start_timeout(Duration::from_secs(60))
    .stop_timeout(Duration::from_secs(30))
    .restart_policy(ecscdk::ecs::RestartPolicy::enabled().ignored_exit_code(0))
    .system_control("net.core.somaxconn", "1024")
    .ulimit(ecscdk::ecs::UlimitSetting {
        name: ecscdk::cfn::ecs::task_definition::Name::Nofile,
        soft: 4096,
        hard: 8192,
    })
    .init_process(true)
    .add_capability("SYS_PTRACE")
    .drop_capability("NET_RAW")
    .privileged()
    .cpu_units(128)
    .memory_limit_mib(256)
    .memory_reservation_mib(128)
    .mount("logs", "/host/logs", true)
    .logging(LogDriver::aws_logs("agent").log_group(*group))
    .writable_root_filesystem();
    let init = Container::builder("init", ContainerImage::registry("busybox:1"))
        .essential(false)
        .no_logging()
        .read_only_root_filesystem();
    [agent, init]
}

#[test]
fn a_daemon_container_renders_as_the_same_container_of_a_task_definition() {
    let (mut stack, _, _) = managed_instances();
    let group = LogGroup::builder("Logs").build(&mut stack).unwrap();
    let [agent, init] = every_daemon_setting(&group);
    ecscdk::ecs::DaemonTaskDefinition::builder("Daemon")
        .host_volume("logs", "/var/log")
        .container(agent.clone())
        .container(init.clone())
        .build(&mut stack)
        .unwrap();
    ecscdk::ecs::ManagedInstancesTaskDefinition::builder(
        "Task",
        ecscdk::ecs::ManagedInstancesNetworkMode::AwsVpc,
    )
    .scratch_volume("logs")
    .container(agent)
    .container(init)
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let containers = |ty: &str| {
        t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .find(|r| r["Type"] == ty)
            .unwrap()["Properties"]["ContainerDefinitions"]
            .clone()
    };
    let daemon = containers("AWS::ECS::DaemonTaskDefinition");
    assert_eq!(daemon, containers("AWS::ECS::TaskDefinition"));
    // Every setting is there, under the daemon schema's names.
    let agent = &daemon[0];
    for key in [
        "Command",
        "Cpu",
        "DependsOn",
        "EntryPoint",
        "Environment",
        "EnvironmentFiles",
        "Essential",
        "HealthCheck",
        "Image",
        "LinuxParameters",
        "LogConfiguration",
        "Memory",
        "MemoryReservation",
        "MountPoints",
        "Name",
        "Privileged",
        "ReadonlyRootFilesystem",
        "RepositoryCredentials",
        "RestartPolicy",
        "Secrets",
        "StartTimeout",
        "StopTimeout",
        "SystemControls",
        "Ulimits",
        "User",
        "WorkingDirectory",
    ] {
        assert!(agent.get(key).is_some(), "{key} is missing from {agent}");
    }
    assert_eq!(agent["Privileged"], json!(true));
    assert_eq!(
        agent["RestartPolicy"],
        json!({"Enabled": true, "IgnoredExitCodes": [0]})
    );
    assert_eq!(agent["StartTimeout"], json!(60));
    assert_eq!(
        agent["SystemControls"],
        json!([{"Namespace": "net.core.somaxconn", "Value": "1024"}])
    );
    assert_eq!(
        agent["LinuxParameters"],
        json!({"Capabilities": {"Add": ["SYS_PTRACE"], "Drop": ["NET_RAW"]}, "InitProcessEnabled": true})
    );
}

#[test]
fn a_privileged_container_is_warned_about() {
    let (mut stack, _, _) = managed_instances();
    let group = LogGroup::builder("Logs").build(&mut stack).unwrap();
    let [agent, init] = every_daemon_setting(&group);
    ecscdk::ecs::DaemonTaskDefinition::builder("Daemon")
        .host_volume("logs", "/var/log")
        .container(agent)
        .container(init)
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let warnings: Vec<(String, String)> = assembly
        .stack("Daemons")
        .unwrap()
        .warnings
        .iter()
        .map(|w| (w.path.as_str().to_owned(), w.id.clone()))
        .collect();
    assert_eq!(
        warnings,
        [(
            "Daemons/Daemon/agent".to_owned(),
            ecscdk::ecs::PRIVILEGED_WARNING.to_owned()
        )]
    );
}

/// Builds a daemon and a service on `provider`, the daemon first when
/// `daemon_first`, and returns the template.
fn daemon_and_service(daemon_first: bool) -> Json {
    let (mut stack, cluster, provider) = managed_instances();
    let agent = ecscdk::ecs::DaemonTaskDefinition::builder("AgentTask")
        .container(container("agent"))
        .build(&mut stack)
        .unwrap();
    let daemon = |stack: &mut Stack| {
        ecscdk::ecs::Daemon::builder("Agent", &cluster, &agent)
            .capacity_provider(&provider)
            .build(stack)
            .unwrap()
    };
    let task = ecscdk::ecs::ManagedInstancesTaskDefinition::builder(
        "Task",
        ecscdk::ecs::ManagedInstancesNetworkMode::Host,
    )
    .container(container("web"))
    .build(&mut stack)
    .unwrap();
    if daemon_first {
        daemon(&mut stack);
    }
    ecscdk::ecs::ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap();
    if !daemon_first {
        daemon(&mut stack);
    }
    synth(stack)
}

#[test]
fn a_service_waits_for_the_daemons_of_its_providers_whichever_is_built_first() {
    for daemon_first in [true, false] {
        let t = daemon_and_service(daemon_first);
        let depends = &t["Resources"]["ServiceD69D759B"]["DependsOn"];
        assert!(
            depends
                .as_array()
                .unwrap()
                .contains(&json!("Agent255F68E9")),
            "daemon first: {daemon_first}: {depends}"
        );
        let daemon = &t["Resources"]["Agent255F68E9"];
        assert_eq!(daemon["Type"], "AWS::ECS::Daemon");
        assert_eq!(daemon["Properties"]["Critical"], json!(true));
        assert_eq!(
            daemon["Properties"]["CapacityProviderArns"],
            json!([{"Fn::Sub": [
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:capacity-provider/${Name}",
                {"Name": {"Ref": "Provider0B93F79A"}}
            ]}])
        );
        // The daemon's tasks start once their roles hold their policies.
        let roles = daemon["DependsOn"].as_array().unwrap();
        assert!(
            roles
                .iter()
                .any(|r| r.as_str().unwrap().starts_with("AgentTaskTaskRole")),
            "{roles:?}"
        );
    }
    assert_eq!(daemon_and_service(true), daemon_and_service(false));
}

#[test]
fn an_express_service_in_the_default_vpc_writes_no_network_and_logs_where_asked() {
    let mut stack = Stack::new("Express").env(Env::new("123456789012", "us-east-1"));
    let group = LogGroup::builder("Logs").build(&mut stack).unwrap();
    ecscdk::ecs::ExpressService::in_default_vpc(
        "Api",
        ecscdk::ecs::ExpressContainer::new(ContainerImage::registry("nginx"))
            .log_group(&group, "api"),
    )
    .public(true)
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let (_, service) = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::ECS::ExpressGatewayService")
        .unwrap();
    let properties = &service["Properties"];
    assert!(
        properties.get("NetworkConfiguration").is_none(),
        "{properties}"
    );
    assert_eq!(
        properties["PrimaryContainer"]["AwsLogsConfiguration"],
        json!({"LogGroup": {"Ref": "Logs6819BB44"}, "LogStreamPrefix": "api"})
    );
}

#[test]
fn an_express_service_above_4_vcpu_is_warned_about() {
    let warnings = |size: ecscdk::ecs::FargateSize| {
        let mut stack = Stack::new("Express").env(Env::new("123456789012", "us-east-1"));
        ecscdk::ecs::ExpressService::in_default_vpc(
            "Api",
            ecscdk::ecs::ExpressContainer::new(ContainerImage::registry("nginx")),
        )
        .size(size)
        .build(&mut stack)
        .unwrap();
        let mut app = App::new();
        app.add(stack).unwrap();
        let assembly = app.synth().unwrap();
        let ids: Vec<String> = assembly
            .stack("Express")
            .unwrap()
            .warnings
            .iter()
            .map(|w| format!("{} {}", w.path.as_str(), w.id))
            .collect();
        ids
    };
    let size = |cpu, memory| ecscdk::ecs::FargateSize::new(cpu, memory).unwrap();
    assert_eq!(
        warnings(size(ecscdk::ecs::FargateCpu::Vcpu8, 16384)),
        ["Express/Api ecscdk:ecs:expressSize"]
    );
    assert!(warnings(size(ecscdk::ecs::FargateCpu::Vcpu4, 8192)).is_empty());
}
