//! Container options of a manifest reach the task definition's container
//! definition as the builders write them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use ecscdk_manifest::{Format, app_from_str};
use serde_json::{Value, json};

/// The container definitions of the stack `Web`'s only task definition.
fn container_definitions(manifest: &str) -> Vec<Value> {
    let assembly = app_from_str(manifest, Format::Yaml, "ecscdk.yaml", Path::new("."))
        .unwrap_or_else(|e| panic!("{e}"))
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let template: Value = serde_json::from_str(&assembly.stack("Web").unwrap().template).unwrap();
    let tasks: Vec<&Value> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::ECS::TaskDefinition")
        .collect();
    assert_eq!(tasks.len(), 1, "{template:#}");
    tasks[0]["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn restart_policy_start_timeout_and_system_controls_reach_the_container_definition() {
    let definitions = container_definitions(
        "\
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
              start_timeout: 90s
              restart_policy: { enabled: true, ignored_exit_codes: [0, 143], attempt_period: 2m }
              system_controls:
                - { namespace: net.core.somaxconn, value: \"4096\" }
                - { namespace: kernel.shmmax, value: \"68719476736\" }
            sidecar:
              image: busybox
              essential: false
              restart_policy: { enabled: false }
",
    );
    let web = &definitions[0];
    assert_eq!(web["Name"], "web");
    assert_eq!(
        web["RestartPolicy"],
        json!({"Enabled": true, "IgnoredExitCodes": [0, 143], "RestartAttemptPeriod": 120})
    );
    assert_eq!(web["StartTimeout"], json!(90));
    assert_eq!(
        web["SystemControls"],
        json!([
            {"Namespace": "net.core.somaxconn", "Value": "4096"},
            {"Namespace": "kernel.shmmax", "Value": "68719476736"}
        ])
    );
    let sidecar = &definitions[1];
    assert_eq!(sidecar["Name"], "sidecar");
    assert_eq!(sidecar["RestartPolicy"], json!({"Enabled": false}));
    assert!(sidecar.get("StartTimeout").is_none(), "{sidecar:#}");
    assert!(sidecar.get("SystemControls").is_none(), "{sidecar:#}");
}
