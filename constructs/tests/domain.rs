//! Domains: Route 53 records, ACM certificates and the load-balanced
//! patterns' `domain_name` + `domain_zone` (alias record `DNS`, DNS-validated
//! `Certificate`, HTTPS with the HTTP redirect). Expected logical IDs were
//! computed independently (python3 hashlib MD5 of the path below the stack),
//! and the rendered certificates and records match what aws-cdk-lib 2.276
//! synthesizes for the same constructs (`tests/cdk-oracle/domain.js`), but
//! for the network load balancer's alias (no `dualstack.`, aws/aws-cdk#16987).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::certificatemanager::{Certificate, CertificateValidation, KeyAlgorithm};
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage, PortMapping,
};
use ecscdk::patterns::{
    ApplicationLoadBalancedEc2Service, ApplicationLoadBalancedFargateService, DomainRecord,
    NetworkLoadBalancedFargateService,
};
use ecscdk::prelude::*;
use ecscdk::route53::{ARecord, HostedZone, RecordTarget};
use serde_json::{Value as Json, json};

#[path = "common/template.rs"]
mod template;
use template::synth;

const ZONE_ID: &str = "Z0123456789ABCDEFGHIJ";

fn zone() -> HostedZone {
    HostedZone::from_attributes(ZONE_ID, "example.com")
}

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

fn of_type<'a>(t: &'a Json, ty: &str) -> Vec<&'a String> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn a_domain_creates_a_dns_validated_certificate_an_alias_and_https() {
    let (mut stack, cluster) = stack_with_cluster();
    let api = ApplicationLoadBalancedFargateService::builder("Api", &cluster, container())
        .domain_name("api.example.com")
        .domain_zone(&zone())
        .build(&mut stack)
        .unwrap();
    assert!(api.certificate().is_some());
    assert!(api.dns_record().is_some());
    let t = synth(stack);
    let r = &t["Resources"];
    assert_eq!(
        r["ApiCertificate285C31EB"]["Type"],
        "AWS::CertificateManager::Certificate"
    );
    assert_eq!(
        r["ApiCertificate285C31EB"]["Properties"],
        json!({
                "DomainName": "api.example.com",
                "DomainValidationOptions": [{"DomainName": "api.example.com", "HostedZoneId": ZONE_ID}],
                "Tags": [{"Key": "Name", "Value": "Web/Api/Certificate"}],
                "ValidationMethod": "DNS"
        })
    );
    assert_eq!(r["ApiDNS1346A6DA"]["Type"], "AWS::Route53::RecordSet");
    assert_eq!(
        r["ApiDNS1346A6DA"]["Properties"],
        json!({
                "AliasTarget": {
                    "DNSName": {"Fn::Join": ["", ["dualstack.", {"Fn::GetAtt": ["ApiLB8D4BD609", "DNSName"]}]]},
                    "HostedZoneId": {"Fn::GetAtt": ["ApiLB8D4BD609", "CanonicalHostedZoneID"]}
                },
                "HostedZoneId": ZONE_ID,
                "Name": "api.example.com.",
                "Type": "A"
        })
    );
    let listener = &r["ApiLBPublicListener5142AAA5"]["Properties"];
    assert_eq!(listener["Port"], 443);
    assert_eq!(listener["Protocol"], "HTTPS");
    assert_eq!(
        listener["Certificates"],
        json!([{"CertificateArn": {"Ref": "ApiCertificate285C31EB"}}])
    );
    assert_eq!(
        r["ApiLBPublicRedirectListener3C78F486"]["Properties"]["DefaultActions"][0]["RedirectConfig"],
        json!({"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"})
    );
    assert_eq!(
        t["Outputs"]["ApiServiceURL135D4FCA"]["Value"],
        json!({"Fn::Join": ["", ["https://", {"Ref": "ApiDNS1346A6DA"}]]})
    );
    assert_eq!(of_type(&t, "AWS::CertificateManager::Certificate").len(), 1);
    assert_eq!(of_type(&t, "AWS::Route53::RecordSet").len(), 1);
}

#[test]
fn a_given_certificate_is_used_and_none_created() {
    let (mut stack, cluster) = stack_with_cluster();
    let cert = Certificate::builder("Cert", "*.example.com", CertificateValidation::dns(&zone()))
        .alternative_name("example.com")
        .build(&mut stack)
        .unwrap();
    let api = ApplicationLoadBalancedFargateService::builder("Api", &cluster, container())
        .certificate(&cert)
        .domain_name("api.example.com.")
        .domain_zone(&zone())
        .build(&mut stack)
        .unwrap();
    assert!(api.certificate().is_none());
    let t = synth(stack);
    assert_eq!(
        of_type(&t, "AWS::CertificateManager::Certificate"),
        ["Cert5C9FAEC1"]
    );
    assert_eq!(
        t["Resources"]["ApiLBPublicListener5142AAA5"]["Properties"]["Certificates"],
        json!([{"CertificateArn": {"Ref": "Cert5C9FAEC1"}}])
    );
    assert_eq!(
        t["Resources"]["ApiDNS1346A6DA"]["Properties"]["Name"],
        "api.example.com."
    );
}

#[test]
fn a_network_service_gets_a_plain_alias_and_no_certificate() {
    let (mut stack, cluster) = stack_with_cluster();
    NetworkLoadBalancedFargateService::builder("Tcp", &cluster, container())
        .domain_name("tcp.example.com")
        .domain_zone(&zone())
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    assert!(of_type(&t, "AWS::CertificateManager::Certificate").is_empty());
    assert_eq!(
        t["Resources"]["TcpDNS25FA4DBD"]["Properties"]["AliasTarget"],
        json!({
            "DNSName": {"Fn::GetAtt": ["TcpLBA5693449", "DNSName"]},
            "HostedZoneId": {"Fn::GetAtt": ["TcpLBA5693449", "CanonicalHostedZoneID"]}
        })
    );
}

#[test]
fn a_wildcard_certificate_validates_once_with_its_apex() {
    let mut stack = Stack::new("Web");
    Certificate::builder("Cert", "*.example.com", CertificateValidation::dns(&zone()))
        .alternative_name("example.com")
        .key_algorithm(KeyAlgorithm::EcPrime256v1)
        .transparency_logging(true)
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    assert_eq!(
        t["Resources"]["Cert5C9FAEC1"]["Properties"],
        json!({
            "CertificateTransparencyLoggingPreference": "ENABLED",
            "DomainName": "*.example.com",
            "DomainValidationOptions": [{"DomainName": "example.com", "HostedZoneId": ZONE_ID}],
            "KeyAlgorithm": "EC_prime256v1",
            "SubjectAlternativeNames": ["example.com"],
            "Tags": [{"Key": "Name", "Value": "Web/Cert"}],
            "ValidationMethod": "DNS"
        })
    );
}

#[test]
fn an_address_record_is_relative_to_its_zone_with_a_half_hour_ttl() {
    let mut stack = Stack::new("Web");
    let record = ARecord::builder("Www", &zone(), RecordTarget::ip_addresses(["192.0.2.10"]))
        .record_name("www")
        .build(&mut stack)
        .unwrap();
    stack.output("Domain", record.domain_name()).unwrap();
    let t = synth(stack);
    assert_eq!(
        t["Resources"]["Www4AF92A2E"]["Properties"],
        json!({
            "HostedZoneId": ZONE_ID,
            "Name": "www.example.com.",
            "ResourceRecords": ["192.0.2.10"],
            "TTL": "1800",
            "Type": "A"
        })
    );
    assert_eq!(
        t["Outputs"]["Domain"]["Value"],
        json!({"Ref": "Www4AF92A2E"})
    );
}

#[test]
fn an_ec2_service_gets_the_same_domain_children() {
    let (mut stack, cluster) = stack_with_cluster();
    let vpc = cluster.vpc().unwrap().clone();
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
    ApplicationLoadBalancedEc2Service::builder("Api", &cluster, container().memory_limit_mib(256))
        .capacity_provider_strategy([provider.strategy()])
        .domain_name("api.example.com")
        .domain_zone(&zone())
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    assert_eq!(
        r["ApiCertificate285C31EB"]["Properties"]["DomainName"],
        "api.example.com"
    );
    assert_eq!(
        r["ApiDNS1346A6DA"]["Properties"]["Name"],
        "api.example.com."
    );
    assert_eq!(
        r["ApiLBPublicListener5142AAA5"]["Properties"]["Certificates"],
        json!([{"CertificateArn": {"Ref": "ApiCertificate285C31EB"}}])
    );
    assert_eq!(
        r["ApiLBPublicRedirectListener3C78F486"]["Properties"]["Port"],
        80
    );
}

#[test]
fn a_cname_or_no_record_publishes_the_domain_as_the_cdk_record_types() {
    let (mut stack, cluster) = stack_with_cluster();
    ApplicationLoadBalancedFargateService::builder("Api", &cluster, container())
        .domain_name("api.example.com")
        .domain_zone(&zone())
        .domain_record(DomainRecord::Cname)
        .build(&mut stack)
        .unwrap();
    ApplicationLoadBalancedFargateService::builder("Quiet", &cluster, container())
        .domain_name("quiet.example.com")
        .domain_zone(&zone())
        .domain_record(DomainRecord::NoRecord)
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    assert_eq!(
        r["ApiDNS1346A6DA"]["Properties"],
        json!({
            "HostedZoneId": ZONE_ID,
            "Name": "api.example.com.",
            "ResourceRecords": [{"Fn::GetAtt": ["ApiLB8D4BD609", "DNSName"]}],
            "TTL": "1800",
            "Type": "CNAME"
        })
    );
    assert_eq!(
        r["QuietCertificate6A12EB3F"]["Properties"]["DomainName"],
        "quiet.example.com"
    );
    assert_eq!(of_type(&t, "AWS::Route53::RecordSet"), ["ApiDNS1346A6DA"]);
    assert_eq!(
        t["Outputs"]["ApiServiceURL135D4FCA"]["Value"],
        json!({"Fn::Join": ["", ["https://", {"Ref": "ApiDNS1346A6DA"}]]})
    );
    assert_eq!(
        t["Outputs"]["QuietServiceURLA76C5E1A"]["Value"],
        json!({"Fn::Join": ["", ["https://", {"Fn::GetAtt": ["QuietLB07C9A140", "DNSName"]}]]})
    );
}
