//! Stack outputs: `<construct id>.<attribute>`.

use super::*;

/// Lowers `outputs`.
pub(super) fn outputs(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src) = (l.spec, l.at, l.src);
    let (stack, built) = (&mut l.stack, &mut l.built);
    for (name, reference) in &spec.outputs {
        let here = at.key("outputs").key(name);
        let value = output_value(built, reference, &here, src)?;
        stack.output(name, value).map_err(|e| src.build(&here, e))?;
    }
    Ok(())
}

pub(super) fn output_value(
    built: &Built,
    reference: &str,
    at: &FieldPath,
    src: &Source<'_>,
) -> Result<Value<String>, Error> {
    let Some((id, attribute)) = reference.rsplit_once('.') else {
        return Err(src.invalid(
            at,
            format!("{reference:?} is not a reference; write `<construct id>.<attribute>`, such as `Service.name`"),
        ));
    };
    let unknown = |kind: &str, attributes: &str| {
        src.invalid(
            at,
            format!("a {kind} has no output attribute {attribute:?}; use one of: {attributes}"),
        )
    };
    if let Some(service) = built.ec2_services.get(id) {
        return match attribute {
            "name" => Ok(service.name().into()),
            "arn" => Ok(service.arn().into()),
            _ => Err(unknown("service", "name, arn")),
        };
    }
    if let Some(service) = built.mi_services.get(id) {
        return match attribute {
            "name" => Ok(service.name().into()),
            "arn" => Ok(service.arn().into()),
            _ => Err(unknown("service", "name, arn")),
        };
    }
    if let Some(provider) = built.mi_providers.get(id) {
        return match attribute {
            "name" => Ok(provider.name().into()),
            _ => Err(unknown("capacity provider", "name")),
        };
    }
    if let Some(provider) = built.asg_providers.get(id) {
        return match attribute {
            "name" => Ok(provider.name().into()),
            _ => Err(unknown("capacity provider", "name")),
        };
    }
    if let Some(service) = built.services.get(id) {
        return match attribute {
            "name" => Ok(service.name().into()),
            "arn" => Ok(service.arn().into()),
            _ => Err(unknown("service", "name, arn")),
        };
    }
    if let Some((_, cluster)) = built.cluster.as_ref().filter(|(cid, _)| cid == id) {
        return match attribute {
            "name" => Ok(cluster.name()),
            "arn" => Ok(cluster.arn()),
            _ => Err(unknown("cluster", "name, arn")),
        };
    }
    if let Some((_, vpc)) = built.vpc.as_ref().filter(|(vid, _)| vid == id) {
        return match attribute {
            "id" => Ok(vpc.vpc_id()),
            _ => Err(unknown("VPC", "id")),
        };
    }
    if let Some(service) = built.load_balanced.get(id) {
        return match attribute {
            "service_name" => Ok(service.service().name().into()),
            "load_balancer_dns" => Ok(service.load_balancer().dns_name().into()),
            _ => Err(unknown(
                "load-balanced service",
                "service_name, load_balancer_dns",
            )),
        };
    }
    if let Some(service) = built.network_load_balanced.get(id) {
        return match attribute {
            "service_name" => Ok(service.service().name().into()),
            "load_balancer_dns" => Ok(service.load_balancer().dns_name().into()),
            _ => Err(unknown(
                "load-balanced service",
                "service_name, load_balancer_dns",
            )),
        };
    }
    if let Some(service) = built.queue_services.get(id) {
        return match attribute {
            "service_name" => Ok(service.service().name().into()),
            "queue_url" => Ok(service.queue().url().into()),
            "queue_arn" => Ok(service.queue().arn().into()),
            "dead_letter_queue_url" => service
                .dead_letter_queue()
                .map(|q| q.url().into())
                .ok_or_else(|| {
                    src.invalid(at, "this queue service has no dead-letter queue of its own")
                }),
            _ => Err(unknown(
                "queue processing service",
                "service_name, queue_url, queue_arn, dead_letter_queue_url",
            )),
        };
    }
    if let Some(task) = built.scheduled.get(id) {
        return match attribute {
            "dead_letter_queue_url" => Ok(task.dead_letter_queue().url().into()),
            _ => Err(unknown("scheduled task", "dead_letter_queue_url")),
        };
    }
    Err(src.invalid(
        at,
        format!("no construct {id:?} in this stack; name the id of its vpc, cluster, or an entry of services, load_balanced_services, queue_processing_services or scheduled_tasks"),
    ))
}
