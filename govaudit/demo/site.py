"""The bundled demo site: a realistic 政府信息公开专栏 of a fictional county,
served on 127.0.0.1 with planted defects for every check.

Pages are generated for an audit date (``as_of``) so that fresh columns stay
fresh whatever the day.  Parts in ``govaudit.demo.parts`` add pages; the
server (:func:`serve`) adds the misbehaviours (redirect loops, resets, slow
answers, WAF blocks, HEAD refused) and answers conditional requests.

Example::

    from datetime import date
    from govaudit.demo.site import build_demo, serve
    site = build_demo(date(2026, 11, 22))
    servers = serve(site)          # main site on 127.0.0.1, "external" site on 127.0.0.2
    print(servers.start_url)
    servers.stop()
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import importlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

SITE_NAME = "示范县人民政府"
SITE_ID = "3399000001"
OFFICE = "示范县人民政府办公室"
EXT = "{EXT}"  # replaced by the external site's base URL when served
MAIN = "{MAIN}"  # replaced by the main site's base URL when served

PARTS = [
    "govaudit.demo.parts.links",
    "govaudit.demo.parts.listings",
    "govaudit.demo.parts.columns",
    "govaudit.demo.parts.interpretation",
    "govaudit.demo.parts.annual",
]

#: The four standard sections of the 政府信息公开 platform (国办公开办函〔2019〕61号)
SECTIONS = [
    ("政府信息公开指南", "/xxgk/zn/index.html"),
    ("政府信息公开制度", "/xxgk/zd/index.html"),
    ("法定主动公开内容", "/xxgk/fdzdgknr/index.html"),
    ("政府信息公开年报", "/xxgk/nb/index.html"),
]


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    behaviour: str = ""  # redirect | redirect_loop | slow | reset | waf | head_refused | soft404
    options: dict[str, Any] = field(default_factory=dict)
    host: str = "main"  # main | ext


def e(s: Any) -> str:
    return html.escape(str(s), quote=True)


class DemoSite:
    """A set of resources plus the navigation of the 专栏."""

    def __init__(self, as_of: _dt.date, *, round: int = 1):
        self.as_of = as_of
        self.round = round  # 2 = the site after some 整改 (fixed and new problems)
        self.resources: dict[tuple[str, str], Resource] = {}
        self.nav: list[tuple[str, str]] = []  # columns shown in the side navigation
        self.home_items: list[tuple[str, str, _dt.date]] = []  # latest items on the 专栏 home page
        # articles by their column's listing path: listings no part wrote are made by finish()
        self.column_items: dict[str, tuple[str, list[tuple[str, str, _dt.date | None]]]] = {}
        self._ids = 1000
        self.request_log: list[tuple[str, str, str, dict[str, str]]] = []  # (host key, method, path, headers)
        self.catch_all: dict[str, Resource] = {}  # host key -> what an unknown path gets (a soft-404 site)
        self.hanweb_records: dict[str, list[str]] = {}  # columnid -> <li> records served by dataproxy.jsp
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ helpers
    def day(self, days_ago: int) -> _dt.date:
        return self.as_of - _dt.timedelta(days=days_ago)

    def next_id(self) -> int:
        self._ids += 1
        return self._ids

    def article_path(self, column_dir: str, d: _dt.date, ext: str = "html") -> str:
        """TRS-style article path: /xxgk/<col>/YYYYMM/tYYYYMMDD_<id>.html"""
        return f"{column_dir.rstrip('/')}/{d:%Y%m}/t{d:%Y%m%d}_{self.next_id()}.{ext}"

    def add_nav(self, title: str, path: str) -> None:
        if (title, path) not in self.nav:
            self.nav.append((title, path))

    def add_raw(self, path: str, body: bytes | str, *, content_type: str = "text/html; charset=utf-8",
                status: int = 200, headers: dict[str, str] | None = None, behaviour: str = "",
                host: str = "main", **options: Any) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.resources[(host, path)] = Resource(data, content_type, status, dict(headers or {}), behaviour,
                                                options, host)
        return path

    def add_behaviour(self, path: str, behaviour: str, *, host: str = "main", **options: Any) -> str:
        return self.add_raw(path, b"", behaviour=behaviour, host=host, **options)

    def has(self, path: str, host: str = "main") -> bool:
        return (host, path) in self.resources

    # ------------------------------------------------------------------ page templates
    def _nav_html(self) -> str:
        items = ['<li><a href="/xxgk/index.html">专栏首页</a></li>']
        items += [f'<li><a href="{e(p)}">{e(t)}</a></li>' for t, p in SECTIONS]
        items += [f'<li><a href="{e(p)}">{e(t)}</a></li>' for t, p in self.nav]
        return '<div class="nav" id="nav"><ul>' + "".join(items) + "</ul></div>"

    def page(self, *, title: str, body: str, column: str = "", column_path: str = "", column_type: str = "",
             meta: dict[str, str] | None = None, charset: str = "utf-8", meta_charset: bool = True,
             head_extra: str = "") -> str:
        metas = {"SiteName": SITE_NAME, "SiteDomain": "www.sfx.gov.cn", "SiteIDCode": SITE_ID}
        if column:
            metas["ColumnName"] = column
            metas["ColumnType"] = column_type or column
        metas.update(meta or {})
        meta_html = "".join(f'<meta name="{e(k)}" content="{e(v)}">\n' for k, v in metas.items())
        crumb = '<div class="crumb">当前位置：<a href="/xxgk/index.html">首页</a>'
        if column:
            crumb += f' &gt; <a href="{e(column_path or "#")}">{e(column)}</a>'
        crumb += "</div>"
        cs = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n' if meta_charset else ""
        return (
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n" + cs +
            f"<title>{e(title)}_{SITE_NAME}</title>\n{meta_html}{head_extra}</head>\n<body>\n"
            f'<div class="header"><div class="logo">{SITE_NAME}</div><div class="zt">政府信息公开</div></div>\n'
            f"{self._nav_html()}\n{crumb}\n<div class=\"main\">\n{body}\n</div>\n"
            f'<div class="footer">主办单位：{OFFICE}　联系电话：0571-0000000<br>'
            f'网站标识码：{SITE_ID}　浙ICP备00000000号　<a href="mailto:sfxzf@example.gov.cn">联系我们</a></div>\n'
            "</body>\n</html>\n"
        )

    def add_article(self, path: str, *, title: str, date: _dt.date | None, body_html: str, column: str,
                    column_path: str, column_type: str = "", doc_number: str = "", info: dict[str, str] | None = None,
                    related: list[tuple[str, str]] | None = None, related_title: str = "相关链接",
                    encoding: str = "utf-8", header_charset: bool = True, meta_charset: bool = True,
                    meta_date: _dt.date | None = None, source: str = OFFICE, show_date: bool = True,
                    head_extra: str = "", extra_html: str = "") -> str:
        """A TRS-style article page.  ``date`` is the visible 发布时间 (None: no date shown)."""
        meta = {"ArticleTitle": title, "ContentSource": source}
        md = meta_date or date
        if md is not None and show_date:
            meta["PubDate"] = f"{md:%Y-%m-%d} 09:30"
        parts = [f'<div class="article"><h1 class="article-title">{e(title)}</h1>']
        if date is not None and show_date:
            parts.append(f'<div class="article-info">发布时间：{date:%Y-%m-%d} 09:30　来源：{e(source)}</div>')
        if info or doc_number:
            rows = dict(info or {})
            if doc_number:
                rows.setdefault("文号", doc_number)
            cells = "".join(f"<tr><td class=\"c1\">{e(k)}：</td><td>{e(v)}</td></tr>" for k, v in rows.items())
            parts.append(f'<table class="xxgk-info">{cells}</table>')
        parts.append(f'<div class="TRS_Editor">{body_html}</div>')
        if related:
            lis = "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for t, h in related)
            parts.append(f'<div class="related"><h3>{e(related_title)}</h3><ul>{lis}</ul></div>')
        parts.append(extra_html)
        parts.append("</div>")
        text = self.page(title=title, body="\n".join(parts), column=column, column_path=column_path,
                         column_type=column_type, meta=meta, charset=encoding, meta_charset=meta_charset,
                         head_extra=head_extra)
        ctype = f"text/html; charset={encoding}" if header_charset else "text/html"
        if column_path:
            self.column_items.setdefault(column_path, (column, []))[1].append((title, path, date))
        return self.add_raw(path, text.encode(encoding if encoding.lower() != "gbk" else "gb18030"),
                            content_type=ctype)

    def add_listing(self, path: str, *, column: str, items: list[tuple[str, str, _dt.date | None]],
                    style: str = "plain", per_page: int = 10, column_type: str = "", nav: bool = True,
                    empty_text: str = "暂无信息", intro_html: str = "", first_page_broken: bool = False,
                    hanweb_embed: int = 0) -> str:
        """A column's listing, paginated in one of the real CMS styles.

        style: plain (<a> 下一页 links, index_N.html), trs (createPageHTML(n, cur, "index", "html")),
        hanweb (records in a <datastore> CDATA block; with ``hanweb_embed`` only that many, the rest
        served by a POST to /module/web/jpage/dataproxy.jsp as real Hanweb sites do).
        ``first_page_broken``: page 1 lists nothing (a CMS fault) while later pages do.
        """
        if nav:
            self.add_nav(column, path)
        base = path.rsplit("/", 1)[0]
        if style == "hanweb":
            colid = "".join(ch for ch in path if ch.isdigit()) or "1"
            all_records = [
                f'<li><a href="{e(h)}" title="{e(t)}" target="_blank">{e(t)}</a>'
                + (f'<span class="bt-data-time">{d:%Y-%m-%d}</span>' if d else "") + "</li>" for t, h, d in items]
            self.hanweb_records[colid] = all_records
            embedded = items[:hanweb_embed] if hanweb_embed else items
            records = "".join(
                f'<record><![CDATA[<li><a href="{e(h)}" title="{e(t)}" target="_blank">{e(t)}</a>'
                f'<span class="bt-data-time">{d:%Y-%m-%d}</span></li>]]></record>\n' if d else
                f'<record><![CDATA[<li><a href="{e(h)}" title="{e(t)}" target="_blank">{e(t)}</a></li>]]></record>\n'
                for t, h, d in embedded)
            body = (f'<div class="column-title">{e(column)}</div>{intro_html}<div id="{colid}">'
                    f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid={colid}&unitid=1&webname=&permissiontype=0"></a>]]></nextgroup>'
                    f"<recordset>\n{records}</recordset></datastore></script></div>"
                    f'<script>var totalRecord = {len(items)}; var perpage = {per_page};</script>')
            if not items:
                body += f'<div class="no-data">{e(empty_text)}</div>'
            return self.add_raw(path, self.page(title=column, body=body, column=column, column_path=path,
                                                column_type=column_type))
        pages = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
        if first_page_broken and len(pages) > 1:
            pages = [[]] + pages
        n = len(pages)
        for i, chunk in enumerate(pages):
            page_path = path if i == 0 else f"{base}/index_{i}.html"
            rows = "".join(
                f'<li><a href="{e(h)}" title="{e(t)}" target="_blank">{e(t)}</a><span class="date">{d:%Y-%m-%d}</span></li>'
                if d else f'<li><a href="{e(h)}" title="{e(t)}" target="_blank">{e(t)}</a></li>'
                for t, h, d in chunk)
            if not rows:
                rows = f'<li class="empty">{e(empty_text)}</li>' if not items else ""
            if style == "trs":
                pager = (f'<div class="page"><script type="text/javascript">var countPage = {n};'
                         f'var currentPage = {i};createPageHTML({n}, {i}, "index", "html");</script></div>')
            else:
                links = []
                if i > 0:
                    prev = "index.html" if i == 1 else f"index_{i - 1}.html"
                    links.append(f'<a href="{prev}">上一页</a>')
                if i < n - 1:
                    links.append(f'<a href="index_{i + 1}.html">下一页</a>')
                    links.append(f'<a href="index_{n - 1}.html">尾页</a>')
                pager = f'<div class="page">共{n}页 {" ".join(links)}</div>' if n > 1 else ""
            body = (f'<div class="column-title">{e(column)}</div>{intro_html}'
                    f'<div class="list"><ul>{rows}</ul></div>{pager}')
            self.add_raw(page_path, self.page(title=column, body=body, column=column, column_path=path,
                                              column_type=column_type))
        return path

    def add_home_item(self, title: str, path: str, d: _dt.date) -> None:
        self.home_items.append((title, path, d))

    # ------------------------------------------------------------------ build
    def finish(self) -> None:
        """Add the 专栏 home page, default pages for the standard sections, and
        plain listings for columns whose articles were added without one."""
        for col_path, (column, items) in self.column_items.items():
            if not self.has(col_path) and col_path.endswith(".html"):
                ordered = sorted(items, key=lambda x: (x[2] is not None, x[2]), reverse=True)
                self.add_listing(col_path, column=column, items=ordered, style="plain", per_page=15)
        defaults = {
            "/xxgk/zn/index.html": ("政府信息公开指南", "<p>本指南另行发布。</p>"),
            "/xxgk/zd/index.html": ("政府信息公开制度", "<p>暂无信息</p>"),
            "/xxgk/fdzdgknr/index.html": ("法定主动公开内容",
                                          "".join(f'<p><a href="{e(p)}">{e(t)}</a></p>' for t, p in self.nav)),
            "/xxgk/nb/index.html": ("政府信息公开年报", "<p>暂无信息</p>"),
        }
        for path, (title, body) in defaults.items():
            if not self.has(path):
                self.add_raw(path, self.page(title=title, body=f'<div class="column-title">{title}</div>{body}',
                                             column=title, column_path=path))
        items = sorted(self.home_items, key=lambda x: x[2], reverse=True)[:12]
        rows = "".join(f'<li><a href="{e(p)}">{e(t)}</a><span class="date">{d:%Y-%m-%d}</span></li>'
                       for t, p, d in items)
        body = f'<div class="column-title">最新信息</div><div class="list"><ul>{rows}</ul></div>'
        self.add_raw("/xxgk/index.html", self.page(title="政府信息公开", body=body))
        self.add_raw("/xxgk/", b"", behaviour="redirect", location="/xxgk/index.html")
        self.add_raw("/", b"", behaviour="redirect", location="/xxgk/index.html")


def build_demo(as_of: _dt.date, *, round: int = 1) -> DemoSite:
    site = DemoSite(as_of, round=round)
    for name in PARTS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        mod.build(site)
    site.finish()
    return site


# ---------------------------------------------------------------------- serving
class _Handler(BaseHTTPRequestHandler):
    server_version = "DemoGov/1.0"
    protocol_version = "HTTP/1.1"
    site: DemoSite
    host_key: str
    bases: dict[str, str]

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_found(self, head: bool) -> None:
        body = ("<html><head><meta charset='utf-8'><title>404 页面不存在</title></head>"
                "<body><h1>404</h1><p>您访问的页面不存在或已被删除。</p></body></html>").encode("utf-8")
        self._send(404, body, head=head)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_POST(self) -> None:
        """Hanweb jpage: /module/web/jpage/dataproxy.jsp?startrecord=&endrecord= with columnid in the form."""
        from urllib.parse import parse_qs

        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8", "replace")).items()}
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        with self.site._lock:
            self.site.request_log.append((self.host_key, "POST", self.path, dict(self.headers)))
        records = self.site.hanweb_records.get(form.get("columnid") or query.get("columnid", ""))
        if not urlsplit(self.path).path.endswith("/dataproxy.jsp") or records is None:
            self._not_found(False)
            return
        start = int(query.get("startrecord", 1))
        end = int(query.get("endrecord", start + 44))
        chosen = records[start - 1:end]
        body = ("<datastore><nextgroup><![CDATA[]]></nextgroup><recordset>"
                + "".join(f"<record><![CDATA[{r}]]></record>" for r in chosen)
                + f"</recordset><totalrecord>{len(records)}</totalrecord></datastore>").encode("utf-8")
        self._send(200, body, "text/xml; charset=utf-8")

    def _handle(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        with self.site._lock:
            self.site.request_log.append((self.host_key, "HEAD" if head else "GET", self.path, dict(self.headers)))
        if urlsplit(self.path).query:
            key_q = path + "?" + urlsplit(self.path).query
            res = self.site.resources.get((self.host_key, key_q))
        else:
            res = None
        res = res or self.site.resources.get((self.host_key, path)) or self.site.catch_all.get(self.host_key)
        if res is None:
            self._not_found(head)
            return
        b = res.behaviour
        if b == "redirect":
            self._send(res.options.get("status", 301), b"", headers={"Location": res.options["location"]}, head=head)
            return
        if b == "redirect_loop":
            self._send(302, b"", headers={"Location": res.options["location"]}, head=head)
            return
        if b == "reset":
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            except OSError:
                pass
            self.close_connection = True
            self.connection.close()
            return
        if b == "slow":
            time.sleep(float(res.options.get("seconds", 5)))
        if b == "waf":
            body = ("<html><head><meta charset='utf-8'><title>访问被拦截</title></head><body>"
                    "<p>您的访问被网站安全防护拦截（WAF），请开启JavaScript后重试。</p>"
                    "<script>var _waf_token='x';</script></body></html>").encode("utf-8")
            self._send(412, body, head=head)
            return
        if b == "flaky":
            with self.site._lock:
                n = res.options.setdefault("served", 0)
                res.options["served"] = n + 1
            if n < int(res.options.get("fail_times", 1)):
                hdrs = {}
                if res.options.get("retry_after") is not None:
                    hdrs["Retry-After"] = str(res.options["retry_after"])
                self._send(int(res.options.get("fail_status", 503)), b"busy", headers=hdrs, head=head)
                return
        if b == "head_refused" and head:
            self._send(405, b"", headers={"Allow": "GET"}, head=True)
            return
        body = res.body
        for marker, base in (("{EXT}", self.bases.get("ext", "")), ("{MAIN}", self.bases.get("main", ""))):
            if marker.encode() in body:
                body = body.replace(marker.encode(), base.encode())
        etag = '"' + hashlib.md5(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": "Mon, 02 Nov 2026 08:00:00 GMT", **res.headers}
        inm = self.headers.get("If-None-Match")
        if inm and inm == etag and res.status == 200:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(res.status, body, res.content_type, headers, head=head)


@dataclass
class DemoServers:
    main: ThreadingHTTPServer
    ext: ThreadingHTTPServer
    threads: list[threading.Thread]
    main_base: str
    ext_base: str

    @property
    def start_url(self) -> str:
        return self.main_base + "/xxgk/index.html"

    def stop(self) -> None:
        for srv in (self.main, self.ext):
            srv.shutdown()
            srv.server_close()
        for t in self.threads:
            t.join(timeout=5)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:  # resets are planted on purpose
        pass


def _make_server(host: str, port: int, site: DemoSite, key: str, bases: dict[str, str]) -> ThreadingHTTPServer:
    handler = type("H", (_Handler,), {"site": site, "host_key": key, "bases": bases})
    srv = _QuietServer((host, port), handler)
    srv.daemon_threads = True
    return srv


def serve(site: DemoSite, *, host: str = "127.0.0.1", ext_host: str = "127.0.0.2", port: int = 0,
          ext_port: int = 0) -> DemoServers:
    """Serve the demo: the main site on ``host`` and an "external" site on ``ext_host``."""
    bases: dict[str, str] = {}
    main = _make_server(host, port, site, "main", bases)
    try:
        ext = _make_server(ext_host, ext_port, site, "ext", bases)
    except OSError:
        ext = _make_server(host, 0, site, "ext", bases)  # systems where only 127.0.0.1 is configured
    bases["main"] = f"http://{main.server_address[0]}:{main.server_address[1]}"
    bases["ext"] = f"http://{ext.server_address[0]}:{ext.server_address[1]}"
    threads = []
    for srv in (main, ext):
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        threads.append(t)
    return DemoServers(main, ext, threads, bases["main"], bases["ext"])
