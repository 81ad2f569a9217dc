//! Cloud Map namespaces and services rendered as the AWS CDK renders them.
//! The CDK's reference apps have no Cloud Map, so the expectations follow
//! the CDK's source (`aws-servicediscovery/lib/{private-dns-namespace,
//! http-namespace,service}.ts`, `aws-ecs/lib/base/base-service.ts`
//! `enableCloudMap`) and its ECS tests' expected properties; logical IDs are
//! hashed independently (md5 of the path, as the CDK does).
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

#[test]
fn an_ecs_services_cloud_map_service_matches_the_cdk() {
    let (mut stack, ns) = cluster_with_namespace();
    let root = stack.root();
    let fargate = stack.scope(root, "FargateService").unwrap();
    // What the CDK's enableCloudMap creates for `cloudMapOptions: { name: 'myApp' }`.
    let cloudmap = DiscoveryService::builder("CloudmapService", ns)
        .name("myApp")
        .custom_health_check(1)
        .build_in(&mut stack, fargate)
        .unwrap();
    assert_eq!(cloudmap.dns_record_type(), Some(DnsRecordType::A));
    ecs_service(&mut stack, fargate, cloudmap, 80);
    assert_eq!(ns.name(&stack), Some("scorekeep.com"));
    let t = synth(stack, "fargate");
    let r = &t["Resources"];
    assert_json!(
        r["EcsClusterDefaultServiceDiscoveryNamespaceB0971B2F"],
        json!({
            "Type": "AWS::ServiceDiscovery::PrivateDnsNamespace",
            "Properties": {"Name": "scorekeep.com", "Vpc": {"Ref": "MyVpcF9F0CA6F"}},
            "Metadata": {"aws:cdk:path": "Test/EcsCluster/DefaultServiceDiscoveryNamespace/Resource"}
        })
    );
    let ns_id = json!({"Fn::GetAtt": ["EcsClusterDefaultServiceDiscoveryNamespaceB0971B2F", "Id"]});
    assert_json!(
        r["FargateServiceCloudmapService9544B753"],
        json!({
            "Type": "AWS::ServiceDiscovery::Service",
            "Properties": {
                "DnsConfig": {
                    "DnsRecords": [{"TTL": 60, "Type": "A"}],
                    "NamespaceId": ns_id,
                    "RoutingPolicy": "MULTIVALUE"
                },
                "HealthCheckCustomConfig": {"FailureThreshold": 1},
                "Name": "myApp",
                "NamespaceId": ns_id
            },
            "Metadata": {"aws:cdk:path": "Test/FargateService/CloudmapService/Resource"}
        })
    );
    // A records: ECS registers the task's IP; the container is not named.
    assert_json!(
        r["FargateServiceAC2B3B85"]["Properties"]["ServiceRegistries"],
        json!([{"RegistryArn": {"Fn::GetAtt": ["FargateServiceCloudmapService9544B753", "Arn"]}}])
    );
}

#[test]
fn srv_records_name_the_container_and_port() {
    let (mut stack, ns) = cluster_with_namespace();
    let root = stack.root();
    let ec2 = stack.scope(root, "Ec2Service").unwrap();
    let cloudmap = DiscoveryService::builder("CloudmapService", ns)
        .name("myApp")
        .dns_record_type(DnsRecordType::Srv)
        .dns_ttl(Duration::from_secs(10))
        .custom_health_check(1)
        .build_in(&mut stack, ec2)
        .unwrap();
    assert!(cloudmap.needs_container_port());
    ecs_service(&mut stack, ec2, cloudmap, 8000);
    let t = synth(stack, "srv");
    let r = &t["Resources"];
    assert_json!(
        r["Ec2ServiceCloudmapService45B52C0F"]["Properties"]["DnsConfig"]["DnsRecords"],
        json!([{"TTL": 10, "Type": "SRV"}])
    );
    let service = r
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, v)| k.starts_with("Ec2Service") && v["Type"] == "AWS::ECS::Service")
        .unwrap()
        .1;
    assert_json!(
        service["Properties"]["ServiceRegistries"],
        json!([{
            "ContainerName": "MainContainer",
            "ContainerPort": 8000,
            "RegistryArn": {"Fn::GetAtt": ["Ec2ServiceCloudmapService45B52C0F", "Arn"]}
        }])
    );
}

#[test]
fn record_types_and_routing_render() {
    let (mut stack, ns) = cluster_with_namespace();
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
    let t = synth(stack, "records");
    let r = t["Resources"].as_object().unwrap();
    let props = |prefix: &str| {
        &r.iter()
            .find(|(k, _)| k.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}"))
            .1["Properties"]
    };
    let ns_id = json!({"Fn::GetAtt": ["EcsClusterDefaultServiceDiscoveryNamespaceB0971B2F", "Id"]});
    assert_json!(
        props("Both"),
        json!({
            "Description": "dual stack",
            "DnsConfig": {
                "DnsRecords": [{"TTL": 60, "Type": "A"}, {"TTL": 60, "Type": "AAAA"}],
                "NamespaceId": ns_id,
                "RoutingPolicy": "WEIGHTED"
            },
            "NamespaceId": ns_id
        })
    );
    // CNAME records default to weighted routing, as in the CDK.
    assert_json!(
        props("Alias")["DnsConfig"]["RoutingPolicy"],
        json!("WEIGHTED")
    );
    assert_json!(
        props("ApiOnly"),
        json!({"NamespaceId": ns_id, "Type": "HTTP"})
    );
}

#[test]
fn an_http_namespace_and_its_service_render_like_the_cdk() {
    let mut stack = Stack::new("Test");
    let mesh = HttpNamespace::builder("Mesh", "mesh")
        .description("service connect")
        .build(&mut stack)
        .unwrap();
    let ns = Namespace::from(mesh);
    assert_eq!(ns.namespace_type(), NamespaceType::Http);
    assert_eq!(ns.name(&stack), Some("mesh"));
    let orders = DiscoveryService::builder("Orders", mesh)
        .name("orders")
        .build_in(&mut stack, mesh.node())
        .unwrap();
    assert_eq!(orders.dns_record_type(), None);
    stack.output("MeshArn", mesh.arn()).unwrap();
    let t = synth(stack, "http");
    let r = &t["Resources"];
    assert_json!(
        r["Mesh73A573F6"],
        json!({
            "Type": "AWS::ServiceDiscovery::HttpNamespace",
            "Properties": {"Description": "service connect", "Name": "mesh"},
            "Metadata": {"aws:cdk:path": "Test/Mesh/Resource"}
        })
    );
    // In an HTTP namespace the CDK renders neither DnsConfig nor Type.
    assert_json!(
        r["MeshOrders93D69A4B"]["Properties"],
        json!({"Name": "orders", "NamespaceId": {"Fn::GetAtt": ["Mesh73A573F6", "Id"]}})
    );
    assert_json!(
        t["Outputs"]["MeshArn"]["Value"],
        json!({"Fn::GetAtt": ["Mesh73A573F6", "Arn"]})
    );
}
