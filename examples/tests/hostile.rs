//! Randomized building with hostile values: apps built from random choices
//! across the public builders (VPC, cluster, task definitions and
//! containers, services, their scaling and alarms, the load-balanced, queue
//! and scheduled patterns, EC2 capacity and services, ECS Anywhere), fed
//! empty, huge, NaN, infinite, unicode and
//! reversed values. Whatever the builders accept must synthesize or be
//! refused with an error; nothing may panic, and every resource of an app
//! that synthesizes validates against its raw registry schema, checked by
//! the independent oracle of `schemas.rs` (`oracle/mod.rs`), beyond the
//! engine's own validation.
//!
//! Seeded and deterministic: `ECSCDK_HOSTILE_SEED` picks another base seed
//! and `ECSCDK_HOSTILE_RUNS` the number of apps (default 300). A failure
//! prints the seed that rebuilds the app.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod oracle;

use std::panic::{AssertUnwindSafe, catch_unwind};

use ecscdk::cloudwatch::{
    Alarm, AlarmStatusWidget, Comparison, Dashboard, GraphWidget, Metric, TextWidget,
    TreatMissingData, Widget,
};
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerBuilder, ContainerImage,
    DeploymentStrategy, Ec2NetworkMode, Ec2Service, Ec2TaskDefinition, ExternalNetworkMode,
    ExternalService, ExternalTaskDefinition, FargateCpu, FargateService, FargateSize,
    FargateTaskDefinition, HookTimeoutAction, LifecycleHook, LifecycleStage, PlacementStrategy,
    PortMapping,
};
use ecscdk::guardduty::RuntimeMonitoring;
use ecscdk::patterns::{
    ApplicationLoadBalancedFargateService, NetworkLoadBalancedFargateService,
    QueueProcessingFargateService, ScheduledFargateTask,
};
use ecscdk::prelude::*;
use ecscdk::scheduler::{RateUnit, ScheduleExpression};

/// SplitMix64: small, fast and good enough to pick test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    fn u32(&mut self) -> u32 {
        let random = u32::try_from(self.next() >> 32).unwrap_or(0);
        self.pick(&[
            0,
            1,
            2,
            3,
            10,
            100,
            256,
            512,
            1024,
            4096,
            65_535,
            u32::MAX,
            random,
        ])
    }

    fn u16(&mut self) -> u16 {
        let random = u16::try_from(self.next() >> 48).unwrap_or(0);
        self.pick(&[0, 1, 80, 443, 8080, 32_768, u16::MAX, random])
    }

    fn usize(&mut self) -> usize {
        self.pick(&[0, 1, 2, 3, 6, 7, 1 << 20, usize::MAX])
    }

    fn f64(&mut self) -> f64 {
        self.pick(&[
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1.0,
            0.0,
            f64::MIN_POSITIVE,
            50.0,
            100.0,
            100.5,
            1e308,
        ])
    }

    fn string(&mut self) -> String {
        match self.below(9) {
            0 => String::new(),
            1 => "web".to_owned(),
            2 => "ünïcødé ☃".to_owned(),
            3 => "a/b".to_owned(),
            4 => "x".repeat(300),
            5 => " -lead-and-trail- ".to_owned(),
            6 => "nul\0inside".to_owned(),
            7 => "Api".to_owned(),
            _ => format!("n{}", self.next() % 1000),
        }
    }

    fn range(&mut self) -> std::ops::RangeInclusive<u32> {
        let (a, b) = (self.u32(), self.u32());
        a..=b
    }

    /// `sane` most of the time, else a hostile value: each app gets a few
    /// hostile values, so that many apps reach synth.
    fn or_hostile<T>(&mut self, sane: T, hostile: impl FnOnce(&mut Self) -> T) -> T {
        if self.chance(12) { hostile(self) } else { sane }
    }
}

fn container(rng: &mut Rng) -> ContainerBuilder {
    let name = rng.or_hostile("web".to_owned(), Rng::string);
    let image = rng.or_hostile("public.ecr.aws/nginx/nginx:1.27".to_owned(), Rng::string);
    let mut c = Container::builder(name, ContainerImage::registry(image));
    let port = rng.or_hostile(8080, Rng::u16);
    c = c.port(PortMapping::tcp(port));
    for i in 0..rng.below(3) {
        let key = rng.or_hostile(format!("VAR{i}"), Rng::string);
        let value = rng.string();
        c = c.env(key, value);
    }
    if rng.chance(30) {
        let mib = rng.or_hostile(256, Rng::u32);
        c = c.memory_limit_mib(mib);
    }
    if rng.chance(20) {
        let units = rng.or_hostile(128, Rng::u32);
        c = c.cpu_units(units);
    }
    if rng.chance(50) {
        c = c.writable_root_filesystem();
    }
    c
}

fn schedule(rng: &mut Rng) -> ScheduleExpression {
    match rng.below(4) {
        0 => ScheduleExpression::cron(rng.string()),
        1 => ScheduleExpression::rate(rng.u32(), RateUnit::Minutes),
        2 => ScheduleExpression::at(rng.string()),
        _ => ScheduleExpression::daily_at(
            u8::try_from(rng.below(30)).unwrap_or(0),
            u8::try_from(rng.below(70)).unwrap_or(0),
        ),
    }
}

/// Builds one random app; `Err` is a refusal, which is fine.
fn build(rng: &mut Rng) -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = if rng.chance(50) {
        Stack::new("Hostile").env(Env::new("123456789012", "us-east-1"))
    } else {
        Stack::new("Hostile")
    };
    let mut vpc = Vpc::builder("Vpc");
    if rng.chance(50) {
        let azs = rng.or_hostile(2, Rng::usize);
        vpc = vpc.max_azs(azs);
    }
    if rng.chance(30) {
        let nat = rng.or_hostile(1, Rng::usize);
        vpc = vpc.nat_gateways(nat);
    }
    if rng.chance(10) {
        vpc = vpc.cidr(rng.pick(&["10.0.0.0/16", "10.0.0.0/28", "10.0.0.0", "banana", ""]));
    }
    let vpc = vpc.build(&mut stack)?;
    let mut cluster = Cluster::builder("Cluster").vpc(&vpc);
    if rng.chance(10) {
        cluster = cluster.runtime_monitoring(rng.chance(50));
    }
    let cluster = cluster.build(&mut stack)?;
    if rng.chance(10) {
        RuntimeMonitoring::builder("GuardDuty")
            .fargate_agent_management(rng.chance(80))
            .ec2_agent_management(rng.chance(20))
            .build(&mut stack)?;
    }

    let mut task = FargateTaskDefinition::builder("Task");
    if rng.chance(40) {
        let cpu = rng.pick(&[
            FargateCpu::Vcpu0_25,
            FargateCpu::Vcpu1,
            FargateCpu::Vcpu4,
            FargateCpu::Vcpu16,
        ]);
        let memory = rng.or_hostile(8192, Rng::u32);
        task = task.size(FargateSize::new(cpu, memory)?);
    }
    for _ in 0..=rng.below(2) {
        task = task.container(container(rng));
    }
    let task = task.build(&mut stack)?;
    let mut service = FargateService::builder("Service", &cluster, &task);
    if rng.chance(50) {
        let count = rng.or_hostile(2, Rng::u32);
        service = service.desired_count(count);
    }
    if rng.chance(30) {
        let min = rng.or_hostile(50, Rng::u32);
        let max = rng.or_hostile(200, Rng::u32);
        service = service.min_healthy_percent(min).max_percent(max);
    }
    let service = service.build(&mut stack)?;
    if rng.chance(50) {
        let range = rng.or_hostile(2..=10, Rng::range);
        let target = rng.or_hostile(70.0, Rng::f64);
        let mut scaling = service.auto_scale(&mut stack, range)?;
        scaling.on_cpu(target)?;
    }
    if rng.chance(25) {
        alarm(rng, &mut stack, &service)?;
    }
    if rng.chance(15) {
        let alarms = service.add_recommended_alarms(&mut stack, None)?;
        dashboard(rng, &mut stack, &service, alarms.all().to_vec())?;
    }

    match rng.below(6) {
        4 => ec2_capacity(rng, &mut stack, &vpc, &cluster)?,
        5 => external(rng, &mut stack, &cluster)?,
        0 => {
            let mut alb =
                ApplicationLoadBalancedFargateService::builder("Alb", &cluster, container(rng));
            if rng.chance(50) {
                let port = rng.or_hostile(8443, Rng::u16);
                alb = alb.listener_port(port);
            }
            if rng.chance(30) {
                let count = rng.or_hostile(2, Rng::u32);
                alb = alb.desired_count(count);
            }
            if rng.chance(40) {
                let strategy = strategy(rng);
                alb = alb.deployment_strategy(strategy);
                if strategy.shifts_traffic() {
                    if rng.chance(50) {
                        alb = alb
                            .test_listener_port(8080)
                            .bake_time(std::time::Duration::from_secs(600));
                    }
                    if rng.chance(40) {
                        alb = alb.lifecycle_hook(hook(rng));
                    }
                }
            }
            alb.build(&mut stack)?;
        }
        1 => {
            NetworkLoadBalancedFargateService::builder("Nlb", &cluster, container(rng))
                .build(&mut stack)?;
        }
        2 => {
            let receives = rng.or_hostile(3, Rng::u32);
            let capacity = rng.or_hostile(1..=5, Rng::range);
            QueueProcessingFargateService::builder("Queue", &cluster, container(rng))
                .max_receive_count(receives)
                .capacity(capacity)
                .build(&mut stack)?;
        }
        _ => {
            let job = container(rng);
            let when = rng.or_hostile(ScheduleExpression::daily_at(2, 0), schedule);
            let count = rng.or_hostile(1, Rng::u32);
            ScheduledFargateTask::builder("Job", &cluster, job, when)
                .task_count(count)
                .build(&mut stack)?;
        }
    }
    app.add(stack)?;
    Ok(app)
}

/// A deployment strategy: sane, or (rarely) with any percent and bake time.
fn strategy(rng: &mut Rng) -> DeploymentStrategy {
    let hostile = rng.chance(12);
    let (percent, secs) = if hostile {
        (rng.f64(), u64::from(rng.u32()))
    } else {
        (10.0, 300)
    };
    let bake = std::time::Duration::from_secs(secs);
    match rng.below(4) {
        0 => DeploymentStrategy::Rolling,
        1 => DeploymentStrategy::BlueGreen,
        2 => DeploymentStrategy::linear(percent, bake),
        _ => DeploymentStrategy::canary(percent, bake),
    }
}

/// A lifecycle hook at distinct stages, a Lambda one or a pause: sane, or
/// (rarely) with any count of stages, ARN and timeout.
fn hook(rng: &mut Rng) -> LifecycleHook {
    let hostile = rng.chance(12);
    let all = [
        LifecycleStage::PreScaleUp,
        LifecycleStage::PostTestTrafficShift,
        LifecycleStage::ProductionTrafficShift,
        LifecycleStage::PostProductionTrafficShift,
    ];
    let count = if hostile { rng.below(3) } else { 1 };
    let start = rng.below(all.len());
    let stages: Vec<LifecycleStage> = (0..count).map(|i| all[(start + i) % all.len()]).collect();
    let mut hook = if rng.chance(50) {
        let arn = if hostile {
            rng.string()
        } else {
            "arn:aws:lambda:us-east-1:123456789012:function:check".to_owned()
        };
        LifecycleHook::lambda("Hook", arn, stages)
    } else {
        LifecycleHook::pause(stages)
    };
    if hostile {
        let secs = u64::from(rng.u32());
        hook = hook.timeout(
            std::time::Duration::from_secs(secs),
            HookTimeoutAction::Rollback,
        );
    }
    hook
}

/// A dashboard of the service's metrics and alarms: sane, or (rarely) with
/// any title, text, color, sizes and name.
fn dashboard(
    rng: &mut Rng,
    stack: &mut Stack,
    service: &FargateService,
    alarms: Vec<ecscdk::cloudwatch::Alarm>,
) -> ecscdk::Result<()> {
    let hostile = rng.chance(12);
    let text = |rng: &mut Rng, sane: &str| {
        if hostile {
            rng.string()
        } else {
            sane.to_owned()
        }
    };
    let mut graph = GraphWidget::new(text(rng, "CPU"))
        .left(service.metric_cpu_utilization())
        .right(
            service
                .metric_memory_utilization()
                .color(text(rng, "#ff7f0e")),
        );
    let mut markdown = TextWidget::new(text(rng, "# Service"));
    if hostile {
        graph = graph.width(rng.u32());
        markdown = markdown.height(rng.u32());
    }
    Dashboard::builder("Dashboard")
        .dashboard_name(text(rng, "ops"))
        .row::<Widget>([
            markdown.into(),
            graph.into(),
            AlarmStatusWidget::new(alarms).into(),
        ])
        .build(stack)?;
    Ok(())
}

/// An alarm on one of the service's metrics, or on a metric of any name.
fn alarm(rng: &mut Rng, stack: &mut Stack, service: &FargateService) -> ecscdk::Result<()> {
    let sane = if rng.chance(50) {
        service.metric_cpu_utilization()
    } else {
        service.metric_memory_utilization()
    };
    let mut metric = rng.or_hostile(sane, |r| {
        Metric::new(r.string(), r.string()).dimension(r.string(), r.string())
    });
    if rng.chance(30) {
        let secs = rng.or_hostile(60, |r| u64::from(r.u32()));
        metric = metric.period(std::time::Duration::from_secs(secs));
    }
    let threshold = rng.or_hostile(80.0, Rng::f64);
    let mut alarm = Alarm::builder("Alarm", metric, threshold)
        .comparison(rng.pick(&[Comparison::GreaterThanOrEqual, Comparison::LessThan]));
    if rng.chance(50) {
        let periods = rng.or_hostile(3, Rng::u32);
        alarm = alarm.evaluation_periods(periods);
    }
    if rng.chance(40) {
        let datapoints = rng.or_hostile(1, Rng::u32);
        alarm = alarm.datapoints_to_alarm(datapoints);
    }
    if rng.chance(30) {
        let action = rng.or_hostile(
            "arn:aws:sns:us-east-1:123456789012:oncall".to_owned(),
            Rng::string,
        );
        alarm = alarm
            .treat_missing_data(TreatMissingData::NotBreaching)
            .description(rng.string())
            .alarm_action(action);
    }
    alarm.build(stack)?;
    Ok(())
}

/// An Auto Scaling group, its capacity provider and an EC2 service on it.
fn ec2_capacity(
    rng: &mut Rng,
    stack: &mut Stack,
    vpc: &Vpc,
    cluster: &Cluster,
) -> ecscdk::Result<()> {
    let instance_type = rng.or_hostile("t3.medium".to_owned(), Rng::string);
    let (min, max) = (rng.or_hostile(0, Rng::u32), rng.or_hostile(4, Rng::u32));
    let mut group = AutoScalingGroup::builder("Asg", vpc, instance_type).capacity(min, max);
    if rng.chance(30) {
        let desired = rng.or_hostile(2, Rng::u32);
        group = group.desired_capacity(desired);
    }
    if rng.chance(20) {
        let (base, percent) = (rng.or_hostile(0, Rng::u32), rng.or_hostile(50, Rng::u32));
        group = group.spot(base, percent);
    }
    let group = group.build(stack)?;
    let target = rng.or_hostile(100, Rng::u32);
    let provider = AsgCapacityProvider::builder("Provider", &group)
        .target_capacity_percent(target)
        .build(stack)?;
    cluster.add_asg_capacity_provider(stack, &provider)?;
    let mode = rng.pick(&[
        Ec2NetworkMode::Bridge,
        Ec2NetworkMode::Host,
        Ec2NetworkMode::AwsVpc,
        Ec2NetworkMode::None,
    ]);
    let mut c = container(rng).memory_limit_mib(256);
    if rng.chance(20) {
        let gpus = rng.or_hostile(1, Rng::u32);
        c = c.gpu_count(gpus);
    }
    let task = Ec2TaskDefinition::builder("Ec2Task", mode)
        .container(c)
        .build(stack)?;
    let mut service = Ec2Service::builder("Ec2Service", cluster, &task)
        .capacity_provider_strategy([provider.strategy()]);
    if rng.chance(30) {
        service = service.placement_strategy(PlacementStrategy::spread_across_instances());
    }
    if rng.chance(20) {
        service = service.daemon();
    }
    service.build(stack)?;
    Ok(())
}

/// An ECS Anywhere task definition and service.
fn external(rng: &mut Rng, stack: &mut Stack, cluster: &Cluster) -> ecscdk::Result<()> {
    let mode = rng.pick(&[
        ExternalNetworkMode::Bridge,
        ExternalNetworkMode::Host,
        ExternalNetworkMode::None,
    ]);
    let task = ExternalTaskDefinition::builder("EdgeTask", mode)
        .container(container(rng).memory_limit_mib(128))
        .build(stack)?;
    let mut service = ExternalService::builder("Edge", cluster, &task);
    if rng.chance(50) {
        let (min, max) = (rng.or_hostile(50, Rng::u32), rng.or_hostile(100, Rng::u32));
        service = service.min_healthy_percent(min).max_percent(max);
    }
    if rng.chance(20) {
        service = service.daemon();
    }
    service.build(stack)?;
    Ok(())
}

#[test]
fn hostile_values_never_panic() {
    let base: u64 = std::env::var("ECSCDK_HOSTILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00EC_5CDC);
    let runs: u64 = std::env::var("ECSCDK_HOSTILE_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let (mut built, mut synthesized) = (0, 0);
    let mut schemas = oracle::Schemas::default();
    for i in 0..runs {
        let seed = base.wrapping_add(i);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut rng = Rng(seed);
            let app = build(&mut rng).ok()?;
            Some(app.synth().ok())
        }));
        match outcome {
            Ok(Some(assembly)) => {
                built += 1;
                let Some(assembly) = assembly else { continue };
                synthesized += 1;
                let mut violations = Vec::new();
                for stack in assembly.stacks() {
                    oracle::validate_template(
                        &stack.id,
                        &stack.template,
                        &mut schemas,
                        &mut violations,
                    );
                }
                assert!(
                    violations.is_empty(),
                    "seed {seed} synthesized templates the registry schemas reject (rerun with ECSCDK_HOSTILE_SEED={seed} ECSCDK_HOSTILE_RUNS=1):\n{}",
                    violations.join("\n")
                );
            }
            Ok(None) => {}
            Err(_) => panic!(
                "panicked on seed {seed}: rerun with ECSCDK_HOSTILE_SEED={seed} ECSCDK_HOSTILE_RUNS=1"
            ),
        }
    }
    // The generator must reach synth often enough to test it.
    assert!(
        built * 5 >= runs,
        "only {built} of {runs} apps built; the generator is too hostile to reach synth"
    );
    eprintln!("{runs} apps: {built} built, {synthesized} synthesized");
}
