"""Where the reports read results from: the gradebook (grader.batch.gradebook), or JSON files of
`SubmissionResult.to_dict()` (a file holding one result or a list, a .jsonl file, or a folder of
them) for tools and tests. Only the latest submission of each student is reported."""

from __future__ import annotations

import json
from pathlib import Path

from grader.checks.results import SubmissionResult


def _from_json(path: Path) -> list[SubmissionResult]:
    files = sorted(path.glob("*.json")) + sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    results = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".jsonl":
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            items = data if isinstance(data, list) else [data]
        results.extend(SubmissionResult.from_dict(item) for item in items)
    return results


def _moment(result: SubmissionResult) -> tuple[str, str]:
    return (result.submitted_at or "", result.started_at or "")


def latest_per_student(results: list[SubmissionResult]) -> list[SubmissionResult]:
    """Each student's latest result (by submitted_at, then started_at), sorted by student."""
    best: dict[str, SubmissionResult] = {}
    for result in results:
        kept = best.get(result.student)
        if kept is None or _moment(result) >= _moment(kept):
            best[result.student] = result
    return [best[s] for s in sorted(best)]


def load_results(gradebook_path: str | Path, assignment: str) -> list[SubmissionResult]:
    """The latest result of every student of ``assignment``."""
    path = Path(gradebook_path)
    if path.is_dir() or path.suffix in (".json", ".jsonl"):
        return latest_per_student([r for r in _from_json(path) if r.assignment == assignment])
    if not path.exists():
        raise FileNotFoundError(f"no gradebook at {path}")
    from grader.batch.gradebook import Gradebook  # noqa: PLC0415 (the TA's side only)

    book = Gradebook(path, create=False)
    try:
        results = list(book.submissions(assignment))
    finally:
        close = getattr(book, "close", None)
        if callable(close):
            close()
    return latest_per_student(results)
