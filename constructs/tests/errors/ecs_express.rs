//! Bad inputs of ECS Express Mode services.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use ecscdk::ecr_assets::AssetImage;
use ecscdk::ecs::{
    ExpressContainer, ExpressScaling, ExpressScalingMetric, ExpressService, ExpressServiceBuilder,
};

fn nginx() -> ExpressContainer {
    ExpressContainer::new(ContainerImage::registry(
        "public.ecr.aws/nginx/nginx:latest",
    ))
}

/// Builds `make(builder)` for a service `Api` in a fresh stack `Web`.
fn express_error(
    container: ExpressContainer,
    make: impl FnOnce(ExpressServiceBuilder) -> ExpressServiceBuilder,
) -> Error {
    let mut stack = web_stack();
    let vpc = Vpc::builder("Vpc").max_azs(2).build(&mut stack).unwrap();
    make(ExpressService::builder("Api", &vpc, container))
        .build(&mut stack)
        .unwrap_err()
}

#[test]
fn rejects_a_health_check_path_without_a_leading_slash() {
    let err = express_error(nginx(), |b| b.health_check_path("health"));
    assert_invalid(&err, "Web/Api", "health_check_path");
    insta::assert_snapshot!(err, @r#"[Web/Api] health_check_path: "health" must start with `/`, such as `/health`"#);
}

#[test]
fn rejects_port_zero() {
    let err = express_error(nginx().port(0), |b| b);
    assert_invalid(&err, "Web/Api", "port");
    insta::assert_snapshot!(err, @"[Web/Api] port: port 0; give the port the container listens on (1 to 65535)");
}

#[test]
fn rejects_an_empty_task_range() {
    #[allow(clippy::reversed_empty_ranges, reason = "the bad input under test")]
    let err = express_error(nginx(), |b| b.scaling(ExpressScaling::new(4..=1)));
    assert_invalid(&err, "Web/Api", "scaling");
    insta::assert_snapshot!(err, @"[Web/Api] scaling: 4..=1 tasks; give a range whose end is at least its start and at least 1");
}

#[test]
fn rejects_a_task_range_ending_at_zero() {
    let err = express_error(nginx(), |b| b.scaling(ExpressScaling::new(0..=0)));
    assert_invalid(&err, "Web/Api", "scaling");
    insta::assert_snapshot!(err, @"[Web/Api] scaling: 0..=0 tasks; give a range whose end is at least its start and at least 1");
}

#[test]
fn rejects_a_cpu_target_above_100_percent() {
    let err = express_error(nginx(), |b| {
        b.scaling(ExpressScaling::new(1..=4).on(ExpressScalingMetric::AverageCpu, 150))
    });
    assert_invalid(&err, "Web/Api", "scaling");
    insta::assert_snapshot!(err, @"[Web/Api] scaling: a target of 150 for AVERAGE_CPU (percent); give 1 to 100");
}

#[test]
fn rejects_a_request_target_above_65536() {
    let err = express_error(nginx(), |b| {
        b.scaling(
            ExpressScaling::new(1..=4).on(ExpressScalingMetric::RequestCountPerTarget, 70_000),
        )
    });
    assert_invalid(&err, "Web/Api", "scaling");
    insta::assert_snapshot!(err, @"[Web/Api] scaling: a target of 70000 for REQUEST_COUNT_PER_TARGET; give 1 to 65536");
}

#[test]
fn rejects_a_service_name_ecs_refuses() {
    let err = express_error(nginx(), |b| b.service_name("my api"));
    assert_invalid(&err, "Web/Api", "service_name");
    insta::assert_snapshot!(err, @r#"[Web/Api] service_name: "my api": use 1 to 255 letters, digits, hyphens and underscores"#);
}

#[test]
fn rejects_an_image_built_from_a_missing_directory() {
    let err = express_error(
        ExpressContainer::new(AssetImage::new("/no/such/directory").into()),
        |b| b,
    );
    assert_asset(&err, "Web/Api/AssetImage");
}

#[test]
fn rejects_an_empty_image_reference() {
    let err = express_error(ExpressContainer::new(ContainerImage::registry(" ")), |b| b);
    assert_invalid(&err, "Web/Api", "image");
    insta::assert_snapshot!(err, @"[Web/Api] image: the image reference is empty; give `repository:tag`");
}

fn task_error(container: ContainerBuilder) -> Error {
    let mut stack = web_stack();
    let vpc = Vpc::builder("Vpc").max_azs(2).build(&mut stack).unwrap();
    let task = ecscdk::ecs::FargateTaskDefinition::builder("Task")
        .container(container)
        .build(&mut stack)
        .unwrap();
    ExpressService::with_task_definition("Api", &vpc, &task)
        .build(&mut stack)
        .unwrap_err()
}

fn image() -> ContainerImage {
    ContainerImage::registry("public.ecr.aws/nginx/nginx:latest")
}

#[test]
fn rejects_a_task_definition_without_a_main_container() {
    let err = task_error(
        Container::builder("web", image()).port(ecscdk::ecs::PortMapping::tcp(80).name("http")),
    );
    assert_invalid(&err, "Web/Api", "task_definition");
    insta::assert_snapshot!(err, @"[Web/Api] task_definition: Express Mode runs the container named `Main` and the task definition has web; name its serving container `Main`");
}

#[test]
fn rejects_a_main_container_without_a_port() {
    let err = task_error(Container::builder("Main", image()));
    assert_invalid(&err, "Web/Api", "task_definition");
    insta::assert_snapshot!(err, @"[Web/Api] task_definition: the `Main` container has 0 port mappings; Express Mode needs exactly one, TCP and named");
}

#[test]
fn rejects_a_main_container_with_an_unnamed_port() {
    let err =
        task_error(Container::builder("Main", image()).port(ecscdk::ecs::PortMapping::tcp(80)));
    assert_invalid(&err, "Web/Api", "task_definition");
    insta::assert_snapshot!(err, @r#"[Web/Api] task_definition: the `Main` container's port has no name; give it one (`PortMapping::tcp(80).name("http")`)"#);
}

#[test]
fn rejects_a_main_container_with_a_udp_port() {
    let err = task_error(
        Container::builder("Main", image()).port(ecscdk::ecs::PortMapping::udp(53).name("dns")),
    );
    assert_invalid(&err, "Web/Api", "task_definition");
    insta::assert_snapshot!(err, @"[Web/Api] task_definition: the `Main` container's port is not TCP; Express Mode's load balancer sends HTTP");
}

#[test]
fn rejects_a_size_beside_a_task_definition() {
    let mut stack = web_stack();
    let vpc = Vpc::builder("Vpc").max_azs(2).build(&mut stack).unwrap();
    let task = ecscdk::ecs::FargateTaskDefinition::builder("Task")
        .container(
            Container::builder("Main", image())
                .port(ecscdk::ecs::PortMapping::tcp(80).name("http")),
        )
        .build(&mut stack)
        .unwrap();
    let err = ExpressService::with_task_definition("Api", &vpc, &task)
        .size(ecscdk::ecs::FargateSize::smallest())
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Api", "size");
    insta::assert_snapshot!(err, @"[Web/Api] size: Express Mode takes it from the task definition when given one; set it on the task definition");
}

#[test]
fn rejects_a_private_service_in_the_default_vpc() {
    let mut stack = web_stack();
    let err = ExpressService::in_default_vpc("Api", nginx())
        .public(false)
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Api", "public");
    insta::assert_snapshot!(err, @"[Web/Api] `public` cannot be used in the default VPC: ECS places a service without a VPC in the default VPC's public subnets, behind an internet-facing load balancer; build it in your VPC with `ExpressService::builder(id, &vpc, ..)` to choose subnets and security groups");
}

#[test]
fn rejects_security_groups_in_the_default_vpc() {
    let mut stack = web_stack();
    let vpc = Vpc::builder("Vpc").max_azs(2).build(&mut stack).unwrap();
    let group = ecscdk::ec2::SecurityGroup::builder("Group", &vpc)
        .build(&mut stack)
        .unwrap();
    let err = ExpressService::in_default_vpc("Api", nginx())
        .security_group(&group)
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Api", "security_group");
}

#[test]
fn rejects_registry_credentials_that_are_not_a_secret() {
    let err = express_error(
        ExpressContainer::new(ContainerImage::registry_with_credentials(
            "registry.example.com/api:1",
            "arn:aws:ssm:us-east-1:123456789012:parameter/creds",
        )),
        |b| b,
    );
    assert_invalid(&err, "Web/Api", "image");
}

#[test]
fn rejects_an_ecr_image_whose_arn_and_uri_name_two_repositories() {
    let err = express_error(
        ExpressContainer::new(ContainerImage::ecr_tag(
            "arn:aws:ecr:us-east-1:123456789012:repository/api",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/web",
            "v1",
        )),
        |b| b,
    );
    assert_invalid(&err, "Web/Api", "image");
}
