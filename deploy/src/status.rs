//! `status [STACK]`: what runs now. For each stack, its CloudFormation
//! status, and for each ECS service of its template (named by construct
//! path, not ARN) the desired, running and pending counts, its deployments
//! and its last events, from ECS `DescribeServices`.

use std::collections::BTreeMap;
use std::io::Write;

use aws_sdk_ecs::types::Service;
use ecscdk_synth::{Assembly, StackArtifact};
use serde_json::Value as Json;

use crate::cloudformation::ordered;
use crate::connection::{Aws, connect, runtime, service_error};
use crate::error::{Error, Result};
use crate::live::{construct_path, describe, status_text};

/// How many of a service's latest events `status` shows.
const EVENTS_SHOWN: usize = 3;

/// DescribeServices takes at most this many services per call.
const DESCRIBE_BATCH: usize = 10;

/// An ECS service of a stack's template.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TemplateService {
    logical_id: String,
    /// The construct that made it (`Web/Service`).
    path: String,
}

/// `status`: prints each selected stack's status and its services' state.
///
/// # Errors
/// [`Error::Service`] when a call to CloudFormation or ECS fails.
pub fn status(
    assembly: &Assembly,
    selected: &[&StackArtifact],
    conn: &crate::Connection,
) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async {
        for stack in ordered(assembly, selected, false) {
            let aws = connect(conn, stack.env.region()).await?;
            let text = stack_status(&aws, stack).await?;
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
        Ok(())
    })
}

async fn stack_status(aws: &Aws, stack: &StackArtifact) -> Result<String> {
    let name = stack.stack_name.as_str();
    let Some(deployed) = describe(&aws.cfn, name).await? else {
        return Ok(format!("{}: NOT_DEPLOYED\n", stack.id));
    };
    let mut out = format!("{}: {}\n", stack.id, status_text(deployed.stack_status()));
    let services = template_services(stack)?;
    if services.is_empty() {
        return Ok(out);
    }
    let physical = physical_ids(aws, name).await?;
    // Service ARNs name their cluster: service/<cluster>/<name>.
    // (An ARN of the old format names none: the default cluster.)
    let mut by_cluster: BTreeMap<Option<String>, Vec<(&TemplateService, String)>> = BTreeMap::new();
    for service in &services {
        match physical.get(&service.logical_id) {
            Some(arn) => by_cluster
                .entry(cluster_of(arn))
                .or_default()
                .push((service, arn.clone())),
            None => out.push_str(&format!("  {}: not created\n", service.path)),
        }
    }
    for (cluster, members) in by_cluster {
        for batch in members.chunks(DESCRIBE_BATCH) {
            let found = aws
                .ecs
                .describe_services()
                .set_cluster(cluster.clone())
                .set_services(Some(batch.iter().map(|(_, arn)| arn.clone()).collect()))
                .send()
                .await
                .map_err(|e| service_error(name, "DescribeServices", &e))?;
            for (service, arn) in batch {
                match found
                    .services()
                    .iter()
                    .find(|s| s.service_arn() == Some(arn))
                {
                    Some(live) => out.push_str(&describe_service(&service.path, live)),
                    None => {
                        out.push_str(&format!("  {}: not found in ECS ({arn})\n", service.path))
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The ECS services of the stack's template, by logical ID, with the path
/// of the construct that made each.
fn template_services(stack: &StackArtifact) -> Result<Vec<TemplateService>> {
    let template: Json = serde_json::from_str(&stack.template).map_err(|e| Error::Service {
        stack: stack.id.clone(),
        action: "status",
        message: format!("the synthesized template is not JSON: {e}"),
        fix: "synthesize again".to_owned(),
    })?;
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
        return Ok(Vec::new());
    };
    Ok(resources
        .iter()
        .filter(|(_, r)| r.get("Type").and_then(Json::as_str) == Some("AWS::ECS::Service"))
        .map(|(id, r)| TemplateService {
            logical_id: id.clone(),
            path: construct_path(id, r),
        })
        .collect())
}

/// Logical ID → physical ID of the stack's resources.
async fn physical_ids(aws: &Aws, stack: &str) -> Result<BTreeMap<String, String>> {
    let mut ids = BTreeMap::new();
    let mut token = None;
    loop {
        let page = aws
            .cfn
            .list_stack_resources()
            .stack_name(stack)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| service_error(stack, "ListStackResources", &e))?;
        for r in page.stack_resource_summaries() {
            if let (Some(logical), Some(physical)) =
                (r.logical_resource_id(), r.physical_resource_id())
            {
                ids.insert(logical.to_owned(), physical.to_owned());
            }
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(ids);
        }
    }
}

/// The cluster named in a service ARN (`arn:…:service/<cluster>/<name>`).
fn cluster_of(service_arn: &str) -> Option<String> {
    let resource = service_arn.split(':').nth(5)?;
    let mut parts = resource.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("service"), Some(cluster), Some(_)) => Some(cluster.to_owned()),
        _ => None,
    }
}

/// A service's counts, deployments and latest events, indented under its
/// stack.
fn describe_service(path: &str, live: &Service) -> String {
    let mut out = format!(
        "  {path}: desired {}, running {}, pending {}{}\n",
        live.desired_count(),
        live.running_count(),
        live.pending_count(),
        live.status()
            .map_or_else(String::new, |s| format!(" ({s})"))
    );
    for d in live.deployments() {
        let rollout = d
            .rollout_state()
            .map_or_else(String::new, |s| format!(" {}", s.as_str()));
        let task = d
            .task_definition()
            .and_then(|arn| arn.rsplit('/').next())
            .unwrap_or("?");
        out.push_str(&format!(
            "    deployment {}{rollout}: {} running, {} pending, {} failed of {} ({task})\n",
            d.status().unwrap_or("?"),
            d.running_count(),
            d.pending_count(),
            d.failed_tasks(),
            d.desired_count(),
        ));
    }
    for e in live.events().iter().take(EVENTS_SHOWN) {
        let when = e.created_at().map(|t| t.to_string()).unwrap_or_default();
        out.push_str(&format!("    {when} {}\n", e.message().unwrap_or("")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cluster_of_a_service_arn() {
        assert_eq!(
            cluster_of("arn:aws:ecs:us-east-1:123456789012:service/web-cluster/web-svc").as_deref(),
            Some("web-cluster")
        );
        // The old ARN format names no cluster.
        assert_eq!(
            cluster_of("arn:aws:ecs:us-east-1:123456789012:service/web-svc"),
            None
        );
        assert_eq!(cluster_of("not an arn"), None);
    }
}
