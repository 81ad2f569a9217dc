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
fn the_fargate_alb_port_keeps_every_cdk_logical_id_and_type() {
    let assembly = ecscdk_examples::fargate_alb::app()
        .unwrap()
        .synth()
        .unwrap();
    let template = &assembly.stack("FargateAlb").unwrap().template;
    let ours = our_resources(template);
    let cdk = cdk_resources(include_str!("data/cdk-fargate-alb-resources.tsv"));
    assert_eq!(cdk.len(), 40);
    let wrong: Vec<_> = cdk
        .iter()
        .filter(|(id, ty)| ours.get(*id).and_then(|r| r["Type"].as_str()) != Some(*ty))
        .collect();
    assert!(wrong.is_empty(), "missing or of another type: {wrong:?}");
    // The flow log (4) and the default-SG handler's log group (1) are extra.
    assert_eq!(ours.len(), 45);

    let cdk_template: serde_json::Value = serde_json::from_str(include_str!(
        "../../constructs/tests/data/cdk/fargate-alb/FargateAlb.template.json"
    ))
    .unwrap();
    let theirs = cdk_template["Resources"].as_object().unwrap();
    // The load-balancing resources render exactly as the CDK's.
    for id in [
        "WebLBPublicListenerB3D72A27",
        "WebLBPublicListenerECSGroupB52EA5B2",
        "WebLBSecurityGrouptoFargateAlbWebServiceSecurityGroup9556621780C831810C",
        "WebServiceSecurityGroupfromFargateAlbWebLBSecurityGroupE00F21B380F3F4E30E",
        "WebServiceSecurityGroupBAF50CC8",
    ] {
        assert_eq!(ours[id]["Properties"], theirs[id]["Properties"], "{id}");
    }
    assert_eq!(
        ours["WebLB720665E7"]["DependsOn"],
        theirs["WebLB720665E7"]["DependsOn"]
    );
    let (lb, cdk_lb) = (
        &ours["WebLB720665E7"]["Properties"],
        &theirs["WebLB720665E7"]["Properties"],
    );
    for key in ["Scheme", "SecurityGroups", "Subnets", "Type"] {
        assert_eq!(lb[key], cdk_lb[key], "{key}");
    }
    // Deliberate: invalid header fields are dropped.
    assert_eq!(
        lb["LoadBalancerAttributes"],
        serde_json::json!([
            {"Key": "deletion_protection.enabled", "Value": "false"},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
        ])
    );
    // As the CDK: no inline egress once the egress resource above exists.
    // CloudFormation removes a group's default allow-all egress rule when a
    // standalone `AWS::EC2::SecurityGroupEgress` is added to it (aws-cdk
    // issue #987), so the group reaches only the service.
    let group = &ours["WebLBSecurityGroupAD942A36"]["Properties"];
    let cdk_group = &theirs["WebLBSecurityGroupAD942A36"]["Properties"];
    assert!(cdk_group.get("SecurityGroupEgress").is_none());
    assert_eq!(group, cdk_group);
    // The service: the CDK's load balancer wiring, minimum healthy 100 %.
    let service = &ours["WebServiceD04B5F3E"]["Properties"];
    let cdk_service = &theirs["WebServiceD04B5F3E"]["Properties"];
    for key in [
        "LoadBalancers",
        "HealthCheckGracePeriodSeconds",
        "NetworkConfiguration",
    ] {
        assert_eq!(service[key], cdk_service[key], "{key}");
    }
    assert_eq!(
        service["DeploymentConfiguration"]["MinimumHealthyPercent"],
        100
    );
    // The outputs keep the CDK's ids and values.
    let outputs: serde_json::Value = serde_json::from_str(template).unwrap();
    assert_eq!(outputs["Outputs"], cdk_template["Outputs"]);
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

#[test]
fn the_capacity_port_keeps_every_cdk_logical_id_and_type() {
    let assembly = ecscdk_examples::capacity::app().unwrap().synth().unwrap();
    let ours = our_resources(&assembly.stack("Capacity").unwrap().template);
    let cdk = cdk_resources(include_str!("data/cdk-capacity-resources.tsv"));
    assert_eq!(cdk.len(), 46);
    let wrong: Vec<_> = cdk
        .iter()
        .filter(|(id, ty)| ours.get(*id).and_then(|r| r["Type"].as_str()) != Some(*ty))
        .collect();
    assert!(wrong.is_empty(), "missing or of another type: {wrong:?}");
    let template: serde_json::Value =
        serde_json::from_str(&assembly.stack("Capacity").unwrap().template).unwrap();
    let parameter = "SsmParameterValueawsserviceecsoptimizedamiamazonlinux2023recommendedimageidC96584B6F00A464EAD1953AFF4B05118Parameter";
    assert_eq!(
        template["Parameters"][parameter]["Type"],
        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    );
}

/// The lifecycle edges of an ASG capacity provider: the service waits for
/// the cluster's associations, which reference the provider, which
/// references the group, so create and delete each run in one pass.
#[test]
fn the_capacity_port_orders_service_associations_provider_and_group() {
    let assembly = ecscdk_examples::capacity::app().unwrap().synth().unwrap();
    let r = our_resources(&assembly.stack("Capacity").unwrap().template);
    let depends = |id: &str| -> Vec<String> {
        r[id]["DependsOn"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    for service in ["Ec2Service04A33183", "FargateServiceAC2B3B85"] {
        assert!(
            depends(service).contains(&"Cluster3DA9CCBA".to_owned()),
            "{service} must depend on the associations: {:?}",
            depends(service)
        );
    }
    let associations = &r["Cluster3DA9CCBA"]["Properties"];
    assert!(
        associations["CapacityProviders"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"Ref": "AsgProvider9ED39119"}))
    );
    let provider = &r["AsgProvider9ED39119"]["Properties"]["AutoScalingGroupProvider"];
    assert_eq!(
        provider["AutoScalingGroupArn"],
        serde_json::json!({"Ref": "AsgASGD1D7B4E2"})
    );
    assert_eq!(provider["ManagedTerminationProtection"], "ENABLED");
    assert_eq!(
        r["AsgASGD1D7B4E2"]["Properties"]["NewInstancesProtectedFromScaleIn"],
        true
    );
    assert_eq!(
        r["Ec2Service04A33183"]["Properties"]["CapacityProviderStrategy"][0]["CapacityProvider"],
        serde_json::json!({"Ref": "AsgProvider9ED39119"})
    );
}
