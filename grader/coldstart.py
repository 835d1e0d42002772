"""Cold start of the commands, for `make bench`: what a fresh `python -m grader COMMAND` spends
importing, beside `python -c "import numpy"` (the floor of anything that grades numpy code).

Each command runs `repeats` times in a fresh interpreter with `-X importtime`; a run's import
time is the sum of the "self" column of that report (every module imported, once), and its CPU
time is what the process and its children used (user + system). Medians are reported.
The student's `check` runs in a copy of the release folder (the stubs), `grade` on one file (the
stubs' layers.py), so neither grades real work for long.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.release.runtime import copy_student_folder


def import_seconds(importtime_report: str) -> float:
    """Total import time of a `-X importtime` report (stderr), in seconds."""
    total_us = 0
    for line in importtime_report.splitlines():
        if line.startswith("import time:") and "|" in line:
            field = line.split(":", 1)[1].split("|")[0].strip()
            if field.isdigit():
                total_us += int(field)
    return total_us / 1e6


def _measure(args: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return import_seconds(done.stderr), cpu


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def cold_start(repo: Path, *, repeats: int = 5, only: tuple[str, ...] = ()) -> list[dict]:
    """[{"label", "command", "import_s", "cpu_s"}] for numpy alone and each measured command
    (`only`: the rows whose label starts with one of these; default all)."""
    env = {**os.environ, "GRADER_SECRET": "bench: cold start"}
    env.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory(prefix="grader-bench-cold-") as tmp:
        folder = copy_student_folder(repo / "assignments", "backprop", Path(tmp) / "backprop")
        layers = Path(tmp) / "layers.py"
        shutil.copyfile(folder / "layers.py", layers)
        commands = [
            ("numpy alone", ["-c", "import numpy"], Path(tmp)),
            ("grade one file (the stubs)",
             ["-m", "grader", "grade", str(layers), "--assignment", "backprop"], repo),
            ("student check (release folder, stubs)", ["-m", "grader", "check"], folder),
            ("release --help (loads the release pipeline)", ["-m", "grader", "release", "--help"],
             repo),
            ("--help (every command)", ["-m", "grader", "--help"], repo),
        ]
        rows = []
        for label, args, cwd in commands:
            if only and not label.startswith(only):
                continue
            samples = [_measure(args, cwd, env) for _ in range(repeats)]
            rows.append({"label": label, "command": "python -X importtime " + " ".join(args),
                         "import_s": _median([s[0] for s in samples]),
                         "cpu_s": _median([s[1] for s in samples])})
    return rows


def render_rows(rows: list[dict]) -> str:
    """The Markdown table of `cold_start`'s rows."""
    lines = ["| what runs | import time (s) | CPU time of the whole run (s) |",
             "| --- | --- | --- |"]
    lines += [f"| {r['label']} | {r['import_s']:.3f} | {r['cpu_s']:.3f} |" for r in rows]
    return "\n".join(lines)
