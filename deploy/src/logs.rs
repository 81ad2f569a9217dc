//! `logs PATH [--since 10m] [--follow]`: the awslogs output of a service's
//! or a task definition's containers, found from the app itself: the task
//! definition's `awslogs` options name the log group (resolved to its
//! physical name through the deployed stack) and the stream prefix, and
//! ECS writes each task's container to `<prefix>/<container>/<task id>`.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::time::{Duration, SystemTime};

use ecscdk_synth::{Assembly, StackArtifact};
use serde_json::Value as Json;

use crate::connection::{Aws, connect, runtime, service_error};
use crate::error::{Error, Result};
use crate::live::physical_ids;

/// How often `--follow` asks for new events.
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

/// One container's log stream family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogSource {
    container: String,
    /// The log group: a literal name or a logical ID of the stack.
    group: Group,
    stream_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Group {
    Named(String),
    Resource(String),
}

/// `logs`: prints the events of the construct at `path` (a service or a
/// task definition, as `Stack/Service`) since `since` ago, and with
/// `follow` keeps printing new ones until interrupted.
///
/// # Errors
/// [`Error::UnknownPath`] when no service or task definition with awslogs
/// containers has that path; [`Error::Service`] when a call fails.
pub fn logs(
    assembly: &Assembly,
    path: &str,
    conn: &crate::Connection,
    since: Duration,
    follow: bool,
) -> Result<()> {
    let (stack, sources) = find(assembly, path)?;
    let rt = runtime()?;
    rt.block_on(async {
        let aws = connect(conn, stack.env.region()).await?;
        let groups = resolve_groups(&aws, stack, &sources).await?;
        let mut start = SystemTime::now()
            .checked_sub(since)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            let mut events = Vec::new();
            for (source, group) in &groups {
                events.extend(read(&aws, &stack.stack_name, source, group, start, None).await?);
            }
            events.sort_by_key(|e| e.0);
            let mut out = std::io::stdout().lock();
            for (timestamp, id, line) in events {
                if seen.insert(id) {
                    let _ = writeln!(out, "{line}");
                    start = start.max(
                        SystemTime::UNIX_EPOCH
                            + Duration::from_millis(u64::try_from(timestamp).unwrap_or(0)),
                    );
                }
            }
            drop(out);
            if !follow {
                return Ok(());
            }
            tokio::time::sleep(FOLLOW_EVERY).await;
        }
    })
}

/// The stack and the awslogs sources of the service or task definition at
/// `path`.
fn find<'a>(assembly: &'a Assembly, path: &str) -> Result<(&'a StackArtifact, Vec<LogSource>)> {
    let mut known = Vec::new();
    let mut found = None;
    for stack in assembly.stacks() {
        let Ok(template) = serde_json::from_str::<Json>(&stack.template) else {
            continue;
        };
        let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
            continue;
        };
        for (id, resource) in resources {
            let task_definition = match resource.get("Type").and_then(Json::as_str) {
                Some("AWS::ECS::TaskDefinition") => Some(id.as_str()),
                Some("AWS::ECS::Service") => resource
                    .pointer("/Properties/TaskDefinition/Ref")
                    .and_then(Json::as_str),
                _ => None,
            };
            let construct = crate::live::construct_path(id, resource);
            let Some(task_definition) = task_definition else {
                if construct == path {
                    found = resource
                        .get("Type")
                        .and_then(Json::as_str)
                        .map(str::to_owned);
                }
                continue;
            };
            let sources = resources
                .get(task_definition)
                .map(sources_of)
                .unwrap_or_default();
            if sources.is_empty() {
                continue;
            }
            if construct == path {
                return Ok((stack, sources));
            }
            known.push(construct);
        }
    }
    known.sort();
    Err(Error::UnknownPath {
        path: path.to_owned(),
        wanted: "service or task definition with awslogs containers",
        found,
        known: if known.is_empty() {
            "none: no service or task definition logs with awslogs".to_owned()
        } else {
            known.join(", ")
        },
    })
}

/// The awslogs containers of a task definition resource.
pub(crate) fn sources_of(task_definition: &Json) -> Vec<LogSource> {
    let Some(containers) = task_definition
        .pointer("/Properties/ContainerDefinitions")
        .and_then(Json::as_array)
    else {
        return Vec::new();
    };
    containers
        .iter()
        .filter_map(|c| {
            let config = c.get("LogConfiguration")?;
            if config.get("LogDriver")?.as_str()? != "awslogs" {
                return None;
            }
            let options = config.get("Options")?;
            let group = match options.get("awslogs-group")? {
                Json::String(name) => Group::Named(name.clone()),
                other => Group::Resource(other.get("Ref")?.as_str()?.to_owned()),
            };
            Some(LogSource {
                container: c.get("Name")?.as_str()?.to_owned(),
                group,
                stream_prefix: options.get("awslogs-stream-prefix")?.as_str()?.to_owned(),
            })
        })
        .collect()
}

/// Each source with its log group's name (through the deployed stack for
/// a group of the stack); a group the stack does not have is left out.
pub(crate) async fn resolve_groups(
    aws: &Aws,
    stack: &StackArtifact,
    sources: &[LogSource],
) -> Result<Vec<(LogSource, String)>> {
    let physical = physical_groups(aws, stack, sources).await?;
    Ok(sources
        .iter()
        .filter_map(|source| {
            let name = match &source.group {
                Group::Named(name) => name.clone(),
                Group::Resource(id) => physical.get(id)?.clone(),
            };
            Some((source.clone(), name))
        })
        .collect())
}

/// The physical names of the log groups the sources name by logical ID.
async fn physical_groups(
    aws: &Aws,
    stack: &StackArtifact,
    sources: &[LogSource],
) -> Result<BTreeMap<String, String>> {
    let named_by_id = sources
        .iter()
        .any(|s| matches!(s.group, Group::Resource(_)));
    if !named_by_id {
        return Ok(BTreeMap::new());
    }
    physical_ids(&aws.cfn, &stack.stack_name).await
}

/// The events of one task's stream of a container since `start`.
pub(crate) async fn read_task(
    aws: &Aws,
    stack: &str,
    source: &LogSource,
    group: &str,
    start: SystemTime,
    task_id: &str,
) -> Result<Vec<(i64, String, String)>> {
    read(aws, stack, source, group, start, Some(task_id)).await
}

/// The events of one container's streams (of one task's, with `task_id`)
/// since `start`: (timestamp, event id, printed line).
async fn read(
    aws: &Aws,
    stack: &str,
    source: &LogSource,
    group: &str,
    start: SystemTime,
    task_id: Option<&str>,
) -> Result<Vec<(i64, String, String)>> {
    let start_ms = start
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let prefix = format!(
        "{}/{}/{}",
        source.stream_prefix,
        source.container,
        task_id.unwrap_or_default()
    );
    let mut events = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .logs
            .filter_log_events()
            .log_group_name(group)
            .log_stream_name_prefix(&prefix)
            .start_time(start_ms)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| service_error(stack, "FilterLogEvents", &e))?;
        for e in page.events() {
            // The prefix is filtered again here: not every endpoint applies
            // it (moto does not).
            let Some(stream) = e.log_stream_name().filter(|s| s.starts_with(&prefix)) else {
                continue;
            };
            let task = stream.rsplit('/').next().unwrap_or(stream);
            let short = task.get(..8).unwrap_or(task);
            events.push((
                e.timestamp().unwrap_or(0),
                e.event_id().unwrap_or_default().to_owned(),
                format!(
                    "{}/{short} {}",
                    source.container,
                    e.message().unwrap_or("").trim_end()
                ),
            ));
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(events);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_awslogs_containers_of_a_task_definition() {
        let task = serde_json::json!({"Properties": {"ContainerDefinitions": [
            {"Name": "web", "LogConfiguration": {"LogDriver": "awslogs", "Options": {
                "awslogs-group": {"Ref": "TaskwebLogGroup"}, "awslogs-stream-prefix": "web",
                "awslogs-region": "us-east-1"}}},
            {"Name": "sidecar", "LogConfiguration": {"LogDriver": "awslogs", "Options": {
                "awslogs-group": "/fixed/name", "awslogs-stream-prefix": "side"}}},
            {"Name": "quiet"},
            {"Name": "firelens", "LogConfiguration": {"LogDriver": "awsfirelens"}}
        ]}});
        assert_eq!(
            sources_of(&task),
            [
                LogSource {
                    container: "web".to_owned(),
                    group: Group::Resource("TaskwebLogGroup".to_owned()),
                    stream_prefix: "web".to_owned(),
                },
                LogSource {
                    container: "sidecar".to_owned(),
                    group: Group::Named("/fixed/name".to_owned()),
                    stream_prefix: "side".to_owned(),
                },
            ]
        );
    }
}
