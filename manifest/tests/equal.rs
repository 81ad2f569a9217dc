//! A manifest and the Rust program it mirrors write the same templates,
//! byte for byte: every gallery example a manifest can express has its
//! manifest next to it (`examples/src/<name>.yaml`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::{Path, PathBuf};

use ecscdk::App;

type Example = fn() -> ecscdk::Result<App>;

const EXAMPLES: &[(&str, Example)] = &[
    ("web", ecscdk_examples::web::app),
    ("fargate_alb", ecscdk_examples::fargate_alb::app),
    ("queue_worker", ecscdk_examples::queue_worker::app),
    ("nightly_job", ecscdk_examples::nightly_job::app),
    (
        "service_connect_pair",
        ecscdk_examples::service_connect_pair::app,
    ),
    ("image_service", ecscdk_examples::image_service::app),
    ("multi_stack", ecscdk_examples::multi_stack::app),
    ("https_web", ecscdk_examples::https_web::app),
    ("nlb_service", ecscdk_examples::nlb_service::app),
    ("blue_green", ecscdk_examples::blue_green::app),
    ("monitored", ecscdk_examples::monitored::app),
    ("capacity", ecscdk_examples::capacity::app),
    ("managed_instances", ecscdk_examples::managed_instances::app),
];

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

#[test]
fn every_manifest_writes_the_templates_of_its_rust_example() {
    for (name, build) in EXAMPLES {
        let rust = build()
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .context_file(examples_dir().join("cdk.context.json"))
            .synth()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = examples_dir().join("src").join(format!("{name}.yaml"));
        let manifest = ecscdk_manifest::load_app(&file)
            .unwrap_or_else(|e| panic!("{e}"))
            .synth()
            .unwrap_or_else(|e| panic!("{name}.yaml: {e}"));
        let ids = |a: &ecscdk::synth::Assembly| -> Vec<String> {
            a.stacks().iter().map(|s| s.id.clone()).collect()
        };
        assert_eq!(ids(&rust), ids(&manifest), "{name}: the stacks differ");
        for (r, m) in rust.stacks().iter().zip(manifest.stacks()) {
            assert_eq!(r.dependencies, m.dependencies, "{name}/{}", r.id);
            assert!(
                r.template == m.template,
                "{name}.yaml: stack {} differs from {name}.rs's",
                r.id
            );
        }
    }
}

/// The same manifest in TOML and JSON lowers to the same app as its YAML.
#[test]
fn toml_and_json_manifests_equal_their_yaml() {
    let yaml_file = examples_dir().join("src/web.yaml");
    let text = std::fs::read_to_string(&yaml_file).unwrap();
    let manifest: ecscdk_manifest::Manifest = serde_norway::from_str(&text).unwrap();
    let base = examples_dir().join("src");
    let expected = ecscdk_manifest::load_app(&yaml_file)
        .unwrap()
        .synth()
        .unwrap();
    for (format, rendered) in [
        (
            ecscdk_manifest::Format::Json,
            serde_json::to_string_pretty(&manifest).unwrap(),
        ),
        (
            ecscdk_manifest::Format::Toml,
            toml::to_string(&manifest).unwrap(),
        ),
    ] {
        let app = ecscdk_manifest::app_from_str(&rendered, format, "web", &base)
            .unwrap_or_else(|e| panic!("{format:?}: {e}\n{rendered}"));
        let got = app.synth().unwrap();
        assert_eq!(got.stacks().len(), expected.stacks().len());
        for (a, b) in got.stacks().iter().zip(expected.stacks()) {
            assert!(
                a.template == b.template,
                "{format:?}: stack {} differs",
                a.id
            );
        }
    }
}
