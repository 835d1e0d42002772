"""Shared helpers for the batch tests: tree digests and a batch run in a subprocess.

(Not conftest.py: pytest swaps same-named conftest modules between folders, so importing from
one is fragile; these helpers have a unique module name.)"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

HERE = Path(__file__).parent


def tree_digest(root: Path, *, exclude: tuple[Path, ...] = ()) -> dict[str, str]:
    """{relative path: what it is} for everything under root, never following links or opening
    special files: the proof that nothing outside a job folder changed."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        if any(Path(dirpath).is_relative_to(e) for e in exclude):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = os.lstat(path)
            rel = str(path.relative_to(root))
            if stat.S_ISLNK(info.st_mode):
                out[rel] = "link:" + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256()
                with open(path, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 22), b""):
                        digest.update(block)
                out[rel] = f"file:{oct(info.st_mode)}:{digest.hexdigest()}"
            else:
                out[rel] = f"other:{oct(info.st_mode)}"
    return out


def batch_env() -> dict[str, str]:
    """The environment of a batch run in a subprocess: can import grader and batch_fakes."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


BATCH_SCRIPT = """
import sys
from batch_fakes import FakeAssignment, fake_grade
from grader.batch.driver import grade_batch
summary = grade_batch(sys.argv[1], assignment=FakeAssignment(), gradebook_path=sys.argv[2],
                      secret="test-secret", workers=int(sys.argv[3]), runner_kind=None,
                      grade_fn=fake_grade, progress=False)
print("RESULT", summary.graded, summary.skipped, summary.errors, summary.internal_errors)
"""


def batch_command(submissions: Path, gradebook: Path, workers: int = 2) -> list[str]:
    return [sys.executable, "-c", BATCH_SCRIPT, str(submissions), str(gradebook), str(workers)]
