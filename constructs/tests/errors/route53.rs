//! Bad inputs of Route 53 records: rejected when the record is built, with
//! the record's construct path.
#![allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]

use super::*;
use std::time::Duration;

use ecscdk::Stack;
use ecscdk::ec2::Vpc;
use ecscdk::elbv2::ApplicationLoadBalancer;
use ecscdk::route53::{ARecord, CnameRecord, HostedZone, RecordTarget};

fn zone() -> HostedZone {
    HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example.com")
}

#[test]
fn rejects_record_outside_its_zone() {
    let mut stack = Stack::new("Web");
    let err = ARecord::builder("Www", &zone(), RecordTarget::ip_addresses(["192.0.2.1"]))
        .record_name("www.example.org.")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Www", "record_name");
    insta::assert_snapshot!(err, @r#"[Web/Www] record_name: "www.example.org." is outside the hosted zone "example.com"; name a record inside the zone, or use the zone of that domain"#);
}

#[test]
fn rejects_hosted_zone_id_with_its_prefix() {
    let mut stack = Stack::new("Web");
    let zone = HostedZone::from_attributes("/hostedzone/Z0123456789ABCDEFGHIJ", "example.com");
    let err = ARecord::builder("Www", &zone, RecordTarget::ip_addresses(["192.0.2.1"]))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Www", "hosted_zone_id");
    insta::assert_snapshot!(err, @r#"[Web/Www] hosted_zone_id: "/hostedzone/Z0123456789ABCDEFGHIJ" is not a hosted zone id; give the id Route 53 shows (e.g. `Z0123456789ABCDEFGHIJ`), without `/hostedzone/`"#);
}

#[test]
fn rejects_zone_name_that_is_not_a_domain_name() {
    let mut stack = Stack::new("Web");
    let zone = HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example..com");
    let err = ARecord::builder("Www", &zone, RecordTarget::ip_addresses(["192.0.2.1"]))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Www", "zone_name");
    insta::assert_snapshot!(err, @r#"[Web/Www] zone_name: "example..com" is not a domain name: each dot-separated label has 1 to 63 letters, digits, `-` or `_`"#);
}

#[test]
fn rejects_ttl_on_an_alias() {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .build(&mut stack)
        .unwrap();
    let err = ARecord::builder("Www", &zone(), RecordTarget::load_balancer(&lb))
        .ttl(Duration::from_secs(60))
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Www", "ttl");
    insta::assert_snapshot!(err, @r#"[Web/Www] `ttl` cannot be used on an alias record: an alias record takes its target's TTL; drop `.ttl(..)`"#);
}

#[test]
fn rejects_record_without_addresses() {
    let mut stack = Stack::new("Web");
    let err = ARecord::builder(
        "Www",
        &zone(),
        RecordTarget::ip_addresses(Vec::<String>::new()),
    )
    .build(&mut stack)
    .unwrap_err();
    assert_invalid(&err, "Web/Www", "target");
    insta::assert_snapshot!(err, @r#"[Web/Www] target: no IP address; give at least one"#);
}

#[test]
fn rejects_cname_at_the_zone_apex() {
    let mut stack = Stack::new("Web");
    let err = CnameRecord::builder("Apex", &zone(), "elsewhere.example.org")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Apex", "record_name");
    insta::assert_snapshot!(err, @r#"[Web/Apex] record_name: "example.com." is the zone's apex, where DNS allows no CNAME; name a record below it, or use an alias `ARecord`"#);
}
