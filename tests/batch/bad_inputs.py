"""The bad-input corpus: static cases are folders under corpus/ (files + expect.json); cases that
cannot sit in git as plain files (zips, symlinks, a 100 MB file, fifos) are built here by
functions registered with @case. `all_cases()` enumerates both; tests never hand-list them.

A builder gets (submissions_dir, student) and creates that student's submission there; its
expectation is a status and a regex the submission-level message must match.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

CORPUS = Path(__file__).with_name("corpus")
GOOD_LAYERS = "SCORE = 10\n\ndef relu_forward(x):\n    return x * (x > 0), x\n"
GOOD_UTILS = "from .layers import *\n"
# Files that must never appear anywhere: a zip entry that escapes would create them.
ESCAPE_NAMES = ("escaped_dotdot_7f3a.py", "escaped_abs_7f3a.py", "escaped_backslash_7f3a.py")


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path, str], None]
    status: str
    message: str       # regex over SubmissionResult.message
    score: float | None = None


_BUILT: dict[str, Case] = {}


def case(status: str, message: str, score: float | None = None):
    def register(fn):
        _BUILT[fn.__name__] = Case(fn.__name__, fn, status, message, score)
        return fn
    return register


def _static(folder: Path) -> Case:
    expect = json.loads((folder / "expect.json").read_text())

    def build(root: Path, student: str) -> None:
        shutil.copytree(folder, root / student, ignore=shutil.ignore_patterns("expect.json"))
    return Case(folder.name, build, expect["status"], expect["message"], expect.get("score"))


def all_cases() -> list[Case]:
    static = [_static(d) for d in sorted(CORPUS.iterdir()) if (d / "expect.json").is_file()]
    return static + list(_BUILT.values())


def _zip(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)


def _good_members() -> list[tuple[str, bytes]]:
    return [("layers.py", GOOD_LAYERS.encode()), ("layer_utils.py", GOOD_UTILS.encode())]


@case("error", r"the zip is corrupt or not a zip file")
def corrupt_zip(root: Path, student: str) -> None:
    (root / f"{student}.zip").write_bytes(b"PK\x03\x04 this is not really a zip " * 50)


@case("error", r"the zip is corrupt or not a zip file")
def truncated_zip(root: Path, student: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _good_members():
            archive.writestr(name, data * 50)
    (root / f"{student}.zip").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])


@case("error", r"the zip's source files expand to 30\.0 MB \(limit 20\.0 MB\): refused as a "
               r"zip bomb \(a TA can raise the limit with `grade --max-total-mb`\)")
def zip_bomb_total_size(root: Path, student: str) -> None:
    _zip(root / f"{student}.zip", [("layers.py", b"\0" * (30 << 20))])


@case("error", r"the zip compresses \d+:1 \(limit 100:1\): refused as a zip bomb \(.*--max-ratio")
def zip_bomb_ratio(root: Path, student: str) -> None:
    _zip(root / f"{student}.zip", [("layers.py", b" " * (3 << 19)), ("layer_utils.py", b"")])


@case("error", r"the zip has 1500 entries \(limit 1000\): refused as a zip bomb \(.*--max-files")
def zip_bomb_member_count(root: Path, student: str) -> None:
    _zip(root / f"{student}.zip", [(f"m{i}.py", b"") for i in range(1500)])


@case("error", r"the zip has an entry that climbs out of its folder '\.\./\.\./escaped_dotdot")
def zip_dotdot_entry(root: Path, student: str) -> None:
    _zip(root / f"{student}.zip", _good_members() + [(f"../../{ESCAPE_NAMES[0]}", b"x = 1\n")])


@case("error", r"the zip has an entry with an absolute path '/tmp/escaped_abs")
def zip_absolute_entry(root: Path, student: str) -> None:
    _zip(root / f"{student}.zip", _good_members() + [(f"/tmp/{ESCAPE_NAMES[1]}", b"x = 1\n")])


@case("error", r"the zip has an entry that climbs out of its folder '\.\.\\\\escaped_backslash")
def zip_backslash_dotdot_entry(root: Path, student: str) -> None:
    _zip(root / f"{student}.zip", _good_members() + [(f"..\\{ESCAPE_NAMES[2]}", b"x = 1\n")])


@case("error", r"the zip contains a symbolic link 'layers\.py'; submit regular files only")
def zip_symlink(root: Path, student: str) -> None:
    link = zipfile.ZipInfo("layers.py")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    _zip(root / f"{student}.zip", [(link, b"/etc/passwd"), ("layer_utils.py", GOOD_UTILS.encode())])


@case("error", r"the zip is encrypted")
def zip_encrypted(root: Path, student: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("layers.py", GOOD_LAYERS)
    data = bytearray(buffer.getvalue())  # zipfile cannot encrypt: set the flag bit by hand
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    (root / f"{student}.zip").write_bytes(bytes(data))


@case("error", r"this submission was made for assignment 'rnn', not 'fake'")
def zip_for_another_assignment(root: Path, student: str) -> None:
    manifest = {"student": student, "assignment": "rnn", "submitted_at": "2026-12-01T10:00:00Z",
                "files": {}, "tool_version": "0.1.0"}
    _zip(root / f"{student}.zip", _good_members() + [("manifest.json", json.dumps(manifest).encode())])


@case("error", r"the submission contains a symbolic link 'layers\.py' -> '.*instructor_secret")
def folder_symlink(root: Path, student: str) -> None:
    folder = root / student
    folder.mkdir()
    secret = root.parent / "instructor_secret.py"
    secret.write_text("HIDDEN = 'do not read'\n")
    os.symlink(secret, folder / "layers.py")
    (folder / "layer_utils.py").write_text(GOOD_UTILS)


@case("error", r"the submission contains a symbolic link 'data' -> '/'")
def folder_symlinked_directory(root: Path, student: str) -> None:
    folder = root / student
    folder.mkdir()
    (folder / "layers.py").write_text(GOOD_LAYERS)
    os.symlink("/", folder / "data")


@case("error", r"'layers\.py' is 100\.0 MB; a source file may be at most 2\.0 MB \(.*--max-file-mb`\)")
def hundred_megabyte_file(root: Path, student: str) -> None:
    folder = root / student
    folder.mkdir()
    with open(folder / "layers.py", "wb") as handle:  # sparse: 100 MB without the disk use
        handle.truncate(100 << 20)
    (folder / "layer_utils.py").write_text(GOOD_UTILS)


@case("error", r"'notes' is a special file")
def folder_with_fifo(root: Path, student: str) -> None:
    folder = root / student
    folder.mkdir()
    (folder / "layers.py").write_text(GOOD_LAYERS)
    os.mkfifo(folder / "notes")


@case("error", r"empty submission: no Python files found; expected layers\.py, layer_utils\.py")
def empty_folder(root: Path, student: str) -> None:
    (root / student).mkdir()


@case("error", r"empty submission: no Python files found")
def empty_zip(root: Path, student: str) -> None:
    _zip(root / f"{student}.zip", [])


@case("graded", r"^$", score=10)
def zip_of_a_folder(root: Path, student: str) -> None:
    """Not bad: students often zip the folder itself; the shared folder is stripped."""
    _zip(root / f"{student}.zip", [(f"backprop/{n}", d) for n, d in _good_members()])


@case("error", r"the submission '[^']+\.zip' is a symbolic link; submit real files")
def symlinked_zip(root: Path, student: str) -> None:
    target = root.parent / f"{student}-elsewhere.zip"
    _zip(target, _good_members())
    os.symlink(target, root / f"{student}.zip")


@case("error", r"the submission '[^']+' is a symbolic link; submit real files")
def symlinked_student_folder(root: Path, student: str) -> None:
    target = root.parent / f"{student}-elsewhere"
    target.mkdir()
    (target / "layers.py").write_text(GOOD_LAYERS)
    os.symlink(target, root / student, target_is_directory=True)


@case("error", r"'[^']+\.zip' is not a folder, a \.zip or a \.py file \(a regular one\)")
def fifo_named_like_a_zip(root: Path, student: str) -> None:
    os.mkfifo(root / f"{student}.zip")
