"""Progress display: a live line per site on a terminal, plain log lines under cron."""

from __future__ import annotations

import io
import logging

import pytest
from scrapy.utils.test import get_crawler

from crawler.progress import Progress, _Screen
from govaudit.models import Fetch


def progress(label: str, *, tty: bool, out: io.StringIO | None = None) -> Progress:
    crawler = get_crawler(settings_dict={"GOVAUDIT_SITE_LABEL": label})
    return Progress(crawler, interval=60, tty=tty, out=out)


def feed(p: Progress, n_pages: int, n_errors: int, n_304: int) -> None:
    for i in range(n_pages):
        p.item_scraped({"fetch": Fetch(url=f"http://a/{i}", role="page", status=200), "revalidated": i < n_304})
    for i in range(n_errors):
        p.item_scraped({"fetch": Fetch(url=f"http://a/x{i}", role="check", status=404)})


def test_terminal_shows_one_live_line_per_site_redrawn_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Screen, "lines", {})
    monkeypatch.setattr(_Screen, "drawn", 0)
    out = io.StringIO()
    a, b = progress("县教育局", tty=True, out=out), progress("县财政局", tty=True, out=out)
    feed(a, 5, 2, 3)
    a.report()
    b.report()
    feed(b, 1, 0, 0)
    b.report()
    text = out.getvalue()
    last = text.rsplit("\x1b[2F", 1)[-1]  # the last redraw moves up over both lines
    lines = [ln.replace("\x1b[2K", "") for ln in last.splitlines()]
    assert len(lines) == 2
    assert lines[0].startswith("县教育局") and "5 pages" in lines[0] and "7 URLs" in lines[0]
    assert "errors 2" in lines[0] and "304s 3" in lines[0]
    assert lines[1].startswith("县财政局") and "1 pages" in lines[1]


def test_without_a_terminal_progress_is_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    out = io.StringIO()
    p = progress("县教育局", tty=False, out=out)
    feed(p, 2, 1, 0)
    with caplog.at_level(logging.INFO, logger="crawler.progress"):
        p.report(final="finished")
    assert out.getvalue() == ""  # nothing drawn
    (rec,) = [r for r in caplog.records if r.name == "crawler.progress"]
    assert "县教育局" in rec.getMessage() and "2 pages" in rec.getMessage() and "finished" in rec.getMessage()
