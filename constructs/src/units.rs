//! Conversions of Rust values to the units CloudFormation properties use.

use std::time::Duration;

/// A duration in whole seconds, as CloudFormation's `Integer` properties
/// take it: the fraction is dropped, and a duration beyond `i64::MAX`
/// seconds (about 292 billion years) becomes `i64::MAX`, which any range
/// check of the caller then reports as too long.
pub(crate) fn whole_seconds(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_the_fraction_and_saturates() {
        assert_eq!(whole_seconds(Duration::from_millis(1_999)), 1);
        assert_eq!(whole_seconds(Duration::from_secs(u64::MAX)), i64::MAX);
    }
}
