"""The govaudit spider: crawls one 政府信息公开专栏 and checks every link it finds.

Pages on the crawled hosts are fetched and parsed (``govaudit.extract``);
attachments, external targets and same-host pages outside the scope are only
checked (HEAD, falling back to a headers-only GET when HEAD is refused).
Facts go to the SQLite store through ``crawler.pipelines.StorePipeline``.

Run it directly from the repository root::

    scrapy crawl govaudit -a url=http://www.example.gov.cn/xxgk/ -s GOVAUDIT_DB=site.db
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.misc import load_object
from twisted.internet import error as txerror
from twisted.python.failure import Failure

from crawler.extract_pool import read_page, rescope_links
from crawler.traps import canonical_url
from govaudit.extract import decode_body, extract
from govaudit.annual import looks_like_report_title
from govaudit.models import Fetch, PageFacts
from govaudit.store import PreparedFacts

logger = logging.getLogger(__name__)

#: Statuses for which a refused HEAD is retried as a headers-only GET.
HEAD_FALLBACK_STATUSES = {400, 403, 405, 501}

#: Bodies that mark a WAF / anti-bot answer rather than the page.
WAF_MARKERS = (
    "安全狗", "云锁", "yunsuo", "waf", "访问被拦截", "访问被阻断", "拦截", "非法请求", "请开启javascript",
    "enable javascript", "captcha", "验证码", "__jsl_clearance", "jsl_clearance", "人机验证", "安全验证",
    "access denied", "forbidden by waf", "creditcard",
)
BLOCK_STATUSES = {412, 418, 521}

#: Hanweb jpage lists: the first records sit in the page's <datastore>; the rest come from a POST
#: to dataproxy.jsp whose form fields the page writes into its <nextgroup> link.
HANWEB_PROXY = re.compile(r"""(/module/(?:web/)?jpage/dataproxy\.jsp)\?([^"'<>\s\]]+)""")
HANWEB_GROUP = 45  # records asked per POST, as the jpage script does

ANNUAL_TITLE = re.compile(r"(19|20)\d{2}.{0,20}(信息公开|政务公开).{0,10}(年度报告|年报)")


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def looks_blocked(status: int | None, body: bytes, content_type: str) -> bool:
    """A WAF or anti-bot answer: 412/418/521, or 403/405/429 with a challenge page."""
    if status in BLOCK_STATUSES:
        return True
    if status in (403, 405, 429, 503) and body:
        text = body[:20000].decode("utf-8", "ignore").lower()
        return any(m in text for m in WAF_MARKERS)
    return False


def classify_failure(failure: Failure) -> tuple[str, str]:
    """(error code, detail) for a request that produced no usable response."""
    exc = failure.value
    detail = f"{type(exc).__name__}: {exc}"[:300]
    if isinstance(exc, IgnoreRequest):
        msg = str(exc)
        if "max redirections" in msg:
            urls = failure.request.meta.get("redirect_urls", []) + [failure.request.url] if hasattr(
                failure, "request") else []
            return ("redirect_loop" if len(set(urls)) < len(urls) else "too_many_redirects"), detail
        if "robots.txt" in msg:
            return "robots", detail
        return "ignored", detail
    name = type(exc).__name__
    low = detail.lower()
    if isinstance(exc, txerror.DNSLookupError) or name in {"CannotResolveHostError", "DNSLookupError"}:
        return "dns", detail
    if isinstance(exc, txerror.ConnectionRefusedError) or name == "DownloadConnectionRefusedError":
        return "refused", detail
    if (isinstance(exc, (txerror.TimeoutError, txerror.TCPTimedOutError))
            or name in {"DownloadTimeoutError", "TimeoutError", "TCPTimedOutError"}):
        return "timeout", detail
    if name == "DownloadCancelledError" or "max size" in low or "maxsize" in low:
        return "too_large", detail
    if "ssl" in low or "tls" in low or "certificate" in low:
        return "tls", detail
    if name in {"DownloadFailedError", "ResponseNeverReceived", "ResponseFailed", "ConnectionLost",
                "ConnectionDone", "ConnectionAborted", "PotentialDataLoss", "ResponseDataLossError"} or isinstance(
            exc, (txerror.ConnectionLost, txerror.ConnectionDone)):
        if "refused" in low:
            return "refused", detail
        if "timed out" in low or "timeout" in low:
            return "timeout", detail
        return "reset", detail
    if name == "UnsupportedURLSchemeError":
        return "unsupported", detail
    return "other", detail


class GovauditSpider(scrapy.Spider):
    name = "govaudit"

    def __init__(self, url: str | None = None, run_id: int | str | None = None, hosts: str = "",
                 prefixes: str = "", exclude: str = "", *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not url:
            raise ValueError("the govaudit spider needs a start URL: -a url=http://…")
        self.start_url = url
        self.run_id = int(run_id) if run_id not in (None, "") else None
        start_host = _host(url)
        self.scope_hosts = {start_host} | {h.strip().lower() for h in hosts.split(",") if h.strip()}
        self.scope_prefixes = [p.strip() for p in prefixes.split(",") if p.strip()]
        self.exclude = re.compile(exclude) if exclude else None
        self.seen: Any = None  # set by from_crawler (crawler.frontier.MemorySeen by default)
        self.pages_scheduled = 0
        self.urls_scheduled = 0
        self.traps: list[tuple[str, str]] = []
        self.started = time.monotonic()

    # ------------------------------------------------------------------ setup
    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "GovauditSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_pages = s.getint("GOVAUDIT_MAX_PAGES", 5000)
        spider.max_urls = s.getint("GOVAUDIT_MAX_URLS", 50000)
        spider.check_external = s.getbool("GOVAUDIT_CHECK_EXTERNAL", True)
        spider.soft404_probe = s.getbool("GOVAUDIT_SOFT404_PROBE", True)
        spider.report_maxsize = s.getint("GOVAUDIT_ANNUAL_REPORT_MAXSIZE", 30 * 1024 * 1024)
        seen_cls = load_object(s.get("GOVAUDIT_SEEN_CLASS", "crawler.frontier.MemorySeen"))
        spider.seen = seen_cls.from_crawler(crawler, spider)
        spider.resume = s.getbool("GOVAUDIT_RESUME")
        spider.db_path = s.get("GOVAUDIT_DB", "govaudit.db")
        return spider

    def in_scope(self, url: str) -> bool:
        if self.exclude and self.exclude.search(url):
            return False
        if _host(url) in self.scope_hosts:
            return True
        return any(url.startswith(p) for p in self.scope_prefixes)

    def note_trap(self, url: str, reason: str) -> None:
        if len(self.traps) < 1000:
            self.traps.append((url, reason))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if getattr(self, "resume", False) and self.run_id is not None:
            for req in self._resume_requests():
                yield req
            return
        if self.soft404_probe:
            for host in sorted(self.scope_hosts):
                yield self._probe_request(self.start_url if _host(self.start_url) == host else f"http://{host}/")
        req = self._page_request(self.start_url, depth=0, referer=None)
        if req is not None:
            yield req

    def _resume_requests(self) -> Iterator[scrapy.Request]:
        """Continue an interrupted run: claim what it stored, request what its stored pages led to."""
        import json

        from govaudit.store import Store

        store = Store(self.db_path)
        assert self.run_id is not None
        sources: list[tuple[str, str, int, list[str]]] = []
        done = 0
        for url, role, final_url, depth, facts_json in store.db.execute(
                "select url, role, coalesce(final_url, url), depth, facts from pages where run_id = ? order by rowid",
                [self.run_id]).fetchall():
            self.seen.add(canonical_url(url))
            self.urls_scheduled += 1
            done += 1
            if role == "page":
                self.pages_scheduled += 1
            if facts_json and role == "page":
                pagination = json.loads(facts_json).get("pagination") or []
                sources.append((url, final_url, int(depth or 0), list(pagination)))
        probed = set(store.probes(self.run_id))
        logger.info("resuming run %s: %d URLs already stored", self.run_id, done)
        self.crawler.stats.set_value("govaudit/resumed_urls", done)
        if self.soft404_probe:
            for host in sorted(self.scope_hosts - probed):
                yield self._probe_request(self.start_url if _host(self.start_url) == host else f"http://{host}/")
        req = self._page_request(self.start_url, depth=0, referer=None)
        if req is not None:
            yield req
        for url, final_url, depth, pagination in sources:
            for page_url in pagination:
                if self.in_scope(page_url):
                    req = self._page_request(page_url, depth=depth, referer=final_url, pagination=True, priority=1)
                    if req is not None:
                        yield req
            for target, kind, text in store.db.execute(
                    "select target, kind, text from links where run_id = ? and source = ? order by rowid",
                    [self.run_id, url]).fetchall():
                req = self._request_for_link(target, kind, text or "", depth=depth + 1, referer=final_url)
                if req is not None:
                    yield req

    # ------------------------------------------------------------------ requests
    def _claim(self, url: str) -> str | None:
        key = canonical_url(url)
        if key in self.seen:
            return None
        if self.urls_scheduled >= self.max_urls:
            self.crawler.stats.inc_value("govaudit/url_limit_reached")
            return None
        if not self.seen.add(key):
            return None
        self.urls_scheduled += 1
        return key

    def _page_request(self, url: str, *, depth: int, referer: str | None, pagination: bool = False,
                      priority: int = 0) -> scrapy.Request | None:
        if self.pages_scheduled >= self.max_pages:
            self.crawler.stats.inc_value("govaudit/page_limit_reached")
            return None
        if self._claim(url) is None:
            return None
        self.pages_scheduled += 1
        headers = {"Referer": referer} if referer else {}
        return scrapy.Request(
            url, callback=self.parse, errback=self.errback, dont_filter=True, priority=priority, headers=headers,
            meta={"govaudit_role": "page", "govaudit_url": url, "govaudit_pagination": pagination,
                  "govaudit_referer": referer, "depth": depth},
        )

    def _check_request(self, url: str, *, referer: str | None, method: str = "HEAD",
                       role: str = "check") -> scrapy.Request | None:
        if self._claim(url) is None:
            return None
        return self._check_request_unclaimed(url, referer=referer, method=method, role=role)

    def _check_request_unclaimed(self, url: str, *, referer: str | None, method: str,
                                 role: str = "check", headers_only: bool = False) -> scrapy.Request:
        meta: dict[str, Any] = {"govaudit_role": role, "govaudit_url": url, "govaudit_referer": referer,
                                "dont_obey_robotstxt": True}
        if headers_only:
            meta["govaudit_headers_only"] = True
        if role == "document":
            meta["download_maxsize"] = self.report_maxsize
        headers = {"Referer": referer} if referer else {}
        return scrapy.Request(url, method=method, callback=self.parse_check, errback=self.errback,
                              dont_filter=True, meta=meta, headers=headers, priority=-1)

    def _probe_request(self, base: str) -> scrapy.Request:
        parts = urlsplit(base)
        path = parts.path.rsplit("/", 1)[0] + "/" if "/" in parts.path else "/"
        url = f"{parts.scheme}://{parts.netloc}{path}govaudit-probe-{secrets.token_hex(6)}.html"
        return scrapy.Request(url, callback=self.parse_probe, errback=self.errback_probe, dont_filter=True,
                              priority=10, meta={"govaudit_role": "probe", "dont_obey_robotstxt": True,
                                                 "dont_retry": True, "govaudit_probe_host": parts.netloc.lower()})

    # ------------------------------------------------------------------ responses
    def _fetch(self, response: Response, *, role: str) -> Fetch:
        req = response.request
        meta = response.meta
        url = meta.get("govaudit_url") or response.url
        redirects = list(meta.get("redirect_urls", []))
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1", "replace")
        return Fetch(
            url=url,
            role=role,
            final_url=response.url,
            redirects=redirects,
            status=response.status,
            method=req.method if req is not None else "GET",
            content_type=ctype,
            length=len(response.body),
            elapsed=meta.get("download_latency"),
            etag=response.headers.get(b"ETag", b"").decode("latin-1", "replace"),
            last_modified=response.headers.get(b"Last-Modified", b"").decode("latin-1", "replace"),
            blocked=looks_blocked(response.status, response.body, ctype),
            depth=int(meta.get("depth", 0)),
            referer=meta.get("govaudit_referer"),
        )

    @staticmethod
    def _is_html(response: Response) -> bool:
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if "html" in ctype or "xml" in ctype and "xhtml" in ctype:
            return True
        if not ctype or "text/plain" in ctype or "octet-stream" in ctype:
            head = response.body[:512].lstrip().lower()
            return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"\xef\xbb\xbf<",
                                    b"\xff\xfe", b"\xfe\xff"))
        return False

    def _revalidated_fetch(self, response: Response, row: dict[str, Any], *, role: str) -> Fetch:
        """The previous run's fetch of a URL that answered 304: same page, this request's depth and timing."""
        meta = response.meta
        etag = response.headers.get(b"ETag", b"").decode("latin-1", "replace") or row.get("etag") or ""
        return Fetch(
            url=meta.get("govaudit_url") or response.url, role=role, final_url=row.get("final_url"),
            redirects=list(row.get("redirects") or []), status=row.get("status"), method=row.get("method") or "GET",
            content_type=row.get("content_type") or "", length=row.get("length"),
            elapsed=meta.get("download_latency"), etag=etag, last_modified=row.get("last_modified") or "",
            blocked=bool(row.get("blocked")), depth=int(meta.get("depth", 0)), referer=meta.get("govaudit_referer"),
        )

    def page_to_read(self, response: Response, meta: dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        """Arguments of :func:`crawler.extract_pool.read_page` for a page this crawl reads, else None.

        ``meta``: the request's meta (a downloader middleware sees the response before it is tied to it).
        """
        meta = response.meta if meta is None else meta
        if meta.get("govaudit_role") != "page" or meta.get("govaudit_listing") or response.status >= 400 \
                or response.status == 304:
            return None
        if not (self._is_html(response) and self.in_scope(response.url)):
            return None
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1", "replace")
        m = re.search(r"charset=([\w-]+)", ctype, re.I)
        return (response.body, response.url, meta.get("govaudit_url") or response.url, m.group(1) if m else None,
                tuple(sorted(self.scope_hosts)), tuple(self.scope_prefixes))

    def parse(self, response: Response) -> Iterator[Any]:
        cached = response.meta.get("govaudit_cached") if response.status == 304 else None
        if cached is not None:  # unchanged since the previous run: its stored facts stand
            row, stored = cached
            fetch = self._revalidated_fetch(response, row, role="page")
            yield {"type": "fetch", "fetch": fetch, "facts": stored, "revalidated": True}
            if stored is not None and not fetch.blocked:
                yield from self._follow(stored, fetch.depth, fetch.final_url or fetch.url)
            return
        fetch = self._fetch(response, role="page")
        # read in a child process already (crawler.extract_pool.ReadPagesMiddleware), or here
        facts: PageFacts | PreparedFacts | None = response.meta.pop("govaudit_facts", None)
        failed = response.meta.pop("govaudit_read_error", None)
        if facts is None and failed is None:
            args = self.page_to_read(response)
            if args is not None:
                try:
                    facts = read_page(*args)
                except Exception as exc:
                    failed = f"{type(exc).__name__}: {exc}"
        if failed is not None:  # the fetch is still stored; one odd page must not stop the crawl
            logger.warning("Could not read the page %s: %s", response.url, failed)
            self.crawler.stats.inc_value("govaudit/extract_errors")
            fetch.error_detail = f"extract failed: {failed}"[:300]
        hanweb = self._hanweb_more(response, facts) if facts is not None else []
        yield {"type": "fetch", "fetch": fetch, "facts": facts}
        if facts is None or fetch.blocked:
            return
        yield from hanweb
        yield from self._follow(facts, fetch.depth, response.url)

    def _hanweb_more(self, response: Response, facts: PageFacts | PreparedFacts) -> list[scrapy.Request]:
        """POST requests for the records a Hanweb jpage list keeps behind dataproxy.jsp.

        Their URLs are added to ``facts.pagination`` so the listing's pages stay one column.
        """
        total = facts.record_count or 0
        shown = facts.list_items if isinstance(facts, PreparedFacts) else len(facts.list_items)
        if not total or total <= shown or b"dataproxy.jsp" not in response.body:
            return []
        m = HANWEB_PROXY.search(response.text.replace("&amp;", "&"))
        if not m:
            return []
        from urllib.parse import parse_qsl, urljoin

        form = {k: v for k, v in parse_qsl(m.group(2), keep_blank_values=True) if k not in ("page",)}
        form.setdefault("col", "1")
        perpage = re.search(r"perpage\s*[:=]\s*['\"]?(\d+)", response.text)
        per = perpage.group(1) if perpage else "15"
        base = urljoin(response.url, m.group(1))
        out = []
        more: list[str] = []
        for start in range(shown + 1, total + 1, HANWEB_GROUP):
            end = min(start + HANWEB_GROUP - 1, total)
            url = f"{base}?startrecord={start}&endrecord={end}&perpage={per}&columnid={form.get('columnid', '')}"
            if not self.in_scope(url) or self.pages_scheduled >= self.max_pages or self._claim(url) is None:
                continue
            self.pages_scheduled += 1
            more.append(url)
            out.append(scrapy.FormRequest(
                url, formdata=form, callback=self.parse_hanweb_proxy, errback=self.errback, dont_filter=True,
                priority=1, meta={"govaudit_role": "page", "govaudit_url": url, "govaudit_pagination": True,
                                  "govaudit_referer": response.url, "depth": int(response.meta.get("depth", 0)),
                                  "govaudit_listing": response.url}))
        if isinstance(facts, PreparedFacts):
            facts.add_pagination(more)
        else:
            facts.pagination.extend(more)
        return out

    def parse_hanweb_proxy(self, response: Response) -> Iterator[Any]:
        """One group of a Hanweb list: the bare <datastore> answer read as a listing page."""
        fetch = self._fetch(response, role="page")
        fetch.method = "POST"
        facts: PageFacts | None = None
        if response.status < 400 and b"<record" in response.body:
            text, _ = decode_body(response.body, None)
            wrapped = ('<html><head><meta charset="utf-8"><title></title></head><body><div>'
                       f'<script type="text/xml">{text}</script></div></body></html>')
            facts = extract(wrapped.encode("utf-8"), response.meta.get("govaudit_listing") or response.url,
                            internal_hosts={h.split(":")[0] for h in self.scope_hosts})
            facts.url = fetch.url
            facts.kind = "listing"
            rescope_links(facts, self.scope_hosts, tuple(self.scope_prefixes))
        yield {"type": "fetch", "fetch": fetch, "facts": facts}
        if facts is not None:
            yield from self._follow(facts, fetch.depth, response.url)

    def _follow(self, facts: PageFacts | PreparedFacts, depth: int, referer: str) -> Iterator[scrapy.Request]:
        """Requests for a page's pagination and links (those not claimed yet)."""
        for page_url in facts.pagination:
            if self.in_scope(page_url):
                req = self._page_request(page_url, depth=depth, referer=referer, pagination=True, priority=1)
                if req is not None:
                    yield req
        if isinstance(facts, PreparedFacts):
            links = ((u, k, t) for u, t, k, _c, _g in facts.links)
        else:
            links = ((ln.url, ln.kind, ln.text) for ln in facts.links)
        for url, kind, text in links:
            req = self._request_for_link(url, kind, text, depth=depth + 1, referer=referer)
            if req is not None:
                yield req

    def _request_for_link(self, url: str, kind: str, text: str, *, depth: int, referer: str) -> scrapy.Request | None:
        if kind == "page":
            if self.in_scope(url):
                return self._page_request(url, depth=depth, referer=referer)
            if _host(url) in self.scope_hosts:  # same host, excluded path: check only
                return self._check_request(url, referer=referer, method="GET")
            return self._check_request(url, referer=referer) if self.check_external else None
        if kind == "attachment":
            if looks_like_report_title(text or "") or ANNUAL_TITLE.search(text or ""):
                return self._check_request(url, referer=referer, method="GET", role="document")
            return self._check_request(url, referer=referer)
        if kind == "external":
            return self._check_request(url, referer=referer) if self.check_external else None
        return None

    def parse_check(self, response: Response) -> Iterator[Any]:
        role = response.meta.get("govaudit_role", "check")
        req = response.request
        if (req is not None and req.method == "HEAD" and response.status in HEAD_FALLBACK_STATUSES
                and not response.meta.get("govaudit_fallback")):
            # HEAD refused: ask again with GET, stopping once the headers are in
            url = response.meta.get("govaudit_url") or response.url
            retry = self._check_request_unclaimed(url, referer=response.meta.get("govaudit_referer"),
                                                  method="GET", headers_only=True)
            retry.meta["govaudit_fallback"] = f"HEAD {response.status}"
            self.crawler.stats.inc_value("govaudit/head_fallback")
            yield retry
            return
        cached = response.meta.get("govaudit_cached") if response.status == 304 else None
        if cached is not None:
            row, facts = cached
            yield {"type": "fetch", "fetch": self._revalidated_fetch(response, row, role="check"), "facts": facts,
                   "revalidated": True}
            return
        fetch = self._fetch(response, role="check")
        if response.meta.get("govaudit_fallback"):
            fetch.method = "GET"
        facts: PageFacts | None = None
        if role == "document" and response.status < 400:
            facts = self._document_facts(response)
        yield {"type": "fetch", "fetch": fetch, "facts": facts}

    def _document_facts(self, response: Response) -> PageFacts | None:
        """Annual reports published as PDF attachments are read in full."""
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        body = response.body
        if not (body.startswith(b"%PDF") or "pdf" in ctype):
            return None
        try:
            from govaudit.annual import pdf_facts
        except ImportError:  # pragma: no cover - the annual-report module is part of the package
            return None
        try:
            facts = pdf_facts(body, response.meta.get("govaudit_url") or response.url)
        except Exception as exc:  # a broken PDF is a finding for the checks, not a crash
            logger.warning("Could not read the PDF %s: %s", response.url, exc)
            return None
        return facts

    def parse_probe(self, response: Response) -> Iterator[Any]:
        text = ""
        title = ""
        if self._is_html(response):
            facts = extract(response.body, response.url)
            title, text = facts.title, facts.body_text
        yield {"type": "probe", "host": response.meta["govaudit_probe_host"], "url": response.request.url,
               "status": response.status, "final_url": response.url, "title": title, "text": text}

    def errback_probe(self, failure: Failure) -> Iterator[Any]:
        req = failure.request
        yield {"type": "probe", "host": req.meta["govaudit_probe_host"], "url": req.url, "status": None,
               "final_url": None, "title": "", "text": ""}

    def errback(self, failure: Failure) -> Iterator[Any]:
        req = failure.request
        code, detail = classify_failure(failure)
        role = req.meta.get("govaudit_role", "page")
        url = req.meta.get("govaudit_url") or req.url
        if code == "reset" and req.method == "HEAD" and not req.meta.get("govaudit_fallback"):
            retry = self._check_request_unclaimed(url, referer=req.meta.get("govaudit_referer"), method="GET",
                                                  headers_only=True)
            retry.meta["govaudit_fallback"] = "HEAD reset"
            yield retry
            return
        redirects = list(req.meta.get("redirect_urls", []))
        if code in ("redirect_loop", "too_many_redirects"):
            redirects.append(req.url)
        fetch = Fetch(url=url, role="check" if role in ("check", "document") else "page", final_url=None,
                      redirects=redirects, status=None, error=code, error_detail=detail, method=req.method,
                      depth=int(req.meta.get("depth", 0)), referer=req.meta.get("govaudit_referer"))
        yield {"type": "fetch", "fetch": fetch, "facts": None}
