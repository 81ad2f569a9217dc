//! Bad inputs of SQS queues: rejected when the queue is built, with its
//! construct path.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

use std::time::Duration;

use ecscdk::sqs::{Queue, QueueBuilder};

use super::*;

fn build_error(builder: QueueBuilder) -> Error {
    let mut stack = Stack::new("Web");
    builder.build(&mut stack).unwrap_err()
}

#[test]
fn rejects_fifo_queue_name_without_fifo_suffix() {
    let err = build_error(Queue::builder("Jobs").fifo(true).queue_name("jobs"));
    assert_invalid(&err, "Web/Jobs", "queue_name");
    insta::assert_snapshot!(err, @r#"[Web/Jobs] queue_name: FIFO queue name "jobs" must end in `.fifo`"#);
}

#[test]
fn rejects_queue_name_with_spaces() {
    let err = build_error(Queue::builder("Jobs").queue_name("my jobs"));
    assert_invalid(&err, "Web/Jobs", "queue_name");
    insta::assert_snapshot!(err, @r#"[Web/Jobs] queue_name: queue name "my jobs" may hold only letters, digits, hyphens and underscores"#);
}

#[test]
fn rejects_visibility_timeout_over_12_hours() {
    let err = build_error(Queue::builder("Jobs").visibility_timeout(Duration::from_secs(43_201)));
    assert_invalid(&err, "Web/Jobs", "visibility_timeout");
    insta::assert_snapshot!(err, @r#"[Web/Jobs] visibility_timeout: 43201s is not a whole number of seconds from 0 to 43200"#);
}

#[test]
fn rejects_retention_period_under_a_minute() {
    let err = build_error(Queue::builder("Jobs").retention_period(Duration::from_secs(59)));
    assert_invalid(&err, "Web/Jobs", "retention_period");
    insta::assert_snapshot!(err, @r#"[Web/Jobs] retention_period: 59s is not a whole number of seconds from 60 to 1209600"#);
}

#[test]
fn rejects_fractional_delivery_delay() {
    let err = build_error(Queue::builder("Jobs").delivery_delay(Duration::from_millis(1500)));
    assert_invalid(&err, "Web/Jobs", "delivery_delay");
    insta::assert_snapshot!(err, @r#"[Web/Jobs] delivery_delay: 1.5s is not a whole number of seconds from 0 to 900"#);
}

#[test]
fn rejects_receive_wait_over_20_seconds() {
    let err =
        build_error(Queue::builder("Jobs").receive_message_wait_time(Duration::from_secs(21)));
    assert_invalid(&err, "Web/Jobs", "receive_message_wait_time");
    insta::assert_snapshot!(err, @r#"[Web/Jobs] receive_message_wait_time: 21s is not a whole number of seconds from 0 to 20"#);
}

#[test]
fn rejects_max_receive_count_of_zero() {
    let mut stack = Stack::new("Web");
    let dlq = Queue::builder("Failed").build(&mut stack).unwrap();
    let err = Queue::builder("Jobs")
        .dead_letter_queue(&dlq, 0)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Jobs", "dead_letter_queue");
    insta::assert_snapshot!(err, @r#"[Web/Jobs] dead_letter_queue: max receive count 0 is not from 1 to 1000"#);
}

#[test]
fn rejects_fifo_queue_with_standard_dead_letter_queue() {
    let mut stack = Stack::new("Web");
    let dlq = Queue::builder("Failed").build(&mut stack).unwrap();
    let err = Queue::builder("Jobs")
        .fifo(true)
        .dead_letter_queue(&dlq, 3)
        .build(&mut stack)
        .unwrap_err();
    assert_unsupported(&err, "Web/Jobs", "dead_letter_queue");
    insta::assert_snapshot!(err, @r#"[Web/Jobs] `dead_letter_queue` cannot be used with a standard dead-letter queue for a FIFO queue: a dead-letter queue must be of the same type as its source queue: make both FIFO or both standard"#);
}
