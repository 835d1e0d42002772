"""The feedback pages and the class overview in real headless Chromium: they load with no console
error and no request of their own, render their plots as SVG, and a screenshot is taken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import browser

PNG = b"\x89PNG\r\n\x1a\n"
URL_ATTRIBUTE = re.compile(r'\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["\']([^"\']*)',
                           re.IGNORECASE)


@pytest.fixture(scope="session")
def chromium():
    path, why = browser.find_or_install()
    if path is None:
        pytest.skip(f"headless Chromium unavailable: {why}")
    return path


def _pages(reports) -> list[Path]:
    feedback = reports["feedback"]
    return [feedback / "backprop-bob.html", feedback / "backprop-alice.html",
            feedback / "backprop-erin.html", reports["overview"]]


def _local_page(url: str, page: Path | None) -> bool:
    """A relative link to another page of the same reports (the overview <-> a student's page)."""
    return (page is not None and url.endswith(".html") and ":" not in url
            and (page.parent / url).resolve().is_file())


def _external_urls(html: str, page: Path | None = None) -> list[str]:
    urls = [u for u in URL_ATTRIBUTE.findall(html)
            if not u.startswith(("#", "data:")) and not _local_page(u, page)]
    urls += re.findall(r"url\(\s*['\"]?(?!#|data:)([^)'\"]+)", html)
    urls += re.findall(r"@import", html)
    return urls


def test_canary_page_with_a_request_and_a_script_error_is_caught(chromium, tmp_path):
    """The checks below have teeth: a page that fetches and throws is reported as such."""
    page = tmp_path / "canary.html"
    page.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png">'
                    "<script>undefined_function()</script><p>canary</p></body></html>")
    loaded = browser.load(chromium, page, tmp_path / "canary")
    assert loaded.page_requests == ["http://127.0.0.1:9/x.png"]
    assert any("undefined_function" in e for e in loaded.console_errors)
    assert _external_urls(page.read_text())


@pytest.mark.parametrize("index", range(4), ids=["bob", "alice", "erin", "overview"])
def test_page_loads_offline_without_errors_and_renders_svg(chromium, reports, tmp_path, index):
    page = _pages(reports)[index]
    html = page.read_text(encoding="utf-8")
    assert _external_urls(html, page) == []
    assert "<script" not in html.lower()
    loaded = browser.load(chromium, page, tmp_path)
    assert loaded.console_errors == []
    assert loaded.page_requests == []
    assert "</body>" in loaded.dom and "<h1>" in loaded.dom
    assert loaded.screenshot.read_bytes()[:8] == PNG and loaded.screenshot.stat().st_size > 5000
    if page.name in ("backprop-bob.html", "backprop-alice.html"):
        assert loaded.dom.count("<svg") >= 3 and 'id="plot-sigmoid_depth"' in loaded.dom
    if page == reports["overview"]:
        assert 'id="histogram"' in loaded.dom and "<svg" in loaded.dom
        assert "corrupt zip" in loaded.dom and "timed out" in loaded.dom
