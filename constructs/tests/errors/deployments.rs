//! Bad inputs of deployment strategies: blue/green, linear and canary
//! settings ECS or CloudFormation refuse, alternate target groups and
//! lifecycle hooks.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use std::time::Duration;

use ecscdk::ecs::{
    AlternateTarget, Cluster, DeploymentStrategy, FargateService, FargateServiceBuilder,
    FargateTaskDefinition, HookTimeoutAction, LifecycleHook, LifecycleStage, PortMapping,
};
use ecscdk::elbv2::{
    ApplicationLoadBalancer, Listener, ListenerAction, ListenerRule, NetworkLoadBalancer,
    TargetGroup,
};

const CHECK: &str = "arn:aws:lambda:us-east-1:123456789012:function:check";

/// What a blue/green service needs: the task, two target groups and the
/// production rule.
struct Parts {
    stack: Stack,
    cluster: Cluster,
    task: FargateTaskDefinition,
    blue: TargetGroup,
    green: TargetGroup,
    listener: Listener,
    rule: ListenerRule,
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn parts() -> Parts {
    let mut stack = web_stack();
    let vpc = two_zone_vpc(&mut stack);
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .expect("cluster");
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .port(PortMapping::tcp(80))
                .writable_root_filesystem(),
        )
        .build(&mut stack)
        .expect("task");
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .build(&mut stack)
        .expect("lb");
    let blue = TargetGroup::http("Blue", &vpc, 80)
        .build(&mut stack)
        .expect("blue");
    let green = TargetGroup::http("Green", &vpc, 80)
        .build(&mut stack)
        .expect("green");
    let listener = Listener::http("Prod", &lb)
        .default_action(ListenerAction::fixed_response(404, None))
        .build(&mut stack)
        .expect("listener");
    let rule = ListenerRule::builder(
        "Rule",
        &listener,
        1,
        ListenerAction::weighted_forward([(&blue, 100), (&green, 0)]),
    )
    .path_pattern("/*")
    .build(&mut stack)
    .expect("rule");
    Parts {
        stack,
        cluster,
        task,
        blue,
        green,
        listener,
        rule,
    }
}

/// The error of building the service `Api` configured by `configure`, in a
/// fresh stack (a failed build leaves the service's node behind).
fn service_error(
    configure: impl FnOnce(FargateServiceBuilder, &Parts) -> FargateServiceBuilder,
) -> Error {
    let mut parts = parts();
    let builder = FargateService::builder("Api", &parts.cluster, &parts.task);
    let builder = configure(builder, &parts);
    builder.build(&mut parts.stack).unwrap_err()
}

fn blue_green(builder: FargateServiceBuilder, p: &Parts) -> FargateServiceBuilder {
    builder
        .deployment_strategy(DeploymentStrategy::BlueGreen)
        .load_balancer_target(p.blue.arn(), "web", 80, [p.rule.resource().into()])
}

#[test]
fn rejects_a_traffic_shifting_strategy_without_an_alternate_target_group() {
    let err = service_error(blue_green);
    assert_invalid(&err, "Web/Api", "load_balancer_target");
    insta::assert_snapshot!(err, @r#"[Web/Api] load_balancer_target: a BLUE_GREEN deployment shifts traffic between two target groups, and the target web:80 has no alternate; add `.alternate_target(AlternateTarget::new("AlternateTarget", &green).production_rule(&rule))` after it"#);
}

#[test]
fn rejects_an_alternate_target_without_a_production_rule_or_equal_to_the_primary() {
    let err = service_error(|b, p| {
        blue_green(b, p).alternate_target(AlternateTarget::new("Alternate", &p.green))
    });
    assert_missing(&err, "Web/Api", "production listener rule");
    insta::assert_snapshot!(err, @"[Web/Api] `production listener rule` is required: ECS shifts production traffic by the weights of the rule or listener that forwards to the target: give `AlternateTarget::production_rule(&rule)` (application load balancer) or `production_listener(&listener)` (network load balancer)");
    let err = service_error(|b, p| {
        blue_green(b, p)
            .alternate_target(AlternateTarget::new("Alternate", &p.blue).production_rule(&p.rule))
    });
    assert_invalid(&err, "Web/Api", "alternate_target");
    insta::assert_snapshot!(err, @"[Web/Api] alternate_target: the alternate target group is the primary one; give a second target group");
}

#[test]
fn rejects_an_alternate_target_or_hooks_with_a_rolling_strategy() {
    let err = service_error(|b, p| {
        b.load_balancer_target(p.blue.arn(), "web", 80, [])
            .alternate_target(AlternateTarget::new("Alternate", &p.green).production_rule(&p.rule))
    });
    assert_conflict(
        &err,
        "Web/Api",
        "alternate_target",
        "the rolling deployment strategy",
    );
    insta::assert_snapshot!(err, @"[Web/Api] `alternate_target` conflicts with `the rolling deployment strategy`: an alternate target group serves blue/green, linear and canary deployments: choose one with `deployment_strategy(..)`, or drop the alternate target");
    let err =
        service_error(|b, _| b.lifecycle_hook(LifecycleHook::pause([LifecycleStage::PostScaleUp])));
    assert_conflict(
        &err,
        "Web/Api",
        "lifecycle_hook",
        "the rolling deployment strategy",
    );
    let err = service_error(|b, p| b.alternate_target(AlternateTarget::new("Alternate", &p.green)));
    assert_missing(&err, "Web/Api", "load balancer target");
    insta::assert_snapshot!(err, @"[Web/Api] `load balancer target` is required: `alternate_target` pairs with the load balancer target before it: call `load_balancer_target(..)` first");
}

#[test]
fn rejects_linear_and_canary_settings_ecs_refuses() {
    let cases: [(DeploymentStrategy, &str); 6] = [
        (
            DeploymentStrategy::linear(2.5, Duration::from_secs(360)),
            "outside",
        ),
        (
            DeploymentStrategy::linear(10.05, Duration::from_secs(360)),
            "tenths",
        ),
        (
            DeploymentStrategy::linear(10.0, Duration::from_secs(90)),
            "whole minutes",
        ),
        (
            DeploymentStrategy::linear(10.0, Duration::from_secs(25 * 3600)),
            "24 hours",
        ),
        (
            DeploymentStrategy::canary(0.0, Duration::from_secs(600)),
            "outside",
        ),
        (
            DeploymentStrategy::canary(f64::NAN, Duration::from_secs(600)),
            "outside",
        ),
    ];
    for (strategy, words) in cases {
        let err = service_error(|b, _| b.deployment_strategy(strategy));
        assert_invalid(&err, "Web/Api", "deployment_strategy");
        assert!(err.to_string().contains(words), "{err}");
    }
    let err = service_error(|b, _| {
        b.deployment_strategy(DeploymentStrategy::linear(10.05, Duration::from_secs(360)))
    });
    insta::assert_snapshot!(err, @"[Web/Api] deployment_strategy: step percent 10.05 is not a multiple of 0.1; ECS takes tenths of a percent");
}

#[test]
fn rejects_a_deployment_cloudformation_would_time_out() {
    // 3% steps: 33 steps of an hour, and the default 15-minute bake.
    let err = service_error(|b, _| {
        b.deployment_strategy(DeploymentStrategy::linear(3.0, Duration::from_secs(3600)))
    });
    assert_invalid(&err, "Web/Api", "deployment_strategy");
    insta::assert_snapshot!(err, @"[Web/Api] deployment_strategy: a linear deployment of 33 steps of 60 minutes and a bake time of 15 minutes lasts 1995 minutes; CloudFormation refuses more than 1980 (33 hours): take larger steps or shorter bakes");
    // A day's canary and a day's bake: 48 hours.
    let err = service_error(|b, _| {
        b.deployment_strategy(DeploymentStrategy::canary(5.0, Duration::from_secs(86_400)))
            .bake_time(Duration::from_secs(86_400))
    });
    assert_invalid(&err, "Web/Api", "deployment_strategy");
    insta::assert_snapshot!(err, @"[Web/Api] deployment_strategy: a canary of 1440 minutes and a bake time of 1440 minutes last 2880 minutes; CloudFormation refuses more than 1980 (33 hours): bake shorter");
    let err = service_error(|b, _| b.bake_time(Duration::from_secs(30)));
    assert_invalid(&err, "Web/Api", "bake_time");
}

#[test]
fn rejects_lifecycle_hooks_ecs_refuses() {
    let hooks = [
        LifecycleHook::lambda("Check", CHECK, []),
        LifecycleHook::lambda(
            "Check",
            CHECK,
            [LifecycleStage::PreScaleUp, LifecycleStage::PreScaleUp],
        ),
        LifecycleHook::lambda("Check", "check", [LifecycleStage::PreScaleUp]),
        LifecycleHook::pause([LifecycleStage::ProductionTrafficShift]),
        LifecycleHook::lambda("Check", CHECK, [LifecycleStage::PreScaleUp])
            .details(serde_json::json!(["not", "an", "object"])),
        LifecycleHook::pause([LifecycleStage::PostScaleUp]).timeout(
            Duration::from_secs(15 * 86_400),
            HookTimeoutAction::Rollback,
        ),
    ];
    let mut messages = Vec::new();
    for hook in hooks {
        let err = service_error(|b, p| {
            blue_green(b, p)
                .alternate_target(
                    AlternateTarget::new("Alternate", &p.green).production_rule(&p.rule),
                )
                .lifecycle_hook(hook)
        });
        assert_invalid(&err, "Web/Api", "lifecycle_hook");
        messages.push(err.to_string());
    }
    insta::assert_snapshot!(messages.join("\n"), @r#"[Web/Api] lifecycle_hook: a lifecycle hook without stages never runs; give at least one `LifecycleStage`
[Web/Api] lifecycle_hook: stage PRE_SCALE_UP is listed twice in one hook
[Web/Api] lifecycle_hook: "check" is not a Lambda function ARN
[Web/Api] lifecycle_hook: a pause hook cannot run at PRODUCTION_TRAFFIC_SHIFT: ECS pauses only between stages; pause at PRE_PRODUCTION_TRAFFIC_SHIFT instead, or use a Lambda hook
[Web/Api] lifecycle_hook: hook details must be a JSON object
[Web/Api] lifecycle_hook: hook timeout 1296000s is not 1 minute to 14 days in whole minutes"#);
}

#[test]
fn rejects_a_production_rule_that_does_not_forward_to_both_groups() {
    let mut p = parts();
    let blue_only =
        ListenerRule::builder("BlueOnly", &p.listener, 2, ListenerAction::forward(&p.blue))
            .path_pattern("/api/*")
            .build(&mut p.stack)
            .unwrap();
    let err = FargateService::builder("Api", &p.cluster, &p.task)
        .deployment_strategy(DeploymentStrategy::BlueGreen)
        .load_balancer_target(p.blue.arn(), "web", 80, [])
        .alternate_target(AlternateTarget::new("Alternate", &p.green).production_rule(&blue_only))
        .build(&mut p.stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Api", "alternate_target");
    insta::assert_snapshot!(err, @"[Web/Api] alternate_target: between them, the production and test rules do not forward to both the primary and the alternate target group, and ECS rolls back a deployment unless each group is associated with one of them; forward with `ListenerAction::weighted_forward([(&primary, 100), (&alternate, 0)])`");
}

#[test]
fn rejects_add_targets_a_blue_green_service_cannot_shift_traffic_through() {
    use ecscdk::elbv2::ListenerTargets;
    let mut p = parts();
    let canary = FargateService::builder("Api", &p.cluster, &p.task)
        .deployment_strategy(DeploymentStrategy::canary(10.0, Duration::from_secs(600)))
        .build(&mut p.stack)
        .unwrap();
    // As the listener's default action: no rule whose weights ECS can move.
    let err = p
        .listener
        .add_targets(
            &mut p.stack,
            "Api",
            ListenerTargets::new(&canary, "web", 80),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Prod/ApiGroup", "targets");
    insta::assert_snapshot!(err, @r#"[Web/LB/Prod/ApiGroup] targets: Web/Api deploys CANARY, and ECS shifts traffic by the weights of a listener rule; give the targets `.priority(..)` and a condition (`.path_pattern("/*")` for everything)"#);
    // A test listener that is the production one.
    let err = p
        .listener
        .add_targets(
            &mut p.stack,
            "Api",
            ListenerTargets::new(&canary, "web", 80)
                .priority(5)
                .path_pattern("/*")
                .test_listener(&p.listener),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Prod/ApiGroup", "targets");
    // Test traffic for a rolling service.
    let rolling = FargateService::builder("Rolling", &p.cluster, &p.task)
        .build(&mut p.stack)
        .unwrap();
    let err = p
        .listener
        .add_targets(
            &mut p.stack,
            "Rolling",
            ListenerTargets::new(&rolling, "web", 80)
                .priority(6)
                .path_pattern("/r/*")
                .test_listener(&p.listener),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/LB/Prod/RollingGroup", "targets");
    insta::assert_snapshot!(err, @"[Web/LB/Prod/RollingGroup] targets: Web/Rolling deploys with rolling updates, which send no test traffic; drop `.test_listener(..)`, or give the service a blue/green, linear or canary `deployment_strategy`");
}

#[test]
fn rejects_add_targets_for_a_blue_green_service_behind_a_network_load_balancer() {
    use ecscdk::elbv2::ListenerTargets;
    let mut stack = web_stack();
    let vpc = two_zone_vpc(&mut stack);
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            nginx("web")
                .port(PortMapping::tcp(80))
                .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    let service = FargateService::builder("Api", &cluster, &task)
        .deployment_strategy(DeploymentStrategy::BlueGreen)
        .build(&mut stack)
        .unwrap();
    let nlb = NetworkLoadBalancer::builder("NLB", &vpc)
        .build(&mut stack)
        .unwrap();
    let other = TargetGroup::tcp("Other", &vpc, 80)
        .build(&mut stack)
        .unwrap();
    let listener = Listener::tcp("Tcp", &nlb, 80)
        .default_action(ListenerAction::forward(&other))
        .build(&mut stack)
        .unwrap();
    let err = listener
        .add_targets(&mut stack, "Api", ListenerTargets::new(&service, "web", 80))
        .unwrap_err();
    assert_unsupported(&err, "Web/NLB/Tcp/ApiGroup", "add_targets");
    insta::assert_snapshot!(err, @"[Web/NLB/Tcp/ApiGroup] `add_targets` cannot be used for a blue/green, linear or canary service behind a network load balancer: build the two target groups and the listener forwarding to both yourself, and register them with the service's `load_balancer_target(..)` and `alternate_target(AlternateTarget::new(..).production_listener(..))`");
}

#[test]
fn rejects_pattern_deployments_the_load_balancer_cannot_shift() {
    use ecscdk::patterns::{
        ApplicationLoadBalancedFargateService, NetworkLoadBalancedFargateService,
    };
    let web = || {
        nginx("web")
            .port(PortMapping::tcp(80))
            .writable_root_filesystem()
    };
    let (mut stack, cluster) = web_cluster();
    let err = NetworkLoadBalancedFargateService::builder("Nlb", &cluster, web())
        .deployment_strategy(DeploymentStrategy::BlueGreen)
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Nlb", "deployment_strategy");
    insta::assert_snapshot!(err, @"[Web/Nlb] `deployment_strategy` cannot be used in a network load-balanced pattern: the pattern shifts traffic through listener rules, which network load balancers lack; use the application pattern, or build the service with `load_balancer_target(..)` and `alternate_target(..)` yourself");
    let err = ApplicationLoadBalancedFargateService::builder("Alb", &cluster, web())
        .test_listener_port(8080)
        .build(&mut stack)
        .unwrap_err();
    assert_conflict(
        &err,
        "Web/Alb",
        "test_listener_port",
        "the rolling deployment strategy",
    );
    let err = ApplicationLoadBalancedFargateService::builder("Alb", &cluster, web())
        .deployment_strategy(DeploymentStrategy::BlueGreen)
        .test_listener_port(80)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Alb", "test_listener_port");
    insta::assert_snapshot!(err, @"[Web/Alb] test_listener_port: port 80 is taken by another listener of the load balancer; choose another (8080 is usual)");
}

#[test]
fn rejects_deployment_alarms_that_disagree_on_rollback() {
    use ecscdk::cloudwatch::Alarm;
    let mut p = parts();
    let service = FargateService::builder("Api", &p.cluster, &p.task)
        .build(&mut p.stack)
        .unwrap();
    let cpu = Alarm::builder("Cpu", service.metric_cpu_utilization(), 90.0)
        .build(&mut p.stack)
        .unwrap();
    let memory = Alarm::builder("Memory", service.metric_memory_utilization(), 90.0)
        .build(&mut p.stack)
        .unwrap();
    service
        .add_deployment_alarm(&mut p.stack, cpu, true)
        .unwrap();
    // The same alarm twice is listed once.
    service
        .add_deployment_alarm(&mut p.stack, cpu, true)
        .unwrap();
    let err = service
        .add_deployment_alarm(&mut p.stack, memory, false)
        .unwrap_err();
    assert_invalid(&err, "Web/Api", "add_deployment_alarm");
    insta::assert_snapshot!(err, @"[Web/Api] add_deployment_alarm: ECS takes one rollback choice for all of a service's deployment alarms, and this alarm asks for the other; give every alarm the same");
}
