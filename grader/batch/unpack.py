"""Safe unpacking: one submission (folder, zip or lone module file) -> a fresh job folder.

The job folder holds only the submission's `.py` files (and its `manifest.json`), written with
`O_EXCL | O_NOFOLLOW` under paths checked to stay inside it. Every hostile or broken input is a
`BadSubmission` whose message the student reads: a corrupt or encrypted zip, a zip bomb (member
count, declared and actual uncompressed size, compression ratio), entries with `..` or absolute
paths, symlinks and special files (in zips and in folders), an oversized file, an empty
submission, a zip made for another assignment. Nothing is ever written outside the job folder,
and nothing is read through a symlink.

A submission holding no module but one notebook (nbgrader's `submitted/` tree) is graded on
the notebook's graded code cells, written out as the modules (grader.batch.notebook).

The submission hash is sha256 over the sorted (relative path, bytes) of the `.py` files kept
(`tree_hash`); a submission refused before that is keyed by `raw_hash` of what was handed in.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from grader.batch.limits import MB, OPTIONS, Limits, raise_with as _raise_with  # noqa: F401
from grader.batch.manifest import MANIFEST_NAME, Manifest, ManifestError, parse_manifest
from grader.batch.notebook import NotebookError, modules_from_notebook

SKIP_DIRS = frozenset({"__pycache__", ".git", ".ipynb_checkpoints", "__MACOSX", ".DS_Store"})


class BadSubmission(Exception):
    """A submission that cannot be graded; str(exc) is the message for the student."""


@dataclass(frozen=True)
class Unpacked:
    """A submission written to `job_dir`: its files, hash, manifest and notes for the student."""

    job_dir: Path
    submission_hash: str
    files: tuple[str, ...]          # relative POSIX paths of the .py files kept, sorted
    manifest: Manifest | None
    notes: tuple[str, ...]          # submission-level messages (missing modules, hash mismatch)


def unpack(source: str | os.PathLike, job_dir: str | os.PathLike, *, modules: tuple[str, ...],
           assignment: str | None = None, limits: Limits = Limits(),
           members: tuple[tuple[str, str], ...] | None = None) -> Unpacked:
    """Copy or extract `source` into the empty folder `job_dir`; raise BadSubmission.
    `members`: ((name, path), ...) of an LMS download's renamed files, read instead of
    `source` and kept under their names."""
    source, job_dir = Path(source), Path(job_dir)
    info = _lstat(source)
    if members is not None:
        files, ignored = _read_listed(members, limits)
    elif stat.S_ISLNK(info.st_mode):
        raise BadSubmission(f"the submission {source.name!r} is a symbolic link; submit real files")
    elif stat.S_ISDIR(info.st_mode):
        files, ignored = _read_folder(source, limits)
    elif source.suffix.lower() == ".zip" and stat.S_ISREG(info.st_mode):
        files, ignored = _read_zip(source, limits)
    elif source.suffix == ".py" and stat.S_ISREG(info.st_mode):
        files, ignored = {source.name: _read_regular(source, source.name, limits)}, []
    else:
        raise BadSubmission(f"{source.name!r} is not a folder, a .zip or a .py file (a regular one)")
    files = _strip_common_folder(files, modules)
    notes: list[str] = []
    files = _modules_from_notebook(files, modules, notes)
    files = {rel: data for rel, data in files.items() if rel.endswith(".py") or rel == MANIFEST_NAME}
    manifest = _take_manifest(files, notes)
    if manifest is not None and assignment and manifest.assignment not in (None, assignment):
        raise BadSubmission(f"this submission was made for assignment {manifest.assignment!r}, "
                            f"not {assignment!r}")
    sources = {rel: data for rel, data in files.items() if rel.endswith(".py")}
    _check_modules(sources, ignored, modules, notes)
    if manifest is not None:
        notes.extend(_manifest_mismatches(manifest, sources))
    for rel, data in sorted(files.items()):
        _write_inside(job_dir, rel, data)
    return Unpacked(job_dir=job_dir, submission_hash=tree_hash(sources),
                    files=tuple(sorted(sources)), manifest=manifest, notes=tuple(notes))


def read_zip_manifest(path: str | os.PathLike, limits: Limits = Limits()) -> Manifest | None:
    """The manifest of a `submit` zip, or None when it has none or it cannot be read (a symlink
    or anything but a regular file is not read at all)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        files, _ = _read_zip(Path(path), limits)
    except (BadSubmission, OSError):
        return None
    files = _strip_common_folder(files, ())
    try:
        return parse_manifest(files[MANIFEST_NAME]) if MANIFEST_NAME in files else None
    except ManifestError:
        return None


# ---------------------------------------------------------------------------------- hashing

def tree_hash(files: dict[str, bytes]) -> str:
    """sha256 over the sorted (relative path, bytes) pairs, each length-prefixed (unambiguous)."""
    digest = hashlib.sha256(b"grader-submission-v1\0")
    for rel in sorted(files):
        _frame(digest, rel.encode("utf-8"))
        _frame(digest, files[rel])
    return digest.hexdigest()


def raw_hash(source: str | os.PathLike) -> str:
    """A hash of what was handed in, for a submission refused before unpacking: the bytes of a
    file (never through a symlink), or every regular file and symlink target of a folder."""
    source = Path(source)
    digest = hashlib.sha256(b"grader-raw-v1\0")
    info = _lstat(source)
    if stat.S_ISDIR(info.st_mode):
        entries = []
        for dirpath, dirnames, filenames in os.walk(source, followlinks=False):
            entries.extend(os.path.join(dirpath, n) for n in filenames)
            entries.extend(os.path.join(dirpath, n) for n in dirnames
                           if os.path.islink(os.path.join(dirpath, n)))  # not descended into
        for path in sorted(entries):
            _frame(digest, os.path.relpath(path, source).encode("utf-8", "surrogateescape"))
            _hash_entry(digest, Path(path))
    else:
        _frame(digest, source.name.encode("utf-8", "surrogateescape"))
        _hash_entry(digest, source)
    return digest.hexdigest()


def _frame(digest, data: bytes) -> None:
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)


def _hash_entry(digest, path: Path) -> None:
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        _frame(digest, b"symlink:" + os.fsencode(os.readlink(path)))
    elif stat.S_ISREG(info.st_mode):
        digest.update(info.st_size.to_bytes(8, "big"))
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    else:
        _frame(digest, b"special:" + oct(info.st_mode).encode())


# ---------------------------------------------------------------------------------- reading

def _lstat(path: Path) -> os.stat_result:
    try:
        return os.lstat(path)
    except OSError as exc:
        raise BadSubmission(f"cannot read the submission {path.name!r}: {exc.strerror}") from None


def _is_kept(rel: str) -> bool:
    return (rel.endswith((".py", ".ipynb")) or rel == MANIFEST_NAME
            or rel.endswith("/" + MANIFEST_NAME))


def _modules_from_notebook(files: dict[str, bytes], modules: tuple[str, ...],
                           notes: list[str]) -> dict[str, bytes]:
    """A submission with none of the modules but one top-level notebook (nbgrader's submitted/
    tree) is graded on the notebook's graded code cells (grader.batch.notebook)."""
    notebooks = sorted(rel for rel in files if rel.endswith(".ipynb") and "/" not in rel)
    if not modules or any(f"{m}.py" in files for m in modules) or len(notebooks) != 1:
        return files
    try:
        converted = modules_from_notebook(files[notebooks[0]], name=notebooks[0], modules=modules)
    except NotebookError as exc:
        raise BadSubmission(str(exc)) from None
    notes.append(f"graded the solution and given code cells of {notebooks[0]} as "
                 + ", ".join(converted))
    return {**files, **converted}


def _cap_field(rel: str) -> str:
    return "max_notebook_bytes" if rel.endswith(".ipynb") else "max_file_bytes"


def _size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def _read_regular(path: Path, rel: str, limits: Limits) -> bytes:
    """Read a regular file without following symlinks, refusing one over the size limit."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise BadSubmission(f"cannot read {rel!r}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BadSubmission(f"{rel!r} is not a regular file")
        cap = limits.file_cap(rel)
        if info.st_size > cap:
            raise BadSubmission(f"{rel!r} is {_size_text(info.st_size)}; a source file may be at "
                                f"most {_size_text(cap)}" + _raise_with(_cap_field(rel)))
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise BadSubmission(f"{rel!r} grew past {_size_text(cap)} while read")
    return data


def _read_listed(members, limits: Limits) -> tuple[dict[str, bytes], list[str]]:
    files: dict[str, bytes] = {}
    ignored: list[str] = []
    if len(members) > limits.max_members:
        raise BadSubmission(f"the submission holds more than {limits.max_members} files"
                            + _raise_with("max_members"))
    for rel, path in members:
        rel = _safe_member_name(rel)
        if not _is_kept(rel):
            ignored.append(rel)
            continue
        files[rel] = _read_regular(Path(path), rel, limits)
        if sum(map(len, files.values())) > limits.max_total_bytes:
            raise BadSubmission(f"the submission's source files exceed "
                                f"{_size_text(limits.max_total_bytes)} in total"
                                + _raise_with("max_total_bytes"))
    return files, ignored


def _read_folder(root: Path, limits: Limits) -> tuple[dict[str, bytes], list[str]]:
    files: dict[str, bytes] = {}
    ignored: list[str] = []
    members = total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            members += 1
            if members > limits.max_members:
                raise BadSubmission(f"the submission holds more than {limits.max_members} files"
                                    + _raise_with("max_members"))
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                raise BadSubmission(f"the submission contains a symbolic link {rel!r} -> "
                                    f"{os.readlink(path)!r}; submit regular files only")
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                raise BadSubmission(f"{rel!r} is a special file (device, fifo or socket)")
            if not _is_kept(rel):
                ignored.append(rel)
                continue
            files[rel] = _read_regular(path, rel, limits)
            total += len(files[rel])
            if total > limits.max_total_bytes:
                raise BadSubmission(f"the submission's source files exceed "
                                    f"{_size_text(limits.max_total_bytes)} in total"
                                    + _raise_with("max_total_bytes"))
    return files, ignored


_DRIVE = re.compile(r"^[A-Za-z]:")


def _safe_member_name(name: str) -> str:
    """The POSIX relative path of a zip member, or BadSubmission for an unsafe one."""
    if "\x00" in name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise BadSubmission(f"the zip has an entry with an absolute path {name!r}")
    parts = [p for p in re.split(r"[\\/]", name) if p not in ("", ".")]
    if ".." in parts:
        raise BadSubmission(f"the zip has an entry that climbs out of its folder {name!r}")
    return "/".join(parts)


def _read_zip(path: Path, limits: Limits) -> tuple[dict[str, bytes], list[str]]:
    size = path.stat().st_size
    if size > limits.max_archive_bytes:
        raise BadSubmission(f"the zip is {_size_text(size)}; the limit is "
                            f"{_size_text(limits.max_archive_bytes)}" + _raise_with("max_archive_bytes"))
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_members(archive, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError,
            OSError) as exc:
        raise BadSubmission(f"the zip is corrupt or not a zip file ({exc})") from None


def _read_members(archive: zipfile.ZipFile, limits: Limits) -> tuple[dict[str, bytes], list[str]]:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise BadSubmission(f"the zip has {len(infos)} entries (limit {limits.max_members}): "
                            "refused as a zip bomb" + _raise_with("max_members"))
    # only the kept members are ever decompressed: data files beside them cost nothing
    kept = [i for i in infos if not i.is_dir() and _is_kept(i.filename.replace("\\", "/"))]
    declared = sum(i.file_size for i in kept)
    packed = max(1, sum(i.compress_size for i in kept))
    if declared > limits.max_total_bytes:
        raise BadSubmission(f"the zip's source files expand to {_size_text(declared)} (limit "
                            f"{_size_text(limits.max_total_bytes)}): refused as a zip bomb"
                            + _raise_with("max_total_bytes"))
    if declared > limits.ratio_floor_bytes and declared / packed > limits.max_ratio:
        raise BadSubmission(f"the zip compresses {declared / packed:.0f}:1 (limit "
                            f"{limits.max_ratio:.0f}:1): refused as a zip bomb"
                            + _raise_with("max_ratio"))
    files: dict[str, bytes] = {}
    ignored: list[str] = []
    total = 0
    for info in infos:
        rel = _safe_member_name(info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BadSubmission(f"the zip contains a symbolic link {info.filename!r}; "
                                "submit regular files only")
        if info.flag_bits & 0x1:
            raise BadSubmission("the zip is encrypted; submit it without a password")
        if info.is_dir() or not rel or any(p in SKIP_DIRS for p in rel.split("/")):
            continue
        if not _is_kept(rel):
            ignored.append(rel)
            continue
        if rel in files:
            raise BadSubmission(f"the zip holds {rel!r} twice")
        cap = limits.file_cap(rel)
        if info.file_size > cap:
            raise BadSubmission(f"{rel!r} is {_size_text(info.file_size)}; a source file may be at "
                                f"most {_size_text(cap)}" + _raise_with(_cap_field(rel)))
        with archive.open(info) as handle:  # reads at most file_size bytes, then checks the CRC
            data = handle.read(cap + 1)
        total += len(data)
        if len(data) > cap or total > limits.max_total_bytes:
            raise BadSubmission("the zip expands past its limits: refused as a zip bomb")
        files[rel] = data
    return files, ignored


# ---------------------------------------------------------------------------------- shaping

def _strip_common_folder(files: dict[str, bytes], modules: tuple[str, ...]) -> dict[str, bytes]:
    """Students often zip the folder, not its contents: drop one shared leading folder (up to
    three times) while no module or manifest sits at the top."""
    for _ in range(3):
        top = {f"{m}.py" for m in modules} | {MANIFEST_NAME}
        if not files or any(rel in top for rel in files):
            return files
        heads = {rel.split("/", 1)[0] for rel in files}
        if len(heads) != 1 or any("/" not in rel for rel in files):
            return files
        files = {rel.split("/", 1)[1]: data for rel, data in files.items()}
    return files


def _take_manifest(files: dict[str, bytes], notes: list[str]) -> Manifest | None:
    data = files.get(MANIFEST_NAME)
    if data is None:
        return None
    try:
        return parse_manifest(data)
    except ManifestError as exc:
        notes.append(f"{exc}; the manifest was ignored")
        return None


def _check_modules(sources: dict[str, bytes], ignored: list[str], modules: tuple[str, ...],
                   notes: list[str]) -> None:
    present = [m for m in modules if f"{m}.py" in sources]
    expected = ", ".join(f"{m}.py" for m in modules)
    if not sources:
        seen = f" (it holds: {', '.join(ignored[:8])})" if ignored else ""
        raise BadSubmission(f"empty submission: no Python files found{seen}; expected {expected}")
    if modules and not present:
        raise BadSubmission(f"none of the assignment's modules ({expected}) was found; the "
                            f"submission holds: {', '.join(sorted(sources)[:8])}")
    for missing in (m for m in modules if m not in present):
        notes.append(f"{missing}.py is missing: its tasks are reported as missing")


def _manifest_mismatches(manifest: Manifest, sources: dict[str, bytes]) -> list[str]:
    changed = sorted(rel for rel, digest in manifest.files.items()
                     if rel in sources and hashlib.sha256(sources[rel]).hexdigest() != digest)
    absent = sorted(rel for rel in manifest.files if rel.endswith(".py") and rel not in sources)
    notes = []
    if changed:
        notes.append(f"files changed after `submit` ({', '.join(changed)}); graded as found")
    if absent:
        notes.append(f"files listed in the manifest are absent ({', '.join(absent)})")
    return notes


def _write_inside(job_dir: Path, rel: str, data: bytes) -> None:
    """Write `data` to job_dir/rel, refusing any path that would leave job_dir."""
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise BadSubmission(f"unsafe path {rel!r}")
    root = os.path.realpath(job_dir)
    dest = os.path.join(root, *parts)
    if os.path.commonpath([root, os.path.realpath(os.path.dirname(dest))]) != root:
        raise BadSubmission(f"unsafe path {rel!r}")
    try:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise BadSubmission(f"cannot place {rel!r} ({exc.strerror}): conflicting paths") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
