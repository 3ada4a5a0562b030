"""The HTML 通报 in a real browser (headless Chromium): it loads without console errors,
its sort script runs under the page's Content-Security-Policy and sorts, and hostile
crawled strings stay text.  Needs /usr/bin/chromium (scripts/install-system-deps.sh installs it)."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from reports.render import render_html
from tests.test_report_render import ATTR, XSS, sample_report

CHROMIUM = Path("/usr/bin/chromium")



@pytest.fixture(autouse=True)
def _chromium() -> None:
    # the README's test command installs it first (scripts/install-system-deps.sh): never skipped
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed at /usr/bin/chromium: run scripts/install-system-deps.sh")

CONSOLE = re.compile(r":CONSOLE[:(]")


def dump_dom(page: Path, tmp: Path) -> tuple[str, list[str]]:
    """The DOM after load, and the console lines Chromium logged for the page."""
    profile = tmp / "profile"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", "--dump-dom", page.resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if CONSOLE.search(line)]
    return proc.stdout, console


def _with_driver(page: Path, driver: str) -> None:
    """Append a test script to the page and allow it (by hash) in the page's CSP."""
    text = page.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(driver.encode("utf-8")).digest()).decode()
    assert "script-src '" in text
    text = text.replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    text = text.replace("</body>", f"<script>{driver}</script></body>", 1)
    page.write_text(text, encoding="utf-8")


def test_page_loads_clean_in_chromium(tmp_path: Path) -> None:
    report = sample_report()
    page = render_html(report, tmp_path / "通报.html")
    dom, console = dump_dom(page, tmp_path)
    assert console == []
    doc = lxml_html.fromstring(dom)
    assert doc.get("data-sortable") == "ready"  # the sort script ran under the CSP
    text = doc.text_content()
    for f in report["findings"] + report["tracking"]["fixed_findings"]:
        assert f["title"] in text
    assert XSS in text and ATTR in text  # shown as text ...
    assert len(doc.xpath("//script")) == 1  # ... never as markup
    assert not doc.xpath("//a[starts-with(normalize-space(@href), 'javascript')]")


def test_sort_script_sorts_in_chromium(tmp_path: Path) -> None:
    page = render_html(sample_report(), tmp_path / "通报.html")
    driver = """
(function () {
  var t = document.getElementById("findings"), ths = t.tHead.rows[0].cells;
  function col(i) {
    return Array.prototype.map.call(t.tBodies[0].rows, function (r) { return r.cells[i].textContent.trim(); }).join("|");
  }
  ths[0].click(); ths[0].click();
  document.body.setAttribute("data-desc", col(0));
  document.body.setAttribute("data-desc-aria", ths[0].getAttribute("aria-sort"));
  ths[1].click();
  document.body.setAttribute("data-sev", col(1));
  ths[4].click();
  document.body.setAttribute("data-site", col(4));
})();
"""
    _with_driver(page, driver)
    dom, console = dump_dom(page, tmp_path)
    assert console == []
    body = lxml_html.fromstring(dom).body
    assert body.get("data-desc") == "6|5|4|3|2|1"
    assert body.get("data-desc-aria") == "descending"
    assert body.get("data-sev") == "严重|一般|一般|一般|轻微|轻微"
    sites = body.get("data-site").split("|")
    assert sorted(sites) == sorted(f["site"] for f in sample_report()["findings"])
    groups = [s for i, s in enumerate(sites) if i == 0 or sites[i - 1] != s]
    assert len(groups) == len(set(sites))  # rows of one site are together after sorting by 网站
