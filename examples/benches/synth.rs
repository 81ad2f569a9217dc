//! The synth benchmark: builds and synthesizes the scale app (a port of the
//! AWS CDK's `scale.js`) at 1 × 40, 5 × 40, 10 × 40 and 20 × 40, in memory
//! and writing a cloud assembly, and reports the median wall time over
//! repeated runs, the time per construct and the peak resident memory.
//!
//! `cargo bench -p ecscdk-examples --bench synth` (release build). Each size
//! runs in a child process of its own, so peak memory is per size. For
//! comparison, the AWS CDK takes 28 s and 553 MiB at 20 × 40 on this kind of
//! machine (13.4 s / 258 MiB with its validation off).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::process::Command;
use std::time::{Duration, Instant};

const SIZES: [(usize, usize); 4] = [(1, 40), (5, 40), (10, 40), (20, 40)];
const RUNS: usize = 15;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Peak resident set size of this process, from /proc (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn child(stacks: usize, services: usize) {
    let mut in_memory = Vec::new();
    let mut to_disk = Vec::new();
    let mut resources = 0;
    let mut constructs = 0;
    let mut bytes = 0;
    let dir = std::env::temp_dir().join(format!("ecscdk-bench-{}", std::process::id()));
    for _ in 0..RUNS {
        let start = Instant::now();
        let app = ecscdk_examples::scale::app_with(stacks, services).unwrap();
        let assembly = app.synth().unwrap();
        in_memory.push(start.elapsed());
        resources = assembly
            .stacks()
            .iter()
            .map(|s| s.template.matches("\"Type\": ").count())
            .sum::<usize>();
        bytes = assembly
            .stacks()
            .iter()
            .map(|s| s.template.len())
            .sum::<usize>();
        constructs = app.stacks().len();

        let start = Instant::now();
        let app = ecscdk_examples::scale::app_with(stacks, services).unwrap();
        app.synth().unwrap().write(&dir).unwrap();
        to_disk.push(start.elapsed());
    }
    let _ = std::fs::remove_dir_all(&dir);
    let mem = median(in_memory);
    let disk = median(to_disk);
    let per = mem.as_secs_f64() * 1e6 / resources as f64;
    println!(
        "{stacks:>2} x {services}  {resources:>5} resources  {:>5.1} MB  build+synth {:>7.2} ms  +write cdk.out {:>7.2} ms  {per:>5.2} µs/resource  peak RSS {:>6.1} MiB  ({constructs} stacks)",
        bytes as f64 / 1e6,
        mem.as_secs_f64() * 1e3,
        disk.as_secs_f64() * 1e3,
        peak_rss_mib().unwrap_or(f64::NAN),
    );
}

fn main() {
    if let Ok(size) = std::env::var("ECSCDK_BENCH_SIZE") {
        let (s, n) = size.split_once('x').unwrap();
        child(s.parse().unwrap(), n.parse().unwrap());
        return;
    }
    println!("synth benchmark: median of {RUNS} runs per size, each size in its own process");
    let exe = std::env::current_exe().unwrap();
    for (stacks, services) in SIZES {
        let status = Command::new(&exe)
            .env("ECSCDK_BENCH_SIZE", format!("{stacks}x{services}"))
            .status()
            .unwrap();
        assert!(status.success(), "the {stacks} x {services} run failed");
    }
}
