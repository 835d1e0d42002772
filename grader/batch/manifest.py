"""The `manifest.json` a student's `submit` command writes at the top of its zip.

    {"student": "alice", "assignment": "backprop", "submitted_at": "2026-12-01T10:00:00+00:00",
     "files": {"layers.py": "<sha256 hex>", ...}, "tool_version": "0.1.0"}

Zip members sit at the top level next to it. A manifest is student-controlled data: everything
in it is validated here and a bad one is a `ManifestError` (a message for the student).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone

MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 256 * 1024
MAX_STUDENT_ID = 128
_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ManifestError(ValueError):
    """A manifest that cannot be read or trusted; the message is shown to the student."""


@dataclass(frozen=True)
class Manifest:
    student: str
    assignment: str | None
    submitted_at: str | None    # normalised ISO 8601 in UTC, see normalize_timestamp
    files: dict[str, str]       # {relative path: sha256 hex}
    tool_version: str | None


def normalise_student_id(name: str) -> str:
    """A student id as found in a folder or file name: Unicode NFC (macOS writes NFD names, so
    the same student gets the same id from every machine), surrounding spaces removed."""
    return unicodedata.normalize("NFC", name).strip()


def valid_student_id(student: str) -> bool:
    """The `student` of a manifest (what `submit` writes; the student tool checks the same rule):
    letters, digits and `_.@+-`. A manifest's id is only ever compared, never trusted."""
    return bool(_STUDENT_ID.match(student)) and ".." not in student


def usable_student_id(student: str) -> bool:
    """Ids found in folder, file and roster names are short, printable and path-free: any Unicode letters, digits, spaces and
    punctuation but no path separator, no control character, no leading dot and no `..`
    ("José García" and "li.wei@example.org" are ids; "../x", ".hidden" and "a/b" are not)."""
    if not student or len(student) > MAX_STUDENT_ID or student != student.strip():
        return False
    if student.startswith(".") or ".." in student or any(c in student for c in "/\\:"):
        return False
    return all(unicodedata.category(c)[0] != "C" for c in student)


def normalize_timestamp(text: str) -> str:
    """ISO 8601 (or nbgrader's `2024-03-01 12:00:00.123456 UTC`) -> ISO 8601 in UTC.

    A timestamp without a zone is read as UTC. Raises ValueError on anything else.
    """
    raw = text.strip()
    raw = re.sub(r"\s*(UTC|GMT|Z)\s*$", "+00:00", raw, flags=re.IGNORECASE)
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def parse_manifest(data: bytes) -> Manifest:
    """Validate the bytes of a manifest.json; raise ManifestError with a plain message."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{MANIFEST_NAME} is larger than {MAX_MANIFEST_BYTES // 1024} KB")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{MANIFEST_NAME} is not valid JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise ManifestError(f"{MANIFEST_NAME} must hold a JSON object")
    student = raw.get("student")
    if not isinstance(student, str) or not valid_student_id(student):
        raise ManifestError(f"{MANIFEST_NAME} has no usable student id (got {student!r})")
    assignment = raw.get("assignment")
    if assignment is not None and not isinstance(assignment, str):
        raise ManifestError(f"{MANIFEST_NAME}: assignment must be a string")
    submitted_at = raw.get("submitted_at")
    if submitted_at is not None:
        if not isinstance(submitted_at, str):
            raise ManifestError(f"{MANIFEST_NAME}: submitted_at must be an ISO 8601 string")
        try:
            submitted_at = normalize_timestamp(submitted_at)
        except ValueError:
            raise ManifestError(f"{MANIFEST_NAME}: submitted_at {submitted_at!r} is not ISO 8601") from None
    files = raw.get("files", {})
    if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and _SHA256.match(v) for k, v in files.items()):
        raise ManifestError(f"{MANIFEST_NAME}: files must map file names to sha256 hex digests")
    version = raw.get("tool_version")
    return Manifest(student=student, assignment=assignment, submitted_at=submitted_at,
                    files=dict(files), tool_version=version if isinstance(version, str) else None)
