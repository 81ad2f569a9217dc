//! The order stacks deploy in: each stack after the stacks it references
//! or was told to depend on, and a cycle reported with the references that
//! close it.

use std::sync::Arc;

use super::{Plan, path_of};
use crate::error::{Error, Result};
use crate::fast_hash::FastMap;
use crate::stack::Stack;
use crate::tree::{ConstructPath, StackId};

/// Stack dependencies from `add_dependency`, `DependsOn` and node
/// dependencies that point into other stacks.
pub(super) fn explicit_dependencies(
    stack: &Stack,
    position: &FastMap<StackId, usize>,
    plan: &mut Plan,
    errors: &mut Vec<Error>,
) {
    let stack_path = ConstructPath::new(stack.construct_id.clone());
    let mut add = |other: StackId, reason: String, errors: &mut Vec<Error>| {
        if other == stack.id {
            return;
        }
        if position.contains_key(&other) {
            plan.depends_on.entry(other).or_insert(reason);
        } else {
            errors.push(Error::Unresolvable {
                path: stack_path.clone(),
                reason: "depends on a stack that was not added to the app; add it with `App::add`"
                    .to_owned(),
            });
        }
    };
    for (other, reason) in &stack.stack_dependencies {
        let reason = if reason.is_empty() {
            "an explicit `add_dependency`".to_owned()
        } else {
            reason.clone()
        };
        add(*other, reason, errors);
    }
    for entry in &stack.resources {
        for dep in &entry.options().depends_on {
            add(
                dep.node.stack,
                format!(
                    "{} has DependsOn on a resource of it",
                    path_of(stack, entry.node.index)
                ),
                errors,
            );
        }
        if let Some(cond) = entry.options().condition
            && cond.node.stack != stack.id
        {
            errors.push(Error::Unresolvable {
                path: stack.path(entry.node),
                reason: "uses a condition of another stack; declare the condition in this stack"
                    .to_owned(),
            });
        }
    }
    for (from, to) in &stack.node_dependencies {
        add(
            to.stack,
            format!(
                "{} depends on a construct of it",
                path_of(stack, from.index)
            ),
            errors,
        );
    }
}

/// Stacks in deployment order: each after the stacks it depends on, ties
/// kept in the order they were added to the app.
pub(super) fn deploy_order(
    stacks: &[Arc<Stack>],
    plans: &[Plan],
    position: &FastMap<StackId, usize>,
) -> Result<Vec<usize>> {
    let deps: Vec<Vec<usize>> = plans
        .iter()
        .map(|p| {
            p.depends_on
                .keys()
                .filter_map(|id| position.get(id).copied())
                .collect()
        })
        .collect();
    let mut placed = vec![false; stacks.len()];
    let mut order = Vec::with_capacity(stacks.len());
    while order.len() < stacks.len() {
        let next = (0..stacks.len()).find(|&i| {
            !placed.get(i).copied().unwrap_or(true)
                && deps
                    .get(i)
                    .is_some_and(|d| d.iter().all(|&j| placed.get(j).copied().unwrap_or(false)))
        });
        match next {
            Some(i) => {
                if let Some(p) = placed.get_mut(i) {
                    *p = true;
                }
                order.push(i);
            }
            None => return Err(cycle_error(stacks, plans, &deps, &placed)),
        }
    }
    Ok(order)
}

/// Describes one cycle among the stacks not yet placed.
fn cycle_error(
    stacks: &[Arc<Stack>],
    plans: &[Plan],
    deps: &[Vec<usize>],
    placed: &[bool],
) -> Error {
    let start = (0..stacks.len())
        .find(|&i| !placed.get(i).copied().unwrap_or(true))
        .unwrap_or(0);
    // Walk unplaced dependencies until a stack repeats.
    let mut walk = vec![start];
    let mut at = start;
    loop {
        let next = deps.get(at).and_then(|d| {
            d.iter()
                .copied()
                .find(|&j| !placed.get(j).copied().unwrap_or(true))
        });
        let Some(next) = next else { break };
        if let Some(pos) = walk.iter().position(|&w| w == next) {
            walk.drain(..pos);
            walk.push(next);
            break;
        }
        walk.push(next);
        at = next;
    }
    let name = |i: usize| stacks.get(i).map_or("?", |s| s.construct_id.as_str());
    let cycle = walk
        .iter()
        .map(|&i| name(i))
        .collect::<Vec<_>>()
        .join(" -> ");
    // Every edge of the cycle with what makes it, so each can be undone.
    let reason = walk
        .windows(2)
        .filter_map(|pair| {
            let (&consumer, &producer) = (pair.first()?, pair.get(1)?);
            let why = plans
                .get(consumer)?
                .depends_on
                .get(&stacks.get(producer)?.id)?;
            Some(format!("{} -> {}: {why}", name(consumer), name(producer)))
        })
        .collect::<Vec<_>>()
        .join("; ");
    Error::DependencyCycle { cycle, reason }
}
