//! GuardDuty's detector, SNS topics, alarms and dashboards.

use super::*;

/// Lowers GuardDuty's detector (`guardduty_detector`), before everything else.
pub(super) fn detector(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let stack = &mut l.stack;
    if let Some(detector) = &spec.guardduty_detector {
        let here = at.key("guardduty_detector");
        let mut builder = RuntimeMonitoring::builder(detector.id.as_deref().unwrap_or("GuardDuty"));
        if let Some(on) = detector.fargate_agent_management {
            builder = builder.fargate_agent_management(on);
        }
        if let Some(on) = detector.ec2_agent_management {
            builder = builder.ec2_agent_management(on);
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        if detector.acknowledge_warning {
            stack.acknowledge_warning(handle.node(), DETECTOR_WARNING);
        }
    }
    Ok(())
}

/// Lowers `topics`, which alarms and recommended alarms notify.
pub(super) fn topics(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, topic) in &spec.topics {
        let here = at.key("topics").key(id);
        let mut builder = Topic::builder(id.clone());
        if let Some(name) = &topic.topic_name {
            builder = builder.topic_name(name.clone());
        }
        if let Some(name) = &topic.display_name {
            builder = builder.display_name(name.clone());
        }
        for address in &topic.email {
            builder = builder.subscription(Subscription::Email(address.clone()));
        }
        for url in &topic.https {
            builder = builder.subscription(Subscription::Https(url.clone()));
        }
        for arn in &topic.sqs {
            builder = builder.subscription(Subscription::Sqs(arn.clone().into()));
        }
        for arn in &topic.lambda {
            builder = builder.subscription(Subscription::Lambda(arn.clone().into()));
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        built.topics.insert(id.clone(), handle);
    }
    Ok(())
}

/// Lowers `alarms`, each with its topics and the deployments it watches.
pub(super) fn alarms(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, alarm) in &spec.alarms {
        let here = at.key("alarms").key(id);
        let mut metric = metric_ref(built, &alarm.metric, &here.key("metric"), src)?;
        if let Some(period) = alarm.period {
            metric = metric.period(period.get());
        }
        if let Some(statistic) = alarm.statistic {
            metric = metric.statistic(match statistic {
                model::StatisticSpec::Average => Statistic::Average,
                model::StatisticSpec::Minimum => Statistic::Minimum,
                model::StatisticSpec::Maximum => Statistic::Maximum,
                model::StatisticSpec::Sum => Statistic::Sum,
                model::StatisticSpec::SampleCount => Statistic::SampleCount,
            });
        }
        let mut builder = Alarm::builder(id.clone(), metric, alarm.threshold);
        if let Some(c) = alarm.comparison {
            builder = builder.comparison(match c {
                model::ComparisonSpec::GreaterThanOrEqual => Comparison::GreaterThanOrEqual,
                model::ComparisonSpec::GreaterThan => Comparison::GreaterThan,
                model::ComparisonSpec::LessThan => Comparison::LessThan,
                model::ComparisonSpec::LessThanOrEqual => Comparison::LessThanOrEqual,
            });
        }
        if let Some(n) = alarm.evaluation_periods {
            builder = builder.evaluation_periods(n);
        }
        if let Some(n) = alarm.datapoints_to_alarm {
            builder = builder.datapoints_to_alarm(n);
        }
        if let Some(t) = alarm.treat_missing_data {
            builder = builder.treat_missing_data(match t {
                model::TreatMissingDataSpec::Breaching => TreatMissingData::Breaching,
                model::TreatMissingDataSpec::NotBreaching => TreatMissingData::NotBreaching,
                model::TreatMissingDataSpec::Ignore => TreatMissingData::Ignore,
                model::TreatMissingDataSpec::Missing => TreatMissingData::Missing,
            });
        }
        if let Some(text) = &alarm.description {
            builder = builder.description(text.clone());
        }
        if let Some(name) = &alarm.alarm_name {
            builder = builder.alarm_name(name.clone());
        }
        let alarm_topic = topic_ref(
            built,
            alarm.alarm_topic.as_deref(),
            &here.key("alarm_topic"),
            src,
        )?;
        if let Some(topic) = alarm_topic {
            builder = builder.alarm_topic(topic);
        }
        let ok_topic = topic_ref(built, alarm.ok_topic.as_deref(), &here.key("ok_topic"), src)?;
        if let Some(topic) = ok_topic {
            builder = builder.ok_topic(topic);
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        match (&alarm.deployment_alarm_of, alarm.rollback) {
            (Some(service), rollback) => {
                let at = here.key("deployment_alarm_of");
                service_ref(built, service, &at, src)?
                    .add_deployment_alarm(stack, handle, rollback.unwrap_or(true))
                    .map_err(|e| src.build(&at, e))?;
            }
            (None, Some(_)) => {
                return Err(src.invalid(
                    &here.key("rollback"),
                    "`rollback` goes with `deployment_alarm_of: SERVICE`; add it, or remove `rollback`",
                ));
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// Lowers `dashboards`.
pub(super) fn dashboards(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (id, dashboard) in &spec.dashboards {
        let here = at.key("dashboards").key(id);
        let mut builder = Dashboard::builder(id.clone());
        for (i, row) in dashboard.rows.iter().enumerate() {
            let at = here.key("rows").index(i);
            match (&row.markdown, &row.service) {
                (Some(text), None) => {
                    let mut widget = TextWidget::new(text.clone());
                    if let Some(w) = row.width {
                        widget = widget.width(w);
                    }
                    if let Some(h) = row.height {
                        widget = widget.height(h);
                    }
                    builder = builder.row([widget]);
                }
                (None, Some(service)) => {
                    if row.width.is_some() || row.height.is_some() {
                        return Err(src.invalid(
                            &at,
                            "a service's row has its own widget sizes; remove `width` and `height`",
                        ));
                    }
                    let alarms = built
                        .recommended
                        .get(service)
                        .map(|a| a.all().to_vec())
                        .unwrap_or_default();
                    let widgets = service_ref(built, service, &at.key("service"), src)?
                        .dashboard_widgets(alarms);
                    builder = builder.row(widgets);
                }
                _ => {
                    return Err(src.invalid(
                        &at,
                        "a row is `markdown: TEXT` or `service: ID`; give one of them",
                    ));
                }
            }
        }
        builder.build(stack).map_err(|e| src.build(&here, e))?;
    }
    Ok(())
}

/// The topic an entry names, if it names one.
pub(super) fn topic_ref(
    built: &Built,
    name: Option<&str>,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<Option<Topic>, Error> {
    let Some(name) = name else { return Ok(None) };
    built.topics.get(name).copied().map(Some).ok_or_else(|| {
        src.invalid(
            at,
            format!(
                "no topic {name:?} in this stack; define it under `topics`{}",
                known(built.topics.keys())
            ),
        )
    })
}

/// The ECS service of an entry of `services` or of a pattern.
pub(super) fn service_ref<'a>(
    built: &'a Built,
    id: &str,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<&'a FargateService, Error> {
    built
        .services
        .get(id)
        .or_else(|| built.load_balanced.get(id).map(|s| s.service()))
        .or_else(|| built.network_load_balanced.get(id).map(|s| s.service()))
        .or_else(|| built.queue_services.get(id).map(|s| s.service()))
        .ok_or_else(|| {
            src.invalid(
                at,
                format!("no service {id:?} in this stack; name an entry of services, load_balanced_services, network_load_balanced_services or queue_processing_services"),
            )
        })
}

/// The metric `<id>.<metric>` names.
pub(super) fn metric_ref(
    built: &Built,
    reference: &str,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<Metric, Error> {
    let Some((id, name)) = reference.rsplit_once('.') else {
        return Err(src.invalid(
            at,
            format!("{reference:?} is not a metric; write `<construct id>.<metric>`, such as `Web.target_5xx_count`"),
        ));
    };
    let load_balancer = built
        .load_balanced
        .get(id)
        .map(|s| s.load_balancer())
        .or_else(|| {
            built
                .network_load_balanced
                .get(id)
                .map(|s| s.load_balancer())
        });
    match (name, load_balancer) {
        ("target_5xx_count", Some(lb)) => return Ok(lb.metric_target_5xx_count()),
        ("elb_5xx_count", Some(lb)) => return Ok(lb.metric_elb_5xx_count()),
        _ => {}
    }
    if let Some(queue) = built.queue_services.get(id).map(|s| s.queue()) {
        match name {
            "oldest_message_age" => return Ok(queue.metric_oldest_message_age()),
            "visible_messages" => return Ok(queue.metric_visible_messages()),
            _ => {}
        }
    }
    let service = service_ref(built, id, at, src)?;
    match name {
        "cpu_utilization" => Ok(service.metric_cpu_utilization()),
        "memory_utilization" => Ok(service.metric_memory_utilization()),
        "running_task_count" => Ok(service.metric_running_task_count()),
        "desired_task_count" => Ok(service.metric_desired_task_count()),
        "pending_task_count" => Ok(service.metric_pending_task_count()),
        _ => Err(src.invalid(
            at,
            format!("{id:?} has no metric {name:?}; services have cpu_utilization, memory_utilization, running_task_count, desired_task_count and pending_task_count, load-balanced services also target_5xx_count and elb_5xx_count, queue services oldest_message_age and visible_messages"),
        )),
    }
}
