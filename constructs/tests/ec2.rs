//! The `ec2` module: VPCs rendered as the AWS CDK renders them (compared
//! with the CDK's own template, vendored in `tests/data/cdk/fargate-alb/`),
//! subnet layouts and selection, endpoints, security groups and connections.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use ecscdk::ec2::{
    Connectable, Connections, GatewayEndpointService, ImportedSubnetGroup,
    InterfaceEndpointService, Peer, Port, SecurityGroup, SubnetConfiguration, SubnetSelection,
    SubnetType, Vpc, VpcAttributes,
};
use ecscdk::prelude::*;
use serde_json::{Value as Json, json};

fn env() -> Env {
    Env::new("123456789012", "us-east-1")
}

/// Synthesizes the stacks and returns their templates, by stack id.
fn synth(stacks: Vec<Stack>) -> Vec<Json> {
    let ids: Vec<String> = stacks.iter().map(|s| s.id().to_owned()).collect();
    let mut app = App::new();
    for s in stacks {
        app.add(s).unwrap();
    }
    let assembly = app.synth().unwrap();
    ids.iter()
        .map(|id| serde_json::from_str(&assembly.stack(id).unwrap().template).unwrap())
        .collect()
}

fn synth_one(stack: Stack) -> Json {
    synth(vec![stack]).pop().unwrap()
}

fn resources(t: &Json) -> &serde_json::Map<String, Json> {
    t["Resources"].as_object().unwrap()
}

fn cdk_template(app: &str, stack: &str) -> Json {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/cdk")
        .join(app)
        .join(format!("{stack}.template.json"));
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
}

/// The VPC of the CDK's reference apps: `new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 })`
/// with the zones its context supplies.
fn reference_vpc(stack: &mut Stack) -> Vpc {
    Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(stack)
        .unwrap()
}

#[test]
fn the_default_layout_matches_the_cdk_resource_for_resource() {
    let mut stack = Stack::new("FargateAlb").env(env());
    reference_vpc(&mut stack);
    let ours = synth_one(stack);
    let cdk = cdk_template("fargate-alb", "FargateAlb");
    let mut compared = 0;
    for (id, theirs) in resources(&cdk) {
        if !id.starts_with("Vpc") {
            continue;
        }
        let mine = &ours["Resources"][id];
        assert_eq!(mine["Type"], theirs["Type"], "{id}");
        assert_eq!(mine["Properties"], theirs["Properties"], "{id}");
        assert_eq!(mine.get("DependsOn"), theirs.get("DependsOn"), "{id}");
        assert_eq!(
            mine.get("DeletionPolicy"),
            theirs.get("DeletionPolicy"),
            "{id}"
        );
        compared += 1;
    }
    // 20 VPC resources and the custom resource.
    assert_eq!(compared, 22);
}

#[test]
fn the_default_security_group_provider_keeps_the_cdk_ids() {
    let mut stack = Stack::new("FargateAlb").env(env());
    reference_vpc(&mut stack);
    let ours = synth_one(stack);
    let r = resources(&ours);
    let role = &r["CustomVpcRestrictDefaultSGCustomResourceProviderRole26592FE0"];
    assert_eq!(role["Type"], "AWS::IAM::Role");
    let handler = &r["CustomVpcRestrictDefaultSGCustomResourceProviderHandlerDC833E5E"];
    assert_eq!(handler["Type"], "AWS::Lambda::Function");
    let p = &handler["Properties"];
    assert_eq!(p["Runtime"], "python3.13");
    assert_eq!(p["Handler"], "index.handler");
    assert!(
        p["Code"]["ZipFile"]
            .as_str()
            .unwrap()
            .contains("revoke_security_group_ingress")
    );
    assert_eq!(
        p["Role"],
        json!({"Fn::GetAtt": ["CustomVpcRestrictDefaultSGCustomResourceProviderRole26592FE0", "Arn"]})
    );
    // No DependsOn on the role it already references (cfn-lint W3005).
    assert!(handler.get("DependsOn").is_none());
    // The role may change the default group and write its own log group, nothing else.
    let statements = &role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[0],
        json!({
            "Action": [
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:AuthorizeSecurityGroupEgress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupEgress"
            ],
            "Effect": "Allow",
            "Resource": {"Fn::Join": ["", [
                "arn:aws:ec2:us-east-1:123456789012:security-group/",
                {"Fn::GetAtt": ["Vpc8378EB38", "DefaultSecurityGroup"]}
            ]]}
        })
    );
    assert_eq!(
        statements[1]["Resource"],
        json!({"Fn::GetAtt": ["CustomVpcRestrictDefaultSGCustomResourceProviderLogGroup8F67996D", "Arn"]})
    );
    assert!(role["Properties"].get("ManagedPolicyArns").is_none());
    let logs = &r["CustomVpcRestrictDefaultSGCustomResourceProviderLogGroup8F67996D"];
    assert_eq!(logs["Properties"]["RetentionInDays"], 30);
}

#[test]
fn vpcs_of_one_stack_share_the_provider() {
    let mut stack = Stack::new("Net").env(env());
    Vpc::builder("A").nat_gateways(1).build(&mut stack).unwrap();
    Vpc::builder("B")
        .cidr("10.1.0.0/16")
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let t = synth_one(stack);
    let r = resources(&t);
    let handlers: Vec<&String> = r
        .iter()
        .filter(|(_, v)| v["Type"] == "AWS::Lambda::Function")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(handlers.len(), 1);
    for vpc in [
        "ARestrictDefaultSecurityGroupCustomResource",
        "BRestrictDefaultSecurityGroupCustomResource",
    ] {
        let (_, custom) = r.iter().find(|(k, _)| k.starts_with(vpc)).unwrap();
        assert_eq!(
            custom["Properties"]["ServiceToken"]["Fn::GetAtt"][0],
            *handlers[0]
        );
    }
    let role = r
        .iter()
        .find(|(k, _)| k.starts_with("CustomVpcRestrictDefaultSGCustomResourceProviderRole"))
        .unwrap()
        .1;
    // Both default groups in one merged statement.
    let ec2 = &role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0];
    assert_eq!(ec2["Resource"].as_array().unwrap().len(), 2);
}

#[test]
fn the_extras_can_be_turned_off_leaving_the_cdk_core() {
    let mut stack = Stack::new("FargateAlb").env(env());
    Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .restrict_default_security_group(false)
        .flow_logs(false)
        .build(&mut stack)
        .unwrap();
    let t = synth_one(stack);
    let r = resources(&t);
    assert_eq!(r.len(), 21);
    assert!(r.keys().all(|k| k.starts_with("Vpc")));
}

#[test]
fn flow_logs_go_to_a_log_group_with_a_finite_retention() {
    let mut stack = Stack::new("FargateAlb").env(env());
    reference_vpc(&mut stack);
    let t = synth_one(stack);
    let r = resources(&t);
    let flow = &r["VpcFlowLog8FF33A73"];
    assert_eq!(flow["Type"], "AWS::EC2::FlowLog");
    assert_eq!(
        flow["Properties"],
        json!({
            "DeliverLogsPermissionArn": {"Fn::GetAtt": ["VpcFlowLogIAMRole6A475D41", "Arn"]},
            "LogDestinationType": "cloud-watch-logs",
            "LogGroupName": {"Ref": "VpcFlowLogLogGroup7B5C56B9"},
            "ResourceId": {"Ref": "Vpc8378EB38"},
            "ResourceType": "VPC",
            "Tags": [{"Key": "Name", "Value": "FargateAlb/Vpc"}],
            "TrafficType": "ALL"
        })
    );
    assert_eq!(
        flow["DependsOn"],
        json!(["VpcFlowLogIAMRoleDefaultPolicy406FB995"])
    );
    assert_eq!(
        r["VpcFlowLogLogGroup7B5C56B9"]["Properties"]["RetentionInDays"],
        30
    );
    let trust = &r["VpcFlowLogIAMRole6A475D41"]["Properties"]["AssumeRolePolicyDocument"];
    assert_eq!(
        trust["Statement"][0]["Principal"],
        json!({"Service": "vpc-flow-logs.amazonaws.com"})
    );
}

#[test]
fn an_environment_agnostic_vpc_takes_its_zones_and_account_at_deploy_time() {
    let mut stack = Stack::new("Net");
    let vpc = Vpc::builder("Vpc").max_azs(3).build(&mut stack).unwrap();
    assert_eq!(vpc.nat_gateways().len(), 3);
    let t = synth_one(stack);
    let r = resources(&t);
    assert_eq!(
        r["VpcPublicSubnet3SubnetBE12F0B6"]["Properties"]["AvailabilityZone"],
        json!({"Fn::Select": [2, {"Fn::GetAZs": ""}]})
    );
    // Three zones, two groups: six /19s.
    assert_eq!(
        r["VpcPrivateSubnet3SubnetF258B56E"]["Properties"]["CidrBlock"],
        "10.0.160.0/19"
    );
    let (_, custom) = r
        .iter()
        .find(|(_, v)| v["Type"] == "Custom::VpcRestrictDefaultSG")
        .unwrap();
    assert_eq!(
        custom["Properties"]["Account"],
        json!({"Ref": "AWS::AccountId"})
    );
    let role = r
        .iter()
        .find(|(k, _)| k.starts_with("CustomVpcRestrictDefaultSGCustomResourceProviderRole"))
        .unwrap()
        .1;
    assert_eq!(
        role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"],
        json!({"Fn::Sub": [
            "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${Group}",
            {"Group": {"Fn::GetAtt": ["Vpc8378EB38", "DefaultSecurityGroup"]}}
        ]})
    );
}

#[test]
fn subnet_groups_get_their_masks_and_routes() {
    let mut stack = Stack::new("Net").env(env());
    let vpc = Vpc::builder("Vpc")
        .cidr("10.1.0.0/16")
        .availability_zones(["us-east-1a", "us-east-1b", "us-east-1c"])
        .nat_gateways(2)
        .subnet_groups([
            SubnetConfiguration::new("Ingress", SubnetType::Public).cidr_mask(24),
            SubnetConfiguration::new("App", SubnetType::PrivateWithEgress).cidr_mask(20),
            SubnetConfiguration::new("Spare", SubnetType::Isolated)
                .cidr_mask(20)
                .reserved(),
            SubnetConfiguration::new("Data", SubnetType::Isolated).cidr_mask(24),
        ])
        .build(&mut stack)
        .unwrap();
    assert_eq!(vpc.subnets().len(), 9);
    let cidrs: Vec<&str> = vpc
        .subnets()
        .iter()
        .map(|s| s.ipv4_cidr_block().unwrap())
        .collect();
    assert_eq!(
        cidrs,
        [
            "10.1.0.0/24",
            "10.1.1.0/24",
            "10.1.2.0/24", // Ingress
            "10.1.16.0/20",
            "10.1.32.0/20",
            "10.1.48.0/20", // App
            // Spare holds 10.1.64.0/20 … 10.1.96.0/20.
            "10.1.112.0/24",
            "10.1.113.0/24",
            "10.1.114.0/24", // Data
        ]
    );
    let t = synth_one(stack);
    let r = resources(&t);
    let routes: Vec<(&String, &Json)> = r
        .iter()
        .filter(|(_, v)| v["Type"] == "AWS::EC2::Route")
        .collect();
    // 3 public routes to the internet gateway, 3 private ones to the NATs.
    assert_eq!(routes.len(), 6);
    assert!(!routes.iter().any(|(k, _)| k.starts_with("VpcData")));
    let nat_of = |subnet: &str| {
        routes
            .iter()
            .find(|(k, _)| k.starts_with(&format!("VpcApp{subnet}DefaultRoute")))
            .unwrap()
            .1["Properties"]["NatGatewayId"]["Ref"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Zones a and b have their own gateway; c falls back to the first.
    assert!(nat_of("Subnet1").starts_with("VpcIngressSubnet1NATGateway"));
    assert!(nat_of("Subnet2").starts_with("VpcIngressSubnet2NATGateway"));
    assert!(nat_of("Subnet3").starts_with("VpcIngressSubnet1NATGateway"));
    let data = r
        .iter()
        .find(|(k, _)| k.starts_with("VpcDataSubnet1Subnet"))
        .unwrap()
        .1;
    assert_eq!(
        data["Properties"]["Tags"],
        json!([
            {"Key": "aws-cdk:subnet-name", "Value": "Data"},
            {"Key": "aws-cdk:subnet-type", "Value": "Isolated"},
            {"Key": "Name", "Value": "Net/Vpc/DataSubnet1"}
        ])
    );
}

#[test]
fn without_nat_gateways_the_default_layout_is_public_and_isolated() {
    let mut stack = Stack::new("Net").env(env());
    let vpc = Vpc::builder("Vpc")
        .nat_gateways(0)
        .build(&mut stack)
        .unwrap();
    assert!(vpc.nat_gateways().is_empty());
    assert_eq!(vpc.private_subnets().count(), 0);
    assert_eq!(vpc.isolated_subnets().count(), 2);
    let picked = vpc.select_subnets(&SubnetSelection::default()).unwrap();
    assert!(
        picked
            .subnets()
            .iter()
            .all(|s| s.subnet_type() == SubnetType::Isolated)
    );
    let t = synth_one(stack);
    let r = resources(&t);
    assert!(r.contains_key("VpcIsolatedSubnet1SubnetE48C5737"));
    assert!(!r.values().any(|v| v["Type"] == "AWS::EC2::NatGateway"));
}

#[test]
fn an_isolated_only_vpc_has_no_internet_gateway() {
    let mut stack = Stack::new("Net").env(env());
    let vpc = Vpc::builder("Vpc")
        .subnet_group(SubnetConfiguration::default_for(SubnetType::Isolated))
        .build(&mut stack)
        .unwrap();
    assert!(vpc.internet_gateway().is_none());
    let t = synth_one(stack);
    assert!(
        !resources(&t)
            .values()
            .any(|v| v["Type"] == "AWS::EC2::InternetGateway")
    );
}

#[test]
fn subnets_are_selected_by_type_group_zone_and_list() {
    let mut stack = Stack::new("Net").env(env());
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .subnet_groups([
            SubnetConfiguration::default_for(SubnetType::Public),
            SubnetConfiguration::new("App", SubnetType::PrivateWithEgress),
            SubnetConfiguration::new("Jobs", SubnetType::PrivateWithEgress),
        ])
        .build(&mut stack)
        .unwrap();
    // The default: every private subnet.
    let default = vpc.select_subnets(&SubnetSelection::default()).unwrap();
    assert_eq!(default.subnets().len(), 4);
    assert!(!default.has_public());
    // One per zone keeps the first group's.
    let one = vpc
        .select_subnets(&SubnetSelection::default().one_per_az())
        .unwrap();
    assert_eq!(
        one.subnets()
            .iter()
            .map(|s| s.group_name())
            .collect::<Vec<_>>(),
        ["App", "App"]
    );
    let jobs = vpc.select_subnets(&SubnetSelection::group("Jobs")).unwrap();
    assert!(jobs.subnets().iter().all(|s| s.group_name() == "Jobs"));
    let public_b = vpc
        .select_subnets(&SubnetSelection::public().in_availability_zones(["us-east-1b"]))
        .unwrap();
    assert_eq!(public_b.subnets().len(), 1);
    assert_eq!(
        public_b.availability_zones(),
        [Value::Lit("us-east-1b".to_owned())]
    );
    // A public selection carries the routes a load balancer waits for.
    let public = vpc.select_subnets(&SubnetSelection::public()).unwrap();
    assert!(public.has_public());
    assert_eq!(public.internet_connectivity().len(), 4);
    let explicit = vpc
        .select_subnets(&SubnetSelection::subnets(
            jobs.subnets().iter().take(1).cloned(),
        ))
        .unwrap();
    assert_eq!(explicit.subnet_ids(), jobs.subnet_ids()[..1]);
}

#[test]
fn a_load_balancer_can_wait_for_the_public_routes() {
    let mut stack = Stack::new("FargateAlb").env(env());
    let vpc = reference_vpc(&mut stack);
    let public = vpc.select_subnets(&SubnetSelection::public()).unwrap();
    let root = stack.root();
    let lb = stack
        .add(root, "Lb", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    for dep in public.internet_connectivity() {
        stack.resource_options(lb).unwrap().depends_on(dep);
    }
    let t = synth_one(stack);
    // The same DependsOn as the CDK's load balancer in the reference app.
    let cdk = cdk_template("fargate-alb", "FargateAlb");
    assert_eq!(
        t["Resources"]["Lb"]["DependsOn"],
        cdk["Resources"]["WebLB720665E7"]["DependsOn"]
    );
}

#[test]
fn fargate_endpoints_serve_isolated_subnets() {
    let mut stack = Stack::new("Net").env(env());
    Vpc::builder("Vpc")
        .nat_gateways(0)
        .fargate_endpoints()
        .interface_endpoint("SecretsEndpoint", InterfaceEndpointService::SecretsManager)
        .build(&mut stack)
        .unwrap();
    let t = synth_one(stack);
    let r = resources(&t);
    let endpoint = |prefix: &str| {
        r.iter()
            .find(|(k, v)| k.starts_with(prefix) && v["Type"] == "AWS::EC2::VPCEndpoint")
            .unwrap_or_else(|| panic!("{prefix}"))
            .1["Properties"]
            .clone()
    };
    let ecr = endpoint("VpcEcrApiEndpoint");
    assert_eq!(ecr["ServiceName"], "com.amazonaws.us-east-1.ecr.api");
    assert_eq!(ecr["PrivateDnsEnabled"], true);
    assert_eq!(ecr["VpcEndpointType"], "Interface");
    assert_eq!(
        ecr["SubnetIds"],
        json!([{"Ref": "VpcIsolatedSubnet1SubnetE48C5737"}, {"Ref": "VpcIsolatedSubnet2Subnet16364B91"}])
    );
    assert_eq!(
        endpoint("VpcEcrDockerEndpoint")["ServiceName"],
        "com.amazonaws.us-east-1.ecr.dkr"
    );
    assert_eq!(
        endpoint("VpcLogsEndpoint")["ServiceName"],
        "com.amazonaws.us-east-1.logs"
    );
    assert_eq!(
        endpoint("VpcSecretsEndpoint")["ServiceName"],
        "com.amazonaws.us-east-1.secretsmanager"
    );
    let s3 = endpoint("VpcS3Endpoint");
    assert_eq!(s3["VpcEndpointType"], "Gateway");
    assert_eq!(s3["RouteTableIds"].as_array().unwrap().len(), 4);
    // Each interface endpoint's group admits HTTPS from the VPC and sends nothing.
    let (_, group) = r
        .iter()
        .find(|(k, _)| k.starts_with("VpcEcrApiEndpointSecurityGroup"))
        .unwrap();
    assert_eq!(
        group["Properties"]["SecurityGroupIngress"],
        json!([{"CidrIp": "10.0.0.0/16", "Description": "from 10.0.0.0/16:443", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}])
    );
    assert_eq!(
        group["Properties"]["SecurityGroupEgress"][0]["Description"],
        "Disallow all traffic"
    );
}

#[test]
fn an_imported_vpc_selects_and_routes_by_the_given_ids() {
    let mut stack = Stack::new("Web").env(env());
    let vpc = Vpc::from_attributes(
        &mut stack,
        "Shared",
        VpcAttributes::new("vpc-0abc", ["us-east-1a", "us-east-1b"])
            .cidr_block("10.9.0.0/16")
            .public_subnet_ids(["subnet-p1", "subnet-p2"])
            .subnet_group(
                ImportedSubnetGroup::new(
                    "Private",
                    SubnetType::PrivateWithEgress,
                    ["subnet-a", "subnet-b"],
                )
                .route_table_ids(["rtb-a", "rtb-b"]),
            ),
    )
    .unwrap();
    assert_eq!(vpc.vpc_id(), Value::Lit("vpc-0abc".to_owned()));
    let private = vpc.select_subnets(&SubnetSelection::default()).unwrap();
    assert_eq!(
        private.subnet_ids(),
        [
            Value::Lit("subnet-a".to_owned()),
            Value::Lit("subnet-b".to_owned())
        ]
    );
    vpc.add_gateway_endpoint(&mut stack, "S3", GatewayEndpointService::S3)
        .unwrap();
    vpc.add_interface_endpoint(&mut stack, "Logs", InterfaceEndpointService::CloudWatchLogs)
        .unwrap();
    let t = synth_one(stack);
    let r = resources(&t);
    let (_, s3) = r.iter().find(|(k, _)| k.starts_with("SharedS3")).unwrap();
    assert_eq!(s3["Properties"]["RouteTableIds"], json!(["rtb-a", "rtb-b"]));
    assert_eq!(s3["Properties"]["VpcId"], "vpc-0abc");
    let (_, logs) = r
        .iter()
        .find(|(k, v)| k.starts_with("SharedLogs") && v["Type"] == "AWS::EC2::VPCEndpoint")
        .unwrap();
    assert_eq!(
        logs["Properties"]["SubnetIds"],
        json!(["subnet-a", "subnet-b"])
    );
}

/// The security groups of the CDK's fargate-alb reference app, by hand:
/// the rule resources get the CDK's ids and properties.
#[test]
fn connections_between_groups_match_the_cdk() {
    let mut stack = Stack::new("FargateAlb").env(env());
    let vpc = reference_vpc(&mut stack);
    let root = stack.root();
    let web = stack.scope(root, "Web").unwrap();
    let lb_scope = stack.scope(web, "LB").unwrap();
    let lb = SecurityGroup::builder("SecurityGroup", &vpc)
        .description("Automatically created Security Group for ELB FargateAlbWebLB72F601D5")
        .allow_all_outbound(false)
        .build_in(&mut stack, lb_scope)
        .unwrap();
    lb.add_ingress_rule(
        &mut stack,
        Peer::any_ipv4(),
        Port::tcp(80),
        Some("Allow from anyone on port 80"),
    )
    .unwrap();
    let service_scope = stack.scope(web, "Service").unwrap();
    let service = SecurityGroup::builder("SecurityGroup", &vpc)
        .build_in(&mut stack, service_scope)
        .unwrap();
    assert_eq!(
        service.unique_id(),
        "FargateAlbWebServiceSecurityGroup95566217"
    );
    service
        .connections()
        .allow_from(
            &mut stack,
            &lb,
            Port::tcp(80),
            Some("Load balancer to target"),
        )
        .unwrap();
    // Adding the same rule again changes nothing.
    service
        .connections()
        .allow_from(
            &mut stack,
            &lb,
            Port::tcp(80),
            Some("Load balancer to target"),
        )
        .unwrap();
    let ours = synth_one(stack);
    let cdk = cdk_template("fargate-alb", "FargateAlb");
    for id in [
        "WebServiceSecurityGroupfromFargateAlbWebLBSecurityGroupE00F21B380F3F4E30E",
        "WebLBSecurityGrouptoFargateAlbWebServiceSecurityGroup9556621780C831810C",
    ] {
        assert_eq!(
            ours["Resources"][id]["Type"], cdk["Resources"][id]["Type"],
            "{id}"
        );
        assert_eq!(
            ours["Resources"][id]["Properties"], cdk["Resources"][id]["Properties"],
            "{id}"
        );
    }
    assert_eq!(
        ours["Resources"]["WebServiceSecurityGroupBAF50CC8"]["Properties"],
        cdk["Resources"]["WebServiceSecurityGroupBAF50CC8"]["Properties"]
    );
    // The load balancer's group as the CDK writes it: its first egress rule,
    // a resource of its own, replaces the rule that matches no traffic
    // (CloudFormation then drops the group's default allow-all egress rule,
    // aws-cdk issue #987).
    let lb_props = &ours["Resources"]["WebLBSecurityGroupAD942A36"]["Properties"];
    let cdk_lb = &cdk["Resources"]["WebLBSecurityGroupAD942A36"]["Properties"];
    assert!(cdk_lb.get("SecurityGroupEgress").is_none());
    assert_eq!(lb_props, cdk_lb);
    let rules = resources(&ours)
        .values()
        .filter(|v| {
            v["Type"] == "AWS::EC2::SecurityGroupIngress"
                || v["Type"] == "AWS::EC2::SecurityGroupEgress"
        })
        .count();
    assert_eq!(rules, 2);
}

#[test]
fn inline_egress_rules_replace_the_no_traffic_rule_and_skip_duplicates() {
    let mut stack = Stack::new("Web").env(env());
    let vpc = reference_vpc(&mut stack);
    let db = SecurityGroup::builder("Db", &vpc)
        .allow_all_outbound(false)
        .build(&mut stack)
        .unwrap();
    db.add_egress_rule(&mut stack, Peer::ipv4("10.0.0.0/16"), Port::tcp(443), None)
        .unwrap();
    db.add_egress_rule(
        &mut stack,
        Peer::ipv4("10.0.0.0/16"),
        Port::tcp(443),
        Some("again"),
    )
    .unwrap();
    db.add_ingress_rule(
        &mut stack,
        Peer::prefix_list("pl-123"),
        Port::tcp_range(5432, 5433),
        None,
    )
    .unwrap();
    // Ignored: the group allows all outbound traffic.
    let open = SecurityGroup::builder("Open", &vpc)
        .build(&mut stack)
        .unwrap();
    open.add_egress_rule(&mut stack, Peer::ipv4("10.0.0.0/16"), Port::tcp(443), None)
        .unwrap();
    let t = synth_one(stack);
    let (_, db) = resources(&t)
        .iter()
        .find(|(k, _)| k.starts_with("Db"))
        .unwrap();
    assert_eq!(
        db["Properties"]["SecurityGroupEgress"],
        json!([{"CidrIp": "10.0.0.0/16", "Description": "to 10.0.0.0/16:443", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}])
    );
    assert_eq!(
        db["Properties"]["SecurityGroupIngress"],
        json!([{"Description": "from pl-123:5432-5433", "FromPort": 5432, "IpProtocol": "tcp", "SourcePrefixListId": "pl-123", "ToPort": 5433}])
    );
    let (_, open) = resources(&t)
        .iter()
        .find(|(k, _)| k.starts_with("Open"))
        .unwrap();
    assert_eq!(
        open["Properties"]["SecurityGroupEgress"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_rule_between_stacks_is_written_in_the_stack_of_the_group_opened() {
    let mut network = Stack::new("Network").env(env());
    let vpc = reference_vpc(&mut network);
    let lb = SecurityGroup::builder("Lb", &vpc)
        .allow_all_outbound(false)
        .build(&mut network)
        .unwrap();
    let mut web = Stack::new("Web").env(env());
    let service = SecurityGroup::builder("Service", &vpc)
        .build(&mut web)
        .unwrap();
    service
        .connections()
        .allow_from(&mut web, &lb, Port::tcp(8080), None)
        .unwrap();
    let templates = synth(vec![network, web]);
    let web = &templates[1];
    let r = resources(web);
    let ingress = &r["ServicefromNetworkLb0D48063E8080DE17A31B"];
    assert_eq!(ingress["Type"], "AWS::EC2::SecurityGroupIngress");
    assert!(
        ingress["Properties"]["SourceSecurityGroupId"]
            .get("Fn::ImportValue")
            .is_some()
    );
    // The load balancer's egress rule, mirrored into this stack under the service's group.
    let (id, egress) = r
        .iter()
        .find(|(_, v)| v["Type"] == "AWS::EC2::SecurityGroupEgress")
        .unwrap();
    assert!(id.starts_with("ServiceNetworkLb"), "{id}");
    assert_eq!(
        egress["Metadata"]["aws:cdk:path"],
        "Web/Service/NetworkLb0D48063E:8080 from"
    );
    assert!(
        egress["Properties"]["GroupId"]
            .get("Fn::ImportValue")
            .is_some()
    );
}

#[test]
fn imported_groups_get_rules_as_resources_unless_immutable() {
    let mut stack = Stack::new("Web").env(env());
    let shared = SecurityGroup::import("Shared", "sg-0123")
        .build(&mut stack)
        .unwrap();
    let frozen = SecurityGroup::import("Frozen", "sg-0456")
        .mutable(false)
        .build(&mut stack)
        .unwrap();
    shared
        .add_ingress_rule(&mut stack, Peer::ipv4("10.0.0.0/8"), Port::tcp(443), None)
        .unwrap();
    frozen
        .add_ingress_rule(&mut stack, Peer::ipv4("10.0.0.0/8"), Port::tcp(443), None)
        .unwrap();
    let t = synth_one(stack);
    let r = resources(&t);
    assert_eq!(r.len(), 1);
    let (_, rule) = r.iter().next().unwrap();
    assert_eq!(
        rule["Metadata"]["aws:cdk:path"],
        "Web/Shared/from 10.0.0.0_8:443"
    );
    assert_eq!(
        rule["Properties"],
        json!({"CidrIp": "10.0.0.0/8", "Description": "from 10.0.0.0/8:443", "FromPort": 443, "GroupId": "sg-0123", "IpProtocol": "tcp", "ToPort": 443})
    );
}

#[test]
fn connections_carry_a_default_port_and_address_ranges() {
    let mut stack = Stack::new("Web").env(env());
    let vpc = reference_vpc(&mut stack);
    let app = SecurityGroup::builder("App", &vpc)
        .build(&mut stack)
        .unwrap();
    let served = app.connections().with_default_port(Port::tcp(8080));
    served
        .allow_default_port_from(&mut stack, &Peer::ipv4("192.168.0.0/16"), None)
        .unwrap();
    served
        .allow_internally(&mut stack, Port::all_tcp(), Some("cluster members"))
        .unwrap();
    let office = Connections::from_peer(Peer::ipv4("203.0.113.0/24"));
    assert!(office.security_groups().is_empty());
    assert_eq!(served.connections().default_port(), Some(Port::tcp(8080)));
    let t = synth_one(stack);
    let r = resources(&t);
    let (_, group) = r.iter().find(|(k, _)| k.starts_with("App")).unwrap();
    assert_eq!(
        group["Properties"]["SecurityGroupIngress"][0]["Description"],
        "from 192.168.0.0/16:8080"
    );
    let (id, internal) = r
        .iter()
        .find(|(_, v)| v["Type"] == "AWS::EC2::SecurityGroupIngress")
        .unwrap();
    assert!(id.starts_with("AppfromWebApp"), "{id}");
    assert_eq!(internal["Properties"]["FromPort"], 0);
    assert_eq!(internal["Properties"]["ToPort"], 65535);
}

#[test]
fn synth_is_deterministic() {
    let build = || {
        let mut stack = Stack::new("Net").env(env());
        let vpc = Vpc::builder("Vpc")
            .max_azs(3)
            .fargate_endpoints()
            .build(&mut stack)
            .unwrap();
        let a = SecurityGroup::builder("A", &vpc).build(&mut stack).unwrap();
        let b = SecurityGroup::builder("B", &vpc)
            .allow_all_outbound(false)
            .build(&mut stack)
            .unwrap();
        a.connections()
            .allow_from(&mut stack, &b, Port::tcp(80), None)
            .unwrap();
        let mut app = App::new();
        app.add(stack).unwrap();
        app.synth().unwrap().stack("Net").unwrap().template.clone()
    };
    assert_eq!(build(), build());
}

#[test]
fn a_vpc_name_tags_the_vpc_level_resources_and_subnets_keep_their_paths() {
    let mut stack = Stack::new("Net").env(env());
    Vpc::builder("Vpc")
        .vpc_name("shared-network")
        .nat_gateways(1)
        .interface_endpoint("Logs", InterfaceEndpointService::CloudWatchLogs)
        .build(&mut stack)
        .unwrap();
    let t = synth_one(stack);
    let r = resources(&t);
    let name = |id: &str| {
        r[id]["Properties"]["Tags"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["Value"]
            .clone()
    };
    assert_eq!(name("Vpc8378EB38"), "shared-network");
    assert_eq!(name("VpcIGWD7BA715C"), "shared-network");
    assert_eq!(
        name("VpcPublicSubnet1Subnet5C2D37C4"),
        "Net/Vpc/PublicSubnet1"
    );
    let (id, _) = r
        .iter()
        .find(|(k, v)| k.starts_with("VpcLogs") && v["Type"] == "AWS::EC2::VPCEndpoint")
        .unwrap();
    assert_eq!(name(id), "shared-network");
}
