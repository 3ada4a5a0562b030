"""Page extractor: bytes of one HTML page -> :class:`govaudit.models.PageFacts`.

Pure functions, no network.  ``extract`` decodes and parses; it never raises.

Modules: ``encoding`` (BOM, declared charsets, plausibility), ``dates`` (date formats,
URL dates), ``links`` (link kinds), ``regions`` (nav/breadcrumb/related/footer/body),
``fields`` (meta, title, visible date, info table, 文号, footer, JS boxes), ``listing``
(rows, pagers, totals), ``page`` (assembly, soft 404), ``dom`` (lxml text helpers).

>>> f = extract("<title>通知</title><h1>通知</h1>".encode("gbk"), "http://x.gov.cn/a.html", header_charset="gbk")
>>> f.title, f.charset
('通知', 'gb18030')
"""

from __future__ import annotations

from typing import Iterable

from ..models import PageFacts
from .encoding import decode_body
from .page import looks_not_found, parse_page

__all__ = ["extract", "decode_body", "parse_page", "looks_not_found"]


def extract(
    body: bytes,
    url: str,
    *,
    header_charset: str | None = None,
    internal_hosts: Iterable[str] | None = None,
) -> PageFacts:
    """Decode ``body`` (BOM, header and <meta> charsets weighed) and read its facts."""
    try:
        text, charset = decode_body(body or b"", header_charset)
    except Exception:  # noqa: BLE001 - decoding must never stop a crawl
        text, charset = (body or b"").decode("utf-8", "replace"), "utf-8"
    return parse_page(text, url, charset=charset, internal_hosts=internal_hosts)
