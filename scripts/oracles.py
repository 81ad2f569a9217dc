#!/usr/bin/env python3
"""External oracles on every example app, run by scripts/test.

For each binary in examples/src/bin/, synthesize its cloud assembly into a
temporary folder, then:
  - cfn-lint (from .venv) must report nothing at all on any template, nor on
    the toolkit stack `bootstrap --show-template` prints;
  - the official AWS CDK CLI (tools/node_modules) must list exactly the stacks
    of the assembly's manifest (`cdk ls --app DIR`);
  - checkov (from its own .venv-checkov, offline: --skip-download) must find no
    failed check that scripts/checkov-skips.txt does not suppress (a line that
    suppresses nothing is only noted), and the README's table "Deliberately
    suppressed checkov checks" must list exactly that file's lines.
Also compares the Docker image asset hashes of synth/src/asset/ with those
aws-cdk-lib (tools/node_modules) computes for the same fixture trees.
Also checks that the README's quick-start code is examples/examples/quick_start.rs,
and that every binary is in EXAMPLES (snapshotted) and in the README's table.
Prints one line per check and closes with "N passed, M failed".
"""
import fnmatch
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CFN_LINT = ROOT / ".venv" / "bin" / "cfn-lint"
CDK = ROOT / "tools" / "node_modules" / ".bin" / "cdk"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
CHECKOV_SKIPS = ROOT / "scripts" / "checkov-skips.txt"
README = ROOT / "README.md"
README_SKIPS_HEADING = "Deliberately suppressed checkov checks"
BIN_DIR = ROOT / "target" / "debug"

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}\n{detail}")


def check_quick_start():
    """The README's quick-start code block is examples/examples/quick_start.rs
    (which `cargo clippy --all-targets` and `cargo test` compile) minus its
    `//!` header."""
    source = (ROOT / "examples" / "examples" / "quick_start.rs").read_text()
    body = "\n".join(line for line in source.splitlines()
                     if not line.startswith("//!")).strip()
    blocks = re.findall(r"^```rust\n(.*?)^```$", README.read_text(), re.M | re.S)
    check("README quick start = examples/examples/quick_start.rs",
          any(b.strip() == body for b in blocks),
          "  copy examples/examples/quick_start.rs (below its //! lines) into the README")


def check_gallery(examples):
    """Every binary is in EXAMPLES (so tests/synth.rs snapshots it) and has a
    row in the README's examples table, and every EXAMPLES entry has a binary."""
    lib = (ROOT / "examples" / "src" / "lib.rs").read_text()
    block = re.search(r"pub const EXAMPLES[^=]*= &\[(.*?)\];", lib, re.S)
    listed = re.findall(r'\(\s*"(\w+)"', block.group(1)) if block else []
    check("examples/src/bin/ = EXAMPLES in examples/src/lib.rs",
          sorted(listed) == examples,
          f"  binaries only: {sorted(set(examples) - set(listed))}\n"
          f"  EXAMPLES only: {sorted(set(listed) - set(examples))}")
    section = re.search(r"^## Examples\n(.*?)^## ", README.read_text(), re.M | re.S)
    rows = set(re.findall(r"^\| `(\w+)` \|", section.group(1), re.M)) if section else set()
    missing = [e for e in examples if e not in rows]
    check("every example has a row in the README's examples table", not missing,
          f"  no row for: {missing}")


def check_asset_hashes():
    """The fixtures of synth/tests/asset_fingerprint.rs, written to a temporary
    folder with our hashes, then hashed by aws-cdk-lib's DockerImageAsset
    (tools/cdk-asset-hash.js): every hash must agree."""
    with tempfile.TemporaryDirectory(prefix="ecscdk-assets-") as tmp:
        out = pathlib.Path(tmp) / "fixtures"
        write = subprocess.run(
            ["cargo", "test", "-q", "-p", "ecscdk-synth", "--test", "asset_fingerprint",
             "write_fixtures"],
            cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "ECSCDK_WRITE_ASSET_FIXTURES": str(out)})
        if write.returncode != 0 or not (out / "rust.json").exists():
            check("asset fixtures written", False, write.stdout + write.stderr)
            return
        ours = json.loads((out / "rust.json").read_text())
        cdk = subprocess.run(["node", str(ROOT / "tools" / "cdk-asset-hash.js"),
                              str(out / "specs.json")], capture_output=True, text=True)
        lines = [json.loads(line) for line in cdk.stdout.splitlines() if line.strip()]
        if cdk.returncode != 0 or len(lines) != len(ours):
            check("node tools/cdk-asset-hash.js", False, cdk.stdout + cdk.stderr)
            return
        for mine, theirs in zip(ours, lines):
            check(f"asset hash {mine['name']} = aws-cdk-lib's", mine["hash"] == theirs.get("hash"),
                  f"  ours {mine['hash']}, aws-cdk-lib {theirs}")


def check_instance_types():
    """constructs/data/ec2-instance-types.txt is the union of the installed
    cfn-lint's per-region instance types (its rule E3628's data)."""
    vendored = {line for line in (ROOT / "constructs" / "data" / "ec2-instance-types.txt")
                .read_text().splitlines() if line and not line.startswith("#")}
    found = list((ROOT / ".venv" / "lib").glob(
        "python*/site-packages/cfnlint/data/schemas/extensions/aws_ec2_instance/instancetype_enum.json"))
    if not found:
        check("cfn-lint's instance type data found", False, "no instancetype_enum.json under .venv")
        return
    data = json.loads(found[0].read_text())
    current = set()
    for entry in data.values():
        if isinstance(entry, dict):
            current |= set(entry.get("enum", []))
    check("constructs/data/ec2-instance-types.txt = cfn-lint's instance types",
          vendored == current,
          f"only vendored: {sorted(vendored - current)[:20]}; only in cfn-lint: {sorted(current - vendored)[:20]}")


def main():
    check_quick_start()
    check_asset_hashes()
    check_instance_types()
    examples = sorted(p.stem for p in (ROOT / "examples" / "src" / "bin").glob("*.rs"))
    check_gallery(examples)
    if not examples:
        check("examples found", False, "no example binaries in examples/src/bin")
    with tempfile.TemporaryDirectory(prefix="ecscdk-oracles-") as tmp:
        tmp = pathlib.Path(tmp)
        templates = []
        assemblies = {}
        for name in examples:
            out = tmp / name
            run = subprocess.run(
                [str(BIN_DIR / name), "synth", "--quiet", "--output", str(out)],
                # The app's folder, where its cdk.context.json is.
                capture_output=True, text=True, cwd=ROOT / "examples")
            check(f"{name}: synth", run.returncode == 0, run.stdout + run.stderr)
            if run.returncode != 0:
                continue
            manifest = json.loads((out / "manifest.json").read_text())
            stacks = {k: v for k, v in manifest["artifacts"].items()
                      if v["type"] == "aws:cloudformation:stack"}
            assemblies[name] = (out, stacks)
            templates += [out / s["properties"]["templateFile"] for s in stacks.values()]

        # checkov runs beside cfn-lint and the CDK CLI (two cores; all single-threaded).
        checkov = start_checkov(tmp, templates) if templates else None

        # The toolkit stack `bootstrap` deploys is linted too (not checkov'd:
        # it is ours, not a user's app).
        lint_templates = list(templates)
        if examples:
            toolkit = bootstrap_template(tmp, examples[0])
            if toolkit:
                lint_templates.append(toolkit)

        # cfn-lint: one call for every template (about 1.5 s a call).
        if lint_templates:
            lint = subprocess.run([str(CFN_LINT), "--format", "json", *map(str, lint_templates)],
                                  capture_output=True, text=True)
            try:
                findings = json.loads(lint.stdout or "[]")
            except json.JSONDecodeError:
                findings = None
            if findings is None:
                check("cfn-lint ran", False, lint.stdout + lint.stderr)
            else:
                for t in lint_templates:
                    mine = [f for f in findings
                            if pathlib.Path(f["Filename"]).resolve() == t.resolve()]
                    detail = "\n".join(
                        f"  {f['Level']} {f['Rule']['Id']} {'/'.join(map(str, f['Location']['Path']))}: {f['Message']}"
                        for f in mine)
                    check(f"cfn-lint {t.parent.name}/{t.name}: no findings", not mine, detail)
                check("cfn-lint exit code 0", lint.returncode == 0, lint.stderr)

        # The CDK CLI reads each assembly and lists its stacks.
        for name, (out, stacks) in assemblies.items():
            ls = subprocess.run([str(CDK), "ls", "--app", str(out)], capture_output=True,
                                text=True, cwd=tmp)
            listed = [line.strip() for line in ls.stdout.splitlines() if line.strip()]
            ok = ls.returncode == 0 and sorted(listed) == sorted(stacks)
            check(f"cdk ls --app {name}: {', '.join(listed)}", ok,
                  f"expected {sorted(stacks)}\n{ls.stdout}{ls.stderr}")

        if checkov:
            finish_checkov(*checkov)

    print(f"\noracles: {passed} passed, {failed} failed")
    return 1 if failed else 0


def read_skips():
    """The suppressions of scripts/checkov-skips.txt: (check id, where glob, reason)."""
    skips = []
    for n, line in enumerate(CHECKOV_SKIPS.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or not re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", parts[0]) \
                or parts[1].count("/") != 2:
            check(f"{CHECKOV_SKIPS.name}:{n} reads as CHECK_ID EXAMPLE/STACK/LOGICAL_ID REASON",
                  False, f"  {line}")
            continue
        skips.append(tuple(parts))
    return skips


def read_readme_skips():
    """The rows of the README table under the heading README_SKIPS_HEADING."""
    rows, inside = [], False
    for line in README.read_text().splitlines():
        if line.startswith("#"):
            inside = line.lstrip("#").strip() == README_SKIPS_HEADING
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")] \
            if inside and line.startswith("|") else []
        if len(cells) >= 3 and re.fullmatch(r"`CKV2?_[A-Z0-9]+_\d+`", cells[0]):
            rows.append((cells[0].strip("`"), cells[1].strip("`"),
                         "|".join(cells[2:]).strip()))
    return rows


def bootstrap_template(tmp, example):
    """The toolkit stack's template (`bootstrap --show-template`, which
    calls no AWS API), written under tmp/bootstrap/, or None when it failed."""
    run = subprocess.run([str(BIN_DIR / example), "bootstrap", "--show-template"],
                         capture_output=True, text=True)
    ok = run.returncode == 0
    try:
        json.loads(run.stdout)
    except json.JSONDecodeError:
        ok = False
    check(f"{example}: bootstrap --show-template prints JSON", ok, run.stdout + run.stderr)
    if not ok:
        return None
    out = tmp / "bootstrap" / "EcscdkToolkit.template.json"
    out.parent.mkdir()
    out.write_text(run.stdout)
    return out


def start_checkov(tmp, templates):
    """Starts checkov over every template, in one call (its start-up dominates)."""
    rel = [str(t.relative_to(tmp)) for t in templates]
    args = [str(CHECKOV), "--skip-download", "--framework", "cloudformation",
            "--output", "json", "--compact", *(a for f in rel for a in ("--file", f))]
    done = {}

    def run():
        start = time.monotonic()
        try:
            done["run"] = subprocess.run(args, capture_output=True, text=True, cwd=tmp)
        except OSError as e:
            done["run"] = subprocess.CompletedProcess(
                args, 127, "", f"{e}: ./scripts/test installs checkov into .venv-checkov")
        done["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done, rel


def finish_checkov(thread, done, rel):
    """Reads checkov's report and checks it against scripts/checkov-skips.txt."""
    thread.join()
    run, seconds = done["run"], done["seconds"]
    skips = read_skips()
    readme = read_readme_skips()
    missing = [s for s in skips if s not in readme]
    extra = [r for r in readme if r not in skips]
    check(f"README table \"{README_SKIPS_HEADING}\" mirrors {CHECKOV_SKIPS.name}",
          not missing and not extra,
          "".join(f"  not in the README: | `{c}` | `{w}` | {r} |\n" for c, w, r in missing)
          + "".join(f"  not in {CHECKOV_SKIPS.name}: {c}  {w}  {r}\n" for c, w, r in extra))

    try:
        reports = json.loads(run.stdout)
    except json.JSONDecodeError:
        check("checkov ran", False, run.stdout[-3000:] + run.stderr[-3000:])
        return
    if isinstance(reports, dict) and "results" not in reports:
        # With no check to run at all, checkov prints a bare summary.
        reports = {"check_type": "cloudformation", "summary": reports, "results": {
            "passed_checks": [], "failed_checks": [], "skipped_checks": [],
            "parsing_errors": []}}
    reports = reports if isinstance(reports, list) else [reports]
    results = [r["results"] for r in reports if r.get("check_type") == "cloudformation"]
    ok = run.returncode in (0, 1) and len(results) == 1 and not results[0]["parsing_errors"]
    version = reports[0].get("summary", {}).get("checkov_version", "?") if reports else "?"
    check(f"checkov {version} ran on {len(rel)} templates in {seconds:.1f} s"
          " (while cfn-lint and cdk ls ran)", ok,
          run.stderr[-3000:] + json.dumps([r.get("summary") for r in reports]))
    if not ok:
        return
    results = results[0]
    # Suppressions live in one list: none in the templates' Metadata.
    check("checkov: no check skipped inside a template",
          not results.get("skipped_checks"),
          "".join(f"  {f['check_id']} {f['file_path']} {f['resource']}\n"
                  for f in results.get("skipped_checks", [])))

    def where(finding):
        # file_path is "/EXAMPLE/STACK.template.json", relative to tmp.
        example, _, name = finding["file_path"].strip("/").partition("/")
        logical_id = finding["resource"].split(".", 1)[1]
        return f"{example}/{name.removesuffix('.template.json')}/{logical_id}"

    used = set()
    per_template = {f: {"passed": 0, "failed": [], "suppressed": {}} for f in rel}
    for finding in results["passed_checks"]:
        per_template[finding["file_path"].strip("/")]["passed"] += 1
    for finding in results["failed_checks"]:
        counts = per_template[finding["file_path"].strip("/")]
        at = where(finding)
        skip = next((s for s in skips
                     if s[0] == finding["check_id"] and fnmatch.fnmatchcase(at, s[1])), None)
        if skip:
            used.add(skip)
            counts["suppressed"][skip[0]] = counts["suppressed"].get(skip[0], 0) + 1
        else:
            counts["failed"].append(
                f"  {finding['check_id']} {at} ({finding['resource'].split('.')[0]}): "
                f"{finding['check_name']}")
    for f, counts in per_template.items():
        suppressed = ", ".join(f"{c} x{n}" if n > 1 else c
                               for c, n in sorted(counts["suppressed"].items()))
        check(f"checkov {f}: {counts['passed']} passed, {len(counts['failed'])} failed, "
              f"{sum(counts['suppressed'].values())} suppressed"
              + (f" ({suppressed})" if suppressed else ""), not counts["failed"],
              "\n".join(counts["failed"])
              + f"\n  fix the default, or suppress with a reason in {CHECKOV_SKIPS.name}"
              " and the README")
    # Not a failure: examples come and go, and a line may wait for its example.
    for skip in (s for s in skips if s not in used):
        print(f"note {CHECKOV_SKIPS.name}: {skip[0]}  {skip[1]} suppresses no failed check;"
              " delete it (and its README row) if no example needs it")


if __name__ == "__main__":
    sys.exit(main())
