//! The engine on its own: two stacks of raw resources with a parameter, a
//! condition, a mapping, a rule, outputs and a cross-stack reference.
//!
//! `Network` declares a VPC whose CIDR block is a parameter and a flow-log
//! group whose retention depends on the environment. `Edge` builds a security
//! group in that VPC: using the VPC's handle in another stack makes synth
//! export the VPC id and CIDR block from `Network` and import them in `Edge`,
//! and deploy `Network` first.

use ecscdk::prelude::*;

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let env = Env::new("123456789012", "us-east-1");
    let mut app = App::new();

    let mut network = Stack::new("Network")
        .env(env.clone())
        .description("Network layer of the engine demo")
        .tag("project", "engine-demo");
    let root = network.root();
    let stage = network.parameter(
        "Stage",
        ParameterSpec::string()
            .description("Deployment stage")
            .allowed_values(["dev", "prod"])
            .default("dev"),
    )?;
    let cidr = network.parameter(
        "VpcCidr",
        ParameterSpec::string()
            .description("CIDR block of the VPC")
            .allowed_pattern(r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$")
            .default("10.0.0.0/16"),
    )?;
    let is_prod = network.condition("IsProd", Cond::equals(stage.value(), "prod"))?;
    let retention = network.mapping(
        "Retention",
        Mapping::new()
            .entry("dev", [("Days", 7)])
            .entry("prod", [("Days", 365)]),
    )?;
    network.rule(
        "ProdNeedsWideCidr",
        Rule::new()
            .when(Cond::equals(stage.value(), "prod"))
            .assert(
                Cond::contains(Operand::list(["10.0.0.0/16", "10.1.0.0/16"]), cidr.value()),
                "prod uses one of the reserved /16 blocks",
            ),
    )?;
    let vpc = network.add(
        root,
        "Vpc",
        RawResource::new("AWS::EC2::VPC")
            .property("CidrBlock", cidr.value())
            .property("EnableDnsHostnames", true)
            .property("EnableDnsSupport", true),
    )?;
    let logs = network.scope(root, "FlowLogs")?;
    let group = network.add(
        logs,
        "Group",
        RawResource::new("AWS::Logs::LogGroup")
            .property("RetentionInDays", retention.find(stage.value(), "Days")),
    )?;
    network
        .resource_options(group)?
        .retain(true)
        .add_property_override(
            "LogGroupClass",
            Expr::if_(is_prod, "STANDARD", "INFREQUENT_ACCESS"),
        );
    let alarm_topic = network.add(root, "ProdAlarms", RawResource::new("AWS::SNS::Topic"))?;
    network.resource_options(alarm_topic)?.condition(is_prod);
    network.output(
        "AlarmTopic",
        Output::new(alarm_topic.reference())
            .description("Topic for production alarms")
            .condition(is_prod),
    )?;

    let mut edge = Stack::new("Edge")
        .env(env)
        .description("Edge layer of the engine demo");
    let root = edge.root();
    let sg = edge.add(
        root,
        "WebSecurityGroup",
        RawResource::new("AWS::EC2::SecurityGroup")
            .property("GroupDescription", "Web servers: HTTPS from inside the VPC")
            .property("VpcId", vpc.reference())
            .property(
                "SecurityGroupIngress",
                Operand::list([Operand::map([
                    ("IpProtocol", Operand::from("tcp")),
                    ("FromPort", Operand::from(443)),
                    ("ToPort", Operand::from(443)),
                    ("CidrIp", Operand::from(vpc.attr("CidrBlock"))),
                    ("Description", Operand::from("HTTPS from the VPC")),
                ])]),
            )
            .property(
                "SecurityGroupEgress",
                Operand::list([Operand::map([
                    ("IpProtocol", Operand::from("tcp")),
                    ("FromPort", Operand::from(443)),
                    ("ToPort", Operand::from(443)),
                    ("CidrIp", Operand::from("0.0.0.0/0")),
                    ("Description", Operand::from("HTTPS out")),
                ])]),
            ),
    )?;
    edge.output(
        "SecurityGroupArn",
        Output::new(Expr::sub_with(
            "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${Group}",
            [("Group", sg.attr("GroupId"))],
        ))
        .description("ARN of the web security group"),
    )?;

    app.add(network)?;
    app.add(edge)?;
    Ok(app)
}
