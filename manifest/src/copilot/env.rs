//! A Copilot environment manifest (`copilot/environments/<env>/manifest.yml`)
//! as the VPC and cluster of the environment's stack, and the certificate
//! its load-balanced services listen with.

use serde_norway::Value;

use super::Note;
use super::yaml::{Doc, File};
use crate::error::Error;
use crate::model::{ContainerInsights, VpcSpec};

/// What a stack takes from its environment manifest.
#[derive(Debug, Clone)]
pub(super) struct EnvInfo {
    /// The environment's name (its directory).
    pub name: String,
    /// The VPC.
    pub vpc: VpcSpec,
    /// Container Insights of the cluster.
    pub container_insights: ContainerInsights,
    /// The first certificate of `http.public.certificates`: the public
    /// load balancer listens with HTTPS.
    pub certificate: Option<String>,
    /// Fields not converted.
    pub notes: Vec<Note>,
}

/// Reads an environment manifest.
pub(super) fn convert(file: &File, name: &str, app: &str) -> Result<EnvInfo, Error> {
    if let Some(kind) = file.top_str("type")
        && kind != "Environment"
    {
        return Err(file.invalid(
            "type",
            format!("an environment manifest has `type: Environment`, not {kind:?}"),
        ));
    }
    if let Some(declared) = file.top_str("name")
        && declared != name
    {
        return Err(file.invalid(
            "name",
            format!(
                "Copilot requires `name:` to be the directory's name {name:?}, not {declared:?}"
            ),
        ));
    }
    let mut root = Value::Mapping(file.root.clone());
    let kept = super::yaml::interpolate(&mut root, app, name, "");
    // The file is the environment: its notes need no environment.
    let mut doc = Doc::new(file, None, root);
    for path in kept {
        doc.note(&path, super::SHELL_VARIABLE);
    }
    doc.touch("name");
    doc.touch("type");

    let mut vpc = VpcSpec::default();
    if let Some(id) = doc.str("network.vpc.id")? {
        let note = existing_vpc_note(&mut doc, &id)?;
        doc.note("network.vpc.id", note);
        doc.consume("network.vpc.subnets");
    } else {
        vpc.cidr = doc.str("network.vpc.cidr")?;
        let mut zones = 0;
        let mut cidrs = false;
        let mut azs = false;
        for kind in ["public", "private"] {
            let path = format!("network.vpc.subnets.{kind}");
            let Some(list) = doc.get(&path) else { continue };
            let Some(items) = list.as_sequence() else {
                return Err(doc.invalid(&path, "expected a list of subnets"));
            };
            zones = zones.max(items.len());
            for item in items {
                cidrs |= item.get("cidr").is_some();
                azs |= item.get("az").is_some();
            }
        }
        if zones > 0 {
            vpc.max_azs = u32::try_from(zones).ok();
        }
        if cidrs {
            doc.note(
                "network.vpc.subnets",
                "subnet ranges are not converted: ecscdk divides the VPC's range between its subnets itself; in Rust, `VpcBuilder::zone_subnet` places them",
            );
        } else if azs {
            doc.note(
                "network.vpc.subnets",
                "the zones are not converted: the manifest picks the first zones of the Region; in Rust, `VpcBuilder::availability_zones` names them",
            );
        }
    }
    doc.note_if_set(
        "network.vpc.security_group",
        "rules of Copilot's environment security group are not converted: ecscdk gives each service its own security group; in Rust, `Connectable::connections().allow_from` opens ports",
    );
    doc.note_if_set(
        "network.vpc.flow_logs",
        "VPC flow logs are not in the manifest model; in Rust, `VpcBuilder::flow_logs` and `flow_log_retention`",
    );

    let mut certificate = None;
    if let Some(list) = doc.get("http.public.certificates") {
        let arns: Vec<String> = list
            .as_sequence()
            .map(|s| s.iter().filter_map(super::yaml::scalar_text).collect())
            .unwrap_or_default();
        certificate = arns.first().cloned();
        if arns.len() > 1 {
            doc.note(
                "http.public.certificates",
                "only the first certificate is converted (`certificate_arn` of each load-balanced service); the listener takes one",
            );
        }
    }
    doc.note_if_set(
        "http.public.ingress",
        "ingress limits of the public load balancer are not in the manifest model: each load-balanced service's load balancer is open to the internet",
    );
    doc.note_if_set(
        "http.public.access_logs",
        "load balancer access logs are not in the manifest model",
    );
    doc.note_if_set(
        "http.public.ssl_policy",
        "the listener's SSL policy is not in the manifest model: ecscdk uses the load balancer's default",
    );
    doc.note_if_set(
        "http.private",
        "Copilot's internal load balancer is not converted: no imported workload uses it (a Backend Service with `http` is skipped)",
    );
    doc.note_if_set(
        "cdn",
        "a CloudFront distribution is not in the manifest model",
    );

    let container_insights = match doc.get("observability.container_insights") {
        None | Some(Value::Bool(false)) => ContainerInsights::Disabled,
        Some(Value::Bool(true)) => ContainerInsights::Enabled,
        Some(_) => {
            return Err(doc.invalid("observability.container_insights", "expected true or false"));
        }
    };
    doc.leftovers(super::UNKNOWN);
    Ok(EnvInfo {
        name: name.to_owned(),
        vpc,
        container_insights,
        certificate,
        notes: doc.notes,
    })
}

/// The note of an imported VPC: the stack creates a new one, as `existing`
/// needs the zones of the subnets, which Copilot's manifest does not name;
/// it spells out the `existing` entry with Copilot's ids.
fn existing_vpc_note(doc: &mut Doc<'_>, id: &str) -> Result<String, Error> {
    let mut fields = vec![format!("id: {id}")];
    let mut zones = 0;
    for kind in ["public", "private"] {
        let path = format!("network.vpc.subnets.{kind}");
        let Some(list) = doc.get(&path) else { continue };
        let Some(items) = list.as_sequence() else {
            return Err(doc.invalid(&path, "expected a list of subnets"));
        };
        let ids: Vec<String> = items
            .iter()
            .filter_map(|item| item.get("id").and_then(super::yaml::scalar_text))
            .collect();
        if !ids.is_empty() {
            zones = zones.max(ids.len());
            fields.push(format!("{kind}_subnets: [{}]", ids.join(", ")));
        }
    }
    let placeholders: Vec<String> = (1..=zones.max(1)).map(|i| format!("ZONE_{i}")).collect();
    fields.insert(
        1,
        format!("availability_zones: [{}]", placeholders.join(", ")),
    );
    Ok(format!(
        "not converted: the stack creates a new VPC (10.0.0.0/16 in up to 3 zones), as `vpc.existing` needs the Availability Zones of the subnets, which Copilot's manifest does not name; to use this VPC, replace the stack's `vpc` with `vpc: {{ existing: {{ {} }} }}`, ZONE_n being the zone of the n-th subnet of each list (reorder the lists so that they match)",
        fields.join(", ")
    ))
}
