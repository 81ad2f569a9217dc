//! Bad inputs of ACM certificates: rejected when the certificate is built,
//! with its construct path.
#![allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]

use super::*;
use ecscdk::Stack;
use ecscdk::certificatemanager::{Certificate, CertificateValidation};
use ecscdk::route53::HostedZone;

fn dns() -> CertificateValidation {
    CertificateValidation::dns(&HostedZone::from_attributes(
        "Z0123456789ABCDEFGHIJ",
        "example.com",
    ))
}

#[test]
fn rejects_domain_name_over_64_characters() {
    let mut stack = Stack::new("Web");
    let long = format!("{}.example.com", "a".repeat(60));
    let err = Certificate::builder("Cert", long, dns())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Cert", "domain_name");
    insta::assert_snapshot!(err, @r#"[Web/Cert] domain_name: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com" has 72 characters; ACM takes at most 64 in the domain name: use a shorter one (or a wildcard) and put this one in `.alternative_name(..)`"#);
}

#[test]
fn rejects_name_outside_the_validating_zone() {
    let mut stack = Stack::new("Web");
    let err = Certificate::builder("Cert", "www.example.com", dns())
        .alternative_name("www.example.org")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Cert", "validation");
    insta::assert_snapshot!(err, @r#"[Web/Cert] validation: "www.example.org" is outside the hosted zone "example.com", so its validation record cannot go there; use the zone of that domain or `CertificateValidation::DnsManual`"#);
}

#[test]
fn rejects_name_that_is_not_a_domain_name() {
    let mut stack = Stack::new("Web");
    let err = Certificate::builder("Cert", "www example.com", dns())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Cert", "domain_name");
    insta::assert_snapshot!(err, @r#"[Web/Cert] domain_name: "www example.com" is not a domain name: each dot-separated label has 1 to 63 letters, digits, `-` or `_` (a leftmost `*` is a wildcard)"#);
}

#[test]
fn rejects_wildcard_below_the_leftmost_label() {
    let mut stack = Stack::new("Web");
    let err = Certificate::builder("Cert", "www.*.example.com", dns())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Cert", "domain_name");
    insta::assert_snapshot!(err, @r#"[Web/Cert] domain_name: "www.*.example.com" is not a domain name: each dot-separated label has 1 to 63 letters, digits, `-` or `_` (a leftmost `*` is a wildcard)"#);
}
