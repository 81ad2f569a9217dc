//! The ecscdk engine: construct tree, CDK-compatible logical IDs, typed
//! intrinsics, CloudFormation templates, cross-stack references and the
//! cloud assembly. It holds no AWS SDK and calls no AWS API, and beyond
//! where the CDK's bootstrap puts image assets (an ECR repository's name),
//! it knows nothing of any AWS service; the `ecscdk` crate builds on it, and
//! `ecscdk-deploy` talks to AWS.
//!
//! ```
//! use ecscdk_synth::prelude::*;
//!
//! # fn main() -> ecscdk_synth::Result<()> {
//! let mut app = App::new();
//! let mut network = Stack::new("Network");
//! let root = network.root();
//! let vpc = network.add(root, "Vpc", RawResource::new("AWS::EC2::VPC").property("CidrBlock", "10.0.0.0/16"))?;
//!
//! let mut service = Stack::new("Service");
//! let root = service.root();
//! // A handle of another stack: synth exports it from Network and imports it here.
//! service.add(root, "Sg", RawResource::new("AWS::EC2::SecurityGroup")
//!     .property("GroupDescription", "web")
//!     .property("VpcId", vpc.reference()))?;
//! app.add(network)?;
//! app.add(service)?;
//! let assembly = app.synth()?;
//! assert!(assembly.stack("Service").is_some_and(|s| s.template.contains("Fn::ImportValue")));
//! # Ok(()) }
//! ```

mod app;
mod assembly;
pub mod asset;
pub mod context;
mod error;
mod expr;
mod fast_hash;
mod handle;
mod image_asset;
mod json;
pub mod logical_id;
mod parallel;
mod reference;
mod resolve;
mod resource;
mod stack;
mod synth;
mod template;
mod tree;
mod walk;

pub use app::App;
pub use assembly::{Assembly, CLOUD_ASSEMBLY_VERSION, ReplacingProperties, StackArtifact, Warning};
pub use error::{Error, Result};
pub use expr::{Cond, Expr, Intrinsic, Operand, Pseudo, PseudoParameter, Render, Value};
pub use handle::{ConditionRef, MappingRef, OutputRef, Parameter, ParameterRef, ResourceRef};
pub use image_asset::{
    BOOTSTRAP_QUALIFIER, DockerImageLocation, ImageArtifact, container_assets_repository,
};
#[doc(hidden)]
pub use json::WriteTemplate;
pub use logical_id::{logical_id, validate_logical_id};
pub use reference::ReferenceStrength;
pub use resource::{
    DeletionPolicy, Problem, RawResource, Report, Resource, ResourceOptions, UpdateReplacePolicy,
};
pub use stack::{Env, Stack};
pub use synth::limits;
pub use template::{Mapping, Output, ParameterSpec, Rule};
pub use tree::{ConstructPath, NodeId, StackId};

/// Everything a program that builds stacks needs, in one import.
pub mod prelude {
    pub use crate::{
        App, Cond, ConditionRef, DeletionPolicy, Env, Expr, Mapping, MappingRef, Operand, Output,
        Parameter, ParameterSpec, Pseudo, RawResource, ReferenceStrength, Resource, ResourceRef,
        Rule, Stack, UpdateReplacePolicy, Value,
    };
}
