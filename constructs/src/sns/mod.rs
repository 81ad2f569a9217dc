//! Amazon SNS: topics ([`Topic`]) that alarms and events publish to, and
//! their subscriptions.

mod topic;

pub use topic::{Subscription, Topic, TopicBuilder, TopicEncryption};
