//! ECS deployment strategies: blue/green, linear and canary deployments
//! with alternate target groups, listener rules and lifecycle hooks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AlternateTarget, Cluster, Container, ContainerImage, DeploymentStrategy, FargateService,
    FargateTaskDefinition, LifecycleHook, LifecycleStage, PortMapping,
};
use ecscdk::elbv2::{ApplicationLoadBalancer, Listener, ListenerAction, ListenerRule, TargetGroup};
use ecscdk::prelude::*;
use serde_json::Value as Json;

fn blue_green() -> Json {
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
            )
            .port(PortMapping::tcp(80))
            .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .build(&mut stack)
        .unwrap();
    let blue = TargetGroup::http("Blue", &vpc, 80)
        .build(&mut stack)
        .unwrap();
    let green = TargetGroup::http("Green", &vpc, 80)
        .build(&mut stack)
        .unwrap();
    let prod = Listener::http("Prod", &lb)
        .default_action(ListenerAction::fixed_response(404, None))
        .build(&mut stack)
        .unwrap();
    let rule = ListenerRule::builder(
        "Rule",
        &prod,
        1,
        ListenerAction::weighted_forward([(&blue, 100), (&green, 0)]),
    )
    .path_pattern("/*")
    .build(&mut stack)
    .unwrap();
    let service = FargateService::builder("Api", &cluster, &task)
        .deployment_strategy(DeploymentStrategy::BlueGreen)
        .bake_time(Duration::from_secs(300))
        .load_balancer_target(blue.arn(), "web", 80, [rule.resource().into()])
        .alternate_target(AlternateTarget::new("AlternateTarget", &green).production_rule(&rule))
        .lifecycle_hook(LifecycleHook::lambda(
            "Check",
            "arn:aws:lambda:us-east-1:123456789012:function:check",
            [LifecycleStage::PostTestTrafficShift],
        ))
        .build(&mut stack)
        .unwrap();
    let _ = service;
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    serde_json::from_str(&assembly.stacks()[0].template).unwrap()
}

/// The service's deployment configuration and load balancer entry, and the
/// two roles ECS assumes (`<id>Role` of the service, as the CDK names
/// them): one to shift traffic, one to invoke the hook's function.
#[test]
fn blue_green_renders_the_strategy_the_alternate_target_and_the_roles() {
    let t = blue_green();
    let res = t["Resources"].as_object().unwrap();
    let service = &res["ApiService89E3D990"]["Properties"];
    insta::assert_snapshot!(
        serde_json::to_string_pretty(&serde_json::json!({
            "DeploymentConfiguration": service["DeploymentConfiguration"],
            "LoadBalancers": service["LoadBalancers"],
        }))
        .unwrap(),
        @r#"{
  "DeploymentConfiguration": {
    "BakeTimeInMinutes": 5,
    "DeploymentCircuitBreaker": {
      "Enable": true,
      "Rollback": true
    },
    "LifecycleHooks": [
      {
        "HookTargetArn": "arn:aws:lambda:us-east-1:123456789012:function:check",
        "LifecycleStages": [
          "POST_TEST_TRAFFIC_SHIFT"
        ],
        "RoleArn": {
          "Fn::GetAtt": [
            "ApiCheckRole4281C203",
            "Arn"
          ]
        }
      }
    ],
    "MaximumPercent": 200,
    "MinimumHealthyPercent": 100,
    "Strategy": "BLUE_GREEN"
  },
  "LoadBalancers": [
    {
      "AdvancedConfiguration": {
        "AlternateTargetGroupArn": {
          "Ref": "Green9DCBBC03"
        },
        "ProductionListenerRule": {
          "Ref": "LBProdRule1396B878"
        },
        "RoleArn": {
          "Fn::GetAtt": [
            "ApiAlternateTargetRole4C8A6953",
            "Arn"
          ]
        }
      },
      "ContainerName": "web",
      "ContainerPort": 80,
      "TargetGroupArn": {
        "Ref": "Blue10BB7880"
      }
    }
  ]
}"#
    );
    let roles: Vec<(&String, &Json)> = res
        .iter()
        .filter(|(id, r)| {
            id.starts_with("Api")
                && r["Type"] != "AWS::ECS::Service"
                && r["Type"] != "AWS::EC2::SecurityGroup"
        })
        .collect();
    insta::assert_snapshot!(
        serde_json::to_string_pretty(&roles.iter().map(|(id, r)| ((*id).clone(), r["Properties"].clone())).collect::<serde_json::Map<_, _>>()).unwrap(),
        @r#"{
  "ApiAlternateTargetRole4C8A6953": {
    "AssumeRolePolicyDocument": {
      "Statement": [
        {
          "Action": "sts:AssumeRole",
          "Effect": "Allow",
          "Principal": {
            "Service": "ecs.amazonaws.com"
          }
        }
      ],
      "Version": "2012-10-17"
    },
    "ManagedPolicyArns": [
      {
        "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"
      }
    ]
  },
  "ApiCheckRole4281C203": {
    "AssumeRolePolicyDocument": {
      "Statement": [
        {
          "Action": "sts:AssumeRole",
          "Effect": "Allow",
          "Principal": {
            "Service": "ecs.amazonaws.com"
          }
        }
      ],
      "Version": "2012-10-17"
    }
  },
  "ApiCheckRoleDefaultPolicyE74CE902": {
    "PolicyDocument": {
      "Statement": [
        {
          "Action": "lambda:InvokeFunction",
          "Effect": "Allow",
          "Resource": [
            "arn:aws:lambda:us-east-1:123456789012:function:check",
            "arn:aws:lambda:us-east-1:123456789012:function:check:*"
          ]
        }
      ],
      "Version": "2012-10-17"
    },
    "PolicyName": "ApiCheckRoleDefaultPolicyE74CE902",
    "Roles": [
      {
        "Ref": "ApiCheckRole4281C203"
      }
    ]
  }
}"#
    );
}

/// `Listener::add_targets` for a blue/green service: the primary and the
/// alternate target group, the production rule and the test listener's
/// rule forwarding to both by weight, and the service's alternate target
/// naming both rules.
#[test]
fn add_targets_creates_the_alternate_group_and_the_weighted_rules() {
    use ecscdk::elbv2::ListenerTargets;
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
            )
            .port(PortMapping::tcp(80))
            .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    let service = FargateService::builder("Api", &cluster, &task)
        .deployment_strategy(DeploymentStrategy::canary(10.0, Duration::from_secs(600)))
        .build(&mut stack)
        .unwrap();
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .build(&mut stack)
        .unwrap();
    let prod = Listener::http("Prod", &lb)
        .default_action(ListenerAction::fixed_response(404, None))
        .build(&mut stack)
        .unwrap();
    let test = Listener::builder("Test", &lb, ecscdk::elbv2::ListenerProtocol::Http, 8080)
        .default_action(ListenerAction::fixed_response(404, None))
        .build(&mut stack)
        .unwrap();
    prod.add_targets(
        &mut stack,
        "Api",
        ListenerTargets::new(&service, "web", 80)
            .priority(10)
            .path_pattern("/*")
            .test_listener(&test),
    )
    .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let t: Json = serde_json::from_str(&app.synth().unwrap().stacks()[0].template).unwrap();
    let res = t["Resources"].as_object().unwrap();
    let of_type = |ty: &str| -> Vec<String> {
        res.iter()
            .filter(|(_, r)| r["Type"] == ty)
            .map(|(id, _)| id.clone())
            .collect()
    };
    assert_eq!(
        of_type("AWS::ElasticLoadBalancingV2::TargetGroup"),
        ["LBProdApiAlternateGroup8C4861AF", "LBProdApiGroup81DB3D4A"].map(String::from),
        "the primary and the alternate group, under the listener"
    );
    let rules: serde_json::Map<String, Json> = of_type("AWS::ElasticLoadBalancingV2::ListenerRule")
        .into_iter()
        .map(|id| (id.clone(), res[&id]["Properties"].clone()))
        .collect();
    insta::assert_snapshot!(serde_json::to_string_pretty(&rules).unwrap(), @r#"{
  "LBProdApiRule9AB78AE6": {
    "Actions": [
      {
        "ForwardConfig": {
          "TargetGroups": [
            {
              "TargetGroupArn": {
                "Ref": "LBProdApiGroup81DB3D4A"
              },
              "Weight": 100
            },
            {
              "TargetGroupArn": {
                "Ref": "LBProdApiAlternateGroup8C4861AF"
              },
              "Weight": 0
            }
          ]
        },
        "Type": "forward"
      }
    ],
    "Conditions": [
      {
        "Field": "path-pattern",
        "PathPatternConfig": {
          "Values": [
            "/*"
          ]
        }
      }
    ],
    "ListenerArn": {
      "Ref": "LBProdA17C03F3"
    },
    "Priority": 10
  },
  "LBTestApiTestRule4F9684B8": {
    "Actions": [
      {
        "ForwardConfig": {
          "TargetGroups": [
            {
              "TargetGroupArn": {
                "Ref": "LBProdApiGroup81DB3D4A"
              },
              "Weight": 100
            },
            {
              "TargetGroupArn": {
                "Ref": "LBProdApiAlternateGroup8C4861AF"
              },
              "Weight": 0
            }
          ]
        },
        "Type": "forward"
      }
    ],
    "Conditions": [
      {
        "Field": "path-pattern",
        "PathPatternConfig": {
          "Values": [
            "/*"
          ]
        }
      }
    ],
    "ListenerArn": {
      "Ref": "LBTestB7376DBD"
    },
    "Priority": 10
  }
}"#);
    let service = &res["ApiService89E3D990"];
    insta::assert_snapshot!(
        serde_json::to_string_pretty(&serde_json::json!({
            "DeploymentConfiguration": service["Properties"]["DeploymentConfiguration"],
            "LoadBalancers": service["Properties"]["LoadBalancers"],
            "DependsOn": service["DependsOn"],
        }))
        .unwrap(),
        @r#"{
  "DeploymentConfiguration": {
    "BakeTimeInMinutes": 15,
    "CanaryConfiguration": {
      "CanaryBakeTimeInMinutes": 10,
      "CanaryPercent": 10
    },
    "DeploymentCircuitBreaker": {
      "Enable": true,
      "Rollback": true
    },
    "MaximumPercent": 200,
    "MinimumHealthyPercent": 100,
    "Strategy": "CANARY"
  },
  "LoadBalancers": [
    {
      "AdvancedConfiguration": {
        "AlternateTargetGroupArn": {
          "Ref": "LBProdApiAlternateGroup8C4861AF"
        },
        "ProductionListenerRule": {
          "Ref": "LBProdApiRule9AB78AE6"
        },
        "RoleArn": {
          "Fn::GetAtt": [
            "ApiApiAlternateTargetRole71AFC22D",
            "Arn"
          ]
        },
        "TestListenerRule": {
          "Ref": "LBTestApiTestRule4F9684B8"
        }
      },
      "ContainerName": "web",
      "ContainerPort": 80,
      "TargetGroupArn": {
        "Ref": "LBProdApiGroup81DB3D4A"
      }
    }
  ],
  "DependsOn": [
    "TaskTaskRoleE98524A1"
  ]
}"#
    );
}

/// The application load-balanced pattern deployed blue/green with a test
/// listener: the alternate group and production rule under the public
/// listener, the closed test listener with its rule, and the service's
/// alternate target naming both rules.
#[test]
fn the_load_balanced_pattern_deploys_blue_green_with_a_test_listener() {
    use ecscdk::patterns::ApplicationLoadBalancedFargateService;
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let web = ApplicationLoadBalancedFargateService::builder(
        "Web",
        &cluster,
        Container::builder(
            "web",
            ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
        )
        .port(PortMapping::tcp(80))
        .writable_root_filesystem(),
    )
    .deployment_strategy(DeploymentStrategy::BlueGreen)
    .bake_time(Duration::from_secs(600))
    .test_listener_port(8080)
    .build(&mut stack)
    .unwrap();
    assert!(web.production_rule().is_some());
    assert!(web.alternate_target_group().is_some());
    assert_eq!(web.test_listener().map(Listener::port), Some(8080));
    let mut app = App::new();
    app.add(stack).unwrap();
    let t: Json = serde_json::from_str(&app.synth().unwrap().stacks()[0].template).unwrap();
    let res = t["Resources"].as_object().unwrap();
    let paths: Vec<String> = res
        .values()
        .filter(|r| {
            r["Type"].as_str().is_some_and(|t| {
                t.starts_with("AWS::ElasticLoadBalancingV2::") || t == "AWS::IAM::Role"
            })
        })
        .map(|r| r["Metadata"]["aws:cdk:path"].as_str().unwrap().to_owned())
        .collect();
    insta::assert_snapshot!(paths.join("\n"), @"Web/Vpc/FlowLog/IAMRole/Resource
Web/Custom::VpcRestrictDefaultSGCustomResourceProvider/Role
Web/Web/TaskDef/TaskRole/Resource
Web/Web/TaskDef/ExecutionRole/Resource
Web/Web/LB/Resource
Web/Web/LB/PublicListener/ECSGroup/Resource
Web/Web/LB/PublicListener/Resource
Web/Web/LB/PublicListener/ECSAlternateGroup/Resource
Web/Web/LB/PublicListener/ProductionRule/Resource
Web/Web/LB/TestListener/Resource
Web/Web/LB/TestListener/TestRule/Resource
Web/Web/Service/AlternateTargetRole/Resource");
    let service = res
        .values()
        .find(|r| r["Type"] == "AWS::ECS::Service")
        .unwrap();
    insta::assert_snapshot!(
        serde_json::to_string_pretty(&serde_json::json!({
            "DeploymentConfiguration": service["Properties"]["DeploymentConfiguration"],
            "LoadBalancers": service["Properties"]["LoadBalancers"],
            "DependsOn": service["DependsOn"],
        }))
        .unwrap(),
        @r#"{
  "DeploymentConfiguration": {
    "BakeTimeInMinutes": 10,
    "DeploymentCircuitBreaker": {
      "Enable": true,
      "Rollback": true
    },
    "MaximumPercent": 200,
    "MinimumHealthyPercent": 100,
    "Strategy": "BLUE_GREEN"
  },
  "LoadBalancers": [
    {
      "AdvancedConfiguration": {
        "AlternateTargetGroupArn": {
          "Ref": "WebLBPublicListenerECSAlternateGroupF0457ED9"
        },
        "ProductionListenerRule": {
          "Ref": "WebLBPublicListenerProductionRule648D36F0"
        },
        "RoleArn": {
          "Fn::GetAtt": [
            "WebServiceAlternateTargetRole66A57777",
            "Arn"
          ]
        },
        "TestListenerRule": {
          "Ref": "WebLBTestListenerTestRule6B40223A"
        }
      },
      "ContainerName": "web",
      "ContainerPort": 80,
      "TargetGroupArn": {
        "Ref": "WebLBPublicListenerECSGroupB52EA5B2"
      }
    }
  ],
  "DependsOn": [
    "WebLBPublicListenerB3D72A27",
    "WebTaskDefTaskRoleB0D86F55"
  ]
}"#
    );
    // The test port is closed: the load balancer's group admits port 80 only.
    let ingress: Vec<&Json> = res
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::SecurityGroup")
        .flat_map(|r| {
            r["Properties"]["SecurityGroupIngress"]
                .as_array()
                .into_iter()
                .flatten()
        })
        .collect();
    assert!(
        ingress.iter().all(|rule| rule["FromPort"] != 8080),
        "{ingress:?}"
    );
}

/// The CDK's `Canary` stack (tests/data/cdk/bluegreen/app.js, aws-cdk-lib
/// 2.276.0) built with ecscdk: the same service deployment configuration,
/// alternate target and role ids, with the rules and groups mapped to the
/// CDK's ids (ecscdk places a rule under its listener).
fn canary_ours() -> Json {
    use ecscdk::ec2::VpcAttributes;
    use ecscdk::ecs::CircuitBreaker;
    let mut stack = Stack::new("Canary").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::from_attributes(
        &mut stack,
        "Vpc",
        VpcAttributes::new("vpc-0123456789abcdef0", ["us-east-1a", "us-east-1b"])
            .public_subnet_ids(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"])
            .private_subnet_ids(["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]),
    )
    .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:latest"),
            )
            .port(PortMapping::tcp(80))
            .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .internet_facing(true)
        .build(&mut stack)
        .unwrap();
    let blue = TargetGroup::http("Blue", &vpc, 80)
        .build(&mut stack)
        .unwrap();
    let green = TargetGroup::http("Green", &vpc, 80)
        .build(&mut stack)
        .unwrap();
    let weighted = ListenerAction::weighted_forward([(&blue, 100), (&green, 0)]);
    let prod = Listener::http("Prod", &lb)
        .default_action(ListenerAction::forward(&blue))
        .build(&mut stack)
        .unwrap();
    let test = Listener::builder("Test", &lb, ecscdk::elbv2::ListenerProtocol::Http, 8080)
        .default_action(ListenerAction::forward(&blue))
        .open(false)
        .build(&mut stack)
        .unwrap();
    let prod_rule = ListenerRule::builder("ProdRule", &prod, 1, weighted.clone())
        .path_pattern("/*")
        .build(&mut stack)
        .unwrap();
    let test_rule = ListenerRule::builder("TestRule", &test, 1, weighted)
        .path_pattern("/*")
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Service", &cluster, &task)
        .deployment_strategy(DeploymentStrategy::canary(10.0, Duration::from_secs(180)))
        .bake_time(Duration::ZERO)
        .circuit_breaker(CircuitBreaker::Off)
        .deployment_alarms(["canary-errors", "canary-latency"], false)
        .lifecycle_hook(LifecycleHook::lambda(
            "CheckHook",
            "arn:aws:lambda:us-east-1:123456789012:function:canary-check",
            [LifecycleStage::PostProductionTrafficShift],
        ))
        .load_balancer_target(
            blue.arn(),
            "web",
            80,
            [prod_rule.resource().into(), test_rule.resource().into()],
        )
        .alternate_target(
            AlternateTarget::new("AlternateTarget", &green)
                .production_rule(&prod_rule)
                .test_rule(&test_rule),
        )
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let text = app.synth().unwrap().stacks()[0].template.clone();
    // ecscdk's ids of the rules and groups, as the CDK's (rules at the root).
    let mapped = [
        ("\"LBProdProdRule", "\"ProdRule"),
        ("\"LBTestTestRule", "\"TestRule"),
    ]
    .iter()
    .fold(text, |t, (ours, cdk)| t.replace(ours, cdk));
    serde_json::from_str(&mapped).unwrap()
}

#[test]
fn a_canary_service_renders_as_the_cdk_renders_it() {
    let cdk: Json =
        serde_json::from_str(include_str!("data/cdk/bluegreen/Canary.template.json")).unwrap();
    let ours = canary_ours();
    let rule_id = |t: &Json, prefix: &str| -> String {
        t["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .find(|k| k.starts_with(prefix) && k.len() == prefix.len() + 8)
            .unwrap()
            .clone()
    };
    // Rules are placed differently, so their hashes differ: name them alike.
    let normalize = |t: &Json| -> String {
        let text = t.to_string();
        let (prod, test) = (rule_id(t, "ProdRule"), rule_id(t, "TestRule"));
        text.replace(&prod, "ProdRule").replace(&test, "TestRule")
    };
    let (cdk, ours): (Json, Json) = (
        serde_json::from_str(&normalize(&cdk)).unwrap(),
        serde_json::from_str(&normalize(&ours)).unwrap(),
    );
    let service = |t: &Json| t["Resources"]["ServiceD69D759B"]["Properties"].clone();
    assert_eq!(
        service(&ours)["DeploymentConfiguration"],
        service(&cdk)["DeploymentConfiguration"]
    );
    assert_eq!(
        service(&ours)["LoadBalancers"],
        service(&cdk)["LoadBalancers"]
    );
    // The hook's role and its policy, by the CDK's ids.
    for id in [
        "ServiceCheckHookRole649F4B9C",
        "ServiceCheckHookRoleDefaultPolicyCE06E0A0",
    ] {
        assert_eq!(
            ours["Resources"][id]["Properties"], cdk["Resources"][id]["Properties"],
            "{id}"
        );
    }
    // The load balancer role: the same trust and managed policy (the CDK
    // writes its ARN with `Fn::Join`, ecscdk with `Fn::Sub`).
    let role =
        |t: &Json| t["Resources"]["ServiceAlternateTargetRole009B279F"]["Properties"].clone();
    assert_eq!(
        role(&ours)["AssumeRolePolicyDocument"],
        role(&cdk)["AssumeRolePolicyDocument"]
    );
    assert_eq!(
        role(&ours)["ManagedPolicyArns"][0]["Fn::Sub"],
        "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"
    );
}

/// Linear and canary deployments through a network load balancer (ECS
/// supports them since 2026-02-04): the listeners are the production and
/// test "rules", production forwarding to the primary group and test to the
/// alternate, as the CDK's `Nlb` stack wires them.
#[test]
fn a_canary_through_a_network_load_balancer_builds() {
    use ecscdk::elbv2::NetworkLoadBalancer;
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
            )
            .port(PortMapping::tcp(80))
            .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    let nlb = NetworkLoadBalancer::builder("NLB", &vpc)
        .build(&mut stack)
        .unwrap();
    let blue = TargetGroup::tcp("Blue", &vpc, 80)
        .build(&mut stack)
        .unwrap();
    let green = TargetGroup::tcp("Green", &vpc, 80)
        .build(&mut stack)
        .unwrap();
    let prod = Listener::tcp("Prod", &nlb, 80)
        .default_action(ListenerAction::forward(&blue))
        .build(&mut stack)
        .unwrap();
    let test = Listener::tcp("Test", &nlb, 8080)
        .default_action(ListenerAction::forward(&green))
        .open(false)
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Api", &cluster, &task)
        .deployment_strategy(DeploymentStrategy::canary(10.0, Duration::from_secs(600)))
        .load_balancer_target(
            blue.arn(),
            "web",
            80,
            [prod.resource().into(), test.resource().into()],
        )
        .alternate_target(
            AlternateTarget::new("AlternateTarget", &green)
                .production_listener(&prod)
                .test_listener(&test),
        )
        .build(&mut stack)
        .unwrap();
    // Without the test listener, the alternate group is tied to no listener.
    let err = FargateService::builder("Api2", &cluster, &task)
        .deployment_strategy(DeploymentStrategy::BlueGreen)
        .load_balancer_target(blue.arn(), "web", 80, [prod.resource().into()])
        .alternate_target(
            AlternateTarget::new("AlternateTarget", &green).production_listener(&prod),
        )
        .build(&mut stack)
        .unwrap_err();
    assert!(
        err.to_string().contains("[Web/Api2] alternate_target"),
        "{err}"
    );
}
