"""Headless Chromium for the page tests: find or install it, load a file:// page, report what it
did (DOM, console errors, requests the page itself made, a screenshot).

Installation: Debian's `chromium` through apt-get, once per machine, under a file lock (the tests
run in parallel under pytest-xdist); only as root and only when apt can reach the registry.
`find_or_install()` returns None with the reason when it cannot, and the tests skip with it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LOCK = Path(tempfile.gettempdir()) / "grader-tests-chromium.lock"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0")
CONSOLE = re.compile(r":INFO:CONSOLE[^\]]*\]\s*(.*)")


def find_or_install() -> tuple[str | None, str]:
    """(path to chromium, "") or (None, why it is not available)."""
    found = shutil.which("chromium")
    if found:
        return found, ""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "chromium is not installed and apt-get needs root here"
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one installer; the others wait, then find it
        found = shutil.which("chromium")
        if found:
            return found, ""
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for command in (["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]):
            try:
                done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
            except subprocess.TimeoutExpired:
                return None, f"`{' '.join(command)}` timed out"
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
                return None, f"`{' '.join(command)}` failed: {tail[0]}"
    found = shutil.which("chromium")
    return (found, "") if found else (None, "apt-get installed chromium but it is not on PATH")


@dataclass
class PageLoad:
    dom: str
    console_errors: list[str]
    page_requests: list[str]       # URLs the page (not the browser's own services) asked for
    screenshot: Path


def _page_requests(net_log: Path) -> list[str]:
    """URL requests whose initiator is the page: Chromium's own background traffic (update
    checks and the like) is initiated by 'not an origin' and is not the page's doing."""
    text = net_log.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):
        text += "]}"  # a log cut at exit lacks its closing brackets
    data = json.loads(text)
    names = {v: k for k, v in data["constants"]["logEventTypes"].items()}
    urls = []
    for event in data.get("events", []):
        params = event.get("params", {})
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params:
            if params.get("initiator") != "not an origin":
                urls.append(params["url"])
    return urls


def load(chromium: str, page: Path, work: Path, *, width: int = 1100, height: int = 2400) -> PageLoad:
    """Load ``page`` twice (DOM dump with a net log, then a screenshot) in fresh profiles."""
    work.mkdir(parents=True, exist_ok=True)
    url = page.resolve().as_uri()
    net_log = work / "net.json"
    dump = subprocess.run([chromium, *FLAGS, f"--user-data-dir={work / 'profile-dom'}",
                           f"--log-net-log={net_log}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=900)
    shot = work / (page.stem + ".png")
    subprocess.run([chromium, *FLAGS, f"--user-data-dir={work / 'profile-shot'}",
                    f"--window-size={width},{height}", f"--screenshot={shot}", url],
                   capture_output=True, text=True, timeout=900)
    console = [m.group(1) for line in dump.stderr.splitlines() if (m := CONSOLE.search(line))]
    return PageLoad(dom=dump.stdout, console_errors=console,
                    page_requests=_page_requests(net_log), screenshot=shot)
