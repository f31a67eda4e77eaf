"""Run every benchmark in its own process and write docs/benchmarks.md."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in (ROOT / "benchmarks").glob("bench_*.py"))
    return [n for n in names if not selected or n in selected or n.removeprefix("bench_") in selected]


def run_one(name: str) -> dict:
    code = (
        "import json, importlib, sys\n"
        "from benchmarks.harness import setup_django, peak_rss_mb\n"
        "setup_django()\n"
        f"module = importlib.import_module('benchmarks.{name}')\n"
        "result = module.run()\n"
        "result.setdefault('title', module.TITLE)\n"
        "result['peak_rss_mb_process'] = round(peak_rss_mb(), 1)\n"
        "print('BENCH-RESULT ' + json.dumps(result, default=str))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=os.environ)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line.removeprefix("BENCH-RESULT "))
    raise SystemExit(f"benchmark {name} failed:\n{proc.stdout}\n{proc.stderr}")


def _merged(sections: list[str]) -> list[str]:
    """The sections just run, in place of the same titles in the report; the others kept, so a
    single benchmark can be rerun (``python -m benchmarks close_month``) without losing the rest."""
    if not REPORT.exists():
        return sections
    new = {s.splitlines()[0]: s for s in sections}
    old = ["## " + part.strip() for part in REPORT.read_text().split("\n## ")[1:]]
    kept = [new.pop(s.splitlines()[0], s) for s in old]
    return kept + list(new.values())


def main() -> None:
    names = discover(sys.argv[1:])
    if not names:
        raise SystemExit("no benchmarks found in benchmarks/bench_*.py")
    sections = []
    for name in names:
        print(f"running {name} …", flush=True)
        result = run_one(name)
        lines = [f"## {result['title']}", "", "| measure | value |", "| --- | --- |"]
        lines += [f"| {measure} | {value} |" for measure, value in result["rows"]]
        if result.get("notes"):
            lines += ["", result["notes"]]
        sections.append("\n".join(lines))
        print("\n".join(lines), flush=True)
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench` (benchmarks/). Each benchmark runs in its own process against the\n"
        "PostgreSQL the app uses (embedded unless DATABASE_URL is set), on a fresh `tugi_bench`\n"
        "database.\n\n"
        f"Last run: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()} "
        f"({', '.join(n.removeprefix('bench_') for n in names)}; a section not rerun keeps its earlier figures).\n"
    )
    REPORT.write_text(header + "\n" + "\n\n".join(_merged(sections)) + "\n")
    print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
