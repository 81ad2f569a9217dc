//! The committed `constructs/src/cfn/` is exactly what the generator makes
//! of the vendored schemas.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn files_on_disk(dir: &Path, base: &Path, out: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_on_disk(&path, base, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.insert(rel.to_owned());
        }
    }
}

#[test]
fn generated_code_is_fresh() {
    let generated = ecscdk_codegen::render(&ecscdk_codegen::schemas_dir())
        .unwrap_or_else(|e| panic!("the generator failed: {e}"));
    let out = ecscdk_codegen::output_dir();
    let mut on_disk = BTreeSet::new();
    files_on_disk(&out, &out, &mut on_disk);

    let mut stale = Vec::new();
    let mut missing = Vec::new();
    for (rel, text) in &generated.files {
        match std::fs::read_to_string(out.join(rel)) {
            Ok(disk) if disk == *text => {}
            Ok(_) => stale.push(rel.display().to_string()),
            Err(_) => missing.push(rel.display().to_string()),
        }
    }
    let extra: Vec<String> = on_disk
        .iter()
        .filter(|rel| !generated.files.contains_key(*rel))
        .map(|rel| rel.display().to_string())
        .collect();

    assert!(
        stale.is_empty() && missing.is_empty() && extra.is_empty(),
        "constructs/src/cfn/ is out of date with constructs/codegen/schemas/ \
         (generated code must not be edited by hand).\n  stale: {stale:?}\n  missing: {missing:?}\n  \
         extra: {extra:?}\nRegenerate with `cargo run -p ecscdk-codegen` and commit the result."
    );
}

#[test]
fn every_listed_type_has_a_type_info_entry() {
    let schemas = ecscdk_codegen::schemas_dir();
    let types = ecscdk_codegen::allow_list(&schemas).unwrap_or_else(|e| panic!("{e}"));
    let generated = ecscdk_codegen::render(&schemas).unwrap_or_else(|e| panic!("{e}"));
    let resource_files = generated
        .files
        .keys()
        .filter(|p| p.file_name().is_some_and(|n| n != "mod.rs"))
        .count();
    assert_eq!(
        resource_files,
        types.len(),
        "one file per listed resource type"
    );
}
