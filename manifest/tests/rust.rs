//! A manifest written back as Rust (`ecscdk_manifest::rust`) is the same
//! app: every gallery manifest (`examples/src/*.yaml`) and
//! `tests/data/every_field.yaml` have their program committed in
//! `examples/src/generated/`, compiled with the examples, and their
//! templates are byte-equal to the manifest's.
//!
//! After a change to the emitter or a manifest, refresh the programs with
//! `ECSCDK_BLESS=1 cargo test -p ecscdk-manifest --test rust`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ecscdk_manifest::rust::{self, ManifestDir, Options};
use ecscdk_manifest::{Format, Manifest};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generated_dir() -> PathBuf {
    root().join("examples/src/generated")
}

/// Gallery manifests using what the emitter cannot write yet (see
/// `ecscdk_manifest::rust`): they must be refused, not written without it.
/// None today.
const NOT_YET: &[&str] = &[];

/// The objects and fields the emitter refuses; `every_field.yaml` leaves
/// them out. None today.
const NOT_YET_FIELDS: &[&str] = &[];

fn bless() -> bool {
    std::env::var_os("ECSCDK_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// A manifest with a program: its module name, its file, and its
/// directory relative to the examples crate, where the program is compiled.
struct Source {
    name: String,
    file: PathBuf,
    shown: String,
    dir: &'static str,
}

fn sources() -> Vec<Source> {
    let mut out: Vec<Source> = std::fs::read_dir(root().join("examples/src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| {
            !NOT_YET
                .iter()
                .any(|n| p.file_stem().is_some_and(|s| s == *n))
        })
        .map(|file| {
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            Source {
                shown: format!("examples/src/{name}.yaml"),
                name,
                file,
                dir: "src",
            }
        })
        .collect();
    // What `ecscdk import copilot --rust` writes compiles and builds the
    // imported manifest's app.
    out.push(Source {
        name: "copilot_ws1".into(),
        file: root().join("manifest/tests/data/copilot/ws1"),
        shown: "manifest/tests/data/copilot/ws1 (imported)".into(),
        dir: "../manifest/tests/data/copilot/ws1",
    });
    out.push(Source {
        name: "every_field".into(),
        file: root().join("manifest/tests/data/every_field.yaml"),
        shown: "manifest/tests/data/every_field.yaml".into(),
        dir: "../manifest/tests/data",
    });
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn read(file: &Path) -> Manifest {
    if file.is_dir() {
        return ecscdk_manifest::copilot::import(file)
            .unwrap_or_else(|e| panic!("{e}"))
            .manifest;
    }
    let text = std::fs::read_to_string(file).unwrap();
    ecscdk_manifest::read::parse(&text, Format::Yaml, &file.display().to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn module(source: &Source) -> String {
    let options = Options {
        manifest_dir: ManifestDir::CrateRelative(source.dir.into()),
        source: Some(source.shown.clone()),
    };
    let code = rust::to_rust_module(&read(&source.file), &options)
        .unwrap_or_else(|e| panic!("{}: {e}", source.shown));
    rust::rustfmt(&code).unwrap_or_else(|e| panic!("{}: {e}\n{code}", source.shown))
}

fn mod_rs(sources: &[Source]) -> String {
    let mut out = String::from(
        "//! The gallery's manifests (`examples/src/*.yaml`) and the manifest that\n\
         //! uses every field (`manifest/tests/data/every_field.yaml`) as Rust,\n\
         //! written by `ecscdk_manifest::rust::to_rust_module`.\n\
         //! `manifest/tests/rust.rs` checks that they are current and that they\n\
         //! synthesize the templates of their manifests; refresh them with\n\
         //! `ECSCDK_BLESS=1 cargo test -p ecscdk-manifest --test rust`.\n\n",
    );
    for s in sources {
        out.push_str(&format!("pub mod {};\n", s.name));
    }
    out.push_str(
        "\n/// Every generated app: its manifest's name and the function that builds\n\
         /// it.\n\
         pub const APPS: &[(&str, crate::BuildApp)] = &[\n",
    );
    for s in sources {
        out.push_str(&format!("    (\"{0}\", {0}::app),\n", s.name));
    }
    out.push_str("];\n");
    rust::rustfmt(&out).unwrap()
}

/// The committed programs are what the emitter writes today.
#[test]
fn generated_programs_are_current() {
    let sources = sources();
    let mut files: Vec<(PathBuf, String)> = sources
        .iter()
        .map(|s| (generated_dir().join(format!("{}.rs", s.name)), module(s)))
        .collect();
    files.push((generated_dir().join("mod.rs"), mod_rs(&sources)));
    let mut stale = Vec::new();
    for (file, text) in &files {
        let committed = std::fs::read_to_string(file).unwrap_or_default();
        if committed != *text {
            if bless() {
                std::fs::create_dir_all(generated_dir()).unwrap();
                std::fs::write(file, text).unwrap();
            } else {
                stale.push(file.display().to_string());
            }
        }
    }
    let expected: BTreeSet<String> = files
        .iter()
        .map(|(f, _)| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for entry in std::fs::read_dir(generated_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !expected.contains(&name) {
            if bless() {
                std::fs::remove_file(&path).unwrap();
            } else {
                stale.push(format!("{} (of no manifest)", path.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated programs: {stale:#?}\n\
         refresh them with `ECSCDK_BLESS=1 cargo test -p ecscdk-manifest --test rust`"
    );
}

/// Each generated program synthesizes its manifest's templates, byte for
/// byte.
#[test]
fn generated_programs_write_the_templates_of_their_manifests() {
    let sources = sources();
    let apps: Vec<&str> = ecscdk_examples::generated::APPS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        apps, names,
        "run `ECSCDK_BLESS=1 cargo test -p ecscdk-manifest --test rust`"
    );
    let context = root().join("examples/cdk.context.json");
    for ((name, build), source) in ecscdk_examples::generated::APPS.iter().zip(&sources) {
        let rust = build()
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .context_file(&context)
            .synth()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let manifest = if source.file.is_dir() {
            let lowered = ecscdk_manifest::lower::Source {
                file: &source.shown,
                text: "",
                format: Format::Yaml,
                base_dir: &source.file,
            };
            ecscdk_manifest::lower::lower(&read(&source.file), &lowered)
        } else {
            ecscdk_manifest::load_app(&source.file)
        };
        let manifest = manifest
            .unwrap_or_else(|e| panic!("{e}"))
            .synth()
            .unwrap_or_else(|e| panic!("{}: {e}", source.shown));
        let ids = |a: &ecscdk::synth::Assembly| -> Vec<String> {
            a.stacks().iter().map(|s| s.id.clone()).collect()
        };
        assert_eq!(ids(&rust), ids(&manifest), "{name}: the stacks differ");
        for (r, m) in rust.stacks().iter().zip(manifest.stacks()) {
            assert_eq!(r.dependencies, m.dependencies, "{name}/{}", r.id);
            assert!(
                r.template == m.template,
                "{}: stack {} differs from generated/{name}.rs's",
                source.shown,
                r.id
            );
        }
    }
}

/// `every_field.yaml` sets every property of every object of the JSON
/// Schema at least once.
#[test]
fn every_field_manifest_sets_every_field() {
    let schema: serde_json::Value = serde_json::from_str(&ecscdk_manifest::json_schema()).unwrap();
    let file = root().join("manifest/tests/data/every_field.yaml");
    let value: serde_json::Value =
        serde_norway::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let mut seen = BTreeSet::new();
    visit(&schema, &schema, "Manifest", &value, &mut seen);
    let mut missing = Vec::new();
    let defs = schema["$defs"].as_object().unwrap();
    let objects = std::iter::once(("Manifest", &schema))
        .chain(defs.iter().map(|(name, def)| (name.as_str(), def)));
    for (name, def) in objects.filter(|(name, _)| !NOT_YET_FIELDS.contains(name)) {
        for property in def["properties"].as_object().into_iter().flatten() {
            let key = format!("{name}.{}", property.0);
            if !seen.contains(&key) && !NOT_YET_FIELDS.contains(&key.as_str()) {
                missing.push(key);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "every_field.yaml sets none of {missing:?}"
    );
}

/// Marks `Type.field` for each field `value` sets, following `$ref`s,
/// `anyOf`s (options), maps and lists.
fn visit(
    root: &serde_json::Value,
    schema: &serde_json::Value,
    name: &str,
    value: &serde_json::Value,
    seen: &mut BTreeSet<String>,
) {
    if let Some(reference) = schema["$ref"].as_str() {
        let def = reference.trim_start_matches("#/$defs/");
        visit(root, &root["$defs"][def], def, value, seen);
        return;
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for option in schema[key].as_array().into_iter().flatten() {
            visit(root, option, name, value, seen);
        }
    }
    match value {
        serde_json::Value::Object(fields) => {
            if let Some(properties) = schema["properties"].as_object() {
                for (field, v) in fields {
                    if let Some(property) = properties.get(field) {
                        seen.insert(format!("{name}.{field}"));
                        visit(root, property, name, v, seen);
                    }
                }
            }
            if schema["additionalProperties"].is_object() {
                for v in fields.values() {
                    visit(root, &schema["additionalProperties"], name, v, seen);
                }
            }
        }
        serde_json::Value::Array(items) => {
            let item_schemas = schema["items"]
                .as_array()
                .cloned()
                .unwrap_or_else(|| vec![schema["items"].clone()]);
            for (i, v) in items.iter().enumerate() {
                let item = item_schemas.get(i).or(item_schemas.first()).unwrap();
                visit(root, item, name, v, seen);
            }
        }
        _ => {}
    }
}

/// What the emitter cannot write yet is refused with the field's path.
#[test]
fn what_cannot_be_written_yet_is_refused() {
    for name in NOT_YET {
        let file = root().join(format!("examples/src/{name}.yaml"));
        if !file.exists() {
            continue;
        }
        let manifest = read(&file);
        let message = rust::to_rust(&manifest).expect_err(name);
        assert!(message.contains("cannot write"), "{name}: {message}");
    }
}

/// The gallery's monitoring and deployment examples come out as their
/// hand-written programs do.
#[test]
fn monitoring_and_deployments_read_as_written_by_hand() {
    let code = |name: &str| {
        let manifest = read(&root().join(format!("examples/src/{name}.yaml")));
        rust::rustfmt(&rust::to_rust(&manifest).unwrap()).unwrap()
    };
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<String>()
            .replace(",)", ")")
            .replace(",]", "]")
    };
    let monitored = squash(&code("monitored"));
    for line in [
        "let guard_duty = RuntimeMonitoring::builder(\"GuardDuty\").build(&mut stack)?;",
        "stack.acknowledge_warning(guard_duty.node(), DETECTOR_WARNING);",
        "let alerts = Topic::builder(\"Alerts\").subscription(Subscription::Email(\"oncall@example.com\".to_owned())).build(&mut stack)?;",
        "let service_alarms = service.add_recommended_alarms(&mut stack, Some(alerts))?;",
        "Dashboard::builder(\"Dashboard\").row([TextWidget::new(\"# web\\nCPU, memory and tasks of the web service\").width(24)]).row(service.dashboard_widgets(service_alarms.all())).build(&mut stack)?;",
    ] {
        assert!(monitored.contains(&squash(line)), "{line}\n{monitored}");
    }
    let blue_green = squash(&code("blue_green"));
    for line in [
        ".deployment_strategy(DeploymentStrategy::canary(10.0, Duration::from_secs(300)))",
        ".bake_time(Duration::from_secs(600))",
        ".test_listener_port(8080)",
        ".lifecycle_hook(LifecycleHook::pause([LifecycleStage::PostTestTrafficShift]).timeout(Duration::from_secs(3600), HookTimeoutAction::Rollback))",
        "web.load_balancer().connections().allow_from(&mut stack, &Peer::ipv4(\"203.0.113.0/24\"), Port::tcp(8080), Some(\"Testers to the test listener\"))?;",
        "let target_errors = Alarm::builder(\"TargetErrors\", web.load_balancer().metric_target_5xx_count(), 10.0)",
        ".alarm_topic(alerts).ok_topic(alerts).build(&mut stack)?;",
        "web.service().add_deployment_alarm(&mut stack, target_errors, true)?;",
        "Alarm::builder(\"NoTasks\", web.service().metric_running_task_count(), 1.0).comparison(Comparison::LessThan)",
    ] {
        assert!(blue_green.contains(&squash(line)), "{line}\n{blue_green}");
    }
}

/// The program flavour: `app()` and a `main` that runs the command line.
#[test]
fn a_program_runs_its_app() {
    let manifest = read(&root().join("examples/src/web.yaml"));
    let code = rust::to_rust(&manifest).unwrap();
    assert!(
        code.contains("\nfn app() -> ecscdk::Result<App> {\n"),
        "{code}"
    );
    assert!(
        code.ends_with("\nfn main() -> ecscdk::cli::Result<()> {\n    app()?.run()\n}\n"),
        "{code}"
    );
    assert!(!code.contains("pub fn"), "{code}");
    // The context file joins the manifest's directory, here the crate's.
    assert!(
        code.contains("const MANIFEST_DIR: &str = env!(\"CARGO_MANIFEST_DIR\");"),
        "{code}"
    );
    assert!(
        code.contains(".context_file(Path::new(MANIFEST_DIR).join(\"../cdk.context.json\"))"),
        "{code}"
    );
    // rustfmt changes nothing but layout.
    let formatted = rust::rustfmt(&code).unwrap();
    let squash = |s: &str| s.split_whitespace().collect::<String>().replace(",)", ")");
    assert_eq!(
        squash(&formatted).replace(",]", "]"),
        squash(&code).replace(",]", "]")
    );
}

/// A manifest that sets no context file leaves the app's default, and one
/// with no relative path writes no `MANIFEST_DIR`.
#[test]
fn no_context_file_no_manifest_dir() {
    let manifest: Manifest =
        serde_norway::from_str("stacks:\n  Solo:\n    description: \"nothing \\\"here\\\"\"\n")
            .unwrap();
    let code = rust::to_rust(&manifest).unwrap();
    assert!(!code.contains("MANIFEST_DIR"), "{code}");
    assert!(!code.contains("context_file"), "{code}");
    assert!(
        code.contains("let stack = Stack::new(\"Solo\").description(\"nothing \\\"here\\\"\");"),
        "{code}"
    );
    let literal = Options {
        manifest_dir: ManifestDir::Literal("/srv/app".into()),
        source: None,
    };
    let manifest: Manifest =
        serde_norway::from_str("context_file: ctx.json\nstacks: {}\n").unwrap();
    let code = rust::to_rust_with(&manifest, &literal).unwrap();
    assert!(
        code.contains("const MANIFEST_DIR: &str = \"/srv/app\";"),
        "{code}"
    );
    let squash = |s: &str| s.split_whitespace().collect::<String>().replace(",)", ")");
    assert!(
        squash(&code).contains(&squash(
            "Ok(App::new().context_file(Path::new(MANIFEST_DIR).join(\"ctx.json\")))\n}"
        )),
        "{code}"
    );
}

/// What would not lower is an error naming the field, never a panic.
#[test]
fn manifests_that_would_not_lower_are_errors() {
    for (yaml, expected) in [
        (
            "stacks: { S: { environment: nope } }",
            "stacks.S.environment",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, services: { A: { task_definition: T } } } }",
            "stacks.S.services.A.task_definition",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { cpu: 300, containers: { c: { image: x } } } } } }",
            "stacks.S.task_definitions.T.cpu",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { containers: { c: { image: x, logging: { stream_prefix: p, retention_days: 2 } } } } } } }",
            "stacks.S.task_definitions.T.containers.c.logging.retention_days",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, scheduled_tasks: { J: { container: { image: x }, schedule: \"every day\" } } } }",
            "stacks.S.scheduled_tasks.J.schedule",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { containers: { c: { image: x, build: { context: . } } } } } } }",
            "stacks.S.task_definitions.T.containers.c.build",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { containers: { c: { image: x, secrets: { K: { json_key: k } } } } } } } }",
            "stacks.S.task_definitions.T.containers.c.secrets.K.json_key",
        ),
        (
            "stacks: { S: { vpc: {}, outputs: { O: Nothing.name } } }",
            "stacks.S.outputs.O",
        ),
        (
            "stacks: { S: { cluster_from: Later }, Later: {} }",
            "stacks.S.cluster_from",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, load_balanced_services: { W: { cpu: 256, memory_mib: 4096, container: { image: x } } } } }",
            "stacks.S.load_balanced_services.W.memory_mib",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, load_balanced_services: { W: { container: { image: x }, deployment_strategy: { type: canary, percent: 10 } } } } }",
            "stacks.S.load_balanced_services.W.deployment_strategy",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, load_balanced_services: { W: { container: { image: x }, recommended_alarms: { topic: Nope } } } } }",
            "stacks.S.load_balanced_services.W.recommended_alarms.topic",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { containers: { c: { image: x } } } }, services: { A: { task_definition: T, recommended_alarms: { topic: Nope } } } } }",
            "stacks.S.services.A.recommended_alarms.topic",
        ),
        (
            "stacks: { S: { alarms: { X: { metric: Nothing.cpu_utilization, threshold: 1 } } } }",
            "stacks.S.alarms.X.metric",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { containers: { c: { image: x } } } }, services: { A: { task_definition: T } }, alarms: { X: { metric: A.target_5xx_count, threshold: 1 } } } }",
            "stacks.S.alarms.X.metric",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { containers: { c: { image: x } } } }, services: { A: { task_definition: T } }, alarms: { X: { metric: A.cpu_utilization, threshold: 1, ok_topic: Nope } } } }",
            "stacks.S.alarms.X.ok_topic",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { containers: { c: { image: x } } } }, services: { A: { task_definition: T } }, alarms: { X: { metric: A.cpu_utilization, threshold: 1, rollback: false } } } }",
            "stacks.S.alarms.X.rollback",
        ),
        (
            "stacks: { S: { vpc: {}, cluster: {}, task_definitions: { T: { containers: { c: { image: x } } } }, services: { A: { task_definition: T } }, alarms: { X: { metric: A.cpu_utilization, threshold: 1, deployment_alarm_of: B } } } }",
            "stacks.S.alarms.X.deployment_alarm_of",
        ),
        (
            "stacks: { S: { dashboards: { D: { rows: [{ markdown: x, service: A }] } } } }",
            "stacks.S.dashboards.D.rows[0]",
        ),
        (
            "stacks: { S: { dashboards: { D: { rows: [{ service: A }] } } } }",
            "stacks.S.dashboards.D.rows[0].service",
        ),
    ] {
        let manifest: Manifest = serde_norway::from_str(yaml).unwrap();
        let message = rust::to_rust(&manifest).expect_err(yaml);
        assert!(
            message.starts_with(expected),
            "{yaml}: {message:?} does not start with {expected:?}"
        );
    }
}
