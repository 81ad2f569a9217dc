//! Bad extra listeners and targets of the application-load-balanced
//! patterns: rejected when the pattern is built, before any of it exists,
//! with the pattern's path.
#![allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]

use super::*;
use ecscdk::Error;
use ecscdk::ecs::{Container, ContainerBuilder, ContainerImage, PortMapping};
use ecscdk::patterns::{ApplicationLoadBalancedFargateService, ExtraListener, ExtraTarget};

fn app() -> ContainerBuilder {
    Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
    .port(PortMapping::tcp(8080))
    .port(PortMapping::tcp(9000))
    .port(PortMapping::tcp(9100))
}

/// Builds the pattern `Api` with `extras` applied, and returns its error;
/// the pattern's node must not have been created.
fn build_error(
    extras: impl FnOnce(
        ecscdk::patterns::ApplicationLoadBalancedFargateServiceBuilder,
    ) -> ecscdk::patterns::ApplicationLoadBalancedFargateServiceBuilder,
) -> Error {
    let mut stack = web_stack();
    let cluster = cluster_in_vpc(&mut stack);
    let builder = ApplicationLoadBalancedFargateService::builder("Api", &cluster, app());
    let err = extras(builder).build(&mut stack).unwrap_err();
    // Nothing was built, so the pattern can be added again once fixed.
    ApplicationLoadBalancedFargateService::builder("Api", &cluster, app())
        .build(&mut stack)
        .unwrap();
    err
}

#[test]
fn rejects_duplicate_rule_priority_on_a_listener() {
    let err = build_error(|b| {
        b.target(ExtraTarget::port(9000).priority(10).path_pattern("/api/*"))
            .target(
                ExtraTarget::port(9100)
                    .priority(10)
                    .host_header("admin.example.com"),
            )
    });
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: the targets on ports 9000 and 9100 both have priority 10 on listener "PublicListener"; give each rule of a listener its own priority"#);
}

#[test]
fn rejects_target_port_the_container_does_not_map() {
    let err = build_error(|b| b.target(ExtraTarget::port(7000).priority(1).path_pattern("/x")));
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: container "web" maps no TCP port 7000; add `.port(PortMapping::tcp(7000))` to it"#);
}

#[test]
fn rejects_target_on_unknown_listener() {
    let err = build_error(|b| {
        b.listener(ExtraListener::http("Admin").port(8081))
            .target(ExtraTarget::port(9000).listener("Admn"))
    });
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: the target on port 9000 names listener "Admn", which the pattern does not have; use one of ["PublicListener", "Admin"] or add `.listener(ExtraListener::http("Admn"))`"#);
}

#[test]
fn rejects_default_target_on_a_listener_with_a_default() {
    let err = build_error(|b| b.target(ExtraTarget::port(9000)));
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: the target on port 9000 has no conditions, so it would be the default of listener "PublicListener", which already has one; give it `.priority(..)` and `.path_pattern(..)` or `.host_header(..)`"#);
}

#[test]
fn rejects_second_default_target_on_an_extra_listener() {
    let err = build_error(|b| {
        b.listener(ExtraListener::http("Admin").port(8081))
            .target(ExtraTarget::port(9000).listener("Admin"))
            .target(ExtraTarget::port(9100).listener("Admin"))
    });
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: the target on port 9100 has no conditions, so it would be the default of listener "Admin", which already has one; give it `.priority(..)` and `.path_pattern(..)` or `.host_header(..)`"#);
}

#[test]
fn rejects_priority_outside_1_to_50000() {
    for priority in [0, 50_001] {
        let err = build_error(|b| {
            b.target(
                ExtraTarget::port(9000)
                    .priority(priority)
                    .path_pattern("/api/*"),
            )
        });
        assert_invalid(&err, "Web/Api", "target");
        if priority == 0 {
            insta::assert_snapshot!(err, @r#"[Web/Api] target: the target on port 9000 has priority 0, outside 1 to 50000"#);
        }
    }
}

#[test]
fn rejects_conditions_without_priority() {
    let err = build_error(|b| b.target(ExtraTarget::port(9000).path_pattern("/api/*")));
    assert_missing(&err, "Web/Api", "target priority");
    insta::assert_snapshot!(err, @r#"[Web/Api] `target priority` is required: a target with path or host conditions is a listener rule: give it `.priority(..)`, 1 to 50000 and unique on its listener"#);
}

#[test]
fn rejects_priority_without_conditions() {
    let err = build_error(|b| b.target(ExtraTarget::port(9000).priority(3)));
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: the target on port 9000 has priority 3 but no condition; add `.path_pattern(..)` or `.host_header(..)`, or drop the priority to make it the listener's default"#);
}

#[test]
fn rejects_two_listeners_on_one_port() {
    let err = build_error(|b| b.listener(ExtraListener::http("Admin")));
    assert_invalid(&err, "Web/Api", "listener");
    insta::assert_snapshot!(err, @r#"[Web/Api] listener: listener "Admin" and listener "PublicListener" both listen on port 80; a load balancer has one listener per port"#);
}

#[test]
fn rejects_a_listener_name_taken() {
    let err = build_error(|b| b.listener(ExtraListener::http("PublicListener").port(8081)));
    assert_invalid(&err, "Web/Api", "listener");
    insta::assert_snapshot!(err, @r#"[Web/Api] listener: a listener is already named "PublicListener"; give each listener its own name"#);
}

#[test]
fn rejects_more_target_groups_than_a_service_takes() {
    let err = build_error(|b| {
        (1..=5).fold(b, |b, i| {
            b.target(
                ExtraTarget::port(9000)
                    .priority(i)
                    .path_pattern(format!("/{i}/*")),
            )
        })
    });
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: 6 target groups (`ECSGroup` and 5 targets); an ECS service registers with at most 5"#);
}

#[test]
fn rejects_two_targets_for_one_port_on_a_listener() {
    let err = build_error(|b| {
        b.target(ExtraTarget::port(9000).priority(1).path_pattern("/a/*"))
            .target(ExtraTarget::port(9000).priority(2).path_pattern("/b/*"))
    });
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: two targets for port 9000 on listener "PublicListener" would share the target group `ECSTargetGroupweb9000Group`; route both paths or hosts with one target"#);
}

#[test]
fn rejects_listener_port_zero() {
    let err = build_error(|b| b.listener(ExtraListener::http("Admin").port(0)));
    assert_invalid(&err, "Web/Api", "listener");
    insta::assert_snapshot!(err, @r#"[Web/Api] listener: listener "Admin" has port 0, which is not a port; use 1 to 65535"#);
}

#[test]
fn rejects_more_than_five_condition_values() {
    let err = build_error(|b| {
        let target = (1..=6).fold(ExtraTarget::port(9000).priority(1), |t, i| {
            t.path_pattern(format!("/{i}/*"))
        });
        b.target(target)
    });
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: the target on port 9000 has 6 path and host values; a rule takes at most 5"#);
}

#[test]
fn rejects_condition_value_over_128_characters() {
    let err = build_error(|b| {
        b.target(
            ExtraTarget::port(9000)
                .priority(1)
                .host_header(format!("{}.example.com", "a".repeat(120))),
        )
    });
    assert_invalid(&err, "Web/Api", "target");
    insta::assert_snapshot!(err, @r#"[Web/Api] target: the target on port 9000 matches "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com", longer than the 128 characters of a rule condition"#);
}
