#!/usr/bin/env python3
"""Wall time of pyweb itself and of the generated projects' test suites, with hyperfine.

    python bench/cli.py                    # pyweb --help, pyweb new vs copier copy, make test/coverage
    python bench/cli.py --runs 5 --frameworks flask --no-tests

Run it with the Python of the environment that has pyweb installed (`pip install -e .`):
that environment's `pyweb` and `copier` are the ones timed. Targets: `pyweb --help` under
150 ms, `pyweb new --defaults` under 2 s, each generated project's `make test` under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from projects import BENCH, FRAMEWORKS, REPO, run

TARGETS = {"help": 0.150, "new": 2.0, "test": 10.0}


Timing = dict[str, Any]


def hyperfine(commands: list[str], runs: int, warmup: int, cwd: Path | None = None, prepare: str = "") -> list[Timing]:
    """Mean, standard deviation, min and max seconds of each command (shell-less when nothing to prepare)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        argv = ["hyperfine", "--style", "none", "--runs", str(runs), "--warmup", str(warmup)]
        argv += ["--export-json", export.name, *(["--prepare", prepare] if prepare else ["-N"])]
        subprocess.run([*argv, *commands], cwd=cwd, check=True, timeout=1800, stdout=subprocess.DEVNULL)
        results = json.loads(Path(export.name).read_text())["results"]
    keys = ("mean", "stddev", "median", "min", "max")
    return [{"command": r["command"], **{k: round(r[k] or 0.0, 4) for k in keys}} for r in results]


def import_profile(python: Path, top: int) -> list[dict[str, Any]]:
    """`python -X importtime -m pyweb_scaffold --help`: the costliest imports of the first two levels."""
    result = subprocess.run(
        [str(python), "-X", "importtime", "-m", "pyweb_scaffold", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rows, children = [], []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match or len(match.group(3)) not in (1, 3):
            continue
        # One space of indent: imported by `-m` or the interpreter itself; three: by one of those,
        # which importtime prints after its children.
        row = {
            "module": match.group(4),
            "self_ms": int(match.group(1)) / 1000,
            "cumulative_ms": int(match.group(2)) / 1000,
        }
        if len(match.group(3)) == 3:
            children.append(row)
        else:
            rows += [child | {"module": f"{row['module']} > {child['module']}"} for child in children] + [row]
            children = []
    return sorted(rows, key=lambda r: -r["cumulative_ms"])[:top]


def suite(project: Path, runs: int) -> dict[str, Any]:
    """`make install` once (timed), then `make test` and `make coverage` under hyperfine when
    `make coverage` (the suite and its coverage gate) passes."""
    started = time.monotonic()
    run(["make", "install"], cwd=project, timeout=900)
    row: dict[str, Any] = {"install_s": round(time.monotonic() - started, 2)}
    check = subprocess.run(["make", "coverage"], cwd=project, capture_output=True, text=True, timeout=600, check=False)
    summary = re.findall(r"=+ (.*(?:passed|failed|error).*) in [\d.]+s", check.stdout)
    row["pytest"] = summary[-1] if summary else check.stdout.strip().splitlines()[-1:]
    if check.returncode != 0:
        row["failed"] = f"make coverage exited {check.returncode}"
        return row
    row["test"], row["coverage"] = hyperfine(["make test", "make coverage"], runs, 1, cwd=project)
    return row


def verdict(seconds: float, target: float) -> str:
    limit = f"{target * 1000:.0f} ms" if target < 1 else f"{target:g} s"
    return f"{'met' if seconds < target else 'MISSED'} (< {limit})"


def markdown(report: dict[str, Any]) -> str:
    lines = ["| what | mean | ± sd | min | target |", "|---|---:|---:|---:|---|"]

    def add(name: str, r: dict[str, Any], target: float | None) -> None:
        goal = verdict(r["mean"], target) if target else ""
        mean, sd, low = (r[k] * 1000 for k in ("mean", "stddev", "min"))
        lines.append(f"| {name} | {mean:.0f} ms | {sd:.0f} | {low:.0f} | {goal} |")

    add("`pyweb --help`", report["help"], TARGETS["help"])
    add("`python -c pass` (interpreter floor)", report["python_floor"], None)
    for framework, (new, copier) in report["new"].items():
        add(f"`pyweb new --defaults --framework {framework} --no-git`", new, TARGETS["new"])
        add(f"`copier copy --defaults --data framework={framework} --vcs-ref HEAD`", copier, None)
    for framework, r in report["tests"].items():
        if "failed" in r:
            lines.append(f"| `make test` ({framework}) | {r['failed']}: {r['pytest']} | | | |")
        else:
            name = f"`make test` ({framework}: {r['pytest']}; `make install` took {r['install_s']} s)"
            add(name, r["test"], TARGETS["test"])
            add(f"`make coverage` ({framework}: the same with coverage)", r["coverage"], None)
    if report["imports"]:
        lines += ["", "Costliest imports of `pyweb --help` (`-X importtime`, one run; `a > b`: b imported by a):", ""]
        lines += ["| module | cumulative ms | self ms |", "|---|---:|---:|"]
        lines += [f"| {r['module']} | {r['cumulative_ms']:.1f} | {r['self_ms']:.1f} |" for r in report["imports"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS), help="comma-separated (default: all)")
    parser.add_argument("--runs", type=int, default=10, help="hyperfine runs of the quick commands (default 10)")
    parser.add_argument("--test-runs", type=int, default=3, help="hyperfine runs of each suite command (default 3)")
    parser.add_argument("--no-tests", action="store_true", help="skip make install / make test / make coverage")
    parser.add_argument("--results", type=Path, default=BENCH / "results", help="where the JSON and markdown go")
    args = parser.parse_args()
    frameworks = [f.strip() for f in args.frameworks.split(",") if f.strip()]
    bindir = Path(sys.executable).parent
    pyweb, copier = bindir / "pyweb", bindir / "copier"
    if not pyweb.exists() or not copier.exists():
        sys.exit(f"no pyweb or copier next to {sys.executable}: run with the Python of pyweb's environment")

    # Like a developer's machine, let Python cache bytecode: without the cache, every run
    # compiles pyweb's (editable) modules and the projects' own modules and tests again.
    bytecode_disabled = os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None
    report: dict[str, Any] = {"date": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"), "new": {}, "tests": {}}
    report["bytecode_cache_was_disabled"] = bytecode_disabled
    report["help"], report["python_floor"] = hyperfine([f"{pyweb} --help", f"{sys.executable} -c pass"], args.runs, 3)
    report["imports"] = import_profile(Path(sys.executable), 15)
    with tempfile.TemporaryDirectory(prefix="pyweb-cli-bench-") as tmp:
        # A template store of our own; the warm-up run (not a timed one) commits the template to it.
        os.environ["PYWEB_TEMPLATE_STORE"] = f"{tmp}/store"
        for framework in frameworks:
            parent = shlex.quote(f"{tmp}/new")
            dst = shlex.quote(f"{tmp}/new/{framework}svc")
            new = f"{pyweb} new {dst} --defaults --framework {framework} --no-git"
            plain = f"{copier} copy --quiet --defaults --data framework={framework} --vcs-ref HEAD {REPO} {dst}"
            report["new"][framework] = hyperfine([new, plain], args.runs, 1, prepare=f"rm -rf {dst}; mkdir -p {parent}")
        if not args.no_tests:
            for framework in frameworks:
                project = Path(tmp) / "projects" / f"{framework}svc"
                project.parent.mkdir(exist_ok=True)
                run([str(pyweb), "new", str(project), "--defaults", "--framework", framework, "--no-git"], timeout=180)
                report["tests"][framework] = suite(project, args.test_runs)

    args.results.mkdir(parents=True, exist_ok=True)
    name = args.results / f"cli-{report['date']}"
    name.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(report)
    name.with_suffix(".md").write_text(table)
    print(table)
    print(f"written: {name}.json and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
