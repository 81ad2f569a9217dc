//! Synth as users meet it: the release `scale` binary started as a process
//! (`synth --output DIR --quiet`, and `list`), timed from spawn to exit,
//! with the peak resident memory of the process; and the AWS CDK's
//! `scale.js` on the same machine in the same run, when it is there.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{SIZES, median, runs};

/// The `scale` binary cargo built beside this benchmark, in the same
/// (release) profile.
pub(crate) fn scale_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_scale"))
}

/// The peak resident memory of one run of `scale` with `args`, MiB, as GNU
/// time reports it (`/usr/bin/time -f %M`, Debian's package `time`); `None`
/// without it.
fn peak_rss_mib(scale: &Path, stacks: usize, services: usize, args: &[&str]) -> Option<f64> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(scale)
        .args(args)
        .env("STACKS", stacks.to_string())
        .env("SERVICES", services.to_string())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::null())
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let kib: f64 = stderr.lines().last()?.trim().parse().ok()?;
    Some(kib / 1024.0)
}

/// A summary of timed runs: median and range, ms.
fn summary(times: Vec<Duration>) -> String {
    let min = times.iter().min().copied().unwrap_or_default();
    let max = times.iter().max().copied().unwrap_or_default();
    format!(
        "{:>7.1} ms ({:.1}–{:.1})",
        median(times).as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    )
}

/// How one timed case runs `scale`.
struct Case<'a> {
    args: Vec<&'a str>,
    /// Empties the output folder before each run (outside the timing).
    fresh: Option<&'a Path>,
    /// Pins the process to one core (`taskset -c 0`, util-linux), so synth
    /// runs on one thread.
    one_core: bool,
}

impl Case<'_> {
    fn command(&self, scale: &Path, stacks: usize, services: usize) -> Command {
        let mut command = if self.one_core {
            let mut c = Command::new("taskset");
            c.args(["-c", "0"]).arg(scale);
            c
        } else {
            Command::new(scale)
        };
        command
            .args(&self.args)
            .env("STACKS", stacks.to_string())
            .env("SERVICES", services.to_string())
            // Where the app's cdk.context.json is.
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::null());
        command
    }
}

/// Runs `case` at `stacks` × `services`, `runs` times.
fn time_runs(
    scale: &Path,
    stacks: usize,
    services: usize,
    case: &Case<'_>,
    runs: usize,
) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            if let Some(dir) = case.fresh {
                let _ = std::fs::remove_dir_all(dir);
            }
            let mut command = case.command(scale, stacks, services);
            let start = Instant::now();
            let status = command.status().unwrap();
            let took = start.elapsed();
            assert!(status.success(), "scale {:?} failed", case.args);
            took
        })
        .collect()
}

/// One size and command: timed runs, then one run for its peak memory.
///
/// - `synth`: `synth --output DIR --quiet` into the folder of the run
///   before, as when re-synthesizing an unchanged app (no file rewritten);
/// - `synth-new`: the same into an emptied folder, every file written;
/// - `synth-1core`: `synth` pinned to one core;
/// - `list`.
pub(crate) fn child(scale: &Path, stacks: usize, services: usize, command: &str) {
    let runs = runs();
    let dir = std::env::temp_dir().join(format!("ecscdk-bench-process-{}", std::process::id()));
    let out = dir.to_string_lossy().into_owned();
    let synth = vec!["synth", "--output", &out, "--quiet"];
    let case = match command {
        "synth" => Case {
            args: synth,
            fresh: None,
            one_core: false,
        },
        "synth-new" => Case {
            args: synth,
            fresh: Some(&dir),
            one_core: false,
        },
        "synth-1core" => Case {
            args: synth,
            fresh: None,
            one_core: true,
        },
        _ => Case {
            args: vec!["list"],
            fresh: None,
            one_core: false,
        },
    };
    let times = time_runs(scale, stacks, services, &case, runs);
    let rss = peak_rss_mib(scale, stacks, services, &case.args).map_or_else(
        || "n/a (no /usr/bin/time)".to_owned(),
        |m| format!("{m:>5.1} MiB"),
    );
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "{stacks:>2} x {services}  {command:<11}  {}  peak RSS {rss}",
        summary(times)
    );
}

/// Whole-process figures for every size: `synth --output DIR --quiet` into
/// the same folder and into a new one, then `list`, each size and command
/// in its own child; `synth` on one core at the largest size.
pub(crate) fn run_all(exe: &Path, scale: &Path) {
    println!(
        "\nwhole process: the release scale binary from spawn to exit, median (min–max) of {} runs",
        runs()
    );
    let largest = SIZES.last().copied();
    let mut cases: Vec<(usize, usize, &str)> = Vec::new();
    for command in ["synth", "synth-new", "list"] {
        cases.extend(
            SIZES
                .iter()
                .map(|&(stacks, services)| (stacks, services, command)),
        );
    }
    cases.extend(largest.map(|(stacks, services)| (stacks, services, "synth-1core")));
    for (stacks, services, command) in cases {
        let status = Command::new(exe)
            .env(
                "ECSCDK_BENCH_PROCESS",
                format!("{stacks}x{services}:{command}"),
            )
            .env("ECSCDK_BENCH_SCALE", scale)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "the {stacks} x {services} {command} run failed"
        );
    }
}

/// The AWS CDK's scale app (`shared/anchors/cdk/apps/scale.js`) and the
/// `node_modules` that hold aws-cdk-lib, when both are there.
fn cdk_app() -> Option<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    let app = root.join("../shared/anchors/cdk/apps/scale.js");
    let modules = root.join("tools/node_modules");
    (app.is_file() && modules.join("aws-cdk-lib").is_dir()).then_some((app, modules))
}

/// The AWS CDK on the same app: `node scale.js` at 1 × 40 and 20 × 40,
/// with its built-in template validation off (`CDK_VALIDATION=false`) and
/// with its defaults; a few runs each, as one takes seconds.
pub(crate) fn cdk() {
    let Some((app, modules)) = cdk_app() else {
        println!(
            "\nAWS CDK: not measured (shared/anchors/cdk/apps/scale.js or tools/node_modules/aws-cdk-lib is missing)"
        );
        return;
    };
    const CDK_RUNS: usize = 3;
    println!(
        "\nAWS CDK (node scale.js, aws-cdk-lib from tools/), median (min–max) of {CDK_RUNS} runs:"
    );
    for (stacks, services) in [SIZES[0], SIZES[SIZES.len() - 1]] {
        for validation in ["false", "true"] {
            let dir = tempfile::tempdir().unwrap();
            let times: Vec<Duration> = (0..CDK_RUNS)
                .map(|_| {
                    let start = Instant::now();
                    let status = Command::new("node")
                        .arg(&app)
                        .current_dir(dir.path())
                        .env("NODE_PATH", &modules)
                        .env("STACKS", stacks.to_string())
                        .env("SERVICES", services.to_string())
                        .env("CDK_VALIDATION", validation)
                        .stdout(std::process::Stdio::null())
                        .status()
                        .expect("node runs");
                    assert!(status.success(), "node scale.js failed");
                    start.elapsed()
                })
                .collect();
            println!(
                "{stacks:>2} x {services}  validation {:<3}  {}",
                if validation == "true" { "on" } else { "off" },
                summary(times)
            );
        }
    }
}
