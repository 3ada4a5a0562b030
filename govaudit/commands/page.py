"""govaudit page URL_OR_FILE: what govaudit reads on one page."""

from __future__ import annotations

import argparse
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ..errors import UserError

USER_AGENT = "Mozilla/5.0 (compatible; govaudit/0.1)"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "page",
        help="show what govaudit reads on one page (a URL or a saved .html file)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Prints the facts the crawler would store for one page: kind, title, published date and its\n"
            "source, standard meta tags, column, 发文字号, links …\n\n"
            "examples:\n"
            "  govaudit page http://www.example.gov.cn/xxgk/202607/t20260715_4421111.html --json\n"
            "  govaudit page saved.html --url http://www.example.gov.cn/xxgk/202607/t20260715_1.html --json"
        ),
    )
    p.add_argument("target", metavar="URL_OR_FILE", help="http(s) URL or a saved HTML file")
    p.add_argument("--url", default=None, help="for a file: the URL it was saved from (default: a file:// URL)")
    p.add_argument("--json", action="store_true", help="print the facts as JSON")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a URL (default 20)")
    p.set_defaults(func=run)


def fetch_url(url: str, *, timeout: float = 20.0, limit: int = 50 * 1024 * 1024) -> tuple[bytes, str, str]:
    """(body, final URL, Content-Type) of one http(s) URL; UserError when it cannot be read."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            return resp.read(limit), resp.geturl(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise UserError(f"cannot read {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise UserError(f"cannot read {url}: {getattr(exc, 'reason', exc)}") from None


def read_target(target: str, *, url: str | None = None, timeout: float = 20.0) -> tuple[bytes, str, str | None]:
    """(body, url, header charset) of a URL or a saved file."""
    if re.match(r"^https?://", target, re.I):
        body, final, ctype = fetch_url(target, timeout=timeout)
        m = re.search(r"charset=([\w-]+)", ctype, re.I)
        return body, final, (m.group(1) if m else None)
    if "://" in target:
        raise UserError(f"not an http(s) URL or a file: {target!r}")
    path = Path(target)
    if not path.is_file():
        raise UserError(f"no such file: {target}")
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {target}: {exc.strerror}") from None
    return body, url or path.resolve().as_uri(), None


def run(args: Any) -> int:
    from ..extract import extract

    body, url, charset = read_target(args.target, url=args.url, timeout=args.timeout)
    facts = extract(body, url, header_charset=charset)
    d = facts.to_dict()
    if args.json:
        print(json.dumps(d, ensure_ascii=False, indent=2))
        return 0
    print(f"url:        {url}")
    print(f"kind:       {facts.kind}")
    print(f"title:      {facts.title}")
    print(f"published:  {facts.published} ({facts.published_source})"
          + (f"  [meta PubDate {facts.meta_date}]" if facts.meta_date and facts.meta_date != facts.published else ""))
    print(f"site:       {facts.site_name}")
    print(f"column:     {facts.column}")
    if facts.doc_number:
        print(f"文号:       {facts.doc_number}")
    print(f"charset:    {facts.charset}")
    if facts.list_items:
        print(f"list items: {len(facts.list_items)}; pages announced: {facts.page_count}")
    print(f"links:      {len(facts.links)}")
    for ln in facts.links[:200]:
        print(f"  [{ln.kind}/{ln.context}] {ln.text[:40]} -> {ln.url}")
    return 0
