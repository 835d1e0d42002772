"""A private job directory per student process: a copy of the submission plus capped output files.

Layout::

    grader-job-XXXX/
        work/      a copy of the submission's regular files (symlinks and special files skipped);
                   the child's cwd, its package root and its only writable place
        out/       stdout and stderr of the child (opened by the parent, passed as fd 1 and 2)

Clean-up never follows a link: ``remove_tree`` walks with directory file descriptors, opens every
folder with ``O_NOFOLLOW | O_DIRECTORY`` before giving it back write access, and only unlinks
whatever else it finds (symlinks, hard links, FIFOs, sockets, device nodes: the name goes, the
thing it names is never opened, chmodded or followed); folders deeper than ``MAX_DEPTH`` are moved
up first, so the walk holds a bounded number of fds and stack frames.

Output files are made afresh for each child (``open_outputs``), and a submission's children share
one output budget (``OUTPUT_BUDGET``): once earlier children wrote it, the next ones get
``MIN_OUTPUT_ALLOWANCE`` bytes per file, enough for a crash message (``output_allowance``).

Stdlib only (it ships with the plain runner to students).
"""

from __future__ import annotations

import itertools
import os
import shutil
import stat
import tempfile

#: Skip copying a submission larger than this (the batch rejects such archives earlier).
MAX_COPY_BYTES = 64 * 1024 * 1024
#: Bytes of stdout + stderr all the children of one submission may leave, together.
OUTPUT_BUDGET = 64 * 1024 * 1024
#: What each output file of a child still gets once the budget is spent (a crash message fits).
MIN_OUTPUT_ALLOWANCE = 64 * 1024
_SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints"}
_NOFOLLOW_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class JobDir:
    """Create with ``JobDir(submission_dir)``; ``.work``, ``.stdout_path``, ``.stderr_path``."""

    def __init__(self, submission_dir: str | os.PathLike, *, base: str | None = None,
                 output_budget: int = OUTPUT_BUDGET):
        self.root = tempfile.mkdtemp(prefix="grader-job-", dir=base)
        self.work = os.path.join(self.root, "work")
        self.out = os.path.join(self.root, "out")
        os.mkdir(self.work, 0o700)
        os.mkdir(self.out, 0o700)
        self.stdout_path = os.path.join(self.out, "stdout")
        self.stderr_path = os.path.join(self.out, "stderr")
        self.output_budget = int(output_budget)
        #: bytes the earlier children of this submission left in their output files
        self.output_used = 0
        # every later use of out/ goes through this fd: a child that swaps out/ for a link
        # (possible without Landlock) redirects nothing
        self._out_fd = os.open(self.out, _NOFOLLOW_DIR)
        try:
            self.copied_bytes = copy_regular_files(os.fspath(submission_dir), self.work)
        except BaseException:
            self.remove()
            raise

    def open_outputs(self) -> tuple[int, int]:
        """Fresh, empty stdout and stderr files for the next child; their fds (caller closes them).

        What the previous child left is counted against the budget, then its files are unlinked
        (whatever they had become: a link or a FIFO is removed, never followed or opened)."""
        if self._out_fd is None:
            raise RuntimeError("the job dir was removed")
        names = ("stdout", "stderr")
        self.output_used += sum(_regular_size(name, self._out_fd) for name in names)
        fds = []
        try:
            for name in names:
                try:
                    os.unlink(name, dir_fd=self._out_fd)
                except FileNotFoundError:
                    pass
                fds.append(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                                   | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC, 0o600,
                                   dir_fd=self._out_fd))
        except BaseException:
            for fd in fds:
                os.close(fd)
            raise
        return fds[0], fds[1]

    def output_allowance(self, per_child: int) -> int:
        """Bytes each output file of the next child may hold: ``per_child``, less once the
        submission's budget runs low, never under MIN_OUTPUT_ALLOWANCE."""
        remaining = (self.output_budget - self.output_used) // 2
        return max(MIN_OUTPUT_ALLOWANCE, min(int(per_child), remaining))

    def stderr_tail(self, limit: int = 2000) -> str:
        """The last ``limit`` bytes the child wrote to stderr, decoded leniently (a regular file
        only: a link or FIFO put in its place is not followed)."""
        if self._out_fd is None:
            return ""
        try:
            fd = os.open("stderr", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                         dir_fd=self._out_fd)
        except OSError:
            return ""
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return ""
            os.lseek(fd, max(0, info.st_size - limit), os.SEEK_SET)
            return os.read(fd, limit).decode("utf-8", "replace").strip()
        except OSError:
            return ""
        finally:
            os.close(fd)

    def remove(self) -> None:
        if self._out_fd is not None:
            os.close(self._out_fd)
            self._out_fd = None
        remove_tree(self.root)


def _regular_size(name: str, dir_fd: int) -> int:
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def remove_tree(root: str) -> None:
    """Remove ``root`` and everything in it, whatever the student did to the permissions, without
    following any link: a symlink (or anything that is not a folder) is unlinked, never entered
    or chmodded. ``root`` itself may be a link: then only the link goes. Errors are ignored (what
    cannot be removed stays inside ``root``)."""
    try:
        info = os.lstat(root)
    except OSError:
        return
    if not stat.S_ISDIR(info.st_mode):
        _ignore(os.unlink, root)
        return
    fd = _open_folder(root, None, info)
    if fd is None:
        return
    try:
        _empty(fd)
    finally:
        os.close(fd)
    _ignore(os.rmdir, root)


def _open_folder(name: str, parent_fd: int | None, info: os.stat_result) -> int | None:
    """An fd on the folder ``name`` (relative to ``parent_fd``) that ``info`` (its lstat)
    describes, with owner rwx given back; None if it is not that folder any more."""
    try:
        handle = os.open(name, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent_fd)
    except OSError:
        return None
    try:
        now = os.fstat(handle)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISDIR(now.st_mode):
            return None
        # chmod through the fd's own /proc entry: the inode it holds, never a path to resolve
        if stat.S_IMODE(now.st_mode) & 0o700 != 0o700:
            os.chmod(f"/proc/self/fd/{handle}", stat.S_IMODE(now.st_mode) | 0o700)
        return os.open(f"/proc/self/fd/{handle}", _NOFOLLOW_DIR & ~os.O_NOFOLLOW)
    except OSError:
        return None
    finally:
        os.close(handle)


#: Folders deeper than this below the root are moved up to the root before they are emptied, so
#: the clean-up holds a bounded number of fds and stack frames however deep a student nested.
MAX_DEPTH = 32


def _empty(top: int) -> None:
    """Remove everything in the open folder ``top``, relative to folder fds only."""
    moved = itertools.count()
    while _empty_level(top, top, 0, moved):
        pass  # folders past MAX_DEPTH were moved up into ``top``: another pass takes them


def _empty_level(fd: int, top: int, depth: int, moved) -> bool:
    """Remove what is in folder ``fd``, depth first; True when a folder was moved up to ``top``."""
    try:
        names = os.listdir(fd)
    except OSError:
        return False
    again = False
    for name in names:
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode):  # a file, symlink, hard link, FIFO, socket or device
            _ignore(os.unlink, name, dir_fd=fd)  # node: only its name goes
            continue
        if depth >= MAX_DEPTH:
            try:
                os.rename(name, f".grader-moved-{next(moved)}", src_dir_fd=fd, dst_dir_fd=top)
                again = True
            except OSError:
                pass
            continue
        child = _open_folder(name, fd, info)
        if child is not None:
            try:
                again = _empty_level(child, top, depth + 1, moved) or again
            finally:
                os.close(child)
        _ignore(os.rmdir, name, dir_fd=fd)
    return again


def _ignore(action, *args, **kwargs) -> None:
    try:
        action(*args, **kwargs)
    except OSError:
        pass


def copy_regular_files(src: str, dst: str) -> int:
    """Copy regular files and directories of ``src`` into ``dst``; return the bytes copied.

    Symlinks, devices, FIFOs and sockets are skipped (a link to the instructor's files must not
    come along); each file is opened with O_NOFOLLOW and copied only if it is still a regular
    file; copying stops quietly at MAX_COPY_BYTES.
    """
    total = 0
    src = os.path.realpath(src)
    if os.path.isfile(src):  # a lone module file such as layers.py
        return _copy_file(src, os.path.join(dst, os.path.basename(src)), MAX_COPY_BYTES)
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
            total += _copy_file(path, os.path.join(target_dir, name), MAX_COPY_BYTES - total)
    return total


def _copy_file(src: str, dst: str, limit: int) -> int:
    """Copy one regular file (not a link, FIFO or device: those copy 0 bytes); its size."""
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return 0
    with os.fdopen(fd, "rb") as source:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return 0
        with open(dst, "xb") as target:
            shutil.copyfileobj(source, target)
        return info.st_size
