//! Copilot's text conversions: a Scheduled Job's `on.schedule` into an
//! AWS schedule expression (as `ScheduledJob.awsSchedule` in Copilot's
//! `deploy/cloudformation/stack/scheduled_job.go`), Go durations, and the
//! shell-style split of a `command` or `entrypoint` string (Copilot uses
//! `github.com/google/shlex`).

use std::time::Duration;

/// What a Copilot schedule becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Schedule {
    /// An AWS `cron(…)` or `rate(…)` expression.
    Expression(String),
    /// `none`: Copilot deploys the rule disabled (with `rate(5 minutes)`).
    Disabled,
}

/// Converts `on.schedule`: `rate(…)`/`cron(…)` pass through, `none`
/// disables, `@every D` becomes `rate(N minutes)`, `@hourly`, `@daily` and
/// the like fixed crons, and a 5-field cron the AWS 6-field form.
pub(super) fn convert(schedule: &str) -> Result<Schedule, String> {
    let schedule = schedule.trim();
    if schedule.is_empty() {
        return Err("an empty schedule".to_owned());
    }
    if schedule == "none" {
        return Ok(Schedule::Disabled);
    }
    if (schedule.starts_with("rate(") || schedule.starts_with("cron(")) && schedule.ends_with(')') {
        return Ok(Schedule::Expression(schedule.to_owned()));
    }
    if let Some(every) = schedule.strip_prefix("@every ") {
        let d = go_duration(every.trim())?;
        if d.as_nanos() % 60_000_000_000 != 0 {
            return Err("an @every duration must be a whole number of minutes or hours".to_owned());
        }
        let minutes = d.as_secs() / 60;
        if minutes < 1 {
            return Err("an @every duration must be at least 1 minute".to_owned());
        }
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        return Ok(Schedule::Expression(format!("rate({minutes} {unit})")));
    }
    if schedule.starts_with('@') {
        let cron = match schedule {
            "@hourly" => "0 * * * ? *",
            "@daily" | "@midnight" => "0 0 * * ? *",
            "@weekly" => "0 0 ? * 1 *",
            "@monthly" => "0 0 1 * ? *",
            "@yearly" | "@annually" => "0 0 1 1 ? *",
            _ => {
                return Err(format!(
                    "{schedule:?} is not a preset schedule; use @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually or @every DURATION"
                ));
            }
        };
        return Ok(Schedule::Expression(format!("cron({cron})")));
    }
    aws_cron(schedule).map(Schedule::Expression)
}

/// A standard 5-field cron as AWS's 6 fields: `?` in day-of-month or
/// day-of-week, day-of-week digits plus one (AWS counts Sunday as 1), and
/// a year `*`.
fn aws_cron(schedule: &str) -> Result<String, String> {
    let mut fields: Vec<String> = schedule.split_whitespace().map(str::to_owned).collect();
    if fields.len() != 5 {
        return Err(format!(
            "{schedule:?} is not a schedule: write a 5-field cron (minute hour day-of-month month day-of-week), @daily and the like, @every DURATION, rate(…), cron(…) or none"
        ));
    }
    let specified = |f: &str| !f.contains(['*', '?']);
    let (dom, dow) = (specified(&fields[2]), specified(&fields[4]));
    match (dom, dow) {
        (false, false) => {
            fields[4] = "?".to_owned();
            fields[2] = "*".to_owned();
        }
        (false, true) => fields[2] = "?".to_owned(),
        (true, false) => fields[4] = "?".to_owned(),
        (true, true) => {
            return Err(format!(
                "{schedule:?} sets both day-of-month and day-of-week, which AWS cron cannot"
            ));
        }
    }
    // Copilot adds one to every digit of the day-of-week field.
    fields[4] = fields[4]
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_digit((d + 1) % 10, 10).unwrap_or(c),
            None => c,
        })
        .collect();
    fields.push("*".to_owned());
    Ok(format!("cron({})", fields.join(" ")))
}

/// A Go duration (`time.ParseDuration`): numbers with units `ns`, `us`,
/// `µs`, `ms`, `s`, `m`, `h`, decimals allowed (`1.5h`), or `0`.
pub(super) fn go_duration(text: &str) -> Result<Duration, String> {
    let hint = "write a duration such as 30s, 5m, 1h30m or 500ms";
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    if text.is_empty() {
        return Err(hint.to_owned());
    }
    let mut nanos: f64 = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..len].parse().map_err(|_| hint.to_owned())?;
        rest = &rest[len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(hint.to_owned()),
        };
        rest = &rest[unit_len..];
        nanos += number * scale;
    }
    if !nanos.is_finite() || nanos > 1e18 {
        return Err("too long a duration".to_owned());
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(Duration::from_nanos(nanos.round() as u64))
}

/// Splits a command string with shell rules, as `google/shlex`: blanks
/// separate words, single quotes keep everything, double quotes keep all
/// but backslash escapes, a backslash outside quotes escapes the next
/// character, and `#` at the start of a word comments out the rest of the
/// line.
pub(super) fn shell_split(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(next) => word.push(next),
                    None => return Err("a command ends with a lone backslash".to_owned()),
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a command has an unclosed single quote".to_owned()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c) => word.push(c),
                            None => {
                                return Err("a command has an unclosed double quote".to_owned());
                            }
                        },
                        Some(c) => word.push(c),
                        None => return Err("a command has an unclosed double quote".to_owned()),
                    }
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Quotes words for `sh` (single quotes where needed), to run an exec-form
/// health check through `CMD-SHELL`.
pub(super) fn shell_join(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_schedules_as_copilot() {
        for (text, want) in [
            ("30 2 * * 1-5", "cron(30 2 ? * 2-6 *)"),
            ("0 9 * * 1-5", "cron(0 9 ? * 2-6 *)"),
            ("*/15 * * * *", "cron(*/15 * * * ? *)"),
            ("0 0 1 * *", "cron(0 0 1 * ? *)"),
            ("0 12 * * 0", "cron(0 12 ? * 1 *)"),
            ("@weekly", "cron(0 0 ? * 1 *)"),
            ("@daily", "cron(0 0 * * ? *)"),
            ("@midnight", "cron(0 0 * * ? *)"),
            ("@hourly", "cron(0 * * * ? *)"),
            ("@monthly", "cron(0 0 1 * ? *)"),
            ("@yearly", "cron(0 0 1 1 ? *)"),
            ("@every 1h30m", "rate(90 minutes)"),
            ("@every 1m", "rate(1 minute)"),
            ("rate(5 minutes)", "rate(5 minutes)"),
            ("cron(0 2 * * ? *)", "cron(0 2 * * ? *)"),
        ] {
            assert_eq!(
                convert(text),
                Ok(Schedule::Expression(want.to_owned())),
                "{text}"
            );
        }
        assert_eq!(convert("none"), Ok(Schedule::Disabled));
        for bad in [
            "0 0 1 * 1",
            "@every 30s",
            "@every 90s",
            "@often",
            "1 2 3",
            "",
        ] {
            assert!(convert(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn splits_commands_as_shlex() {
        let split = |t: &str| shell_split(t).unwrap_or_default();
        assert_eq!(
            split("serve --listen :9000 --log-format json"),
            ["serve", "--listen", ":9000", "--log-format", "json"]
        );
        assert_eq!(
            split(r#"sh -c 'echo "hi there"' "a \"b\"" c\ d"#),
            ["sh", "-c", "echo \"hi there\"", "a \"b\"", "c d"]
        );
        assert_eq!(split("run # a comment"), ["run"]);
        assert!(shell_split("echo 'open").is_err());
    }

    #[test]
    fn reads_go_durations() {
        assert_eq!(go_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(go_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(go_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(go_duration("0"), Ok(Duration::ZERO));
        assert!(go_duration("5 minutes").is_err());
        assert!(go_duration("").is_err());
    }

    #[test]
    fn quotes_for_the_shell() {
        let words: Vec<String> = ["/app/healthcheck", "--port", "9000", "a b"]
            .map(String::from)
            .to_vec();
        assert_eq!(shell_join(&words), "/app/healthcheck --port 9000 'a b'");
    }
}
