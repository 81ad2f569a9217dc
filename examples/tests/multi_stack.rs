//! The multi-stack example: cross-stack references become exports and
//! imports, and the stacks are ordered so producers deploy first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use serde_json::Value as Json;

fn template(assembly: &ecscdk::synth::Assembly, id: &str) -> Json {
    serde_json::from_str(&assembly.stack(id).unwrap().template).unwrap()
}

#[test]
fn stacks_deploy_network_then_cluster_then_services() {
    let assembly = ecscdk_examples::multi_stack::app()
        .unwrap()
        .synth()
        .unwrap();
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["Network", "Cluster", "Worker", "Api"]);
    assert_eq!(assembly.stack("Cluster").unwrap().dependencies, ["Network"]);
    assert_eq!(
        assembly.stack("Worker").unwrap().dependencies,
        ["Network", "Cluster"]
    );
    assert_eq!(
        assembly.stack("Api").unwrap().dependencies,
        ["Network", "Cluster", "Worker"]
    );
}

#[test]
fn the_cluster_is_exported_and_imported_by_each_service() {
    let assembly = ecscdk_examples::multi_stack::app()
        .unwrap()
        .synth()
        .unwrap();
    let cluster = template(&assembly, "Cluster");
    let export = &cluster["Outputs"]["ExportsOutputRefClusterEB0386A796A0E3FE"];
    assert_eq!(export["Value"]["Ref"], "ClusterEB0386A7");
    let name = &export["Export"]["Name"];
    assert_eq!(name, "Cluster:ExportsOutputRefClusterEB0386A796A0E3FE");
    for stack in ["Api", "Worker"] {
        let t = template(&assembly, stack);
        let service = t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .find(|r| r["Type"] == "AWS::ECS::Service")
            .unwrap();
        assert_eq!(
            service["Properties"]["Cluster"]["Fn::ImportValue"], *name,
            "{stack}"
        );
    }
}

#[test]
fn the_api_admits_only_the_worker() {
    let assembly = ecscdk_examples::multi_stack::app()
        .unwrap()
        .synth()
        .unwrap();
    let api = template(&assembly, "Api");
    let rules: Vec<&Json> = api["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
        .collect();
    assert_eq!(rules.len(), 1);
    assert_eq!(
        rules[0]["Properties"]["SourceSecurityGroupId"]["Fn::ImportValue"],
        "Worker:ExportsOutputFnGetAttServiceSecurityGroupC96ED6A7GroupIdD2875DFE"
    );
    assert_eq!(rules[0]["Properties"]["FromPort"], 80);
}
