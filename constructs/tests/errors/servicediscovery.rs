//! Bad inputs of the `servicediscovery` module: each rejected by the
//! builder that receives it, with the construct path.
#![allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]

use std::time::Duration;

use ecscdk::servicediscovery::{
    DiscoveryService, DiscoveryServiceBuilder, DiscoveryType, DnsRecordType, HttpNamespace,
    PrivateDnsNamespace, RoutingPolicy,
};

use super::*;

/// Builds a service in a private DNS namespace (`dns`) or an HTTP one, and
/// returns the error.
fn service_error(
    http: bool,
    f: impl FnOnce(DiscoveryServiceBuilder) -> DiscoveryServiceBuilder,
) -> Error {
    let mut stack = Stack::new("Web");
    let builder = if http {
        let ns = HttpNamespace::builder("Mesh", "mesh")
            .build(&mut stack)
            .unwrap();
        DiscoveryService::builder("Api", ns)
    } else {
        let ns = PrivateDnsNamespace::builder("Namespace", "internal.example.com", "vpc-0123abcd")
            .build(&mut stack)
            .unwrap();
        DiscoveryService::builder("Api", ns)
    };
    f(builder).build(&mut stack).unwrap_err()
}

#[test]
fn rejects_private_namespace_name_that_is_not_a_domain_name() {
    let mut stack = Stack::new("Web");
    let err = PrivateDnsNamespace::builder("Namespace", "internal..example", "vpc-0123abcd")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Namespace", "name");
    insta::assert_snapshot!(err, @r#"[Web/Namespace] name: "internal..example" is not a domain name; write labels of letters, digits, `-` or `_` (1 to 63 each, not starting or ending with `-`) joined by dots, at most 253 characters, e.g. internal.example.com"#);
}

#[test]
fn rejects_private_namespace_description_over_1024_characters() {
    let mut stack = Stack::new("Web");
    let err = PrivateDnsNamespace::builder("Namespace", "internal.example.com", "vpc-0123abcd")
        .description("d".repeat(1025))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Namespace", "description");
    insta::assert_snapshot!(err, @"[Web/Namespace] description: a description has at most 1024 characters, not 1025; shorten it");
}

#[test]
fn rejects_http_namespace_name_with_a_space() {
    let mut stack = Stack::new("Web");
    let err = HttpNamespace::builder("Mesh", "my mesh")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Mesh", "name");
    insta::assert_snapshot!(err, @r#"[Web/Mesh] name: HTTP namespace name "my mesh" must have 1 to 1024 visible ASCII characters (no spaces)"#);
}

#[test]
fn rejects_http_namespace_description_over_1024_characters() {
    let mut stack = Stack::new("Web");
    let err = HttpNamespace::builder("Mesh", "mesh")
        .description("d".repeat(1025))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Mesh", "description");
    insta::assert_snapshot!(err, @"[Web/Mesh] description: a description has at most 1024 characters, not 1025; shorten it");
}

#[test]
fn rejects_dns_discovery_in_an_http_namespace() {
    let err = service_error(true, |b| b.discovery_type(DiscoveryType::DnsAndApi));
    assert_conflict(&err, "Web/Api", "discovery_type", "namespace");
    insta::assert_snapshot!(err, @"[Web/Api] `discovery_type` conflicts with `namespace`: an HTTP namespace has no DNS; use DiscoveryType::Api or a private DNS namespace");
}

#[test]
fn rejects_dns_records_in_an_http_namespace() {
    let err = service_error(true, |b| b.dns_record_type(DnsRecordType::Srv));
    assert_conflict(&err, "Web/Api", "dns_record_type", "namespace");
    insta::assert_snapshot!(err, @"[Web/Api] `dns_record_type` conflicts with `namespace`: an HTTP namespace has no DNS records; remove the DNS settings or use a private DNS namespace");
}

#[test]
fn rejects_dns_ttl_with_api_only_discovery() {
    let err = service_error(false, |b| {
        b.discovery_type(DiscoveryType::Api)
            .dns_ttl(Duration::from_secs(10))
    });
    assert_conflict(&err, "Web/Api", "dns_ttl", "discovery_type");
    insta::assert_snapshot!(err, @"[Web/Api] `dns_ttl` conflicts with `discovery_type`: a service discovered through the API only has no DNS records; remove the DNS settings or use DiscoveryType::DnsAndApi");
}

#[test]
fn rejects_cname_records_with_multivalue_routing() {
    let err = service_error(false, |b| {
        b.dns_record_type(DnsRecordType::Cname)
            .routing_policy(RoutingPolicy::Multivalue)
    });
    assert_conflict(&err, "Web/Api", "dns_record_type", "routing_policy");
    insta::assert_snapshot!(err, @"[Web/Api] `dns_record_type` conflicts with `routing_policy`: CNAME records need weighted routing; use RoutingPolicy::Weighted or another record type");
}

#[test]
fn rejects_service_name_cloud_map_refuses() {
    let err = service_error(false, |b| b.name("-api"));
    assert_invalid(&err, "Web/Api", "name");
    insta::assert_snapshot!(err, @r#"[Web/Api] name: service name "-api" is not one Cloud Map accepts; write dot-separated labels of letters, digits, `-` or `_` (1 to 63 each, not starting or ending with `-`), at most 127 characters"#);
}

#[test]
fn rejects_service_description_over_1024_characters() {
    let err = service_error(false, |b| b.description("d".repeat(1025)));
    assert_invalid(&err, "Web/Api", "description");
    insta::assert_snapshot!(err, @"[Web/Api] description: a description has at most 1024 characters, not 1025; shorten it");
}

#[test]
fn rejects_dns_ttl_not_in_whole_seconds() {
    let err = service_error(false, |b| b.dns_ttl(Duration::from_millis(1500)));
    assert_invalid(&err, "Web/Api", "dns_ttl");
    insta::assert_snapshot!(err, @"[Web/Api] dns_ttl: TTL 1.5s is not a whole number of seconds up to 2147483647; round it to seconds");
}

#[test]
fn rejects_custom_health_check_failure_threshold_above_10() {
    let err = service_error(false, |b| b.custom_health_check(11));
    assert_invalid(&err, "Web/Api", "custom_health_check");
    insta::assert_snapshot!(err, @"[Web/Api] custom_health_check: failure threshold 11 is outside 1 to 10; Cloud Map uses 1, so pass 1");
}
