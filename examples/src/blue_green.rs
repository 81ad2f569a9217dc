//! A web service at `app.example.com` (HTTPS, a DNS-validated certificate)
//! rolled out by canary, safely: each new revision first takes the test
//! listener's traffic (HTTPS on port 8080, open only to the office range),
//! then 10 % of production traffic for 5 minutes, then all of it;
//! the old revision stays 10 minutes, ready for an instant rollback. A pause
//! hook holds every deployment after the test traffic until someone runs
//! `aws ecs continue-service-deployment` (rolled back after an hour). Alarms
//! on the load balancer's 5XX responses and the service's running tasks
//! notify an encrypted SNS topic, and the 5XX alarm rolls a deployment
//! back.
//!
//! `cargo run -p ecscdk-examples --bin blue_green -- synth`

use std::time::Duration;

use ecscdk::cloudwatch::{Alarm, Comparison, TreatMissingData};
use ecscdk::ec2::{Peer, Port, Vpc};
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, DeploymentStrategy, HookTimeoutAction, LifecycleHook,
    LifecycleStage, LogDriver, PortMapping, Volume,
};
use ecscdk::elbv2::HealthCheck;
use ecscdk::patterns::ApplicationLoadBalancedFargateService;
use ecscdk::prelude::*;
use ecscdk::route53::HostedZone;
use ecscdk::sns::{Subscription, Topic};

use crate::https_web::ZONE_ID;
use crate::scale::NGINX;

/// The range testers reach the test listener from.
pub const OFFICE: &str = "203.0.113.0/24";

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("BlueGreen")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk example: a canary deployment with a test listener and alarms");

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
    let alerts = Topic::builder("Alerts")
        .display_name("web alerts")
        .subscription(Subscription::Email("oncall@example.com".to_owned()))
        .build(&mut stack)?;

    let web = ApplicationLoadBalancedFargateService::builder(
        "Web",
        &cluster,
        Container::builder("web", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80))
            .logging(LogDriver::aws_logs("Web"))
            .mount("nginx-cache", "/var/cache/nginx", false)
            .mount("nginx-run", "/var/run", false)
            .mount("tmp", "/tmp", false),
    )
    .volume(Volume::scratch("nginx-cache"))
    .volume(Volume::scratch("nginx-run"))
    .volume(Volume::scratch("tmp"))
    .domain_name("app.example.com")
    .domain_zone(&HostedZone::from_attributes(ZONE_ID, "example.com"))
    .health_check(HealthCheck::http("/").healthy_threshold(2))
    .deregistration_delay(Duration::from_secs(30))
    .desired_count(2)
    .deployment_strategy(DeploymentStrategy::canary(10.0, Duration::from_secs(300)))
    .bake_time(Duration::from_secs(600))
    .test_listener_port(8080)
    .lifecycle_hook(
        LifecycleHook::pause([LifecycleStage::PostTestTrafficShift])
            .timeout(Duration::from_secs(3600), HookTimeoutAction::Rollback),
    )
    .build(&mut stack)?;
    // Testers reach the new revision on 8080 before anyone else does.
    web.load_balancer().connections().allow_from(
        &mut stack,
        &Peer::ipv4(OFFICE),
        Port::tcp(8080),
        Some("Testers to the test listener"),
    )?;

    let errors = Alarm::builder(
        "TargetErrors",
        web.load_balancer().metric_target_5xx_count(),
        10.0,
    )
    .evaluation_periods(3)
    .datapoints_to_alarm(2)
    .treat_missing_data(TreatMissingData::NotBreaching)
    .description("The web service answers with 5XX errors")
    .alarm_topic(alerts)
    .ok_topic(alerts)
    .build(&mut stack)?;
    web.service()
        .add_deployment_alarm(&mut stack, errors, true)?;
    Alarm::builder("NoTasks", web.service().metric_running_task_count(), 1.0)
        .comparison(Comparison::LessThan)
        .evaluation_periods(3)
        .treat_missing_data(TreatMissingData::Breaching)
        .description("No task of the web service is running")
        .alarm_topic(alerts)
        .ok_topic(alerts)
        .build(&mut stack)?;

    app.add(stack)?;
    Ok(app)
}
