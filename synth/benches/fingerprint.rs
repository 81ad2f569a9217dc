//! Wall time of `docker_image_hash` on a 100 MB build context of 10,000 files
//! (a mix of sizes; binary, LF text, CRLF text and multi-byte UTF-8 text), with
//! the files in the page cache.
//!
//! `cargo bench -p ecscdk-synth --bench fingerprint` prints the median of the
//! timed runs and the throughput.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use ecscdk_synth::asset::{DockerImageSource, docker_image_hash};

const FILES: usize = 10_000;
/// Sizes cycled through; their mean is 10,000 bytes, so 100 MB in all.
const SIZES: [usize; 5] = [500, 2_000, 8_000, 20_000, 19_500];
const RUNS: usize = 7;

fn content(i: usize, size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 64);
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while out.len() < size {
        match i % 4 {
            0 => {
                // Binary: pseudo-random bytes, NULs included.
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                out.extend_from_slice(&x.to_le_bytes());
            }
            1 => out.extend_from_slice(b"let value = compute(input, 42); // plain text\n"),
            2 => out.extend_from_slice(b"Windows line endings, as some repos have\r\n"),
            _ => out.extend_from_slice("données élevées — ünïcödé text ✓\n".as_bytes()),
        }
    }
    out.truncate(size);
    out
}

fn build(dir: &Path) -> u64 {
    fs::write(dir.join("Dockerfile"), "FROM scratch\nCOPY . /\n").unwrap();
    fs::write(dir.join(".dockerignore"), "*.log\n!important.log\n").unwrap();
    let mut total = 0u64;
    for i in 0..FILES {
        let sub = dir.join(format!("d{:02}/e{}", i % 100, i % 7));
        fs::create_dir_all(&sub).unwrap();
        let data = content(i, SIZES[i % SIZES.len()]);
        total += data.len() as u64;
        fs::write(sub.join(format!("f{i:05}.dat")), data).unwrap();
    }
    total
}

/// Raw SHA-256 throughput of the `sha2` crate on 100 MB in memory, for comparison
/// (with SHA-NI, `cpufeatures` picks the accelerated backend at run time).
fn raw_sha256() {
    use sha2::Digest;
    let data = vec![0x5au8; 100_000_000];
    let start = Instant::now();
    let digest = sha2::Sha256::digest(&data);
    let elapsed = start.elapsed();
    println!(
        "sha2 SHA-256 over 100 MB in memory: {:.1} ms, {:.0} MB/s (first byte {:02x})",
        elapsed.as_secs_f64() * 1e3,
        100.0 / elapsed.as_secs_f64(),
        digest[0]
    );
}

fn main() {
    raw_sha256();
    let tmp = tempfile::tempdir().unwrap();
    let total = build(tmp.path());
    let source = DockerImageSource::new(tmp.path());
    // Warm-up (and the page cache).
    let hash = docker_image_hash(&source).unwrap();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let again = docker_image_hash(&source).unwrap();
            let elapsed = start.elapsed();
            assert_eq!(again, hash);
            elapsed
        })
        .collect();
    times.sort();
    let median = times[RUNS / 2];
    let mb = total as f64 / 1e6;
    println!(
        "docker_image_hash: {FILES} files, {mb:.1} MB: median {:.1} ms over {RUNS} runs \
         (min {:.1} ms, max {:.1} ms), {:.0} MB/s",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3,
        mb / median.as_secs_f64()
    );
}
