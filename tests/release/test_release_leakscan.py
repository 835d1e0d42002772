"""The leak scan: planted solution lines and hidden checks are caught wherever they hide."""

from __future__ import annotations

import json

import pytest

from grader.release.archive import deterministic_zip
from grader.release.build import ReleaseError
from grader.release.leakscan import instructor_only, leak_gate, normalise, scan

from release_support import ASSIGNMENTS


def _secret(build, kind):
    return next(s for s in build.secrets if s.kind == kind)


def _plant(files, rel, line):
    planted = dict(files)
    planted[rel] = files[rel] + b"\n" + line.encode() + b"\n"
    return planted


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_as_built_is_clean(builds, name):
    build = builds[name]
    assert build.secrets, "no secrets collected: the scan would prove nothing"
    shipped = {**build.files, **{k: v for k, v in build.dist.items() if not instructor_only(k)}}
    assert scan(shipped, build.secrets) == []
    leak_gate(build)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_planted_solution_line_is_caught_with_file_and_line(builds, name):
    build = builds[name]
    secret = _secret(build, "solution line")
    original_line = secret.text.replace(" ", "  ")  # whitespace differs: still caught
    planted = _plant(build.files, "README.md", f"Hint:    {original_line}")
    leaks = scan(planted, build.secrets)
    lines = build.files["README.md"].decode().count("\n") + 2
    assert [str(l).split(":")[0:2] for l in leaks] == [["README.md", str(lines)]]
    assert leaks[0].secret == secret
    assert scan(build.files, build.secrets) == []  # the plant removed, clean again


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_planted_hidden_check_name_and_line_are_caught(builds, name):
    build = builds[name]
    for kind in ("hidden check name", "hidden check line"):
        secret = _secret(build, kind)
        stem = build.assignment.modules[0] + ".py"
        leaks = scan(_plant(build.files, stem, f"# {secret.text}"), build.secrets)
        assert any(l.secret == secret and l.where.startswith(f"{stem}:") for l in leaks), kind


def test_leak_inside_a_zip_member_and_a_notebook_cell_is_caught(builds):
    build = builds[ASSIGNMENTS[0]]
    secret = _secret(build, "solution line")
    notebook = json.dumps({"cells": [{"cell_type": "code", "source": ["x = 1\n", secret.text + "\n"],
                                      "outputs": []}], "metadata": {}})
    archive = deterministic_zip({"inner/walk.ipynb": notebook.encode()}, prefix="a/")
    leaks = scan({"bundle.zip": archive}, build.secrets)
    assert [l.where for l in leaks] == ["bundle.zip!a/inner/walk.ipynb#cell0:2"]


def test_leak_gate_stops_the_release_naming_file_and_line(builds):
    build = builds[ASSIGNMENTS[0]]
    secret = _secret(build, "hidden check line")
    copy = type(build)(assignment=build.assignment, repo=build.repo, files=dict(build.files),
                       dist={}, secrets=build.secrets)
    copy.files["checks.py"] = build.files["checks.py"] + f"\n{secret.text}\n".encode()
    with pytest.raises(ReleaseError, match=r"checks.py:\d+: hidden check line from"):
        leak_gate(copy)


def test_normalise_ignores_whitespace_but_keeps_tokens_apart():
    assert normalise("dx  =dout*(x>0)") == normalise("dx = dout * ( x > 0 )")
    assert normalise("return a") != normalise("returna")


def test_the_gate_scans_against_every_assignment_of_the_course(builds):
    """rnn shipping backprop's stable sigmoid (a graded solution there) stops rnn's release."""
    import dataclasses

    rnn, backprop = builds["rnn"], builds["backprop"]
    theirs = next(s for s in backprop.secrets if s.kind == "solution line"
                  and s.origin.startswith("solutions/backprop/layers.py") and "abs" in s.text)
    assert all(s.text != theirs.text for s in rnn.secrets)  # not a secret of rnn's own
    planted = dataclasses.replace(rnn, files=_plant(rnn.files, "rnn_layers.py",
                                                    "    " + theirs.text), notes=[])
    with pytest.raises(ReleaseError, match=r"rnn_layers\.py:\d+: solution line from "
                                           r"solutions/backprop/layers\.py"):
        leak_gate(planted)
