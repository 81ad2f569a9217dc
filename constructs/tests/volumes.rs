//! EFS and FSx for Windows File Server volumes, and the Windows and ARM64
//! runtime platforms of EC2 task definitions, as rendered in templates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::ecs::{
    Container, ContainerImage, CpuArchitecture, Ec2NetworkMode, Ec2TaskDefinition, EfsVolume,
    FargateTaskDefinition, FsxWindowsVolume, OperatingSystem,
};
use ecscdk::prelude::*;
use serde_json::{Value as Json, json};

#[path = "common/template.rs"]
mod template;
use template::synth;

/// The properties of the only resource of `kind` whose logical id starts
/// with `prefix`.
fn only(t: &Json, kind: &str, prefix: &str) -> Json {
    let found: Vec<&Json> = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(id, r)| r["Type"] == kind && id.starts_with(prefix))
        .map(|(_, r)| &r["Properties"])
        .collect();
    assert_eq!(found.len(), 1, "{kind} {prefix}*: {found:?}");
    found[0].clone()
}

#[test]
fn an_efs_volume_is_encrypted_in_transit_and_grants_the_task_role_least_privilege() {
    let mut stack = Stack::new("Web");
    FargateTaskDefinition::builder("Task")
        .volume(
            EfsVolume::new("data", "fs-0123456789abcdef0")
                .access_point("fsap-0123456789abcdef0")
                .into(),
        )
        .container(
            Container::builder(
                "app",
                ContainerImage::registry("public.ecr.aws/example/app:1"),
            )
            .mount("data", "/data", true),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let task = only(&t, "AWS::ECS::TaskDefinition", "Task");
    assert_eq!(
        task["Volumes"],
        json!([{
            "EFSVolumeConfiguration": {
                "AuthorizationConfig": {"AccessPointId": "fsap-0123456789abcdef0", "IAM": "ENABLED"},
                "FilesystemId": "fs-0123456789abcdef0",
                "TransitEncryption": "ENABLED"
            },
            "Name": "data"
        }])
    );
    let policy = only(&t, "AWS::IAM::Policy", "TaskTaskRole");
    // Mounted read-only by every container: ClientMount only.
    assert_eq!(
        policy["PolicyDocument"]["Statement"],
        json!([{
            "Action": "elasticfilesystem:ClientMount",
            "Condition": {
                "Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"},
                "StringEquals": {"elasticfilesystem:AccessPointArn": {"Fn::Sub": [
                    "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:access-point/${AccessPoint}",
                    {"AccessPoint": "fsap-0123456789abcdef0"}
                ]}}
            },
            "Effect": "Allow",
            "Resource": {"Fn::Sub": [
                "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${FileSystemId}",
                {"FileSystemId": "fs-0123456789abcdef0"}
            ]}
        }])
    );
}

#[test]
fn a_writable_efs_mount_adds_client_write_and_iam_off_grants_nothing() {
    let mut stack = Stack::new("Web");
    Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .volume(EfsVolume::new("data", "fs-0123456789abcdef0").root_directory("/exports"))
        .volume(EfsVolume::new("cache", "fs-0fedcba9876543210").iam_authorization(false))
        .container(
            Container::builder(
                "app",
                ContainerImage::registry("public.ecr.aws/example/app:1"),
            )
            .memory_limit_mib(512)
            .mount("data", "/data", false)
            .mount("cache", "/cache", false),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let task = only(&t, "AWS::ECS::TaskDefinition", "Task");
    assert_eq!(
        task["Volumes"][0]["EFSVolumeConfiguration"],
        json!({
            "AuthorizationConfig": {"IAM": "ENABLED"},
            "FilesystemId": "fs-0123456789abcdef0",
            "RootDirectory": "/exports",
            "TransitEncryption": "ENABLED"
        })
    );
    assert_eq!(
        task["Volumes"][1]["EFSVolumeConfiguration"],
        json!({"FilesystemId": "fs-0fedcba9876543210", "TransitEncryption": "ENABLED"})
    );
    let policy = only(&t, "AWS::IAM::Policy", "TaskTaskRole");
    let statements = policy["PolicyDocument"]["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1, "{statements:?}");
    assert_eq!(
        statements[0]["Action"],
        json!([
            "elasticfilesystem:ClientMount",
            "elasticfilesystem:ClientWrite"
        ])
    );
}

#[test]
fn a_windows_task_with_an_fsx_volume() {
    let mut stack = Stack::new("Web");
    let secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fsx-credentials";
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Nat)
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .volume(FsxWindowsVolume::new(
            "share",
            "fs-0123456789abcdef0",
            "share",
            secret,
            "corp.example.com",
        ))
        .container(
            Container::builder(
                "iis",
                ContainerImage::registry(
                    "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
                ),
            )
            .memory_limit_mib(1024)
            .port(ecscdk::ecs::PortMapping::tcp(80))
            .mount("share", "C:\\share", false),
        )
        .build(&mut stack)
        .unwrap();
    assert_eq!(
        task.operating_system(),
        OperatingSystem::WindowsServer2022Core
    );
    let t = synth(stack);
    let props = only(&t, "AWS::ECS::TaskDefinition", "Task");
    // The Windows default (NAT) network: no NetworkMode written.
    assert!(props.get("NetworkMode").is_none(), "{props}");
    assert_eq!(
        props["RuntimePlatform"],
        json!({"CpuArchitecture": "X86_64", "OperatingSystemFamily": "WINDOWS_SERVER_2022_CORE"})
    );
    let container = &props["ContainerDefinitions"][0];
    assert!(
        container.get("ReadonlyRootFilesystem").is_none(),
        "{container}"
    );
    assert_eq!(container["PortMappings"][0]["HostPort"], json!(0));
    assert_eq!(
        props["Volumes"],
        json!([{
            "FSxWindowsFileServerVolumeConfiguration": {
                "AuthorizationConfig": {"CredentialsParameter": secret, "Domain": "corp.example.com"},
                "FileSystemId": "fs-0123456789abcdef0",
                "RootDirectory": "share"
            },
            "Name": "share"
        }])
    );
    // The execution role reads exactly the credentials.
    let policy = only(&t, "AWS::IAM::Policy", "TaskExecutionRole");
    let statements = policy["PolicyDocument"]["Statement"].as_array().unwrap();
    assert!(
        statements.contains(&json!({
            "Action": "secretsmanager:GetSecretValue",
            "Effect": "Allow",
            "Resource": secret
        })),
        "{statements:?}"
    );
}

#[test]
fn an_arm64_linux_task_writes_its_runtime_platform() {
    let mut stack = Stack::new("Web");
    Ec2TaskDefinition::builder("Task", Ec2NetworkMode::AwsVpc)
        .runtime_platform(OperatingSystem::Linux, CpuArchitecture::Arm64)
        .container(
            Container::builder(
                "app",
                ContainerImage::registry("public.ecr.aws/example/app:1"),
            )
            .memory_limit_mib(512),
        )
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let props = only(&t, "AWS::ECS::TaskDefinition", "Task");
    assert_eq!(props["NetworkMode"], json!("awsvpc"));
    assert_eq!(
        props["RuntimePlatform"],
        json!({"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"})
    );
}

#[test]
fn a_windows_service_runs_on_windows_ecs_optimized_instances() {
    use ecscdk::ec2::Vpc;
    use ecscdk::ecs::{
        AmiFamily, AmiHardware, AsgCapacityProvider, AutoScalingGroup, Cluster, Ec2Service,
        EcsOptimizedImage,
    };
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc").build(&mut stack).unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let asg = AutoScalingGroup::builder("Asg", &vpc, "m5.large")
        .machine_image(EcsOptimizedImage::new(
            AmiFamily::WindowsServer2022Core,
            AmiHardware::Standard,
        ))
        .build(&mut stack)
        .unwrap();
    let provider = AsgCapacityProvider::builder("Provider", &asg)
        .build(&mut stack)
        .unwrap();
    cluster
        .add_asg_capacity_provider(&mut stack, &provider)
        .unwrap();
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Nat)
        .runtime_platform(
            OperatingSystem::WindowsServer2022Core,
            CpuArchitecture::X86_64,
        )
        .container(
            Container::builder(
                "iis",
                ContainerImage::registry(
                    "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
                ),
            )
            .memory_limit_mib(1024),
        )
        .build(&mut stack)
        .unwrap();
    Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)
        .unwrap();
    let t = synth(stack);
    let data = &only(&t, "AWS::EC2::LaunchTemplate", "Asg")["LaunchTemplateData"];
    // Windows AMIs boot from /dev/sda1.
    assert_eq!(
        data["BlockDeviceMappings"],
        json!([{"DeviceName": "/dev/sda1", "Ebs": {"Encrypted": true}}])
    );
    let user_data = serde_json::to_string(&data["UserData"]).unwrap();
    assert!(
        user_data
            .starts_with(r#"{"Fn::Base64":{"Fn::Join":["",["<powershell>\nImport-Module ECSTools"#),
        "{user_data}"
    );
    assert!(
        user_data.contains("Initialize-ECSAgent -Cluster '"),
        "{user_data}"
    );
    assert!(
        user_data.ends_with(r#"' -EnableTaskIAMRole\n</powershell>"]]}}"#),
        "{user_data}"
    );
    let parameters = t["Parameters"].as_object().unwrap();
    assert!(
        parameters.values().any(|p| p["Default"]
            == "/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id"),
        "{parameters:?}"
    );
}
