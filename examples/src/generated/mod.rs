//! The gallery's manifests (`examples/src/*.yaml`) and the manifest that
//! uses every field (`manifest/tests/data/every_field.yaml`) as Rust,
//! written by `ecscdk_manifest::rust::to_rust_module`.
//! `manifest/tests/rust.rs` checks that they are current and that they
//! synthesize the templates of their manifests; refresh them with
//! `ECSCDK_BLESS=1 cargo test -p ecscdk-manifest --test rust`.

pub mod blue_green;
pub mod capacity;
pub mod copilot_ws1;
pub mod every_field;
pub mod fargate_alb;
pub mod https_web;
pub mod image_service;
pub mod managed_instances;
pub mod monitored;
pub mod multi_stack;
pub mod nightly_job;
pub mod nlb_service;
pub mod queue_worker;
pub mod service_connect_pair;
pub mod web;

/// Every generated app: its manifest's name and the function that builds
/// it.
pub const APPS: &[(&str, crate::BuildApp)] = &[
    ("blue_green", blue_green::app),
    ("capacity", capacity::app),
    ("copilot_ws1", copilot_ws1::app),
    ("every_field", every_field::app),
    ("fargate_alb", fargate_alb::app),
    ("https_web", https_web::app),
    ("image_service", image_service::app),
    ("managed_instances", managed_instances::app),
    ("monitored", monitored::app),
    ("multi_stack", multi_stack::app),
    ("nightly_job", nightly_job::app),
    ("nlb_service", nlb_service::app),
    ("queue_worker", queue_worker::app),
    ("service_connect_pair", service_connect_pair::app),
    ("web", web::app),
];
