//! IAM: roles with typed policy documents, and the grants L2 constructs add
//! to them.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::iam::{PolicyStatement, Principal, Role};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Jobs");
//! let role = Role::builder("Worker", Principal::service("ecs-tasks.amazonaws.com")).build(&mut stack)?;
//! role.add_to_policy(&mut stack, PolicyStatement::allow().action("sqs:ReceiveMessage").resource("*"))?;
//! # Ok(()) }
//! ```

mod policy;
mod role;

pub use policy::{Effect, POLICY_VERSION, PolicyDocument, PolicyStatement, Principal};
pub use role::{Role, RoleBuilder};
