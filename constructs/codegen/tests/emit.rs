//! The code emitted for a small fixture schema, locked by a snapshot: every
//! kind of property (required, enum, map, list of a definition, free JSON, a
//! keyword as a name), its checks, and the handle with its attribute.

#[test]
fn emits_a_small_schema() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/aws-test-widget.json"),
    )
    .expect("fixture");
    let schema: ecscdk_codegen::parse::ResourceSchema =
        serde_json::from_str(&text).expect("a resource schema");
    let mut skipped = ecscdk_codegen::model::Skipped::default();
    let module = ecscdk_codegen::model::build("aws-test-widget.json", &schema, &mut skipped)
        .expect("the model builds");
    let code = ecscdk_codegen::emit::resource_file(&module).expect("the code parses");
    insta::assert_snapshot!(code);
}
