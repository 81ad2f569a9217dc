//! Extra listeners and target groups of the application-load-balanced
//! patterns (`ExtraListener`, `ExtraTarget`): the AWS CDK's
//! `ApplicationMultipleTargetGroups*Service` child ids
//! (`ECSTargetGroup<container><port>Group` and `…Rule` under the listener),
//! path- and host-based rules, a listener's default target, and the security
//! groups opened per target port. Expected logical IDs were computed
//! independently (MD5 of the path below the stack, `python3 hashlib`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage, PortMapping,
};
use ecscdk::elbv2::HealthCheck;
use ecscdk::patterns::{
    ApplicationLoadBalancedEc2Service, ApplicationLoadBalancedFargateService, ExtraListener,
    ExtraTarget,
};
use ecscdk::prelude::*;
use serde_json::{Value as Json, json};

#[path = "common/template.rs"]
mod template;
use template::synth;

fn stack_with_vpc() -> (Stack, Vpc) {
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    (stack, vpc)
}

fn ingress_ports(r: &Json, group: &str) -> Vec<Json> {
    r[group]["Properties"]["SecurityGroupIngress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["FromPort"].clone())
        .collect()
}

#[test]
fn a_fargate_service_routes_paths_hosts_and_an_extra_listener_to_its_ports() {
    let (mut stack, vpc) = stack_with_vpc();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let container = Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
    .port(PortMapping::tcp(8080))
    .port(PortMapping::tcp(9000))
    .port(PortMapping::tcp(9100));
    let api = ApplicationLoadBalancedFargateService::builder("Api", &cluster, container)
        .listener(ExtraListener::http("Admin").port(8081))
        .target(
            ExtraTarget::port(9000)
                .priority(10)
                .path_pattern("/api/*")
                .host_header("api.example.com")
                .health_check(HealthCheck::http("/api/health")),
        )
        .target(ExtraTarget::port(9100).listener("Admin"))
        .build(&mut stack)
        .unwrap();
    assert_eq!(api.extra_listeners().len(), 1);
    assert_eq!(api.extra_listeners()[0].port(), 8081);
    assert_eq!(
        api.extra_target_groups()
            .iter()
            .map(ecscdk::elbv2::TargetGroup::port)
            .collect::<Vec<_>>(),
        [9000, 9100]
    );
    let t = synth(stack);
    let r = &t["Resources"];

    // The rule on PublicListener: host and path conditions, forward.
    assert_eq!(
        r["ApiLBPublicListenerECSTargetGroupweb9000Rule26DC431D"]["Properties"],
        json!({
            "Actions": [{"TargetGroupArn": {"Ref": "ApiLBPublicListenerECSTargetGroupweb9000GroupC73259FA"}, "Type": "forward"}],
            "Conditions": [
                {"Field": "host-header", "HostHeaderConfig": {"Values": ["api.example.com"]}},
                {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}
            ],
            "ListenerArn": {"Ref": "ApiLBPublicListener5142AAA5"},
            "Priority": 10
        })
    );
    assert_eq!(
        r["ApiLBPublicListenerECSTargetGroupweb9000GroupC73259FA"]["Properties"],
        json!({
            "HealthCheckPath": "/api/health",
            "HealthCheckProtocol": "HTTP",
            "Port": 9000,
            "Protocol": "HTTP",
            "TargetGroupAttributes": [{"Key": "stickiness.enabled", "Value": "false"}],
            "TargetType": "ip",
            "VpcId": {"Ref": "Vpc8378EB38"}
        })
    );
    // PublicListener still forwards to ECSGroup by default.
    assert_eq!(
        r["ApiLBPublicListener5142AAA5"]["Properties"]["DefaultActions"],
        json!([{"TargetGroupArn": {"Ref": "ApiLBPublicListenerECSGroup45FF926A"}, "Type": "forward"}])
    );
    // The extra listener forwards to its default target.
    assert_eq!(
        r["ApiLBAdminE8226513"]["Properties"],
        json!({
            "DefaultActions": [{"TargetGroupArn": {"Ref": "ApiLBAdminECSTargetGroupweb9100GroupE96D0DF7"}, "Type": "forward"}],
            "LoadBalancerArn": {"Ref": "ApiLB8D4BD609"},
            "Port": 8081,
            "Protocol": "HTTP"
        })
    );
    assert_eq!(
        r["ApiLBAdminECSTargetGroupweb9100GroupE96D0DF7"]["Properties"]["Port"],
        json!(9100)
    );

    // The service registers on every port and waits for what ties each
    // group to the load balancer.
    let service = &r["ApiServiceD5B4A50A"];
    assert_eq!(
        service["Properties"]["LoadBalancers"],
        json!([
            {"ContainerName": "web", "ContainerPort": 8080, "TargetGroupArn": {"Ref": "ApiLBPublicListenerECSGroup45FF926A"}},
            {"ContainerName": "web", "ContainerPort": 9000, "TargetGroupArn": {"Ref": "ApiLBPublicListenerECSTargetGroupweb9000GroupC73259FA"}},
            {"ContainerName": "web", "ContainerPort": 9100, "TargetGroupArn": {"Ref": "ApiLBAdminECSTargetGroupweb9100GroupE96D0DF7"}}
        ])
    );
    let depends: Vec<&str> = service["DependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    for id in [
        "ApiLBPublicListener5142AAA5",
        "ApiLBPublicListenerECSTargetGroupweb9000Rule26DC431D",
        "ApiLBAdminE8226513",
    ] {
        assert!(depends.contains(&id), "{id} not in {depends:?}");
    }

    // The load balancer admits the listener ports only; the service admits
    // the load balancer on each target port, which may reach only those.
    assert_eq!(
        ingress_ports(r, "ApiLBSecurityGroup70AC4E5C"),
        [json!(80), json!(8081)]
    );
    for (id, port) in [
        (
            "ApiServiceSecurityGroupfromWebApiLBSecurityGroup1257927780803BA2588A",
            8080,
        ),
        (
            "ApiServiceSecurityGroupfromWebApiLBSecurityGroup12579277900025E65114",
            9000,
        ),
        (
            "ApiServiceSecurityGroupfromWebApiLBSecurityGroup125792779100E1228979",
            9100,
        ),
    ] {
        let rule = &r[id]["Properties"];
        assert_eq!(rule["FromPort"], json!(port), "{id}");
        assert_eq!(rule["ToPort"], json!(port), "{id}");
        assert_eq!(
            rule["SourceSecurityGroupId"],
            json!({"Fn::GetAtt": ["ApiLBSecurityGroup70AC4E5C", "GroupId"]})
        );
    }
    assert_eq!(
        r["ApiLBSecurityGrouptoWebApiServiceSecurityGroup6630A48390003B63D15A"]["Properties"]["ToPort"],
        json!(9000)
    );
    let ingress_rules = r
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("ApiServiceSecurityGroupfrom"))
        .count();
    assert_eq!(ingress_rules, 3);
}

#[test]
fn an_https_extra_listener_carries_its_certificate_and_opens_its_port() {
    const CERT: &str = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
    let (mut stack, vpc) = stack_with_vpc();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let container = Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
    .port(PortMapping::tcp(8080))
    .port(PortMapping::tcp(9000));
    ApplicationLoadBalancedFargateService::builder("Api", &cluster, container)
        .certificate_arn(CERT)
        .listener(ExtraListener::https("Partners", CERT).port(8443))
        .target(ExtraTarget::port(9000).listener("Partners"))
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    // Api/LB/Partners/Resource
    let listener = &r["ApiLBPartners3598A065"]["Properties"];
    assert_eq!(listener["Protocol"], json!("HTTPS"));
    assert_eq!(listener["Port"], json!(8443));
    assert_eq!(listener["Certificates"], json!([{"CertificateArn": CERT}]));
    assert_eq!(
        listener["SslPolicy"],
        json!("ELBSecurityPolicy-TLS13-1-2-2021-06")
    );
    // 443, the redirect's 80, and 8443.
    assert_eq!(
        ingress_ports(r, "ApiLBSecurityGroup70AC4E5C"),
        [json!(443), json!(80), json!(8443)]
    );
}

#[test]
fn an_ec2_service_in_bridge_mode_registers_extra_instance_targets() {
    let (mut stack, vpc) = stack_with_vpc();
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
    let container = Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
    .memory_limit_mib(256)
    .port(PortMapping::tcp(8080))
    .port(PortMapping::tcp(9000));
    let api = ApplicationLoadBalancedEc2Service::builder("Api", &cluster, container)
        .capacity_provider_strategy([provider.strategy()])
        .target(ExtraTarget::port(9000).priority(5).path_pattern("/api/*"))
        .build(&mut stack)
        .unwrap();
    assert_eq!(api.extra_target_groups().len(), 1);
    let t = synth(stack);
    let r = &t["Resources"];
    let group = &r["ApiLBPublicListenerECSTargetGroupweb9000GroupC73259FA"]["Properties"];
    assert_eq!(group["TargetType"], json!("instance"));
    assert_eq!(group["HealthCheckPort"], json!("traffic-port"));
    assert_eq!(
        r["ApiLBPublicListenerECSTargetGroupweb9000Rule26DC431D"]["Properties"]["Priority"],
        json!(5)
    );
    assert_eq!(
        r["ApiServiceD5B4A50A"]["Properties"]["LoadBalancers"][1]["ContainerPort"],
        json!(9000)
    );
    // Both ports are dynamic host ports: one ephemeral-range rule on the
    // instances serves both target groups.
    let from_lb: Vec<&String> = r
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("AsgInstanceSecurityGroupfromWebApiLBSecurityGroup"))
        .collect();
    assert_eq!(from_lb.len(), 1, "{from_lb:?}");
    assert_eq!(r[from_lb[0]]["Properties"]["FromPort"], json!(32768));
}
