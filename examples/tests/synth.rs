//! Locks every template of every example with an insta snapshot
//! (`snapshots/<example>__<stack>.snap`) and checks synth is deterministic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk_examples::EXAMPLES;

#[test]
fn every_example_template_matches_its_snapshot() {
    for (name, build) in EXAMPLES {
        let app = build().unwrap_or_else(|e| panic!("example {name}: {e}"));
        let assembly = app
            .synth()
            .unwrap_or_else(|e| panic!("example {name}: {e}"));
        for stack in assembly.stacks() {
            insta::with_settings!({
                snapshot_path => "../../snapshots",
                prepend_module_to_snapshot => false,
                description => format!("example `{name}`, stack `{}`", stack.id),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(format!("{name}__{}", stack.id), stack.template);
            });
        }
    }
}

#[test]
fn every_example_synthesizes_identically_twice() {
    for (name, build) in EXAMPLES {
        let first = build().unwrap().synth().unwrap();
        let second = build().unwrap().synth().unwrap();
        assert_eq!(first.stacks().len(), second.stacks().len(), "{name}");
        for (a, b) in first.stacks().iter().zip(second.stacks()) {
            assert_eq!(a.template, b.template, "example {name}, stack {}", a.id);
        }
        assert_eq!(first.manifest(), second.manifest(), "{name}");
        assert_eq!(first.tree(), second.tree(), "{name}");
    }
}

#[test]
fn the_engine_demo_exports_from_network_and_imports_in_edge() {
    let assembly = ecscdk_examples::engine_demo::app()
        .unwrap()
        .synth()
        .unwrap();
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["Network", "Edge"]);
    assert_eq!(assembly.stack("Edge").unwrap().dependencies, ["Network"]);
    let network: serde_json::Value =
        serde_json::from_str(&assembly.stack("Network").unwrap().template).unwrap();
    let edge: serde_json::Value =
        serde_json::from_str(&assembly.stack("Edge").unwrap().template).unwrap();
    let export = &network["Outputs"]["ExportsOutputRefVpc0040386A"]["Export"]["Name"];
    assert_eq!(export, "Network:ExportsOutputRefVpc0040386A");
    assert_eq!(
        edge["Resources"]["WebSecurityGroup"]["Properties"]["VpcId"]["Fn::ImportValue"],
        *export
    );
}

#[test]
fn every_snapshot_file_belongs_to_an_example_stack() {
    let mut expected = std::collections::BTreeSet::new();
    for (name, build) in EXAMPLES {
        for stack in build().unwrap().synth().unwrap().stacks() {
            expected.insert(format!("{name}__{}.snap", stack.id));
        }
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots");
    let found: std::collections::BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".snap"))
        .collect();
    let orphans: Vec<_> = found.difference(&expected).collect();
    assert!(
        orphans.is_empty(),
        "snapshots of no example stack (delete them): {orphans:?}"
    );
}

/// Every resource of the CDK's template for `app`, as `(logical id, type)`.
fn cdk_resources(data: &str) -> Vec<(&str, &str)> {
    data.lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split_once('\t').unwrap())
        .filter(|(id, _)| *id != "CDKMetadata")
        .collect()
}

fn our_resources(template: &str) -> serde_json::Map<String, serde_json::Value> {
    let t: serde_json::Value = serde_json::from_str(template).unwrap();
    t["Resources"].as_object().unwrap().clone()
}

#[test]
fn the_scale_port_keeps_every_cdk_logical_id_and_type() {
    let assembly = ecscdk_examples::scale::app_with(1, 40)
        .unwrap()
        .synth()
        .unwrap();
    let ours = our_resources(&assembly.stack("Scale0").unwrap().template);
    let cdk = cdk_resources(include_str!("data/cdk-scale-1x40-resources.tsv"));
    assert_eq!(cdk.len(), 305);
    let wrong: Vec<_> = cdk
        .iter()
        .filter(|(id, ty)| ours.get(*id).and_then(|r| r["Type"].as_str()) != Some(*ty))
        .collect();
    assert!(wrong.is_empty(), "missing or of another type: {wrong:?}");
}

#[test]
fn the_scale_app_grows_with_its_arguments() {
    let assembly = ecscdk_examples::scale::app_with(3, 5)
        .unwrap()
        .synth()
        .unwrap();
    let ids: Vec<&str> = assembly.stacks().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["Scale0", "Scale1", "Scale2"]);
    for s in assembly.stacks() {
        let services = our_resources(&s.template)
            .values()
            .filter(|r| r["Type"] == "AWS::ECS::Service")
            .count();
        assert_eq!(services, 5);
    }
}
