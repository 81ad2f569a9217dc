//! `Schedule`: when a scheduled scaling action runs.

use std::time::Duration;

/// When a scheduled scaling action runs: a cron expression, a rate, or one
/// moment; with an optional time zone and active window.
///
/// The expression is checked when the action is added to its target
/// ([`ScalableTarget::scale_on_schedule`](crate::appscaling::ScalableTarget::scale_on_schedule)),
/// where an error can name the construct.
///
/// ```
/// use std::time::Duration;
/// use ecscdk::appscaling::Schedule;
///
/// let nightly = Schedule::cron("0 22 ? * MON-FRI *").timezone("Europe/Paris");
/// let hourly = Schedule::rate(Duration::from_secs(3600));
/// let launch = Schedule::at("2026-12-24T18:00:00");
/// # let _ = (nightly, hourly, launch);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Schedule {
    kind: Kind,
    pub(crate) timezone: Option<String>,
    pub(crate) start_time: Option<String>,
    pub(crate) end_time: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Cron(String),
    Rate(Duration),
    At(String),
}

impl Schedule {
    fn of(kind: Kind) -> Self {
        Self {
            kind,
            timezone: None,
            start_time: None,
            end_time: None,
        }
    }

    /// A cron expression of six fields, `minutes hours day-of-month month
    /// day-of-week year` (`"0 22 ? * MON-FRI *"`); one of day-of-month and
    /// day-of-week must be `?`. Rendered as `cron(...)`.
    pub fn cron(expression: impl Into<String>) -> Self {
        Self::of(Kind::Cron(expression.into()))
    }

    /// Every `every`, a whole number of minutes: rendered in days, hours or
    /// minutes, whichever divides it (`rate(1 day)`, `rate(90 minutes)`), as
    /// the CDK renders it.
    pub fn rate(every: Duration) -> Self {
        Self::of(Kind::Rate(every))
    }

    /// Once, at `moment`, written `yyyy-mm-ddThh:mm:ss` (UTC unless a
    /// [`timezone`](Self::timezone) is given). Rendered as `at(...)`.
    pub fn at(moment: impl Into<String>) -> Self {
        Self::of(Kind::At(moment.into()))
    }

    /// The IANA time zone (`Europe/Paris`) in which a cron or at schedule is
    /// read.
    ///
    /// CloudFormation default: UTC.
    /// ecscdk default: omitted (UTC).
    pub fn timezone(mut self, zone: impl Into<String>) -> Self {
        self.timezone = Some(zone.into());
        self
    }

    /// When the action becomes active, `yyyy-mm-ddThh:mm:ss` with an optional
    /// `Z`.
    ///
    /// CloudFormation default: active at once.
    /// ecscdk default: omitted.
    pub fn start_time(mut self, moment: impl Into<String>) -> Self {
        self.start_time = Some(moment.into());
        self
    }

    /// When the action expires, `yyyy-mm-ddThh:mm:ss` with an optional `Z`.
    ///
    /// CloudFormation default: never expires.
    /// ecscdk default: omitted.
    pub fn end_time(mut self, moment: impl Into<String>) -> Self {
        self.end_time = Some(moment.into());
        self
    }

    /// The `Schedule` expression, or what is wrong with it.
    pub(crate) fn expression(&self) -> Result<String, String> {
        match &self.kind {
            Kind::Cron(expr) => {
                check_cron(expr)?;
                Ok(format!("cron({expr})"))
            }
            Kind::Rate(every) => rate_expression(*every),
            Kind::At(moment) => {
                if !is_timestamp(moment, false) {
                    return Err(format!(
                        "at schedule {moment:?} is not a moment written yyyy-mm-ddThh:mm:ss"
                    ));
                }
                Ok(format!("at({moment})"))
            }
        }
    }

    /// What is wrong with the time zone and the window, if anything.
    pub(crate) fn window_problem(&self) -> Option<String> {
        if let Some(zone) = &self.timezone {
            if matches!(self.kind, Kind::Rate(_)) {
                return Some(
                    "a time zone applies only to cron and at schedules; remove it from the rate schedule".into(),
                );
            }
            let valid = !zone.is_empty()
                && zone.len() <= 1600
                && zone
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '+' | '-'));
            if !valid {
                return Some(format!(
                    "time zone {zone:?} is not an IANA time zone name such as Europe/Paris or UTC"
                ));
            }
        }
        for (what, t) in [
            ("start time", &self.start_time),
            ("end time", &self.end_time),
        ] {
            if let Some(t) = t
                && !is_timestamp(t, true)
            {
                return Some(format!(
                    "{what} {t:?} is not a moment written yyyy-mm-ddThh:mm:ss (optionally followed by Z)"
                ));
            }
        }
        if let (Some(start), Some(end)) = (&self.start_time, &self.end_time)
            && start.trim_end_matches('Z') >= end.trim_end_matches('Z')
        {
            return Some(format!(
                "start time {start} is not before end time {end}; swap them or move the end"
            ));
        }
        None
    }
}

fn rate_expression(every: Duration) -> Result<String, String> {
    let secs = every.as_secs();
    if every.subsec_nanos() != 0 || !secs.is_multiple_of(60) || secs == 0 {
        return Err(format!(
            "rate {every:?} is not a positive whole number of minutes; use at least 60 seconds, in steps of 60"
        ));
    }
    let (n, unit) = if secs.is_multiple_of(86_400) {
        (secs / 86_400, "day")
    } else if secs.is_multiple_of(3_600) {
        (secs / 3_600, "hour")
    } else {
        (secs / 60, "minute")
    };
    Ok(if n == 1 {
        format!("rate(1 {unit})")
    } else {
        format!("rate({n} {unit}s)")
    })
}

/// `yyyy-mm-ddThh:mm:ss`, optionally followed by `Z` when `zulu` is allowed,
/// with a real calendar date.
fn is_timestamp(text: &str, zulu: bool) -> bool {
    let text = if zulu {
        text.strip_suffix('Z').unwrap_or(text)
    } else {
        text
    };
    let b = text.as_bytes();
    if b.len() != 19 {
        return false;
    }
    let shape_ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        10 => *c == b'T',
        13 | 16 => *c == b':',
        _ => c.is_ascii_digit(),
    });
    if !shape_ok {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d) && h < 24 && mi < 60 && s < 60
}

/// One field of a cron expression: its name, numeric range, the names it
/// accepts for values, and the special characters allowed.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    question: bool,
    last: bool,
    weekday: bool,
    nth: bool,
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: [Field; 6] = [
    Field {
        name: "minutes",
        min: 0,
        max: 59,
        names: &[],
        question: false,
        last: false,
        weekday: false,
        nth: false,
    },
    Field {
        name: "hours",
        min: 0,
        max: 23,
        names: &[],
        question: false,
        last: false,
        weekday: false,
        nth: false,
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        question: true,
        last: true,
        weekday: true,
        nth: false,
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
        question: false,
        last: false,
        weekday: false,
        nth: false,
    },
    Field {
        name: "day-of-week",
        min: 1,
        max: 7,
        names: DAYS,
        question: true,
        last: true,
        weekday: false,
        nth: true,
    },
    Field {
        name: "year",
        min: 1970,
        max: 2199,
        names: &[],
        question: false,
        last: false,
        weekday: false,
        nth: false,
    },
];

/// Checks the basics Application Auto Scaling checks: six fields, values in
/// range, and `?` in exactly one of day-of-month and day-of-week.
fn check_cron(expr: &str) -> Result<(), String> {
    let parts: Vec<&str> = expr.split_whitespace().collect();
    if parts.len() != 6 {
        return Err(format!(
            "cron expression {expr:?} has {} fields; write six: minutes hours day-of-month month day-of-week year",
            parts.len()
        ));
    }
    for (field, text) in FIELDS.iter().zip(&parts) {
        check_cron_field(field, text)
            .map_err(|why| format!("cron expression {expr:?}, {}: {why}", field.name))?;
    }
    let (dom, dow) = (parts.get(2).copied(), parts.get(4).copied());
    if (dom == Some("?")) == (dow == Some("?")) {
        return Err(format!(
            "cron expression {expr:?}: exactly one of day-of-month and day-of-week must be `?`; e.g. `0 8 ? * MON-FRI *` or `0 8 1 * ? *`"
        ));
    }
    Ok(())
}

fn check_cron_field(field: &Field, text: &str) -> Result<(), String> {
    if text == "?" {
        return if field.question {
            Ok(())
        } else {
            Err("`?` is only allowed in day-of-month or day-of-week".into())
        };
    }
    for item in text.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (item, None),
        };
        if let Some(step) = step
            && !step.parse::<u32>().is_ok_and(|n| n >= 1)
        {
            return Err(format!("step {step:?} is not a positive number"));
        }
        if base == "*" {
            continue;
        }
        if field.last && base == "L" {
            continue;
        }
        if field.weekday
            && let Some(day) = base.strip_suffix('W')
        {
            if day == "L" || value(field, day).is_some() {
                continue;
            }
            return Err(format!(
                "{base:?} is not valid; W follows a day of the month (15W) or L"
            ));
        }
        if field.last
            && field.nth
            && let Some(day) = base.strip_suffix('L')
        {
            if value(field, day).is_some() {
                continue;
            }
            return Err(format!(
                "{base:?} is not valid; L follows a day of the week (6L)"
            ));
        }
        if field.nth
            && let Some((day, n)) = base.split_once('#')
        {
            if value(field, day).is_some() && n.parse::<u32>().is_ok_and(|n| (1..=5).contains(&n)) {
                continue;
            }
            return Err(format!(
                "{base:?} is not valid; write day#n with n from 1 to 5 (6#3)"
            ));
        }
        let (lo, hi) = match base.split_once('-') {
            Some((lo, hi)) => (lo, Some(hi)),
            None => (base, None),
        };
        let Some(lo_v) = value(field, lo) else {
            return Err(out_of_range(field, lo));
        };
        if let Some(hi) = hi {
            let Some(hi_v) = value(field, hi) else {
                return Err(out_of_range(field, hi));
            };
            // Day and month ranges may wrap (FRI-MON); years and times may not.
            if hi_v < lo_v && field.names.is_empty() {
                return Err(format!("range {base:?} starts after it ends"));
            }
        }
    }
    Ok(())
}

fn value(field: &Field, text: &str) -> Option<u32> {
    if let Some(i) = field
        .names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(text))
    {
        return u32::try_from(i).ok().map(|i| i + 1);
    }
    let v = text.parse::<u32>().ok()?;
    (field.min..=field.max).contains(&v).then_some(v)
}

fn out_of_range(field: &Field, text: &str) -> String {
    let names = if field.names.is_empty() {
        String::new()
    } else {
        format!(
            " or {}-{}",
            field.names[0],
            field.names[field.names.len() - 1]
        )
    };
    format!(
        "{text:?} is not a value from {} to {}{names}",
        field.min, field.max
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_use_the_largest_whole_unit_as_the_cdk_does() {
        let r = |s| Schedule::rate(Duration::from_secs(s)).expression().unwrap();
        assert_eq!(r(60), "rate(1 minute)");
        assert_eq!(r(90 * 60), "rate(90 minutes)");
        assert_eq!(r(3600), "rate(1 hour)");
        assert_eq!(r(7200), "rate(2 hours)");
        assert_eq!(r(86_400), "rate(1 day)");
        assert_eq!(r(3 * 86_400), "rate(3 days)");
        assert!(
            Schedule::rate(Duration::from_secs(90))
                .expression()
                .is_err()
        );
        assert!(Schedule::rate(Duration::ZERO).expression().is_err());
    }

    #[test]
    fn cron_basics_are_checked() {
        let ok = |e: &str| Schedule::cron(e).expression().is_ok();
        assert!(ok("0 22 ? * MON-FRI *"));
        assert!(ok("0/15 8-18 1,15 * ? 2026"));
        assert!(ok("0 0 L * ? *"));
        assert!(ok("0 0 ? * 6#3 *"));
        assert!(ok("0 0 ? * 6L *"));
        assert!(ok("0 0 15W JAN-MAR ? *"));
        assert!(ok("0 0 ? * FRI-MON *"));
        assert!(!ok("0 22 * * MON-FRI *"));
        assert!(!ok("0 22 ? * ? *"));
        assert!(!ok("0 22 * * ?"));
        assert!(!ok("60 22 * * ? *"));
        assert!(!ok("0 24 * * ? *"));
        assert!(!ok("0 0 32 * ? *"));
        assert!(!ok("0 0 * 13 ? *"));
        assert!(!ok("0 0 ? * 8 *"));
        assert!(!ok("0 0 * * ? 1969"));
        assert!(!ok("0/0 0 * * ? *"));
        assert!(!ok("? 0 * * ? *"));
        assert!(!ok("30-10 0 * * ? *"));
    }

    #[test]
    fn timestamps_are_real_dates() {
        assert!(is_timestamp("2028-02-29T23:59:59", false));
        assert!(!is_timestamp("2027-02-29T00:00:00", false));
        assert!(!is_timestamp("2026-12-24 18:00:00", false));
        assert!(!is_timestamp("2026-12-24T18:00:00Z", false));
        assert!(is_timestamp("2026-12-24T18:00:00Z", true));
        assert!(!is_timestamp("2026-12-24T24:00:00", true));
    }
}
