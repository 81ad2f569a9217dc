//! Bad inputs of subnets in Local Zones, Wavelength Zones and on Outposts.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use ecscdk::ec2::{SubnetConfiguration, SubnetSelection, SubnetType, Vpc, VpcBuilder, ZoneSubnet};
use ecscdk::ecs::AutoScalingGroup;

const OUTPOST: &str = "arn:aws:outposts:us-east-1:123456789012:outpost/op-0123456789abcdef0";

/// A VPC whose groups leave the upper half of 10.0.0.0/16 free.
fn roomy() -> VpcBuilder {
    Vpc::builder("Vpc").subnet_groups([
        SubnetConfiguration::default_for(SubnetType::Public).cidr_mask(24),
        SubnetConfiguration::default_for(SubnetType::PrivateWithEgress).cidr_mask(20),
    ])
}

fn error(vpc: VpcBuilder) -> Error {
    let mut stack = Stack::new("Web");
    vpc.build(&mut stack).unwrap_err()
}

#[test]
fn rejects_a_zone_subnet_without_a_zone() {
    let err = error(roomy().zone_subnet(ZoneSubnet::local_zone(
        "Edge",
        " ",
        SubnetType::Public,
        "10.0.200.0/24",
    )));
    assert_invalid(&err, "Web/Vpc", "zone_subnet");
    insta::assert_snapshot!(err, @"[Web/Vpc] zone_subnet: zone subnet \"Edge\" ( ) names no zone; give the zone's name, e.g. `us-west-2-lax-1a`");
}

#[test]
fn rejects_a_zone_subnet_named_like_a_subnet_group() {
    let err = error(roomy().zone_subnet(ZoneSubnet::local_zone(
        "Public",
        "us-east-1-bos-1a",
        SubnetType::Public,
        "10.0.200.0/24",
    )));
    assert_invalid(&err, "Web/Vpc", "zone_subnet");
    insta::assert_snapshot!(err, @"[Web/Vpc] zone_subnet: zone subnet \"Public\" (us-east-1-bos-1a) takes the name of a subnet group of the Region's zones; give zone subnets a name of their own");
}

#[test]
fn rejects_two_subnet_types_in_one_zone_group() {
    let err = error(
        roomy()
            .zone_subnet(ZoneSubnet::local_zone(
                "Edge",
                "us-east-1-bos-1a",
                SubnetType::Public,
                "10.0.200.0/24",
            ))
            .zone_subnet(ZoneSubnet::local_zone(
                "Edge",
                "us-east-1-mia-1a",
                SubnetType::Isolated,
                "10.0.201.0/24",
            )),
    );
    assert_invalid(&err, "Web/Vpc", "zone_subnet");
    insta::assert_snapshot!(err, @"[Web/Vpc] zone_subnet: zone subnet \"Edge\" (us-east-1-mia-1a) is Isolated but an earlier subnet of its group is Public; one group has one type");
}

#[test]
fn rejects_a_zone_subnet_range_that_does_not_parse() {
    let err = error(roomy().zone_subnet(ZoneSubnet::local_zone(
        "Edge",
        "us-east-1-bos-1a",
        SubnetType::Public,
        "10.0.200.0",
    )));
    assert_invalid(&err, "Web/Vpc", "zone_subnet");
    insta::assert_snapshot!(err, @"[Web/Vpc] zone_subnet: zone subnet \"Edge\" (us-east-1-bos-1a): \"10.0.200.0\" is not in CIDR notation (`10.0.0.0/16`)");
}

#[test]
fn rejects_a_zone_subnet_range_with_host_bits() {
    let err = error(roomy().zone_subnet(ZoneSubnet::local_zone(
        "Edge",
        "us-east-1-bos-1a",
        SubnetType::Public,
        "10.0.200.1/24",
    )));
    assert_invalid(&err, "Web/Vpc", "zone_subnet");
    insta::assert_snapshot!(err, @"[Web/Vpc] zone_subnet: zone subnet \"Edge\" (us-east-1-bos-1a): 10.0.200.1/24 is not a /16 to /28 block without host bits (e.g. 10.0.200.0/24)");
}

#[test]
fn rejects_a_zone_subnet_outside_the_vpc_range() {
    let err = error(roomy().zone_subnet(ZoneSubnet::outpost(
        "Rack",
        "us-east-1a",
        OUTPOST,
        SubnetType::Isolated,
        "10.1.0.0/24",
    )));
    assert_invalid(&err, "Web/Vpc", "zone_subnet");
    insta::assert_snapshot!(err, @"[Web/Vpc] zone_subnet: zone subnet \"Rack\" (us-east-1a): 10.1.0.0/24 is outside the VPC's range 10.0.0.0/16");
}

#[test]
fn rejects_a_zone_subnet_overlapping_another_subnet() {
    let err = error(Vpc::builder("Vpc").zone_subnet(ZoneSubnet::local_zone(
        "Edge",
        "us-east-1-bos-1a",
        SubnetType::Public,
        "10.0.200.0/24",
    )));
    assert_invalid(&err, "Web/Vpc", "zone_subnet");
    insta::assert_snapshot!(err, @"[Web/Vpc] zone_subnet: zone subnet \"Edge\" (us-east-1-bos-1a): 10.0.200.0/24 overlaps the range of subnet PrivateSubnet2; pick free addresses of the VPC's range (the default layout fills it: give the subnet groups a `cidr_mask` to leave room)");
}

#[test]
fn rejects_a_private_wavelength_subnet_with_egress() {
    let err = error(roomy().zone_subnet(ZoneSubnet::wavelength_zone(
        "Carrier",
        "us-east-1-wl1-bos-wlz-1",
        SubnetType::PrivateWithEgress,
        "10.0.200.0/24",
    )));
    assert_invalid(&err, "Web/Vpc", "zone_subnet");
    insta::assert_snapshot!(err, @"[Web/Vpc] zone_subnet: zone subnet \"Carrier\" (us-east-1-wl1-bos-wlz-1): a Wavelength Zone has no NAT gateways, so no private subnet with egress; use SubnetType::Public (through a carrier gateway) or SubnetType::Isolated");
}

#[test]
fn rejects_a_public_local_zone_subnet_in_a_vpc_without_internet_gateway() {
    let err = error(
        Vpc::builder("Vpc")
            .subnet_groups([SubnetConfiguration::default_for(SubnetType::Isolated).cidr_mask(20)])
            .zone_subnet(ZoneSubnet::local_zone(
                "Edge",
                "us-east-1-bos-1a",
                SubnetType::Public,
                "10.0.200.0/24",
            )),
    );
    assert_missing(&err, "Web/Vpc", "internet gateway");
    insta::assert_snapshot!(err, @"[Web/Vpc] `internet gateway` is required: a public Local Zone or Outpost subnet routes to the VPC's internet gateway: give the VPC a public subnet group");
}

#[test]
fn rejects_a_private_outpost_subnet_in_a_vpc_without_nat_gateway() {
    let err = error(
        Vpc::builder("Vpc")
            .subnet_groups([
                SubnetConfiguration::default_for(SubnetType::Public).cidr_mask(24),
                SubnetConfiguration::default_for(SubnetType::Isolated).cidr_mask(20),
            ])
            .zone_subnet(ZoneSubnet::outpost(
                "Rack",
                "us-east-1a",
                OUTPOST,
                SubnetType::PrivateWithEgress,
                "10.0.200.0/24",
            )),
    );
    assert_missing(&err, "Web/Vpc", "NAT gateway");
    insta::assert_snapshot!(err, @"[Web/Vpc] `NAT gateway` is required: a private Local Zone or Outpost subnet with egress routes to a NAT gateway of the VPC: give the VPC `nat_gateways(1)` or more, or make the subnet isolated");
}

#[test]
fn rejects_an_asg_mixing_public_wavelength_subnets_with_others() {
    let mut stack = Stack::new("Web");
    let vpc = roomy()
        .zone_subnet(ZoneSubnet::wavelength_zone(
            "Carrier",
            "us-east-1-wl1-bos-wlz-1",
            SubnetType::Public,
            "10.0.200.0/24",
        ))
        .build(&mut stack)
        .unwrap();
    let mut subnets: Vec<_> = vpc.public_subnets().cloned().collect();
    subnets.extend(
        vpc.select_subnets(&SubnetSelection::group("Carrier"))
            .unwrap()
            .subnets()
            .iter()
            .cloned(),
    );
    let err = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .vpc_subnets(SubnetSelection::subnets(subnets))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Asg", "vpc_subnets");
    insta::assert_snapshot!(err, @"[Web/Asg] vpc_subnets: public Wavelength Zone subnets cannot be mixed with others in one group: their instances need a carrier IP, which other subnets cannot give; select only the Wavelength subnets");
}
