//! Context like the CDK's: a VPC in a concrete environment names the zones
//! found in the app's `cdk.context.json` (the CDK's key and format), an
//! environment-agnostic one keeps `Fn::GetAZs`, and a missing entry stops
//! synth with an error that says how to provide it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::ec2::{Vpc, availability_zones_query};
use ecscdk::prelude::*;
use ecscdk::synth::context::{CONTEXT_FILE, ContextValues};
use serde_json::{Value as Json, json};

const KEY: &str = "availability-zones:account=123456789012:region=eu-west-1";

fn network(env: Option<Env>, vpc: ecscdk::ec2::VpcBuilder) -> Stack {
    let mut stack = Stack::new("Network");
    if let Some(env) = env {
        stack = stack.env(env);
    }
    vpc.build(&mut stack).unwrap();
    stack
}

fn eu_west_1() -> Option<Env> {
    Some(Env::new("123456789012", "eu-west-1"))
}

fn zones_of(app: App, stack: Stack) -> Vec<Json> {
    let mut app = app;
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let template: Json =
        serde_json::from_str(&assembly.stack("Network").unwrap().template).unwrap();
    template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::Subnet")
        .map(|r| r["Properties"]["AvailabilityZone"].clone())
        .collect()
}

/// An app whose context file is `dir/cdk.context.json`.
fn app_in(dir: &tempfile::TempDir) -> App {
    App::new().context_file(dir.path().join(CONTEXT_FILE))
}

#[test]
fn a_concrete_environment_names_the_zones_of_the_context_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(CONTEXT_FILE),
        format!(r#"{{"{KEY}": ["eu-west-1b", "eu-west-1a", "eu-west-1c"]}}"#),
    )
    .unwrap();
    let zones = zones_of(app_in(&dir), network(eu_west_1(), Vpc::builder("Vpc")));
    // The file's order, not the alphabet's; public then private subnets.
    assert_eq!(
        zones,
        [
            json!("eu-west-1b"),
            json!("eu-west-1a"),
            json!("eu-west-1b"),
            json!("eu-west-1a")
        ]
    );
}

#[test]
fn a_value_given_in_code_wins_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(CONTEXT_FILE),
        format!(r#"{{"{KEY}": ["eu-west-1a", "eu-west-1b"]}}"#),
    )
    .unwrap();
    let app = app_in(&dir).context(KEY, json!(["eu-west-1c", "eu-west-1b"]));
    let zones = zones_of(app, network(eu_west_1(), Vpc::builder("Vpc").max_azs(1)));
    assert_eq!(zones, [json!("eu-west-1c"), json!("eu-west-1c")]);
}

#[test]
fn without_an_environment_or_when_asked_the_zones_are_chosen_at_deploy() {
    let dir = tempfile::tempdir().unwrap();
    let select0 = json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]});
    let zones = zones_of(app_in(&dir), network(None, Vpc::builder("Vpc")));
    assert_eq!(zones[0], select0);
    let zones = zones_of(
        app_in(&dir),
        network(eu_west_1(), Vpc::builder("Vpc").zones_at_deploy_time()),
    );
    assert_eq!(zones[0], select0);
    // Zones named in code need no context either.
    let zones = zones_of(
        app_in(&dir),
        network(
            eu_west_1(),
            Vpc::builder("Vpc").availability_zones(["eu-west-1c"]),
        ),
    );
    assert_eq!(zones, [json!("eu-west-1c"), json!("eu-west-1c")]);
}

#[test]
fn a_missing_entry_stops_synth_and_says_how_to_provide_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(&dir);
    app.add(network(eu_west_1(), Vpc::builder("Vpc"))).unwrap();
    let err = app.synth().unwrap_err();
    let (missing, file) = err.missing_context().expect("a missing-context error");
    assert_eq!(file, dir.path().join(CONTEXT_FILE));
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].query.key(), KEY);
    assert_eq!(missing[0].query.provider(), "availability-zones");
    assert_eq!(missing[0].paths.len(), 4);
    let text = err
        .to_string()
        .replace(&dir.path().display().to_string(), "DIR");
    insta::assert_snapshot!(text, @r#"[Network/Vpc/PublicSubnet1/Subnet, Network/Vpc/PublicSubnet2/Subnet, and 2 more] needs the Availability Zones of account 123456789012 in eu-west-1 (context key `availability-zones:account=123456789012:region=eu-west-1`), and DIR/cdk.context.json has no such entry: run the app's `synth` (or `diff`, `deploy`) with AWS credentials for that account, built with the `deploy` feature, which looks it up and saves it there, or add it by hand: {"availability-zones:account=123456789012:region=eu-west-1": ["eu-west-1a","eu-west-1b","eu-west-1c"]}"#);
}

#[test]
fn a_region_with_fewer_zones_than_the_vpc_spans_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(&dir).context(KEY, json!(["eu-west-1a"]));
    let mut app = app;
    app.add(network(eu_west_1(), Vpc::builder("Vpc").max_azs(2)))
        .unwrap();
    let err = app.synth().unwrap_err();
    insta::assert_snapshot!(err, @"[Network/Vpc/PublicSubnet2/Subnet] needs item 2 of the context value `availability-zones:account=123456789012:region=eu-west-1` (the Availability Zones of account 123456789012 in eu-west-1), which lists 1: the region has fewer zones than the VPC spans (2); span fewer (`max_azs`) or name the zones (`availability_zones`)
[Network/Vpc/PrivateSubnet2/Subnet] needs item 2 of the context value `availability-zones:account=123456789012:region=eu-west-1` (the Availability Zones of account 123456789012 in eu-west-1), which lists 1: the region has fewer zones than the VPC spans (2); span fewer (`max_azs`) or name the zones (`availability_zones`)");
}

#[test]
fn a_malformed_context_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(CONTEXT_FILE), "[1, 2]").unwrap();
    let mut app = app_in(&dir);
    app.add(network(eu_west_1(), Vpc::builder("Vpc"))).unwrap();
    let err = app.synth().unwrap_err();
    assert!(matches!(err, ecscdk::Error::ContextFile { .. }), "{err:?}");
    assert!(err.to_string().contains(CONTEXT_FILE), "{err}");
}

/// The file is written as the CDK CLI writes it (two-space JSON, final
/// newline), keeps its entries' order, and reads back the same.
#[test]
fn context_files_round_trip_in_the_cdks_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(CONTEXT_FILE);
    let mut values = ContextValues::new();
    values.set("z-first", json!(1));
    values.set(
        availability_zones_query("123456789012", "eu-west-1").key(),
        json!(["eu-west-1a"]),
    );
    values.save(&file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text,
        "{\n  \"z-first\": 1,\n  \"availability-zones:account=123456789012:region=eu-west-1\": [\n    \"eu-west-1a\"\n  ]\n}\n"
    );
    assert_eq!(ContextValues::load(&file).unwrap(), values);
    assert!(
        ContextValues::load(&dir.path().join("absent.json"))
            .unwrap()
            .is_empty()
    );
}
