#!/usr/bin/env python3
"""External oracles on every example app, run by scripts/test.

For each binary in examples/src/bin/, synthesize its cloud assembly into a
temporary folder, then:
  - cfn-lint (from .venv) must report nothing at all on any template;
  - the official AWS CDK CLI (tools/node_modules) must list exactly the stacks
    of the assembly's manifest (`cdk ls --app DIR`).
Prints one line per check and closes with "N passed, M failed".
"""
import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CFN_LINT = ROOT / ".venv" / "bin" / "cfn-lint"
CDK = ROOT / "tools" / "node_modules" / ".bin" / "cdk"
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


def main():
    examples = sorted(p.stem for p in (ROOT / "examples" / "src" / "bin").glob("*.rs"))
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
                capture_output=True, text=True)
            check(f"{name}: synth", run.returncode == 0, run.stdout + run.stderr)
            if run.returncode != 0:
                continue
            manifest = json.loads((out / "manifest.json").read_text())
            stacks = {k: v for k, v in manifest["artifacts"].items()
                      if v["type"] == "aws:cloudformation:stack"}
            assemblies[name] = (out, stacks)
            templates += [out / s["properties"]["templateFile"] for s in stacks.values()]

        # cfn-lint: one call for every template (about 1.5 s a call).
        if templates:
            lint = subprocess.run([str(CFN_LINT), "--format", "json", *map(str, templates)],
                                  capture_output=True, text=True)
            try:
                findings = json.loads(lint.stdout or "[]")
            except json.JSONDecodeError:
                findings = None
            if findings is None:
                check("cfn-lint ran", False, lint.stdout + lint.stderr)
            else:
                for t in templates:
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

    print(f"\noracles: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
