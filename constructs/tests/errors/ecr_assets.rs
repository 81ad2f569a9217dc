//! Bad build contexts of image assets: reported when the construct (or the
//! task definition of a container using one) is built, with the asset's
//! construct path and the fix.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

use std::path::Path;

use ecscdk::ecr_assets::{AssetImage, DockerImageAsset};
use ecscdk::ecs::{Container, ContainerImage, FargateTaskDefinition};

use super::*;

fn asset_error(image: AssetImage) -> Error {
    let mut stack = Stack::new("Web");
    DockerImageAsset::builder("Image", image)
        .build(&mut stack)
        .unwrap_err()
}

/// The message with the temporary folder's path replaced by `<dir>`.
fn message(err: &Error, dir: &Path) -> String {
    err.to_string().replace(&dir.display().to_string(), "<dir>")
}

#[test]
fn rejects_a_missing_build_context() {
    let dir = tempfile::tempdir().unwrap();
    let err = asset_error(AssetImage::new(dir.path().join("nope")));
    assert_asset(&err, "Web/Image");
    insta::assert_snapshot!(message(&err, dir.path()), @r#"[Web/Image] cannot find the image directory <dir>/nope; create it or point `directory` at an existing folder"#);
}

#[test]
fn rejects_a_build_context_that_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    std::fs::write(&file, "FROM scratch\n").unwrap();
    let err = asset_error(AssetImage::new(&file));
    assert_asset(&err, "Web/Image");
    insta::assert_snapshot!(message(&err, dir.path()), @r#"[Web/Image] the image directory <dir>/Dockerfile is not a directory; point `directory` at the folder that holds the Dockerfile"#);
}

#[test]
fn rejects_a_build_context_without_a_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.txt"), "x").unwrap();
    let err = asset_error(AssetImage::new(dir.path()));
    assert_asset(&err, "Web/Image");
    insta::assert_snapshot!(message(&err, dir.path()), @r#"[Web/Image] cannot find the Dockerfile "Dockerfile" in <dir>; create it or set the Dockerfile path with `file`"#);
}

#[test]
fn rejects_a_custom_dockerfile_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    let err = asset_error(AssetImage::new(dir.path()).file("build/Dockerfile.prod"));
    assert_asset(&err, "Web/Image");
    insta::assert_snapshot!(message(&err, dir.path()), @r#"[Web/Image] cannot find the Dockerfile "build/Dockerfile.prod" in <dir>; create it or set the Dockerfile path with `file`"#);
}

#[test]
fn rejects_a_dockerfile_outside_the_build_context() {
    let dir = tempfile::tempdir().unwrap();
    let context = dir.path().join("context");
    std::fs::create_dir(&context).unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    let err = asset_error(AssetImage::new(&context).file("../Dockerfile"));
    assert_asset(&err, "Web/Image");
    insta::assert_snapshot!(message(&err, dir.path()), @r#"[Web/Image] the Dockerfile path "../Dockerfile" leaves the image directory <dir>/context; give `file` relative to `directory`, without `..` above it"#);
}

#[test]
fn rejects_an_absolute_dockerfile_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    let absolute = dir.path().join("Dockerfile").display().to_string();
    let err = asset_error(AssetImage::new(dir.path()).file(absolute));
    assert_asset(&err, "Web/Image");
    insta::assert_snapshot!(message(&err, dir.path()), @r#"[Web/Image] the Dockerfile path "<dir>/Dockerfile" leaves the image directory <dir>; give `file` relative to `directory`, without `..` above it"#);
}

/// A container's image asset is reported at the task definition's
/// `build()`, under the container (`<task>/<container>/AssetImage`).
#[test]
fn rejects_a_container_image_from_a_missing_directory_with_the_containers_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut stack = Stack::new("Web");
    let err = FargateTaskDefinition::builder("Task")
        .container(Container::builder(
            "web",
            ContainerImage::from_asset(dir.path().join("nope")),
        ))
        .build(&mut stack)
        .unwrap_err();
    assert_asset(&err, "Web/Task/web/AssetImage");
    insta::assert_snapshot!(message(&err, dir.path()), @r#"[Web/Task/web/AssetImage] cannot find the image directory <dir>/nope; create it or point `directory` at an existing folder"#);
}
