//! Amazon SQS: queues with a dead-letter queue, server-side encryption on by
//! default and a queue policy that refuses requests not sent over TLS.
//!
//! ```
//! use std::time::Duration;
//! use ecscdk::prelude::*;
//! use ecscdk::sqs::Queue;
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Jobs");
//! let dlq = Queue::builder("Failed").retention_period(Duration::from_secs(14 * 86_400)).build(&mut stack)?;
//! let jobs = Queue::builder("Jobs")
//!     .visibility_timeout(Duration::from_secs(120))
//!     .dead_letter_queue(&dlq, 3)
//!     .build(&mut stack)?;
//! stack.output("JobsUrl", jobs.url())?;
//! # Ok(()) }
//! ```

mod queue;

pub use queue::{Queue, QueueBuilder, QueueEncryption};
