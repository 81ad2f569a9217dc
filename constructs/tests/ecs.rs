//! ECS constructs rendered as the AWS CDK renders them. Expected JSON is
//! taken from the CDK's reference templates (`tests/data/cdk/`);
//! where ecscdk's secure defaults differ, the difference is asserted and
//! explained.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::ecs::{
    Cluster, Container, ContainerImage, ContainerInsights, FargateCapacity, FargateTaskDefinition,
    LogDriver, PortMapping,
};
use ecscdk::prelude::*;
use serde_json::json;

#[path = "common/template.rs"]
mod template;
use template::synth;

#[test]
fn a_task_definition_matches_the_cdk_scale_template() {
    let mut stack = Stack::new("Scale0").env(Env::new("123456789012", "us-east-1"));
    FargateTaskDefinition::builder("Task0")
        .container(
            Container::builder(
                "app",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:latest"),
            )
            .port(PortMapping::tcp(8080))
            .logging(LogDriver::aws_logs("svc0")),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    let mut task = r["Task086749A92"]["Properties"].clone();
    // ecscdk's default: a read-only root filesystem (the CDK leaves it
    // writable, which checkov's CKV_AWS_336 flags).
    assert_eq!(
        task["ContainerDefinitions"][0]["ReadonlyRootFilesystem"],
        json!(true)
    );
    task["ContainerDefinitions"][0]
        .as_object_mut()
        .unwrap()
        .remove("ReadonlyRootFilesystem");
    assert_eq!(
        task,
        json!({
            "ContainerDefinitions": [{
                "Essential": true,
                "Image": "public.ecr.aws/nginx/nginx:latest",
                "LogConfiguration": {
                    "LogDriver": "awslogs",
                    "Options": {
                        "awslogs-group": {"Ref": "Task0appLogGroupD6019DA3"},
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "svc0"
                    }
                },
                "Name": "app",
                "PortMappings": [{"ContainerPort": 8080, "Protocol": "tcp"}]
            }],
            "Cpu": "256",
            "ExecutionRoleArn": {"Fn::GetAtt": ["Task0ExecutionRole8889AD77", "Arn"]},
            "Family": "Scale0Task0C8683D32",
            "Memory": "512",
            "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "TaskRoleArn": {"Fn::GetAtt": ["Task0TaskRoleF7F9E8C8", "Arn"]}
        })
    );
    for id in [
        "Task0TaskRoleF7F9E8C8",
        "Task0appLogGroupD6019DA3",
        "Task0ExecutionRole8889AD77",
        "Task0ExecutionRoleDefaultPolicy451B7D1C",
    ] {
        assert!(r.get(id).is_some(), "missing {id}");
    }
    // ecscdk's default: the log group keeps events 30 days (the CDK keeps
    // them forever).
    assert_eq!(
        r["Task0appLogGroupD6019DA3"]["Properties"]["RetentionInDays"],
        json!(30)
    );
}

#[test]
fn a_cluster_with_insights_and_fargate_providers_matches_the_cdk() {
    let mut stack = Stack::new("Capacity");
    Cluster::builder("Cluster")
        .container_insights(ContainerInsights::Enabled)
        .default_capacity_provider_strategy([
            FargateCapacity::spot().weight(2),
            FargateCapacity::on_demand().base(1),
        ])
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    assert_eq!(
        t["Resources"]["ClusterEB0386A7"]["Properties"],
        json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]})
    );
    assert_eq!(
        t["Resources"]["Cluster3DA9CCBA"]["Properties"],
        json!({
            "CapacityProviders": ["FARGATE", "FARGATE_SPOT"],
            "Cluster": {"Ref": "ClusterEB0386A7"},
            "DefaultCapacityProviderStrategy": [
                {"CapacityProvider": "FARGATE_SPOT", "Weight": 2},
                {"Base": 1, "CapacityProvider": "FARGATE", "Weight": 1}
            ]
        })
    );
}

#[test]
fn a_service_renders_like_the_cdk_with_safer_deployments() {
    use ecscdk::ecs::FargateService;
    let mut stack = Stack::new("Scale0").env(Env::new("123456789012", "us-east-1"));
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = FargateTaskDefinition::builder("Task0")
        .container(
            Container::builder(
                "app",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:latest"),
            )
            .port(PortMapping::tcp(8080)),
        )
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Service0", &cluster, &task)
        .desired_count(1)
        .subnet_ids(["subnet-1", "subnet-2"])
        .security_group_ids(["sg-1"])
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let service = &t["Resources"]["Service0Service18874AEB"];
    assert_eq!(service["DependsOn"], json!(["Task0TaskRoleF7F9E8C8"]));
    assert_eq!(
        service["Properties"],
        json!({
            "Cluster": {"Ref": "ClusterEB0386A7"},
            // ecscdk: 100% minimum healthy (the CDK: 50%) and the circuit
            // breaker with rollback on by default.
            "DeploymentConfiguration": {
                "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
                "MaximumPercent": 200,
                "MinimumHealthyPercent": 100
            },
            "DesiredCount": 1,
            // ecscdk: ECS managed tags on and service tags propagated to
            // tasks (the CDK: off), so tasks are attributable.
            "EnableECSManagedTags": true,
            "LaunchType": "FARGATE",
            "LoadBalancers": [],
            "NetworkConfiguration": {"AwsvpcConfiguration": {
                "AssignPublicIp": "DISABLED",
                "SecurityGroups": ["sg-1"],
                "Subnets": ["subnet-1", "subnet-2"]
            }},
            "PropagateTags": "SERVICE",
            "TaskDefinition": {"Ref": "Task086749A92"}
        })
    );
}

#[test]
fn a_spot_strategy_replaces_the_launch_type() {
    use ecscdk::ecs::FargateService;
    let mut stack = Stack::new("S");
    let cluster = Cluster::builder("Cluster")
        .fargate_capacity_providers()
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(Container::builder(
            "app",
            ContainerImage::registry("nginx:1.27"),
        ))
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Svc", &cluster, &task)
        .capacity_provider_strategy([
            FargateCapacity::spot().weight(2),
            FargateCapacity::on_demand().base(1),
        ])
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let props = &t["Resources"]["SvcServiceE0738BDC"]["Properties"];
    assert!(props.get("LaunchType").is_none());
    assert!(
        props.get("DesiredCount").is_none(),
        "omitted so a redeploy keeps the scaled count"
    );
    assert_eq!(
        props["CapacityProviderStrategy"],
        json!([
            {"CapacityProvider": "FARGATE_SPOT", "Weight": 2},
            {"Base": 1, "CapacityProvider": "FARGATE", "Weight": 1}
        ])
    );
}

#[test]
fn service_connect_serves_named_ports() {
    use ecscdk::ecs::{AppProtocol, FargateService, ServiceConnect, ServiceConnectPort};
    use std::time::Duration;
    let mut stack = Stack::new("S");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder("api", ContainerImage::registry("example/api:1")).port(
                PortMapping::tcp(8080)
                    .name("api")
                    .app_protocol(AppProtocol::Http),
            ),
        )
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Api", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .service_connect(
            ServiceConnect::in_namespace("internal").port(
                ServiceConnectPort::named("api")
                    .alias("api", 80)
                    .per_request_timeout(Duration::from_secs(15)),
            ),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let task_ports =
        &t["Resources"]["Task79114B6B"]["Properties"]["ContainerDefinitions"][0]["PortMappings"];
    assert_eq!(
        task_ports,
        &json!([{"AppProtocol": "http", "ContainerPort": 8080, "Name": "api", "Protocol": "tcp"}])
    );
    assert_eq!(
        t["Resources"]["ApiService89E3D990"]["Properties"]["ServiceConnectConfiguration"],
        json!({
            "Enabled": true,
            "Namespace": "internal",
            "Services": [{
                "ClientAliases": [{"DnsName": "api", "Port": 80}],
                "PortName": "api",
                "Timeout": {"PerRequestTimeoutSeconds": 15}
            }]
        })
    );
}

#[test]
fn firelens_adds_a_fluent_bit_router_and_grants_the_task_role() {
    let mut stack = Stack::new("S").env(Env::new("123456789012", "eu-west-1"));
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder("app", ContainerImage::registry("example/app:1"))
                .logging(LogDriver::firelens_cloudwatch("app")),
        )
        .build(&mut stack)
        .unwrap();
    assert_eq!(task.container_names(), ["app"]);
    let t = synth(stack);
    let r = &t["Resources"];
    let defs = &r["Task79114B6B"]["Properties"]["ContainerDefinitions"];
    assert_eq!(defs[0]["Name"], json!("log_router"));
    assert_eq!(
        defs[0]["Image"],
        json!("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable")
    );
    assert_eq!(
        defs[0]["FirelensConfiguration"],
        json!({"Type": "fluentbit"})
    );
    assert_eq!(defs[0]["LogConfiguration"]["LogDriver"], json!("awslogs"));
    assert_eq!(defs[0]["ReadonlyRootFilesystem"], json!(false));
    assert_eq!(
        defs[1]["LogConfiguration"],
        json!({
            "LogDriver": "awsfirelens",
            "Options": {
                "Name": "cloudwatch_logs",
                "auto_create_group": "false",
                "log_group_name": {"Ref": "TaskappLogGroupE326ACBA"},
                "log_stream_prefix": "app",
                "region": "eu-west-1"
            }
        })
    );
    // Fluent Bit runs as the task role, so the task role writes the app's logs.
    assert_eq!(
        r["TaskTaskRoleDefaultPolicyC02AED32"]["Properties"]["PolicyDocument"]["Statement"],
        json!([{
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": ["TaskappLogGroupE326ACBA", "Arn"]}
        }])
    );
}

#[test]
fn auto_scaling_on_cpu_matches_the_cdk() {
    use ecscdk::ecs::FargateService;
    let mut stack = Stack::new("FargateAlb").env(Env::new("123456789012", "us-east-1"));
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let web = stack.scope(stack.root(), "Web").unwrap();
    let task = FargateTaskDefinition::builder("TaskDef")
        .container(Container::builder(
            "web",
            ContainerImage::registry("public.ecr.aws/nginx/nginx:latest"),
        ))
        .build_in(&mut stack, web)
        .unwrap();
    let service = FargateService::builder("Service", &cluster, &task)
        .subnet_ids(["subnet-1"])
        .security_group_ids(["sg-1"])
        .build_in(&mut stack, web)
        .unwrap();
    service
        .auto_scale(&mut stack, 2..=10)
        .unwrap()
        .on_cpu(70.0)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    let target = &r["WebServiceTaskCountTargetF7BAB0BC"];
    // The service-linked role's ARN, written as the CDK writes it (the role
    // CloudFormation would use without it).
    assert_eq!(
        target["Properties"],
        json!({
            "MaxCapacity": 10,
            "MinCapacity": 2,
            "RoleARN": "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
            "ResourceId": {"Fn::Join": ["", ["service/", {"Ref": "ClusterEB0386A7"}, "/", {"Fn::GetAtt": ["WebServiceD04B5F3E", "Name"]}]]},
            "ScalableDimension": "ecs:service:DesiredCount",
            "ServiceNamespace": "ecs"
        })
    );
    assert_eq!(target["DependsOn"], json!(["WebTaskDefTaskRoleB0D86F55"]));
    let policy = &r["WebServiceTaskCountTargetCpu44C13166"];
    // CloudFormation numbers are written as f64 (`70.0`); the CDK writes the
    // same number as `70`. Compare the value, then the rest.
    let mut props = policy["Properties"].clone();
    let target_value = &mut props["TargetTrackingScalingPolicyConfiguration"]["TargetValue"];
    assert_eq!(target_value.as_f64(), Some(70.0));
    *target_value = json!(70);
    assert_eq!(
        props,
        json!({
            "PolicyName": "FargateAlbWebServiceTaskCountTargetCpu044E710E",
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": "WebServiceTaskCountTargetF7BAB0BC"},
            "TargetTrackingScalingPolicyConfiguration": {
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
                "TargetValue": 70
            }
        })
    );
    assert_eq!(policy["DependsOn"], json!(["WebTaskDefTaskRoleB0D86F55"]));
    assert_eq!(
        r["WebServiceD04B5F3E"]["DependsOn"],
        json!(["WebTaskDefTaskRoleB0D86F55"])
    );
}

#[test]
fn cloud_map_and_service_connect_use_the_cluster_namespace() {
    use ecscdk::ec2::Vpc;
    use ecscdk::ecs::{CloudMapOptions, FargateService, ServiceConnect, ServiceConnectPort};
    use ecscdk::servicediscovery::NamespaceType;
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .default_cloud_map_namespace("internal", NamespaceType::DnsPrivate)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder("api", ContainerImage::registry("example/api:1"))
                .port(PortMapping::tcp(8080).name("api")),
        )
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Api", &cluster, &task)
        .cloud_map(CloudMapOptions::named("api"))
        .service_connect(
            ServiceConnect::in_cluster_namespace().port(ServiceConnectPort::named("api")),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    let ns_id = "ClusterDefaultServiceDiscoveryNamespaceC336F9B4";
    assert_eq!(
        r[ns_id]["Type"],
        json!("AWS::ServiceDiscovery::PrivateDnsNamespace")
    );
    assert_eq!(r[ns_id]["Properties"]["Name"], json!("internal"));
    assert_eq!(
        r["ClusterEB0386A7"]["Properties"]["ServiceConnectDefaults"],
        json!({"Namespace": {"Fn::GetAtt": [ns_id, "Arn"]}})
    );
    let cloudmap = &r["ApiCloudmapServiceB0813C68"];
    assert_eq!(cloudmap["Type"], json!("AWS::ServiceDiscovery::Service"));
    assert_eq!(cloudmap["Properties"]["Name"], json!("api"));
    assert_eq!(
        cloudmap["Properties"]["HealthCheckCustomConfig"],
        json!({"FailureThreshold": 1})
    );
    let service = &r["ApiService89E3D990"]["Properties"];
    assert_eq!(
        service["ServiceRegistries"],
        json!([{"RegistryArn": {"Fn::GetAtt": ["ApiCloudmapServiceB0813C68", "Arn"]}}])
    );
    assert_eq!(
        service["ServiceConnectConfiguration"]["Namespace"],
        json!({"Fn::GetAtt": [ns_id, "Arn"]})
    );
}

/// The warnings of a one-task stack whose container is `container`.
fn task_warnings(container: ecscdk::ecs::ContainerBuilder) -> Vec<String> {
    let mut stack = Stack::new("Web");
    FargateTaskDefinition::builder("Task")
        .container(container)
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    assembly.stacks()[0]
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_read_only_container_with_nothing_writable_is_warned_about() {
    let nginx = || {
        Container::builder(
            "web",
            ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
        )
    };
    let warnings = task_warnings(nginx());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    insta::assert_snapshot!(warnings[0], @"[Web/Task/web] the root filesystem is read-only (ecscdk's default) and nothing writable is mounted, so an image that writes at run time crash-loops (nginx and httpd write their cache, pid and temporary files); mount a scratch volume where it writes (`.mount(..)`), allow writes with `.writable_root_filesystem()`, or confirm with `.read_only_root_filesystem()` [ack: ecscdk:ecs:readOnlyRootFilesystem]");
    // Chosen either way, or a writable mount: no warning.
    assert!(task_warnings(nginx().read_only_root_filesystem()).is_empty());
    assert!(task_warnings(nginx().writable_root_filesystem()).is_empty());
}

/// A service nothing stops from retrying a failing deployment is warned
/// about, unless alarms roll it back or the warning is acknowledged (on the
/// service or a scope above it).
#[test]
fn a_service_without_a_circuit_breaker_is_warned_about_unless_acknowledged() {
    use ecscdk::ecs::{CircuitBreaker, FargateService, NO_CIRCUIT_BREAKER_WARNING};
    let warnings = |breaker: CircuitBreaker, alarms: bool, acknowledge: bool| {
        let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
        let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
        let task = FargateTaskDefinition::builder("Task")
            .container(
                Container::builder(
                    "web",
                    ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
                )
                .read_only_root_filesystem(),
            )
            .build(&mut stack)
            .unwrap();
        let mut service = FargateService::builder("Service", &cluster, &task)
            .subnet_ids(["subnet-1"])
            .security_group_ids(["sg-1"])
            .circuit_breaker(breaker);
        if alarms {
            service = service.deployment_alarms(["HighErrors"], true);
        }
        service.build(&mut stack).unwrap();
        if acknowledge {
            // Deliberate in this test: the whole stack acknowledges it.
            let root = stack.root();
            stack.acknowledge_warning(root, NO_CIRCUIT_BREAKER_WARNING);
        }
        let mut app = App::new();
        app.add(stack).unwrap();
        let assembly = app.synth().unwrap();
        assembly.stacks()[0]
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    let found = warnings(CircuitBreaker::Off, false, false);
    assert_eq!(found.len(), 1, "{found:?}");
    insta::assert_snapshot!(found[0], @"[Web/Service] the deployment circuit breaker is off and no deployment alarm rolls back: a deployment whose tasks keep failing keeps replacing them until CloudFormation gives up (up to 3 hours), then rolls back; turn it on (`circuit_breaker(CircuitBreaker::Rollback)`), roll back on alarms (`deployment_alarms`), or acknowledge this warning [ack: ecscdk:ecs:noCircuitBreaker]");
    assert!(warnings(CircuitBreaker::Off, true, false).is_empty());
    assert!(warnings(CircuitBreaker::Off, false, true).is_empty());
    assert!(warnings(CircuitBreaker::StopOnly, false, false).is_empty());
    assert!(warnings(CircuitBreaker::Rollback, false, false).is_empty());
}
