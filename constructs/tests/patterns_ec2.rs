//! The load-balanced EC2 service patterns: the AWS CDK's child ids, bridge
//! mode with dynamic host ports behind `instance` targets, and the
//! instances' security group admitting only the load balancer on the
//! ephemeral range. Expected logical IDs were computed independently (MD5 of
//! the path below the stack, `python3 hashlib`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage, PortMapping,
};
use ecscdk::patterns::{ApplicationLoadBalancedEc2Service, NetworkLoadBalancedEc2Service};
use ecscdk::prelude::*;
use serde_json::{Value as Json, json};

#[path = "common/template.rs"]
mod template;
use template::synth;

fn capacity() -> (Stack, Cluster, AsgCapacityProvider) {
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .capacity(1, 4)
        .build(&mut stack)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut stack)
        .unwrap();
    cluster
        .add_asg_capacity_provider(&mut stack, &provider)
        .unwrap();
    (stack, cluster, provider)
}

fn container() -> ecscdk::ecs::ContainerBuilder {
    Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
    .memory_limit_mib(256)
    .port(PortMapping::tcp(8080))
}

#[test]
fn an_alb_ec2_service_uses_dynamic_host_ports_and_admits_only_the_load_balancer() {
    let (mut stack, cluster, provider) = capacity();
    let api = ApplicationLoadBalancedEc2Service::builder("Api", &cluster, container())
        .capacity_provider_strategy([provider.strategy()])
        .desired_count(2)
        .build(&mut stack)
        .unwrap();
    assert_eq!(
        api.task_definition().network_mode(),
        ecscdk::ecs::Ec2NetworkMode::Bridge
    );
    let t = synth(stack);
    let r = &t["Resources"];
    // The CDK's child ids: LB, LB/PublicListener(/ECSGroup), TaskDef, Service.
    for id in [
        "ApiLB8D4BD609",
        "ApiLBSecurityGroup70AC4E5C",
        "ApiLBPublicListener5142AAA5",
        "ApiLBPublicListenerECSGroup45FF926A",
        "ApiTaskDefCB0575BA",
        "ApiServiceD5B4A50A",
    ] {
        assert!(r.get(id).is_some(), "{id} missing");
    }
    let task = &r["ApiTaskDefCB0575BA"]["Properties"];
    assert_eq!(task["NetworkMode"], json!("bridge"));
    assert_eq!(
        task["ContainerDefinitions"][0]["PortMappings"],
        json!([{"ContainerPort": 8080, "HostPort": 0, "Protocol": "tcp"}])
    );
    let group = &r["ApiLBPublicListenerECSGroup45FF926A"]["Properties"];
    assert_eq!(group["TargetType"], json!("instance"));
    assert_eq!(group["HealthCheckPort"], json!("traffic-port"));
    let service = &r["ApiServiceD5B4A50A"];
    assert_eq!(
        service["Properties"]["LoadBalancers"],
        json!([{
            "ContainerName": "web",
            "ContainerPort": 8080,
            "TargetGroupArn": {"Ref": "ApiLBPublicListenerECSGroup45FF926A"}
        }])
    );
    assert_eq!(service["Properties"]["DesiredCount"], json!(2));
    assert!(
        service["Properties"].get("NetworkConfiguration").is_none(),
        "bridge mode has no awsvpc configuration"
    );
    let depends: Vec<&str> = service["DependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        depends.contains(&"ApiLBPublicListener5142AAA5"),
        "{depends:?}"
    );
    // The instances admit the load balancer's group on 32768-65535, and the
    // load balancer reaches only the instances' group there.
    assert_eq!(
        r["AsgInstanceSecurityGroupfromWebApiLBSecurityGroup12579277327686553549BB21CA"]["Properties"],
        json!({
            "Description": "Load balancer to target",
            "FromPort": 32768,
            "GroupId": {"Fn::GetAtt": ["AsgInstanceSecurityGroupC53F1492", "GroupId"]},
            "IpProtocol": "tcp",
            "SourceSecurityGroupId": {"Fn::GetAtt": ["ApiLBSecurityGroup70AC4E5C", "GroupId"]},
            "ToPort": 65535
        })
    );
    assert_eq!(
        r["ApiLBSecurityGrouptoWebAsgInstanceSecurityGroupFF4A7831327686553517C00F07"]["Properties"],
        json!({
            "Description": "Load balancer to target",
            "DestinationSecurityGroupId": {"Fn::GetAtt": ["AsgInstanceSecurityGroupC53F1492", "GroupId"]},
            "FromPort": 32768,
            "GroupId": {"Fn::GetAtt": ["ApiLBSecurityGroup70AC4E5C", "GroupId"]},
            "IpProtocol": "tcp",
            "ToPort": 65535
        })
    );
    // Nothing else is open on the instances.
    assert!(
        r["AsgInstanceSecurityGroupC53F1492"]["Properties"]
            .get("SecurityGroupIngress")
            .is_none()
    );
    assert_eq!(
        t["Outputs"]["ApiLoadBalancerDNSB0038DD0"]["Value"],
        json!({"Fn::GetAtt": ["ApiLB8D4BD609", "DNSName"]})
    );
    assert!(t["Outputs"].get("ApiServiceURL135D4FCA").is_some());
}

#[test]
fn an_nlb_ec2_service_admits_only_the_load_balancer_on_the_ephemeral_ports() {
    let (mut stack, cluster, provider) = capacity();
    NetworkLoadBalancedEc2Service::builder("Api", &cluster, container())
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    let group = &r["ApiLBPublicListenerECSGroup45FF926A"]["Properties"];
    assert_eq!(group["TargetType"], json!("instance"));
    assert_eq!(group["Protocol"], json!("TCP"));
    // Off explicitly: instance targets would otherwise see the clients.
    assert_eq!(
        group["TargetGroupAttributes"],
        json!([{"Key": "preserve_client_ip.enabled", "Value": "false"}])
    );
    let ingress: Vec<(&String, &Json)> = r
        .as_object()
        .unwrap()
        .iter()
        .filter(|(id, v)| {
            id.starts_with("AsgInstanceSecurityGroup")
                && v["Type"] == "AWS::EC2::SecurityGroupIngress"
        })
        .collect();
    assert_eq!(ingress.len(), 1, "{ingress:?}");
    assert_eq!(ingress[0].1["Properties"]["FromPort"], json!(32768));
}

#[test]
fn a_fixed_host_port_is_the_only_port_opened() {
    let (mut stack, cluster, provider) = capacity();
    ApplicationLoadBalancedEc2Service::builder(
        "Api",
        &cluster,
        Container::builder(
            "web",
            ContainerImage::registry("public.ecr.aws/example/app:1"),
        )
        .memory_limit_mib(256)
        .port(PortMapping::tcp(8080).host_port(80)),
    )
    .capacity_provider_strategy([provider.strategy()])
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    let ingress: Vec<&Json> = r
        .as_object()
        .unwrap()
        .iter()
        .filter(|(id, v)| {
            id.starts_with("AsgInstanceSecurityGroup")
                && v["Type"] == "AWS::EC2::SecurityGroupIngress"
        })
        .map(|(_, v)| &v["Properties"])
        .collect();
    assert_eq!(ingress.len(), 1);
    assert_eq!(
        (&ingress[0]["FromPort"], &ingress[0]["ToPort"]),
        (&json!(80), &json!(80))
    );
}

#[test]
fn an_awsvpc_ec2_service_uses_ip_targets_and_its_own_security_group() {
    let (mut stack, cluster, _) = capacity();
    ApplicationLoadBalancedEc2Service::builder("Api", &cluster, container())
        .network_mode(ecscdk::ecs::Ec2NetworkMode::AwsVpc)
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    assert_eq!(
        r["ApiTaskDefCB0575BA"]["Properties"]["NetworkMode"],
        json!("awsvpc")
    );
    let group = &r["ApiLBPublicListenerECSGroup45FF926A"]["Properties"];
    assert_eq!(group["TargetType"], json!("ip"));
    assert!(group.get("HealthCheckPort").is_none());
    assert_eq!(
        r["ApiServiceSecurityGroupfromWebApiLBSecurityGroup1257927780803BA2588A"]["Properties"]["SourceSecurityGroupId"],
        json!({"Fn::GetAtt": ["ApiLBSecurityGroup70AC4E5C", "GroupId"]})
    );
    // The instances are not opened.
    assert!(
        !r.as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("AsgInstanceSecurityGroupfrom"))
    );
}

#[test]
fn a_host_mode_ec2_service_opens_the_container_port_on_the_instances() {
    let (mut stack, cluster, provider) = capacity();
    ApplicationLoadBalancedEc2Service::builder("Api", &cluster, container())
        .network_mode(ecscdk::ecs::Ec2NetworkMode::Host)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    assert_eq!(
        r["ApiLBPublicListenerECSGroup45FF926A"]["Properties"]["TargetType"],
        json!("instance")
    );
    let rule =
        &r["AsgInstanceSecurityGroupfromWebApiLBSecurityGroup125792778080669729BF"]["Properties"];
    assert_eq!(
        (&rule["FromPort"], &rule["ToPort"]),
        (&json!(8080), &json!(8080))
    );
}
