"""Deterministic zip archives: the same files give the same bytes, build after build.

Members are sorted, every timestamp is 1980-01-01 00:00:00, permissions are 0644 (0755 for
names in `executable`), the creating system is fixed, and there are no extra fields.
"""

from __future__ import annotations

import io
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def deterministic_zip(files: dict[str, bytes], *, prefix: str = "",
                      executable: frozenset[str] = frozenset()) -> bytes:
    """Zip `files` ({posix path: bytes}) under `prefix` ("backprop/") and return the archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(prefix + name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode bits below mean what they say
            mode = 0o755 if name in executable else 0o644
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
