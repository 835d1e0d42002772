"""A quota on what a sandboxed child can write: a private tmpfs per sandbox worker.

Without it the job dir lives on the grading machine's own filesystem, and a child can create
about 90,000 empty files a second there (measured with the sandbox on this machine kind): over
its time budget, millions of inodes, which would break the batch and everything else on the
disk. RLIMIT_FSIZE caps one file's size, never the number of files.

Where the worker runs in its own user namespace (``unshare -r -n -m``, the optional outer
layer), it also has its own mount namespace, and mounts a tmpfs with a size and an inode limit
on a mount point the grader made for it. For each child the worker copies the job's files
(the grader's copy of the submission) into a fresh folder there, the child runs in that folder
(its only writable place under Landlock), and the folder is removed when the child is reaped.
A child that fills the tmpfs gets ENOSPC in its own code; the machine's disk is untouched. The
mount is private to the worker's namespace and vanishes with the worker.

Without user namespaces there is no quota; ``python -m grader doctor`` says so.
"""

from __future__ import annotations

import ctypes
import os
import tempfile

from grader.runner.jobdir import copy_regular_files, remove_tree

MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
#: Defaults of the sandbox factory's ``scratch_bytes`` / ``scratch_files``.
SCRATCH_BYTES = 128 << 20
SCRATCH_FILES = 4096


def mount_tmpfs(path: str, *, size_bytes: int, files: int) -> None:
    """Mount a tmpfs of at most `size_bytes` and `files` inodes on `path` (needs CAP_SYS_ADMIN in
    the mount namespace's user namespace). Raises OSError."""
    libc = ctypes.CDLL(None, use_errno=True)
    options = f"size={int(size_bytes)},nr_inodes={int(files)},mode=0700".encode()
    if libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  options) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mounting a tmpfs: {os.strerror(err)}", path)


class Scratch:
    """The worker's tmpfs: a folder per child, removed once the child is reaped."""

    def __init__(self, path: str, *, size_bytes: int, files: int):
        mount_tmpfs(path, size_bytes=size_bytes, files=files)
        self.path = path
        self.size_bytes = size_bytes
        self.files = files
        self.folders: dict[int, str] = {}

    def folder_for(self, work: str) -> str:
        """A fresh folder holding a copy of the job's files (made before the fork)."""
        folder = tempfile.mkdtemp(prefix="job-", dir=self.path)
        copy_regular_files(work, folder)
        return folder

    def adopt(self, pid: int, folder: str) -> None:
        self.folders[pid] = folder

    def remove(self, pid: int) -> None:
        """The child `pid` is reaped: its folder goes, whatever it did to the permissions."""
        folder = self.folders.pop(pid, None)
        if folder is not None:
            remove_tree(folder)
