//! Bad inputs of the `elbv2` module: rejected when the load balancer,
//! listener, rule or target group is built, with the construct path and the
//! fix.
#![allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]

use super::*;
use std::time::Duration;

use ecscdk::ec2::{SubnetConfiguration, SubnetType, Vpc};
use ecscdk::elbv2::{
    ApplicationLoadBalancer, HealthCheck, Listener, ListenerAction, ListenerProtocol, ListenerRule,
    LoadBalancer, LoadBalancerBuilder, NetworkLoadBalancer, TargetGroup, TargetGroupBuilder,
};
use ecscdk::{Error, Stack};

fn lb_error(f: impl FnOnce(&Vpc) -> LoadBalancerBuilder) -> Error {
    let mut stack = web_stack();
    let vpc = two_zone_vpc(&mut stack);
    f(&vpc).build(&mut stack).unwrap_err()
}

/// A stack with a VPC, an application and a network load balancer.
fn lbs() -> (Stack, Vpc, LoadBalancer, LoadBalancer) {
    let mut stack = web_stack();
    let vpc = two_zone_vpc(&mut stack);
    let alb = ApplicationLoadBalancer::builder("LB", &vpc)
        .build(&mut stack)
        .unwrap();
    let nlb = NetworkLoadBalancer::builder("NLB", &vpc)
        .build(&mut stack)
        .unwrap();
    (stack, vpc, alb, nlb)
}

fn group_error(f: impl FnOnce(&Vpc) -> TargetGroupBuilder) -> Error {
    let mut stack = web_stack();
    let vpc = two_zone_vpc(&mut stack);
    f(&vpc).build(&mut stack).unwrap_err()
}

/// A rule of an HTTP listener of the application load balancer.
fn rule_error(f: impl FnOnce(&Listener) -> ecscdk::elbv2::ListenerRuleBuilder) -> Error {
    let (mut stack, _, alb, _) = lbs();
    let listener = Listener::http("Http", &alb).build(&mut stack).unwrap();
    f(&listener).build(&mut stack).unwrap_err()
}

fn not_found() -> ListenerAction {
    ListenerAction::fixed_response(404, Some("no such page"))
}

#[test]
fn rejects_load_balancer_name_over_32_characters() {
    let err = lb_error(|vpc| {
        ApplicationLoadBalancer::builder("LB", vpc).load_balancer_name("a".repeat(33))
    });
    assert_invalid(&err, "Web/LB", "load_balancer_name");
    insta::assert_snapshot!(err, @r#"[Web/LB] load_balancer_name: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is not a load balancer name: 1 to 32 letters, digits or hyphens, not starting or ending with `-` nor starting with `internal-`"#);
}

#[test]
fn rejects_load_balancer_name_starting_with_internal() {
    let err = lb_error(|vpc| {
        ApplicationLoadBalancer::builder("LB", vpc).load_balancer_name("internal-web")
    });
    assert_invalid(&err, "Web/LB", "load_balancer_name");
    insta::assert_snapshot!(err, @r#"[Web/LB] load_balancer_name: "internal-web" is not a load balancer name: 1 to 32 letters, digits or hyphens, not starting or ending with `-` nor starting with `internal-`"#);
}

#[test]
fn rejects_idle_timeout_over_4000_seconds() {
    let err = lb_error(|vpc| {
        ApplicationLoadBalancer::builder("LB", vpc).idle_timeout(Duration::from_secs(4001))
    });
    assert_invalid(&err, "Web/LB", "idle_timeout");
    insta::assert_snapshot!(err, @r#"[Web/LB] idle_timeout: 4001s is not a whole number of seconds from 1 to 4000"#);
}

#[test]
fn rejects_idle_timeout_on_network_load_balancer() {
    let err = lb_error(|vpc| {
        NetworkLoadBalancer::builder("LB", vpc).idle_timeout(Duration::from_secs(60))
    });
    assert_unsupported(&err, "Web/LB", "idle_timeout");
    insta::assert_snapshot!(err, @r#"[Web/LB] `idle_timeout` cannot be used on a network load balancer: network load balancers have a fixed TCP idle timeout; drop `idle_timeout`"#);
}

#[test]
fn rejects_cross_zone_on_application_load_balancer() {
    let err = lb_error(|vpc| ApplicationLoadBalancer::builder("LB", vpc).cross_zone(true));
    assert_unsupported(&err, "Web/LB", "cross_zone");
    insta::assert_snapshot!(err, @r#"[Web/LB] `cross_zone` cannot be used on an application load balancer: application load balancers always balance across zones; drop `cross_zone`"#);
}

#[test]
fn rejects_an_application_load_balancer_in_one_zone() {
    let mut stack = web_stack();
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a"])
        .build(&mut stack)
        .unwrap();
    let err = ApplicationLoadBalancer::builder("LB", &vpc)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/LB", "vpc_subnets");
    insta::assert_snapshot!(err, @"[Web/LB] vpc_subnets: an application load balancer needs subnets in at least two Availability Zones, and the selection spans one; give the VPC two zones (`max_azs(2)`) or select subnets in two");
}

#[test]
fn rejects_an_application_load_balanced_pattern_in_a_one_zone_vpc() {
    let mut stack = web_stack();
    let vpc = Vpc::builder("Vpc").max_azs(1).build(&mut stack).unwrap();
    let cluster = ecscdk::ecs::Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let err = ecscdk::patterns::ApplicationLoadBalancedFargateService::builder(
        "Api",
        &cluster,
        nginx("web").port(ecscdk::ecs::PortMapping::tcp(80)),
    )
    .build(&mut stack)
    .unwrap_err();
    assert_invalid(&err, "Web/Api/LB", "vpc_subnets");
}

#[test]
fn rejects_internal_load_balancer_in_a_vpc_without_private_subnets() {
    let mut stack = web_stack();
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .subnet_groups([SubnetConfiguration::default_for(SubnetType::Public)])
        .nat_gateways(0)
        .build(&mut stack)
        .unwrap();
    let err = ApplicationLoadBalancer::builder("LB", &vpc)
        .internet_facing(false)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/LB", "vpc_subnets");
    insta::assert_snapshot!(err, @r#"[Web/LB] vpc_subnets: no subnets to place the load balancer in: [Web/Vpc] subnet selection: the VPC has no `PrivateWithEgress` subnets (it has: `Public`); select another type, or add a subnet group of this type to the VPC"#);
}

#[test]
fn rejects_tcp_listener_on_application_load_balancer() {
    let (mut stack, _, alb, _) = lbs();
    let err = Listener::tcp("Tcp", &alb, 80)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Tcp", "protocol");
    insta::assert_snapshot!(err, @r#"[Web/LB/Tcp] protocol: an application load balancer has no TCP listeners; use HTTP or HTTPS"#);
}

#[test]
fn rejects_http_listener_on_network_load_balancer() {
    let (mut stack, _, _, nlb) = lbs();
    let err = Listener::http("Http", &nlb).build(&mut stack).unwrap_err();
    assert_invalid(&err, "Web/NLB/Http", "protocol");
    insta::assert_snapshot!(err, @r#"[Web/NLB/Http] protocol: a network load balancer has no HTTP listeners; use TCP, TLS or UDP"#);
}

#[test]
fn rejects_listener_port_zero() {
    let (mut stack, _, alb, _) = lbs();
    let err = Listener::builder("Http", &alb, ListenerProtocol::Http, 0)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Http", "port");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http] port: port 0 is not a port; use 1 to 65535"#);
}

#[test]
fn rejects_https_listener_without_certificate() {
    let (mut stack, _, alb, _) = lbs();
    let err = Listener::builder("Https", &alb, ListenerProtocol::Https, 443)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/LB/Https", "certificate");
    insta::assert_snapshot!(err, @r#"[Web/LB/Https] `certificate` is required: an HTTPS or TLS listener needs an ACM certificate: `.certificate_arn(..)`"#);
}

#[test]
fn rejects_certificate_on_http_listener() {
    let (mut stack, _, alb, _) = lbs();
    let err = Listener::http("Http", &alb)
        .certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/abc")
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/LB/Http", "certificate_arn");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http] `certificate_arn` cannot be used with a plain-text protocol: use HTTPS or TLS, or drop the certificate"#);
}

#[test]
fn rejects_ssl_policy_on_tcp_listener() {
    let (mut stack, vpc, _, nlb) = lbs();
    let err = Listener::tcp("Tcp", &nlb, 80)
        .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06")
        .target_group(TargetGroup::tcp("Group", &vpc, 80))
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/NLB/Tcp", "ssl_policy");
    insta::assert_snapshot!(err, @r#"[Web/NLB/Tcp] `ssl_policy` cannot be used with a plain-text protocol: use HTTPS or TLS, or drop the policy"#);
}

#[test]
fn rejects_network_listener_without_default_action() {
    let (mut stack, _, _, nlb) = lbs();
    let err = Listener::tcp("Tcp", &nlb, 80)
        .build(&mut stack)
        .unwrap_err();
    assert_missing(&err, "Web/NLB/Tcp", "default action");
    insta::assert_snapshot!(err, @r#"[Web/NLB/Tcp] `default action` is required: give a network listener `.target_group(..)` or `.default_action(..)`"#);
}

#[test]
fn rejects_default_action_and_target_group_together() {
    let (mut stack, vpc, alb, _) = lbs();
    let err = Listener::http("Http", &alb)
        .default_action(not_found())
        .target_group(TargetGroup::http("Group", &vpc, 80))
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(&err, "Web/LB/Http", "default_action", "target_group");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http] `default_action` conflicts with `target_group`: the target group becomes the default action; drop one of them"#);
}

#[test]
fn rejects_application_listener_forwarding_to_a_tcp_group() {
    let (mut stack, vpc, alb, _) = lbs();
    let err = Listener::http("Http", &alb)
        .target_group(TargetGroup::tcp("Group", &vpc, 80))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Http", "default_action");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http] default_action: an application load balancer forwards only to HTTP or HTTPS target groups"#);
}

#[test]
fn rejects_network_listener_redirecting() {
    let (mut stack, _, _, nlb) = lbs();
    let err = Listener::tcp("Tcp", &nlb, 80)
        .default_action(ListenerAction::redirect_to_https())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/NLB/Tcp", "default_action");
    insta::assert_snapshot!(err, @r#"[Web/NLB/Tcp] default_action: a network load balancer only forwards, to TCP, TLS or UDP target groups"#);
}

#[test]
fn rejects_fixed_response_with_a_3xx_status() {
    let (mut stack, _, alb, _) = lbs();
    let err = Listener::http("Http", &alb)
        .default_action(ListenerAction::fixed_response(301, None))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Http", "default_action");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http] default_action: fixed response status 301 is not a 2XX, 4XX or 5XX code"#);
}

#[test]
fn rejects_fixed_response_body_over_1024_characters() {
    let (mut stack, _, alb, _) = lbs();
    let err = Listener::http("Http", &alb)
        .default_action(ListenerAction::fixed_response(503, Some(&"x".repeat(1025))))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Http", "default_action");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http] default_action: a fixed response body has at most 1024 characters"#);
}

#[test]
fn rejects_target_group_port_zero() {
    let err = group_error(|vpc| TargetGroup::http("Group", vpc, 0));
    assert_invalid(&err, "Web/Group", "port");
    insta::assert_snapshot!(err, @r#"[Web/Group] port: port 0 is not a port; use 1 to 65535"#);
}

#[test]
fn rejects_target_group_name_over_32_characters() {
    let err =
        group_error(|vpc| TargetGroup::http("Group", vpc, 80).target_group_name("g".repeat(33)));
    assert_invalid(&err, "Web/Group", "target_group_name");
    insta::assert_snapshot!(err, @r#"[Web/Group] target_group_name: "ggggggggggggggggggggggggggggggggg" is not a target group name: 1 to 32 letters, digits or hyphens, not starting or ending with `-`"#);
}

#[test]
fn rejects_deregistration_delay_over_an_hour() {
    let err = group_error(|vpc| {
        TargetGroup::http("Group", vpc, 80).deregistration_delay(Duration::from_secs(3601))
    });
    assert_invalid(&err, "Web/Group", "deregistration_delay");
    insta::assert_snapshot!(err, @r#"[Web/Group] deregistration_delay: 3601s is not a whole number of seconds from 0 to 3600"#);
}

#[test]
fn rejects_client_ip_preservation_on_an_http_group() {
    let err = group_error(|vpc| TargetGroup::http("Group", vpc, 80).preserve_client_ip(true));
    assert_unsupported(&err, "Web/Group", "preserve_client_ip");
    insta::assert_snapshot!(err, @r#"[Web/Group] `preserve_client_ip` cannot be used on an HTTP, HTTPS or UDP target group: client IP preservation is a setting of TCP and TLS target groups; drop it"#);
}

#[test]
fn rejects_health_check_timeout_not_shorter_than_the_interval() {
    let err = group_error(|vpc| {
        TargetGroup::http("Group", vpc, 80).health_check(
            HealthCheck::http("/")
                .interval(Duration::from_secs(10))
                .timeout(Duration::from_secs(10)),
        )
    });
    assert_invalid(&err, "Web/Group", "health_check");
    insta::assert_snapshot!(err, @r#"[Web/Group] health_check: timeout 10s is not shorter than the interval 10s; a check would overlap the next"#);
}

#[test]
fn rejects_health_check_interval_over_300_seconds() {
    let err = group_error(|vpc| {
        TargetGroup::http("Group", vpc, 80)
            .health_check(HealthCheck::http("/").interval(Duration::from_secs(301)))
    });
    assert_invalid(&err, "Web/Group", "health_check");
    insta::assert_snapshot!(err, @r#"[Web/Group] health_check: interval 301s is not a whole number of seconds from 5 to 300"#);
}

#[test]
fn rejects_health_check_timeout_over_120_seconds() {
    let err = group_error(|vpc| {
        TargetGroup::http("Group", vpc, 80)
            .health_check(HealthCheck::http("/").timeout(Duration::from_secs(121)))
    });
    assert_invalid(&err, "Web/Group", "health_check");
    insta::assert_snapshot!(err, @r#"[Web/Group] health_check: timeout 121s is not a whole number of seconds from 2 to 120"#);
}

#[test]
fn rejects_healthy_threshold_over_10() {
    let err = group_error(|vpc| {
        TargetGroup::http("Group", vpc, 80)
            .health_check(HealthCheck::http("/").healthy_threshold(11))
    });
    assert_invalid(&err, "Web/Group", "health_check");
    insta::assert_snapshot!(err, @r#"[Web/Group] health_check: healthy threshold 11 is outside 2 to 10"#);
}

#[test]
fn rejects_unhealthy_threshold_below_2() {
    let err = group_error(|vpc| {
        TargetGroup::http("Group", vpc, 80)
            .health_check(HealthCheck::http("/").unhealthy_threshold(1))
    });
    assert_invalid(&err, "Web/Group", "health_check");
    insta::assert_snapshot!(err, @r#"[Web/Group] health_check: unhealthy threshold 1 is outside 2 to 10"#);
}

#[test]
fn rejects_health_check_path_on_a_tcp_group() {
    let err = group_error(|vpc| {
        TargetGroup::tcp("Group", vpc, 80).health_check(HealthCheck::tcp().success_codes("200"))
    });
    assert_invalid(&err, "Web/Group", "health_check");
    insta::assert_snapshot!(err, @r#"[Web/Group] health_check: a path or success codes need an HTTP or HTTPS check; use `HealthCheck::http(path)`"#);
}

#[test]
fn rejects_tcp_health_check_on_an_http_group() {
    let err =
        group_error(|vpc| TargetGroup::http("Group", vpc, 80).health_check(HealthCheck::tcp()));
    assert_invalid(&err, "Web/Group", "health_check");
    insta::assert_snapshot!(err, @r#"[Web/Group] health_check: application load balancers check targets over HTTP or HTTPS; use `HealthCheck::http(path)`"#);
}

#[test]
fn rejects_rule_priority_zero() {
    let err =
        rule_error(|l| ListenerRule::builder("Api", l, 0, not_found()).path_pattern("/api/*"));
    assert_invalid(&err, "Web/LB/Http/Api", "priority");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http/Api] priority: 0 is outside 1 to 50000"#);
}

#[test]
fn rejects_rule_priority_over_50000() {
    let err =
        rule_error(|l| ListenerRule::builder("Api", l, 50_001, not_found()).path_pattern("/api/*"));
    assert_invalid(&err, "Web/LB/Http/Api", "priority");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http/Api] priority: 50001 is outside 1 to 50000"#);
}

#[test]
fn rejects_rule_without_condition() {
    let err = rule_error(|l| ListenerRule::builder("Api", l, 10, not_found()));
    assert_missing(&err, "Web/LB/Http/Api", "condition");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http/Api] `condition` is required: add `.path_pattern(..)` or `.host_header(..)`"#);
}

#[test]
fn rejects_rule_with_more_than_five_condition_values() {
    let err = rule_error(|l| {
        (0..6).fold(ListenerRule::builder("Api", l, 10, not_found()), |b, i| {
            b.path_pattern(format!("/p{i}/*"))
        })
    });
    assert_invalid(&err, "Web/LB/Http/Api", "conditions");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http/Api] conditions: 6 condition values; a rule takes at most 5"#);
}

#[test]
fn rejects_rule_condition_value_over_128_characters() {
    let err = rule_error(|l| {
        ListenerRule::builder("Api", l, 10, not_found())
            .host_header(format!("{}.example.com", "a".repeat(120)))
    });
    assert_invalid(&err, "Web/LB/Http/Api", "conditions");
    insta::assert_snapshot!(err, @r#"[Web/LB/Http/Api] conditions: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com" is longer than 128 characters"#);
}

#[test]
fn rejects_rule_of_a_network_listener() {
    let (mut stack, vpc, _, nlb) = lbs();
    let listener = Listener::tcp("Tcp", &nlb, 80)
        .target_group(TargetGroup::tcp("Group", &vpc, 80))
        .build(&mut stack)
        .unwrap();
    let err = ListenerRule::builder("Api", &listener, 10, not_found())
        .path_pattern("/api/*")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/NLB/Tcp/Api", "listener");
    insta::assert_snapshot!(err, @r#"[Web/NLB/Tcp/Api] listener: network listeners have no rules; add another listener instead"#);
}

#[test]
fn rejects_two_rules_with_one_priority_on_a_listener() {
    let (mut stack, _, alb, _) = lbs();
    let listener = Listener::http("Http", &alb).build(&mut stack).unwrap();
    ListenerRule::builder(
        "Api",
        &listener,
        10,
        ListenerAction::fixed_response(200, None),
    )
    .path_pattern("/api/*")
    .build(&mut stack)
    .unwrap();
    let err = ListenerRule::builder(
        "Admin",
        &listener,
        10,
        ListenerAction::fixed_response(200, None),
    )
    .path_pattern("/admin/*")
    .build(&mut stack)
    .unwrap_err();
    assert_invalid(&err, "Web/LB/Http/Admin", "priority");
    insta::assert_snapshot!(err, @"[Web/LB/Http/Admin] priority: rule `Api` of the listener already has priority 10; give each rule of a listener its own priority");
    // Another priority is fine.
    ListenerRule::builder(
        "Admin",
        &listener,
        11,
        ListenerAction::fixed_response(200, None),
    )
    .path_pattern("/admin/*")
    .build(&mut stack)
    .unwrap();
}

#[test]
fn rejects_success_codes_outside_what_the_load_balancer_accepts() {
    for codes in ["500", "200-500", "abc", "299-200", "", "200,"] {
        let err = group_error(|vpc| {
            TargetGroup::http("Group", vpc, 80)
                .health_check(HealthCheck::http("/").success_codes(codes))
        });
        assert_invalid(&err, "Web/Group", "health_check");
        assert!(err.to_string().contains("200 to 499"), "{codes}: {err}");
    }
    let err = group_error(|vpc| {
        TargetGroup::http("Group", vpc, 80)
            .health_check(HealthCheck::http("/").success_codes("200-404,500"))
    });
    insta::assert_snapshot!(err, @r#"[Web/Group] health_check: success codes "200-404,500" are not HTTP codes an application load balancer accepts: 200 to 499, written `200`, `200,202` or `200-299`"#);
    // A network load balancer's targets take 200 to 599.
    let mut stack = web_stack();
    let vpc = two_zone_vpc(&mut stack);
    TargetGroup::tcp("Tcp", &vpc, 80)
        .health_check(HealthCheck::http("/").success_codes("200-599"))
        .build(&mut stack)
        .unwrap();
    let err = TargetGroup::tcp("Tcp2", &vpc, 80)
        .health_check(HealthCheck::http("/").success_codes("200-600"))
        .build(&mut stack)
        .unwrap_err();
    assert!(err.to_string().contains("200 to 599"), "{err}");
    for (i, ok) in ["200", "200,202", "200-299", "200-299,404"]
        .iter()
        .enumerate()
    {
        TargetGroup::http(format!("Ok{i}"), &vpc, 80)
            .health_check(HealthCheck::http("/").success_codes(*ok))
            .build(&mut stack)
            .unwrap();
    }
}
