//! `ScheduleExpression`: when an EventBridge Scheduler schedule fires.

use crate::appscaling::Schedule as Checked;

/// The unit of a rate expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateUnit {
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
}

impl RateUnit {
    fn word(self, n: u32) -> &'static str {
        match (self, n == 1) {
            (Self::Minutes, true) => "minute",
            (Self::Minutes, false) => "minutes",
            (Self::Hours, true) => "hour",
            (Self::Hours, false) => "hours",
            (Self::Days, true) => "day",
            (Self::Days, false) => "days",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Cron(String),
    Rate(u32, RateUnit),
    At(String),
}

/// When a schedule fires: a cron expression, a rate, or one moment, with an
/// optional IANA time zone for cron and at schedules.
///
/// Checked when the schedule is built, where an error can name the
/// construct: six cron fields with values in range and `?` in exactly one
/// of day-of-month and day-of-week; a rate of at least 1; a real calendar
/// moment; a time-zone name (and none on a rate).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ScheduleExpression {
    kind: Kind,
    timezone: Option<String>,
}

impl ScheduleExpression {
    fn of(kind: Kind) -> Self {
        Self {
            kind,
            timezone: None,
        }
    }

    /// A cron expression of six fields, `minutes hours day-of-month month
    /// day-of-week year` (`"0 2 * * ? *"`); one of day-of-month and
    /// day-of-week must be `?`. Rendered as `cron(...)`.
    pub fn cron(expression: impl Into<String>) -> Self {
        Self::of(Kind::Cron(expression.into()))
    }

    /// Every day at `hour`:`minute` (in the [`timezone`](Self::timezone),
    /// UTC without one): `cron(minute hour * * ? *)`.
    pub fn daily_at(hour: u8, minute: u8) -> Self {
        Self::cron(format!("{minute} {hour} * * ? *"))
    }

    /// Every `value` `unit`s (`rate(1 hour)`, `rate(15 minutes)`); `value`
    /// is at least 1.
    pub fn rate(value: u32, unit: RateUnit) -> Self {
        Self::of(Kind::Rate(value, unit))
    }

    /// Once, at `moment`, written `yyyy-mm-ddThh:mm:ss` (in the time zone,
    /// UTC without one). Rendered as `at(...)`.
    pub fn at(moment: impl Into<String>) -> Self {
        Self::of(Kind::At(moment.into()))
    }

    /// The IANA time zone (`Europe/Paris`) in which a cron or at schedule is
    /// read; it follows daylight saving time.
    ///
    /// CloudFormation default: UTC.
    /// ecscdk default: omitted (UTC).
    pub fn timezone(mut self, zone: impl Into<String>) -> Self {
        self.timezone = Some(zone.into());
        self
    }

    /// The time zone, if one was given.
    #[must_use]
    pub fn timezone_name(&self) -> Option<&str> {
        self.timezone.as_deref()
    }

    /// The `ScheduleExpression` as EventBridge Scheduler reads it, or what
    /// is wrong with it (or with its time zone).
    ///
    /// # Errors
    /// A sentence saying what is wrong and how to fix it.
    pub fn expression(&self) -> Result<String, String> {
        let (expression, checked) = match &self.kind {
            Kind::Cron(expr) => {
                let checked = Checked::cron(expr.clone());
                (checked.expression()?, checked)
            }
            Kind::At(moment) => {
                let checked = Checked::at(moment.clone());
                (checked.expression()?, checked)
            }
            Kind::Rate(value, unit) => {
                if *value == 0 {
                    return Err("a rate of 0 never fires; give a value of at least 1".to_owned());
                }
                if self.timezone.is_some() {
                    return Err(
                        "a time zone applies only to cron and at schedules; remove it from the rate schedule"
                            .to_owned(),
                    );
                }
                return Ok(format!("rate({value} {})", unit.word(*value)));
            }
        };
        if let Some(zone) = &self.timezone
            && let Some(problem) = checked.timezone(zone.clone()).window_problem()
        {
            return Err(problem);
        }
        Ok(expression)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_render_as_scheduler_reads_them() {
        let e = |s: ScheduleExpression| s.expression();
        assert_eq!(
            e(ScheduleExpression::daily_at(2, 0)).unwrap(),
            "cron(0 2 * * ? *)"
        );
        assert_eq!(
            e(ScheduleExpression::rate(1, RateUnit::Days)).unwrap(),
            "rate(1 day)"
        );
        assert_eq!(
            e(ScheduleExpression::rate(15, RateUnit::Minutes)).unwrap(),
            "rate(15 minutes)"
        );
        assert_eq!(
            e(ScheduleExpression::at("2026-12-24T18:00:00").timezone("Europe/Paris")).unwrap(),
            "at(2026-12-24T18:00:00)"
        );
        assert!(e(ScheduleExpression::rate(0, RateUnit::Hours)).is_err());
        assert!(e(ScheduleExpression::rate(1, RateUnit::Hours).timezone("UTC")).is_err());
        assert!(e(ScheduleExpression::cron("0 2 * * *")).is_err());
        assert!(e(ScheduleExpression::daily_at(24, 0)).is_err());
        assert!(e(ScheduleExpression::daily_at(2, 0).timezone("Europe Paris")).is_err());
    }
}
