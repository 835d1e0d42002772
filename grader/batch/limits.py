"""The size limits of a submission, each a `grade` option with a documented default."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a submission may be. A student's modules are tens of kilobytes; a zip may also carry
    data files, which are never extracted (only .py, .ipynb and manifest.json are read).
    Each limit is a `grade` option (OPTIONS); a refusal names the option that raises it."""

    max_file_bytes: int = 2 * MB        # one source file                       --max-file-mb
    max_total_bytes: int = 20 * MB      # the .py/.ipynb files kept, in total   --max-total-mb
    max_members: int = 1000             # entries in a zip or a folder          --max-files
    max_ratio: float = 100.0            # uncompressed / compressed, kept files --max-ratio
    ratio_floor_bytes: int = 1 * MB     # archives smaller than this uncompressed are never bombs
    max_archive_bytes: int = 100 * MB   # the zip file itself                   --max-zip-mb
    max_notebook_bytes: int = 16 * MB   # one .ipynb (its outputs may hold images) --max-notebook-mb

    def file_cap(self, rel: str) -> int:
        """The largest size one file named `rel` may have."""
        return self.max_notebook_bytes if rel.endswith(".ipynb") else self.max_file_bytes


#: Limits field -> the `grade` option that sets it (sizes in MB).
OPTIONS = {"max_file_bytes": "--max-file-mb", "max_total_bytes": "--max-total-mb",
           "max_members": "--max-files", "max_ratio": "--max-ratio",
           "max_archive_bytes": "--max-zip-mb", "max_notebook_bytes": "--max-notebook-mb"}


#: Limits field -> what it limits (for --help).
WHAT = {"max_file_bytes": "largest source file", "max_total_bytes": "the kept .py/.ipynb files "
        "of one submission, in total", "max_members": "entries in a zip or folder",
        "max_ratio": "compression ratio of the kept files of a zip",
        "max_archive_bytes": "largest zip file (data files in it are never extracted)",
        "max_notebook_bytes": "largest .ipynb"}


def raise_with(field_name: str) -> str:
    """The words a refusal ends with: which option raises the limit it hit."""
    return f" (a TA can raise the limit with `grade {OPTIONS[field_name]}`)"
