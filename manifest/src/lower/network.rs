//! The stack's VPC and cluster, its own or another stack's.

use super::*;

/// Lowers `vpc` or `vpc_from`, then `cluster` or `cluster_from`.
pub(super) fn vpc_and_cluster(l: &mut Lowering<'_>) -> Result<(), Error> {
    let (spec, at, src, done) = (l.spec, l.at, l.src, l.done);
    let (stack, built) = (&mut l.stack, &mut l.built);
    if let Some(vpc) = &spec.vpc {
        let id = vpc.id.clone().unwrap_or_else(|| "Vpc".to_owned());
        if let Some(existing) = &vpc.existing {
            let here = at.key("vpc");
            if vpc.cidr.is_some() || vpc.max_azs.is_some() || vpc.nat_gateways.is_some() {
                return Err(src.invalid(
                    &here.key("existing"),
                    "an existing VPC has its own range, zones and NAT gateways; remove `cidr`, `max_azs` and `nat_gateways`, or `existing`",
                ));
            }
            let mut attributes =
                VpcAttributes::new(existing.id.clone(), existing.availability_zones.clone());
            if let Some(cidr) = &existing.cidr {
                attributes = attributes.cidr_block(cidr.clone());
            }
            if !existing.public_subnets.is_empty() {
                attributes = attributes.public_subnet_ids(existing.public_subnets.clone());
            }
            if !existing.private_subnets.is_empty() {
                attributes = attributes.private_subnet_ids(existing.private_subnets.clone());
            }
            if !existing.isolated_subnets.is_empty() {
                attributes = attributes.isolated_subnet_ids(existing.isolated_subnets.clone());
            }
            let handle = Vpc::from_attributes(stack, &id, attributes)
                .map_err(|e| src.build(&here.key("existing"), e))?;
            built.vpc = Some((id, handle));
        } else {
            let mut builder = Vpc::builder(id.clone());
            if let Some(cidr) = &vpc.cidr {
                builder = builder.cidr(cidr.clone());
            }
            if let Some(n) = vpc.max_azs {
                builder = builder.max_azs(n as usize);
            }
            if let Some(n) = vpc.nat_gateways {
                builder = builder.nat_gateways(n as usize);
            }
            let handle = builder
                .build(stack)
                .map_err(|e| src.build(&at.key("vpc"), e))?;
            built.vpc = Some((id, handle));
        }
    }
    if let Some(from) = &spec.vpc_from {
        let here = at.key("vpc_from");
        if spec.vpc.is_some() {
            return Err(src.invalid(
                &here,
                "give `vpc` (this stack's own) or `vpc_from` (another stack's), not both",
            ));
        }
        let vpc = other_stack(done, from, &here, src)?
            .vpc
            .clone()
            .ok_or_else(|| {
                src.invalid(
                    &here,
                    format!(
                        "stack {from:?} has no `vpc`; add one to it or name the stack that has it"
                    ),
                )
            })?;
        built.vpc = Some(vpc);
    }
    if let Some(cluster) = &spec.cluster {
        let here = at.key("cluster");
        let Some((_, vpc)) = &built.vpc else {
            return Err(src.invalid(
                &here,
                "a cluster needs the stack's `vpc`; add `vpc: {}` to the stack",
            ));
        };
        let id = cluster.id.clone().unwrap_or_else(|| "Cluster".to_owned());
        let mut builder = Cluster::builder(id.clone()).vpc(vpc);
        if let Some(name) = &cluster.name {
            builder = builder.cluster_name(name.clone());
        }
        if let Some(insights) = cluster.container_insights {
            builder = builder.container_insights(match insights {
                model::ContainerInsights::Enabled => ecs::ContainerInsights::Enabled,
                model::ContainerInsights::Enhanced => ecs::ContainerInsights::Enhanced,
                model::ContainerInsights::Disabled => ecs::ContainerInsights::Disabled,
            });
        }
        if cluster.fargate_capacity_providers {
            builder = builder.fargate_capacity_providers();
        }
        if let Some(namespace) = &cluster.default_cloud_map_namespace {
            let kind = match namespace.kind {
                Some(model::NamespaceKind::Http) => NamespaceType::Http,
                Some(model::NamespaceKind::PrivateDns) | None => NamespaceType::DnsPrivate,
            };
            builder = builder.default_cloud_map_namespace(namespace.name.clone(), kind);
        }
        if cluster.runtime_monitoring {
            builder = builder.runtime_monitoring(true);
        }
        let handle = builder.build(stack).map_err(|e| src.build(&here, e))?;
        built.cluster = Some((id, handle));
    }

    if let Some(from) = &spec.cluster_from {
        let here = at.key("cluster_from");
        let cluster = other_stack(done, from, &here, src)?
            .cluster
            .clone()
            .ok_or_else(|| src.invalid(&here, format!("stack {from:?} has no `cluster`; add one to it or name the stack that has it")))?;
        built.cluster = Some(cluster);
    }
    Ok(())
}
