//! The export guard: before updating a stack, find the exports its new
//! template drops that another deployed stack still imports
//! (`ListImports`), and refuse with both stacks named. CloudFormation would
//! refuse too, but only once the update reaches the output, halfway through
//! the stack and followed by a rollback.

use std::collections::BTreeSet;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use serde_json::Value as Json;

use crate::error::{Error, Result};

/// The export names of the deployed stack's outputs that `template` no
/// longer declares. Empty when the template names an export with an
/// expression (its name is then unknown before deploy).
pub(crate) fn removed_exports(
    deployed: &aws_sdk_cloudformation::types::Stack,
    template: &Json,
) -> Vec<String> {
    let mut kept = BTreeSet::new();
    if let Some(outputs) = template.get("Outputs").and_then(Json::as_object) {
        for output in outputs.values() {
            match output.get("Export").and_then(|e| e.get("Name")) {
                None => {}
                Some(Json::String(name)) => {
                    kept.insert(name.as_str());
                }
                Some(_) => return Vec::new(),
            }
        }
    }
    deployed
        .outputs()
        .iter()
        .filter_map(|o| o.export_name())
        .filter(|name| !kept.contains(name))
        .map(str::to_owned)
        .collect()
}

/// Fails when a deployed stack imports one of `removed` (the exports the
/// update of `stack` drops), as `ListImports` reports. When `ListImports`
/// fails for another reason than "not imported" (an endpoint without it,
/// such as moto), the deployed templates of the app's other stacks
/// (`app_stacks`) are read instead, which finds the importers within the
/// app; CloudFormation still refuses the update if another stack imports.
pub(crate) async fn refuse_removing_imported_exports(
    cfn: &Client,
    stack: &str,
    removed: &[String],
    app_stacks: &[String],
) -> Result<()> {
    for export in removed {
        let importers = match list_imports(cfn, export).await {
            Ok(importers) => importers,
            Err(reason) => {
                eprintln!(
                    "{stack}: ListImports failed ({reason}); reading the app's deployed stacks for imports of {export} instead"
                );
                importers_in(cfn, export, stack, app_stacks).await?
            }
        };
        if !importers.is_empty() {
            return Err(Error::ExportInUse {
                stack: stack.to_owned(),
                export: export.clone(),
                importers,
            });
        }
    }
    Ok(())
}

/// The stacks importing `export`, by `ListImports`; `Err` with the reason
/// when the call fails for another reason than "not imported".
async fn list_imports(cfn: &Client, export: &str) -> std::result::Result<Vec<String>, String> {
    // Advisory: two attempts, not the deploy's eight.
    let config = aws_sdk_cloudformation::config::Builder::default().retry_config(
        aws_sdk_cloudformation::config::retry::RetryConfig::standard().with_max_attempts(2),
    );
    let mut importers = Vec::new();
    let mut token = None;
    loop {
        match cfn
            .list_imports()
            .export_name(export)
            .set_next_token(token.clone())
            .customize()
            .config_override(config.clone())
            .send()
            .await
        {
            Ok(out) => {
                importers.extend(out.imports().iter().cloned());
                token = out.next_token().map(str::to_owned);
                if token.is_none() {
                    return Ok(importers);
                }
            }
            Err(e) if e.message().is_some_and(|m| m.contains("is not imported")) => {
                return Ok(importers);
            }
            Err(e) => {
                return Err(
                    match crate::connection::service_error(export, "ListImports", &e) {
                        Error::Service { message, .. } => message,
                        other => other.to_string(),
                    },
                );
            }
        }
    }
}

/// The app's deployed stacks, other than `stack`, whose template imports
/// `export`.
async fn importers_in(
    cfn: &Client,
    export: &str,
    stack: &str,
    app_stacks: &[String],
) -> Result<Vec<String>> {
    let mut importers = Vec::new();
    for other in app_stacks.iter().filter(|s| *s != stack) {
        let template = crate::live::deployed_template(cfn, other).await?;
        if imports(&template, export) {
            importers.push(other.clone());
        }
    }
    Ok(importers)
}

/// Whether `template` holds `{"Fn::ImportValue": export}`.
fn imports(template: &Json, export: &str) -> bool {
    match template {
        Json::Object(map) => {
            map.get("Fn::ImportValue")
                .is_some_and(|v| v.as_str() == Some(export))
                || map.values().any(|v| imports(v, export))
        }
        Json::Array(items) => items.iter().any(|v| imports(v, export)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudformation::types::{Output, Stack};

    fn deployed(exports: &[&str]) -> Stack {
        let mut stack = Stack::builder();
        for (i, name) in exports.iter().enumerate() {
            stack = stack.outputs(
                Output::builder()
                    .output_key(format!("O{i}"))
                    .export_name(*name)
                    .build(),
            );
        }
        stack
            .outputs(Output::builder().output_key("Plain").build())
            .build()
    }

    #[test]
    fn finds_imports_anywhere_in_a_template() {
        let template = serde_json::json!({"Resources": {"Sg": {"Properties": {
            "VpcId": {"Fn::Join": ["", [{"Fn::ImportValue": "Net:Vpc"}]]}
        }}}});
        assert!(imports(&template, "Net:Vpc"));
        assert!(!imports(&template, "Net:Other"));
    }

    #[test]
    fn finds_the_exports_a_template_drops() {
        let template = serde_json::json!({"Outputs": {
            "Kept": {"Value": "x", "Export": {"Name": "Net:Kept"}},
            "Plain": {"Value": "y"}
        }});
        assert_eq!(
            removed_exports(&deployed(&["Net:Kept", "Net:Gone"]), &template),
            ["Net:Gone"]
        );
        assert!(removed_exports(&deployed(&["Net:Kept"]), &template).is_empty());
        // An export named by an expression: unknown, so nothing is claimed.
        let computed = serde_json::json!({"Outputs": {
            "C": {"Value": "x", "Export": {"Name": {"Fn::Sub": "${AWS::StackName}:x"}}}
        }});
        assert!(removed_exports(&deployed(&["Net:Gone"]), &computed).is_empty());
        // No outputs at all: every export goes.
        assert_eq!(
            removed_exports(&deployed(&["Net:A", "Net:B"]), &serde_json::json!({})),
            ["Net:A", "Net:B"]
        );
    }
}
