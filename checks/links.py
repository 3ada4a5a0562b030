"""GA1xx — links (错链、断链).

GA101 broken_link   a linked page, attachment or external target does not work
GA102 blocked_link  a target answered with a WAF/anti-bot block, so it could not be verified
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from govaudit.models import Basis, Finding

from .base import AuditContext, check

BASIS_LINKS = [
    Basis(
        document="国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》",
        clause="扣分指标·可用性（链接可用性）",
        text="政府网站首页及其他页面上的链接（含图片、附件、外部链接）应能正常打开；错链、断链按数量扣分。",
    ),
    Basis(
        document="全国政府网站普查评分表（国办发〔2015〕15号）",
        clause="扣分指标·链接可用性",
        text="检查首页及其他页面上的链接（含图片、附件、外部链接），统计无法打开或打开错误的链接数量。",
    ),
]

ERROR_REASONS = {
    "dns": "域名无法解析",
    "refused": "服务器拒绝连接",
    "timeout": "请求超时，无法打开",
    "reset": "连接被重置，无法打开",
    "tls": "HTTPS 证书或加密连接错误",
    "redirect_loop": "重定向循环，页面无法打开",
    "too_many_redirects": "重定向次数过多，页面无法打开",
    "other": "无法打开",
}
NOT_BROKEN_ERRORS = {"robots", "ignored", "too_large", "unsupported"}

STATUS_TEXT = {
    400: "请求错误", 401: "需要登录", 403: "禁止访问", 404: "页面不存在", 410: "页面已删除",
    500: "服务器内部错误", 502: "网关错误", 503: "服务不可用", 504: "网关超时",
}


def _status_reason(status: int) -> str:
    return f"HTTP {status} {STATUS_TEXT.get(status, '错误')}".strip()


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a[:2000], b[:2000], autojunk=False).ratio()


def soft404_reason(fetch: dict[str, Any], facts: Any, probes: dict[str, dict[str, Any]]) -> str | None:
    """Why a 200 page is really a not-found page, or None.

    Two signals: the page says so itself (页面不存在 …), or it is the same page
    the site served for a URL that cannot exist (the soft-404 probe).
    """
    if fetch.get("status") != 200 or facts is None:
        return None
    host = urlsplit(fetch.get("final_url") or fetch["url"]).netloc.lower()
    probe = probes.get(host)
    if not (probe and probe.get("status") == 200 and probe.get("final_url") != fetch.get("final_url")):
        probe = None  # the site answers a URL that cannot exist properly (or was not probed)
    p_title = (probe.get("title") or "") if probe else ""
    if not facts.is_not_found and (probe is None or p_title != (facts.title or "")):
        return None  # neither signal can fire: the body text is not read (a store lookup per page)
    body = facts.body_text or ""
    if facts.kind == "article" and facts.published and len(body) > 400:
        return None  # a real article that merely mentions 404
    if facts.is_not_found:
        return "页面返回 HTTP 200，但内容为“页面不存在”提示（软404）"
    p_text = probe.get("text") or ""
    if p_text == body or _similar(p_text, body) > 0.9:
        return "页面返回 HTTP 200，但与本站“页面不存在”页面相同（软404）"
    return None


def _link_index(ctx: AuditContext, targets: Iterable[str]) -> tuple[dict[str, list[str]], dict[str, dict[str, Any]]]:
    """Linking pages (in crawl order, each once) and link kind/texts of each target.

    Only the targets asked for are read from the store (a run's broken and blocked
    URLs, not its hundreds of thousands of links)."""
    pages: dict[str, dict[str, None]] = defaultdict(dict)
    info: dict[str, dict[str, Any]] = {}
    for tgt, links in ctx.store.links_to(ctx.run_id, targets).items():
        for ln in links:
            pages[tgt][ln["source"]] = None
            meta = info.get(tgt)
            if meta is None:
                meta = info[tgt] = {"kind": ln["kind"], "texts": []}
            text = (ln["text"] or "").strip()
            if text and len(meta["texts"]) < 5 and text not in meta["texts"]:
                meta["texts"].append(text)
    return {t: list(srcs) for t, srcs in pages.items()}, info


def _severity(kind: str, url: str, ctx: AuditContext) -> str:
    if kind == "external":
        return "medium"
    return "high"


@check(code="GA101", name="broken_link", title="错链断链", basis=BASIS_LINKS, severity="high",
       remedy="修复或删除失效链接：站内页面和附件恢复访问或更正链接地址，外部链接更新为有效地址或删除；整改后逐条复核。")
def broken_link(ctx: AuditContext) -> Iterator[Finding]:
    """Finds links whose target does not work: HTTP 4xx/5xx, DNS failure, refused
    connection, timeout, reset, redirect loop, a redirect chain ending in an error,
    and soft-404 pages (HTTP 200 whose body is the site's not-found page).

    Not reported: mailto/tel/javascript/# links, template placeholders, live
    redirects, targets skipped by robots.txt, and targets blocked by a WAF
    (reported by GA102 blocked_link instead).  One finding per broken target,
    listing every page that links to it.
    """
    probes = ctx.store.probes(ctx.run_id)
    facts_by_url = {fetch["url"]: facts for fetch, facts in ctx.pages()}
    broken: list[tuple[str, Any, str]] = []
    for url, fetch in ctx.fetches().items():
        if fetch.get("blocked"):
            continue
        status = fetch.get("status")
        error = fetch.get("error")
        reason = None
        if error and error not in NOT_BROKEN_ERRORS:
            reason = ERROR_REASONS.get(error, ERROR_REASONS["other"])
        elif status is not None and status >= 400:
            reason = _status_reason(status)
            if fetch.get("redirects"):
                reason = f"重定向后返回 {reason}"
        else:
            reason = soft404_reason(fetch, facts_by_url.get(url), probes)
        if reason:
            broken.append((url, fetch, reason))
    linking, info = _link_index(ctx, [url for url, _, _ in broken])
    for url, fetch, reason in broken:
        status, error = fetch.get("status"), fetch.get("error")
        meta = info.get(url, {})
        kind = meta.get("kind") or ("page" if fetch.get("role") == "page" else "attachment")
        pages = linking.get(url, [])
        yield broken_link.finding(
            url=url,
            reason=reason,
            pages=pages,
            title=(meta.get("texts") or [""])[0],
            severity=_severity(kind, url, ctx),
            status=status,
            error=error,
            error_detail=fetch.get("error_detail") or "",
            redirects=fetch.get("redirects") or [],
            final_url=fetch.get("final_url"),
            link_kind=kind,
            link_texts=meta.get("texts", []),
            evidence=f"{reason}；{len(pages)} 个页面链接到此地址" if pages else reason,
        )


@check(code="GA102", name="blocked_link", title="访问被拦截（需人工复核）", basis=BASIS_LINKS, severity="low",
       remedy="该地址对自动检查返回防护拦截页面（如 HTTP 412），请人工在浏览器中复核能否正常访问；如为本单位网站，请将检查工具的访问加入白名单。")
def blocked_link(ctx: AuditContext) -> Iterator[Finding]:
    """Finds targets that answered with a WAF or anti-bot block (HTTP 412/418/521,
    or 403 with a challenge page).  They are not broken links: the tool could
    not see the page, so a person has to check it."""
    blocked = [(url, fetch) for url, fetch in ctx.fetches().items() if fetch.get("blocked")]
    linking, info = _link_index(ctx, [url for url, _ in blocked])
    for url, fetch in blocked:
        status = fetch.get("status")
        meta = info.get(url, {})
        yield blocked_link.finding(
            url=url,
            reason=f"访问被网站防护拦截（HTTP {status}），无法自动核验",
            pages=linking.get(url, []),
            title=(meta.get("texts") or [""])[0],
            status=status,
            link_kind=meta.get("kind") or "page",
            evidence=f"HTTP {status}，返回防护/验证页面",
        )
