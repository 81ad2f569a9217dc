//! `Listener::add_targets`: ECS services as a listener's targets in one
//! call, rendered as the AWS CDK's `listener.addTargets` with
//! `service.loadBalancerTarget` renders them (aws-cdk-lib 2.276.0, the
//! recommended flags; the app and its template are in
//! `tests/data/cdk/add-targets/`): the target groups, the listener's
//! default action and rule, the services' registrations and dependencies,
//! and the security-group rules in both directions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeSet;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, FargateService, FargateTaskDefinition, PortMapping,
};
use ecscdk::elbv2::{ApplicationLoadBalancer, HealthCheck, Listener, ListenerTargets};
use ecscdk::prelude::*;
use serde_json::Value as Json;

fn service(stack: &mut Stack, cluster: &Cluster, id: &str, port: u16) -> FargateService {
    let task = FargateTaskDefinition::builder(format!("{id}Task"))
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:latest"),
            )
            .port(PortMapping::tcp(port))
            .writable_root_filesystem(),
        )
        .build(stack)
        .unwrap();
    FargateService::builder(id, cluster, &task)
        .build(stack)
        .unwrap()
}

fn ours() -> Json {
    let mut stack = Stack::new("AddTargets").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let web = service(&mut stack, &cluster, "Web", 80);
    let api = service(&mut stack, &cluster, "Api", 8080);
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .internet_facing(true)
        .build(&mut stack)
        .unwrap();
    let listener = Listener::http("Listener", &lb)
        .open(true)
        .build(&mut stack)
        .unwrap();
    listener
        .add_targets(
            &mut stack,
            "ECS",
            ListenerTargets::new(&web, "web", 80).health_check(HealthCheck::path("/")),
        )
        .unwrap();
    listener
        .add_targets(
            &mut stack,
            "Api",
            ListenerTargets::new(&api, "web", 8080)
                .priority(10)
                .path_pattern("/api/*"),
        )
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    serde_json::from_str(&app.synth().unwrap().stack("AddTargets").unwrap().template).unwrap()
}

fn cdk() -> Json {
    serde_json::from_str(include_str!(
        "data/cdk/add-targets/AddTargets.template.json"
    ))
    .unwrap()
}

#[test]
fn add_targets_renders_as_the_cdks_add_targets() {
    let (ours, cdk) = (ours(), cdk());
    let (r, c) = (&ours["Resources"], &cdk["Resources"]);
    for id in [
        "LBListenerECSGroup1D445DF5",
        "LBListenerApiGroupA2E95E8A",
        "LBListenerApiRule4D64472A",
        "LBListener49E825B4",
        "WebSecurityGroupfromAddTargetsLBSecurityGroup3A2315C8805BDB9B0F",
        "ApiSecurityGroupfromAddTargetsLBSecurityGroup3A2315C880806A926C21",
        "LBSecurityGrouptoAddTargetsWebSecurityGroupE59E1B738095D39022",
        "LBSecurityGrouptoAddTargetsApiSecurityGroupB261EFE1808060167323",
    ] {
        assert_eq!(r[id]["Type"], c[id]["Type"], "{id}");
        assert_eq!(r[id]["Properties"], c[id]["Properties"], "{id}");
    }
    for service in ["WebServiceDF29B54C", "ApiService89E3D990"] {
        for key in ["LoadBalancers", "HealthCheckGracePeriodSeconds"] {
            assert_eq!(
                r[service]["Properties"][key], c[service]["Properties"][key],
                "{service} {key}"
            );
        }
        // The listener (with its groups and rules) or the rule comes first.
        let on_lb = |template: &Json| -> BTreeSet<String> {
            template["Resources"][service]["DependsOn"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Json::as_str)
                .filter(|d| d.starts_with("LBListener"))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(on_lb(&ours), on_lb(&cdk), "{service}");
    }
}

/// Bridge-mode EC2 tasks are registered as instance and host port: the
/// group's target type is `instance`, and the instances' security group
/// admits the load balancer on the ephemeral range Docker picks host ports
/// from.
#[test]
fn bridge_mode_tasks_are_instance_targets_reached_on_the_ephemeral_ports() {
    use ecscdk::ecs::{
        AsgCapacityProvider, AutoScalingGroup, Ec2NetworkMode, Ec2Service, Ec2TaskDefinition,
    };
    let mut stack = Stack::new("Bridge").env(Env::new("123456789012", "us-east-1"));
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
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
            )
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80))
            .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    let service = Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap();
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .internet_facing(true)
        .build(&mut stack)
        .unwrap();
    let listener = Listener::http("Listener", &lb)
        .open(true)
        .build(&mut stack)
        .unwrap();
    listener
        .add_targets(&mut stack, "ECS", ListenerTargets::new(&service, "web", 80))
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let t: Json =
        serde_json::from_str(&app.synth().unwrap().stack("Bridge").unwrap().template).unwrap();
    let r = t["Resources"].as_object().unwrap();
    let group = r
        .values()
        .find(|v| v["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup")
        .unwrap();
    assert_eq!(group["Properties"]["TargetType"], "instance");
    let ingress: Vec<&Json> = r
        .values()
        .filter(|v| v["Type"] == "AWS::EC2::SecurityGroupIngress")
        .collect();
    assert_eq!(ingress.len(), 1, "{ingress:#?}");
    assert_eq!(ingress[0]["Properties"]["FromPort"], 32768);
    assert_eq!(ingress[0]["Properties"]["ToPort"], 65535);
    let service = r
        .values()
        .find(|v| v["Type"] == "AWS::ECS::Service")
        .unwrap();
    assert_eq!(
        service["Properties"]["LoadBalancers"][0]["ContainerPort"],
        80
    );
}
