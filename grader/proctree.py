"""Wall and CPU seconds of a command's whole process tree, orphans included.

    python -m grader.proctree --json FILE -- COMMAND [ARG ...]

`getrusage(RUSAGE_CHILDREN)` counts the children a process reaped, with the descendants each of
them reaped, and so on down. A process whose parent exits without reaping it is reparented (to
init, or to the nearest child subreaper), and its CPU time, with that of every descendant it
reaped, is lost to that count. The batch grader leaves such orphans: measured on `grader
mutants`, each pool process's sandbox worker (it has reaped every sandboxed child that ran
student code), the last child a sandbox worker released, multiprocessing's resource tracker.

So this process makes itself a child subreaper (Linux `prctl(PR_SET_CHILD_SUBREAPER)`) before it
starts COMMAND: every orphan of the tree is reparented to it, it reaps them all, and its own
RUSAGE_CHILDREN delta is the CPU time of the whole tree. It runs as a process of its own because
it waits for every child it has. COMMAND inherits stdin, stdout and stderr; FILE gets
{"returncode", "wall_s" (until COMMAND's own process exited), "user_s", "system_s", "cpu_s",
"subreaper" (false where prctl is unavailable: orphans then go uncounted), "orphans" (reaped
here), "orphans_left" (still running after the wait: not counted)}.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants; False where that fails."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_all(deadline_s: float) -> tuple[int, bool]:
    """Reap every remaining child, waiting at most `deadline_s`: (how many, whether any is left)."""
    reaped, end = 0, time.monotonic() + deadline_s
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped, False
        if pid:
            reaped += 1
        elif time.monotonic() >= end:
            return reaped, True
        else:
            time.sleep(0.02)


def measure(argv: list[str], *, orphan_wait_s: float = 60.0) -> dict:
    """Run `argv` and measure its tree (see the module docstring). Only meaningful in a process
    that has no other children: it waits for all of them."""
    subreaper = become_subreaper()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    returncode = subprocess.call(argv)
    wall = time.monotonic() - start
    orphans, left = reap_all(orphan_wait_s)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    return {"returncode": returncode, "wall_s": wall, "user_s": user, "system_s": system,
            "cpu_s": user + system, "subreaper": subreaper, "orphans": orphans,
            "orphans_left": left}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader.proctree",
        description="Run COMMAND; write the wall and CPU seconds of its whole process tree, "
                    "orphans included, to FILE.")
    parser.add_argument("--json", required=True, metavar="FILE", help="where the figures go")
    parser.add_argument("--orphan-wait", type=float, default=60.0, metavar="S",
                        help="seconds to wait for orphans after COMMAND exits (default: 60)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no COMMAND given")
    figures = measure(command, orphan_wait_s=args.orphan_wait)
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(figures, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
