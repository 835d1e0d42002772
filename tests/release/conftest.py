"""Shared fixtures: release builds made on first use and kept for the session (one per
assignment, so one assignment's failure does not error the other's tests). The gates have
their own tests; these builds skip them."""

from __future__ import annotations

from pathlib import Path

import zipfile

import pytest

from grader.release.pipeline import build_assignment, write_release
from release_support import REPO


class LazyBuilds(dict):
    """{assignment name: Build}, each built (without gates, not written) when first asked for."""

    def __missing__(self, name):
        self[name] = build_assignment(name, repo=REPO, gates=False)
        return self[name]


@pytest.fixture(scope="session")
def builds():
    return LazyBuilds()


@pytest.fixture(scope="session")
def released(builds, tmp_path_factory):
    """released(name) -> a folder holding assignments/<name>/ (with assignments/_runtime/) and
    dist/ as `make release` writes them, and unzipped/<name>/: the student zip unpacked, the
    folder a student runs `python -m grader check` in."""
    root = tmp_path_factory.mktemp("release")
    written = set()

    def folder(name: str) -> Path:
        if name not in written:
            write_release([builds[name]], assignments_dir=root / "assignments", dist_dir=root / "dist")
            with zipfile.ZipFile(root / "dist" / f"{name}-student.zip") as archive:
                archive.extractall(root / "unzipped")
            written.add(name)
        return root

    return folder
