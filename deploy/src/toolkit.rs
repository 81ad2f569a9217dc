//! The toolkit stack `EcscdkToolkit`: its name, the template `bootstrap`
//! deploys (the staging bucket, and the image asset repository unless a
//! `cdk bootstrap` made it) and what a deploy reads from it.

use aws_sdk_cloudformation::Client;
use serde_json::Value as Json;

use crate::error::Result;
use crate::live::describe;

use ecscdk_synth::Env;

/// The name of the stack `bootstrap` creates, holding the staging bucket.
pub(crate) const TOOLKIT_STACK: &str = "EcscdkToolkit";

pub(crate) async fn staging_bucket(cfn: &Client) -> Result<Option<String>> {
    let Some(stack) = describe(cfn, TOOLKIT_STACK).await? else {
        return Ok(None);
    };
    Ok(stack
        .outputs()
        .iter()
        .find(|o| o.output_key() == Some("BucketName"))
        .and_then(|o| o.output_value())
        .map(str::to_owned))
}

/// The toolkit stack: one encrypted, versioned, private staging bucket, and
/// unless another stack made it (a `cdk bootstrap`), the container-asset
/// repository, named as the AWS CDK's bootstrap names it so image URIs are
/// the same whichever bootstrap an account has.
pub(crate) fn toolkit_template(with_repository: bool) -> String {
    let mut template = serde_json::json!({
        "Description": "ecscdk toolkit: the staging bucket for templates over 51,200 bytes and the repository of image assets (created by `bootstrap`)",
        "Resources": {
            "StagingBucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]},
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": true, "BlockPublicPolicy": true,
                        "IgnorePublicAcls": true, "RestrictPublicBuckets": true
                    },
                    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                    "LifecycleConfiguration": {"Rules": [
                        {"Id": "ExpireOldVersions", "Status": "Enabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}
                    ]}
                },
                "UpdateReplacePolicy": "Retain",
                "DeletionPolicy": "Retain"
            }
        },
        "Outputs": {"BucketName": {"Value": {"Ref": "StagingBucket"}}}
    });
    if with_repository {
        // Tags are content hashes, so they never move (IMMUTABLE). Every
        // push is tagged, so no untagged image is expected; the lifecycle
        // rule is the CDK bootstrap's own (its comment: Security Hub wants
        // one), so a repository is kept alike whichever bootstrap made it.
        // Kept when the stack goes: running services still pull from it.
        let lifecycle = serde_json::json!({"rules": [{
            "rulePriority": 1,
            "description": "Untagged images should not exist, but expire any older than one year",
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 365},
            "action": {"type": "expire"}
        }]});
        template["Resources"]["ContainerAssetsRepository"] = serde_json::json!({
            "Type": "AWS::ECR::Repository",
            "Properties": {
                "RepositoryName": {"Fn::Sub": container_assets_repository()},
                "ImageTagMutability": "IMMUTABLE",
                "ImageScanningConfiguration": {"ScanOnPush": true},
                "EncryptionConfiguration": {"EncryptionType": "AES256"},
                "LifecyclePolicy": {"LifecyclePolicyText": lifecycle.to_string()}
            },
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "Retain"
        });
        template["Outputs"]["ContainerAssetsRepository"] =
            serde_json::json!({"Value": {"Ref": "ContainerAssetsRepository"}});
    }
    template.to_string()
}

/// The toolkit stack's template, pretty-printed, as `bootstrap` deploys it
/// where no container-asset repository exists yet (with the staging bucket
/// and the repository): what `bootstrap --show-template` prints, for a
/// review or a deployment by other means (the CDK's `cdk bootstrap
/// --show-template`).
#[must_use]
pub fn bootstrap_template() -> String {
    let compact = toolkit_template(true);
    serde_json::from_str::<Json>(&compact)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or(compact)
}

/// The container-asset repository's name as a `Fn::Sub` template: the AWS
/// CDK bootstrap's, the one synth names images after.
pub(crate) fn container_assets_repository() -> String {
    ecscdk_synth::container_assets_repository(&Env::agnostic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_bootstrap_template_is_the_one_deployed_with_a_repository() {
        let shown: Json = serde_json::from_str(&bootstrap_template()).unwrap();
        let deployed: Json = serde_json::from_str(&toolkit_template(true)).unwrap();
        assert_eq!(shown, deployed);
        assert!(bootstrap_template().contains("\n  \"Resources\": {"));
    }
    #[test]
    fn the_toolkit_holds_the_repository_unless_another_stack_does() {
        let with: Json = serde_json::from_str(&toolkit_template(true)).unwrap();
        let repo = &with["Resources"]["ContainerAssetsRepository"];
        assert_eq!(repo["Type"], "AWS::ECR::Repository");
        assert_eq!(
            repo["Properties"]["RepositoryName"]["Fn::Sub"],
            "cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}"
        );
        assert_eq!(
            repo["Properties"]["ImageScanningConfiguration"]["ScanOnPush"],
            true
        );
        assert_eq!(repo["DeletionPolicy"], "Retain");
        let lifecycle: Json = serde_json::from_str(
            repo["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        // The CDK bootstrap template's rule (aws-cdk 2.1148,
        // lib/api/bootstrap/bootstrap-template.yaml).
        assert_eq!(
            lifecycle["rules"][0]["selection"],
            serde_json::json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 365})
        );
        assert_eq!(lifecycle["rules"][0]["action"]["type"], "expire");
        assert_eq!(repo["Properties"]["ImageTagMutability"], "IMMUTABLE");
        assert_eq!(
            repo["Properties"]["EncryptionConfiguration"]["EncryptionType"],
            "AES256"
        );
        let without: Json = serde_json::from_str(&toolkit_template(false)).unwrap();
        assert!(
            without["Resources"]
                .get("ContainerAssetsRepository")
                .is_none()
        );
        assert!(
            without["Outputs"]
                .get("ContainerAssetsRepository")
                .is_none()
        );
        assert!(without["Resources"].get("StagingBucket").is_some());
    }
}
