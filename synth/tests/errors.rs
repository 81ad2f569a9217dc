//! Every bad input the engine checks: the error's variant, the construct path
//! it names, and its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk_synth::prelude::*;
use ecscdk_synth::{Error, Report, limits};

fn topic() -> RawResource {
    RawResource::new("AWS::SNS::Topic")
}

fn synth_one(stack: Stack) -> Error {
    let mut app = App::new();
    app.add(stack).unwrap();
    app.synth().unwrap_err()
}

#[test]
fn rejects_an_empty_construct_id() {
    let mut stack = Stack::new("Web");
    let err = stack.scope(stack.root(), "").unwrap_err();
    assert!(matches!(&err, Error::InvalidId { path, .. } if path.as_str() == "Web"));
    insta::assert_snapshot!(err, @r#"[Web] invalid construct id "": a construct id must not be empty"#);
}

#[test]
fn rejects_a_construct_id_with_a_slash() {
    let mut stack = Stack::new("Web");
    let vpc = stack.scope(stack.root(), "Vpc").unwrap();
    let err = stack.add(vpc, "a/b", topic()).unwrap_err();
    assert!(matches!(&err, Error::InvalidId { path, .. } if path.as_str() == "Web/Vpc"));
    insta::assert_snapshot!(err, @r#"[Web/Vpc] invalid construct id "a/b": a construct id must not contain `/`, which separates path components"#);
}

#[test]
fn rejects_two_siblings_with_one_id() {
    let mut stack = Stack::new("Web");
    let root = stack.root();
    stack.add(root, "Topic", topic()).unwrap();
    let err = stack.scope(root, "Topic").unwrap_err();
    assert!(matches!(&err, Error::DuplicateId { path } if path.as_str() == "Web/Topic"));
    insta::assert_snapshot!(err, @"[Web/Topic] a construct with this id already exists under its parent; give one of them another id");
}

#[test]
fn rejects_a_parent_from_another_stack() {
    let a = Stack::new("A");
    let mut b = Stack::new("B");
    let err = b.add(a.root(), "Topic", topic()).unwrap_err();
    assert!(matches!(&err, Error::ForeignHandle { path, .. } if path.as_str() == "B/Topic"));
    insta::assert_snapshot!(err, @"[B/Topic] the parent scope belongs to another stack; create it in this stack, or reference it through an expression (which becomes an export and an import)");
}

#[test]
fn rejects_options_for_a_resource_of_another_stack() {
    let mut a = Stack::new("A");
    let t = a.add(a.root(), "Topic", topic()).unwrap();
    let mut b = Stack::new("B");
    let err = b.resource_options(t).unwrap_err();
    assert!(matches!(&err, Error::ForeignHandle { path, .. } if path.as_str() == "B"));
}

#[test]
fn rejects_a_duplicate_stack_id() {
    let mut app = App::new();
    app.add(Stack::new("Web")).unwrap();
    let err = app.add(Stack::new("Web")).unwrap_err();
    assert!(matches!(&err, Error::DuplicateStack { path, what: "id" } if path.as_str() == "Web"));
    insta::assert_snapshot!(err, @"[Web] a stack with this id is already in the app; stack ids and names must be unique");
}

#[test]
fn rejects_a_duplicate_stack_name() {
    let mut app = App::new();
    app.add(Stack::new("Web")).unwrap();
    let err = app.add(Stack::new("Other").stack_name("Web")).unwrap_err();
    assert!(
        matches!(&err, Error::DuplicateStack { path, what: "name" } if path.as_str() == "Other")
    );
}

#[test]
fn rejects_an_invalid_stack_name() {
    let err = synth_one(Stack::new("Web").stack_name("1web_app"));
    assert!(
        matches!(&err, Error::InvalidStackName { path, name } if path.as_str() == "Web" && name == "1web_app")
    );
    insta::assert_snapshot!(err, @r#"[Web] invalid stack name "1web_app": a stack name starts with a letter and holds only letters, digits and `-`, at most 128 characters"#);
}

#[test]
fn rejects_a_malformed_account() {
    let err = synth_one(Stack::new("Web").env(Env::new("12345", "us-east-1")));
    assert!(matches!(&err, Error::InvalidEnvironment { path, .. } if path.as_str() == "Web"));
    insta::assert_snapshot!(err, @r#"[Web] invalid environment: account "12345" is not 12 digits"#);
}

#[test]
fn rejects_an_invalid_logical_id_override() {
    let mut stack = Stack::new("Web");
    let t = stack.add(stack.root(), "Topic", topic()).unwrap();
    stack
        .resource_options(t)
        .unwrap()
        .override_logical_id("My-Topic");
    let err = synth_one(stack);
    assert!(
        matches!(&err, Error::InvalidLogicalId { path, id, .. } if path.as_str() == "Web/Topic" && id == "My-Topic")
    );
    insta::assert_snapshot!(err, @r#"[Web/Topic] invalid logical ID "My-Topic": a logical ID holds only ASCII letters and digits, found '-'; rename the construct or override its logical ID"#);
}

#[test]
fn rejects_a_logical_id_override_over_255_characters() {
    let mut stack = Stack::new("Web");
    let t = stack.add(stack.root(), "Topic", topic()).unwrap();
    stack
        .resource_options(t)
        .unwrap()
        .override_logical_id("A".repeat(256));
    let err = synth_one(stack);
    assert!(matches!(&err, Error::InvalidLogicalId { path, .. } if path.as_str() == "Web/Topic"));
}

#[test]
fn rejects_two_resources_with_one_logical_id() {
    // `My-Topic` and `MyTopic` both clean to `MyTopic`; the CDK would
    // silently keep one of them.
    let mut stack = Stack::new("Web");
    let root = stack.root();
    stack.add(root, "My-Topic", topic()).unwrap();
    stack.add(root, "MyTopic", topic()).unwrap();
    let err = synth_one(stack);
    assert!(
        matches!(&err, Error::DuplicateLogicalId { id, first, second }
        if id == "MyTopic" && first.as_str() == "Web/My-Topic" && second.as_str() == "Web/MyTopic")
    );
    insta::assert_snapshot!(err, @r#"[Web/MyTopic] logical ID "MyTopic" is already used by Web/My-Topic in the same stack; rename one construct or override its logical ID"#);
}

#[test]
fn rejects_a_parameter_and_a_resource_with_one_logical_id() {
    let mut stack = Stack::new("Web");
    let root = stack.root();
    stack.parameter("Name", ParameterSpec::string()).unwrap();
    let t = stack.add(root, "Topic", topic()).unwrap();
    stack
        .resource_options(t)
        .unwrap()
        .override_logical_id("Name");
    let err = synth_one(stack);
    assert!(matches!(&err, Error::DuplicateLogicalId { id, .. } if id == "Name"));
}

#[test]
fn rejects_a_parameter_used_in_another_stack() {
    let mut a = Stack::new("A");
    let p = a.parameter("Name", ParameterSpec::string()).unwrap();
    let mut b = Stack::new("B");
    b.add(b.root(), "Topic", topic().property("TopicName", p.value()))
        .unwrap();
    let mut app = App::new();
    app.add(a).unwrap();
    app.add(b).unwrap();
    let err = app.synth().unwrap_err();
    assert!(matches!(&err, Error::Unresolvable { path, .. } if path.as_str() == "B/Topic"));
    insta::assert_snapshot!(err, @"[B/Topic] uses a parameter of stack A; a parameter can only be used in its own stack: declare it in this stack too, or pass its value through a resource or an output");
}

#[test]
fn rejects_a_condition_used_in_another_stack() {
    let mut a = Stack::new("A");
    let c = a.condition("IsProd", Cond::equals("a", "b")).unwrap();
    let mut b = Stack::new("B");
    let t = b.add(b.root(), "Topic", topic()).unwrap();
    b.resource_options(t).unwrap().condition(c);
    let mut app = App::new();
    app.add(a).unwrap();
    app.add(b).unwrap();
    let err = app.synth().unwrap_err();
    assert!(
        err.problems()
            .iter()
            .any(|e| matches!(e, Error::Unresolvable { path, .. } if path.as_str() == "B/Topic")),
        "{err}"
    );
}

#[test]
fn rejects_a_reference_to_a_stack_outside_the_app() {
    let mut a = Stack::new("A");
    let t = a.add(a.root(), "Topic", topic()).unwrap();
    let mut b = Stack::new("B");
    b.output("TopicArn", t.reference()).unwrap();
    let err = synth_one(b);
    assert!(matches!(&err, Error::Unresolvable { path, .. } if path.as_str() == "B/TopicArn"));
    insta::assert_snapshot!(err, @"[B/TopicArn] references a resource of a stack that was not added to the app; add that stack with `App::add`");
}

#[test]
fn rejects_a_reference_across_environments() {
    let mut a = Stack::new("A").env(Env::new("111111111111", "us-east-1"));
    let t = a.add(a.root(), "Topic", topic()).unwrap();
    let mut b = Stack::new("B").env(Env::new("111111111111", "eu-west-1"));
    b.output("TopicArn", t.reference()).unwrap();
    let mut app = App::new();
    app.add(a).unwrap();
    app.add(b).unwrap();
    let err = app.synth().unwrap_err();
    assert!(matches!(&err, Error::Unresolvable { path, .. } if path.as_str() == "B/TopicArn"));
    insta::assert_snapshot!(err, @"[B/TopicArn] references stack A (aws://111111111111/us-east-1 vs aws://111111111111/eu-west-1) in another region; CloudFormation exports only reach stacks of the same region: use a weak reference (`ReferenceStrength::Weak`, for the app, this stack or this value)");
}

#[test]
fn rejects_a_reference_to_another_account() {
    let mut a = Stack::new("A").env(Env::new("111111111111", "us-east-1"));
    let t = a.add(a.root(), "Topic", topic()).unwrap();
    let mut b = Stack::new("B").env(Env::new("222222222222", "us-east-1"));
    b.output("TopicArn", t.reference()).unwrap();
    let mut app = App::new().cross_stack_references(ReferenceStrength::Weak);
    app.add(a).unwrap();
    app.add(b).unwrap();
    let err = app.synth().unwrap_err();
    assert!(matches!(&err, Error::Unresolvable { path, .. } if path.as_str() == "B/TopicArn"));
    insta::assert_snapshot!(err, @"[B/TopicArn] references stack A (aws://111111111111/us-east-1 vs aws://222222222222/us-east-1) in another account; reading another account's stack needs a role for CloudFormation to assume, which ecscdk does not create: pass the value in as a parameter or a literal");
}

#[test]
fn rejects_stacks_that_reference_each_other() {
    let mut a = Stack::new("A");
    let ta = a.add(a.root(), "Topic", topic()).unwrap();
    let mut b = Stack::new("B");
    let tb = b.add(b.root(), "Topic", topic()).unwrap();
    a.output("FromB", tb.reference()).unwrap();
    b.output("FromA", ta.reference()).unwrap();
    let mut app = App::new();
    app.add(a).unwrap();
    app.add(b).unwrap();
    let err = app.synth().unwrap_err();
    assert!(matches!(&err, Error::DependencyCycle { cycle, .. } if cycle == "A -> B -> A"));
    insta::assert_snapshot!(err, @"stacks depend on each other in a cycle: A -> B -> A; A -> B: A/FromB uses B/Topic; B -> A: B/FromA uses A/Topic. Move the shared resources into one stack or into a third stack both use");
}

#[test]
fn rejects_an_explicit_dependency_cycle() {
    let mut a = Stack::new("A");
    let mut b = Stack::new("B");
    a.add_dependency(&b, "");
    b.add_dependency(&a, "");
    let mut app = App::new();
    app.add(a).unwrap();
    app.add(b).unwrap();
    let err = app.synth().unwrap_err();
    assert!(matches!(&err, Error::DependencyCycle { .. }), "{err}");
    insta::assert_snapshot!(err, @"stacks depend on each other in a cycle: A -> B -> A; A -> B: an explicit `add_dependency`; B -> A: an explicit `add_dependency`. Move the shared resources into one stack or into a third stack both use");
}

#[test]
fn rejects_a_sub_variable_that_is_not_given() {
    let mut stack = Stack::new("Web");
    stack
        .output("Url", Expr::sub("https://${Host}/${AWS::Region}"))
        .unwrap();
    let err = synth_one(stack);
    assert!(matches!(&err, Error::Unresolvable { path, .. } if path.as_str() == "Web/Url"));
    insta::assert_snapshot!(err, @r#"[Web/Url] Fn::Sub string "https://${Host}/${AWS::Region}" refers to ${Host}, which is neither a pseudo parameter nor one of its variables; pass it as a variable (`Expr::sub_with`) or write ${!Host} for a literal"#);
}

#[test]
fn rejects_an_override_through_a_non_object() {
    let mut stack = Stack::new("Web");
    let t = stack
        .add(stack.root(), "Topic", topic().property("TopicName", "x"))
        .unwrap();
    stack
        .resource_options(t)
        .unwrap()
        .add_property_override("TopicName.Inner", "y");
    let err = synth_one(stack);
    assert!(
        matches!(&err, Error::InvalidOverride { path, override_path, .. }
        if path.as_str() == "Web/Topic" && override_path == "Properties.TopicName.Inner")
    );
    insta::assert_snapshot!(err, @r#"[Web/Topic] cannot apply override "Properties.TopicName.Inner": the parent of the last component is not an object"#);
}

/// A resource whose rendered properties must not hold `Forbidden`.
#[derive(Debug, serde::Serialize)]
struct Strict {
    #[serde(rename = "Forbidden", skip_serializing_if = "Option::is_none")]
    forbidden: Option<i64>,
}

impl Resource for Strict {
    type Handle = ResourceRef;

    fn type_name(&self) -> &str {
        "Test::Strict::Thing"
    }

    fn validate_rendered(&self, properties: &serde_json::Value, report: &mut Report) {
        if properties.get("Forbidden").is_some() {
            report.push("/Forbidden", "additionalProperties", "not a property");
        }
    }
}

#[test]
fn rejects_an_override_that_the_resource_rejects_once_rendered() {
    let mut stack = Stack::new("Web");
    let thing = Strict { forbidden: None };
    let t = stack.add(stack.root(), "Thing", thing).unwrap();
    stack
        .resource_options(t)
        .unwrap()
        .add_property_override("Forbidden", 1);
    let err = synth_one(stack);
    assert!(matches!(&err, Error::InvalidProperty { path, property, .. }
        if path.as_str() == "Web/Thing" && property == "/Properties/Forbidden"));
    insta::assert_snapshot!(err, @"[Web/Thing] /Properties/Forbidden: not a property (schema rule `additionalProperties`)");
}

#[test]
fn checks_rendered_properties_only_of_resources_with_overrides() {
    // The typed value is the resource's own to check (`Resource::validate`).
    let mut app = App::new();
    let mut stack = Stack::new("Web");
    let thing = Strict { forbidden: Some(1) };
    stack.add(stack.root(), "Thing", thing).unwrap();
    app.add(stack).unwrap();
    app.synth().unwrap();
}

#[test]
fn rejects_intrinsics_in_a_mapping() {
    let mut stack = Stack::new("Web");
    stack
        .mapping("M", Mapping::new().entry("a", [("b", Pseudo::region())]))
        .unwrap();
    let err = synth_one(stack);
    assert!(matches!(&err, Error::InvalidProperty { path, .. } if path.as_str() == "Web/M"));
}

#[test]
fn reports_an_intrinsic_in_a_mapping_once() {
    // The mapping is rejected for holding an intrinsic; the intrinsic's own
    // problem (a Sub variable not given) is not looked for there.
    let mut stack = Stack::new("Web");
    stack
        .mapping(
            "M",
            Mapping::new().entry("a", [("b", Expr::<String>::sub("${Missing}"))]),
        )
        .unwrap();
    let err = synth_one(stack);
    assert_eq!(err.problems().len(), 1, "{err}");
    assert!(matches!(&err, Error::InvalidProperty { path, .. } if path.as_str() == "Web/M"));
}

#[test]
fn rejects_more_than_500_resources() {
    let mut stack = Stack::new("Big");
    let root = stack.root();
    for i in 0..=limits::RESOURCES {
        stack.add(root, &format!("T{i}"), topic()).unwrap();
    }
    let err = synth_one(stack);
    assert!(
        matches!(&err, Error::LimitExceeded { path, limit: 500, actual: 501, .. } if path.as_str() == "Big")
    );
    insta::assert_snapshot!(err, @"[Big] resources: 501 exceeds CloudFormation's limit of 500; split the stack into several stacks");
}

#[test]
fn rejects_more_than_200_outputs() {
    let mut stack = Stack::new("Big");
    for i in 0..=limits::OUTPUTS {
        stack.output(&format!("O{i}"), "x").unwrap();
    }
    let err = synth_one(stack);
    assert!(
        matches!(
            &err,
            Error::LimitExceeded {
                limit: 200,
                actual: 201,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn counts_generated_exports_against_the_output_limit() {
    let mut a = Stack::new("A");
    let root = a.root();
    let mut handles = Vec::new();
    for i in 0..limits::OUTPUTS {
        handles.push(a.add(root, &format!("T{i}"), topic()).unwrap());
        if i < 150 {
            a.output(&format!("O{i}"), "x").unwrap();
        }
    }
    let mut b = Stack::new("B");
    for (i, h) in handles.iter().take(60).enumerate() {
        b.output(&format!("O{i}"), h.reference()).unwrap();
    }
    let mut app = App::new();
    app.add(a).unwrap();
    app.add(b).unwrap();
    let err = app.synth().unwrap_err();
    assert!(
        matches!(&err, Error::LimitExceeded { path, actual: 210, .. } if path.as_str() == "A"),
        "{err}"
    );
}

#[test]
fn rejects_more_than_200_parameters() {
    let mut stack = Stack::new("Big");
    for i in 0..=limits::PARAMETERS {
        stack
            .parameter(&format!("P{i}"), ParameterSpec::string())
            .unwrap();
    }
    let err = synth_one(stack);
    assert!(
        matches!(
            &err,
            Error::LimitExceeded {
                what: "parameters",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn rejects_more_than_200_mappings() {
    let mut stack = Stack::new("Big");
    for i in 0..=limits::MAPPINGS {
        stack
            .mapping(&format!("M{i}"), Mapping::new().entry("a", [("b", "c")]))
            .unwrap();
    }
    let err = synth_one(stack);
    assert!(
        matches!(
            &err,
            Error::LimitExceeded {
                what: "mappings",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn rejects_a_description_over_1024_bytes() {
    let err = synth_one(Stack::new("Web").description("é".repeat(513)));
    assert!(
        matches!(&err, Error::LimitExceeded { path, actual: 1026, .. } if path.as_str() == "Web"),
        "{err}"
    );
}

#[test]
fn rejects_an_output_description_over_1024_bytes() {
    let mut stack = Stack::new("Web");
    stack
        .output("O", Output::new("x").description("d".repeat(1025)))
        .unwrap();
    let err = synth_one(stack);
    assert!(
        matches!(&err, Error::LimitExceeded { path, .. } if path.as_str() == "Web/O"),
        "{err}"
    );
}

#[test]
fn rejects_a_template_over_one_megabyte() {
    let mut stack = Stack::new("Huge");
    let root = stack.root();
    for i in 0..400 {
        stack
            .add(
                root,
                &format!("T{i}"),
                topic().property("DisplayName", "x".repeat(2600)),
            )
            .unwrap();
    }
    let err = synth_one(stack);
    assert!(
        matches!(&err, Error::LimitExceeded { path, what: "bytes of template", limit: 1_000_000, .. } if path.as_str() == "Huge"),
        "{err}"
    );
}

#[test]
fn flags_templates_too_large_for_a_direct_deploy() {
    let mut stack = Stack::new("Large");
    let root = stack.root();
    for i in 0..30 {
        stack
            .add(
                root,
                &format!("T{i}"),
                topic().property("DisplayName", "x".repeat(2000)),
            )
            .unwrap();
    }
    let mut app = App::new();
    app.add(stack).unwrap();
    app.add(Stack::new("Small")).unwrap();
    let assembly = app.synth().unwrap();
    let large = assembly.stack("Large").unwrap();
    assert!(large.template.len() > limits::DIRECT_TEMPLATE_BYTES);
    assert!(large.needs_upload);
    assert!(!assembly.stack("Small").unwrap().needs_upload);
}

#[test]
fn rejects_one_export_name_used_twice() {
    let mut a = Stack::new("A");
    a.output("O", Output::new("x").export_name("shared"))
        .unwrap();
    let mut b = Stack::new("B");
    b.output("O", Output::new("y").export_name("shared"))
        .unwrap();
    let mut app = App::new();
    app.add(a).unwrap();
    app.add(b).unwrap();
    let err = app.synth().unwrap_err();
    assert!(
        matches!(&err, Error::DuplicateExportName { name, first, second }
        if name == "shared" && first.as_str() == "A/O" && second.as_str() == "B/O")
    );
    insta::assert_snapshot!(err, @r#"[B/O] export name "shared" is already exported by A/O; export names must be unique per account and region"#);
}

#[test]
fn reports_every_problem_at_once() {
    let mut stack = Stack::new("Web").stack_name("bad_name");
    let t = stack.add(stack.root(), "Topic", topic()).unwrap();
    stack
        .resource_options(t)
        .unwrap()
        .override_logical_id("bad-id");
    let err = synth_one(stack);
    assert_eq!(err.problems().len(), 2, "{err}");
    assert_eq!(err.to_string().lines().count(), 2);
}

#[test]
fn reports_reference_problems_of_a_stack_in_one_order_whatever_the_section() {
    // Synth finds these while writing a draft of the template, whose
    // sections come in CloudFormation's order (conditions before resources,
    // outputs last); it reports them in one fixed order: resources (those
    // with overrides too, once each), then outputs, then conditions.
    let bad = |name: &str| Expr::<String>::sub(format!("${{{name}}}"));
    let mut stack = Stack::new("Web");
    stack
        .condition("Check", Cond::equals(bad("InCondition"), "x"))
        .unwrap();
    stack.output("Out", bad("InOutput")).unwrap();
    let first = stack
        .add(
            stack.root(),
            "First",
            topic().property("TopicName", bad("InFirst")),
        )
        .unwrap();
    stack
        .resource_options(first)
        .unwrap()
        .add_property_override("DisplayName", "shown");
    stack
        .add(
            stack.root(),
            "Second",
            topic().property("TopicName", bad("InSecond")),
        )
        .unwrap();
    let err = synth_one(stack);
    let order: Vec<String> = err
        .problems()
        .iter()
        .map(|e| match e {
            Error::Unresolvable { path, reason } => {
                let name = reason.split("${").nth(1).unwrap_or_default();
                format!("{path} {}", name.split('}').next().unwrap_or_default())
            }
            other => panic!("unexpected problem: {other}"),
        })
        .collect();
    assert_eq!(
        order,
        [
            "Web/First InFirst",
            "Web/Second InSecond",
            "Web/Out InOutput",
            "Web/Check InCondition",
        ],
        "{err}"
    );
}
