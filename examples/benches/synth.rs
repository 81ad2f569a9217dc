//! The synth benchmark: builds and synthesizes the scale app (a port of the
//! AWS CDK's `scale.js`) at 1 × 40, 5 × 40, 10 × 40 and 20 × 40, in memory
//! and writing a cloud assembly, and reports the median wall time over
//! repeated runs, the time per construct and the peak resident memory.
//!
//! `cargo bench -p ecscdk-examples --bench synth` (release build). Each size
//! runs in a child process of its own, so peak memory is per size. For
//! comparison, the AWS CDK takes 28 s and 553 MiB at 20 × 40 on this kind of
//! machine (13.4 s / 258 MiB with its validation off).
//!
//! Wall time is only meaningful on a quiet machine. With
//! `ECSCDK_BENCH_INSTRUCTIONS=1` the benchmark instead counts the
//! instructions of one build + synth per size under valgrind's callgrind
//! (`valgrind` must be installed), which gives the same numbers whatever else
//! the machine is doing: each size's child runs once under callgrind, which
//! counts only inside `scale::app_with` and `App::synth` (what the timed runs
//! time).
//! `ECSCDK_BENCH_RUNS` overrides the number of timed runs.
//!
//! Then synth as a whole process (`synth/process.rs`): the release `scale`
//! binary, which cargo builds with the benchmark, timed from spawn to exit for
//! `synth --output DIR --quiet` and `list` at every size, with its peak
//! resident memory; and the AWS CDK's `scale.js` in the same run when
//! `../shared/anchors/cdk/apps/scale.js` and `tools/node_modules` are there.
//! Last, with `ECSCDK_MOTO_ENDPOINT` set, the deploy wall time of the
//! scale app's 20 stacks against that moto server, one and four at a time
//! (`synth/deploy.rs`).
//!
//! Then 1 × 40 and 20 × 40 run again with an image asset in each stack (the
//! first service's image built from `examples/images/hello`): the cost of
//! hashing a build context at build() and staging it in the assembly. An
//! app without assets does none of this. Fingerprinting alone, on a large
//! tree, is `cargo bench -p ecscdk-synth --bench fingerprint`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::process::Command;
use std::time::{Duration, Instant};

#[path = "synth/deploy.rs"]
mod deploy;
#[path = "synth/process.rs"]
mod process;

const SIZES: [(usize, usize); 4] = [(1, 40), (5, 40), (10, 40), (20, 40)];
/// Sizes also run with an image asset in each stack.
const ASSET_SIZES: [(usize, usize); 2] = [(1, 40), (20, 40)];
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

/// One build + synth in memory, for counting instructions: prints the number
/// of resources.
fn count_child(stacks: usize, services: usize) {
    let app = ecscdk_examples::scale::app_with(stacks, services).unwrap();
    let assembly = app.synth().unwrap();
    let resources: usize = assembly
        .stacks()
        .iter()
        .map(|s| s.template.matches("\"Type\": ").count())
        .sum();
    println!("{resources}");
}

/// Runs the `size` child once under callgrind; returns its instruction count
/// and what it printed.
fn callgrind(exe: &std::path::Path, size: &str) -> (u64, String) {
    let out_file = std::env::temp_dir().join(format!(
        "ecscdk-bench-callgrind-{}-{size}.out",
        std::process::id()
    ));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg("--collect-atstart=no")
        .arg("--toggle-collect=ecscdk_examples::scale::app_with")
        .arg("--toggle-collect=ecscdk_synth::app::App::synth")
        .arg(exe)
        .env("ECSCDK_BENCH_SIZE", size)
        .env("ECSCDK_BENCH_COUNT", "1")
        .output()
        .expect("valgrind runs (is it installed?)");
    assert!(output.status.success(), "callgrind run of {size} failed");
    let data = std::fs::read_to_string(&out_file).unwrap();
    let _ = std::fs::remove_file(&out_file);
    let total = data
        .lines()
        .find_map(|l| l.strip_prefix("summary:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("callgrind writes a summary line");
    (
        total,
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
    )
}

fn count_instructions(exe: &std::path::Path) {
    println!(
        "synth benchmark: instructions of one build + synth (callgrind), each size in its own process"
    );
    for (stacks, services) in SIZES {
        let (net, printed) = callgrind(exe, &format!("{stacks}x{services}"));
        let resources: u64 = printed.parse().unwrap();
        println!(
            "{stacks:>2} x {services}  {resources:>5} resources  {:>8.1} M instructions  {:>6.1} k/resource",
            net as f64 / 1e6,
            net as f64 / 1e3 / resources as f64,
        );
    }
}

/// Timed runs per size: `ECSCDK_BENCH_RUNS`, else [`RUNS`].
fn runs() -> usize {
    std::env::var("ECSCDK_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(RUNS)
}

/// The build context of the asset variant: the `image_service` example's.
fn build_context() -> Option<&'static std::path::Path> {
    std::env::var_os("ECSCDK_BENCH_ASSET")
        .map(|_| std::path::Path::new(ecscdk_examples::image_service::BUILD_CONTEXT))
}

fn child(stacks: usize, services: usize) {
    let runs = runs();
    let image = build_context();
    let mut in_memory = Vec::new();
    let mut to_disk = Vec::new();
    let mut resources = 0;
    let mut constructs = 0;
    let mut bytes = 0;
    let dir = std::env::temp_dir().join(format!("ecscdk-bench-{}", std::process::id()));
    for _ in 0..runs {
        // The in-memory app and assembly are dropped before the written run,
        // so peak RSS is that of one app, not two.
        {
            let start = Instant::now();
            let app = ecscdk_examples::scale::app_with_image(stacks, services, image).unwrap();
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
        }

        let start = Instant::now();
        let app = ecscdk_examples::scale::app_with_image(stacks, services, image).unwrap();
        app.synth().unwrap().write(&dir).unwrap();
        to_disk.push(start.elapsed());
    }
    let _ = std::fs::remove_dir_all(&dir);
    let mem = median(in_memory);
    let disk = median(to_disk);
    let per = mem.as_secs_f64() * 1e6 / resources as f64;
    let variant = if image.is_some() {
        "  with an image asset per stack"
    } else {
        ""
    };
    println!(
        "{stacks:>2} x {services}{variant}  {resources:>5} resources  {:>5.1} MB  build+synth {:>7.2} ms  +write cdk.out {:>7.2} ms  {per:>5.2} µs/resource  peak RSS {:>6.1} MiB  ({constructs} stacks)",
        bytes as f64 / 1e6,
        mem.as_secs_f64() * 1e3,
        disk.as_secs_f64() * 1e3,
        peak_rss_mib().unwrap_or(f64::NAN),
    );
}

fn main() {
    if let Ok(spec) = std::env::var("ECSCDK_BENCH_PROCESS") {
        let (size, command) = spec.split_once(':').unwrap();
        let (s, n) = size.split_once('x').unwrap();
        let scale = std::path::PathBuf::from(std::env::var_os("ECSCDK_BENCH_SCALE").unwrap());
        process::child(&scale, s.parse().unwrap(), n.parse().unwrap(), command);
        return;
    }
    if let Ok(size) = std::env::var("ECSCDK_BENCH_SIZE") {
        let (s, n) = size.split_once('x').unwrap();
        if std::env::var_os("ECSCDK_BENCH_COUNT").is_some() {
            count_child(s.parse().unwrap(), n.parse().unwrap());
        } else {
            child(s.parse().unwrap(), n.parse().unwrap());
        }
        return;
    }
    let exe = std::env::current_exe().unwrap();
    if std::env::var_os("ECSCDK_BENCH_INSTRUCTIONS").is_some() {
        count_instructions(&exe);
        return;
    }
    println!(
        "synth benchmark: median of {} runs per size, each size in its own process",
        runs()
    );
    for (stacks, services) in SIZES {
        let status = Command::new(&exe)
            .env("ECSCDK_BENCH_SIZE", format!("{stacks}x{services}"))
            .status()
            .unwrap();
        assert!(status.success(), "the {stacks} x {services} run failed");
    }
    // The same app where the first service of each stack runs an image
    // built from a Dockerfile: its build context is hashed at build() and
    // staged (once, then found in place) by the write.
    for (stacks, services) in ASSET_SIZES {
        let status = Command::new(&exe)
            .env("ECSCDK_BENCH_SIZE", format!("{stacks}x{services}"))
            .env("ECSCDK_BENCH_ASSET", "1")
            .status()
            .unwrap();
        assert!(
            status.success(),
            "the {stacks} x {services} asset run failed"
        );
    }
    let scale = process::scale_binary();
    process::run_all(&exe, &scale);
    process::cdk();
    deploy::run_all();
}
