//! `deploy`, `diff` and `list --deployed`: the synthesized stacks handed to
//! CloudFormation (a change set or a direct create/update, parameters,
//! capabilities, a template over 51,200 bytes through the staging bucket),
//! in dependency order, each followed to the end by [`crate::watch`], with the ECS rollouts of
//! its services ([`crate::rollout`]).
//!
//! A deploy that finds its stack in progress (an earlier run was
//! interrupted) waits for that operation first; a stack whose creation
//! failed (`ROLLBACK_COMPLETE`) is deleted and created again.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::{
    Capability, ChangeSetStatus, ChangeSetType, Parameter, StackStatus, Tag,
};
use serde_json::Value as Json;

use crate::connection::{Aws, Connection, connect, runtime, service_error};
use crate::diff::{self, Style};
use crate::error::{Error, Result};
use crate::live::{deployed_template, describe, ecs_services, in_progress, status_text};
use crate::rollout::{FailFast, Rollouts};
use crate::schedule::{self, Direction};
use crate::toolkit::staging_bucket;
use crate::watch::{Console, Goal, Watch, failed_resources, newest_event, wait};
use ecscdk_synth::{Assembly, ConstructPath, StackArtifact};

/// How `deploy` creates or updates a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Create a change set, then execute it (reviewable, the default).
    ChangeSet,
    /// `CreateStack` / `UpdateStack` directly.
    Direct,
}

/// `deploy`'s options.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Through a change set or directly.
    pub method: Method,
    /// Execute the change set; `false` stops at it for review.
    pub execute: bool,
    /// Template parameters: (stack, key, value); no stack means every stack
    /// that declares the key.
    pub parameters: Vec<(Option<String>, String, String)>,
    /// SNS topics that receive the stacks' events.
    pub notification_arns: Vec<String>,
    /// The no-progress budget of each wait.
    pub timeout: Duration,
    /// Where to write every stack's outputs as JSON.
    pub outputs_file: Option<PathBuf>,
    /// Deploy only the named stacks, not the stacks they depend on.
    pub exclusively: bool,
    /// The folder the assembly was written to, where image assets' build
    /// contexts are staged.
    pub assembly_dir: PathBuf,
    /// When a service's ECS rollout counts as failed; `None` waits for
    /// CloudFormation alone to decide (`--no-fail-fast`).
    pub fail_fast: Option<FailFast>,
    /// How many stacks deploy at the same time (at least 1): a stack starts
    /// once the stacks it depends on are deployed.
    pub concurrency: usize,
}

/// Parses `--parameters Stack:Key=Value` (or `Key=Value` for every stack).
pub fn parse_parameter(text: &str) -> Result<(Option<String>, String, String)> {
    let invalid = || Error::InvalidArgument {
        argument: "--parameters",
        value: text.to_owned(),
        fix: "write Stack:Key=Value, or Key=Value for every stack",
    };
    let (head, value) = text.split_once('=').ok_or_else(invalid)?;
    let (stack, key) = match head.split_once(':') {
        Some((s, k)) => (Some(s.to_owned()), k),
        None => (None, head),
    };
    if key.is_empty() || stack.as_deref() == Some("") {
        return Err(invalid());
    }
    Ok((stack, key.to_owned(), value.to_owned()))
}

/// Parses a duration such as `30m`, `90s`, `1h` or a number of seconds.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let t = text.trim();
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map_or((t, "s"), |i| t.split_at(i));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{text:?} is not a duration; write e.g. 30m, 90s or 1h"))?;
    let secs = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("{text:?}: the unit must be s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

/// The capabilities a template needs: IAM resources need `CAPABILITY_IAM`,
/// named ones `CAPABILITY_NAMED_IAM`, macros and nested stacks
/// `CAPABILITY_AUTO_EXPAND`.
fn capabilities(template: &Json) -> Vec<Capability> {
    let mut caps = Vec::new();
    let resources = template.get("Resources").and_then(Json::as_object);
    let iam: Vec<&Json> = resources
        .into_iter()
        .flat_map(|r| r.values())
        .filter(|r| {
            r.get("Type")
                .and_then(Json::as_str)
                .is_some_and(|t| t.starts_with("AWS::IAM::"))
        })
        .collect();
    let named = iam.iter().any(|r| {
        r.get("Properties")
            .and_then(Json::as_object)
            .is_some_and(|p| {
                [
                    "RoleName",
                    "UserName",
                    "GroupName",
                    "ManagedPolicyName",
                    "InstanceProfileName",
                ]
                .iter()
                .any(|k| p.contains_key(*k))
            })
    });
    if named {
        caps.push(Capability::CapabilityNamedIam);
    } else if !iam.is_empty() {
        caps.push(Capability::CapabilityIam);
    }
    let nested = resources.into_iter().flat_map(|r| r.values()).any(|r| {
        r.get("Type").and_then(Json::as_str).is_some_and(|t| {
            t == "AWS::CloudFormation::Stack" || t == "AWS::Serverless::Application"
        })
    });
    if template.get("Transform").is_some() || nested {
        caps.push(Capability::CapabilityAutoExpand);
    }
    caps
}

fn template_json(stack: &StackArtifact) -> Result<Json> {
    serde_json::from_str(&stack.template).map_err(|e| {
        Error::Synth(ecscdk_synth::Error::Serialize {
            path: ConstructPath::new(stack.id.clone()),
            message: e.to_string(),
        })
    })
}

/// Where the template goes: inline, or uploaded to the staging bucket.
enum Body {
    Inline(String),
    Url(String),
}

async fn body(aws: &Aws, stack: &StackArtifact) -> Result<Body> {
    if !stack.needs_upload {
        return Ok(Body::Inline(stack.template.clone()));
    }
    let bucket = staging_bucket(&aws.cfn)
        .await?
        .ok_or_else(|| Error::NotBootstrapped {
            stack: stack.stack_name.clone(),
            bytes: stack.template.len(),
        })?;
    let key = format!("templates/{}-{:016x}.json", stack.id, fnv(&stack.template));
    aws.s3
        .put_object()
        .bucket(&bucket)
        .key(&key)
        .body(stack.template.clone().into_bytes().into())
        .content_type("application/json")
        .send()
        .await
        .map_err(|e| service_error(&stack.stack_name, "PutObject (staging bucket)", &e))?;
    Ok(Body::Url(format!(
        "https://{bucket}.s3.{}.amazonaws.com/{key}",
        aws.region
    )))
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn parameters_for(
    stack: &StackArtifact,
    opts: &DeployOptions,
    template: &Json,
    existing: Option<&aws_sdk_cloudformation::types::Stack>,
) -> Vec<Parameter> {
    let declared: Vec<&String> = template
        .get("Parameters")
        .and_then(Json::as_object)
        .map(|p| p.keys().collect())
        .unwrap_or_default();
    let mut given: BTreeMap<&str, &str> = BTreeMap::new();
    for (s, k, v) in &opts.parameters {
        let applies = s
            .as_deref()
            .is_none_or(|s| s == stack.id || s == stack.stack_name);
        if applies && declared.contains(&k) {
            given.insert(k, v);
        }
    }
    // The deployed values, passed again as values: `UsePreviousValue` only
    // for a value DescribeStacks masks (`NoEcho`). (moto 5.2 fails with HTTP
    // 500 on `UsePreviousValue` for a parameter that took its default.)
    let previous: BTreeMap<&str, &str> = existing
        .map(|e| {
            e.parameters()
                .iter()
                .filter_map(|p| Some((p.parameter_key()?, p.parameter_value().unwrap_or_default())))
                .collect()
        })
        .unwrap_or_default();
    declared
        .iter()
        .filter_map(|k| {
            if let Some(v) = given.get(k.as_str()) {
                Some(
                    Parameter::builder()
                        .parameter_key(k.as_str())
                        .parameter_value(*v)
                        .build(),
                )
            } else if let Some(v) = previous.get(k.as_str()) {
                let p = Parameter::builder().parameter_key(k.as_str());
                Some(if v.chars().all(|c| c == '*') {
                    p.use_previous_value(true).build()
                } else {
                    p.parameter_value(*v).build()
                })
            } else {
                None
            }
        })
        .collect()
}

/// `--notification-arns`, or nothing: an empty list would remove the topics
/// a stack already has.
fn notification_arns(opts: &DeployOptions) -> Option<Vec<String>> {
    (!opts.notification_arns.is_empty()).then(|| opts.notification_arns.clone())
}

fn tags(stack: &StackArtifact) -> Vec<Tag> {
    stack
        .tags
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

fn no_changes(reason: &str) -> bool {
    let r = reason.to_lowercase();
    r.contains("didn't contain changes")
        || r.contains("no updates are to be performed")
        || r.contains("submitted information didn't contain changes")
}

/// Makes the stack ready for a create or an update: waits for an operation
/// in progress, removes a stack whose creation failed.
async fn prepare(
    cfn: &Client,
    name: &str,
    budget: Duration,
    console: &Console,
) -> Result<Option<aws_sdk_cloudformation::types::Stack>> {
    let mut current = describe(cfn, name).await?;
    if let Some(s) = &current
        && s.stack_status().is_some_and(in_progress)
    {
        console.line(&format!(
            "{name}: waiting for the operation in progress ({}) to finish",
            status_text(s.stack_status())
        ));
        let goal = if s.stack_status() == Some(&StackStatus::DeleteInProgress) {
            Goal::Destroy
        } else {
            Goal::Deploy
        };
        // A failed earlier operation is not this deploy's failure; running
        // out of budget or being interrupted is.
        if let Err(e @ (Error::Stuck { .. } | Error::Aborted { .. })) = wait(
            cfn,
            name,
            name,
            newest_event(cfn, name).await,
            Watch::new(0, budget, goal).shown_on(console),
            None,
        )
        .await
        {
            return Err(e);
        }
        current = describe(cfn, name).await?;
    }
    if let Some(s) = &current
        && s.stack_status() == Some(&StackStatus::UpdateRollbackFailed)
    {
        console.line(&format!(
            "{name}: an earlier update's rollback failed (UPDATE_ROLLBACK_FAILED); continuing the rollback"
        ));
        let after = newest_event(cfn, name).await;
        cfn.continue_update_rollback()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| service_error(name, "ContinueUpdateRollback", &e))?;
        let status = match wait(
            cfn,
            name,
            name,
            after,
            Watch::new(0, budget, Goal::Deploy).shown_on(console),
            None,
        )
        .await
        {
            Err(e @ (Error::Stuck { .. } | Error::Aborted { .. })) => return Err(e),
            Err(Error::DeployFailed { status, .. }) => status,
            Err(e) => return Err(e),
            Ok(s) => s.as_str().to_owned(),
        };
        if status != StackStatus::UpdateRollbackComplete.as_str() {
            return Err(Error::DeployFailed {
                stack: name.to_owned(),
                operation: "deploy",
                status,
                reasons: failed_resources(cfn, name).await,
            });
        }
        current = describe(cfn, name).await?;
    }
    if let Some(s) = &current
        && s.stack_status() == Some(&StackStatus::RollbackComplete)
    {
        console.line(&format!(
            "{name}: its creation failed earlier (ROLLBACK_COMPLETE); deleting it to create it again"
        ));
        let target = s.stack_id().unwrap_or(name).to_owned();
        let after = newest_event(cfn, name).await;
        cfn.delete_stack()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| service_error(name, "DeleteStack", &e))?;
        wait(
            cfn,
            name,
            &target,
            after,
            Watch::new(0, budget, Goal::Destroy).shown_on(console),
            None,
        )
        .await?;
        current = None;
    }
    Ok(current)
}

/// What one stack's deploy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Deployed {
    /// Created or updated.
    Changed,
    /// The template and parameters matched the deployed stack.
    NoChanges,
    /// A change set was left for review (`--no-execute`).
    Reviewed(String),
}

/// Deploys one stack; `app_stacks` names the app's stacks, where the export
/// guard looks for importers when `ListImports` cannot answer.
pub(crate) async fn deploy_stack(
    aws: &Aws,
    stack: &StackArtifact,
    opts: &DeployOptions,
    app_stacks: &[String],
    console: &Console,
) -> Result<(Deployed, BTreeMap<String, String>)> {
    let cfn = &aws.cfn;
    let name = stack.stack_name.as_str();
    let template = template_json(stack)?;
    let existing = prepare(cfn, name, opts.timeout, console).await?;
    let caps = capabilities(&template);
    let params = parameters_for(stack, opts, &template, existing.as_ref());
    let body = body(aws, stack).await?;
    let total = template
        .get("Resources")
        .and_then(Json::as_object)
        .map_or(0, |r| r.len() as u64);
    let since = SystemTime::now();
    let after = match &existing {
        Some(_) => newest_event(cfn, name).await,
        None => None,
    };
    let exists = existing
        .as_ref()
        .is_some_and(|s| s.stack_status() != Some(&StackStatus::ReviewInProgress));
    if let Some(deployed) = existing.as_ref().filter(|_| exists) {
        let removed = crate::exports::removed_exports(deployed, &template);
        if !removed.is_empty() {
            crate::exports::refuse_removing_imported_exports(cfn, name, &removed, app_stacks)
                .await?;
        }
    }
    console.line(&format!(
        "{name}: {} ({} resources, {})",
        if exists { "updating" } else { "creating" },
        total,
        match opts.method {
            Method::ChangeSet => "change set",
            Method::Direct => "direct",
        }
    ));
    let outcome = match opts.method {
        Method::Direct => {
            let result = if exists {
                let mut req = cfn
                    .update_stack()
                    .stack_name(name)
                    .set_parameters(Some(params))
                    .set_capabilities(Some(caps))
                    .set_tags(Some(tags(stack)))
                    .set_notification_arns(notification_arns(opts));
                req = match &body {
                    Body::Inline(t) => req.template_body(t),
                    Body::Url(u) => req.template_url(u),
                };
                req.send().await.map(|_| ()).map_err(|e| {
                    if e.message().is_some_and(no_changes) {
                        None
                    } else {
                        Some(service_error(name, "UpdateStack", &e))
                    }
                })
            } else {
                let mut req = cfn
                    .create_stack()
                    .stack_name(name)
                    .set_parameters(Some(params))
                    .set_capabilities(Some(caps))
                    .set_tags(Some(tags(stack)))
                    .set_notification_arns(notification_arns(opts))
                    .enable_termination_protection(stack.termination_protection);
                req = match &body {
                    Body::Inline(t) => req.template_body(t),
                    Body::Url(u) => req.template_url(u),
                };
                req.send()
                    .await
                    .map(|_| ())
                    .map_err(|e| Some(service_error(name, "CreateStack", &e)))
            };
            match result {
                Ok(()) => Deployed::Changed,
                Err(None) => Deployed::NoChanges,
                Err(Some(e)) => return Err(e),
            }
        }
        Method::ChangeSet => {
            let change_set = format!(
                "ecscdk-{}",
                since
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis())
            );
            let mut req = cfn
                .create_change_set()
                .stack_name(name)
                .change_set_name(&change_set)
                .change_set_type(if exists {
                    ChangeSetType::Update
                } else {
                    ChangeSetType::Create
                })
                .description("ecscdk deploy")
                .set_parameters(Some(params))
                .set_capabilities(Some(caps))
                .set_tags(Some(tags(stack)))
                .set_notification_arns(notification_arns(opts));
            req = match &body {
                Body::Inline(t) => req.template_body(t),
                Body::Url(u) => req.template_url(u),
            };
            let ready = match req.send().await {
                Ok(_) => change_set_ready(cfn, name, &change_set, opts.timeout).await?,
                // CloudFormation answers an unchanged template with a FAILED
                // change set; moto with a ValidationError of CreateChangeSet.
                Err(e) if e.message().is_some_and(no_changes) => None,
                Err(e) => return Err(service_error(name, "CreateChangeSet", &e)),
            };
            match ready {
                None => {
                    let _ = cfn
                        .delete_change_set()
                        .stack_name(name)
                        .change_set_name(&change_set)
                        .send()
                        .await;
                    Deployed::NoChanges
                }
                Some(summary) => {
                    for line in &summary {
                        console.line(&format!("{name}: change set: {line}"));
                    }
                    if opts.execute {
                        cfn.execute_change_set()
                            .stack_name(name)
                            .change_set_name(&change_set)
                            .send()
                            .await
                            .map_err(|e| service_error(name, "ExecuteChangeSet", &e))?;
                        Deployed::Changed
                    } else {
                        Deployed::Reviewed(change_set)
                    }
                }
            }
        }
    };
    if outcome == Deployed::Changed {
        let mut rollouts = Rollouts::new(
            &aws.ecs,
            &aws.elb,
            name,
            ecs_services(&template),
            opts.fail_fast,
        );
        wait(
            cfn,
            name,
            name,
            after,
            Watch::new(total, opts.timeout, Goal::Deploy).shown_on(console),
            Some(&mut rollouts),
        )
        .await?;
    }
    if matches!(outcome, Deployed::Reviewed(_)) {
        return Ok((outcome, BTreeMap::new()));
    }
    let live = describe(cfn, name).await?;
    let protected = live
        .as_ref()
        .and_then(aws_sdk_cloudformation::types::Stack::enable_termination_protection)
        .unwrap_or(false);
    if live.is_some() && protected != stack.termination_protection {
        cfn.update_termination_protection()
            .stack_name(name)
            .enable_termination_protection(stack.termination_protection)
            .send()
            .await
            .map_err(|e| service_error(name, "UpdateTerminationProtection", &e))?;
    }
    let outputs = live
        .map(|s| {
            s.outputs()
                .iter()
                .filter_map(|o| Some((o.output_key()?.to_owned(), o.output_value()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    Ok((outcome, outputs))
}

/// Waits for a change set to be computed. `None` when it holds no changes;
/// otherwise one line per resource change.
async fn change_set_ready(
    cfn: &Client,
    name: &str,
    change_set: &str,
    budget: Duration,
) -> Result<Option<Vec<String>>> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(300);
    loop {
        let out = cfn
            .describe_change_set()
            .stack_name(name)
            .change_set_name(change_set)
            .send()
            .await
            .map_err(|e| service_error(name, "DescribeChangeSet", &e))?;
        match out.status() {
            Some(ChangeSetStatus::CreateComplete) => {
                let lines: Vec<String> = out
                    .changes()
                    .iter()
                    .filter_map(|c| c.resource_change())
                    .map(|r| {
                        format!(
                            "{} {} {}{}",
                            r.action().map_or("?", |a| a.as_str()),
                            r.resource_type().unwrap_or("-"),
                            r.logical_resource_id().unwrap_or("-"),
                            match r.replacement().map(|x| x.as_str()) {
                                Some("True") => " (replacement)",
                                Some("Conditional") => " (may be replaced)",
                                _ => "",
                            }
                        )
                    })
                    .collect();
                return Ok(Some(lines));
            }
            Some(ChangeSetStatus::Failed) => {
                let reason = out.status_reason().unwrap_or("no reason given");
                if no_changes(reason) {
                    return Ok(None);
                }
                return Err(Error::DeployFailed {
                    stack: name.to_owned(),
                    operation: "deploy",
                    status: format!("change set {change_set} FAILED"),
                    reasons: vec![reason.to_owned()],
                });
            }
            _ => {}
        }
        if start.elapsed() >= budget {
            return Err(Error::Stuck {
                stack: name.to_owned(),
                status: "change set CREATE_IN_PROGRESS".to_owned(),
                stuck: format!("change set {change_set}"),
                waited_secs: budget.as_secs(),
                action: "the change set is left for CloudFormation to finish".to_owned(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(3));
    }
}

/// `deploy`.
pub fn deploy(
    assembly: &Assembly,
    selected: &[&StackArtifact],
    conn: &Connection,
    opts: &DeployOptions,
) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async {
        let mut all_outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut chosen: Vec<&StackArtifact> = selected.to_vec();
        if !opts.exclusively {
            chosen = with_dependencies(assembly, selected);
        }
        let stacks = ordered(assembly, &chosen, false);
        let mut clients = Vec::with_capacity(stacks.len());
        for stack in &stacks {
            clients.push(connect(conn, stack.env.region()).await?);
        }
        // Every image built first: a failed build touches no stack. Each
        // stack pushes its images just before it deploys.
        let with_clients: Vec<(&StackArtifact, &Aws)> =
            stacks.iter().copied().zip(clients.iter()).collect();
        let pushes = crate::publish::prepare(&with_clients, &opts.assembly_dir).await?;
        let app_stacks: Vec<String> = assembly
            .stacks()
            .iter()
            .map(|s| s.stack_name.clone())
            .collect();
        let console = Console::new();
        let finished = schedule::run(
            assembly,
            &stacks,
            Direction::Deploy,
            opts.concurrency,
            &console,
            |stack| {
                let aws = with_clients
                    .iter()
                    .find(|(s, _)| s.id == stack.id)
                    .map(|(_, aws)| *aws);
                let (app_stacks, console, pushes) = (&app_stacks, &console, &pushes);
                async move {
                    let Some(aws) = aws else {
                        return Err(Error::InvalidArgument {
                            argument: "stacks",
                            value: stack.id.clone(),
                            fix: "the stack has no connection; deploy it again",
                        });
                    };
                    pushes.push_for(stack, console).await?;
                    let (outcome, outputs) =
                        deploy_stack(aws, stack, opts, app_stacks, console).await?;
                    let name = &stack.stack_name;
                    console.line(&match &outcome {
                        Deployed::Changed => format!("\u{2705} {name}: deployed"),
                        Deployed::NoChanges => format!("\u{2705} {name}: no changes"),
                        Deployed::Reviewed(cs) => format!(
                            "{name}: change set {cs} created and not executed (--no-execute); review it, then execute it or deploy again"
                        ),
                    });
                    if !outputs.is_empty() {
                        let mut block = String::from("Outputs:\n");
                        for (k, v) in &outputs {
                            block.push_str(&format!("{}.{k} = {v}\n", stack.id));
                        }
                        let _ = std::io::stdout().lock().write_all(block.as_bytes());
                    }
                    Ok(outputs)
                }
            },
        )
        .await?;
        for (stack, outputs) in finished {
            all_outputs.insert(stack.id.clone(), outputs);
        }
        if let Some(path) = &opts.outputs_file {
            let text = serde_json::to_string_pretty(&all_outputs).unwrap_or_default();
            std::fs::write(path, text + "\n").map_err(|source| Error::Io {
                file: path.clone(),
                source,
            })?;
        }
        Ok(())
    })
}

/// The selected stacks in deployment order (all when none is selected), or
/// reversed for destroy.
/// The selected stacks and every stack they depend on, transitively.
fn with_dependencies<'a>(
    assembly: &'a Assembly,
    selected: &[&'a StackArtifact],
) -> Vec<&'a StackArtifact> {
    let mut out: Vec<&StackArtifact> = selected.to_vec();
    let mut i = 0;
    while let Some(stack) = out.get(i).copied() {
        for dep in &stack.dependencies {
            if let Some(d) = assembly.stack(dep)
                && !out.iter().any(|s| s.id == d.id)
            {
                out.push(d);
            }
        }
        i += 1;
    }
    out
}

pub(crate) fn ordered<'a>(
    assembly: &'a Assembly,
    selected: &[&StackArtifact],
    reverse: bool,
) -> Vec<&'a StackArtifact> {
    let mut stacks: Vec<&StackArtifact> = assembly
        .stacks()
        .iter()
        .filter(|s| selected.is_empty() || selected.iter().any(|x| x.id == s.id))
        .collect();
    if reverse {
        stacks.reverse();
    }
    stacks
}

/// `diff`: against the deployed template, or `template` offline.
pub fn diff(
    assembly: &Assembly,
    selected: &[&StackArtifact],
    conn: &Connection,
    template: Option<&std::path::Path>,
    fail_on_destructive: bool,
) -> Result<()> {
    let offline = match template {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                file: path.to_path_buf(),
                source,
            })?;
            Some(
                serde_json::from_str::<Json>(&text).map_err(|e| Error::InvalidArgument {
                    argument: "--template",
                    value: format!("{}: {e}", path.display()),
                    fix: "give a CloudFormation template in JSON",
                })?,
            )
        }
        None => None,
    };
    let stacks = ordered(assembly, selected, false);
    if offline.is_some() && stacks.len() != 1 {
        return Err(Error::InvalidArgument {
            argument: "--template",
            value: template
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            fix: "name the one stack to compare it with: diff STACK --template FILE",
        });
    }
    let style = Style {
        color: std::io::stdout().is_terminal(),
    };
    let rt = runtime()?;
    let mut destructive = Vec::new();
    rt.block_on(async {
        for stack in stacks {
            let old = match &offline {
                Some(t) => t.clone(),
                None => {
                    let aws = connect(conn, stack.env.region()).await?;
                    deployed_template(&aws.cfn, &stack.stack_name).await?
                }
            };
            let new = template_json(stack)?;
            let d = diff::diff(&old, &new, &stack.replacing_properties);
            for r in d.destructive() {
                destructive.push(format!(
                    "{}/{} ({})",
                    stack.id,
                    r.logical_id,
                    if r.action == diff::Action::Remove {
                        "removed"
                    } else if r.replacement != diff::Replacement::No {
                        "replaced"
                    } else {
                        "the deploy would fail"
                    }
                ));
            }
            let text = diff::render(&stack.stack_name, &d, style);
            let _ = std::io::stdout()
                .lock()
                .write_all(format!("{text}\n").as_bytes());
        }
        Ok::<(), Error>(())
    })?;
    if fail_on_destructive && !destructive.is_empty() {
        return Err(Error::Destructive {
            count: destructive.len(),
            what: destructive.join(", "),
        });
    }
    Ok(())
}

/// `list --deployed`: each stack's live status.
pub fn statuses(assembly: &Assembly, conn: &Connection) -> Result<Vec<String>> {
    let rt = runtime()?;
    rt.block_on(async {
        let mut out = Vec::new();
        for stack in assembly.stacks() {
            let aws = connect(conn, stack.env.region()).await?;
            let status = describe(&aws.cfn, &stack.stack_name).await?.map_or_else(
                || "NOT_DEPLOYED".to_owned(),
                |s| status_text(s.stack_status()),
            );
            out.push(status);
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parameters() {
        assert_eq!(
            parse_parameter("Web:Size=3").ok(),
            Some((Some("Web".into()), "Size".into(), "3".into()))
        );
        assert_eq!(
            parse_parameter("Size=a=b").ok(),
            Some((None, "Size".into(), "a=b".into()))
        );
        assert!(parse_parameter("Size").is_err());
        assert!(parse_parameter(":Size=1").is_err());
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("3d").is_err());
        assert!(parse_duration("x").is_err());
    }

    #[test]
    fn computes_capabilities() {
        let t =
            serde_json::json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}});
        assert_eq!(capabilities(&t), [Capability::CapabilityIam]);
        let t = serde_json::json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x"}}}});
        assert_eq!(capabilities(&t), [Capability::CapabilityNamedIam]);
        let t = serde_json::json!({"Transform": "AWS::LanguageExtensions", "Resources": {}});
        assert_eq!(capabilities(&t), [Capability::CapabilityAutoExpand]);
        assert!(capabilities(&serde_json::json!({})).is_empty());
    }
}
