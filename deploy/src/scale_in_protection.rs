//! Scale-in protection while a stack is deleted: the instances of the
//! stack's Auto Scaling groups that ECS protected (managed termination
//! protection) are unprotected as the deletion reaches their group, and
//! again every few seconds, else the groups never empty and the deletion
//! stalls.

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use serde_json::Value as Json;

use crate::connection::service_error;
use crate::error::Result;
use crate::live::deployed_template;

/// How often a destroy clears scale-in protection again while it waits.
pub(crate) const UNPROTECT_EVERY: Duration = Duration::from_secs(20);

/// The Auto Scaling groups a stack deletes with itself (not those its
/// deployed template retains), by physical name.
pub(crate) async fn doomed_groups(cfn: &Client, name: &str) -> Vec<String> {
    let template = deployed_template(cfn, name).await.unwrap_or(Json::Null);
    let retained = |id: Option<&str>| {
        id.and_then(|id| template.get("Resources")?.get(id)?.get("DeletionPolicy"))
            .and_then(Json::as_str)
            .is_some_and(|p| p.starts_with("Retain"))
    };
    let mut groups = Vec::new();
    let mut pages = cfn
        .list_stack_resources()
        .stack_name(name)
        .into_paginator()
        .send();
    while let Some(Ok(page)) = pages.next().await {
        for r in page.stack_resource_summaries() {
            // moto lists resources it ignores with no type or logical id.
            if r.resource_type() != Some("AWS::AutoScaling::AutoScalingGroup")
                || retained(r.logical_resource_id())
            {
                continue;
            }
            if let Some(p) = r.physical_resource_id().filter(|p| !p.is_empty())
                && !groups.iter().any(|g| g == p)
            {
                groups.push(p.to_owned());
            }
        }
    }
    groups
}

/// Clears instance scale-in protection on the Auto Scaling groups of a
/// stack being deleted. CloudFormation deletes a group by scaling it to
/// zero, which never terminates a protected instance, and ECS leaves the
/// protection that a capacity provider's managed termination protection set
/// on the instances when the capacity provider is deleted: the delete would
/// hang on the group (aws-cdk issues 14732 and 18179, containers-roadmap
/// 2862). On a group that is going away the protection guards nothing.
pub(crate) struct Unprotect<'a> {
    pub(crate) autoscaling: &'a aws_sdk_autoscaling::Client,
    pub(crate) groups: &'a [String],
}

impl Unprotect<'_> {
    /// Clears what is protected, reporting through `say`; a failure is a
    /// warning (the deploy budget still catches a stalled delete).
    pub(crate) async fn run(&self, stack: &str, say: impl Fn(&str)) {
        match self.clear(stack).await {
            Ok(0) => {}
            Ok(n) => say(&format!(
                "{stack}: cleared scale-in protection on {n} instance{} of {}",
                if n == 1 { "" } else { "s" },
                self.groups.join(", ")
            )),
            Err(e) => say(&format!(
                "{stack}: warning: could not clear the scale-in protection of {}, so deleting them may stall: {e}",
                self.groups.join(", ")
            )),
        }
    }

    /// The number of instances unprotected, 50 per `SetInstanceProtection`.
    async fn clear(&self, stack: &str) -> Result<usize> {
        let mut cleared = 0;
        for names in self.groups.chunks(50) {
            let mut pages = self
                .autoscaling
                .describe_auto_scaling_groups()
                .set_auto_scaling_group_names(Some(names.to_vec()))
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page =
                    page.map_err(|e| service_error(stack, "DescribeAutoScalingGroups", &e))?;
                for group in page.auto_scaling_groups() {
                    let protected: Vec<String> = group
                        .instances()
                        .iter()
                        .filter(|i| i.protected_from_scale_in() == Some(true))
                        .filter(|i| {
                            !i.lifecycle_state()
                                .is_some_and(|s| s.as_str().starts_with("Terminat"))
                        })
                        .filter_map(|i| i.instance_id().map(str::to_owned))
                        .collect();
                    for batch in protected.chunks(50) {
                        self.autoscaling
                            .set_instance_protection()
                            .auto_scaling_group_name(
                                group.auto_scaling_group_name().unwrap_or_default(),
                            )
                            .set_instance_ids(Some(batch.to_vec()))
                            .protected_from_scale_in(false)
                            .send()
                            .await
                            .map_err(|e| service_error(stack, "SetInstanceProtection", &e))?;
                        cleared += batch.len();
                    }
                }
            }
        }
        Ok(cleared)
    }
}
