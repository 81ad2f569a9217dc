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
    (
        "basic",
        "ec190e66656d71f9fa7cbef99637e1bfaa442f8859255739d275519905ae00b0",
    ),
    (
        "crlf",
        "905e7ea684e7e36ff3860558e749a4d64716f34a21fa3858a988ef5632feffa4",
    ),
    (
        "crlf_straddles_8k",
        "43df0a9e787bc48cc364c2c69298692419a550ecfbfc6a69f8ab48063ed1acc3",
    ),
    (
        "cr_ends_first_chunk_then_binary",
        "1cd708b93ae361ea26e4f44b7d2e2664c442f22be8872afa5eba29d8f0d75881",
    ),
    (
        "cr_ends_file",
        "d6b09252766147b0616b8f64c29efed4389e7546e994b7fdb9fdf46d33d1b7bd",
    ),
    (
        "utf8_straddles_8k",
        "3ed86bf38e78e59e509b234eb58c14a84da2228d1916aadaecd00c0cfea3b895",
    ),
    (
        "invalid_utf8",
        "f93627eaed049d525b1c4fd77f2bf94ef79bf3bfcb61714dd1c8b12c700c62a8",
    ),
    (
        "binary_nul",
        "449c11a755801a663649d01a783156c83c5baf4d4b238726258cae9c84a24f33",
    ),
    (
        "empty_file",
        "65078dd056aca20c2c6e5074f0cae215e86ae291443ed41c7fc5cbe983639e1b",
    ),
    (
        "symlinks_internal",
        "7854d13c57e959e21f52710a44f080d0ea6731818ef1e5a684ea32aa7d175169",
    ),
    (
        "symlinks_external",
        "9c349a5c0f8e0cd98952837af94772e3adb3be1ae77704578ab00922be1b13fb",
    ),
    (
        "dockerignore",
        "0c54cb9db2b5f4cf9a401b6aaac1896278b3b63f64af07c88aedd60885cb2469",
    ),
    (
        "dockerignore_crlf_and_bom",
        "4994a63021b4c8f3fc9acae929ca44c9ec4309d64ff330a0690c8968c2e26ea4",
    ),
    (
        "nested_reinclude",
        "bb8e4c72eebaa17c572cd3019464aefcd86d19cf6f389420597c9c857754029c",
    ),
    (
        "custom_dockerfile",
        "048bccfa14a54b9cb9f767035bf6ba6881fceb5f2b638bfb3fb7945deadd5003",
    ),
    (
        "options",
        "68b3a3dc67b77b56a924289fedad68ef9bf1f95e42e965e103d4f4a320aa40fa",
    ),
    (
        "options_numeric_build_args",
        "092bc8dd54615b2fc9ad0bd43834e8804ebde35b819214b5be5d61cf6374120f",
    ),
    (
        "exclude_option",
        "54ce8b86229b29c2157938032861a715b61ff6bc52354c2d916a86fc422f5a38",
    ),
    (
        "cdk_out_excluded",
        "ef3b090a54d6a44093179709c2be6e82db0c3d970ab1174341016e236e96157d",
    ),
    (
        "sorting",
        "16a3249b5173e8a31f2fc54866c143aa25b07711d63809b2efcf1366241f9d97",
    ),
    (
        "prototype_names",
        "d72fad6b1277ed5466d3b84198a54b26ae40c5844f7abb7e9ae0dbe1f35b0283",
    ),
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
            write(
                dir,
                "latin1.txt",
                b"caf\xe9 cr\xe8me\r\n\xff\xfe\xed\xa0\x80 \xf0\x9f\x98\r\n",
            );
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
            write(
                dir,
                "sub/a.log",
                b"nested log is kept: *.log is top-level only\n",
            );
            write(dir, "# not a comment", b"matched: excluded\n");
            write(dir, "README.MD", b"case\n");
        }
        "dockerignore_crlf_and_bom" => {
            write(
                dir,
                ".dockerignore",
                "\u{FEFF}# bom comment\r\n*.md\r\n!KEEP.md\r\n".as_bytes(),
            );
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
            source
                .build_args
                .insert("QUOTE".into(), "say \"hi\"\n\u{1}é".into());
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
            source.exclude = vec![
                "**/*.bak".into(),
                "!deep/c.bak".into(),
                ".dockerignore".into(),
            ];
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
        obj.insert(
            "buildArgs".into(),
            serde_json::to_value(&source.build_args).unwrap(),
        );
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
        let source = build(
            name,
            &tmp.path().join(name),
            &tmp.path().join("outside").join(name),
        );
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
    fs::write(
        out.join("specs.json"),
        serde_json::to_string_pretty(&specs).unwrap(),
    )
    .unwrap();
    fs::write(
        out.join("rust.json"),
        serde_json::to_string_pretty(&ours).unwrap(),
    )
    .unwrap();
}

/// Every file and link under `dir`, relative, `/`-separated, sorted; links as
/// `path -> text`, directories with a trailing `/`.
fn listing(dir: &Path) -> Vec<String> {
    fn go(dir: &Path, rel: &str, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let text = fs::read_link(entry.path()).unwrap();
                out.push(format!("{rel} -> {}", text.display()));
            } else if kind.is_dir() {
                out.push(format!("{rel}/"));
                go(&entry.path(), &rel, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    go(dir, "", &mut out);
    out.sort();
    out
}

#[test]
fn staging_copies_exactly_the_kept_files() {
    let tmp = tempfile::tempdir().unwrap();
    let source = build(
        "dockerignore",
        &tmp.path().join("ctx"),
        &tmp.path().join("outside"),
    );
    let hash = docker_image_hash(&source).unwrap();
    let outdir = tmp.path().join("cdk.out");
    let name = stage_docker_image(&source, &hash, &outdir).unwrap();
    assert_eq!(name, format!("asset.{hash}"));
    assert_eq!(
        listing(&outdir.join(&name)),
        [
            ".dockerignore",
            "Dockerfile",
            "README.MD",
            "keep.log",
            "sub/",
            "sub/a.log",
            "x/",
            "x/y/",
            "x/y/z.txt",
        ]
    );
    // The staged copy hashes like the source.
    let mut staged = source.clone();
    staged.directory = outdir.join(&name);
    assert_eq!(docker_image_hash(&staged).unwrap(), hash);
}

#[test]
fn staging_a_reincluded_file_creates_only_its_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let source = build(
        "nested_reinclude",
        &tmp.path().join("ctx"),
        &tmp.path().join("o"),
    );
    let hash = docker_image_hash(&source).unwrap();
    let name = stage_docker_image(&source, &hash, tmp.path()).unwrap();
    assert_eq!(
        listing(&tmp.path().join(name)),
        [
            ".dockerignore",
            "Dockerfile",
            "vendor/",
            "vendor/lib/",
            "vendor/lib/keep.txt"
        ]
    );
}

#[test]
fn staging_recreates_internal_links_and_copies_external_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = tmp.path().join("ctx");
    let mut source = build("symlinks_internal", &ctx, &tmp.path().join("o"));
    write(&tmp.path().join("o"), "ext.txt", b"external\n");
    symlink(tmp.path().join("o/ext.txt"), ctx.join("ext_link")).unwrap();
    source.exclude = vec!["dangling".into()];
    let hash = docker_image_hash(&source).unwrap();
    let out = tmp.path().join("out");
    let name = stage_docker_image(&source, &hash, &out).unwrap();
    let staged = out.join(&name);
    assert_eq!(
        listing(&staged),
        [
            "Dockerfile",
            "abs_link -> data/real.txt",
            "data/",
            "data/real.txt",
            "dir_link -> data",
            "ext_link",
            "rel_link -> data/real.txt",
            "up_link -> ../data/real.txt",
        ]
    );
    assert_eq!(fs::read(staged.join("ext_link")).unwrap(), b"external\n");
    let mut again = source.clone();
    again.directory = staged;
    assert_eq!(docker_image_hash(&again).unwrap(), hash);
}

#[test]
fn staging_skips_an_existing_asset_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let source = build("basic", &tmp.path().join("ctx"), &tmp.path().join("o"));
    let hash = docker_image_hash(&source).unwrap();
    let out = tmp.path().join("out");
    let name = stage_docker_image(&source, &hash, &out).unwrap();
    fs::remove_file(out.join(&name).join("app.txt")).unwrap();
    fs::write(tmp.path().join("ctx/new.txt"), b"new\n").unwrap();
    assert_eq!(stage_docker_image(&source, &hash, &out).unwrap(), name);
    assert_eq!(
        listing(&out.join(&name)),
        ["Dockerfile", "src/", "src/main.rs"]
    );
}

#[test]
fn staging_rejects_a_hash_that_is_not_a_plain_name() {
    let tmp = tempfile::tempdir().unwrap();
    let source = build("basic", &tmp.path().join("ctx"), &tmp.path().join("o"));
    let err = stage_docker_image(&source, "../x", tmp.path()).unwrap_err();
    assert!(
        matches!(err, AssetError::InvalidHash { ref hash } if hash == "../x"),
        "{err}"
    );
}

#[test]
fn rejects_a_missing_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nope");
    let err = docker_image_hash(&DockerImageSource::new(&dir)).unwrap_err();
    assert!(
        matches!(err, AssetError::MissingDirectory { ref directory } if *directory == dir),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("cannot find the image directory"),
        "{err}"
    );
}

#[test]
fn rejects_a_file_as_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    fs::write(&file, b"x").unwrap();
    let err = docker_image_hash(&DockerImageSource::new(&file)).unwrap_err();
    assert!(
        matches!(err, AssetError::NotADirectory { ref directory } if *directory == file),
        "{err}"
    );
}

#[test]
fn rejects_a_dockerfile_outside_the_directory() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("Dockerfile"), b"FROM scratch\n").unwrap();
    let ctx = tmp.path().join("ctx");
    fs::create_dir(&ctx).unwrap();
    for file in ["../Dockerfile", "a/../../Dockerfile", "/etc/passwd"] {
        let mut source = DockerImageSource::new(&ctx);
        source.file = Some(file.into());
        let err = docker_image_hash(&source).unwrap_err();
        assert!(
            matches!(err, AssetError::DockerfileOutsideDirectory { file: ref f, .. } if f == file),
            "{file}: {err}"
        );
    }
}

#[test]
fn rejects_a_missing_dockerfile() {
    let tmp = tempfile::tempdir().unwrap();
    let mut source = DockerImageSource::new(tmp.path());
    let err = docker_image_hash(&source).unwrap_err();
    assert!(
        matches!(err, AssetError::NoDockerfile { ref file, .. } if file == "Dockerfile"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("set the Dockerfile path with `file`"),
        "{err}"
    );
    source.file = Some("docker/Dockerfile.prod".into());
    let err = docker_image_hash(&source).unwrap_err();
    assert!(
        matches!(err, AssetError::NoDockerfile { ref file, .. } if file == "docker/Dockerfile.prod"),
        "{err}"
    );
}

#[test]
fn rejects_a_kept_link_to_a_fifo() {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = tmp.path().join("ctx");
    fs::create_dir(&ctx).unwrap();
    fs::write(ctx.join("Dockerfile"), b"FROM scratch\n").unwrap();
    let fifo = tmp.path().join("fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    symlink(&fifo, ctx.join("pipe")).unwrap();
    let err = docker_image_hash(&DockerImageSource::new(&ctx)).unwrap_err();
    assert!(
        matches!(err, AssetError::UnsupportedFileType { ref path } if path.ends_with("pipe")),
        "{err}"
    );
    // Excluded, it is no problem; neither is a FIFO met directly (the CDK skips it).
    let mut source = DockerImageSource::new(&ctx);
    source.exclude = vec!["pipe".into()];
    docker_image_hash(&source).unwrap();
    fs::remove_file(ctx.join("pipe")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(ctx.join("direct"))
        .status()
        .unwrap();
    assert!(status.success());
    let with_fifo = docker_image_hash(&DockerImageSource::new(&ctx)).unwrap();
    fs::remove_file(ctx.join("direct")).unwrap();
    assert_eq!(
        with_fifo,
        docker_image_hash(&DockerImageSource::new(&ctx)).unwrap()
    );
}

#[test]
fn rejects_an_invalid_exclude_pattern() {
    let tmp = tempfile::tempdir().unwrap();
    let mut source = build("basic", &tmp.path().join("ctx"), &tmp.path().join("o"));
    source.exclude = vec!["a(b".into()];
    let err = docker_image_hash(&source).unwrap_err();
    assert!(
        matches!(err, AssetError::InvalidPattern { ref pattern, .. } if pattern == "a(b"),
        "{err}"
    );
}

#[test]
fn fingerprint_of_a_single_file_and_of_options() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f.txt");
    fs::write(&file, b"a\r\n").unwrap();
    let plain = fingerprint(&file, &FingerprintOptions::default()).unwrap();
    let salted = fingerprint(
        &file,
        &FingerprintOptions {
            extra_hash: Some("x".into()),
            ..FingerprintOptions::default()
        },
    )
    .unwrap();
    assert_eq!(plain.len(), 64);
    assert_ne!(plain, salted);
}
