//! Bad inputs of the `ec2` module: rejected when the VPC, security group or
//! rule is built, with the construct path and the fix.

use super::*;
use ecscdk::ec2::{
    ImportedSubnetGroup, InterfaceEndpointService, Peer, Port, SecurityGroup, SubnetConfiguration,
    SubnetSelection, SubnetType, Vpc, VpcAttributes, VpcBuilder,
};
use ecscdk::{Error, Stack};

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn vpc_error(builder: VpcBuilder) -> Error {
    builder
        .build(&mut web_stack())
        .expect_err("the VPC is rejected")
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn built(stack: &mut Stack, builder: VpcBuilder) -> Vpc {
    builder.build(stack).expect("the VPC builds")
}

#[test]
fn rejects_a_cidr_that_is_not_cidr_notation() {
    let err = vpc_error(Vpc::builder("Vpc").cidr("10.0.0.0"));
    assert_invalid(&err, "Web/Vpc", "cidr");
    insta::assert_snapshot!(err, @r#"[Web/Vpc] cidr: "10.0.0.0" is not in CIDR notation (`10.0.0.0/16`)"#);
}

#[test]
fn rejects_a_cidr_with_host_bits() {
    let err = vpc_error(Vpc::builder("Vpc").cidr("10.0.3.0/16"));
    assert_invalid(&err, "Web/Vpc", "cidr");
    insta::assert_snapshot!(err, @"[Web/Vpc] cidr: 10.0.3.0/16 has bits set after its /16 prefix; write it as 10.0.0.0/16");
}

#[test]
fn rejects_a_vpc_range_larger_than_a_16() {
    let err = vpc_error(Vpc::builder("Vpc").cidr("10.0.0.0/8"));
    assert_invalid(&err, "Web/Vpc", "cidr");
    insta::assert_snapshot!(err, @"[Web/Vpc] cidr: 10.0.0.0/8 is a /8; a VPC's range is /16 (65,536 addresses) to /28 (16)");
}

#[test]
fn rejects_max_azs_together_with_availability_zones() {
    let err = vpc_error(
        Vpc::builder("Vpc")
            .max_azs(2)
            .availability_zones(["us-east-1a", "us-east-1b"]),
    );
    assert_conflict(&err, "Web/Vpc", "max_azs", "availability_zones");
    insta::assert_snapshot!(err, @"[Web/Vpc] `max_azs` conflicts with `availability_zones`: give either a zone count or the zones themselves");
}

#[test]
fn rejects_more_availability_zones_than_a_region_has() {
    for count in [7, 1 << 40, usize::MAX] {
        let err = vpc_error(Vpc::builder("Vpc").max_azs(count));
        assert_invalid(&err, "Web/Vpc", "max_azs");
    }
    let err = vpc_error(Vpc::builder("Vpc").max_azs(usize::MAX));
    insta::assert_snapshot!(err, @"[Web/Vpc] max_azs: 18446744073709551615 zones: no region has more than 6; span at most 6 (the zones are chosen at deploy, so the region must have that many)");
}

#[test]
fn rejects_more_listed_zones_than_a_region_has() {
    let names: Vec<String> = (0..10_000).map(|i| format!("us-east-1-zone{i}")).collect();
    let err = vpc_error(Vpc::builder("Vpc").availability_zones(names));
    assert_invalid(&err, "Web/Vpc", "availability_zones");
    insta::assert_snapshot!(err, @"[Web/Vpc] availability_zones: 10000 zones are listed, and no region has more than 6; list the region's zones you want, at most 6");
}

#[test]
fn rejects_zero_availability_zones() {
    let err = vpc_error(Vpc::builder("Vpc").max_azs(0));
    assert_invalid(&err, "Web/Vpc", "max_azs");
    insta::assert_snapshot!(err, @"[Web/Vpc] max_azs: 0 zones leave the VPC without subnets; span at least 1 zone (2 for high availability)");
}

#[test]
fn rejects_a_zone_of_another_region() {
    let err = vpc_error(Vpc::builder("Vpc").availability_zones(["us-east-1a", "eu-west-1b"]));
    assert_invalid(&err, "Web/Vpc", "availability_zones");
    insta::assert_snapshot!(err, @r#"[Web/Vpc] availability_zones: "eu-west-1b" is not a zone of the stack's region us-east-1; zones are named after their region (`us-east-1a`)"#);
}

#[test]
fn rejects_a_zone_listed_twice() {
    let err = vpc_error(Vpc::builder("Vpc").availability_zones(["us-east-1a", "us-east-1a"]));
    assert_invalid(&err, "Web/Vpc", "availability_zones");
    insta::assert_snapshot!(err, @r#"[Web/Vpc] availability_zones: "us-east-1a" is listed twice; list each zone once"#);
}

#[test]
fn rejects_two_subnet_groups_with_one_name() {
    let err = vpc_error(Vpc::builder("Vpc").subnet_groups([
        SubnetConfiguration::new("App", SubnetType::Public),
        SubnetConfiguration::new("App", SubnetType::PrivateWithEgress),
    ]));
    assert_invalid(&err, "Web/Vpc", "subnet_group");
    insta::assert_snapshot!(err, @r#"[Web/Vpc] subnet_group: two groups are named "App"; give each group its own name"#);
}

#[test]
fn rejects_a_subnet_mask_outside_16_to_28() {
    let err = vpc_error(
        Vpc::builder("Vpc")
            .subnet_group(SubnetConfiguration::new("Public", SubnetType::Public).cidr_mask(29)),
    );
    assert_invalid(&err, "Web/Vpc", "cidr_mask");
    insta::assert_snapshot!(err, @r#"[Web/Vpc] cidr_mask: group "Public" asks for /29 subnets; a subnet is /16 to /28"#);
}

#[test]
fn rejects_subnets_larger_than_the_vpc() {
    let err = vpc_error(
        Vpc::builder("Vpc")
            .cidr("10.0.0.0/20")
            .subnet_group(SubnetConfiguration::new("Public", SubnetType::Public).cidr_mask(18)),
    );
    assert_invalid(&err, "Web/Vpc", "cidr_mask");
    insta::assert_snapshot!(err, @r#"[Web/Vpc] cidr_mask: group "Public" asks for /18 subnets, larger than the VPC's /20; use a mask of 20 or more"#);
}

#[test]
fn rejects_subnet_groups_that_do_not_fit_in_the_range() {
    let err = vpc_error(
        Vpc::builder("Vpc")
            .cidr("10.0.0.0/24")
            .max_azs(3)
            .nat_gateways(1)
            .subnet_groups([
                SubnetConfiguration::new("Public", SubnetType::Public).cidr_mask(26),
                SubnetConfiguration::new("Private", SubnetType::PrivateWithEgress).cidr_mask(26),
            ]),
    );
    assert_invalid(&err, "Web/Vpc", "subnet_group");
    insta::assert_snapshot!(err, @"[Web/Vpc] subnet_group: the subnets do not fit in 10.0.0.0/24: no room is left for a /26; use a larger VPC range, larger masks, fewer zones or fewer groups");
}

#[test]
fn rejects_subnets_without_a_mask_left_less_than_a_28() {
    let err = vpc_error(Vpc::builder("Vpc").cidr("10.0.0.0/27").max_azs(2));
    assert_invalid(&err, "Web/Vpc", "subnet_group");
    insta::assert_snapshot!(err, @"[Web/Vpc] subnet_group: 4 subnets without a `cidr_mask` share the 32 addresses left in 10.0.0.0/27, less than a /28 each; use a larger VPC range, give masks, or use fewer zones or groups");
}

#[test]
fn rejects_private_subnets_without_a_nat_gateway() {
    let err = vpc_error(Vpc::builder("Vpc").nat_gateways(0).subnet_groups([
        SubnetConfiguration::default_for(SubnetType::Public),
        SubnetConfiguration::default_for(SubnetType::PrivateWithEgress),
    ]));
    assert_invalid(&err, "Web/Vpc", "nat_gateways");
    insta::assert_snapshot!(err, @"[Web/Vpc] nat_gateways: private subnets with egress need a NAT gateway; set `nat_gateways` to 1 or more, or make the group `Isolated` (add `fargate_endpoints()` so tasks there can pull images and write logs)");
}

#[test]
fn rejects_nat_gateways_without_a_public_subnet_group() {
    let err = vpc_error(Vpc::builder("Vpc").nat_gateways(1).subnet_group(
        SubnetConfiguration::default_for(SubnetType::PrivateWithEgress),
    ));
    assert_missing(&err, "Web/Vpc", "a public subnet group");
    insta::assert_snapshot!(err, @"[Web/Vpc] `a public subnet group` is required: NAT gateways are placed in public subnets; add a `Public` group or set `nat_gateways(0)`");
}

#[test]
fn rejects_dns_hostnames_without_dns_support() {
    let err = vpc_error(Vpc::builder("Vpc").enable_dns_support(false));
    assert_conflict(
        &err,
        "Web/Vpc",
        "enable_dns_hostnames",
        "enable_dns_support(false)",
    );
    insta::assert_snapshot!(err, @"[Web/Vpc] `enable_dns_hostnames` conflicts with `enable_dns_support(false)`: DNS hostnames need DNS support; turn both on or both off");
}

#[test]
fn rejects_interface_endpoints_without_private_dns() {
    let err = vpc_error(
        Vpc::builder("Vpc")
            .enable_dns_hostnames(false)
            .interface_endpoint("Logs", InterfaceEndpointService::CloudWatchLogs),
    );
    assert_unsupported(&err, "Web/Vpc", "interface_endpoint");
    insta::assert_snapshot!(err, @"[Web/Vpc] `interface_endpoint` cannot be used with DNS support or hostnames turned off: interface endpoints answer under the services' own names through private DNS, which needs DNS support and hostnames; turn both on");
}

#[test]
fn rejects_an_interface_endpoint_added_to_a_vpc_without_private_dns() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").enable_dns_hostnames(false));
    let err = vpc
        .add_interface_endpoint(&mut stack, "Logs", InterfaceEndpointService::CloudWatchLogs)
        .unwrap_err();
    assert_unsupported(&err, "Web/Vpc", "add_interface_endpoint");
    insta::assert_snapshot!(err, @"[Web/Vpc] `add_interface_endpoint` cannot be used with DNS support or hostnames turned off: interface endpoints answer under the services' own names through private DNS, which needs DNS support and hostnames; turn both on");
}

#[test]
fn rejects_a_public_ip_setting_on_a_private_group() {
    let err = vpc_error(
        Vpc::builder("Vpc").subnet_groups([
            SubnetConfiguration::default_for(SubnetType::Public),
            SubnetConfiguration::default_for(SubnetType::PrivateWithEgress)
                .map_public_ip_on_launch(true),
        ]),
    );
    assert_unsupported(&err, "Web/Vpc", "map_public_ip_on_launch");
    insta::assert_snapshot!(err, @"[Web/Vpc] `map_public_ip_on_launch` cannot be used on a subnet group that is not public: only public subnets can give instances a public IP; drop the setting or make the group public");
}

#[test]
fn rejects_several_problems_at_once() {
    let err = vpc_error(
        Vpc::builder("Vpc")
            .cidr("10.0.0.1/16")
            .max_azs(0)
            .enable_dns_support(false),
    );
    assert!(
        matches!(&err, Error::Many(all) if all.len() == 3),
        "{err:?}"
    );
    insta::assert_snapshot!(err, @r#"
    [Web/Vpc] cidr: 10.0.0.1/16 has bits set after its /16 prefix; write it as 10.0.0.0/16
    [Web/Vpc] max_azs: 0 zones leave the VPC without subnets; span at least 1 zone (2 for high availability)
    [Web/Vpc] `enable_dns_hostnames` conflicts with `enable_dns_support(false)`: DNS hostnames need DNS support; turn both on or both off
    "#);
}

#[test]
fn rejects_a_selection_of_a_type_the_vpc_lacks() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let err = vpc
        .select_subnets(&SubnetSelection::isolated())
        .expect_err("no isolated subnets");
    assert_invalid(&err, "Web/Vpc", "subnet selection");
    insta::assert_snapshot!(err, @"[Web/Vpc] subnet selection: the VPC has no `Isolated` subnets (it has: `Public`, `PrivateWithEgress`); select another type, or add a subnet group of this type to the VPC");
}

#[test]
fn rejects_a_selection_of_an_unknown_group() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let err = vpc
        .select_subnets(&SubnetSelection::group("Application"))
        .expect_err("no such group");
    assert_invalid(&err, "Web/Vpc", "subnet selection");
    insta::assert_snapshot!(err, @r#"[Web/Vpc] subnet selection: the VPC has no subnet group named "Application" (it has: Public, Private); use one of those names"#);
}

#[test]
fn rejects_filtering_zones_chosen_at_deploy_time() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let err = vpc
        .select_subnets(&SubnetSelection::public().in_availability_zones(["us-east-1a"]))
        .expect_err("zones are not named");
    assert_invalid(&err, "Web/Vpc", "subnet selection");
    insta::assert_snapshot!(err, @"[Web/Vpc] subnet selection: the subnets' Availability Zones are known only at synth (from the context) or at deploy (Fn::GetAZs), so they cannot be filtered by name while building; give the VPC `availability_zones` to filter by zone");
}

#[test]
fn rejects_a_zone_filter_that_keeps_nothing() {
    let mut stack = web_stack();
    let vpc = built(
        &mut stack,
        Vpc::builder("Vpc")
            .availability_zones(["us-east-1a", "us-east-1b"])
            .nat_gateways(1),
    );
    let err = vpc
        .select_subnets(&SubnetSelection::public().in_availability_zones(["us-east-1f"]))
        .expect_err("no subnet in that zone");
    assert_invalid(&err, "Web/Vpc", "subnet selection");
    insta::assert_snapshot!(err, @"[Web/Vpc] subnet selection: no selected subnet is in us-east-1f; pick zones of the VPC");
}

#[test]
fn rejects_an_imported_vpc_with_subnets_not_matching_its_zones() {
    let err = Vpc::from_attributes(
        &mut web_stack(),
        "Shared",
        VpcAttributes::new("vpc-1", ["us-east-1a", "us-east-1b"])
            .private_subnet_ids(["subnet-1", "subnet-2", "subnet-3"]),
    )
    .expect_err("three subnets for two zones");
    assert_invalid(&err, "Web/Shared", "subnets");
    insta::assert_snapshot!(err, @r#"[Web/Shared] subnets: group "Private" has 3 subnets for 2 Availability Zones; give one subnet per zone (or several per zone, zone by zone)"#);
}

#[test]
fn rejects_an_imported_vpc_with_a_route_table_count_not_matching_its_subnets() {
    let err = Vpc::from_attributes(
        &mut web_stack(),
        "Shared",
        VpcAttributes::new("vpc-1", ["us-east-1a"]).subnet_group(
            ImportedSubnetGroup::new("Private", SubnetType::PrivateWithEgress, ["subnet-1"])
                .route_table_ids(["rtb-1", "rtb-2"]),
        ),
    )
    .expect_err("two route tables for one subnet");
    assert_invalid(&err, "Web/Shared", "route_table_ids");
    insta::assert_snapshot!(err, @r#"[Web/Shared] route_table_ids: group "Private" has 1 subnet but 2 route tables; give one route table per subnet"#);
}

#[test]
fn rejects_an_interface_endpoint_on_an_imported_vpc_without_its_range() {
    let mut stack = web_stack();
    let vpc = Vpc::from_attributes(
        &mut stack,
        "Shared",
        VpcAttributes::new("vpc-1", ["us-east-1a"]).isolated_subnet_ids(["subnet-1"]),
    )
    .expect("imported");
    let err = vpc
        .add_interface_endpoint(&mut stack, "Ecr", InterfaceEndpointService::EcrApi)
        .expect_err("no CIDR block");
    assert_missing(&err, "Web/Shared", "cidr_block");
    insta::assert_snapshot!(err, @"[Web/Shared] `cidr_block` is required: an interface endpoint opens port 443 to the VPC's range; give the imported VPC's `cidr_block`");
}

#[test]
fn rejects_an_endpoint_added_through_another_stack() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let err = vpc
        .add_interface_endpoint(
            &mut Stack::new("Other"),
            "Ecr",
            InterfaceEndpointService::EcrApi,
        )
        .expect_err("the VPC is in Web");
    assert_invalid(&err, "Web/Vpc", "endpoint");
    insta::assert_snapshot!(err, @"[Web/Vpc] endpoint: the VPC belongs to stack `Web`, but stack `Other` was given; pass `Web`, where its resources are written");
}

#[test]
fn rejects_a_security_group_description_ec2_rejects() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let err = SecurityGroup::builder("Sg", &vpc)
        .description("café servers")
        .build(&mut stack)
        .expect_err("non-ASCII description");
    assert_invalid(&err, "Web/Sg", "description");
    insta::assert_snapshot!(err, @r#"[Web/Sg] description: the description holds characters EC2 rejects ("é"); use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"#);
}

#[test]
fn rejects_a_security_group_name_starting_with_sg() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let err = SecurityGroup::builder("Sg", &vpc)
        .security_group_name("sg-web")
        .build(&mut stack)
        .expect_err("reserved prefix");
    assert_invalid(&err, "Web/Sg", "security_group_name");
    insta::assert_snapshot!(err, @r#"[Web/Sg] security_group_name: "sg-web" is not a group name EC2 accepts: 1 to 255 characters, not starting with `sg-`"#);
}

#[test]
fn rejects_a_rule_on_a_malformed_range() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let sg = SecurityGroup::builder("Sg", &vpc)
        .build(&mut stack)
        .expect("group");
    let err = sg
        .add_ingress_rule(&mut stack, Peer::ipv4("10.0.0.0/33"), Port::tcp(443), None)
        .expect_err("bad prefix");
    assert_invalid(&err, "Web/Sg", "ingress rule");
    insta::assert_snapshot!(err, @r#"[Web/Sg] ingress rule: "10.0.0.0/33" has no prefix length between 0 and 32"#);
}

#[test]
fn rejects_a_reversed_port_range() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let sg = SecurityGroup::builder("Sg", &vpc)
        .build(&mut stack)
        .expect("group");
    let err = sg
        .add_ingress_rule(
            &mut stack,
            Peer::any_ipv4(),
            Port::tcp_range(9000, 8000),
            None,
        )
        .expect_err("reversed");
    assert_invalid(&err, "Web/Sg", "ingress rule");
    insta::assert_snapshot!(err, @"[Web/Sg] ingress rule: the port range starts at 9000, after its end 8000; give the lower port first");
}

#[test]
fn rejects_an_all_traffic_egress_rule_to_anywhere() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let sg = SecurityGroup::builder("Sg", &vpc)
        .allow_all_outbound(false)
        .build(&mut stack)
        .expect("group");
    let err = sg
        .add_egress_rule(&mut stack, Peer::any_ipv4(), Port::all_traffic(), None)
        .expect_err("use allow_all_outbound");
    assert_invalid(&err, "Web/Sg", "egress rule");
    insta::assert_snapshot!(err, @"[Web/Sg] egress rule: an all-traffic egress rule to anywhere cannot be added rule by rule; build the group with `allow_all_outbound(true)`");
}

#[test]
fn rejects_a_rule_added_through_another_stack() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let sg = SecurityGroup::builder("Sg", &vpc)
        .build(&mut stack)
        .expect("group");
    let err = sg
        .add_ingress_rule(
            &mut Stack::new("Other"),
            Peer::any_ipv4(),
            Port::tcp(443),
            None,
        )
        .expect_err("the group is in Web");
    assert_invalid(&err, "Web/Sg", "ingress rule");
    insta::assert_snapshot!(err, @"[Web/Sg] ingress rule: the security group belongs to stack `Web`, but stack `Other` was given; pass `Web`, where its resources are written");
}

#[test]
fn rejects_opening_a_default_port_that_is_not_set() {
    let mut stack = web_stack();
    let vpc = built(&mut stack, Vpc::builder("Vpc").nat_gateways(1));
    let sg = SecurityGroup::builder("Sg", &vpc)
        .build(&mut stack)
        .expect("group");
    let err = sg
        .connections()
        .allow_default_port_from(&mut stack, &Peer::any_ipv4(), None)
        .expect_err("no default port");
    assert_missing(&err, "Web/Sg", "default port");
    insta::assert_snapshot!(err, @"[Web/Sg] `default port` is required: give the connections a default port, or name the port with `allow_from`/`allow_to`");
}
