//! What the engine writes: every intrinsic, the template sections, resource
//! attributes, overrides, cross-stack exports and the cloud assembly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk_synth::context::ContextQuery;
use ecscdk_synth::prelude::*;
use ecscdk_synth::{Assembly, PseudoParameter};
use serde_json::{Value as Json, json};

fn template(assembly: &Assembly, id: &str) -> Json {
    serde_json::from_str(&assembly.stack(id).unwrap().template).unwrap()
}

fn synth(stacks: Vec<Stack>) -> Assembly {
    let mut app = App::new();
    for s in stacks {
        app.add(s).unwrap();
    }
    app.synth().unwrap()
}

#[test]
fn every_intrinsic_renders_as_cloudformation_expects() {
    let mut stack = Stack::new("S");
    let root = stack.root();
    let p = stack.parameter("Name", ParameterSpec::string()).unwrap();
    let c = stack.condition("C", Cond::equals(p.value(), "x")).unwrap();
    let m = stack
        .mapping("M", Mapping::new().entry("k", [("v", "w")]))
        .unwrap();
    let r = stack
        .add(root, "R", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    let values: Vec<(&str, Operand)> = vec![
        ("ref", r.reference().into()),
        ("getatt", r.attr("TopicArn").into()),
        ("param", p.value().into()),
        ("sub", Expr::sub("${AWS::Region}-${!Lit}").into()),
        (
            "subvars",
            Expr::sub_with("${A}", [("A", r.reference())]).into(),
        ),
        (
            "join",
            Expr::join(",", [Value::from("a"), r.reference().into()]).into(),
        ),
        ("joinlist", Expr::join_list(",", Expr::get_azs()).into()),
        ("select", Expr::<String>::select(1, Expr::get_azs()).into()),
        ("split", Expr::split(",", "a,b").into()),
        ("azs", Expr::get_azs_in("eu-west-1").into()),
        ("import", Expr::<String>::import_value("Other:Name").into()),
        (
            "stackoutput",
            Expr::<String>::get_stack_output("Other", "Name", Some("eu-west-1".into())).into(),
        ),
        (
            "stackoutputhere",
            Expr::<String>::get_stack_output("Other", "Name", None).into(),
        ),
        (
            "strength",
            r.reference()
                .with_reference_strength(ReferenceStrength::Weak)
                .into(),
        ),
        ("if", Expr::if_(c, "a", Pseudo::no_value()).into()),
        ("equals", Cond::equals("a", "b").into()),
        ("and", Cond::and([c.value(), !c.value()]).into()),
        ("or", Cond::or([c.value(), c.value()]).into()),
        ("findinmap", m.find("k", "v").into()),
        ("base64", Expr::base64("#!/bin/sh").into()),
        ("cidr", Expr::cidr("10.0.0.0/16", 4, 8).into()),
        ("length", Expr::length(Expr::get_azs()).into()),
        (
            "tojson",
            Expr::to_json_string(Operand::map([("a", r.reference())])).into(),
        ),
    ];
    let mut raw = RawResource::new("Custom::Everything");
    for (k, v) in values {
        raw = raw.property(k, v);
    }
    let pseudo: Vec<Operand> = PseudoParameter::ALL
        .iter()
        .map(|p| match p {
            PseudoParameter::AccountId => Pseudo::account_id().into(),
            PseudoParameter::Region => Pseudo::region().into(),
            PseudoParameter::Partition => Pseudo::partition().into(),
            PseudoParameter::UrlSuffix => Pseudo::url_suffix().into(),
            PseudoParameter::StackName => Pseudo::stack_name().into(),
            PseudoParameter::StackId => Pseudo::stack_id().into(),
            PseudoParameter::NoValue => Pseudo::no_value::<String>().into(),
            PseudoParameter::NotificationArns => Pseudo::notification_arns().into(),
            _ => Operand::Null,
        })
        .collect();
    raw = raw.property("pseudo", Operand::List(pseudo));
    stack.add(root, "Everything", raw).unwrap();
    let t = template(&synth(vec![stack]), "S");
    assert_eq!(t["Transform"], json!("AWS::LanguageExtensions"));
    let props = &t["Resources"]["Everything"]["Properties"];
    let expected = json!({
        "ref": {"Ref": "R"},
        "getatt": {"Fn::GetAtt": ["R", "TopicArn"]},
        "param": {"Ref": "Name"},
        "sub": {"Fn::Sub": "${AWS::Region}-${!Lit}"},
        "subvars": {"Fn::Sub": ["${A}", {"A": {"Ref": "R"}}]},
        "join": {"Fn::Join": [",", ["a", {"Ref": "R"}]]},
        "joinlist": {"Fn::Join": [",", {"Fn::GetAZs": ""}]},
        "select": {"Fn::Select": [1, {"Fn::GetAZs": ""}]},
        "split": {"Fn::Split": [",", "a,b"]},
        "azs": {"Fn::GetAZs": "eu-west-1"},
        "import": {"Fn::ImportValue": "Other:Name"},
        "stackoutput": {"Fn::GetStackOutput": {"StackName": "Other", "Region": "eu-west-1", "OutputName": "Name"}},
        "stackoutputhere": {"Fn::GetStackOutput": {"StackName": "Other", "OutputName": "Name"}},
        "strength": {"Ref": "R"},
        "if": {"Fn::If": ["C", "a", {"Ref": "AWS::NoValue"}]},
        "equals": {"Fn::Equals": ["a", "b"]},
        "and": {"Fn::And": [{"Condition": "C"}, {"Fn::Not": [{"Condition": "C"}]}]},
        "or": {"Fn::Or": [{"Condition": "C"}, {"Condition": "C"}]},
        "findinmap": {"Fn::FindInMap": ["M", "k", "v"]},
        "base64": {"Fn::Base64": "#!/bin/sh"},
        "cidr": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
        "length": {"Fn::Length": {"Fn::GetAZs": ""}},
        "tojson": {"Fn::ToJsonString": {"a": {"Ref": "R"}}},
        "pseudo": [
            {"Ref": "AWS::AccountId"}, {"Ref": "AWS::Region"}, {"Ref": "AWS::Partition"},
            {"Ref": "AWS::URLSuffix"}, {"Ref": "AWS::StackName"}, {"Ref": "AWS::StackId"},
            {"Ref": "AWS::NoValue"}, {"Ref": "AWS::NotificationARNs"}
        ]
    });
    assert_eq!(props, &expected);
}

#[test]
fn sections_and_resource_attributes_render_in_order() {
    let mut stack = Stack::new("S")
        .description("demo")
        .transform("AWS::Serverless-2016-10-31");
    let root = stack.root();
    let p = stack
        .parameter(
            "Size",
            ParameterSpec::number()
                .default(3.0)
                .min_value(1.0)
                .max_value(10.0)
                .description("how many"),
        )
        .unwrap();
    let secret = stack
        .parameter("Secret", ParameterSpec::string().no_echo().min_length(8))
        .unwrap();
    let c = stack.condition("Big", Cond::equals(p.value(), 10)).unwrap();
    stack
        .rule(
            "R",
            Rule::new().assert(Cond::equals(secret.value(), "x"), "d"),
        )
        .unwrap();
    let a = stack
        .add(root, "A", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    let b = stack
        .add(root, "B", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    stack
        .resource_options(b)
        .unwrap()
        .depends_on(a)
        .condition(c)
        .deletion_policy(DeletionPolicy::Snapshot)
        .update_replace_policy(UpdateReplacePolicy::Retain)
        .update_policy(Operand::map([(
            "AutoScalingReplacingUpdate",
            Operand::map([("WillReplace", true)]),
        )]))
        .creation_policy(Operand::map([(
            "ResourceSignal",
            Operand::map([("Count", 1)]),
        )]))
        .metadata("Owner", "team");
    stack
        .output(
            "Out",
            Output::new(a.reference()).export_name("S-A").condition(c),
        )
        .unwrap();
    let t = template(&synth(vec![stack]), "S");
    let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "AWSTemplateFormatVersion",
            "Description",
            "Transform",
            "Parameters",
            "Rules",
            "Conditions",
            "Resources",
            "Outputs"
        ]
    );
    assert_eq!(
        t["Parameters"],
        json!({
            "Size": {"Type": "Number", "Default": 3, "Description": "how many", "MinValue": 1, "MaxValue": 10},
            "Secret": {"Type": "String", "MinLength": 8, "NoEcho": true}
        })
    );
    assert_eq!(
        t["Resources"]["B"],
        json!({
            "Type": "AWS::SNS::Topic",
            "Properties": {},
            "DependsOn": ["A"],
            "Condition": "Big",
            "CreationPolicy": {"ResourceSignal": {"Count": 1}},
            "UpdatePolicy": {"AutoScalingReplacingUpdate": {"WillReplace": true}},
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "Snapshot",
            "Metadata": {"Owner": "team", "aws:cdk:path": "S/B"}
        })
    );
    assert_eq!(
        t["Outputs"]["Out"],
        json!({"Value": {"Ref": "A"}, "Export": {"Name": "S-A"}, "Condition": "Big"})
    );
}

#[test]
fn overrides_change_the_rendered_resource() {
    let mut stack = Stack::new("S");
    let root = stack.root();
    let other = stack
        .add(root, "Other", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    let t = stack
        .add(
            root,
            "T",
            RawResource::new("AWS::SNS::Topic")
                .property("TopicName", "x")
                .property("DisplayName", "y"),
        )
        .unwrap();
    stack
        .resource_options(t)
        .unwrap()
        .add_property_override("KmsMasterKeyId", other.attr("TopicArn"))
        .add_property_override("Tags.Deep", 1)
        .add_property_deletion_override("DisplayName")
        .add_override("DependsOn", Operand::list(["Other"]));
    let out = template(&synth(vec![stack]), "S");
    assert_eq!(
        out["Resources"]["T"],
        json!({
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "TopicName": "x",
                "KmsMasterKeyId": {"Fn::GetAtt": ["Other", "TopicArn"]},
                "Tags": {"Deep": 1}
            },
            "Metadata": {"aws:cdk:path": "S/T"},
            "DependsOn": ["Other"]
        })
    );
}

#[test]
fn node_dependencies_expand_to_every_resource_below() {
    let mut stack = Stack::new("S");
    let root = stack.root();
    let db = stack.scope(root, "Db").unwrap();
    stack
        .add(db, "Cluster", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    stack
        .add(db, "Instance", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    let app_scope = stack.scope(root, "App").unwrap();
    stack
        .add(app_scope, "Fn", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    stack.add_node_dependency(app_scope, db).unwrap();
    let t = template(&synth(vec![stack]), "S");
    assert_eq!(
        t["Resources"]["AppFn600895AF"]["DependsOn"],
        json!(["DbCluster91341799", "DbInstance8ED10E8E"])
    );
}

#[test]
fn cross_stack_references_become_exports_imports_and_order() {
    // The consumer is added first; synth still deploys the producer first.
    let mut producer = Stack::new("Producer");
    let root = producer.root();
    let bucket = producer
        .add(root, "Bucket", RawResource::new("AWS::S3::Bucket"))
        .unwrap();
    let mut consumer = Stack::new("Consumer");
    let root = consumer.root();
    consumer
        .add(
            root,
            "Policy",
            RawResource::new("AWS::S3::BucketPolicy")
                .property("Bucket", bucket.reference())
                .property(
                    "PolicyDocument",
                    Operand::map([("Arn", bucket.attr("Arn"))]),
                ),
        )
        .unwrap();
    consumer.output("Again", bucket.reference()).unwrap();
    let assembly = synth(vec![consumer, producer]);
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["Producer", "Consumer"]);
    assert_eq!(
        assembly.stack("Consumer").unwrap().dependencies,
        ["Producer"]
    );
    let p = template(&assembly, "Producer");
    assert_eq!(
        p["Outputs"],
        json!({
            "ExportsOutputFnGetAttBucketArn436138FE": {
                "Value": {"Fn::GetAtt": ["Bucket", "Arn"]},
                "Export": {"Name": "Producer:ExportsOutputFnGetAttBucketArn436138FE"}
            },
            "ExportsOutputRefBucket239F7DF2": {
                "Value": {"Ref": "Bucket"},
                "Export": {"Name": "Producer:ExportsOutputRefBucket239F7DF2"}
            }
        })
    );
    let c = template(&assembly, "Consumer");
    assert_eq!(
        c["Resources"]["Policy"]["Properties"],
        json!({
            "Bucket": {"Fn::ImportValue": "Producer:ExportsOutputRefBucket239F7DF2"},
            "PolicyDocument": {"Arn": {"Fn::ImportValue": "Producer:ExportsOutputFnGetAttBucketArn436138FE"}}
        })
    );
    assert_eq!(
        c["Outputs"]["Again"]["Value"],
        json!({"Fn::ImportValue": "Producer:ExportsOutputRefBucket239F7DF2"})
    );
}

#[test]
fn explicit_stack_dependencies_order_stacks() {
    let a = Stack::new("A");
    let mut b = Stack::new("B");
    b.add_dependency(&a, "needs A's bucket by name");
    let assembly = synth(vec![b, a]);
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["A", "B"]);
}

#[test]
fn the_assembly_is_what_the_cdk_cli_reads() {
    let mut a = Stack::new("A")
        .env(Env::new("123456789012", "us-east-1"))
        .tag("team", "web")
        .termination_protection(true)
        .stack_name("a-prod");
    let root = a.root();
    let scope = a.scope_of_type(root, "Queue", "ecscdk.sqs.Queue").unwrap();
    let t = a
        .add(scope, "Resource", RawResource::new("AWS::SQS::Queue"))
        .unwrap();
    let mut b = Stack::new("B");
    b.output("Q", t.attr("Arn")).unwrap();
    let assembly = synth(vec![a, b]);
    let dir = tempfile::tempdir().unwrap();
    assembly.write(dir.path()).unwrap();
    let manifest: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(
        manifest["version"],
        json!(ecscdk_synth::CLOUD_ASSEMBLY_VERSION)
    );
    assert_eq!(
        manifest["artifacts"]["A"],
        json!({
            "type": "aws:cloudformation:stack",
            "environment": "aws://123456789012/us-east-1",
            "properties": {
                "templateFile": "A.template.json",
                "terminationProtection": true,
                "tags": {"team": "web"},
                "stackName": "a-prod",
                "validateOnSynth": false
            },
            "displayName": "A"
        })
    );
    assert_eq!(
        manifest["artifacts"]["B"]["environment"],
        json!("aws://unknown-account/unknown-region")
    );
    assert_eq!(manifest["artifacts"]["B"]["dependencies"], json!(["A"]));
    // Exports carry the CloudFormation stack name, not the construct id.
    let b: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("B.template.json")).unwrap())
            .unwrap();
    assert_eq!(
        b["Outputs"]["Q"]["Value"],
        json!({"Fn::ImportValue": "a-prod:ExportsOutputFnGetAttQueue4A7E3555Arn15A7202E"})
    );
    let tree: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("tree.json")).unwrap())
            .unwrap();
    let node = &tree["tree"]["children"]["A"]["children"]["Queue"];
    assert_eq!(node["path"], json!("A/Queue"));
    assert_eq!(node["constructInfo"]["fqn"], json!("ecscdk.sqs.Queue"));
    assert_eq!(
        node["children"]["Resource"]["attributes"],
        json!({"aws:cdk:cloudformation:type": "AWS::SQS::Queue", "aws:cdk:cloudformation:logicalId": "Queue4A7E3555"})
    );
}

#[test]
fn synth_is_byte_for_byte_deterministic() {
    fn build() -> App {
        let mut app = App::new();
        let mut a = Stack::new("A");
        let root = a.root();
        let mut handles = Vec::new();
        for i in 0..50 {
            handles.push(
                a.add(root, &format!("T{i}"), RawResource::new("AWS::SNS::Topic"))
                    .unwrap(),
            );
        }
        let mut b = Stack::new("B");
        let root = b.root();
        for (i, h) in handles.iter().enumerate().rev() {
            b.add(
                root,
                &format!("S{i}"),
                RawResource::new("AWS::SNS::Subscription")
                    .property("TopicArn", h.reference())
                    .property("Protocol", "sqs")
                    .property("Endpoint", h.attr("TopicName")),
            )
            .unwrap();
        }
        app.add(b).unwrap();
        app.add(a).unwrap();
        app
    }
    let first = build().synth().unwrap();
    let second = build().synth().unwrap();
    for (x, y) in first.stacks().iter().zip(second.stacks()) {
        assert_eq!(x.template, y.template);
    }
    assert_eq!(first.tree(), second.tree());
    assert_eq!(first.manifest(), second.manifest());
}

/// A producer like the CDK's `Network` stack in its weak-reference
/// rendering (`Vpc/Resource` has the logical ID `Vpc8378EB38`), and a
/// consumer that reads the VPC's ID.
fn network_and_edge(env: Option<Env>, edge_env: Option<Env>) -> (Stack, Stack, ResourceRef) {
    let mut network = Stack::new("Network");
    let mut edge = Stack::new("Edge");
    if let Some(env) = env {
        network = network.env(env);
    }
    if let Some(env) = edge_env {
        edge = edge.env(env);
    }
    let scope = network.scope(network.root(), "Vpc").unwrap();
    let vpc = network
        .add(
            scope,
            "Resource",
            RawResource::new("AWS::EC2::VPC").property("CidrBlock", "10.0.0.0/16"),
        )
        .unwrap();
    let root = edge.root();
    edge.add(
        root,
        "Sg",
        RawResource::new("AWS::EC2::SecurityGroup")
            .property("GroupDescription", "Edge/Sg")
            .property("VpcId", vpc.reference()),
    )
    .unwrap();
    (network, edge, vpc)
}

fn synth_app(app: App, stacks: Vec<Stack>) -> Assembly {
    let mut app = app;
    for s in stacks {
        app.add(s).unwrap();
    }
    app.synth().unwrap()
}

fn us_east_1() -> Option<Env> {
    Some(Env::new("123456789012", "us-east-1"))
}

/// The output and the reader as aws-cdk-lib 2.276 writes them with
/// `@aws-cdk/core:defaultCrossStackReferences` set to `weak` (the output's
/// logical ID is the CDK's).
#[test]
fn weak_references_publish_a_plain_output_read_with_get_stack_output() {
    let (network, edge, _) = network_and_edge(us_east_1(), us_east_1());
    let app = App::new().cross_stack_references(ReferenceStrength::Weak);
    let assembly = synth_app(app, vec![network, edge]);
    let producer = template(&assembly, "Network");
    assert_eq!(
        producer["Outputs"],
        json!({"PublishOutputRefVpc8378EB385002A76F": {"Value": {"Ref": "Vpc8378EB38"}}})
    );
    let consumer = template(&assembly, "Edge");
    assert_eq!(
        consumer["Resources"]["Sg"]["Properties"]["VpcId"],
        json!({"Fn::GetStackOutput": {
            "StackName": "Network",
            "Region": "us-east-1",
            "OutputName": "PublishOutputRefVpc8378EB385002A76F"
        }})
    );
    // The consumer still deploys after the producer.
    assert_eq!(assembly.stack("Edge").unwrap().dependencies, ["Network"]);
}

#[test]
fn weak_references_of_environment_agnostic_stacks_read_in_the_deploying_region() {
    let (network, edge, _) = network_and_edge(None, None);
    let app = App::new().cross_stack_references(ReferenceStrength::Weak);
    let consumer = template(&synth_app(app, vec![network, edge]), "Edge");
    assert_eq!(
        consumer["Resources"]["Sg"]["Properties"]["VpcId"]["Fn::GetStackOutput"]["Region"],
        json!({"Ref": "AWS::Region"})
    );
}

/// `both`: the producer keeps the export (so a deployed consumer's import
/// holds) and adds the plain output; the consumer moves to the output.
#[test]
fn both_keeps_the_export_and_reads_the_published_output() {
    let (network, edge, _) = network_and_edge(us_east_1(), us_east_1());
    let app = App::new().cross_stack_references(ReferenceStrength::Both);
    let assembly = synth_app(app, vec![network, edge]);
    assert_eq!(
        template(&assembly, "Network")["Outputs"],
        json!({
            "ExportsOutputRefVpc8378EB38272D6E3A": {
                "Value": {"Ref": "Vpc8378EB38"},
                "Export": {"Name": "Network:ExportsOutputRefVpc8378EB38272D6E3A"}
            },
            "PublishOutputRefVpc8378EB385002A76F": {"Value": {"Ref": "Vpc8378EB38"}}
        })
    );
    let consumer = template(&assembly, "Edge");
    assert!(consumer["Resources"]["Sg"]["Properties"]["VpcId"]["Fn::GetStackOutput"].is_object());
}

/// The app's default is strong; a stack, or one value, can choose weak, and
/// the producer then holds both kinds of output, each for its readers.
#[test]
fn a_stack_or_a_value_can_choose_another_strength_than_the_app() {
    let (network, edge, vpc) = network_and_edge(us_east_1(), us_east_1());
    let mut edge = edge.cross_stack_references(ReferenceStrength::Weak);
    edge.output(
        "Strong",
        vpc.reference()
            .with_reference_strength(ReferenceStrength::Strong),
    )
    .unwrap();
    let mut third = Stack::new("Third").env(Env::new("123456789012", "us-east-1"));
    third
        .output(
            "Weak",
            vpc.attr("CidrBlock")
                .with_reference_strength(ReferenceStrength::Weak),
        )
        .unwrap();
    third.output("Plain", vpc.reference()).unwrap();
    let assembly = synth_app(App::new(), vec![network, edge, third]);
    let edge = template(&assembly, "Edge");
    assert!(edge["Resources"]["Sg"]["Properties"]["VpcId"]["Fn::GetStackOutput"].is_object());
    assert_eq!(
        edge["Outputs"]["Strong"]["Value"],
        json!({"Fn::ImportValue": "Network:ExportsOutputRefVpc8378EB38272D6E3A"})
    );
    let third = template(&assembly, "Third");
    assert_eq!(
        third["Outputs"]["Weak"]["Value"]["Fn::GetStackOutput"]["OutputName"],
        json!("PublishOutputFnGetAttVpc8378EB38CidrBlockB72B34D2")
    );
    assert!(third["Outputs"]["Plain"]["Value"]["Fn::ImportValue"].is_string());
    let outputs = template(&assembly, "Network")["Outputs"].clone();
    let names: Vec<&String> = outputs.as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        [
            "ExportsOutputRefVpc8378EB38272D6E3A",
            "PublishOutputFnGetAttVpc8378EB38CidrBlockB72B34D2",
            "PublishOutputRefVpc8378EB385002A76F"
        ]
    );
}

/// Exports stop at the region; weak references reach another region of the
/// same account, as in the CDK.
#[test]
fn a_weak_reference_reaches_another_region_and_a_strong_one_is_refused() {
    let eu = Some(Env::new("123456789012", "eu-west-1"));
    let (network, edge, _) = network_and_edge(us_east_1(), eu.clone());
    let app = App::new().cross_stack_references(ReferenceStrength::Weak);
    let consumer = template(&synth_app(app, vec![network, edge]), "Edge");
    assert_eq!(
        consumer["Resources"]["Sg"]["Properties"]["VpcId"]["Fn::GetStackOutput"]["Region"],
        json!("us-east-1")
    );

    let (network, edge, _) = network_and_edge(us_east_1(), eu);
    let mut app = App::new();
    app.add(network).unwrap();
    app.add(edge).unwrap();
    let err = app.synth().unwrap_err().to_string();
    assert!(
        err.starts_with("[Edge/Sg] references stack Network"),
        "{err}"
    );
    assert!(err.contains("use a weak reference"), "{err}");
}

/// Writing over an earlier assembly: every file is the new one, and the
/// templates of stacks no longer in the app are gone.
#[test]
fn writing_again_replaces_the_files_and_drops_stacks_that_left() {
    let stack = |id: &str, topic: &str| {
        let mut stack = Stack::new(id);
        let root = stack.root();
        stack
            .add(root, topic, RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        stack
    };
    let dir = tempfile::tempdir().unwrap();
    let stacks: Vec<Stack> = (0..8).map(|i| stack(&format!("S{i}"), "Old")).collect();
    synth(stacks).write(dir.path()).unwrap();
    let stacks: Vec<Stack> = (0..3).map(|i| stack(&format!("S{i}"), "New")).collect();
    let assembly = synth(stacks);
    assembly.write(dir.path()).unwrap();
    for i in 0..8 {
        let file = dir.path().join(format!("S{i}.template.json"));
        if i < 3 {
            let written = std::fs::read_to_string(&file).unwrap();
            assert_eq!(written, assembly.stack(&format!("S{i}")).unwrap().template);
            assert!(written.contains("\"New\""), "{written}");
        } else {
            assert!(!file.exists(), "{} was left behind", file.display());
        }
    }
    let tree = std::fs::read_to_string(dir.path().join("tree.json")).unwrap();
    assert!(tree.contains("\"New\"") && !tree.contains("\"Old\""));
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    assert!(manifest.contains("S2.template.json") && !manifest.contains("S3.template.json"));
}

/// A file that already holds what synth would write is not rewritten (its
/// modification time stays), and one that differs, even at the same length,
/// is.
#[test]
fn writing_leaves_unchanged_files_alone_and_rewrites_changed_ones() {
    let app = |topic: &str| {
        let mut stack = Stack::new("S");
        let root = stack.root();
        stack
            .add(root, topic, RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        synth(vec![stack])
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("S.template.json");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let age = |when| {
        let f = std::fs::File::options().write(true).open(&file).unwrap();
        f.set_modified(when).unwrap();
    };
    let modified = || std::fs::metadata(&file).unwrap().modified().unwrap();

    app("Aaa").write(dir.path()).unwrap();
    age(old);
    app("Aaa").write(dir.path()).unwrap();
    assert_eq!(modified(), old, "an unchanged template was rewritten");

    // Same length, other content.
    let changed = app("Bbb");
    changed.write(dir.path()).unwrap();
    assert_ne!(modified(), old, "a changed template was not rewritten");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        changed.stack("S").unwrap().template
    );
}

// Synth's first pass over a stack runs on another thread as soon as the
// stack joins the app; what changed since must not be lost.

fn topic_stack(id: &str) -> Stack {
    let mut stack = Stack::new(id);
    stack
        .add(stack.root(), "Topic", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    stack
}

#[test]
fn a_stack_changed_after_it_joined_the_app_is_written_as_changed() {
    let mut app = App::new();
    app.add(topic_stack("Late")).unwrap();
    app.add(topic_stack("Other")).unwrap();
    // Give the worker time to pass over both stacks first.
    std::thread::sleep(std::time::Duration::from_millis(50));
    let late = app.stack_mut("Late").unwrap();
    late.add(late.root(), "Queue", RawResource::new("AWS::SQS::Queue"))
        .unwrap();
    let assembly = app.synth().unwrap();
    let resources = template(&assembly, "Late")["Resources"].clone();
    assert_eq!(
        resources.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["Topic", "Queue"]
    );
    let tree: Json = serde_json::from_str(&assembly.tree()).unwrap();
    assert!(tree["tree"]["children"]["Late"]["children"]["Queue"].is_object());
}

#[test]
fn a_stack_added_before_the_stack_it_reads_gets_the_same_template() {
    let (network, edge, _) = network_and_edge(us_east_1(), us_east_1());
    let (network2, edge2, _) = network_and_edge(us_east_1(), us_east_1());
    let in_order = synth(vec![network, edge]);
    let reversed = synth(vec![edge2, network2]);
    for id in ["Network", "Edge"] {
        assert_eq!(
            in_order.stack(id).unwrap().template,
            reversed.stack(id).unwrap().template,
            "{id}"
        );
    }
    assert!(
        in_order
            .stack("Edge")
            .unwrap()
            .template
            .contains("Fn::ImportValue")
    );
}

#[test]
fn context_given_after_the_stacks_joined_the_app_is_used() {
    let query = ContextQuery::new("test-provider", [("name", "x")], "a test value", json!("v"));
    let key = query.key();
    let mut stack = Stack::new("Reader");
    stack
        .output("Found", Expr::<String>::from_context(query))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cdk.context.json");
    let mut app = App::new().context_file(&file);
    app.add(stack).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    // Missing while the stack was passed over; there at synth.
    std::fs::write(&file, json!({ key.clone(): "from-file" }).to_string()).unwrap();
    let assembly = app.synth().unwrap();
    assert_eq!(
        template(&assembly, "Reader")["Outputs"]["Found"]["Value"],
        json!("from-file")
    );
    // Given in code after the stack joined: wins over the file.
    let app = app.context(key, json!("from-code"));
    assert_eq!(
        template(&app.synth().unwrap(), "Reader")["Outputs"]["Found"]["Value"],
        json!("from-code")
    );
}
