//! `destroy`: the stacks deleted dependents first (several at once with
//! `--concurrency`), after asking, with the
//! scale-in protection of their Auto Scaling groups' instances cleared as
//! the deletion reaches them (else the groups never empty).

use std::io::{BufRead, Write};
use std::time::Duration;

use aws_sdk_cloudformation::Client;

use crate::cloudformation::ordered;
use crate::connection::{Connection, connect, runtime, service_error};
use crate::error::{Error, Result};
use crate::live::{describe, in_progress};
use crate::scale_in_protection::{Unprotect, doomed_groups};
use crate::schedule::{self, Direction};
use crate::watch::{Console, Goal, Watch, newest_event, wait};
use ecscdk_synth::{Assembly, StackArtifact};

/// `destroy`.
pub fn destroy(
    assembly: &Assembly,
    selected: &[&StackArtifact],
    conn: &Connection,
    force: bool,
    timeout: Duration,
    concurrency: usize,
) -> Result<()> {
    let stacks = ordered(assembly, selected, true);
    let names: Vec<&str> = stacks.iter().map(|s| s.stack_name.as_str()).collect();
    if !force {
        eprint!("Delete the stacks {}? [y/N] ", names.join(", "));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !answer.ends_with('\n') {
            eprintln!();
        }
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Err(Error::Aborted {
                what: "destroy cancelled; nothing was deleted (pass --force to skip the question)"
                    .to_owned(),
            });
        }
    }
    let rt = runtime()?;
    rt.block_on(async {
        let console = Console::new();
        schedule::run(
            assembly,
            &stacks,
            Direction::Destroy,
            concurrency,
            &console,
            |stack| destroy_stack(conn, stack, timeout, &console),
        )
        .await?;
        Ok(())
    })
}

/// Deletes one stack and follows the deletion to its end.
async fn destroy_stack(
    conn: &Connection,
    stack: &StackArtifact,
    timeout: Duration,
    console: &Console,
) -> Result<()> {
    let aws = connect(conn, stack.env.region()).await?;
    let name = stack.stack_name.as_str();
    let Some(live) = describe(&aws.cfn, name).await? else {
        console.line(&format!("{name}: not deployed"));
        return Ok(());
    };
    if live.enable_termination_protection() == Some(true) {
        return Err(Error::Service {
            stack: name.to_owned(),
            action: "DeleteStack",
            message: "the stack has termination protection".to_owned(),
            fix:
                "turn it off (Stack::termination_protection(false), then deploy) and destroy again"
                    .to_owned(),
        });
    }
    if live.stack_status().is_some_and(in_progress) {
        console.line(&format!(
            "{name}: waiting for the operation in progress to finish"
        ));
        let after = newest_event(&aws.cfn, name).await;
        let watch = Watch::new(0, timeout, Goal::Deploy).shown_on(console);
        let _ = wait(&aws.cfn, name, name, after, watch, None).await;
    }
    let total = live_resource_count(&aws.cfn, name).await;
    let groups = doomed_groups(&aws.cfn, name).await;
    let guard = (!groups.is_empty()).then(|| Unprotect {
        autoscaling: &aws.autoscaling,
        groups: &groups,
    });
    if let Some(guard) = &guard {
        guard.run(name, |line| console.line(line)).await;
    }
    let target = live.stack_id().unwrap_or(name).to_owned();
    let after = newest_event(&aws.cfn, name).await;
    console.line(&format!("{name}: destroying"));
    aws.cfn
        .delete_stack()
        .stack_name(name)
        .send()
        .await
        .map_err(|e| service_error(name, "DeleteStack", &e))?;
    wait(
        &aws.cfn,
        name,
        &target,
        after,
        Watch::new(total, timeout, Goal::Destroy)
            .shown_on(console)
            .guarded_by(guard.as_ref()),
        None,
    )
    .await?;
    console.line(&format!("\u{2705} {name}: destroyed"));
    Ok(())
}

async fn live_resource_count(cfn: &Client, name: &str) -> u64 {
    cfn.describe_stack_resources()
        .stack_name(name)
        .send()
        .await
        .map_or(0, |o| o.stack_resources().len() as u64)
}
