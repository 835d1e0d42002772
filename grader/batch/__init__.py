"""Batch grading: find submissions, unpack them safely, grade them in a pool, keep a gradebook.

    discover.py   the accepted layouts (folder per student, `submit` zips, nbgrader tree, one
                  submission given directly) -> `Submission`s
    manifest.py   the `manifest.json` that the student `submit` command puts in its zip
    unpack.py     a submission -> a fresh job folder holding only its .py files (+ manifest),
                  every hostile input refused with a message; the submission hash
    preflight.py  source-level notes (not UTF-8, syntax errors, Python 2) without running code
    gradebook.py  SQLite (WAL) keyed by (assignment, student, submission_hash)
    driver.py     `grade_batch`: a process pool, progress bar, summary, resumable
    single.py     `grade_one`: one submission, no pool
    bench.py      seconds per submission through the batch grader
    cli.py        `python -m grader grade PATH --assignment A`

Imports point one way: cli -> driver/single -> unpack/discover/gradebook -> checks.results.
"""
