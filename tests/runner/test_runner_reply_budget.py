"""The bytes a submission's replies may carry are budgeted in total (issue 11): however many
calls return ~256 MiB, the grader's memory stays under a stated cap, and the submission is
recorded with a result that says what happened.

The grading runs in a child process of the test, which reports its own peak resident memory
(VmHWM of /proc/self/status, its own address space's high-water mark; not ru_maxrss, which a
process started by vfork + exec inherits from its parent, here a pytest worker that may have
grown past the cap running earlier tests) and its resident memory before grading; nothing is
timed.
"""

import json
import subprocess
import sys
from pathlib import Path

from grader.runner.session import REPLY_BYTES, ROUND_TRIP_BYTES, SUBMISSION_BYTES

FLOOD = Path(__file__).resolve().parents[1] / "attacks" / "corpus" / "reply_flood_256mib"
#: What the grader may hold beyond its own baseline while grading the flood: the submission's
#: byte budget plus room for one reply's worth of copies made by the checks.
CAP = SUBMISSION_BYTES + REPLY_BYTES

GRADE = r'''
import json, resource, sys
from grader.assignment import load_assignment
from grader.checks.grade import grade_submission
from grader.checks.secret import DEV_SECRET
from grader.runner.sandbox import sandbox_factory

assignment = load_assignment("backprop")
assignment.reference_modules()
factory = sandbox_factory(call_timeout_s=10, total_timeout_s=120)
def rss():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()
def peak_rss():
    with open("/proc/self/status") as handle:
        kib = next(line for line in handle if line.startswith("VmHWM:")).split()[1]
    return int(kib) * 1024
before = rss()
seen = []
def runner_factory(folder):
    seen.append(factory(folder))
    return seen[-1]
result = grade_submission(sys.argv[1], assignment=assignment, student_id="flood",
                          secret=DEV_SECRET, runner_factory=runner_factory,
                          tasks=["backprop/affine_forward", "backprop/affine_backward"],
                          with_plots=False)
factory.close()
print(json.dumps({"before": before, "peak": peak_rss(),
                  "received": sum(r.received_bytes for r in seen),
                  "result": result.to_dict()}))
'''


def test_every_forward_returning_256_mib_keeps_the_grader_under_its_memory_cap(tmp_path):
    assert REPLY_BYTES <= ROUND_TRIP_BYTES <= SUBMISSION_BYTES
    done = subprocess.run([sys.executable, "-c", GRADE, str(FLOOD)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    grown = report["peak"] - report["before"]
    assert grown < CAP, (f"the grader grew by {grown >> 20} MiB (cap {CAP >> 20} MiB), "
                         f"having accepted {report['received'] >> 20} MiB; checks: "
                         + "; ".join(f"{c['status']}: {c['message'][:120]}"
                                     for c in report["result"]["checks"]))
    assert report["received"] <= SUBMISSION_BYTES
    result = report["result"]
    assert result["status"] == "graded" and result["checks"]
    assert all(c["status"] != "passed" and c["message"] for c in result["checks"])
    assert any("MiB" in c["message"] for c in result["checks"]), \
        [c["message"] for c in result["checks"]]
