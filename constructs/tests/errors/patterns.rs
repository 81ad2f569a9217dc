//! Bad inputs of the load-balanced service patterns: rejected when the
//! pattern is built, with the construct path of the part that fails.
#![allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]

use super::*;
use ecscdk::ecs::{Cluster, Container, ContainerBuilder, ContainerImage, PortMapping};
use ecscdk::elbv2::HealthCheck;
use ecscdk::patterns::{ApplicationLoadBalancedFargateService, NetworkLoadBalancedFargateService};

fn app() -> ContainerBuilder {
    Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
    .port(PortMapping::tcp(8080))
}

#[test]
fn rejects_cluster_without_vpc() {
    let mut stack = web_stack();
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let err = ApplicationLoadBalancedFargateService::builder("Api", &cluster, app())
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Api", "cluster VPC");
    insta::assert_snapshot!(err, @r#"[Web/Api] `cluster VPC` is required: give the cluster a VPC with `Cluster::builder(..).vpc(&vpc)`: the load balancer is placed in it"#);
}

#[test]
fn rejects_container_without_port() {
    let mut stack = web_stack();
    let cluster = cluster_in_vpc(&mut stack);
    let container = Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    );
    let err = ApplicationLoadBalancedFargateService::builder("Api", &cluster, container)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Api", "container port");
    insta::assert_snapshot!(err, @r#"[Web/Api] `container port` is required: map the port the load balancer sends traffic to: `.port(PortMapping::tcp(80))` on the container"#);
}

#[test]
fn rejects_https_redirect_without_certificate() {
    let mut stack = web_stack();
    let cluster = cluster_in_vpc(&mut stack);
    let err = ApplicationLoadBalancedFargateService::builder("Api", &cluster, app())
        .redirect_http(true)
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Api", "redirect_http");
    insta::assert_snapshot!(err, @r#"[Web/Api] `redirect_http` cannot be used without a certificate: a redirect to HTTPS needs an HTTPS listener: add `.certificate_arn(..)`"#);
}

#[test]
fn rejects_min_healthy_percent_above_max_percent() {
    let mut stack = web_stack();
    let cluster = cluster_in_vpc(&mut stack);
    let err = ApplicationLoadBalancedFargateService::builder("Api", &cluster, app())
        .min_healthy_percent(100)
        .max_percent(90)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Api/Service", "min_healthy_percent");
    insta::assert_snapshot!(err, @r#"[Web/Api/Service] min_healthy_percent: minimum healthy 100% is above the maximum 90%; a deployment could never start a task"#);
}

#[test]
fn rejects_http_health_check_path_on_network_load_balanced_service() {
    let mut stack = web_stack();
    let cluster = cluster_in_vpc(&mut stack);
    let err = NetworkLoadBalancedFargateService::builder("Api", &cluster, app())
        .health_check(HealthCheck::tcp().success_codes("200"))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Api/LB/PublicListener/ECSGroup", "health_check");
    insta::assert_snapshot!(err, @r#"[Web/Api/LB/PublicListener/ECSGroup] health_check: a path or success codes need an HTTP or HTTPS check; use `HealthCheck::http(path)`"#);
}
