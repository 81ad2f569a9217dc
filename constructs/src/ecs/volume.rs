//! Network file system volumes of task definitions: Amazon EFS
//! ([`EfsVolume`], Linux tasks on Fargate and EC2) and Amazon FSx for Windows
//! File Server ([`FsxWindowsVolume`], Windows tasks on EC2).
//!
//! Both take the file system by id: ecscdk has no L2 for the file systems
//! themselves, so create them in the stack with the L1 types or import them.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ecs::{Container, ContainerImage, EfsVolume, FargateTaskDefinition};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("S");
//! let task = FargateTaskDefinition::builder("Task")
//!     .volume(EfsVolume::new("data", "fs-0123456789abcdef0").access_point("fsap-0123456789abcdef0").into())
//!     .container(
//!         Container::builder("app", ContainerImage::registry("public.ecr.aws/example/app:1"))
//!             .mount("data", "/data", false),
//!     )
//!     .build(&mut stack)?;
//! # let _ = task;
//! # Ok(()) }
//! ```

use crate::cfn::ecs::task_definition::{
    AuthorizationConfig, EFSVolumeConfiguration, FSxAuthorizationConfig,
    FSxWindowsFileServerVolumeConfiguration, IAM, TransitEncryption, Volume as CfnVolume,
};
use crate::iam::PolicyStatement;
use crate::synth::{Expr, Value};
use crate::{Error, Result};

/// An Amazon EFS file system mounted as a task volume (Linux tasks only).
///
/// Secure by default: transit encryption on, and IAM authorization on, so
/// ECS mounts the file system as the task role. The task role is then
/// granted `elasticfilesystem:ClientMount` on this file system only (and
/// `elasticfilesystem:ClientWrite` when some container mounts the volume
/// writable), through a mount target, and through the access point when
/// one is given.
///
/// CloudFormation: `Volumes[].EFSVolumeConfiguration` of [AWS::ECS::TaskDefinition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-taskdefinition-efsvolumeconfiguration.html).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct EfsVolume {
    pub(crate) name: String,
    file_system_id: Value<String>,
    root_directory: Option<String>,
    transit_encryption: bool,
    transit_encryption_port: Option<u16>,
    access_point_id: Option<Value<String>>,
    iam: bool,
}

impl EfsVolume {
    /// The EFS file system `file_system_id` (`fs-…`, or an expression such
    /// as the `Ref` of an `AWS::EFS::FileSystem`) as volume `name`.
    pub fn new(name: impl Into<String>, file_system_id: impl Into<Value<String>>) -> Self {
        Self {
            name: name.into(),
            file_system_id: file_system_id.into(),
            root_directory: None,
            transit_encryption: true,
            transit_encryption_port: None,
            access_point_id: None,
            iam: true,
        }
    }

    /// The directory of the file system mounted as the volume's root (an
    /// absolute path; with an access point, the access point's directory is
    /// used instead).
    ///
    /// CloudFormation default: `/`.
    /// ecscdk default: omitted (`/`).
    pub fn root_directory(mut self, path: impl Into<String>) -> Self {
        self.root_directory = Some(path.into());
        self
    }

    /// Mounts through an EFS access point (`fsap-…`), which fixes the
    /// directory and the POSIX user; the task role's grant is limited to it.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn access_point(mut self, access_point_id: impl Into<Value<String>>) -> Self {
        self.access_point_id = Some(access_point_id.into());
        self
    }

    /// Whether ECS mounts the file system with the task role's IAM identity,
    /// so a file system policy can tell tasks apart (needs transit
    /// encryption).
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: `ENABLED`, with a least-privilege grant to the task
    /// role.
    pub fn iam_authorization(mut self, on: bool) -> Self {
        self.iam = on;
        self
    }

    /// Whether data between the instance and the file system is encrypted
    /// in transit (TLS).
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: `ENABLED`.
    pub fn transit_encryption(mut self, on: bool) -> Self {
        self.transit_encryption = on;
        self
    }

    /// The port the EFS mount helper's TLS tunnel uses on the host.
    ///
    /// CloudFormation default: chosen by the mount helper.
    /// ecscdk default: omitted.
    pub fn transit_encryption_port(mut self, port: u16) -> Self {
        self.transit_encryption_port = Some(port);
        self
    }

    /// The ARN of the file system, from its id.
    fn file_system_arn(&self) -> Value<String> {
        Expr::sub_with(
            "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${FileSystemId}",
            [("FileSystemId", self.file_system_id.clone())],
        )
        .into()
    }

    /// Checks what ECS rejects at registration.
    pub(crate) fn check(&self, invalid: &dyn Fn(&str, String) -> Error) -> Result<()> {
        let name = &self.name;
        if let Some(dir) = &self.root_directory {
            if !dir.starts_with('/') || dir.len() > 4096 {
                return Err(invalid(
                    "volume",
                    format!(
                        "EFS volume {name:?}: root directory {dir:?} is not an absolute path (at most 4096 characters)"
                    ),
                ));
            }
            if self.access_point_id.is_some() && dir != "/" {
                return Err(invalid(
                    "volume",
                    format!(
                        "EFS volume {name:?}: with an access point the root directory must be `/` or omitted (the access point sets the directory); drop `root_directory`"
                    ),
                ));
            }
        }
        if !self.transit_encryption {
            if self.iam {
                return Err(invalid(
                    "volume",
                    format!(
                        "EFS volume {name:?}: IAM authorization needs transit encryption; keep `transit_encryption(true)` or turn IAM authorization off"
                    ),
                ));
            }
            if self.access_point_id.is_some() {
                return Err(invalid(
                    "volume",
                    format!(
                        "EFS volume {name:?}: an access point needs transit encryption; keep `transit_encryption(true)`"
                    ),
                ));
            }
            if self.transit_encryption_port.is_some() {
                return Err(invalid(
                    "volume",
                    format!(
                        "EFS volume {name:?}: a transit encryption port needs transit encryption; drop the port or turn encryption on"
                    ),
                ));
            }
        }
        if self.transit_encryption_port == Some(0) {
            return Err(invalid(
                "volume",
                format!("EFS volume {name:?}: port 0 is not a port; use 1 to 65535"),
            ));
        }
        Ok(())
    }

    /// The statement granting the task role this file system, when ECS
    /// mounts it with IAM authorization.
    pub(crate) fn grant(&self, writable: bool) -> Option<PolicyStatement> {
        if !self.iam {
            return None;
        }
        let mut actions = vec!["elasticfilesystem:ClientMount"];
        if writable {
            actions.push("elasticfilesystem:ClientWrite");
        }
        let mut grant = PolicyStatement::allow()
            .actions(actions)
            .resource(self.file_system_arn())
            .condition("Bool", "elasticfilesystem:AccessedViaMountTarget", "true");
        if let Some(ap) = &self.access_point_id {
            let ap_arn = Expr::sub_with(
                "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:access-point/${AccessPoint}",
                [("AccessPoint", ap.clone())],
            );
            grant = grant.condition("StringEquals", "elasticfilesystem:AccessPointArn", ap_arn);
        }
        Some(grant)
    }

    pub(crate) fn render(&self) -> CfnVolume {
        let authorization = (self.iam || self.access_point_id.is_some()).then(|| {
            Value::Lit(AuthorizationConfig {
                access_point_id: self.access_point_id.clone(),
                iam: Some(Value::Lit(if self.iam {
                    IAM::Enabled
                } else {
                    IAM::Disabled
                })),
            })
        });
        CfnVolume {
            efs_volume_configuration: Some(Value::Lit(EFSVolumeConfiguration {
                authorization_config: authorization,
                root_directory: self.root_directory.as_deref().map(Value::from),
                transit_encryption: Some(Value::Lit(if self.transit_encryption {
                    TransitEncryption::Enabled
                } else {
                    TransitEncryption::Disabled
                })),
                transit_encryption_port: self
                    .transit_encryption_port
                    .map(|p| Value::Lit(i64::from(p))),
                ..EFSVolumeConfiguration::new(self.file_system_id.clone())
            })),
            name: Some(Value::from(self.name.as_str())),
            ..CfnVolume::default()
        }
    }
}

/// An Amazon FSx for Windows File Server file system mounted as a task
/// volume (Windows tasks on EC2 only). ECS joins the share to the Active
/// Directory `domain` with the credentials stored in a Secrets Manager
/// secret or an SSM parameter; the task execution role is granted read
/// access to exactly that secret or parameter.
///
/// CloudFormation: `Volumes[].FSxWindowsFileServerVolumeConfiguration` of [AWS::ECS::TaskDefinition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-taskdefinition-fsxwindowsfileservervolumeconfiguration.html).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct FsxWindowsVolume {
    pub(crate) name: String,
    file_system_id: Value<String>,
    root_directory: String,
    credentials_parameter: Value<String>,
    domain: Value<String>,
}

impl FsxWindowsVolume {
    /// The file system `file_system_id` (`fs-…`) as volume `name`, its
    /// share `root_directory` (e.g. `share`), joined to `domain` with the
    /// credentials in `credentials_parameter` (the ARN of a Secrets Manager
    /// secret or an SSM parameter holding `{"username": .., "password": ..}`).
    pub fn new(
        name: impl Into<String>,
        file_system_id: impl Into<Value<String>>,
        root_directory: impl Into<String>,
        credentials_parameter: impl Into<Value<String>>,
        domain: impl Into<Value<String>>,
    ) -> Self {
        Self {
            name: name.into(),
            file_system_id: file_system_id.into(),
            root_directory: root_directory.into(),
            credentials_parameter: credentials_parameter.into(),
            domain: domain.into(),
        }
    }

    pub(crate) fn check(&self, invalid: &dyn Fn(&str, String) -> Error) -> Result<()> {
        if self.root_directory.trim().is_empty() {
            return Err(invalid(
                "volume",
                format!(
                    "FSx volume {:?}: the root directory is empty; name the share's directory, e.g. `share`",
                    self.name
                ),
            ));
        }
        if let Value::Lit(arn) = &self.credentials_parameter
            && !(arn.starts_with("arn:")
                && (arn.contains(":secretsmanager:") || arn.contains(":ssm:")))
        {
            return Err(invalid(
                "volume",
                format!(
                    "FSx volume {:?}: credentials {arn:?} are not the ARN of a Secrets Manager secret or an SSM parameter",
                    self.name
                ),
            ));
        }
        Ok(())
    }

    /// What the execution role needs to read the credentials.
    pub(crate) fn grant(&self) -> PolicyStatement {
        let actions: &[&str] = match &self.credentials_parameter {
            Value::Lit(arn) if arn.contains(":secretsmanager:") => {
                &["secretsmanager:GetSecretValue"]
            }
            Value::Lit(_) => &["ssm:GetParameters"],
            _ => &["secretsmanager:GetSecretValue", "ssm:GetParameters"],
        };
        PolicyStatement::allow()
            .actions(actions.iter().copied())
            .resource(self.credentials_parameter.clone())
    }

    pub(crate) fn render(&self) -> CfnVolume {
        CfnVolume {
            f_sx_windows_file_server_volume_configuration: Some(Value::Lit(
                FSxWindowsFileServerVolumeConfiguration {
                    authorization_config: Some(Value::Lit(FSxAuthorizationConfig::new(
                        self.credentials_parameter.clone(),
                        self.domain.clone(),
                    ))),
                    ..FSxWindowsFileServerVolumeConfiguration::new(
                        self.file_system_id.clone(),
                        self.root_directory.as_str(),
                    )
                },
            )),
            name: Some(Value::from(self.name.as_str())),
            ..CfnVolume::default()
        }
    }
}
