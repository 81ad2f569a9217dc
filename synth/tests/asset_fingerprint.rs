//! Golden tests of the Docker image asset hash against aws-cdk-lib 2.276.0.
//!
//! Each fixture tree is generated here. The expected hashes in [`GOLDEN`] were
//! produced by the real CDK (`new DockerImageAsset(stack, 'I', props).assetHash`):
//!
//! ```text
//! ECSCDK_WRITE_ASSET_FIXTURES=/tmp/fx cargo test -p ecscdk-synth --test asset_fingerprint write_fixtures
//! node tools/cdk-asset-hash.js /tmp/fx/specs.json
//! ```
//!
//! The first command writes every tree under `/tmp/fx/<name>/` (and the
//! targets of the external links under `/tmp/fx/outside/`), `specs.json` (one
//! spec per fixture, in [`GOLDEN`] order) and `rust.json` (our hashes); the
//! second prints the CDK's hash of each spec, one JSON line each.
//! `scripts/oracles.py` runs both and compares, so a drift shows up there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use ecscdk_synth::asset::{
    AssetError, DockerImageSource, FingerprintOptions, docker_image_hash, fingerprint,
    stage_docker_image,
};

/// The CDK's hashes of the fixtures (see the module docs for how they were made).
const GOLDEN: &[(&str, &str)] = &[
    ("basic", "ec190e66656d71f9fa7cbef99637e1bfaa442f8859255739d275519905ae00b0"),
    ("crlf", "905e7ea684e7e36ff3860558e749a4d64716f34a21fa3858a988ef5632feffa4"),
    ("crlf_straddles_8k", "43df0a9e787bc48cc364c2c69298692419a550ecfbfc6a69f8ab48063ed1acc3"),
    ("cr_ends_first_chunk_then_binary", "1cd708b93ae361ea26e4f44b7d2e2664c442f22be8872afa5eba29d8f0d75881"),
    ("cr_ends_file", "d6b09252766147b0616b8f64c29efed4389e7546e994b7fdb9fdf46d33d1b7bd"),
    ("utf8_straddles_8k", "3ed86bf38e78e59e509b234eb58c14a84da2228d1916aadaecd00c0cfea3b895"),
    ("invalid_utf8", "f93627eaed049d525b1c4fd77f2bf94ef79bf3bfcb61714dd1c8b12c700c62a8"),
    ("binary_nul", "449c11a755801a663649d01a783156c83c5baf4d4b238726258cae9c84a24f33"),
    ("empty_file", "65078dd056aca20c2c6e5074f0cae215e86ae291443ed41c7fc5cbe983639e1b"),
    ("symlinks_internal", "7854d13c57e959e21f52710a44f080d0ea6731818ef1e5a684ea32aa7d175169"),
    ("symlinks_external", "9c349a5c0f8e0cd98952837af94772e3adb3be1ae77704578ab00922be1b13fb"),
    ("dockerignore", "c6b721229e27757b8dca4beb7d7f9f3dbfc02209f50660910397b04990b53808"),
    ("dockerignore_crlf_and_bom", "4994a63021b4c8f3fc9acae929ca44c9ec4309d64ff330a0690c8968c2e26ea4"),
    ("nested_reinclude", "bb8e4c72eebaa17c572cd3019464aefcd86d19cf6f389420597c9c857754029c"),
    ("custom_dockerfile", "048bccfa14a54b9cb9f767035bf6ba6881fceb5f2b638bfb3fb7945deadd5003"),
    ("options", "68b3a3dc67b77b56a924289fedad68ef9bf1f95e42e965e103d4f4a320aa40fa"),
    ("options_numeric_build_args", "092bc8dd54615b2fc9ad0bd43834e8804ebde35b819214b5be5d61cf6374120f"),
    ("exclude_option", "54ce8b86229b29c2157938032861a715b61ff6bc52354c2d916a86fc422f5a38"),
    ("cdk_out_excluded", "ef3b090a54d6a44093179709c2be6e82db0c3d970ab1174341016e236e96157d"),
    ("sorting", "16a3249b5173e8a31f2fc54866c143aa25b07711d63809b2efcf1366241f9d97"),
    ("prototype_names", "d72fad6b1277ed5466d3b84198a54b26ae40c5844f7abb7e9ae0dbe1f35b0283"),
];

const CHUNK: usize = 8192;

fn write(dir: &Path, rel: &str, content: &[u8]) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// Text of `len` bytes: lines of ASCII.
fn text(len: usize) -> Vec<u8> {
    b"the quick brown fox jumps over the lazy dog\n"
        .iter()
        .copied()
        .cycle()
        .take(len)
        .collect()
}

/// Builds fixture `name` in `dir` (external link targets go under `outside`)
/// and returns its source (with `directory` = `dir`).
fn build(name: &str, dir: &Path, outside: &Path) -> DockerImageSource {
    fs::create_dir_all(dir).unwrap();
    let mut source = DockerImageSource::new(dir);
    if name != "custom_dockerfile" {
        write(dir, "Dockerfile", b"FROM scratch\nCOPY . /app\n");
    }
    match name {
        "basic" => {
            write(dir, "app.txt", b"hello\n");
            write(dir, "src/main.rs", b"fn main() {}\n");
        }
        "crlf" => write(dir, "win.txt", b"line one\r\nline two\r\n\r\nlast\r"),
        "crlf_straddles_8k" => {
            let mut data = text(CHUNK - 1);
            data.extend(b"\r\n");
            data.extend(text(3 * CHUNK));
            data.extend(b"a\r\r\nb\r\n");
            write(dir, "straddle.txt", &data);
        }
        "cr_ends_first_chunk_then_binary" => {
            let mut data = text(CHUNK - 1);
            data.push(b'\r');
            data.extend(b"\nbinary\0after");
            write(dir, "late_binary.bin", &data);
        }
        "cr_ends_file" => {
            let mut data = text(CHUNK - 1);
            data.push(b'\r');
            write(dir, "exact.txt", &data);
            let mut data = text(2 * CHUNK + 100);
            data.extend(b"x\r\ny\r");
            write(dir, "tail_cr.txt", &data);
        }
        "utf8_straddles_8k" => {
            let mut data = text(CHUNK - 1);
            data.extend("é€😀".as_bytes());
            data.extend(text(100));
            write(dir, "two_byte.txt", &data);
            let mut data = text(CHUNK - 2);
            data.extend("😀 and more".as_bytes());
            write(dir, "four_byte.txt", &data);
        }
        "invalid_utf8" => {
            write(dir, "latin1.txt", b"caf\xe9 cr\xe8me\r\n\xff\xfe\xed\xa0\x80 \xf0\x9f\x98\r\n");
        }
        "binary_nul" => {
            let mut data: Vec<u8> = (0..=255u8).cycle().take(3 * CHUNK + 7).collect();
            data.extend(b"\r\n\r\n");
            write(dir, "blob.bin", &data);
        }
        "empty_file" => {
            write(dir, "empty", b"");
            fs::create_dir_all(dir.join("empty_dir")).unwrap();
        }
        "symlinks_internal" => {
            write(dir, "data/real.txt", b"real\n");
            symlink("data/real.txt", dir.join("rel_link")).unwrap();
            symlink(dir.join("data/real.txt"), dir.join("abs_link")).unwrap();
            symlink("data", dir.join("dir_link")).unwrap();
            symlink("does/not/exist", dir.join("dangling")).unwrap();
            symlink("../data/real.txt", dir.join("data/../up_link")).unwrap();
        }
        "symlinks_external" => {
            write(outside, "ext.txt", b"outside file\r\n");
            write(outside, "extdir/inner.txt", b"inner\n");
            symlink(outside.join("ext.txt"), dir.join("ext_file")).unwrap();
            symlink(outside.join("extdir"), dir.join("ext_dir")).unwrap();
        }
        "dockerignore" => {
            write(
                dir,
                ".dockerignore",
                b"# comment\n\n*.log\n!keep.log\n**/*.tmp\nnode_modules\n  # not a comment\n/build/\n",
            );
            write(dir, "a.log", b"log\n");
            write(dir, "keep.log", b"keep\n");
            write(dir, "x/y/z.tmp", b"tmp\n");
            write(dir, "x/y/z.txt", b"txt\n");
            write(dir, "node_modules/m/index.js", b"js\n");
            write(dir, "build/out.o", b"o\n");
            write(dir, "sub/a.log", b"nested log is kept: *.log is top-level only\n");
            write(dir, "  # not a comment", b"matched\n");
            write(dir, "README.MD", b"case\n");
        }
        "dockerignore_crlf_and_bom" => {
            write(dir, ".dockerignore", "\u{FEFF}# bom comment\r\n*.md\r\n!KEEP.md\r\n".as_bytes());
            write(dir, "# bom comment", b"x\n");
            write(dir, "a.md", b"a\n");
            write(dir, "keep.md", b"kept, case-insensitively\n");
        }
        "nested_reinclude" => {
            write(dir, ".dockerignore", b"vendor\n!vendor/lib/keep.txt\n");
            write(dir, "vendor/lib/keep.txt", b"keep\n");
            write(dir, "vendor/lib/drop.txt", b"drop\n");
            write(dir, "vendor/other/drop.txt", b"drop\n");
            fs::create_dir_all(dir.join("vendor/empty")).unwrap();
        }
        "custom_dockerfile" => {
            write(dir, "docker/Dockerfile.prod", b"FROM scratch\n");
            write(dir, "Dockerfile.prod", b"top-level file of the same name\n");
            write(dir, ".dockerignore", b"*\n!src\n");
            write(dir, "src/lib.rs", b"\n");
            write(dir, "other.txt", b"excluded\n");
            source.file = Some("docker/Dockerfile.prod".into());
        }
        "options" => {
            write(dir, "app.txt", b"app\n");
            source.build_args.insert("VERSION".into(), "1.2.3".into());
            source.build_args.insert("EMPTY".into(), String::new());
            source.build_args.insert("QUOTE".into(), "say \"hi\"\n\u{1}é".into());
            source.target = Some("runtime".into());
            source.platform = Some("linux/arm64".into());
            source.network_mode = Some("host".into());
            source.extra_hash = Some("salt".into());
        }
        "options_numeric_build_args" => {
            source.build_args.insert("B".into(), "b".into());
            source.build_args.insert("10".into(), "ten".into());
            source.build_args.insert("2".into(), "two".into());
            source.build_args.insert("02".into(), "zero-two".into());
            source.network_mode = Some("none".into());
            source.target = Some(String::new());
        }
        "exclude_option" => {
            write(dir, "a.txt", b"a\n");
            write(dir, "b.bak", b"b\n");
            write(dir, "deep/c.bak", b"c\n");
            write(dir, ".dockerignore", b"a.txt\n");
            source.exclude = vec!["**/*.bak".into(), "!deep/c.bak".into(), ".dockerignore".into()];
        }
        "cdk_out_excluded" => {
            write(dir, "cdk.out/manifest.json", b"{}\n");
            write(dir, "sub/cdk.out/kept.json", b"{}\n");
        }
        "sorting" => {
            for n in ["B", "a-b", "a.txt", "b", "\u{1F600}", "\u{FF01}", "Z", "_"] {
                write(dir, n, n.as_bytes());
            }
            write(dir, "a/inner", b"inner\n");
        }
        "prototype_names" => {
            write(dir, ".dockerignore", b"*\n!Dockerfile\n");
            write(dir, "constructor", b"never ignored\n");
            write(dir, "toString", b"never ignored\n");
            write(dir, "other", b"ignored\n");
            write(dir, "sub/constructor", b"ignored\n");
        }
        other => panic!("unknown fixture {other}"),
    }
    source
}

/// The CDK spec (`tools/cdk-asset-hash.js`) of a source.
fn spec(source: &DockerImageSource) -> serde_json::Value {
    let mut spec = serde_json::json!({ "directory": source.directory });
    let obj = spec.as_object_mut().unwrap();
    if let Some(f) = &source.file {
        obj.insert("file".into(), f.as_str().into());
    }
    if !source.build_args.is_empty() {
        obj.insert("buildArgs".into(), serde_json::to_value(&source.build_args).unwrap());
    }
    for (key, value) in [
        ("target", &source.target),
        ("platform", &source.platform),
        ("networkMode", &source.network_mode),
        ("extraHash", &source.extra_hash),
    ] {
        if let Some(v) = value {
            obj.insert(key.into(), v.as_str().into());
        }
    }
    if !source.exclude.is_empty() {
        obj.insert("exclude".into(), source.exclude.clone().into());
    }
    spec
}

#[test]
fn golden_hashes_match_the_cdk() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (name, expected) in GOLDEN {
        let source = build(name, &tmp.path().join(name), &tmp.path().join("outside").join(name));
        let got = docker_image_hash(&source).unwrap();
        if got != *expected {
            failures.push(format!("{name}: got {got}, the CDK says {expected}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Writes the fixtures, their specs and our hashes to
/// `$ECSCDK_WRITE_ASSET_FIXTURES` (does nothing without it).
#[test]
fn write_fixtures() {
    let Ok(out) = std::env::var("ECSCDK_WRITE_ASSET_FIXTURES") else {
        return;
    };
    let out = PathBuf::from(out);
    if out.exists() {
        fs::remove_dir_all(&out).unwrap();
    }
    let mut specs = Vec::new();
    let mut ours = Vec::new();
    for (name, _) in GOLDEN {
        let source = build(name, &out.join(name), &out.join("outside").join(name));
        specs.push(spec(&source));
        ours.push(serde_json::json!({ "name": name, "hash": docker_image_hash(&source).unwrap() }));
    }
    fs::write(out.join("specs.json"), serde_json::to_string_pretty(&specs).unwrap()).unwrap();
    fs::write(out.join("rust.json"), serde_json::to_string_pretty(&ours).unwrap()).unwrap();
}
