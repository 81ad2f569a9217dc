//! Images built from a Dockerfile, against what the AWS CDK synthesizes for
//! the same build context (`cdk-oracle/image_asset.js`, its template and
//! asset manifest committed beside it): the same hashes and tags, the same
//! image URI in the task definition, the same pull permissions, the same
//! asset-manifest entries (bar the publishing role, which ecscdk leaves out),
//! and the same files staged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ecscdk::ecr_assets::{AssetImage, DockerImageAsset, NetworkMode, Platform};
use ecscdk::ecs::{Container, ContainerImage, FargateTaskDefinition};
use ecscdk::prelude::*;
use serde_json::{Value as Json, json};

fn context() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/image-context")
}

fn oracle(file: &str) -> Json {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cdk-oracle")
        .join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The app `image_asset.js` builds, in ecscdk.
fn app() -> App {
    let mut app = App::new();
    let mut stack = Stack::new("ImageAsset").env(Env::new("123456789012", "us-east-1"));
    FargateTaskDefinition::builder("Task")
        .container(Container::builder(
            "web",
            ContainerImage::from_asset(context()),
        ))
        .build(&mut stack)
        .unwrap();
    let release = DockerImageAsset::builder(
        "Release",
        AssetImage::new(context())
            .file("app/Dockerfile.release")
            .build_arg("VERSION", "1.2")
            .build_arg("COMMIT", "abc")
            .target("release")
            .platform(Platform::LinuxArm64)
            .network_mode(NetworkMode::None)
            .exclude("README.md")
            .extra_hash("v2"),
    )
    .build(&mut stack)
    .unwrap();
    stack.output("ReleaseUri", release.image_uri()).unwrap();
    stack
        .output("ReleaseTag", release.image_tag().to_owned())
        .unwrap();
    app.add(stack).unwrap();
    app
}

fn template() -> Json {
    let assembly = app().synth().unwrap();
    serde_json::from_str(&assembly.stack("ImageAsset").unwrap().template).unwrap()
}

#[test]
fn the_task_definition_names_the_image_as_the_cdk_does() {
    let ours = template();
    let cdk = oracle("ImageAsset.template.json");
    let image = |t: &Json| {
        t["Resources"]["Task79114B6B"]["Properties"]["ContainerDefinitions"][0]["Image"].clone()
    };
    assert_eq!(image(&ours), image(&cdk));
    assert!(
        image(&ours)["Fn::Sub"]
            .as_str()
            .unwrap()
            .ends_with(":3ccc2d314fb5b67bc572ae1de27c27e261167ddf49c1373c74de3bcb42428d5f")
    );
}

#[test]
fn the_outputs_give_the_cdks_uri_and_tag_with_every_build_option() {
    let ours = template();
    let cdk = oracle("ImageAsset.template.json");
    for output in ["ReleaseUri", "ReleaseTag"] {
        assert_eq!(
            ours["Outputs"][output]["Value"], cdk["Outputs"][output]["Value"],
            "{output}"
        );
    }
}

/// The CDK's two statements come first; ecscdk's third lets the container
/// write to its log group (logs are on by default here, off in the CDK).
#[test]
fn the_execution_role_may_pull_from_the_asset_repository_only() {
    let ours = template();
    let cdk = oracle("ImageAsset.template.json");
    let statements = |t: &Json| {
        t["Resources"]["TaskExecutionRoleDefaultPolicy72339918"]["Properties"]["PolicyDocument"]
            ["Statement"]
            .as_array()
            .unwrap()
            .clone()
    };
    let (ours, cdk) = (statements(&ours), statements(&cdk));
    assert_eq!(ours[..2], cdk[..]);
    assert_eq!(
        ours[0]["Resource"],
        json!(
            "arn:aws:ecr:us-east-1:123456789012:repository/cdk-hnb659fds-container-assets-123456789012-us-east-1"
        )
    );
    assert_eq!(
        ours[2]["Action"],
        json!(["logs:CreateLogStream", "logs:PutLogEvents"])
    );
}

/// The asset manifests agree on every image: hash, display name, source
/// and destination, but for the CDK's `assumeRoleArn` (and so the
/// destination key's hash suffix).
#[test]
fn the_asset_manifest_lists_the_images_as_the_cdk_does() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = app().synth().unwrap();
    assembly.write(dir.path()).unwrap();
    let ours: Json = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("ImageAsset.assets.json")).unwrap(),
    )
    .unwrap();
    let cdk = oracle("ImageAsset.assets.json");
    assert_eq!(ours["version"], cdk["version"]);
    let strip = |images: &Json| -> Json {
        let mut out = serde_json::Map::new();
        for (hash, image) in images.as_object().unwrap() {
            let mut image = image.clone();
            let dests: Vec<Json> = image["destinations"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(key, d)| {
                    let mut d = d.clone();
                    d.as_object_mut().unwrap().remove("assumeRoleArn");
                    json!({"env": key.rsplit_once('-').unwrap().0, "destination": d})
                })
                .collect();
            image["destinations"] = Json::Array(dests);
            out.insert(hash.clone(), image);
        }
        Json::Object(out)
    };
    assert_eq!(strip(&ours["dockerImages"]), strip(&cdk["dockerImages"]));

    let manifest: Json = serde_json::from_str(&assembly.manifest()).unwrap();
    assert_eq!(
        manifest["artifacts"]["ImageAsset.assets"],
        json!({"type": "cdk:asset-manifest", "properties": {"file": "ImageAsset.assets.json"}})
    );
    assert_eq!(
        manifest["artifacts"]["ImageAsset"]["dependencies"],
        json!(["ImageAsset.assets"])
    );
}

fn files(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// The CDK staged exactly these files for the two images (read from its
/// `oracle.out/asset.<hash>/` folders).
#[test]
fn staging_copies_the_files_the_cdk_copies() {
    let dir = tempfile::tempdir().unwrap();
    app().synth().unwrap().write(dir.path()).unwrap();
    let staged = |hash: &str| files(&dir.path().join(format!("asset.{hash}")));
    assert_eq!(
        staged("3ccc2d314fb5b67bc572ae1de27c27e261167ddf49c1373c74de3bcb42428d5f"),
        [
            ".dockerignore",
            "Dockerfile",
            "README.md",
            "app/Dockerfile.release",
            "app/config.txt",
            "keep.log"
        ]
        .map(String::from)
        .into()
    );
    assert_eq!(
        staged("b5c969f561f9f0f2369efabee9dafc9b418ff9f597288c51345a8bab62e4703d"),
        [
            ".dockerignore",
            "Dockerfile",
            "app/Dockerfile.release",
            "app/config.txt",
            "keep.log"
        ]
        .map(String::from)
        .into()
    );
}

/// A second synth into the same folder leaves staged contexts alone, and
/// gives the same bytes.
#[test]
fn a_second_synth_is_identical_and_does_not_restage() {
    let dir = tempfile::tempdir().unwrap();
    let first = app().synth().unwrap();
    first.write(dir.path()).unwrap();
    let marker = dir
        .path()
        .join("asset.3ccc2d314fb5b67bc572ae1de27c27e261167ddf49c1373c74de3bcb42428d5f/marker");
    std::fs::write(&marker, "left alone").unwrap();
    let second = app().synth().unwrap();
    second.write(dir.path()).unwrap();
    assert!(
        marker.exists(),
        "an existing asset.<hash>/ is not copied again"
    );
    assert_eq!(first.manifest(), second.manifest());
    let stack = |a: &ecscdk::synth::Assembly| {
        let s = a.stack("ImageAsset").unwrap();
        (s.template.clone(), s.asset_manifest())
    };
    assert_eq!(stack(&first), stack(&second));
}

/// An app without images has no asset manifest, and a synth into a folder
/// that held one removes it.
#[test]
fn an_app_without_images_writes_no_asset_manifest() {
    let dir = tempfile::tempdir().unwrap();
    self::app().synth().unwrap().write(dir.path()).unwrap();
    assert!(dir.path().join("ImageAsset.assets.json").exists());
    let mut app = App::new();
    app.add(Stack::new("Plain")).unwrap();
    let assembly = app.synth().unwrap();
    assembly.write(dir.path()).unwrap();
    assert!(!dir.path().join("Plain.assets.json").exists());
    assert!(!dir.path().join("ImageAsset.assets.json").exists());
    let manifest: Json = serde_json::from_str(&assembly.manifest()).unwrap();
    assert!(manifest["artifacts"].get("Plain.assets").is_none());
}

#[test]
fn an_express_service_runs_an_image_built_from_a_dockerfile() {
    let mut app = App::new();
    let mut stack = Stack::new("Express").env(Env::new("123456789012", "us-east-1"));
    let vpc = ecscdk::ec2::Vpc::builder("Vpc")
        .max_azs(2)
        .build(&mut stack)
        .unwrap();
    ecscdk::ecs::ExpressService::builder(
        "Api",
        &vpc,
        ecscdk::ecs::ExpressContainer::new(ContainerImage::from_asset(context())).secret(
            "TOKEN",
            ecscdk::ecs::ContainerSecret::secrets_manager(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:token-AbCdEf",
            ),
        ),
    )
    .build(&mut stack)
    .unwrap();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let stack = assembly.stack("Express").unwrap();
    let t: Json = serde_json::from_str(&stack.template).unwrap();
    let (_, service) = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::ECS::ExpressGatewayService")
        .unwrap();
    // The same image, hash and tag as the task definition's container of
    // the same context (the CDK's rendering).
    assert_eq!(
        service["Properties"]["PrimaryContainer"]["Image"],
        template()["Resources"]["Task79114B6B"]["Properties"]["ContainerDefinitions"][0]["Image"]
    );
    // Tasks start once the execution role may read the secret.
    assert_eq!(
        service["DependsOn"],
        json!(["ApiExecutionRoleDefaultPolicyF7CD7C21"])
    );
    let policy = &t["Resources"]["ApiExecutionRoleDefaultPolicyF7CD7C21"];
    assert_eq!(policy["Type"], "AWS::IAM::Policy");
}
