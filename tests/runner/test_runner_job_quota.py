"""The job-dir quota (grader.runner.scratch): a sandboxed child that creates files in a loop, or
writes more bytes than allowed, gets ENOSPC in its own code; the grading machine's disk is not
touched, the next submission starts with an empty scratch, and nothing is left behind."""

from __future__ import annotations

import errno
import os

import pytest

from grader.runner.isolation import userns_available
from grader.runner.sandbox import sandbox_factory

pytestmark = pytest.mark.skipif(not userns_available(),
                                reason="the job quota needs a user + mount namespace")

FLOOD = '''
import errno, os

def flood(limit):
    """Create empty files until the filesystem refuses; (files made, errno)."""
    for n in range(limit):
        try:
            open(f"flood-{n}", "w").close()
        except OSError as exc:
            return n, exc.errno
    return limit, 0

def big(megabytes):
    try:
        with open("big", "wb") as handle:
            for _ in range(megabytes):
                handle.write(b"x" * (1 << 20))
    except OSError as exc:
        return exc.errno
    return 0

def here():
    return sorted(os.listdir("."))

def where():
    return os.getcwd()
'''


@pytest.fixture
def base(tmp_path):
    folder = tmp_path / "base"
    folder.mkdir()
    return folder


def test_a_file_flood_hits_the_file_quota_and_the_next_submission_starts_clean(make_submission, base):
    factory = sandbox_factory(call_timeout_s=20, job_base=str(base), scratch_files=1000)
    folder = make_submission({"layers.py": FLOOD})
    try:
        counts = []
        for _ in range(2):  # the second child runs after the first one's folder has gone
            with factory(folder) as runner:
                made, err = runner.call("layers", "flood", 200_000)
                assert runner.layers["job_quota"] is True
                assert err == errno.ENOSPC
                counts.append(made)
                # the grader's own copy of the submission never saw the flood
                assert os.listdir(runner.job.work) == ["layers.py"]
                assert not runner.call("layers", "where").startswith(str(base / "grader-job-"))
        # the second child has the whole quota again, give or take the inode of the first
        # child's folder, which the kernel frees a moment later (Landlock releases its rule's
        # reference to it asynchronously)
        assert 900 < counts[1] <= counts[0] < 1000 and counts[0] - counts[1] <= 2
    finally:
        factory.close()
    assert os.listdir(base) == []  # job dirs and the mount point are gone


def test_writing_past_the_byte_quota_is_enospc_and_small_writes_work(make_submission, base):
    factory = sandbox_factory(call_timeout_s=20, job_base=str(base), scratch_bytes=8 << 20)
    folder = make_submission({"layers.py": FLOOD})
    try:
        with factory(folder) as runner:
            assert runner.call("layers", "big", 1) == 0
            assert runner.call("layers", "here") == ["big", "layers.py"]
            assert runner.call("layers", "big", 32) == errno.ENOSPC
    finally:
        factory.close()
    assert os.listdir(base) == []


def test_without_the_namespace_there_is_no_quota_and_the_child_says_so(make_submission, base):
    factory = sandbox_factory(call_timeout_s=20, job_base=str(base), userns=False)
    folder = make_submission({"layers.py": FLOOD})
    try:
        with factory(folder) as runner:
            made, err = runner.call("layers", "flood", 3000)
            assert (made, err) == (3000, 0)
            assert runner.layers["job_quota"] is False
    finally:
        factory.close()
