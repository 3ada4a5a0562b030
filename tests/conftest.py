"""Shared test helpers: local sites on 127.0.0.x and running the CLI."""

from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REALPAGES = DATA / "realpages"
PLANS = DATA / "plans"


def run_cli(*args: str, cwd: str | Path | None = None, timeout: float = 180,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m govaudit ARGS` in a fresh process (Scrapy's reactor starts once per process)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "govaudit", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout, env=full_env)


def load_findings(out: Path) -> dict[str, Any]:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


@contextmanager
def served(site: Any) -> Iterator[Any]:
    """Serve a govaudit.demo.site.DemoSite (main site on 127.0.0.1, "external" on 127.0.0.2)."""
    from govaudit.demo.site import serve

    servers = serve(site)
    try:
        yield servers
    finally:
        servers.stop()


def bare_site(as_of: _dt.date = _dt.date(2026, 11, 22)) -> Any:
    from govaudit.demo.site import DemoSite

    return DemoSite(as_of)


@pytest.fixture
def site_factory() -> Any:
    return bare_site
