//! Bad domain settings of the load-balanced service patterns: rejected when
//! the pattern is built, with the pattern's construct path.
#![allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]

use super::*;
use ecscdk::certificatemanager::{Certificate, CertificateValidation};
use ecscdk::ecs::{Container, ContainerBuilder, ContainerImage, PortMapping};
use ecscdk::patterns::{ApplicationLoadBalancedFargateService, NetworkLoadBalancedFargateService};
use ecscdk::route53::HostedZone;

fn app() -> ContainerBuilder {
    Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
    .port(PortMapping::tcp(8080))
}

fn zone() -> HostedZone {
    HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example.com")
}

#[test]
fn rejects_domain_name_without_zone() {
    let (mut stack, cluster) = web_cluster();
    let err = ApplicationLoadBalancedFargateService::builder("Api", &cluster, app())
        .domain_name("api.example.com")
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Api", "domain_zone");
    insta::assert_snapshot!(err, @r#"[Web/Api] `domain_zone` is required: give the hosted zone the record goes in: `.domain_zone(&HostedZone::from_attributes(id, name))`"#);
}

#[test]
fn rejects_domain_zone_without_name() {
    let (mut stack, cluster) = web_cluster();
    let err = NetworkLoadBalancedFargateService::builder("Tcp", &cluster, app())
        .domain_zone(&zone())
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/Tcp", "domain_name");
    insta::assert_snapshot!(err, @r#"[Web/Tcp] `domain_name` is required: name the service inside the zone, e.g. `.domain_name("www.example.com")`, or drop `.domain_zone(..)`"#);
}

#[test]
fn rejects_domain_name_outside_its_zone() {
    let (mut stack, cluster) = web_cluster();
    let err = ApplicationLoadBalancedFargateService::builder("Api", &cluster, app())
        .domain_name("api.notexample.com")
        .domain_zone(&zone())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Api", "domain_name");
    insta::assert_snapshot!(err, @r#"[Web/Api] domain_name: "api.notexample.com" is outside the hosted zone "example.com"; name the service inside the zone, or give the zone of that domain"#);
}

#[test]
fn rejects_certificate_not_valid_for_the_domain() {
    let (mut stack, cluster) = web_cluster();
    let cert = Certificate::builder(
        "Cert",
        "www.example.com",
        CertificateValidation::dns(&zone()),
    )
    .build(&mut stack)
    .unwrap();
    let err = ApplicationLoadBalancedFargateService::builder("Api", &cluster, app())
        .certificate(&cert)
        .domain_name("api.example.com")
        .domain_zone(&zone())
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(&err, "Web/Api", "certificate", "domain_name");
    insta::assert_snapshot!(err, @r#"[Web/Api] `certificate` conflicts with `domain_name`: no given certificate is valid for the domain name: add the name (or a wildcard) to a certificate, or drop `.certificate(..)` to have one created"#);
}

#[test]
fn rejects_domain_too_long_for_a_created_certificate() {
    let (mut stack, cluster) = web_cluster();
    let long = format!("{}.example.com", "a".repeat(60));
    let err = ApplicationLoadBalancedFargateService::builder("Api", &cluster, app())
        .domain_name(long)
        .domain_zone(&zone())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Api", "domain_name");
    insta::assert_snapshot!(err, @r#"[Web/Api] domain_name: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com" has 72 characters, over the 64 ACM takes in a certificate's domain name; build a certificate for a shorter name that covers it (e.g. a wildcard of its parent domain) and pass it with `.certificate(..)`"#);
}
