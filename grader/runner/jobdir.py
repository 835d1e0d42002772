"""A private job directory per student process: a copy of the submission plus capped output files.

Layout::

    grader-job-XXXX/
        work/      a copy of the submission's regular files (symlinks and special files skipped);
                   the child's cwd, its package root and its only writable place
        out/       stdout and stderr of the child (opened by the parent, passed as fd 1 and 2)

Stdlib only (it ships with the plain runner to students).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile

#: Skip copying a submission larger than this (the batch rejects such archives earlier).
MAX_COPY_BYTES = 64 * 1024 * 1024
_SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints"}


class JobDir:
    """Create with ``JobDir(submission_dir)``; ``.work``, ``.stdout_path``, ``.stderr_path``."""

    def __init__(self, submission_dir: str | os.PathLike, *, base: str | None = None):
        self.root = tempfile.mkdtemp(prefix="grader-job-", dir=base)
        self.work = os.path.join(self.root, "work")
        out = os.path.join(self.root, "out")
        os.mkdir(self.work, 0o700)
        os.mkdir(out, 0o700)
        self.stdout_path = os.path.join(out, "stdout")
        self.stderr_path = os.path.join(out, "stderr")
        self.copied_bytes = copy_regular_files(os.fspath(submission_dir), self.work)

    def open_outputs(self) -> tuple[int, int]:
        """Open (truncate) the stdout and stderr files; return their fds (caller closes them)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC
        return os.open(self.stdout_path, flags, 0o600), os.open(self.stderr_path, flags, 0o600)

    def stderr_tail(self, limit: int = 2000) -> str:
        """The last ``limit`` bytes the child wrote to stderr, decoded leniently."""
        try:
            with open(self.stderr_path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                size = handle.tell()
                handle.seek(max(0, size - limit))
                return handle.read().decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def remove(self) -> None:
        remove_tree(self.root)


def remove_tree(root: str) -> None:
    """Remove ``root`` and everything in it, whatever the student did to the permissions."""
    _make_writable(root)
    shutil.rmtree(root, ignore_errors=True)


def _make_writable(root: str) -> None:
    """A student may chmod its folders read-only; give the owner write access back before rmtree."""
    for folder in [root] + [os.path.join(d, name) for d, names, _ in os.walk(root) for name in names]:
        try:
            os.chmod(folder, 0o700)
        except OSError:
            pass


def copy_regular_files(src: str, dst: str) -> int:
    """Copy regular files and directories of ``src`` into ``dst``; return the bytes copied.

    Symlinks, devices and fifos are skipped (a link to the instructor's files must not come
    along); copying stops quietly at MAX_COPY_BYTES.
    """
    total = 0
    src = os.path.realpath(src)
    if os.path.isfile(src):  # a lone module file such as layers.py
        shutil.copyfile(src, os.path.join(dst, os.path.basename(src)))
        return os.path.getsize(src)
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        rel = os.path.relpath(dirpath, src)
        target_dir = dst if rel == "." else os.path.join(dst, rel)
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS
                       and not os.path.islink(os.path.join(dirpath, d))]
        for name in dirnames:
            os.makedirs(os.path.join(target_dir, name), exist_ok=True)
        for name in filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                continue
            if total + info.st_size > MAX_COPY_BYTES:
                return total
            shutil.copyfile(path, os.path.join(target_dir, name))
            total += info.st_size
    return total
