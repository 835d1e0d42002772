"""``python -m grader doctor``: which isolation layers are active on this machine."""

from __future__ import annotations

import argparse

from grader.runner.isolation import detect, probe_sandbox


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "doctor", help="report which sandbox isolation layers work on this machine",
        description="Probe rlimits, no_new_privs, seccomp, Landlock, user/net namespaces and "
                    "bubblewrap, then run a probe submission in the sandbox and show what it "
                    "could and could not do.")
    parser.add_argument("--no-probe", action="store_true", help="skip the live sandbox probe")
    parser.set_defaults(func=run)


def _line(name: str, active: bool, detail: str = "", *, optional: bool = False) -> str:
    mark = "active " if active else ("absent " if optional else "MISSING")
    return f"  [{mark}] {name}{': ' + detail if detail else ''}"


def run(args: argparse.Namespace) -> int:
    facts = detect()
    print("Isolation layers on this machine:")
    print(_line("rlimits (address space, CPU, file size, open files, processes)", facts["rlimits"],
                facts.get("rlimits_error", "")))
    print(_line("no_new_privs", facts["no_new_privs"], facts.get("no_new_privs_error", "")))
    print(_line("seccomp (no network, no exec, no new processes, no signals out)", facts["seccomp"],
                facts.get("seccomp_error", "")))
    landlock_detail = (f"ABI {facts['landlock_abi']}" if facts["landlock"]
                       else facts.get("landlock_error", "") + "; fallback: the job dir holds only "
                       "the submission, but files elsewhere stay readable by absolute path")
    print(_line("Landlock (reads limited to the job dir and the Python install)", facts["landlock"],
                landlock_detail))
    print(_line("user + network + mount namespace (optional outer layer, used when available)",
                facts["userns"], "" if facts["userns"] else "`unshare -r -n -m` is not permitted here",
                optional=True))
    print(_line("job-dir quota (a private tmpfs per worker caps the files and bytes a child "
                "writes; needs the user + mount namespace)", facts["userns"],
                "" if facts["userns"] else "no quota: a child can fill the disk's inodes",
                optional=True))
    print(_line("memory cap (all the memory a child can hold)", facts["memory_cap"],
                facts["memory_cap_detail"]))
    from grader.runner.session import REPLY_BYTES, ROUND_TRIP_BYTES, SUBMISSION_BYTES
    print(_line("reply byte budget (what the grader itself accepts from a child's replies)", True,
                f"{REPLY_BYTES >> 20} MiB per reply, {ROUND_TRIP_BYTES >> 20} MiB per round trip, "
                f"{SUBMISSION_BYTES >> 20} MiB per submission; refused before they are read"))
    print(_line("cgroup v2 memory controller (detected only; the sandbox does not use cgroups)",
                facts["cgroup_memory"], facts["cgroup_memory_detail"], optional=True))
    print(_line("bubblewrap (optional, detected only)", facts["bubblewrap"],
                "" if facts["bubblewrap"] else "bwrap not installed or not usable", optional=True))
    if facts["root"]:
        print("  note: running as root; sandboxed children drop all capabilities")
    if not args.no_probe:
        print("Probe submission inside the sandbox:")
        for act, outcome in probe_sandbox().items():
            print(f"  {act}: {outcome}")
    return 0
