//! Application Auto Scaling: scalable targets and their scaling policies.
