//! Example ecscdk apps. Each module builds one app; each has a binary in
//! `src/bin/` that runs it (`cargo run -p ecscdk-examples --bin NAME -- synth`),
//! and `tests/synth.rs` locks every template with an insta snapshot.

pub mod anywhere;
pub mod blue_green;
pub mod capacity;
pub mod ec2_services;
pub mod engine_demo;
pub mod express;
pub mod fargate_alb;
pub mod generated;
pub mod https_web;
pub mod image_service;
pub mod managed_daemon;
pub mod managed_instances;
pub mod monitored;
pub mod multi_stack;
pub mod nightly_job;
pub mod nlb_service;
pub mod queue_worker;
pub mod scale;
pub mod service_connect_pair;
pub mod weak_refs;
pub mod web;

/// A function that builds an example's app.
pub type BuildApp = fn() -> ecscdk::Result<ecscdk::App>;

/// Every example: its name (also its binary's name) and the function that
/// builds its app.
pub const EXAMPLES: &[(&str, BuildApp)] = &[
    ("anywhere", anywhere::app),
    ("blue_green", blue_green::app),
    ("capacity", capacity::app),
    ("ec2_services", ec2_services::app),
    ("engine_demo", engine_demo::app),
    ("fargate_alb", fargate_alb::app),
    ("https_web", https_web::app),
    ("image_service", image_service::app),
    ("managed_daemon", managed_daemon::app),
    ("managed_instances", managed_instances::app),
    ("express", express::app),
    ("monitored", monitored::app),
    ("multi_stack", multi_stack::app),
    ("nightly_job", nightly_job::app),
    ("nlb_service", nlb_service::app),
    ("queue_worker", queue_worker::app),
    ("scale", scale_default),
    ("service_connect_pair", service_connect_pair::app),
    ("weak_refs", weak_refs::app),
    ("web", web::app),
];

/// The scale app at the CDK reference size (1 × 40), whatever the
/// environment says.
fn scale_default() -> ecscdk::Result<ecscdk::App> {
    scale::app_with(1, 40)
}
