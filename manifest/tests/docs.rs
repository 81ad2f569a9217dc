//! The schema's descriptions carry the builders' own defaults: for each
//! manifest field that stands for a builder setter, the setter's
//! `CloudFormation default:` / `ecscdk default:` paragraph (from the
//! constructs' sources) is in the field's description, so an editor shows
//! what the builder documents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use serde_json::Value;

/// One line per field: `Definition.property  builder source under
/// constructs/src  setter`.
const SETTERS: &str = "\
VpcSpec.cidr                                           ec2/vpc.rs                                cidr
VpcSpec.max_azs                                        ec2/vpc.rs                                max_azs
VpcSpec.nat_gateways                                   ec2/vpc.rs                                nat_gateways
ClusterSpec.name                                       ecs/cluster.rs                            cluster_name
ClusterSpec.container_insights                         ecs/cluster.rs                            container_insights
ClusterSpec.fargate_capacity_providers                 ecs/cluster.rs                            fargate_capacity_providers
ClusterSpec.default_cloud_map_namespace                ecs/cluster.rs                            default_cloud_map_namespace
ClusterSpec.runtime_monitoring                         ecs/cluster.rs                            runtime_monitoring
TaskDefinitionSpec.cpu                                 ecs/fargate_task_definition.rs            cpu
TaskDefinitionSpec.memory_mib                          ecs/fargate_task_definition.rs            memory_mib
TaskDefinitionSpec.family                              ecs/fargate_task_definition.rs            family
ContainerSpec.command                                  ecs/container.rs                          command
ContainerSpec.entry_point                              ecs/container.rs                          entry_point
ContainerSpec.working_directory                        ecs/container.rs                          working_directory
ContainerSpec.user                                     ecs/container.rs                          user
ContainerSpec.essential                                ecs/container.rs                          essential
ContainerSpec.health_check                             ecs/container.rs                          health_check
ContainerSpec.logging                                  ecs/container.rs                          logging
ContainerSpec.read_only_root_filesystem                ecs/container.rs                          read_only_root_filesystem
ContainerSpec.memory_limit_mib                         ecs/container.rs                          memory_limit_mib
ContainerSpec.memory_reservation_mib                   ecs/container.rs                          memory_reservation_mib
ContainerSpec.cpu                                      ecs/container.rs                          cpu_units
ContainerSpec.stop_timeout                             ecs/container.rs                          stop_timeout
ContainerSpec.start_timeout                            ecs/container.rs                          start_timeout
ContainerSpec.restart_policy                           ecs/container.rs                          restart_policy
ContainerSpec.system_controls                          ecs/container.rs                          system_control
RestartPolicySpec.ignored_exit_codes                   ecs/restart_policy.rs                     ignored_exit_codes
RestartPolicySpec.attempt_period                       ecs/restart_policy.rs                     attempt_period
ContainerHealthCheck.interval                          ecs/container.rs                          interval
ContainerHealthCheck.timeout                           ecs/container.rs                          timeout
ContainerHealthCheck.retries                           ecs/container.rs                          retries
ContainerHealthCheck.start_period                      ecs/container.rs                          start_period
PortSpec.name                                          ecs/container.rs                          name
PortSpec.app_protocol                                  ecs/container.rs                          app_protocol
CapacityEntry.base                                     ecs/capacity.rs                           base
CapacityEntry.weight                                   ecs/capacity.rs                           weight
ServiceSpec.desired_count                              ecs/service_base.rs                       desired_count
ServiceSpec.circuit_breaker                            ecs/service_base.rs                       circuit_breaker
ServiceSpec.min_healthy_percent                        ecs/service_base.rs                       min_healthy_percent
ServiceSpec.max_percent                                ecs/service_base.rs                       max_percent
ServiceSpec.service_name                               ecs/service_base.rs                       service_name
ServiceSpec.enable_execute_command                     ecs/service_base.rs                       enable_execute_command
ServiceSpec.capacity_provider_strategy                 ecs/fargate_service.rs                    capacity_provider_strategy
ServiceSpec.assign_public_ip                           ecs/fargate_service.rs                    assign_public_ip
ServiceSpec.subnets                                    ecs/service_base.rs                       vpc_subnets
ServiceSpec.service_connect                            ecs/service_base.rs                       service_connect
TargetHealthCheck.interval                             elbv2/target_group.rs                     interval
TargetHealthCheck.timeout                              elbv2/target_group.rs                     timeout
TargetHealthCheck.healthy_threshold                    elbv2/target_group.rs                     healthy_threshold
TargetHealthCheck.unhealthy_threshold                  elbv2/target_group.rs                     unhealthy_threshold
TargetHealthCheck.success_codes                        elbv2/target_group.rs                     success_codes
LoadBalancedServiceSpec.desired_count                  patterns/load_balanced_service_base.rs    desired_count
LoadBalancedServiceSpec.circuit_breaker                patterns/load_balanced_service_base.rs    circuit_breaker
LoadBalancedServiceSpec.public_load_balancer           patterns/load_balanced_service_base.rs    public_load_balancer
LoadBalancedServiceSpec.listener_port                  patterns/load_balanced_service_base.rs    listener_port
LoadBalancedServiceSpec.certificate_arn                patterns/load_balanced_service_base.rs    certificate_arn
LoadBalancedServiceSpec.health_check                   patterns/load_balanced_service_base.rs    health_check
LoadBalancedServiceSpec.deregistration_delay           patterns/load_balanced_service_base.rs    deregistration_delay
LoadBalancedServiceSpec.enable_execute_command         patterns/load_balanced_service_base.rs    enable_execute_command
LoadBalancedServiceSpec.assign_public_ip               patterns/load_balanced_fargate_service.rs assign_public_ip
QueueProcessingServiceSpec.visibility_timeout          patterns/queue_processing_service.rs      visibility_timeout
QueueProcessingServiceSpec.retention_period            patterns/queue_processing_service.rs      retention_period
QueueProcessingServiceSpec.max_receive_count           patterns/queue_processing_service.rs      max_receive_count
QueueProcessingServiceSpec.capacity                    patterns/queue_processing_service.rs      capacity
QueueProcessingServiceSpec.circuit_breaker             patterns/queue_processing_service.rs      circuit_breaker
QueueProcessingServiceSpec.enable_execute_command      patterns/queue_processing_service.rs      enable_execute_command
QueueProcessingServiceSpec.capacity_provider_strategy  patterns/queue_processing_service.rs      capacity_provider_strategy
ScheduledTaskSpec.task_count                           patterns/scheduled_task.rs                task_count
ScheduledTaskSpec.retry_attempts                       patterns/scheduled_task.rs                retry_attempts
ScheduledTaskSpec.max_event_age                        patterns/scheduled_task.rs                max_event_age
ScheduledTaskSpec.enabled                              patterns/scheduled_task.rs                enabled
ScheduledTaskSpec.description                          patterns/scheduled_task.rs                description
LoadBalancedServiceSpec.domain_name                    patterns/load_balanced_service_base.rs    domain_name
LoadBalancedServiceSpec.domain_zone                    patterns/load_balanced_service_base.rs    domain_zone
LoadBalancedServiceSpec.redirect_http                  patterns/load_balanced_service_base.rs    redirect_http
LoadBalancedServiceSpec.idle_timeout                   patterns/load_balanced_service_base.rs    idle_timeout
LoadBalancedServiceSpec.min_healthy_percent            patterns/load_balanced_service_base.rs    min_healthy_percent
LoadBalancedServiceSpec.max_percent                    patterns/load_balanced_service_base.rs    max_percent
NetworkLoadBalancedServiceSpec.desired_count           patterns/load_balanced_service_base.rs    desired_count
NetworkLoadBalancedServiceSpec.circuit_breaker         patterns/load_balanced_service_base.rs    circuit_breaker
NetworkLoadBalancedServiceSpec.public_load_balancer    patterns/load_balanced_service_base.rs    public_load_balancer
NetworkLoadBalancedServiceSpec.listener_port           patterns/load_balanced_service_base.rs    listener_port
NetworkLoadBalancedServiceSpec.domain_name             patterns/load_balanced_service_base.rs    domain_name
NetworkLoadBalancedServiceSpec.domain_zone             patterns/load_balanced_service_base.rs    domain_zone
NetworkLoadBalancedServiceSpec.health_check            patterns/load_balanced_service_base.rs    health_check
NetworkLoadBalancedServiceSpec.deregistration_delay    patterns/load_balanced_service_base.rs    deregistration_delay
NetworkLoadBalancedServiceSpec.enable_execute_command  patterns/load_balanced_service_base.rs    enable_execute_command
NetworkLoadBalancedServiceSpec.assign_public_ip        patterns/load_balanced_fargate_service.rs assign_public_ip
NetworkLoadBalancedServiceSpec.preserve_client_ip      patterns/load_balanced_fargate_service.rs preserve_client_ip
TargetHealthCheck.port                                 elbv2/target_group.rs                     port
LoadBalancedServiceSpec.deployment_strategy            patterns/load_balanced_service_base.rs    deployment_strategy
LoadBalancedServiceSpec.bake_time                      patterns/load_balanced_service_base.rs    bake_time
LoadBalancedServiceSpec.test_listener_port             patterns/load_balanced_service_base.rs    test_listener_port
LoadBalancedServiceSpec.lifecycle_hooks                patterns/load_balanced_service_base.rs    lifecycle_hook
DetectorSpec.fargate_agent_management                  guardduty/mod.rs                          fargate_agent_management
DetectorSpec.ec2_agent_management                      guardduty/mod.rs                          ec2_agent_management
TopicSpec.topic_name                                   sns/topic.rs                              topic_name
TopicSpec.display_name                                 sns/topic.rs                              display_name
AlarmSpec.comparison                                   cloudwatch/alarm.rs                       comparison
AlarmSpec.evaluation_periods                           cloudwatch/alarm.rs                       evaluation_periods
AlarmSpec.datapoints_to_alarm                          cloudwatch/alarm.rs                       datapoints_to_alarm
AlarmSpec.treat_missing_data                           cloudwatch/alarm.rs                       treat_missing_data
AlarmSpec.description                                  cloudwatch/alarm.rs                       description
AlarmSpec.alarm_name                                   cloudwatch/alarm.rs                       alarm_name
AlarmSpec.alarm_topic                                  cloudwatch/alarm.rs                       alarm_topic
AlarmSpec.ok_topic                                     cloudwatch/alarm.rs                       ok_topic
LifecycleHookSpec.timeout                              ecs/deployment.rs                         timeout
AutoScalingGroupSpec.machine_image                     ecs/asg.rs                                machine_image
AutoScalingGroupSpec.min_capacity                      ecs/asg.rs                                capacity
AutoScalingGroupSpec.max_capacity                      ecs/asg.rs                                capacity
AutoScalingGroupSpec.desired_capacity                  ecs/asg.rs                                desired_capacity
AsgProviderSpec.managed_scaling                        ecs/asg.rs                                managed_scaling
AsgProviderSpec.target_capacity_percent                ecs/asg.rs                                target_capacity_percent
AsgProviderSpec.managed_termination_protection         ecs/asg.rs                                managed_termination_protection
AsgProviderSpec.managed_draining                       ecs/asg.rs                                managed_draining
AsgProviderSpec.capacity_provider_name                 ecs/asg.rs                                capacity_provider_name
Ec2TaskSpec.cpu                                        ecs/ec2_task_definition.rs                cpu
Ec2TaskSpec.memory_mib                                 ecs/ec2_task_definition.rs                memory_mib
Ec2TaskSpec.family                                     ecs/ec2_task_definition.rs                family
Ec2ServiceSpec.daemon                                  ecs/ec2_service.rs                        daemon
Ec2ServiceSpec.desired_count                           ecs/ec2_service.rs                        desired_count
Ec2ServiceSpec.capacity_provider_strategy              ecs/ec2_service.rs                        capacity_provider_strategy
Ec2ServiceSpec.circuit_breaker                         ecs/service_base.rs                       circuit_breaker
Ec2ServiceSpec.min_healthy_percent                     ecs/ec2_service.rs                        min_healthy_percent
Ec2ServiceSpec.max_percent                             ecs/ec2_service.rs                        max_percent
Ec2ServiceSpec.service_name                            ecs/service_base.rs                       service_name
Ec2ServiceSpec.enable_execute_command                  ecs/service_base.rs                       enable_execute_command
ManagedInstancesProviderSpec.cpu_manufacturers         ecs/managed_instances.rs                  cpu_manufacturer
ManagedInstancesProviderSpec.current_generation        ecs/managed_instances.rs                  instance_generation
ManagedInstancesProviderSpec.task_volume_storage_gib   ecs/managed_instances.rs                  task_volume_storage_gib
ManagedInstancesProviderSpec.propagate_tags            ecs/managed_instances.rs                  propagate_tags
ManagedInstancesProviderSpec.capacity_provider_name    ecs/managed_instances.rs                  capacity_provider_name
ManagedInstancesTaskSpec.cpu                           ecs/managed_instances.rs                  cpu
ManagedInstancesTaskSpec.memory_mib                    ecs/managed_instances.rs                  memory_mib
ManagedInstancesTaskSpec.family                        ecs/managed_instances.rs                  family
ManagedInstancesServiceSpec.desired_count              ecs/service_base.rs                       desired_count
ManagedInstancesServiceSpec.circuit_breaker            ecs/service_base.rs                       circuit_breaker
ManagedInstancesServiceSpec.min_healthy_percent        ecs/service_base.rs                       min_healthy_percent
ManagedInstancesServiceSpec.max_percent                ecs/service_base.rs                       max_percent
ManagedInstancesServiceSpec.service_name               ecs/service_base.rs                       service_name
ManagedInstancesServiceSpec.enable_execute_command     ecs/service_base.rs                       enable_execute_command
ManagedInstancesServiceSpec.capacity_provider_strategy ecs/managed_instances.rs                  capacity_provider_strategy
TaskDefinitionSpec.cpu_architecture                    ecs/fargate_task_definition.rs            runtime_platform
TaskDefinitionSpec.ephemeral_storage_gib               ecs/fargate_task_definition.rs            ephemeral_storage_gib
ServiceSpec.cloud_map                                  ecs/service_base.rs                       cloud_map
LoadBalancedServiceSpec.subnets                        patterns/load_balanced_fargate_service.rs task_subnets
NetworkLoadBalancedServiceSpec.subnets                 patterns/load_balanced_fargate_service.rs task_subnets
QueueProcessingServiceSpec.assign_public_ip            patterns/queue_processing_service.rs      assign_public_ip
QueueProcessingServiceSpec.subnets                     patterns/queue_processing_service.rs      task_subnets
ScheduledTaskSpec.assign_public_ip                     patterns/scheduled_task.rs                assign_public_ip
ScheduledTaskSpec.subnets                              patterns/scheduled_task.rs                task_subnets
CloudMapSpec.dns_record_type                           ecs/service_base.rs                       dns_record_type
CloudMapSpec.dns_ttl                                   ecs/service_base.rs                       dns_ttl
AlarmSpec.period                                       cloudwatch/metric.rs                      period
AlarmSpec.statistic                                    cloudwatch/metric.rs                      statistic
";

/// Intra-doc links written as code, whitespace collapsed.
fn normalize(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find("`]") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        out.push_str(&after[..=end]);
        rest = &after[end + 2..];
        if rest.starts_with('(') {
            rest = rest.find(')').map_or("", |close| &rest[close + 1..]);
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The default paragraph of the last `pub fn name` whose docs have one.
fn builder_defaults(file: &str, setter: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../constructs/src")
        .join(file);
    let source = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    let mut found = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix(&format!("pub fn {setter}")) else {
            continue;
        };
        if !rest.starts_with(['(', '<']) {
            continue;
        }
        let mut doc = Vec::new();
        let mut j = i;
        while j > 0 {
            j -= 1;
            let l = lines[j].trim_start();
            if let Some(d) = l.strip_prefix("///") {
                doc.insert(0, d.trim());
            } else if !l.starts_with("#[") {
                break;
            }
        }
        let Some(start) = doc
            .iter()
            .position(|d| d.starts_with("CloudFormation default:"))
        else {
            continue;
        };
        let paragraph: Vec<&str> = doc[start..]
            .iter()
            .take_while(|d| !d.is_empty() && !d.starts_with("```") && !d.starts_with('#'))
            .copied()
            .collect();
        found = Some(normalize(&paragraph.join(" ")));
    }
    found
}

#[test]
fn every_mapped_field_states_its_builders_defaults() {
    let schema: Value = serde_json::from_str(&ecscdk_manifest::json_schema()).unwrap();
    let mut wrong = Vec::new();
    for line in SETTERS.lines().filter(|l| !l.trim().is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [field, file, setter] = words[..] else {
            panic!("bad table line {line:?}")
        };
        let (def, prop) = field.split_once('.').unwrap();
        let Some(expected) = builder_defaults(file, setter) else {
            wrong.push(format!(
                "{file}: no `pub fn {setter}` with a `CloudFormation default:` line"
            ));
            continue;
        };
        let description = schema["$defs"][def]["properties"][prop]["description"].as_str();
        let Some(description) = description else {
            wrong.push(format!("{def}.{prop}: not in the schema"));
            continue;
        };
        if !normalize(description).contains(&expected) {
            wrong.push(format!(
                "{def}.{prop}: the description lacks {setter}'s defaults:\n    {expected}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
