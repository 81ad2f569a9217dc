//! Cloud Map namespaces and services rendered as the AWS CDK renders them:
//! compared with the template the CDK itself renders for
//! `cdk-oracle/oracle.js` (stack `Test`: a cluster's default namespace, the
//! `CloudmapService` its Fargate and EC2 services create with
//! `cloudMapOptions`, services with other record types, an HTTP namespace),
//! with the same construct paths, so every logical ID is the CDK's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::cfn::ecs::CfnService as CfnEcsService;
use ecscdk::prelude::*;
use ecscdk::servicediscovery::{
    DiscoveryService, DiscoveryType, DnsRecordType, HttpNamespace, Namespace, NamespaceType,
    PrivateDnsNamespace, RoutingPolicy,
};
use serde_json::json;

/// Synthesizes the stack, writes its template where `cfn-lint` can read it
/// (`target/tmp/servicediscovery/<name>.template.json`), and returns it.
fn synth(stack: Stack, name: &str) -> serde_json::Value {
    let id = stack.id().to_owned();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let text = &assembly.stack(&id).unwrap().template;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("servicediscovery");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.template.json")), text).unwrap();
    serde_json::from_str(text).unwrap()
}

/// Numbers compared by value. Deliberate difference: the engine writes
/// `f64` properties (`TTL`, `FailureThreshold`) with a fraction (`60.0`)
/// where the CDK writes `60`; the same JSON number to CloudFormation.
fn numeric(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Number(n) => json!(n.as_f64().unwrap()),
        serde_json::Value::Array(items) => items.iter().map(numeric).collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), numeric(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        other => other.clone(),
    }
}

macro_rules! assert_json {
    ($ours:expr, $theirs:expr) => {
        assert_eq!(numeric(&$ours), numeric(&$theirs))
    };
}

/// The CDK ECS tests' shape: a VPC `MyVpc`, a cluster `EcsCluster` with its
/// default namespace `scorekeep.com`.
fn cluster_with_namespace() -> (Stack, PrivateDnsNamespace) {
    let mut stack = Stack::new("Test");
    let root = stack.root();
    let vpc_scope = stack.scope(root, "MyVpc").unwrap();
    let vpc = stack
        .add(
            vpc_scope,
            "Resource",
            RawResource::new("AWS::EC2::VPC").property("CidrBlock", "10.0.0.0/16"),
        )
        .unwrap();
    let cluster = stack.scope(root, "EcsCluster").unwrap();
    let ns = PrivateDnsNamespace::builder(
        "DefaultServiceDiscoveryNamespace",
        "scorekeep.com",
        vpc.reference(),
    )
    .build_in(&mut stack, cluster)
    .unwrap();
    (stack, ns)
}

/// An ECS service `<id>/Service` registered with `registry`.
fn ecs_service(
    stack: &mut Stack,
    scope: ecscdk::synth::NodeId,
    registry: DiscoveryService,
    port: u16,
) {
    let service = CfnEcsService {
        service_registries: Some(Value::Lit(vec![Value::Lit(
            registry.service_registry("MainContainer", port),
        )])),
        ..CfnEcsService::default()
    };
    stack.add(scope, "Service", service).unwrap();
}

fn oracle() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cdk-oracle/Test.template.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The Cloud Map resources by logical ID, and the ECS services'
/// `ServiceRegistries`.
fn discovery(t: &serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(k, r)| match r["Type"].as_str().unwrap() {
            ty if ty.starts_with("AWS::ServiceDiscovery::") => Some((
                k.clone(),
                json!({"Type": ty, "Properties": r["Properties"]}),
            )),
            "AWS::ECS::Service" => Some((
                k.clone(),
                json!({"ServiceRegistries": r["Properties"]["ServiceRegistries"]}),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn namespaces_and_services_match_what_the_cdk_renders() {
    let (mut stack, ns) = cluster_with_namespace();
    let root = stack.root();
    // What the CDK's enableCloudMap creates for `cloudMapOptions: { name: 'myApp' }`.
    let fargate = stack.scope(root, "FargateService").unwrap();
    let cloudmap = DiscoveryService::builder("CloudmapService", ns)
        .name("myApp")
        .custom_health_check(1)
        .build_in(&mut stack, fargate)
        .unwrap();
    assert_eq!(cloudmap.dns_record_type(), Some(DnsRecordType::A));
    assert!(!cloudmap.needs_container_port());
    ecs_service(&mut stack, fargate, cloudmap, 80);
    // ...and for an EC2 service in bridge mode with SRV records.
    let ec2 = stack.scope(root, "Ec2Service").unwrap();
    let srv = DiscoveryService::builder("CloudmapService", ns)
        .name("myApp")
        .dns_record_type(DnsRecordType::Srv)
        .dns_ttl(Duration::from_secs(10))
        .custom_health_check(1)
        .build_in(&mut stack, ec2)
        .unwrap();
    assert!(srv.needs_container_port());
    ecs_service(&mut stack, ec2, srv, 8000);
    DiscoveryService::builder("Both", ns)
        .dns_record_type(DnsRecordType::AAndAaaa)
        .routing_policy(RoutingPolicy::Weighted)
        .description("dual stack")
        .build(&mut stack)
        .unwrap();
    DiscoveryService::builder("Alias", ns)
        .dns_record_type(DnsRecordType::Cname)
        .build(&mut stack)
        .unwrap();
    let api_only = DiscoveryService::builder("ApiOnly", ns)
        .discovery_type(DiscoveryType::Api)
        .build(&mut stack)
        .unwrap();
    assert_eq!(api_only.dns_record_type(), None);
    let mesh = HttpNamespace::builder("Mesh", "mesh")
        .description("service connect")
        .build(&mut stack)
        .unwrap();
    let orders = DiscoveryService::builder("Orders", mesh)
        .name("orders")
        .build_in(&mut stack, mesh.node())
        .unwrap();
    assert_eq!(orders.dns_record_type(), None);
    stack.output("MeshArn", mesh.arn()).unwrap();
    assert_eq!(ns.name(&stack), Some("scorekeep.com"));
    assert_eq!(Namespace::from(mesh).namespace_type(), NamespaceType::Http);
    assert_eq!(Namespace::from(mesh).name(&stack), Some("mesh"));

    let t = synth(stack, "oracle");
    let cdk = oracle();
    let (ours, mut theirs) = (discovery(&t), discovery(&cdk));
    // Deliberate difference: the CDK ignores `routingPolicy` (it always
    // derives MULTIVALUE or WEIGHTED from the record type); ecscdk renders
    // the policy that was asked for.
    assert_json!(
        theirs["Both16D4C1CD"]["Properties"]["DnsConfig"]["RoutingPolicy"],
        json!("MULTIVALUE")
    );
    theirs["Both16D4C1CD"]["Properties"]["DnsConfig"]["RoutingPolicy"] = json!("WEIGHTED");
    let sorted = |m: &serde_json::Map<String, serde_json::Value>| {
        let mut keys: Vec<String> = m.keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(sorted(&ours), sorted(&theirs));
    for (id, resource) in &theirs {
        assert_json!(ours[id], *resource);
    }
    assert_json!(
        t["Outputs"]["MeshArn"]["Value"],
        cdk["Outputs"]["MeshArn"]["Value"]
    );
}
