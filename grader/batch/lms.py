"""LMS bulk downloads in: Canvas's and Moodle's layouts read into submissions.

Canvas ("Download Submissions", unzipped): one flat folder of renamed files,

    <lastfirst>_[late_]<user id>_<submission id>_<original name>     smithjane_12345_67890_layers.py

a resubmitted file keeps Canvas's numeric suffix (`layers-1.py`: the highest number is the
latest upload, and is graded under the original name). A student who uploaded one zip is
graded on that zip.
Moodle ("Download all submissions", unzipped): a folder per student

    <Full Name>_<participant id>_assignsubmission_file_/layers.py

or, with "download submissions in folders" off, the same prefix on each file.

Identity comes from these names (written by the LMS, not the student): the LMS id (Canvas user
id, Moodle participant id) and the display name; `grader.batch.roster` maps them to roster ids.
Without a roster the student id is the display name (NFC) for Moodle and the Canvas user id for
Canvas (Canvas's "lastfirst" is not unique). The time is the newest modification time of the
student's files, which the LMS sets to the upload time in its download (`time_source`
"lms file times"); Canvas's `late` marker is kept as a flag.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

from grader.batch.manifest import normalise_student_id

CANVAS = re.compile(r"^(?P<name>[^_]+)_(?:(?P<late>late|LATE)_)?(?P<id>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_[a-z]+_(?P<file>.*)$")
_RESUBMITTED = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.[^.]+)$")
FILE_TIMES = "lms file times"


def detect(root: Path) -> str | None:
    """"canvas" or "moodle" when most visible entries of `root` follow that layout, else None."""
    names = [e.name for e in root.iterdir() if not e.name.startswith(".")]
    if not names:
        return None
    for layout, pattern in (("moodle", MOODLE), ("canvas", CANVAS)):
        if sum(bool(pattern.match(normalise_student_id(n))) for n in names) * 2 > len(names):
            return layout
    return None


def _mtime_iso(paths) -> str | None:
    times = [os.lstat(p).st_mtime for p in paths if os.path.lexists(p)]
    if not times:
        return None
    return datetime.fromtimestamp(max(times), timezone.utc).isoformat()


def _original_name(name: str) -> tuple[str, int]:
    """Canvas's resubmission suffix removed: ("layers.py", 1) for "layers-1.py"."""
    match = _RESUBMITTED.match(name)
    if match:
        return match["stem"] + match["ext"], int(match["n"])
    return name, 0


def read_canvas(root: Path, notes: list[str]) -> list[dict]:
    """Canvas entries grouped per user id: dicts for `grader.batch.discover.Submission`."""
    by_user: dict[str, dict] = {}
    for entry in sorted(root.iterdir()):
        match = CANVAS.match(normalise_student_id(entry.name))
        if entry.name.startswith("."):
            continue
        if not match or not entry.is_file() or entry.is_symlink():
            notes.append(f"ignored {entry.name}: not a Canvas submission file")
            continue
        user = by_user.setdefault(match["id"], {"lms_id": match["id"], "name": match["name"],
                                                "files": {}, "late": False})
        user["late"] = user["late"] or bool(match["late"])
        original, rank = _original_name(match["file"])
        kept = user["files"].get(original)
        if kept is None or rank > kept[0]:
            user["files"][original] = (rank, entry)
    found = []
    for user in by_user.values():
        files = {name: path for name, (_, path) in user["files"].items()}
        zips = [p for n, p in files.items() if n.lower().endswith(".zip")]
        source = zips[0] if len(files) == 1 and zips else None
        found.append({"lms_id": user["lms_id"], "name": user["name"], "student": user["lms_id"],
                      "source": source or root, "members": None if source else files,
                      "submitted_at": _mtime_iso(files.values()),
                      "flags": ("Canvas marked it late",) if user["late"] else ()})
    return found


def read_moodle(root: Path, notes: list[str]) -> list[dict]:
    """Moodle entries grouped per participant: dicts for `grader.batch.discover.Submission`."""
    by_user: dict[str, dict] = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        match = MOODLE.match(normalise_student_id(entry.name))
        if not match or entry.is_symlink():
            notes.append(f"ignored {entry.name}: not a Moodle submission")
            continue
        user = by_user.setdefault(match["id"], {"lms_id": match["id"], "name": match["name"],
                                                "folder": None, "files": {}})
        if entry.is_dir() and not match["file"]:
            user["folder"] = entry
        elif entry.is_file() and match["file"]:
            user["files"][match["file"]] = entry
        else:
            notes.append(f"ignored {entry.name}: not a Moodle submission")
    found = []
    for user in by_user.values():
        base = {"lms_id": user["lms_id"], "name": user["name"], "student": user["name"],
                "flags": ()}
        if user["folder"] is not None:
            times = [Path(d) / f for d, _, fs in os.walk(user["folder"]) for f in fs]
            found.append({**base, "source": user["folder"], "members": None,
                          "submitted_at": _mtime_iso(times)})
        if user["files"]:
            found.append({**base, "source": root, "members": dict(user["files"]),
                          "submitted_at": _mtime_iso(user["files"].values())})
    return found
