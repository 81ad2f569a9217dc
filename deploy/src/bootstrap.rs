//! `bootstrap`: the toolkit stack `EcscdkToolkit` with the staging bucket
//! that templates over 51,200 bytes are uploaded to and, unless a `cdk
//! bootstrap` made it, the ECR repository image assets are pushed to.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::cloudformation::{DeployOptions, Method, deploy_stack};
use crate::connection::{Aws, Connection, connect, runtime, service_error};
use crate::error::Result;
use crate::live::describe;
use crate::toolkit::{TOOLKIT_STACK, container_assets_repository, toolkit_template};

use ecscdk_synth::{Env, StackArtifact};

/// `bootstrap`: creates or updates the staging-bucket stack.
pub fn bootstrap(conn: &Connection, timeout: Duration) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async {
        let aws = connect(conn, None).await?;
        // A repository of that name that the toolkit stack does not hold
        // belongs to a `cdk bootstrap` (or to someone): use it as it is.
        let toolkit = describe(&aws.cfn, TOOLKIT_STACK).await?;
        let ours = toolkit.as_ref().is_some_and(|s| {
            s.outputs()
                .iter()
                .any(|o| o.output_key() == Some("ContainerAssetsRepository"))
        });
        let account = crate::publish::caller_account(&aws, TOOLKIT_STACK).await?;
        let repository = container_assets_repository()
            .replace("${AWS::AccountId}", &account)
            .replace("${AWS::Region}", &aws.region);
        let exists = repository_exists(&aws, &repository).await?;
        let with_repository = ours || !exists;
        let template = toolkit_template(with_repository);
        let artifact = StackArtifact {
            id: TOOLKIT_STACK.to_owned(),
            stack_name: TOOLKIT_STACK.to_owned(),
            env: Env::agnostic(),
            tags: BTreeMap::new(),
            termination_protection: false,
            needs_upload: false,
            template,
            dependencies: Vec::new(),
            replacing_properties: BTreeMap::new(),
            images: Vec::new(),
            warnings: Vec::new(),
        };
        let opts = DeployOptions {
            // Direct, so the stack's outputs exist even on CloudFormation
            // look-alikes that skip them for change sets.
            method: Method::Direct,
            execute: true,
            parameters: Vec::new(),
            notification_arns: Vec::new(),
            timeout,
            outputs_file: None,
            exclusively: true,
            assembly_dir: PathBuf::new(),
            fail_fast: None,
            concurrency: 1,
        };
        let (_, outputs) =
            deploy_stack(&aws, &artifact, &opts, &[], &crate::watch::Console::new()).await?;
        let bucket = outputs.get("BucketName").cloned().unwrap_or_default();
        eprintln!(
            "\u{2705} staging bucket {bucket} ready in {} (stack {TOOLKIT_STACK})",
            aws.region
        );
        if with_repository {
            eprintln!(
                "\u{2705} image asset repository {repository} ready (stack {TOOLKIT_STACK}; encrypted, scanned on push, immutable tags)"
            );
        } else {
            eprintln!(
                "\u{2705} image asset repository {repository} exists already (a `cdk bootstrap`); image assets are pushed there"
            );
        }
        Ok(())
    })
}

/// Whether an ECR repository of that name exists.
async fn repository_exists(aws: &Aws, name: &str) -> Result<bool> {
    use aws_sdk_ecr::error::ProvideErrorMetadata as _;
    match aws
        .ecr
        .describe_repositories()
        .repository_names(name)
        .send()
        .await
    {
        Ok(out) => Ok(!out.repositories().is_empty()),
        Err(e) if e.code() == Some("RepositoryNotFoundException") => Ok(false),
        Err(e) => Err(service_error(TOOLKIT_STACK, "DescribeRepositories", &e)),
    }
}
