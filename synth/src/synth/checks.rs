//! What synth checks beyond each resource's own properties: a stack's
//! settings (name, description, termination protection, tags), export
//! names unique across the app, CloudFormation's size limits, and property
//! overrides against the resource's registry schema.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Plan, limits};
use crate::error::Error;
use crate::resolve::{self};
use crate::resource::{Report, ResourceEntry};
use crate::stack::Stack;
use crate::tree::ConstructPath;

pub(super) fn check_stack_settings(stack: &Stack, errors: &mut Vec<Error>) {
    let path = ConstructPath::new(stack.construct_id.clone());
    let name = stack.name();
    let name_ok = name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !name_ok {
        errors.push(Error::InvalidStackName {
            path: path.clone(),
            name: name.to_owned(),
        });
    }
    if let Some(account) = stack.env.account()
        && (account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()))
    {
        errors.push(Error::InvalidEnvironment {
            path: path.clone(),
            reason: format!("account {account:?} is not 12 digits"),
        });
    }
    if let Some(region) = stack.env.region()
        && (region.is_empty()
            || !region
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        errors.push(Error::InvalidEnvironment {
            path: path.clone(),
            reason: format!("region {region:?} is not a region name such as us-east-1"),
        });
    }
    let counts = [
        (
            "resources",
            stack.resources.len(),
            limits::RESOURCES,
            "split the stack into several stacks",
        ),
        (
            "parameters",
            stack.parameters.len(),
            limits::PARAMETERS,
            "pass values through fewer parameters or mappings",
        ),
        (
            "mappings",
            stack.mappings.len(),
            limits::MAPPINGS,
            "merge mappings",
        ),
    ];
    for (what, actual, limit, fix) in counts {
        if actual > limit {
            errors.push(Error::LimitExceeded {
                path: path.clone(),
                what,
                limit,
                actual,
                fix,
            });
        }
    }
    if let Some(d) = &stack.description
        && d.len() > limits::DESCRIPTION_BYTES
    {
        errors.push(Error::LimitExceeded {
            path: path.clone(),
            what: "bytes of template description",
            limit: limits::DESCRIPTION_BYTES,
            actual: d.len(),
            fix: "shorten the description",
        });
    }
    for mapping in &stack.mappings {
        let mpath = stack.path(mapping.node);
        if mapping.value.entries.len() > limits::MAPPING_ATTRIBUTES {
            errors.push(Error::LimitExceeded {
                path: mpath.clone(),
                what: "top-level keys in a mapping",
                limit: limits::MAPPING_ATTRIBUTES,
                actual: mapping.value.entries.len(),
                fix: "split the mapping",
            });
        }
        let has_expr = mapping
            .value
            .entries
            .values()
            .flat_map(|inner| inner.values())
            .any(resolve::has_expr);
        if has_expr {
            errors.push(Error::InvalidProperty {
                path: mpath,
                property: "Mappings".to_owned(),
                reason: "mapping values must be literal strings or lists; CloudFormation does not evaluate intrinsics in mappings".to_owned(),
            });
        }
    }
    for out in &stack.outputs {
        if let Some(d) = &out.value.description
            && d.len() > limits::DESCRIPTION_BYTES
        {
            errors.push(Error::LimitExceeded {
                path: stack.path(out.node),
                what: "bytes of output description",
                limit: limits::DESCRIPTION_BYTES,
                actual: d.len(),
                fix: "shorten the description",
            });
        }
    }
}

pub(super) fn check_export_names(stacks: &[Arc<Stack>], plans: &[Plan], errors: &mut Vec<Error>) {
    let mut seen: HashMap<String, ConstructPath> = HashMap::new();
    for (stack, plan) in stacks.iter().zip(plans) {
        let outputs = stack.outputs.len() + plan.exports.len();
        if outputs > limits::OUTPUTS {
            errors.push(Error::LimitExceeded {
                path: ConstructPath::new(stack.construct_id.clone()),
                what: "outputs (those of cross-stack references included)",
                limit: limits::OUTPUTS,
                actual: outputs,
                fix: "remove outputs or split the stack",
            });
        }
        let user = stack.outputs.iter().filter_map(|o| {
            o.value
                .export_name
                .as_ref()
                .and_then(|n| n.literal())
                .map(|n| (n.clone(), stack.path(o.node)))
        });
        let generated = plan.exports.iter().filter_map(|e| {
            Some((
                e.name.clone()?,
                ConstructPath::new(format!(
                    "{}/{}/{}",
                    stack.construct_id, e.scope, e.output_id
                )),
            ))
        });
        for (name, path) in user.chain(generated) {
            if let Some(first) = seen.get(&name) {
                errors.push(Error::DuplicateExportName {
                    name,
                    first: first.clone(),
                    second: path,
                });
            } else {
                seen.insert(name, path);
            }
        }
    }
}

pub(super) fn check_size(stack: &Stack, bytes: usize, errors: &mut Vec<Error>) {
    if bytes > limits::TEMPLATE_BYTES {
        errors.push(Error::LimitExceeded {
            path: ConstructPath::new(stack.construct_id.clone()),
            what: "bytes of template",
            limit: limits::TEMPLATE_BYTES,
            actual: bytes,
            fix: "split the stack into several stacks",
        });
    }
}

/// Turns a resource's report into [`Error::InvalidProperty`] errors.
pub(super) fn push_problems(
    stack: &Stack,
    entry: &ResourceEntry,
    report: Report,
    errors: &mut Vec<Error>,
) {
    for problem in report.into_problems() {
        errors.push(Error::InvalidProperty {
            path: stack.path(entry.node),
            property: format!("/Properties{}", problem.pointer),
            reason: format!("{} (schema rule `{}`)", problem.message, problem.rule),
        });
    }
}
