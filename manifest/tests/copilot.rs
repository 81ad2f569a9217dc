//! The Copilot importer: the fixture workspaces (`tests/data/copilot/ws1`,
//! `ws2`) convert to the manifests pinned in `tests/data/copilot/snapshots`,
//! every import lowers and synthesizes, per-environment overrides are
//! merged as Copilot merges them, unconverted fields are notes with a
//! reason, and a bad Copilot manifest is an error naming its file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::{Path, PathBuf};

use ecscdk_manifest::Format;
use ecscdk_manifest::copilot::{Import, Note, import};
use ecscdk_manifest::model::{
    BuildPlatform, CapacityEntry, ComparisonSpec, ContainerInsights, CpuArchitectureSpec,
    FargateProvider, NamespaceKind, SubnetKind,
};

fn workspace(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/copilot")
        .join(name)
}

fn imported(name: &str) -> Import {
    import(&workspace(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/copilot/snapshots"),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// The notes of one file (relative to the workspace) and field.
fn notes<'a>(import: &'a Import, file: &str, field: &str) -> Vec<&'a Note> {
    import
        .notes
        .iter()
        .filter(|n| n.file == Path::new(file) && n.field == field)
        .collect()
}

fn has_note(import: &Import, file: &str, field: &str, env: Option<&str>, reason_part: &str) {
    let found = notes(import, file, field);
    assert!(
        found
            .iter()
            .any(|n| n.environment.as_deref() == env && n.reason.contains(reason_part)),
        "no note {file}: {field} ({env:?}) containing {reason_part:?}; notes:\n{}",
        import.report()
    );
}

#[test]
fn ws1_manifest_and_notes_match_the_snapshots() {
    let import = imported("ws1");
    let yaml = serde_norway::to_string(&import.manifest).unwrap();
    snapshot("ws1_manifest", &yaml);
    snapshot("ws1_notes", &import.report());
}

#[test]
fn ws2_manifest_and_notes_match_the_snapshots() {
    let import = imported("ws2");
    let yaml = serde_norway::to_string(&import.manifest).unwrap();
    snapshot("ws2_manifest", &yaml);
    snapshot("ws2_notes", &import.report());
}

#[test]
fn every_import_lowers_and_synthesizes() {
    for name in ["ws1", "ws2"] {
        let import = imported(name);
        // Straight from the model …
        let text = serde_norway::to_string(&import.manifest).unwrap();
        let source = ecscdk_manifest::lower::Source {
            file: "ecscdk.yaml",
            text: &text,
            format: Format::Yaml,
            base_dir: &workspace(name),
        };
        let app = ecscdk_manifest::lower::lower(&import.manifest, &source)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let assembly = app.synth().unwrap_or_else(|e| panic!("{name}: {e}"));
        let stacks: Vec<&str> = assembly
            .stacks()
            .iter()
            .map(|s| s.stack_name.as_str())
            .collect();
        let expected: Vec<String> = import.manifest.stacks.keys().cloned().collect();
        assert_eq!(stacks, expected, "{name}");
        // … and through its YAML, as the file written next to `copilot/`.
        let app =
            ecscdk_manifest::app_from_str(&text, Format::Yaml, "ecscdk.yaml", &workspace(name))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        app.synth().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn ws1_stacks_are_one_per_environment() {
    let import = imported("ws1");
    let names: Vec<&str> = import.manifest.stacks.keys().map(String::as_str).collect();
    assert_eq!(names, ["shopfront-prod", "shopfront-test"]);
    assert!(import.manifest.environments.is_empty());
    let prod = &import.manifest.stacks["shopfront-prod"];
    let test = &import.manifest.stacks["shopfront-test"];
    assert_eq!(prod.environment, None);
    assert_eq!(
        test.vpc.as_ref().unwrap().cidr.as_deref(),
        Some("10.20.0.0/16")
    );
    assert_eq!(test.vpc.as_ref().unwrap().max_azs, Some(2));
    assert_eq!(prod.vpc.as_ref().unwrap().cidr, None);
    let cluster = |s: &ecscdk_manifest::model::StackSpec| s.cluster.clone().unwrap();
    assert_eq!(
        cluster(prod).container_insights,
        Some(ContainerInsights::Enabled)
    );
    assert_eq!(
        cluster(test).container_insights,
        Some(ContainerInsights::Disabled)
    );
    let namespace = cluster(prod).default_cloud_map_namespace.unwrap();
    assert_eq!(namespace.name, "prod.shopfront.local");
    assert_eq!(namespace.kind, Some(NamespaceKind::PrivateDns));
    // api's spot_from cannot be expressed, and no other prod workload uses Spot.
    assert!(!cluster(prod).fargate_capacity_providers);
}

#[test]
fn load_balanced_web_service_converts_with_its_overrides() {
    let import = imported("ws1");
    let prod = &import.manifest.stacks["shopfront-prod"].load_balanced_services["Api"];
    let test = &import.manifest.stacks["shopfront-test"].load_balanced_services["Api"];
    assert_eq!(prod.container_name.as_deref(), Some("api"));
    let build = prod.container.build.as_ref().unwrap();
    assert_eq!(build.context, "services/api");
    assert_eq!(build.dockerfile, None);
    assert_eq!(build.target.as_deref(), Some("runtime"));
    assert_eq!(build.args["GO_VERSION"], "1.22");
    assert_eq!(prod.container.ports[0].port, 8080);
    // Overrides: cpu/memory, count 1 drops the autoscaling map, range map.
    assert_eq!((prod.cpu, prod.memory_mib), (Some(1024), Some(2048)));
    assert_eq!((test.cpu, test.memory_mib), (Some(256), Some(512)));
    assert_eq!(test.desired_count, Some(1));
    assert_eq!(test.auto_scaling, None);
    let scaling = prod.auto_scaling.as_ref().unwrap();
    assert_eq!((scaling.min, scaling.max), (3, 12));
    assert_eq!(scaling.cpu_percent, Some(55.0));
    assert_eq!(prod.desired_count, None);
    // variables: LOG_LEVEL replaced in prod, the rest kept.
    assert_eq!(prod.container.environment["LOG_LEVEL"], "warn");
    assert_eq!(test.container.environment["LOG_LEVEL"], "info");
    assert_eq!(
        prod.container.environment["INVENTORY_URL"],
        "http://inventory:9000"
    );
    assert_eq!(
        prod.container.environment["COPILOT_ENVIRONMENT_NAME"],
        "prod"
    );
    // Interpolated SSM name.
    assert_eq!(
        test.container.secrets["DB_PASSWORD"]
            .ssm_parameter
            .as_deref(),
        Some("/copilot/shopfront/test/secrets/api_db_password")
    );
    let check = prod.health_check.as_ref().unwrap();
    assert_eq!(check.path.as_deref(), Some("/api/readyz"));
    assert_eq!(check.success_codes.as_deref(), Some("200,204"));
    assert_eq!(
        (check.healthy_threshold, check.unhealthy_threshold),
        (Some(3), Some(4))
    );
    assert_eq!(check.interval.unwrap().to_string(), "20s");
    assert_eq!(check.timeout.unwrap().to_string(), "6s");
    assert_eq!(prod.deregistration_delay.unwrap().to_string(), "15s");
    let container_check = prod.container.health_check.as_ref().unwrap();
    assert_eq!(
        container_check.command,
        "wget -qO- http://localhost:8080/livez || exit 1"
    );
    assert_eq!(container_check.retries, Some(3));
    assert_eq!(
        prod.container.logging.as_ref().unwrap().retention_days,
        Some(14)
    );
    assert!(prod.enable_execute_command);
    assert!(
        prod.certificate_arn
            .as_deref()
            .unwrap()
            .starts_with("arn:aws:acm:eu-west-1:")
    );
    assert_eq!(test.certificate_arn, None);
    assert_eq!(prod.container.read_only_root_filesystem, Some(false));
}

#[test]
fn backend_service_converts_with_its_task_and_service_connect() {
    let import = imported("ws1");
    let prod = &import.manifest.stacks["shopfront-prod"].services["Backend"];
    let test = &import.manifest.stacks["shopfront-test"].services["Backend"];
    assert_eq!((prod.desired_count, test.desired_count), (Some(3), Some(1)));
    let (prod_task, test_task) = (prod.task.as_ref().unwrap(), test.task.as_ref().unwrap());
    assert_eq!(
        (prod_task.memory_mib, test_task.memory_mib),
        (Some(1024), Some(512))
    );
    let names: Vec<&str> = prod_task.containers.keys().map(String::as_str).collect();
    assert_eq!(names, ["backend", "otel"]);
    let main = &prod_task.containers["backend"];
    assert_eq!(main.entry_point.as_deref().unwrap(), ["/app/inventory"]);
    assert_eq!(
        main.command.as_deref().unwrap(),
        ["serve", "--listen", ":9000", "--log-format", "json"]
    );
    let check = main.health_check.as_ref().unwrap();
    assert_eq!(check.command, "/app/healthcheck --port 9000");
    assert_eq!(check.interval.unwrap().to_string(), "10s");
    assert_eq!(check.retries, Some(2));
    assert_eq!(check.start_period.unwrap().to_string(), "30s");
    assert_eq!(main.read_only_root_filesystem, Some(true));
    assert_eq!(main.mounts[0].path, "/var/cache/inventory");
    assert!(!main.mounts[0].read_only);
    assert_eq!(main.ports[0].name.as_deref(), Some("target"));
    assert_eq!(prod_task.containers["otel"].essential, Some(false));
    assert!(prod.enable_execute_command);
    // Explicit private placement: private subnets, no public IP.
    assert_eq!(prod.subnets, Some(SubnetKind::Private));
    assert!(!prod.assign_public_ip);
    // `platform: {osfamily: linux, architecture: arm64}` and
    // `storage.ephemeral` go to the task.
    assert_eq!(prod_task.cpu_architecture, Some(CpuArchitectureSpec::Arm64));
    assert_eq!(
        (
            prod_task.ephemeral_storage_gib,
            test_task.ephemeral_storage_gib
        ),
        (Some(30), Some(30))
    );
    // Copilot's service discovery name, beside Service Connect's
    // `backend-sc`, in the namespace `<env>.shopfront.local`.
    let cloud_map = prod.cloud_map.as_ref().unwrap();
    assert_eq!(cloud_map.name, "backend");
    assert_eq!(cloud_map.dns_ttl.unwrap().to_string(), "10s");
    // Rollback alarms: Copilot's thresholds, comparison and 2 of 3.
    let alarms = &import.manifest.stacks["shopfront-prod"].alarms;
    let cpu = &alarms["BackendCpuRollbackAlarm"];
    assert_eq!(cpu.metric, "Backend.cpu_utilization");
    assert_eq!(cpu.threshold, 70.0);
    assert_eq!(cpu.comparison, Some(ComparisonSpec::GreaterThanOrEqual));
    assert_eq!(
        (cpu.evaluation_periods, cpu.datapoints_to_alarm),
        (Some(3), Some(2))
    );
    assert_eq!(cpu.deployment_alarm_of.as_deref(), Some("Backend"));
    assert_eq!(cpu.rollback, Some(true));
    assert_eq!(alarms["BackendMemoryRollbackAlarm"].threshold, 80.5);
    assert_eq!(
        alarms["BackendMemoryRollbackAlarm"].metric,
        "Backend.memory_utilization"
    );
    let port = &prod.service_connect.as_ref().unwrap().ports[0];
    assert_eq!(port.port_name, "target");
    assert_eq!(port.discovery_name.as_deref(), Some("backend-sc"));
    assert_eq!(port.dns_name.as_deref(), Some("inventory"));
    assert_eq!(port.client_port, Some(9000));
    assert!(
        main.secrets["DATABASE_URL"]
            .ssm_parameter
            .as_deref()
            .unwrap()
            .starts_with("arn:aws:ssm:")
    );
}

#[test]
fn worker_service_converts_to_a_queue_processing_service() {
    let import = imported("ws1");
    let prod = &import.manifest.stacks["shopfront-prod"].queue_processing_services["Worker"];
    let test = &import.manifest.stacks["shopfront-test"].queue_processing_services["Worker"];
    assert_eq!(prod.container_name.as_deref(), Some("worker"));
    assert_eq!(
        prod.container.build.as_ref().unwrap().context,
        "services/worker"
    );
    assert_eq!(
        (prod.capacity, test.capacity),
        (Some([2, 10]), Some([1, 5]))
    );
    assert_eq!(
        (prod.max_receive_count, test.max_receive_count),
        (Some(8), Some(5))
    );
    assert_eq!(prod.retention_period.unwrap().to_string(), "72h");
    assert_eq!(prod.visibility_timeout.unwrap().to_string(), "2m");
    assert_eq!((prod.cpu, prod.memory_mib), (Some(512), Some(1024)));
    assert_eq!(prod.subnets, Some(SubnetKind::Private));
    assert!(!prod.assign_public_ip);
    assert_eq!(
        prod.container.build.as_ref().unwrap().platform,
        Some(BuildPlatform::LinuxArm64)
    );
    assert_eq!(
        import.manifest.stacks["shopfront-prod"].outputs["WorkerQueueUrl"],
        "Worker.queue_url"
    );
    let alarm = &import.manifest.stacks["shopfront-prod"].alarms["WorkerMemoryRollbackAlarm"];
    assert_eq!(
        (alarm.metric.as_str(), alarm.threshold),
        ("Worker.memory_utilization", 85.0)
    );
    assert_eq!(alarm.deployment_alarm_of.as_deref(), Some("Worker"));
}

#[test]
fn scheduled_job_converts_its_schedule_as_copilot() {
    let import = imported("ws1");
    let prod = &import.manifest.stacks["shopfront-prod"].scheduled_tasks["Report"];
    let test = &import.manifest.stacks["shopfront-test"].scheduled_tasks["Report"];
    assert_eq!(prod.schedule, "cron(30 2 ? * 2-6 *)");
    assert_eq!(test.schedule, "cron(0 0 ? * 1 *)");
    assert_eq!(
        (prod.retry_attempts, test.retry_attempts),
        (Some(2), Some(0))
    );
    assert_eq!((prod.cpu, test.cpu), (Some(1024), Some(512)));
    assert_eq!(prod.subnets, Some(SubnetKind::Private));
    let build = prod.container.build.as_ref().unwrap();
    assert_eq!(build.context, ".");
    assert_eq!(build.dockerfile.as_deref(), Some("jobs/report/Dockerfile"));
    assert_eq!(
        prod.container.environment["REPORT_BUCKET"],
        "shopfront-prod-reports"
    );

    let ws2 = imported("ws2");
    let dev = &ws2.manifest.stacks["ledger-dev"].scheduled_tasks["Cleanup"];
    let staging = &ws2.manifest.stacks["ledger-staging"].scheduled_tasks["Cleanup"];
    assert_eq!(
        (dev.schedule.as_str(), dev.enabled),
        ("rate(90 minutes)", None)
    );
    assert_eq!(staging.enabled, Some(false));
    assert_eq!(
        dev.container.entry_point.as_deref().unwrap(),
        ["/bin/sh", "-c"]
    );
}

#[test]
fn ws1_notes_name_what_is_not_converted() {
    let import = imported("ws1");
    let api = "copilot/api/manifest.yml";
    has_note(&import, api, "http.path", None, "\"/api\"");
    has_note(
        &import,
        api,
        "count.requests",
        Some("prod"),
        "on_request_count",
    );
    has_note(
        &import,
        api,
        "count.response_time",
        Some("prod"),
        "response time",
    );
    has_note(
        &import,
        api,
        "count.range.spot_from",
        Some("prod"),
        "capacity provider",
    );
    has_note(&import, api, "http.alias", Some("prod"), "domain_name");
    has_note(&import, api, "secrets.PAYMENTS_API_KEY", None, "full ARN");
    has_note(
        &import,
        api,
        "variables.ORDERS_TABLE_NAME",
        None,
        "from_cfn",
    );
    has_note(&import, api, "publish", None, "SNS");
    has_note(&import, api, "network.connect", None, "Service Connect");
    has_note(
        &import,
        api,
        "http.healthcheck.grace_period",
        None,
        "health_check_grace_period",
    );
    has_note(
        &import,
        api,
        "network.vpc.placement",
        None,
        "set `subnets: public` and `assign_public_ip: true`",
    );
    has_note(
        &import,
        api,
        "deployment.rollback_alarms",
        None,
        "by name (shopfront-api-5xx-errors, shopfront-api-p99-latency)",
    );
    let backend = "copilot/backend/manifest.yml";
    // Converted: no note.
    assert!(notes(&import, backend, "storage.ephemeral").is_empty());
    assert!(notes(&import, backend, "platform").is_empty());
    assert!(notes(&import, backend, "network.vpc.placement").is_empty());
    has_note(
        &import,
        backend,
        "(implicit) service discovery",
        None,
        "converted to `cloud_map: { name: backend }`",
    );
    has_note(
        &import,
        backend,
        "deployment.rollback_alarms",
        None,
        "BackendCpuRollbackAlarm, BackendMemoryRollbackAlarm",
    );
    has_note(
        &import,
        backend,
        "image.healthcheck.command",
        None,
        "CMD-SHELL",
    );
    let worker = "copilot/worker/manifest.yml";
    has_note(
        &import,
        worker,
        "subscribe.topics",
        None,
        "shopfront-<env>-api-orders",
    );
    has_note(&import, worker, "count.queue_delay", None, "scaling_steps");
    has_note(
        &import,
        worker,
        "platform",
        None,
        "built for linux/arm64, does not start",
    );
    has_note(
        &import,
        worker,
        "deployment.rollback_alarms.messages_delayed",
        None,
        "ApproximateNumberOfMessagesDelayed",
    );
    assert!(notes(&import, worker, "network.vpc.placement").is_empty());
    has_note(
        &import,
        worker,
        "subscribe.queue.delay",
        None,
        "delivery_delay",
    );
    let report = "copilot/report/manifest.yml";
    has_note(&import, report, "timeout", None, "run time limit");
    has_note(&import, report, "retries", None, "retry_attempts");
    has_note(
        &import,
        report,
        "storage.ephemeral",
        None,
        "Fargate's 20 GiB, not 60 GiB",
    );
    let prod = "copilot/environments/prod/manifest.yml";
    has_note(
        &import,
        prod,
        "network.vpc.id",
        None,
        "`vpc: { existing: { id: vpc-0c4f19a7e2d83b561, availability_zones: [ZONE_1, ZONE_2], public_subnets: [subnet-07a1e5c2b9f3d4410, subnet-07a1e5c2b9f3d4411], private_subnets: [subnet-0d92b6f4a8c1e7720, subnet-0d92b6f4a8c1e7721] } }`",
    );
    has_note(&import, prod, "(account and Region)", None, "environments:");
    let test = "copilot/environments/test/manifest.yml";
    has_note(&import, test, "network.vpc.subnets", None, "zone_subnet");
    // A field converted in every environment is no note.
    assert!(notes(&import, api, "cpu").is_empty());
    // The report groups by file: `file: field (env): reason`.
    let report_text = import.report();
    assert!(
        report_text.contains(
            "copilot/api/manifest.yml: count.requests (prod): scaling on requests per task"
        )
    );
}

#[test]
fn ws2_skips_unsupported_workloads_and_converts_spot_and_secrets() {
    let import = imported("ws2");
    has_note(
        &import,
        "copilot/fe/manifest.yml",
        "type",
        None,
        "Request-Driven Web Service",
    );
    has_note(
        &import,
        "copilot/site/manifest.yml",
        "type",
        None,
        "Static Site",
    );
    has_note(
        &import,
        "copilot/cache/manifest.yml",
        "http",
        None,
        "internal load balancer",
    );
    assert_eq!(
        notes(&import, "copilot/cache/manifest.yml", "image"),
        Vec::<&Note>::new()
    );
    has_note(
        &import,
        "copilot/web/addons",
        "addons/",
        None,
        "nested stacks",
    );
    has_note(
        &import,
        "copilot/web/manifest.yml",
        "environments.qa",
        None,
        "not used",
    );
    has_note(
        &import,
        "copilot/web/manifest.yml",
        "image.location",
        None,
        "${VAR}",
    );
    has_note(
        &import,
        "copilot/web/manifest.yml",
        "sidecars.shipper",
        None,
        "sidecar skipped",
    );
    has_note(
        &import,
        "copilot/web/manifest.yml",
        "storage.volumes.uploads.efs",
        None,
        "efs_file_system",
    );
    has_note(
        &import,
        "copilot/web/manifest.yml",
        "platform",
        None,
        "only if it has a linux/amd64 variant",
    );
    has_note(
        &import,
        "copilot/web/manifest.yml",
        "network.vpc.placement (default public)",
        None,
        "`subnets: public` and `assign_public_ip: true` on the `load_balanced_services` entry Web",
    );
    has_note(
        &import,
        "copilot/environments/dev/manifest.yml",
        "tracing_beta",
        None,
        "not converted",
    );

    for stack in import.manifest.stacks.values() {
        assert!(!stack.services.contains_key("Cache"));
        assert_eq!(stack.services.len() + stack.load_balanced_services.len(), 2);
    }
    let dev = &import.manifest.stacks["ledger-dev"];
    let staging = &import.manifest.stacks["ledger-staging"];
    // web: spot 2 in dev (desired count, no strategy in the model), range in staging.
    let web_dev = &dev.load_balanced_services["Web"];
    let web_staging = &staging.load_balanced_services["Web"];
    assert_eq!(web_dev.desired_count, Some(2));
    let scaling = web_staging.auto_scaling.as_ref().unwrap();
    assert_eq!(
        (
            scaling.min,
            scaling.max,
            scaling.cpu_percent,
            scaling.memory_percent
        ),
        (1, 4, Some(60.0), Some(80.0))
    );
    assert_eq!(
        web_dev.container.command.as_deref().unwrap(),
        ["nginx", "-g", "daemon off;"]
    );
    assert_eq!(
        (web_dev.min_healthy_percent, web_dev.max_percent),
        (Some(0), Some(100))
    );
    assert_eq!(
        web_dev.health_check.as_ref().unwrap().path.as_deref(),
        Some("/healthz")
    );
    assert_eq!(web_dev.deregistration_delay.unwrap().to_string(), "1m");
    assert_eq!(web_staging.redirect_http, Some(false));
    let secret = &web_dev.container.secrets["SIGNING_KEY"];
    assert_eq!(
        secret.secrets_manager.as_deref(),
        Some("arn:aws:secretsmanager:us-west-2:111122223333:secret:ledger/signing-AbCdEf")
    );
    assert_eq!(secret.json_key.as_deref(), Some("key"));
    assert_eq!(web_dev.volumes.len(), 1);
    assert_eq!(
        web_dev.volumes[0].efs_file_system.as_deref(),
        Some("fs-0123456789abcdef0")
    );
    assert_eq!(
        web_dev.container.build, None,
        "an image by location has no build"
    );
    // audit-log: a PascalCase id, spot_from, public placement, client+server Service Connect.
    let audit = &staging.services["AuditLog"];
    assert_eq!(
        audit.capacity_provider_strategy,
        [
            CapacityEntry {
                provider: FargateProvider::FargateSpot,
                base: None,
                weight: None
            },
            CapacityEntry {
                provider: FargateProvider::Fargate,
                base: Some(2),
                weight: Some(0)
            },
        ]
    );
    assert_eq!(audit.subnets, Some(SubnetKind::Public));
    assert!(audit.assign_public_ip);
    // `platform: linux/arm64`; `storage.ephemeral: 20` is Fargate's default.
    let audit_task = audit.task.as_ref().unwrap();
    assert_eq!(
        audit_task.cpu_architecture,
        Some(CpuArchitectureSpec::Arm64)
    );
    assert_eq!(audit_task.ephemeral_storage_gib, None);
    assert_eq!(audit.cloud_map.as_ref().unwrap().name, "audit-log");
    // web's CPU rollback alarm, in each environment.
    for stack in [dev, staging] {
        let alarm = &stack.alarms["WebCpuRollbackAlarm"];
        assert_eq!(
            (alarm.metric.as_str(), alarm.threshold),
            ("Web.cpu_utilization", 75.0)
        );
        assert_eq!(alarm.deployment_alarm_of.as_deref(), Some("Web"));
    }
    // Explicit private placement of a job: private subnets.
    assert_eq!(
        dev.scheduled_tasks["Cleanup"].subnets,
        Some(SubnetKind::Private)
    );
    // Public placement (default or given) of the patterns stays private.
    assert_eq!(web_dev.subnets, None);
    assert!(!web_dev.assign_public_ip);
    assert_eq!(
        audit.service_connect.as_ref().unwrap().ports[0]
            .dns_name
            .as_deref(),
        Some("audit-log")
    );
    assert!(staging.cluster.as_ref().unwrap().fargate_capacity_providers);
    // ingest: count 2 fixed in dev, spot 3 in staging.
    let ingest_dev = &dev.queue_processing_services["Ingest"];
    let ingest_staging = &staging.queue_processing_services["Ingest"];
    assert_eq!(ingest_dev.capacity, Some([2, 2]));
    assert!(ingest_dev.capacity_provider_strategy.is_empty());
    assert_eq!(ingest_staging.capacity, Some([3, 3]));
    assert_eq!(ingest_staging.capacity_provider_strategy.len(), 1);
    assert!(ingest_dev.enable_execute_command);
    assert_eq!(staging.vpc.as_ref().unwrap().max_azs, Some(3));
    assert_eq!(
        staging.cluster.as_ref().unwrap().container_insights,
        Some(ContainerInsights::Enabled)
    );
}

/// A copy of ws1 with one file replaced.
fn broken(file: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workspace("ws1"), dir.path());
    std::fs::write(dir.path().join(file), text).unwrap();
    let message = match import(dir.path()) {
        Ok(_) => panic!("accepted {file}:\n{text}"),
        Err(e) => e.to_string(),
    };
    (dir, message)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_malformed_manifest_is_an_error_naming_its_file() {
    let cases = [
        (
            "copilot/api/manifest.yml",
            "name: api\ntype: [unclosed\n",
            "copilot/api/manifest.yml:3",
            "not a well-formed",
        ),
        (
            "copilot/api/manifest.yml",
            "name: web\ntype: Load Balanced Web Service\n",
            "copilot/api/manifest.yml",
            "name",
        ),
        (
            "copilot/backend/manifest.yml",
            "name: backend\ntype: Backend Service\nimage: {location: x, port: 80}\ncpu: lots\n",
            "copilot/backend/manifest.yml:4",
            "cpu",
        ),
        (
            "copilot/backend/manifest.yml",
            "name: backend\ntype: Backend Service\nimage: {location: x}\nenvironments:\n  prod:\n    memory: 333\n",
            "copilot/backend/manifest.yml:6",
            "environments.prod.memory",
        ),
        (
            "copilot/backend/manifest.yml",
            "name: backend\ntype: Backend Service\nimage: {location: x}\nstorage:\n  ephemeral: 500\n",
            "copilot/backend/manifest.yml:5",
            "20 to 200 GiB",
        ),
        (
            "copilot/backend/manifest.yml",
            "name: backend\ntype: Backend Service\nimage: {location: x}\ndeployment:\n  rollback_alarms:\n    cpu_utilization: high\n",
            "copilot/backend/manifest.yml:6",
            "cpu_utilization",
        ),
        (
            "copilot/report/manifest.yml",
            "name: report\ntype: Scheduled Job\nimage: {location: x}\n",
            "copilot/report/manifest.yml",
            "on.schedule",
        ),
        (
            "copilot/report/manifest.yml",
            "name: report\ntype: Scheduled Job\non: {schedule: '0 0 1 * 1'}\nimage: {location: x}\n",
            "copilot/report/manifest.yml:3",
            "day-of-month",
        ),
        (
            "copilot/worker/manifest.yml",
            "name: worker\ntype: Worker Service\n",
            "copilot/worker/manifest.yml",
            "image",
        ),
        (
            "copilot/worker/manifest.yml",
            "- just\n- a list\n",
            "copilot/worker/manifest.yml:1",
            "mapping",
        ),
        (
            "copilot/environments/test/manifest.yml",
            "name: test\ntype: Environment\nobservability: {container_insights: sometimes}\n",
            "copilot/environments/test/manifest.yml:3",
            "container_insights",
        ),
        (
            "copilot/.workspace",
            "app: shopfront\n",
            "copilot/.workspace",
            "application",
        ),
    ];
    for (file, text, place, words) in cases {
        let (_dir, message) = broken(file, text);
        assert!(
            message.contains(place),
            "{file}: {message:?} does not name {place:?}"
        );
        assert!(
            message.contains(words),
            "{file}: {message:?} does not say {words:?}"
        );
    }
    let missing = import(Path::new("/nonexistent/workspace"))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("copilot/.workspace"), "{missing}");
}
