"""Classify one link target.

>>> classify_link("../a/b.pdf#p2", "http://x.gov.cn/c/d/index.html", ["x.gov.cn"])
('http://x.gov.cn/c/a/b.pdf', 'attachment')
>>> classify_link("javacript:void(0);", "http://x.gov.cn/", None)
('javacript:void(0);', 'javascript')
>>> classify_link("$!{url}", "http://x.gov.cn/", None)
('$!{url}', 'placeholder')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

__all__ = ["classify_link", "ATTACHMENT_EXTS", "host_of", "is_attachment_url"]

ATTACHMENT_EXTS = frozenset(
    """pdf doc docx dot xls xlsx xlsm et ett wps wpt dps ppt pptx pps ppsx zip rar 7z gz tgz tar bz2
    ofd ceb caj txt csv rtf xml json jpg jpeg png gif bmp tif tiff webp svg mp3 wav wma mp4 avi mov
    wmv flv mkv m4v mpg mpeg apk exe msi dmg iso swf""".split()
)

_JS = re.compile(r"^\s*(?:java\s*s?cr?i?pt|vbscript)\s*[:：]", re.I)
_PLACEHOLDER = re.compile(r"\{\{|\$!?\{|<%|%>|\[#|#\]|[{}]|^\s*@\w+|\bundefined\b|\bnull$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_DOWNLOAD = re.compile(
    r"/module/download/downfile\.jsp|/module/jslib/.*download|downfile\.(?:jsp|do|aspx?)|"
    r"download\.(?:jsp|do|aspx?)\?|/attachment/|/fileDownload|[?&](?:filename|fileName|file)=[^&]+\.\w{2,4}(?:&|$)",
    re.I,
)


def host_of(url: str) -> str:
    """Lower-case host name of an absolute URL ('' when none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _bare_host(h: str) -> str:
    """'http://WWW.x.gov.cn:8080/' or 'www.x.gov.cn:8080' -> 'www.x.gov.cn'."""
    h = h.strip().lower()
    if "://" in h:
        return host_of(h)
    if h.startswith("["):
        return h.split("]")[0].strip("[")
    return h.split("/")[0].split(":")[0]


def is_attachment_url(url: str) -> bool:
    """True for a file download: known document extension or a CMS download script."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = url
    last = path.rsplit("/", 1)[-1]
    if "." in last and last.rsplit(".", 1)[-1].lower() in ATTACHMENT_EXTS:
        return True
    return bool(_DOWNLOAD.search(url))


def _clean_href(href: str) -> str:
    # browsers drop tabs/newlines inside URLs and trim spaces
    return re.sub(r"[\t\r\n]", "", href).strip().strip("\u00a0\u3000")


def classify_link(href: str, base_url: str, internal_hosts: Iterable[str] | None = None) -> tuple[str, str]:
    """Return ``(url, kind)``: absolute URL without fragment (raw href for non-http kinds).

    ``internal_hosts`` are the crawled hosts (default: the host of ``base_url``);
    an http(s) target on any other host is ``external``.
    """
    hosts = _host_set(tuple(internal_hosts)) if internal_hosts else frozenset((host_of(base_url),))
    href = href or ""
    base = base_url or ""
    # The same navigation links stand on every page: for an absolute URL or an absolute path the
    # page's own path does not matter, so the cache is keyed on the site root instead.
    if "#" not in href:
        head = href.lstrip()[:8].lower()
        if head.startswith(("http://", "https://")):
            base = ""
        elif head.startswith("/") and not head.startswith("//"):
            parts = urlsplit(base)
            if parts.scheme in ("http", "https"):
                base = f"{parts.scheme}://{parts.netloc}/"
    return _classify(href, base, hosts)


@lru_cache(maxsize=256)
def _host_set(hosts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_bare_host(x) for x in hosts)


@lru_cache(maxsize=65536)
def _classify(href: str, base_url: str, hosts: frozenset[str]) -> tuple[str, str]:
    raw = href
    h = _clean_href(raw)
    if not h:
        return raw, "anchor"
    if _PLACEHOLDER.search(h):
        return raw, "placeholder"
    low = h.lower()
    if low.startswith("mailto:"):
        return h, "mailto"
    if low.startswith(("tel:", "callto:", "sms:")):
        return h, "tel"
    if _JS.match(h):
        return h, "javascript"
    if h.startswith("#"):
        return h, "anchor"
    m = _SCHEME.match(h)
    if m and m.group(1).lower() not in ("http", "https"):
        return h, "other"
    try:
        absolute = urljoin(base_url, h.replace("\\", "/"))
        url, _frag = urldefrag(absolute)
    except ValueError:
        return raw, "other"
    if not url.lower().startswith(("http://", "https://")):
        return url, "other"
    base_nofrag = urldefrag(base_url)[0] if base_url else ""
    if url == base_nofrag and "#" in h:
        return url, "anchor"
    host = host_of(url)
    if not host:
        return url, "other"
    if host not in hosts:
        return url, "external"
    if is_attachment_url(url):
        return url, "attachment"
    return url, "page"
