//! Bad inputs of `Listener::add_targets`.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use ecscdk::ecs::{FargateService, FargateTaskDefinition, PortMapping};
use ecscdk::elbv2::{
    ApplicationLoadBalancer, Listener, ListenerTargets, NetworkLoadBalancer, TargetGroup,
    TargetProtocol,
};

/// A stack with a Fargate service `Service` of container `web` on TCP 80,
/// an internet-facing application load balancer `LB` and its HTTP listener.
fn web_behind_alb() -> (Stack, FargateService, Listener) {
    let (mut stack, cluster) = web_cluster();
    let vpc = cluster.vpc().unwrap().clone();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .port(PortMapping::tcp(80))
                .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    let service = FargateService::builder("Service", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .internet_facing(true)
        .build(&mut stack)
        .unwrap();
    let listener = Listener::http("Listener", &lb).build(&mut stack).unwrap();
    (stack, service, listener)
}

#[test]
fn rejects_a_container_the_task_lacks() {
    let (mut stack, service, listener) = web_behind_alb();
    let err = listener
        .add_targets(&mut stack, "ECS", ListenerTargets::new(&service, "api", 80))
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Listener/ECSGroup", "targets");
    insta::assert_snapshot!(err, @r#"[Web/LB/Listener/ECSGroup] targets: the task definition of Web/Service has no container "api"; name one of ["web"]"#);
}

#[test]
fn rejects_a_port_the_container_does_not_map() {
    let (mut stack, service, listener) = web_behind_alb();
    let err = listener
        .add_targets(
            &mut stack,
            "ECS",
            ListenerTargets::new(&service, "web", 8080),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Listener/ECSGroup", "targets");
    insta::assert_snapshot!(err, @r#"[Web/LB/Listener/ECSGroup] targets: container "web" maps no TCP port 8080; add `.port(PortMapping::tcp(8080))` to it"#);
}

#[test]
fn rejects_a_priority_without_a_condition_and_conditions_without_a_priority() {
    let (mut stack, service, listener) = web_behind_alb();
    let err = listener
        .add_targets(
            &mut stack,
            "ECS",
            ListenerTargets::new(&service, "web", 80).priority(10),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Listener/ECSGroup", "targets");
    insta::assert_snapshot!(err, @"[Web/LB/Listener/ECSGroup] targets: priority 10 without a condition; add `.path_pattern(..)` or `.host_header(..)`, or drop the priority to make the targets the listener's default");
    let err = listener
        .add_targets(
            &mut stack,
            "ECS",
            ListenerTargets::new(&service, "web", 80).path_pattern("/api/*"),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Listener/ECSGroup", "targets");
    insta::assert_snapshot!(err, @"[Web/LB/Listener/ECSGroup] targets: path or host conditions make a listener rule, which needs `.priority(..)` (1 to 50000, unique on the listener)");
    let err = listener
        .add_targets(
            &mut stack,
            "ECS",
            ListenerTargets::new(&service, "web", 80)
                .priority(0)
                .path_pattern("/api/*"),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Listener/ECSGroup", "targets");
    insta::assert_snapshot!(err, @"[Web/LB/Listener/ECSGroup] targets: priority 0 is outside 1 to 50000");
}

#[test]
fn rejects_a_protocol_of_the_other_kind_of_load_balancer() {
    let (mut stack, service, listener) = web_behind_alb();
    let err = listener
        .add_targets(
            &mut stack,
            "ECS",
            ListenerTargets::new(&service, "web", 80).protocol(TargetProtocol::Tcp),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Listener/ECSGroup", "targets");
    insta::assert_snapshot!(err, @"[Web/LB/Listener/ECSGroup] targets: an application load balancer cannot send TCP to its targets; use HTTP or HTTPS");
}

#[test]
fn rejects_conditions_on_a_network_load_balancer() {
    let (mut stack, service, listener) = web_behind_alb();
    let vpc = listener.load_balancer().vpc().clone();
    let nlb = NetworkLoadBalancer::builder("Nlb", &vpc)
        .build(&mut stack)
        .unwrap();
    let group = TargetGroup::tcp("Placeholder", &vpc, 80);
    let tcp = Listener::tcp("Tcp", &nlb, 80)
        .target_group(group)
        .build(&mut stack)
        .unwrap();
    let err = tcp
        .add_targets(
            &mut stack,
            "ECS",
            ListenerTargets::new(&service, "web", 80)
                .priority(5)
                .host_header("api.example.com"),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/Nlb/Tcp/ECSGroup", "targets");
    insta::assert_snapshot!(err, @"[Web/Nlb/Tcp/ECSGroup] targets: a network load balancer has no rules, so no path or host conditions; drop them, or use an application load balancer");
}

#[test]
fn rejects_a_second_default_on_a_listener_with_a_target_group() {
    let (mut stack, service, listener) = web_behind_alb();
    let vpc = listener.load_balancer().vpc().clone();
    let lb = listener.load_balancer().clone();
    let with_group = Listener::builder("Admin", &lb, ecscdk::elbv2::ListenerProtocol::Http, 8080)
        .target_group(TargetGroup::http("Default", &vpc, 8080))
        .build(&mut stack)
        .unwrap();
    let err = with_group
        .add_targets(&mut stack, "ECS", ListenerTargets::new(&service, "web", 80))
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Admin/ECSGroup", "targets");
    insta::assert_snapshot!(err, @"[Web/LB/Admin/ECSGroup] targets: the listener already forwards to its target group by default; give these targets `.priority(..)` and a condition");
}

#[test]
fn rejects_a_sixth_target_group_of_one_service() {
    let (mut stack, service, listener) = web_behind_alb();
    for i in 1..=5 {
        listener
            .add_targets(
                &mut stack,
                &format!("T{i}"),
                ListenerTargets::new(&service, "web", 80)
                    .priority(i)
                    .path_pattern(format!("/{i}/*")),
            )
            .unwrap();
    }
    let err = listener
        .add_targets(
            &mut stack,
            "T6",
            ListenerTargets::new(&service, "web", 80)
                .priority(6)
                .path_pattern("/6/*"),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Listener/T6Group", "targets");
    insta::assert_snapshot!(err, @"[Web/LB/Listener/T6Group] targets: Web/Service is registered with 5 target groups already; ECS allows 5 per service");
}

#[test]
fn rejects_a_priority_another_rule_of_the_listener_has() {
    let (mut stack, service, listener) = web_behind_alb();
    listener
        .add_targets(
            &mut stack,
            "Api",
            ListenerTargets::new(&service, "web", 80)
                .priority(10)
                .path_pattern("/api/*"),
        )
        .unwrap();
    let err = listener
        .add_targets(
            &mut stack,
            "Admin",
            ListenerTargets::new(&service, "web", 80)
                .priority(10)
                .path_pattern("/admin/*"),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Listener/AdminGroup", "targets");
    insta::assert_snapshot!(err, @"[Web/LB/Listener/AdminGroup] targets: rule `ApiRule` of the listener already has priority 10; give each rule of a listener its own priority");
}

#[test]
fn rejects_a_listener_and_a_service_of_two_stacks() {
    let (mut web, service, _) = web_behind_alb();
    let mut edge = Stack::new("Edge").env(ecscdk::synth::Env::new("123456789012", "us-east-1"));
    let vpc = two_zone_vpc(&mut edge);
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .internet_facing(true)
        .build(&mut edge)
        .unwrap();
    let listener = Listener::http("Listener", &lb).build(&mut edge).unwrap();
    // The service's stack: the listener is foreign.
    let err = listener
        .add_targets(&mut web, "ECS", ListenerTargets::new(&service, "web", 80))
        .unwrap_err();
    assert_unsupported(&err, "Web/Service", "add_targets");
    // The listener's stack: the service is foreign.
    let err = listener
        .add_targets(&mut edge, "ECS", ListenerTargets::new(&service, "web", 80))
        .unwrap_err();
    assert_unsupported(&err, "Edge/LB/Listener/ECSGroup", "add_targets");
    insta::assert_snapshot!(err, @"[Edge/LB/Listener/ECSGroup] `add_targets` cannot be used with a listener and a service that are not both of this stack: the target group and rule go under the listener and the registration on the service: pass the stack that holds both, or build a `TargetGroup` in the listener's stack, register it with the service's `load_balancer_target` and open its `connections()` to the load balancer");
}
