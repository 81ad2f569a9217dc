//! Capacity location: VPC subnets in Local Zones, Wavelength Zones and on
//! Outposts, selected for an Auto Scaling group and an EC2 service; and the
//! logical IDs of a Managed Instances capacity provider (computed
//! independently, with Python's hashlib MD5 of the construct path).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::ec2::{
    SubnetConfiguration, SubnetLocation, SubnetSelection, SubnetType, Vpc, ZoneSubnet,
};
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage, Ec2NetworkMode,
    Ec2Service, Ec2TaskDefinition, ManagedInstancesCapacityProvider,
};
use ecscdk::{App, Stack};

use serde_json::{Value, json};

const OUTPOST: &str = "arn:aws:outposts:us-east-1:123456789012:outpost/op-0123456789abcdef0";

fn template(stack: Stack) -> Value {
    let mut app = App::new();
    let id = stack.id().to_owned();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    serde_json::from_str(&assembly.stack(&id).unwrap().template).unwrap()
}

fn edge_vpc(stack: &mut Stack) -> Vpc {
    Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .subnet_groups([
            SubnetConfiguration::default_for(SubnetType::Public).cidr_mask(24),
            SubnetConfiguration::default_for(SubnetType::PrivateWithEgress).cidr_mask(20),
        ])
        .zone_subnet(ZoneSubnet::local_zone(
            "Lax",
            "us-east-1-bos-1a",
            SubnetType::Public,
            "10.0.240.0/24",
        ))
        .zone_subnet(ZoneSubnet::local_zone(
            "LaxPrivate",
            "us-east-1-bos-1a",
            SubnetType::PrivateWithEgress,
            "10.0.241.0/24",
        ))
        .zone_subnet(ZoneSubnet::wavelength_zone(
            "Carrier",
            "us-east-1-wl1-bos-wlz-1",
            SubnetType::Public,
            "10.0.242.0/24",
        ))
        .zone_subnet(ZoneSubnet::outpost(
            "Rack",
            "us-east-1a",
            OUTPOST,
            SubnetType::Isolated,
            "10.0.243.0/24",
        ))
        .build(stack)
        .unwrap()
}

#[test]
fn zone_subnets_route_to_the_gateway_their_zone_allows() {
    let mut stack = Stack::new("Edge");
    let vpc = edge_vpc(&mut stack);
    assert_eq!(vpc.subnets().len(), 8);
    assert_eq!(
        vpc.subnets()[4].location(),
        &SubnetLocation::LocalZone("us-east-1-bos-1a".to_owned())
    );
    // The default selection keeps to the Region's zones.
    let default = vpc.select_subnets(&SubnetSelection::default()).unwrap();
    assert!(default.subnets().iter().all(|s| !s.location().is_edge()));
    assert!(default.edge_subnet().is_none());
    let lax = vpc.select_subnets(&SubnetSelection::group("Lax")).unwrap();
    assert_eq!(lax.edge_subnet().map(|s| s.group_name()), Some("Lax"));
    assert_eq!(vpc.public_subnets().count(), 2);
    let t = template(stack);
    let r = &t["Resources"];

    assert_eq!(
        r["VpcLaxSubnet1Subnet0BF5C063"]["Properties"]["AvailabilityZone"],
        json!("us-east-1-bos-1a")
    );
    assert_eq!(
        r["VpcLaxSubnet1Subnet0BF5C063"]["Properties"]["MapPublicIpOnLaunch"],
        json!(true)
    );
    assert_eq!(
        r["VpcLaxSubnet1DefaultRoute1A489113"]["Properties"]["GatewayId"],
        json!({"Ref": "VpcIGWD7BA715C"})
    );
    assert_eq!(
        r["VpcLaxSubnet1DefaultRoute1A489113"]["DependsOn"],
        json!(["VpcVPCGWBF912B6E"])
    );
    assert_eq!(
        r["VpcLaxPrivateSubnet1DefaultRouteC0F61940"]["Properties"]["NatGatewayId"],
        json!({"Ref": "VpcPublicSubnet1NATGateway4D7517AA"})
    );

    assert_eq!(
        r["VpcCarrierGateway5ADF49CD"]["Type"],
        json!("AWS::EC2::CarrierGateway")
    );
    assert_eq!(
        r["VpcCarrierSubnet1DefaultRouteE6C2528B"]["Properties"]["CarrierGatewayId"],
        json!({"Ref": "VpcCarrierGateway5ADF49CD"})
    );
    assert_eq!(
        r["VpcCarrierSubnet1SubnetA831E517"]["Properties"]["MapPublicIpOnLaunch"],
        json!(false)
    );

    assert_eq!(
        r["VpcRackSubnet1SubnetB49A250A"]["Properties"]["OutpostArn"],
        json!(OUTPOST)
    );
    assert!(
        !r.as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("VpcRackSubnet1DefaultRoute"))
    );
}

#[test]
fn an_asg_and_an_ec2_service_select_zone_subnets_by_group() {
    let mut stack = Stack::new("Edge");
    let vpc = edge_vpc(&mut stack);
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .vpc_subnets(SubnetSelection::group("LaxPrivate"))
        .build(&mut stack)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut stack)
        .unwrap();
    cluster
        .add_asg_capacity_provider(&mut stack, &provider)
        .unwrap();
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::AwsVpc)
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
            )
            .memory_limit_mib(256),
        )
        .build(&mut stack)
        .unwrap();
    Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .vpc_subnets(SubnetSelection::group("LaxPrivate"))
        .build(&mut stack)
        .unwrap();
    let t = template(stack);
    let r = &t["Resources"];
    let subnet = json!([{"Ref": "VpcLaxPrivateSubnet1Subnet0221B855"}]);
    let asg = r
        .as_object()
        .unwrap()
        .values()
        .find(|v| v["Type"] == "AWS::AutoScaling::AutoScalingGroup")
        .unwrap();
    assert_eq!(asg["Properties"]["VPCZoneIdentifier"], subnet);
    let service = r
        .as_object()
        .unwrap()
        .values()
        .find(|v| v["Type"] == "AWS::ECS::Service")
        .unwrap();
    assert_eq!(
        service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"],
        subnet
    );
}

#[test]
fn a_managed_instances_provider_keeps_the_cdk_child_ids() {
    let mut stack = Stack::new("Mi");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    ManagedInstancesCapacityProvider::builder("Provider", &cluster)
        .build(&mut stack)
        .unwrap();
    let t = template(stack);
    let r = &t["Resources"];
    for (id, kind) in [
        ("ProviderProviderRoleF4C00523", "AWS::IAM::Role"),
        ("ProviderInstanceRoleDF7F7CE2", "AWS::IAM::Role"),
        (
            "ProviderInstanceProfile036C5491",
            "AWS::IAM::InstanceProfile",
        ),
        ("Provider0B93F79A", "AWS::ECS::CapacityProvider"),
    ] {
        assert_eq!(r[id]["Type"], json!(kind), "{id}");
    }
}

#[test]
fn an_asg_in_a_public_wavelength_subnet_gets_a_carrier_ip() {
    let mut stack = Stack::new("Edge");
    let vpc = edge_vpc(&mut stack);
    AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .vpc_subnets(SubnetSelection::group("Carrier"))
        .build(&mut stack)
        .unwrap();
    let t = template(stack);
    let data = &t["Resources"]["AsgLaunchTemplate6027899F"]["Properties"]["LaunchTemplateData"];
    assert_eq!(
        data["NetworkInterfaces"],
        json!([{
            "AssociateCarrierIpAddress": true,
            "DeviceIndex": 0,
            "Groups": [{"Fn::GetAtt": ["AsgInstanceSecurityGroupC53F1492", "GroupId"]}]
        }])
    );
    assert!(data.get("SecurityGroupIds").is_none());
}
