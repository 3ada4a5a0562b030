"""Reading pages in a child process, so a crawl uses two cores.

Scrapy runs on one core, and reading a page (``govaudit.extract``) is the
largest part of its work.  :class:`ReadPagesMiddleware` (a downloader
middleware, last to see each response) sends every page the spider will read to
a child process over an asyncio stream and waits for the answer without
blocking the crawl; the child returns a :class:`govaudit.store.PreparedFacts`
(the facts JSON and link rows the store writes as they are), so what crosses
back is a few kilobytes of plain strings, not an object graph.  The spider's
``parse`` finds the result in ``request.meta`` and reads the page itself when
there is none.

Configured by settings:

``GOVAUDIT_EXTRACT_PROCESSES``
    child processes reading pages (``"auto"``: 1 on a machine with two or more
    cores, else 0; 0 disables the middleware).  ``govaudit audit --read-processes N``.

Until a child has started (it imports lxml and the extractor: a fraction of a
second), and for good once it dies, pages are read in the crawling process: the
crawl never waits for a child and never loses a page to one.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
from typing import Any
from urllib.parse import urlsplit

from govaudit.extract import extract
from govaudit.extract.links import is_attachment_url
from govaudit.models import PageFacts
from govaudit.store import PreparedFacts

logger = logging.getLogger(__name__)


def rescope_links(facts: PageFacts, scope_hosts: frozenset[str] | set[str], scope_prefixes: tuple[str, ...]) -> None:
    """Scope is host:port (two local servers on one IP are two sites): re-kind links accordingly."""
    for link in facts.links:
        if link.kind not in ("page", "attachment", "external") or not link.url.startswith(("http:", "https:")):
            continue
        internal = urlsplit(link.url).netloc.lower() in scope_hosts or link.url.startswith(scope_prefixes)
        if link.kind == "external" and internal:
            link.kind = "attachment" if is_attachment_url(link.url) else "page"
        elif link.kind != "external" and not internal and link.kind == "page":
            link.kind = "external"


def read_page(body: bytes, final_url: str, url: str, header_charset: str | None,
              scope_hosts: tuple[str, ...], scope_prefixes: tuple[str, ...]) -> PageFacts:
    """The facts of one crawled page, links scoped to the crawl (what the spider stores)."""
    facts = extract(body, final_url, header_charset=header_charset,
                    internal_hosts={h.split(":")[0] for h in scope_hosts})
    facts.url = url
    rescope_links(facts, frozenset(scope_hosts), scope_prefixes)
    return facts


def read_page_prepared(body: bytes, final_url: str, url: str, header_charset: str | None,
                       scope_hosts: tuple[str, ...], scope_prefixes: tuple[str, ...]) -> PreparedFacts:
    """:func:`read_page`, in the store's format (what a child process sends back)."""
    return PreparedFacts.of(read_page(body, final_url, url, header_charset, scope_hosts, scope_prefixes))


def _serve(conn: Any) -> None:
    """The child: read pages sent by the crawling process until it closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the crawling process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    conn.send_bytes(pickle.dumps((0, True, "ready")))
    while True:
        try:
            job, args = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return  # the crawl is over (or its process is gone)
        try:
            reply = (job, True, read_page_prepared(*args))
        except Exception as exc:  # the crawling process reports it like an in-process failure
            reply = (job, False, f"{type(exc).__name__}: {exc}")
        try:
            conn.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        except (BrokenPipeError, OSError):
            return


class PageReadError(Exception):
    """The extractor failed on a page in the child process."""


def default_processes() -> int:
    return 1 if (os.cpu_count() or 1) >= 2 else 0


class _Child:
    """One reading process and the asyncio stream to it (never blocks the crawl's event loop)."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")  # a clean child: no copy of the reactor or the store
        parent, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True, name="govaudit-read")
        self.process.start()
        child.close()
        self._conn = parent
        self.ready = False
        self.broken = False
        self.closing = False
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self._writer: asyncio.StreamWriter | None = None
        self._sock: socket.socket | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._next = 0

    async def _connect(self) -> None:
        self._sock = sock = socket.socket(fileno=os.dup(self._conn.fileno()))
        self._conn.close()
        reader, self._writer = await asyncio.open_connection(sock=sock)
        self._reader_task = asyncio.get_running_loop().create_task(self._read_replies(reader))

    async def _read_replies(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                (size,) = struct.unpack("!i", await reader.readexactly(4))
                if size == -1:
                    (size,) = struct.unpack("!Q", await reader.readexactly(8))
                job, ok, payload = pickle.loads(await reader.readexactly(size))
                if job == 0:
                    self.ready = True
                    continue
                fut = self.pending.pop(job, None)
                if fut is not None and not fut.done():
                    if ok:
                        fut.set_result(payload)
                    else:
                        fut.set_exception(PageReadError(payload))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            if not self.closing:
                code = self.process.exitcode
                logger.warning("the page-reading process stopped%s; pages are read in the crawling process from "
                               "now on", f" (exit code {code})" if code is not None else "")
        finally:
            self.broken, self.ready = True, False
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(BrokenPipeError("the page-reading process stopped"))
            self.pending.clear()

    def start(self) -> None:
        """Connect the stream (in the running event loop, once the child has started)."""
        if self._writer is None and self._reader_task is None:
            asyncio.get_running_loop().create_task(self._connect())

    async def read(self, args: tuple[Any, ...]) -> PreparedFacts:
        assert self._writer is not None
        self._next += 1
        job = self._next
        fut: asyncio.Future[PreparedFacts] = asyncio.get_running_loop().create_future()
        self.pending[job] = fut
        data = pickle.dumps((job, args), protocol=pickle.HIGHEST_PROTOCOL)
        header = struct.pack("!i", len(data)) if len(data) < 0x7FFFFFFF else struct.pack("!iQ", -1, len(data))
        self._writer.write(header + data)  # buffered by asyncio: never blocks the crawl
        return await fut

    def close(self) -> None:
        self.closing = True
        if self._sock is not None:
            try:  # now, not on the event loop's next turn: the child sees the end of its input at once
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            assert self._writer is not None
            self._writer.close()
        else:
            self._conn.close()
        if self._reader_task is not None:
            self._reader_task.cancel()
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.terminate()


class _Shared:
    """The reading children of this process, shared by every crawl it runs at once (``govaudit run``
    crawls several sites in one process: they share the children instead of each starting its own)."""

    children: list[_Child] = []
    users = 0

    @classmethod
    def acquire(cls, processes: int) -> list[_Child]:
        cls.users += 1
        cls.children = [c for c in cls.children if not c.broken]
        while len(cls.children) < processes:
            try:
                child = _Child()
            except (OSError, ValueError) as exc:  # processes not allowed here: read in-process
                logger.warning("pages are read in the crawling process (no reading process: %s)", exc)
                break
            child.start()
            cls.children.append(child)
        return cls.children

    @classmethod
    def release(cls) -> None:
        cls.users = max(0, cls.users - 1)
        if cls.users == 0:
            for child in cls.children:
                child.close()
            cls.children = []


class ReadPagesMiddleware:
    """Downloader middleware: reads each crawled page in a child process while the crawl goes on.

    The result (or the reading error) is put in ``request.meta`` for the spider's ``parse``,
    which reads the page itself when it finds none there (no child yet, or reading disabled).
    """

    def __init__(self, crawler: Any, processes: int):
        self.crawler = crawler
        self.processes = processes
        self.children: list[_Child] = []
        self._turn = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ReadPagesMiddleware":
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        value = crawler.settings.get("GOVAUDIT_EXTRACT_PROCESSES")
        processes = default_processes() if value in (None, "", "auto") else crawler.settings.getint(
            "GOVAUDIT_EXTRACT_PROCESSES")
        if processes <= 0:
            raise NotConfigured
        mw = cls(crawler, processes)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider: Any = None) -> None:
        self.children = _Shared.acquire(self.processes)

    def spider_closed(self, spider: Any = None) -> None:
        self.children = []
        _Shared.release()

    async def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        ready = [c for c in self.children[:self.processes] if c.ready and not c.broken]
        if not ready:
            return response
        spider = self.crawler.spider
        args = spider.page_to_read(response, request.meta) if hasattr(spider, "page_to_read") else None
        if args is None:
            return response
        self._turn += 1
        child = ready[self._turn % len(ready)]
        try:
            request.meta["govaudit_facts"] = await child.read(args)
            self.crawler.stats.inc_value("govaudit/pages_read_in_child")
        except PageReadError as exc:
            request.meta["govaudit_read_error"] = str(exc)
        except (BrokenPipeError, ConnectionError, OSError):
            pass  # the child is gone (logged once by its reader): the spider reads this page itself
        return response
