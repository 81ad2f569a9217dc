//! CloudWatch Logs: log groups with a finite retention by default.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::logs::{LogGroup, RetentionDays};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let group = LogGroup::builder("AppLogs").retention(RetentionDays::OneWeek).build(&mut stack)?;
//! stack.output("LogGroupName", group.name())?;
//! # Ok(()) }
//! ```

mod log_group;
mod retention;

pub use log_group::{LogGroup, LogGroupBuilder};
pub use retention::RetentionDays;
