//! What is deployed: a stack's description, its status in words, and its
//! template as CloudFormation holds it.

use std::collections::BTreeMap;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{StackStatus, TemplateStage};
use serde_json::Value as Json;

use crate::connection::{is_missing, service_error};
use crate::error::{Error, Result};

/// The stack's live description, or `None` when it does not exist.
pub(crate) async fn describe(
    cfn: &Client,
    name: &str,
) -> Result<Option<aws_sdk_cloudformation::types::Stack>> {
    match cfn.describe_stacks().stack_name(name).send().await {
        Ok(out) => Ok(out
            .stacks()
            .first()
            .cloned()
            .filter(|s| s.stack_status() != Some(&StackStatus::DeleteComplete))),
        Err(e) if is_missing(&e) => Ok(None),
        Err(e) => Err(service_error(name, "DescribeStacks", &e)),
    }
}

/// The status as CloudFormation spells it (`UNKNOWN` without one).
pub(crate) fn status_text(s: Option<&StackStatus>) -> String {
    s.map_or_else(|| "UNKNOWN".to_owned(), |s| s.as_str().to_owned())
}

/// Whether CloudFormation is still working on the stack (a change set
/// under review is not).
pub(crate) fn in_progress(s: &StackStatus) -> bool {
    s.as_str().ends_with("_IN_PROGRESS") && *s != StackStatus::ReviewInProgress
}

/// The template the stack was deployed with (`null` when there is no stack).
pub(crate) async fn deployed_template(cfn: &Client, name: &str) -> Result<Json> {
    match cfn
        .get_template()
        .stack_name(name)
        .template_stage(TemplateStage::Original)
        .send()
        .await
    {
        Ok(out) => {
            let body = out.template_body().unwrap_or("{}");
            serde_json::from_str(body).map_err(|e| Error::Service {
                stack: name.to_owned(),
                action: "GetTemplate",
                message: format!("the deployed template is not JSON: {e}"),
                fix: "compare offline with --template FILE".to_owned(),
            })
        }
        Err(e) if is_missing(&e) => Ok(Json::Null),
        Err(e) => Err(service_error(name, "GetTemplate", &e)),
    }
}

/// The path of the construct that made a template resource: its
/// `aws:cdk:path` without the resource's own child id (`Resource`, or
/// `Service` for an ECS service), else its logical ID.
pub(crate) fn construct_path(logical_id: &str, resource: &Json) -> String {
    let path = resource
        .pointer("/Metadata/aws:cdk:path")
        .and_then(Json::as_str)
        .unwrap_or(logical_id);
    path.strip_suffix("/Resource")
        .or_else(|| path.strip_suffix("/Service"))
        .unwrap_or(path)
        .to_owned()
}

/// The ECS services of a template: logical ID → the path of the construct
/// that made each.
pub(crate) fn ecs_services(template: &Json) -> BTreeMap<String, String> {
    template
        .get("Resources")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, r)| r.get("Type").and_then(Json::as_str) == Some("AWS::ECS::Service"))
        .map(|(id, r)| (id.clone(), construct_path(id, r)))
        .collect()
}

/// Logical ID → physical ID of a deployed stack's resources.
///
/// # Errors
/// [`Error::NotDeployed`] when there is no such stack.
pub(crate) async fn physical_ids(cfn: &Client, stack: &str) -> Result<BTreeMap<String, String>> {
    let mut ids = BTreeMap::new();
    let mut token = None;
    loop {
        let page = match cfn
            .list_stack_resources()
            .stack_name(stack)
            .set_next_token(token)
            .send()
            .await
        {
            Ok(page) => page,
            Err(e) if is_missing(&e) => {
                return Err(Error::NotDeployed {
                    stack: stack.to_owned(),
                });
            }
            Err(e) => return Err(service_error(stack, "ListStackResources", &e)),
        };
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
