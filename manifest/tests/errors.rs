//! Bad manifests: each error names the file, the line and column, and the
//! field path, then says what is wrong and how to fix it; a builder's own
//! error keeps its construct path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use ecscdk_manifest::{Error, Format, app_from_str};

fn error(format: Format, text: &str) -> Error {
    match app_from_str(text, format, "ecscdk.yaml", Path::new(".")) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

fn yaml(text: &str) -> String {
    let e = error(Format::Yaml, text);
    assert!(
        e.place().is_some_and(|p| p.location.is_some()),
        "no line and column: {e}"
    );
    e.to_string()
}

/// A valid stack to break in one place.
const BASE: &str = "\
stacks:
  Web:
    vpc: { max_azs: 2 }
    cluster: {}
    services:
      Api:
        task:
          containers:
            web:
              image: nginx
";

#[test]
fn the_base_manifest_builds() {
    app_from_str(BASE, Format::Yaml, "ecscdk.yaml", Path::new("."))
        .unwrap()
        .synth()
        .unwrap();
}

#[test]
fn rejects_an_unknown_field_with_the_fields_it_knows() {
    let e = yaml(&BASE.replace("max_azs", "max_az"));
    insta::assert_snapshot!(e, @"ecscdk.yaml:3:12: stacks.Web.vpc.max_az: unknown field `max_az`, expected one of `id`, `cidr`, `max_azs`, `nat_gateways`, `existing`");
}

#[test]
fn rejects_a_value_of_the_wrong_type() {
    let e = yaml(&BASE.replace("task:", "desired_count: two\n        task:"));
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:7:24: stacks.Web.services.Api.desired_count: invalid type: string "two", expected u32"#);
}

#[test]
fn rejects_a_missing_required_field() {
    let e = yaml(&BASE.replace(
        "stacks:",
        "environments:\n  dev: { account: \"1\" }\nstacks:",
    ));
    insta::assert_snapshot!(e, @"ecscdk.yaml:2:8: environments.dev: missing field `region`");
}

#[test]
fn rejects_a_duration_without_a_unit() {
    let e = yaml(&BASE.replace(
        "image: nginx",
        "image: nginx\n              stop_timeout: \"30\"",
    ));
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:10:15: stacks.Web.services.Api.task.containers.web.stop_timeout: "30" is not a duration; write a duration as <number><unit>, units h, m, s or ms, such as 30s, 5m or 1h30m"#);
}

#[test]
fn rejects_yaml_that_is_not_well_formed() {
    let e = yaml(&BASE.replace("cluster: {}", "cluster: {} }"));
    insta::assert_snapshot!(e, @"ecscdk.yaml:4:17: stacks.Web: did not find expected key, while parsing a block mapping");
}

#[test]
fn rejects_a_reference_to_a_missing_task_definition() {
    let text = BASE.replace(
        "        task:\n          containers:\n            web:\n              image: nginx\n",
        "        task_definition: Tsk\n",
    );
    let text = text.replace(
        "    services:",
        "    task_definitions:\n      Task:\n        containers:\n          web: { image: nginx }\n    services:",
    );
    let e = yaml(&text);
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:11:9: stacks.Web.services.Api.task_definition: no task definition "Tsk" in this stack; define it under `task_definitions` (known: Task)"#);
}

#[test]
fn rejects_a_service_with_no_task_definition() {
    let text = BASE.replace(
        "        task:\n          containers:\n            web:\n              image: nginx\n",
        "        desired_count: 1\n",
    );
    insta::assert_snapshot!(yaml(&text), @"ecscdk.yaml:6:7: stacks.Web.services.Api: a service needs a task definition: add `task: { containers: {…} }`, or `task_definition: NAME` of an entry of `task_definitions`");
}

#[test]
fn rejects_an_unknown_environment() {
    let e = yaml(&BASE.replace("  Web:\n", "  Web:\n    environment: prod\n"));
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:3:5: stacks.Web.environment: no environment "prod"; define it under `environments`"#);
}

#[test]
fn rejects_cpu_units_fargate_does_not_have() {
    let e = yaml(&BASE.replace("        task:\n", "        task:\n          cpu: 300\n"));
    insta::assert_snapshot!(e, @"ecscdk.yaml:8:11: stacks.Web.services.Api.task.cpu: Fargate has no 300 CPU units; use 256, 512, 1024, 2048, 4096, 8192 or 16384");
}

#[test]
fn a_builder_error_keeps_its_construct_path() {
    let e = error(
        Format::Yaml,
        &BASE.replace(
            "        task:\n",
            "        task:\n          cpu: 256\n          memory_mib: 4096\n",
        ),
    );
    assert!(matches!(e, Error::Build { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("Web/ApiTask"), "{text}");
    insta::assert_snapshot!(text, @"ecscdk.yaml:7:9: stacks.Web.services.Api.task: [Web/ApiTask] memory_mib: Fargate does not offer 4096 MiB with 256 CPU units; with 256 CPU units use one of 512, 1024, 2048 MiB");
}

#[test]
fn rejects_a_container_without_an_image() {
    let e = yaml(&BASE.replace("image: nginx", "user: nobody"));
    insta::assert_snapshot!(e, @"ecscdk.yaml:9:13: stacks.Web.services.Api.task.containers.web: a container needs an image: add `image: REGISTRY/NAME:TAG` or `build: { context: DIR }`");
}

#[test]
fn rejects_an_image_and_a_build_together() {
    let e = yaml(&BASE.replace(
        "image: nginx",
        "image: nginx\n              build: { context: . }",
    ));
    insta::assert_snapshot!(e, @"ecscdk.yaml:11:15: stacks.Web.services.Api.task.containers.web.build: give `image` or `build`, not both: `image` names an image in a registry, `build` builds one from a Dockerfile");
}

#[test]
fn rejects_a_secret_with_two_sources() {
    let e = yaml(&BASE.replace(
        "image: nginx",
        "image: nginx\n              secrets:\n                DB: { ssm_parameter: /db, secrets_manager: arn:aws:secretsmanager:us-east-1:1:secret:db }",
    ));
    insta::assert_snapshot!(e, @"ecscdk.yaml:12:17: stacks.Web.services.Api.task.containers.web.secrets.DB: give one source: `ssm_parameter` or `secrets_manager`");
}

#[test]
fn rejects_a_retention_cloudwatch_does_not_offer() {
    let e = yaml(&BASE.replace(
        "image: nginx",
        "image: nginx\n              logging: { stream_prefix: web, retention_days: 10 }",
    ));
    insta::assert_snapshot!(e, @"ecscdk.yaml:11:46: stacks.Web.services.Api.task.containers.web.logging.retention_days: CloudWatch Logs keeps logs 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days, not 10");
}

#[test]
fn rejects_a_cluster_without_a_vpc() {
    let e = yaml(&BASE.replace("    vpc: { max_azs: 2 }\n", ""));
    insta::assert_snapshot!(e, @"ecscdk.yaml:3:5: stacks.Web.cluster: a cluster needs the stack's `vpc`; add `vpc: {}` to the stack");
}

#[test]
fn rejects_an_output_of_an_unknown_attribute() {
    let e = yaml(&format!("{BASE}    outputs:\n      Out: Api.url\n"));
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:12:7: stacks.Web.outputs.Out: a service has no output attribute "url"; use one of: name, arn"#);
}

#[test]
fn rejects_an_output_of_an_unknown_construct() {
    let e = yaml(&format!("{BASE}    outputs:\n      Out: Ap.name\n"));
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:12:7: stacks.Web.outputs.Out: no construct "Ap" in this stack; name the id of its vpc, cluster, or an entry of services, load_balanced_services, queue_processing_services or scheduled_tasks"#);
}

#[test]
fn rejects_a_schedule_that_is_not_an_expression() {
    let text = format!(
        "{BASE}    scheduled_tasks:\n      Job:\n        container: {{ image: busybox }}\n        schedule: every night\n"
    );
    insta::assert_snapshot!(yaml(&text), @r#"ecscdk.yaml:14:9: stacks.Web.scheduled_tasks.Job.schedule: "every night" is not a schedule; write `cron(minutes hours day-of-month month day-of-week year)`, `rate(N minutes|hours|days)` or `at(yyyy-mm-ddThh:mm:ss)`"#);
}

#[test]
fn rejects_allow_from_an_unknown_service() {
    let text = BASE.replace(
        "        task:\n",
        "        allow_from: [{ service: Front, port: 80 }]\n        task:\n",
    );
    insta::assert_snapshot!(yaml(&text), @r#"ecscdk.yaml:7:24: stacks.Web.services.Api.allow_from[0].service: no service "Front" in the `services` of this stack (known: Api)"#);
}

#[test]
fn rejects_an_unknown_field_in_toml_at_its_line() {
    let e = error(
        Format::Toml,
        "[stacks.Web.vpc]\nmax_azs = 2\n\n[stacks.Web.cluster]\nnmae = \"x\"\n",
    );
    assert!(e.place().unwrap().location.is_some(), "{e}");
    insta::assert_snapshot!(e, @"ecscdk.yaml:5:1: stacks.Web.cluster.nmae: unknown field `nmae`, expected one of `id`, `name`, `container_insights`, `fargate_capacity_providers`, `default_cloud_map_namespace`, `runtime_monitoring`");
}

#[test]
fn rejects_a_missing_task_definition_in_toml_at_its_line() {
    let e = error(
        Format::Toml,
        "[stacks.Web.vpc]\n[stacks.Web.cluster]\n[stacks.Web.services.Api]\ntask_definition = \"Nope\"\n",
    );
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:4:1: stacks.Web.services.Api.task_definition: no task definition "Nope" in this stack; define it under `task_definitions`"#);
}

#[test]
fn rejects_json_that_is_not_well_formed() {
    let e = error(Format::Json, "{\n  \"stacks\": {\n    \"Web\": {,}\n  }\n}");
    assert!(e.place().unwrap().location.is_some(), "{e}");
    insta::assert_snapshot!(e, @"ecscdk.yaml:3:13: stacks.Web: key must be a string");
}

#[test]
fn rejects_an_unknown_field_in_json_at_its_line() {
    let e = error(
        Format::Json,
        "{\n  \"stacks\": {\n    \"Web\": {\"vcp\": {}}\n  }\n}",
    );
    // The list of known fields grows with the model: check its start.
    let text = e.to_string();
    assert!(
        text.starts_with("ecscdk.yaml:3:17: stacks.Web.vcp: unknown field `vcp`, expected one of `environment`, `description`"),
        "{text}"
    );
}

#[test]
fn rejects_text_after_a_json_manifest() {
    let e = error(Format::Json, "{\"stacks\": {}} {}");
    insta::assert_snapshot!(e, @"ecscdk.yaml:1:16: (document): text after the manifest's closing brace; remove it");
}

#[test]
fn rejects_vpc_from_a_stack_that_is_not_before_this_one() {
    let text = "stacks:\n  Svc:\n    vpc_from: Net\n    cluster: {}\n  Net:\n    vpc: {}\n";
    insta::assert_snapshot!(yaml(text), @r#"ecscdk.yaml:3:5: stacks.Svc.vpc_from: no stack "Net" before this one; a stack can use what the stacks listed above it built"#);
}

#[test]
fn rejects_a_vpc_and_vpc_from_together() {
    let text = "stacks:\n  Net:\n    vpc: {}\n  Svc:\n    vpc: {}\n    vpc_from: Net\n";
    insta::assert_snapshot!(yaml(text), @"ecscdk.yaml:6:5: stacks.Svc.vpc_from: give `vpc` (this stack's own) or `vpc_from` (another stack's), not both");
}

#[test]
fn rejects_cluster_from_a_stack_without_a_cluster() {
    let text = "stacks:\n  Net:\n    vpc: {}\n  Svc:\n    cluster_from: Net\n";
    insta::assert_snapshot!(yaml(text), @r#"ecscdk.yaml:5:5: stacks.Svc.cluster_from: stack "Net" has no `cluster`; add one to it or name the stack that has it"#);
}

#[test]
fn rejects_a_tcp_health_check_with_a_path() {
    let text = format!(
        "{BASE}    network_load_balanced_services:\n      Tcp:\n        container: {{ image: nginx, ports: [{{ port: 80 }}] }}\n        health_check: {{ protocol: tcp, path: /health }}\n"
    );
    insta::assert_snapshot!(yaml(&text), @"ecscdk.yaml:14:40: stacks.Web.network_load_balanced_services.Tcp.health_check.path: a TCP health check has no path; remove `path`, or use `protocol: http`");
}

#[test]
fn rejects_an_alarm_on_an_unknown_metric() {
    let text =
        format!("{BASE}    alarms:\n      Hot:\n        metric: Api.cpu\n        threshold: 90\n");
    insta::assert_snapshot!(yaml(&text), @r#"ecscdk.yaml:13:9: stacks.Web.alarms.Hot.metric: "Api" has no metric "cpu"; services have cpu_utilization, memory_utilization, running_task_count, desired_task_count and pending_task_count, load-balanced services also target_5xx_count and elb_5xx_count, queue services oldest_message_age and visible_messages"#);
}

#[test]
fn rejects_an_alarm_notifying_an_unknown_topic() {
    let text = format!(
        "{BASE}    alarms:\n      Hot:\n        metric: Api.cpu_utilization\n        threshold: 90\n        alarm_topic: Pager\n"
    );
    insta::assert_snapshot!(yaml(&text), @r#"ecscdk.yaml:15:9: stacks.Web.alarms.Hot.alarm_topic: no topic "Pager" in this stack; define it under `topics`"#);
}

#[test]
fn rejects_rollback_without_a_service_to_watch() {
    let text = format!(
        "{BASE}    alarms:\n      Hot:\n        metric: Api.cpu_utilization\n        threshold: 90\n        rollback: true\n"
    );
    insta::assert_snapshot!(yaml(&text), @"ecscdk.yaml:15:9: stacks.Web.alarms.Hot.rollback: `rollback` goes with `deployment_alarm_of: SERVICE`; add it, or remove `rollback`");
}

#[test]
fn rejects_a_canary_without_its_percent() {
    let text = format!(
        "{BASE}    load_balanced_services:\n      Web:\n        container: {{ image: nginx, ports: [{{ port: 80 }}] }}\n        deployment_strategy: {{ type: canary, bake: 5m }}\n"
    );
    insta::assert_snapshot!(yaml(&text), @"ecscdk.yaml:14:9: stacks.Web.load_balanced_services.Web.deployment_strategy: linear and canary deployments need `percent` and `bake`, such as `{ type: canary, percent: 10, bake: 5m }`");
}

#[test]
fn rejects_a_dashboard_row_of_text_and_a_service() {
    let text = format!(
        "{BASE}    dashboards:\n      Board:\n        rows:\n          - {{ markdown: hi, service: Api }}\n"
    );
    insta::assert_snapshot!(yaml(&text), @"ecscdk.yaml:14:13: stacks.Web.dashboards.Board.rows[0]: a row is `markdown: TEXT` or `service: ID`; give one of them");
}

#[test]
fn a_builder_error_of_a_deployment_keeps_its_construct_path() {
    let text = format!(
        "{BASE}    load_balanced_services:\n      Web:\n        container: {{ image: nginx, ports: [{{ port: 80 }}] }}\n        deployment_strategy: {{ type: canary, percent: 150, bake: 5m }}\n"
    );
    let e = yaml(&text);
    assert!(e.contains("[Web/Web"), "{e}");
    insta::assert_snapshot!(e, @"ecscdk.yaml:12:7: stacks.Web.load_balanced_services.Web: [Web/Web/Service] deployment_strategy: canary percent 150 is outside 0.1 to 100");
}

#[test]
fn rejects_an_ec2_service_on_an_unknown_provider() {
    let text = format!(
        "{BASE}    auto_scaling_groups:\n      Asg: {{ instance_type: t3.small }}\n    ec2_services:\n      Daemon:\n        task:\n          network_mode: bridge\n          containers:\n            agent: {{ image: busybox, memory_limit_mib: 64 }}\n        capacity_provider_strategy: [{{ provider: Asg }}]\n"
    );
    insta::assert_snapshot!(yaml(&text), @r#"ecscdk.yaml:19:40: stacks.Web.ec2_services.Daemon.capacity_provider_strategy[0].provider: no Auto Scaling group provider "Asg" in this stack (known: AsgProvider)"#);
}

#[test]
fn rejects_an_auto_scaling_group_without_a_cluster() {
    let text = "stacks:\n  Web:\n    vpc: {}\n    auto_scaling_groups:\n      Asg: { instance_type: t3.small }\n";
    insta::assert_snapshot!(yaml(text), @"ecscdk.yaml:5:7: stacks.Web.auto_scaling_groups.Asg: an Auto Scaling group joins the stack's cluster in its VPC; add `cluster` (or `cluster_from`) and `vpc` (or `vpc_from`)");
}

#[test]
fn rejects_a_managed_instances_service_on_an_unknown_provider() {
    let text = format!(
        "{BASE}    managed_instances_services:\n      Mi:\n        task:\n          network_mode: awsvpc\n          containers:\n            web: {{ image: nginx }}\n        capacity_provider_strategy: [{{ provider: Nope }}]\n"
    );
    insta::assert_snapshot!(yaml(&text), @r#"ecscdk.yaml:17:40: stacks.Web.managed_instances_services.Mi.capacity_provider_strategy[0].provider: no Managed Instances provider "Nope" in this stack"#);
}

#[test]
fn rejects_an_existing_vpc_with_a_range_of_its_own() {
    let text = "stacks:\n  Web:\n    vpc:\n      max_azs: 2\n      existing: { id: vpc-1, availability_zones: [us-east-1a], private_subnets: [subnet-1] }\n";
    insta::assert_snapshot!(yaml(text), @"ecscdk.yaml:5:7: stacks.Web.vpc.existing: an existing VPC has its own range, zones and NAT gateways; remove `cidr`, `max_azs` and `nat_gateways`, or `existing`");
}

#[test]
fn an_existing_vpcs_own_check_keeps_its_construct_path() {
    let text = "stacks:\n  Web:\n    vpc:\n      existing: { id: vpc-1, availability_zones: [us-east-1a, us-east-1b], private_subnets: [subnet-1] }\n";
    let e = yaml(text);
    assert!(e.contains("[Web/Vpc]"), "{e}");
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:4:7: stacks.Web.vpc.existing: [Web/Vpc] subnets: group "Private" has 1 subnet for 2 Availability Zones; give one subnet per zone (or several per zone, zone by zone)"#);
}

#[test]
fn rejects_an_attempt_period_ecs_does_not_accept_with_the_construct_path() {
    let e = error(
        Format::Yaml,
        &BASE.replace(
            "image: nginx",
            "image: nginx\n              restart_policy: { enabled: true, attempt_period: 30s }",
        ),
    );
    assert!(matches!(e, Error::Build { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("[Web/ApiTask/web]"), "{text}");
    insta::assert_snapshot!(text, @r#"ecscdk.yaml:7:9: stacks.Web.services.Api.task: [Web/ApiTask/web] restart_policy: an attempt period of 30s is not a whole number of seconds from 60 to 1800, the range ECS accepts"#);
}

#[test]
fn rejects_a_system_control_outside_the_containers_namespaces_with_the_construct_path() {
    let e = error(
        Format::Yaml,
        &BASE.replace(
            "image: nginx",
            "image: nginx\n              system_controls: [{ namespace: vm.swappiness, value: \"10\" }]",
        ),
    );
    assert!(matches!(e, Error::Build { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("[Web/ApiTask/web]"), "{text}");
    insta::assert_snapshot!(text, @r#"ecscdk.yaml:7:9: stacks.Web.services.Api.task: [Web/ApiTask/web] system_control: "vm.swappiness" is not a kernel parameter of the container's own IPC or network namespace, the only ones ECS sets (its `SystemControl` reference lists them); use an IPC one (`kernel.msgmax`, `kernel.msgmnb`, `kernel.msgmni`, `kernel.sem`, `kernel.shmall`, `kernel.shmmax`, `kernel.shmmni`, `kernel.shm_rmid_forced`, `fs.mqueue.*`) or a network one (`net.*`), or set it on the instance"#);
}

#[test]
fn rejects_a_restart_policy_on_a_platform_version_without_restarts() {
    let text = format!(
        "{}        platform_version: \"1.3.0\"\n",
        BASE.replace(
            "image: nginx",
            "image: nginx\n              restart_policy: { enabled: true }",
        )
    );
    let e = error(Format::Yaml, &text);
    assert!(matches!(e, Error::Build { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("[Web/Api]"), "{text}");
    insta::assert_snapshot!(text, @"ecscdk.yaml:6:7: stacks.Web.services.Api: [Web/Api] `restart_policy` conflicts with `platform_version`: ECS restarts containers on Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`");
}

#[test]
fn rejects_an_unknown_field_of_a_restart_policy() {
    let e = yaml(&BASE.replace(
        "image: nginx",
        "image: nginx\n              restart_policy: { enabled: true, ignore_exit_codes: [0] }",
    ));
    insta::assert_snapshot!(e, @r#"ecscdk.yaml:11:48: stacks.Web.services.Api.task.containers.web.restart_policy.ignore_exit_codes: unknown field `ignore_exit_codes`, expected one of `enabled`, `ignored_exit_codes`, `attempt_period`"#);
}
