//! Fargate capacity provider strategies.
//!
//! A strategy spreads a service's tasks over `FARGATE` and `FARGATE_SPOT`:
//! `base` tasks go to one provider first, the rest by `weight`.
//!
//! ```
//! use ecscdk::ecs::FargateCapacity;
//! let strategy = [FargateCapacity::on_demand().base(1).weight(1), FargateCapacity::spot().weight(2)];
//! # let _ = strategy;
//! ```

use crate::synth::{NodeId, Value};
use crate::{Error, Result, Stack};

/// Which Fargate capacity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FargateProvider {
    /// `FARGATE`: on-demand capacity.
    Fargate,
    /// `FARGATE_SPOT`: spare capacity at a discount, interruptible.
    FargateSpot,
}

/// One item of a Fargate capacity provider strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FargateCapacity {
    provider: FargateProvider,
    base: Option<u32>,
    weight: u32,
}

impl FargateCapacity {
    /// On-demand Fargate, weight 1 and no base until set.
    #[must_use]
    pub fn on_demand() -> Self {
        Self {
            provider: FargateProvider::Fargate,
            base: None,
            weight: 1,
        }
    }

    /// Fargate Spot, weight 1 and no base until set.
    #[must_use]
    pub fn spot() -> Self {
        Self {
            provider: FargateProvider::FargateSpot,
            base: None,
            weight: 1,
        }
    }

    /// How many tasks, at least, run on this provider (0–100,000; only one
    /// item of a strategy may have a base).
    ///
    /// CloudFormation default: 0.
    /// ecscdk default: omitted (0).
    #[must_use]
    pub fn base(mut self, tasks: u32) -> Self {
        self.base = Some(tasks);
        self
    }

    /// The share of tasks beyond the bases (0–1,000).
    ///
    /// CloudFormation default: 0 (a provider of weight 0 gets no tasks
    /// beyond its base).
    /// ecscdk default: 1, so that an item without a base places tasks.
    #[must_use]
    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = weight;
        self
    }

    /// The provider.
    #[must_use]
    pub fn provider(self) -> FargateProvider {
        self.provider
    }

    /// The base, if set.
    #[must_use]
    pub fn base_tasks(self) -> Option<u32> {
        self.base
    }

    /// The weight.
    #[must_use]
    pub fn weight_value(self) -> u32 {
        self.weight
    }

    /// The provider's name as ECS spells it.
    #[must_use]
    pub fn provider_name(self) -> &'static str {
        match self.provider {
            FargateProvider::Fargate => "FARGATE",
            FargateProvider::FargateSpot => "FARGATE_SPOT",
        }
    }
}

impl FargateCapacity {
    pub(crate) fn item(self) -> StrategyItem {
        StrategyItem {
            label: self.provider_name().to_owned(),
            name: Value::from(self.provider_name()),
            base: self.base,
            weight: self.weight,
        }
    }
}

/// One item of a capacity provider strategy of any kind, as checked and
/// rendered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StrategyItem {
    /// How errors name the provider (and what makes two items the same).
    pub(crate) label: String,
    /// The provider's name in the template.
    pub(crate) name: Value<String>,
    pub(crate) base: Option<u32>,
    pub(crate) weight: u32,
}

/// Checks a strategy as ECS would: at most one base, bases ≤ 100,000,
/// weights ≤ 1,000 and not all zero, each provider once.
pub(crate) fn check_strategy(
    stack: &Stack,
    node: NodeId,
    setter: &str,
    strategy: &[StrategyItem],
) -> Result<()> {
    let bad = |reason: String| Error::InvalidProperty {
        path: stack.path(node),
        property: setter.to_owned(),
        reason,
    };
    if strategy.is_empty() {
        return Ok(());
    }
    if strategy
        .iter()
        .filter(|i| i.base.is_some_and(|b| b > 0))
        .count()
        > 1
    {
        return Err(bad("only one item of a capacity provider strategy may have a base; keep the base on one provider".to_owned()));
    }
    if let Some(i) = strategy
        .iter()
        .find(|i| i.base.is_some_and(|b| b > 100_000))
    {
        return Err(bad(format!(
            "base {} is above ECS's limit of 100000",
            i.base.unwrap_or_default()
        )));
    }
    if let Some(i) = strategy.iter().find(|i| i.weight > 1000) {
        return Err(bad(format!(
            "weight {} is above ECS's limit of 1000",
            i.weight
        )));
    }
    if strategy.iter().all(|i| i.weight == 0) {
        return Err(bad(
            "at least one item of a capacity provider strategy needs a weight above 0".to_owned(),
        ));
    }
    for (n, item) in strategy.iter().enumerate() {
        if strategy[..n]
            .iter()
            .any(|earlier| earlier.label == item.label)
        {
            return Err(bad(format!(
                "{} appears twice; give each provider one item",
                item.label
            )));
        }
    }
    Ok(())
}
