//! A monitored cluster: GuardDuty Runtime Monitoring on for the account
//! and Region (the detector, GuardDuty managing its agent on Fargate) and
//! on the cluster (its `GuardDutyManaged=true` tag), a Fargate service
//! whose execution role may pull GuardDuty's agent, AWS's recommended
//! alarms for it notifying an encrypted topic, and a dashboard of its CPU,
//! memory, task counts and alarms.
//!
//! `cargo run -p ecscdk-examples --bin monitored -- synth`

use ecscdk::cloudwatch::{Dashboard, TextWidget};
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    CircuitBreaker, Cluster, Container, ContainerImage, ContainerInsights, FargateService,
    FargateTaskDefinition, LogDriver, PortMapping,
};
use ecscdk::guardduty::{DETECTOR_WARNING, RuntimeMonitoring};
use ecscdk::prelude::*;
use ecscdk::sns::{Subscription, Topic};

use crate::scale::{NGINX, with_nginx};

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("Monitored")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk example: Runtime Monitoring, recommended alarms and a dashboard");

    // The account's detector: this account has none yet (checked), so the
    // warning that creating it fails where one exists is acknowledged.
    let detector = RuntimeMonitoring::builder("GuardDuty").build(&mut stack)?;
    stack.acknowledge_warning(detector.node(), DETECTOR_WARNING);

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enabled)
        .runtime_monitoring(true)
        .build(&mut stack)?;
    let alerts = Topic::builder("Alerts")
        .subscription(Subscription::Email("oncall@example.com".to_owned()))
        .build(&mut stack)?;
    let task = with_nginx(
        FargateTaskDefinition::builder("Task"),
        Container::builder("web", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80))
            .logging(LogDriver::aws_logs("web")),
    )
    .build(&mut stack)?;
    let service = FargateService::builder("Service", &cluster, &task)
        .desired_count(2)
        .circuit_breaker(CircuitBreaker::Rollback)
        .build(&mut stack)?;
    let alarms = service.add_recommended_alarms(&mut stack, Some(alerts))?;

    Dashboard::builder("Dashboard")
        .row([TextWidget::new("# web\nCPU, memory and tasks of the web service").width(24)])
        .row(service.dashboard_widgets(alarms.all()))
        .build(&mut stack)?;

    app.add(stack)?;
    Ok(app)
}
