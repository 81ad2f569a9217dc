//! The load-balanced service patterns and the `elbv2` constructs they use:
//! HTTPS with the HTTP → HTTPS redirect, a network load balancer, and a
//! listener rule. Expected logical IDs were computed independently (MD5 of
//! the path below the stack).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{Cluster, Container, ContainerImage, PortMapping};
use ecscdk::elbv2::{HealthCheck, ListenerAction, ListenerRule};
use ecscdk::patterns::{ApplicationLoadBalancedFargateService, NetworkLoadBalancedFargateService};
use ecscdk::prelude::*;
use serde_json::{Value as Json, json};

#[path = "common/template.rs"]
mod template;
use template::synth;

const CERT: &str = "arn:aws:acm:us-east-1:123456789012:certificate/abc";

fn stack_with_cluster() -> (Stack, Cluster) {
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
    (stack, cluster)
}

fn container() -> ecscdk::ecs::ContainerBuilder {
    Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
    .port(PortMapping::tcp(8080))
}

#[test]
fn https_serves_443_with_a_modern_policy_and_redirects_http() {
    let (mut stack, cluster) = stack_with_cluster();
    let api = ApplicationLoadBalancedFargateService::builder("Api", &cluster, container())
        .certificate_arn(CERT)
        .health_check(HealthCheck::http("/health").healthy_threshold(2))
        .build(&mut stack)
        .unwrap();
    ListenerRule::builder(
        "Admin",
        api.listener(),
        10,
        ListenerAction::fixed_response(403, Some("forbidden")),
    )
    .path_pattern("/admin/*")
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    assert_eq!(
        r["ApiLBPublicListener5142AAA5"]["Properties"],
        json!({
            "Certificates": [{"CertificateArn": CERT}],
            "DefaultActions": [{"TargetGroupArn": {"Ref": "ApiLBPublicListenerECSGroup45FF926A"}, "Type": "forward"}],
            "LoadBalancerArn": {"Ref": "ApiLB8D4BD609"},
            "Port": 443,
            "Protocol": "HTTPS",
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"
        })
    );
    assert_eq!(
        r["ApiLBPublicRedirectListener3C78F486"]["Properties"],
        json!({
            "DefaultActions": [{"RedirectConfig": {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"}, "Type": "redirect"}],
            "LoadBalancerArn": {"Ref": "ApiLB8D4BD609"},
            "Port": 80,
            "Protocol": "HTTP"
        })
    );
    assert_eq!(
        r["ApiLBPublicListenerECSGroup45FF926A"]["Properties"],
        json!({
            "HealthCheckPath": "/health",
            "HealthCheckProtocol": "HTTP",
            "HealthyThresholdCount": 2,
            "Port": 8080,
            "Protocol": "HTTP",
            "TargetGroupAttributes": [{"Key": "stickiness.enabled", "Value": "false"}],
            "TargetType": "ip",
            "VpcId": {"Ref": "Vpc8378EB38"}
        })
    );
    // Only the listener ports are open on the load balancer.
    let ingress = &r["ApiLBSecurityGroup70AC4E5C"]["Properties"]["SecurityGroupIngress"];
    let ports: Vec<&Json> = ingress
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["FromPort"])
        .collect();
    assert_eq!(ports, [&json!(443), &json!(80)]);
    // The service admits only the load balancer, which reaches only the service.
    assert_eq!(
        r["ApiServiceSecurityGroupfromWebApiLBSecurityGroup1257927780803BA2588A"]["Properties"]["SourceSecurityGroupId"],
        json!({"Fn::GetAtt": ["ApiLBSecurityGroup70AC4E5C", "GroupId"]})
    );
    assert_eq!(
        r["ApiLBSecurityGrouptoWebApiServiceSecurityGroup6630A483808079A45E52"]["Properties"]["ToPort"],
        8080
    );
    let rule = r
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.starts_with("ApiLBPublicListenerAdmin"))
        .unwrap()
        .1;
    assert_eq!(
        rule["Properties"]["Conditions"],
        json!([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/admin/*"]}}])
    );
    assert_eq!(
        t["Outputs"]["ApiServiceURL135D4FCA"]["Value"]["Fn::Join"][1][0],
        "https://"
    );
    assert_eq!(
        r["ApiServiceD5B4A50A"]["Properties"]["DeploymentConfiguration"]["MinimumHealthyPercent"],
        100
    );
}

#[test]
fn a_network_load_balanced_service_forwards_tcp_and_admits_only_the_load_balancer() {
    let (mut stack, cluster) = stack_with_cluster();
    NetworkLoadBalancedFargateService::builder("Api", &cluster, container())
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    assert_eq!(r["ApiLB8D4BD609"]["Properties"]["Type"], "network");
    assert_eq!(
        r["ApiLB8D4BD609"]["Properties"]["LoadBalancerAttributes"],
        json!([{"Key": "deletion_protection.enabled", "Value": "false"}])
    );
    assert_eq!(
        r["ApiLBPublicListener5142AAA5"]["Properties"]["Protocol"],
        "TCP"
    );
    assert_eq!(
        r["ApiLBPublicListenerECSGroup45FF926A"]["Properties"],
        json!({"Port": 8080, "Protocol": "TCP", "TargetType": "ip", "VpcId": {"Ref": "Vpc8378EB38"}})
    );
    assert!(r["ApiServiceSecurityGroupfromWebApiLBSecurityGroup1257927780803BA2588A"].is_object());
    assert!(t["Outputs"]["ApiServiceURL135D4FCA"].is_null());
    assert!(t["Outputs"]["ApiLoadBalancerDNSB0038DD0"].is_object());
}

/// Flipping a load balancer between internet-facing and internal replaces
/// it; the internal one's target group has another id (`ECSPrivate`, as the
/// CDK's `uniqueTargetGroupId` flag) so it is replaced with it instead of
/// being claimed by two load balancers during the update.
#[test]
fn an_internal_load_balancer_gets_its_own_target_group() {
    for (public, group) in [
        (true, "ApiLBPublicListenerECSGroup45FF926A"),
        (false, "ApiLBPublicListenerECSPrivateGroup464A90FF"),
    ] {
        let (mut stack, cluster) = stack_with_cluster();
        ApplicationLoadBalancedFargateService::builder("Api", &cluster, container())
            .public_load_balancer(public)
            .build(&mut stack)
            .unwrap();
        let template = synth(stack);
        let r = &template["Resources"];
        assert_eq!(
            r[group]["Type"],
            json!("AWS::ElasticLoadBalancingV2::TargetGroup"),
            "public: {public}"
        );
        assert_eq!(
            r["ApiServiceD5B4A50A"]["Properties"]["LoadBalancers"][0]["TargetGroupArn"],
            json!({"Ref": group})
        );
    }
}

#[test]
fn ecs_exec_on_a_load_balanced_pattern() {
    let (mut stack, cluster) = stack_with_cluster();
    ApplicationLoadBalancedFargateService::builder(
        "Api",
        &cluster,
        container().writable_root_filesystem(),
    )
    .enable_execute_command()
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let r = t["Resources"].as_object().unwrap();
    let service = r
        .values()
        .find(|v| v["Type"] == json!("AWS::ECS::Service"))
        .unwrap();
    assert_eq!(service["Properties"]["EnableExecuteCommand"], json!(true));
    let ssm = r.values().any(|v| {
        v["Type"] == json!("AWS::IAM::Policy")
            && v.to_string().contains("ssmmessages:CreateControlChannel")
    });
    assert!(ssm, "the task role may open the SSM channels");

    // On the read-only root default, without scratch volumes: refused.
    let (mut stack, cluster) = stack_with_cluster();
    let err = NetworkLoadBalancedFargateService::builder("Nlb", &cluster, container())
        .enable_execute_command()
        .build(&mut stack)
        .unwrap_err();
    assert!(
        matches!(&err, ecscdk::Error::Unsupported { path, setting: "enable_execute_command", .. } if path.as_str() == "Web/Nlb/Service"),
        "{err:?}"
    );
}
