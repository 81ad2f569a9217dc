//! Amazon ECS: task sizes so far; clusters, task definitions, containers and
//! services follow (issue 4).

mod fargate_size;

pub use fargate_size::{FARGATE_SIZES, FargateCpu, FargateRow, FargateSize, InvalidFargateSize};
