"""dist/<a>-gradescope.zip, unpacked as Gradescope does (the root from $AUTOGRADER_ROOT): its
setup.sh, run line by line into a clean virtual environment, installs what grading needs, and
run_autograder then grades the reference at full marks, the stubs at zero, a catalogued bug
losing exactly its task, and two attacks (one execs the reference from the bundle, one reads
the course secret and tries to write results.json itself) at zero."""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from grader.release.build import ReleaseError
from grader.release.gradescope import SECRET_FILE, build_gradescope_bundle
from release_support import REPO

NAME = "rnn"
SECRET = b"a real course secret for the Gradescope test"
BUG = REPO / "tests" / "bugs" / "rnn" / "forward_ignores_h0.py"
ON_TIME = {"created_at": "2026-12-10T09:00:00.000000-08:00",
           "assignment": {"due_date": "2026-12-15T23:59:00.000000+00:00", "title": "rnn"},
           "users": [{"email": "ada@example.org", "id": 1234, "name": "Ada"}]}


def _bundle(builds, secret=SECRET) -> bytes:
    build = dataclasses.replace(builds[NAME], dist={}, notes=[], gradescope_secret=secret)
    build_gradescope_bundle(build)
    return build.dist[f"{NAME}-gradescope.zip"]


@pytest.fixture(scope="module")
def autograder(builds, tmp_path_factory):
    """An /autograder tree whose venv was made by the bundle's own setup.sh (apt skipped)."""
    root = tmp_path_factory.mktemp("gs") / "autograder"
    zipfile.ZipFile(io.BytesIO(_bundle(builds))).extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    done = subprocess.run(["bash", str(root / "source" / "setup.sh")], capture_output=True,
                          text=True, timeout=900, cwd=root,
                          env={**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_SKIP_APT": "1",
                               "PYTHON": shutil.which("python3") or sys.executable})
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def _run(root, modules: dict[str, str], metadata=ON_TIME):
    for folder in ("submission", "results"):
        if (root / folder).exists():
            (root / folder).chmod(0o755)
            shutil.rmtree(root / folder)
    (root / "submission").mkdir()
    for stem, text in modules.items():
        (root / "submission" / f"{stem}.py").write_text(text)
    meta = root / "submission_metadata.json"
    if meta.exists():
        meta.chmod(0o644)
    meta.write_text(json.dumps(metadata))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "PYTHONPATH")}
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], cwd=root,
                          env={**env, "AUTOGRADER_ROOT": str(root)},
                          capture_output=True, text=True, timeout=600)
    for path in (root / "source" / SECRET_FILE, root / "source" / "solutions", meta):
        path.chmod(0o755)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((root / "results" / "results.json").read_text()), done


def _reference() -> str:
    return (REPO / "solutions" / NAME / "rnn_layers.py").read_text()


def _by_task(results) -> dict[str, float]:
    tasks: dict[str, float] = {}
    for test in results["tests"]:
        (task,) = test["tags"]
        tasks[task] = tasks.get(task, 0.0) + test["score"]
    return tasks


def test_reference_scores_full_marks_with_identity_and_time_from_the_metadata(autograder, builds):
    results, _ = _run(autograder, {"rnn_layers": _reference()})
    assert results["score"] == pytest.approx(builds[NAME].assignment.points)
    assert results["tests"] and all(t["status"] == "passed" for t in results["tests"])
    assert "late" not in results["output"]


def test_late_status_comes_from_the_metadata(autograder, builds):
    late = {**ON_TIME, "created_at": "2026-12-17T10:00:00+00:00"}
    results, _ = _run(autograder, {"rnn_layers": _reference()}, metadata=late)
    assert "2 day(s) late" in results["output"]
    assert results["score"] == pytest.approx(builds[NAME].assignment.points * 0.8)


def test_stubs_score_zero(autograder, builds):
    results, _ = _run(autograder, {"rnn_layers": builds[NAME].files["rnn_layers.py"].decode()})
    assert results["score"] == 0 and all(t["score"] == 0 for t in results["tests"])


def test_a_catalogued_bug_loses_its_task_and_only_what_it_may(autograder):
    header = ast.parse(BUG.read_text())
    meta = {n.targets[0].id: ast.literal_eval(n.value) for n in header.body
            if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)}
    results, _ = _run(autograder, {"rnn_layers": _reference() + "\n\n" + BUG.read_text()})
    full = _run(autograder, {"rnn_layers": _reference()})[0]
    lost = {t for t, s in _by_task(results).items() if s < _by_task(full)[t]}
    assert set(meta["FAILS"]) <= lost <= set(meta["FAILS"]) | set(meta.get("MAY_FAIL", []))


def test_an_attack_that_execs_the_reference_from_the_bundle_scores_zero(autograder):
    ref = autograder / "source" / "solutions" / NAME / "rnn_layers.py"
    attack = f"exec(open({str(ref)!r}).read())\n"
    results, _ = _run(autograder, {"rnn_layers": attack})
    assert results["score"] == 0


def test_an_attack_that_reads_the_secret_and_writes_results_scores_zero(autograder):
    source = autograder / "source"
    attack = f"""
try:
    SECRET = open({str(source / SECRET_FILE)!r}).read()
except OSError:
    SECRET = None
try:
    with open({str(autograder / 'results' / 'results.json')!r}, "w") as handle:
        handle.write('{{"score": 1000, "tests": []}}')
except OSError:
    pass
print("secret:", SECRET)
if SECRET:
    exec(open({str(source / 'solutions' / NAME / 'rnn_layers.py')!r}).read())
"""
    results, done = _run(autograder, {"rnn_layers": attack})
    assert results["score"] == 0 and results["tests"]
    assert SECRET.decode() not in json.dumps(results) + done.stdout + done.stderr


def test_the_total_and_top_level_output_wait_for_the_most_restrictive_check(autograder, builds):
    results, _ = _run(autograder, {"rnn_layers": _reference()})
    kinds = {t["visibility"] for t in results["tests"]}
    assert kinds <= {"visible", "after_due_date", "after_published"}
    expected = ("after_published" if "after_published" in kinds else
                "after_due_date" if "after_due_date" in kinds else "visible")
    assert results["visibility"] == expected
    visible = sum(t["max_score"] for t in results["tests"] if t["visibility"] == "visible")
    assert results["output"].startswith(f"{visible:g} / {visible:g} points from the")


def test_the_bundle_refuses_to_be_built_without_a_real_secret(builds):
    build = dataclasses.replace(builds[NAME], dist={}, notes=[], gradescope_secret=None)
    build_gradescope_bundle(build)
    assert not build.dist and "--gradescope-secret" in build.notes[-1]
    with pytest.raises(ReleaseError, match="--gradescope-secret"):
        _bundle(builds, secret=b"  \n")


def test_bundle_scripts_are_executable_and_the_secret_ships_only_in_the_bundle(builds):
    archive = zipfile.ZipFile(io.BytesIO(_bundle(builds)))
    modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert archive.read(SECRET_FILE).strip() == SECRET
    assert not any(SECRET in data for data in builds[NAME].files.values())


def test_the_reference_attack_does_score_under_the_plain_runner_so_the_test_bites(autograder, builds):
    """Calibration: without the sandbox (the plain subprocess runner, files readable) the same
    attack takes full marks; the bundle's zero above is the sandbox's doing."""
    from grader.assignment import load_assignment
    from grader.batch.gradescope import grade_gradescope

    ref = autograder / "source" / "solutions" / NAME / "rnn_layers.py"
    submission = autograder / "plain-submission"
    submission.mkdir(exist_ok=True)
    (submission / "rnn_layers.py").write_text(f"exec(open({str(ref)!r}).read())\n")
    meta = autograder / "plain-metadata.json"
    meta.write_text(json.dumps(ON_TIME))
    document = grade_gradescope(submission, assignment=load_assignment(NAME), secret=SECRET,
                                metadata_path=meta, runner_kind="subprocess")
    assert document["score"] == pytest.approx(builds[NAME].assignment.points)


def _interpreter(version: str) -> str | None:
    """A python{version} on this machine (PATH, then pyenv's versions), else None."""
    import glob
    candidates = [shutil.which(f"python{version}")] + sorted(
        glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    for path in filter(None, candidates):
        done = subprocess.run([path, "-c", "import venv, ensurepip"], capture_output=True)
        if done.returncode == 0:
            return path
    return None


@pytest.mark.parametrize("version", ["3.10", "3.12"])  # Gradescope's Ubuntu 22.04 and 24.04
def test_setup_sh_on_the_stock_images_pythons_then_grades_the_reference(builds, tmp_path, version):
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no Python {version} with venv on this machine")
    root = tmp_path / "autograder"
    zipfile.ZipFile(io.BytesIO(_bundle(builds))).extractall(root / "source")
    done = subprocess.run(["bash", str(root / "source" / "setup.sh")], capture_output=True,
                          text=True, timeout=900, cwd=root,
                          env={**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_SKIP_APT": "1",
                               "PYTHON": python})
    assert done.returncode == 0, done.stdout + done.stderr
    venv_python = root / "venv" / "bin" / "python"
    assert subprocess.run([str(venv_python), "-c", f"import sys; assert sys.version_info[:2] == "
                           f"{tuple(map(int, version.split('.')))}"]).returncode == 0
    results, _ = _run(root, {"rnn_layers": _reference()})
    assert results["score"] == pytest.approx(builds[NAME].assignment.points)
