//! Regenerates `constructs/src/cfn/` from the registry schemas in
//! `constructs/codegen/schemas/`: `cargo run -p ecscdk-codegen`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let schemas = ecscdk_codegen::schemas_dir();
    let out = ecscdk_codegen::output_dir();
    let generated = match ecscdk_codegen::render(&schemas) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = ecscdk_codegen::write(&generated, &out) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let lines: usize = generated.files.values().map(|t| t.lines().count()).sum();
    println!(
        "wrote {} files ({lines} lines) to {}",
        generated.files.len(),
        out.display()
    );
    if !generated.skipped_patterns.is_empty() {
        println!(
            "{} patterns are not checked at synth (the regex crate cannot compile them):",
            generated.skipped_patterns.len()
        );
        for (type_name, pattern) in &generated.skipped_patterns {
            println!("  {type_name}: {pattern}");
        }
    }
    ExitCode::SUCCESS
}
