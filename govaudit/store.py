"""The SQLite store: runs, fetched URLs with their page facts, links, findings.

One file, opened through sqlite-utils, in WAL mode.  The crawler writes pages
and links as they arrive (in small batches, committed at once), so a crawl that
dies keeps what it had collected.  Checks only read; reports never touch it.

Example::

    from govaudit.store import Store
    store = Store("govaudit.db")
    run = store.latest_run("http://www.example.gov.cn/xxgk/")
    for fetch, facts in store.iter_pages(run["id"]):
        print(fetch["url"], fetch["status"], facts.title if facts else None)
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import sqlite3
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import sqlite_utils

from .models import Fetch, Finding, Link, ListItem, PageFacts

SCHEMA_VERSION = 1


#: PageFacts fields that StoredPageFacts reads from the store on demand.
LAZY_FIELDS = ("body_text", "tables", "headings")

#: Columns of ``pages`` whose values repeat across rows (one copy of each value is kept).
_REPEATED = frozenset({"url", "final_url", "role", "method", "content_type", "error", "referer", "fetched_at",
                       "kind", "published", "column_name"})


def _lazy_field(name: str) -> property:
    def get(self: "StoredPageFacts") -> Any:
        value = self.__dict__.get(name, _MISSING)
        if value is not _MISSING:
            return value
        if self._source is not None:
            store, run_id = self._source
            return store.page_field(run_id, self.url, name)
        return "" if name == "body_text" else []

    def put(self: "StoredPageFacts", value: Any) -> None:
        if self._source is not None and not value:
            return  # the constructor's default: the stored value is read on demand
        self.__dict__[name] = value

    return property(get, put)


_MISSING = object()


class StoredPageFacts(PageFacts):
    """PageFacts whose bulky fields stay in the store until a check reads them (not kept after)."""

    __slots__ = ("_source",)

    body_text = _lazy_field("body_text")
    tables = _lazy_field("tables")
    headings = _lazy_field("headings")

    def __init__(self, source: tuple["Store", int] | None, **fields: Any) -> None:
        self._source = source
        super().__init__(**fields)


def _intern_strings(value: Any) -> Any:
    if isinstance(value, str):
        return sys.intern(value) if len(value) <= 300 else value
    if isinstance(value, dict):
        return {sys.intern(k): _intern_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_intern_strings(v) for v in value]
    return value


#: PageFacts fields stored in the facts JSON (links have their own table), and those kept in memory by checks
_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(PageFacts) if f.name != "links")
_KEPT_FIELDS = frozenset(_FACT_FIELDS) - set(LAZY_FIELDS)


def _stored_facts(source: tuple["Store", int], data: dict[str, Any], url: str) -> "StoredPageFacts":
    """StoredPageFacts from a page's facts JSON: short strings (dates, labels, meta values, site
    names) shared with every other page that has them, the page's own URL shared with its row."""
    fields: dict[str, Any] = {}
    for k, v in data.items():
        if k not in _KEPT_FIELDS:
            continue
        if k == "list_items":
            v = [ListItem(**_intern_strings(x)) for x in v] if v else []
        elif k == "url":
            v = url if v == url else sys.intern(v)
        else:
            v = _intern_strings(v)
        fields[k] = v
    return StoredPageFacts(source, **fields)


class FetchRow(Mapping[str, Any]):
    """One row of ``pages`` without its facts: a read-only mapping a quarter the size of a dict.

    A 100,000-URL run keeps one per requested URL while it is checked.
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple[Any, ...]):
        self._index = index
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        return default if i is None else self._values[i]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"FetchRow({dict(self)!r})"


class StoreError(Exception):
    """The store cannot be opened or written."""


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


def pid_alive(pid: int | None) -> bool:
    """Whether a process with this id exists (on this machine).

    >>> import os; pid_alive(os.getpid())
    True
    """
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, ValueError):
        return False
    return True


def _dumps(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def _json_default(o: Any) -> Any:
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    raise TypeError(f"{type(o).__name__} is not JSON serialisable")


def _facts_json(facts: PageFacts) -> str:
    """PageFacts without its links as JSON (what ``facts.to_dict()`` gives, without deep-copying it)."""
    d = {name: getattr(facts, name) for name in _FACT_FIELDS}
    d["list_items"] = [dict(li.__dict__) for li in facts.list_items]
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"), default=_json_default)


@dataclasses.dataclass
class PreparedFacts:
    """A page's facts already in the store's format, made where the page was read (e.g. in an
    extraction process, so only this small record crosses back): the facts JSON, the link rows
    and the few fields the crawl itself and the ``pages`` table need."""

    url: str
    kind: str
    title: str
    published: str | None
    column: str
    facts_json: str
    links: list[tuple[str, str, str, str, str]]  # (url, text, kind, context, tag) in page order
    pagination: list[str]
    record_count: int | None = None
    list_items: int = 0  # how many list items the facts hold

    @classmethod
    def of(cls, facts: PageFacts) -> "PreparedFacts":
        return cls(url=facts.url, kind=facts.kind, title=facts.title, published=facts.published,
                   column=facts.column, facts_json=_facts_json(facts),
                   links=[(ln.url, ln.text, ln.kind, ln.context, ln.tag) for ln in facts.links],
                   pagination=list(facts.pagination), record_count=facts.record_count,
                   list_items=len(facts.list_items))

    def add_pagination(self, urls: list[str]) -> None:
        """Further listing pages found after reading (e.g. Hanweb records behind dataproxy.jsp)."""
        if not urls:
            return
        self.pagination.extend(urls)
        data = json.loads(self.facts_json)
        data["pagination"] = list(self.pagination)
        self.facts_json = json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Store:
    def __init__(self, path: str | Path, *, timeout: float = 30.0):
        self.path = str(path)
        try:
            conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._ensure_schema()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc

    # ------------------------------------------------------------------ schema
    def _ensure_schema(self) -> None:
        db = self.db
        if "runs" not in db.table_names():
            db["runs"].create(
                {
                    "id": int,
                    "site": str,
                    "start_url": str,
                    "as_of": str,
                    "started": str,
                    "finished": str,
                    "status": str,  # running | finished | interrupted | failed
                    "settings": str,
                    "stats": str,
                    "site_config": str,
                },
                pk="id",
            )
            db["runs"].create_index(["site"])
        if "pages" not in db.table_names():
            db["pages"].create(
                {
                    "run_id": int,
                    "url": str,
                    "role": str,
                    "final_url": str,
                    "redirects": str,
                    "status": int,
                    "error": str,
                    "error_detail": str,
                    "method": str,
                    "content_type": str,
                    "length": int,
                    "elapsed": float,
                    "etag": str,
                    "last_modified": str,
                    "blocked": int,
                    "depth": int,
                    "referer": str,
                    "fetched_at": str,
                    "kind": str,
                    "title": str,
                    "published": str,
                    "column_name": str,
                    "facts": str,
                },
                pk=("run_id", "url"),
            )
        if "links" not in db.table_names():
            db["links"].create(
                {
                    "run_id": int,
                    "source": str,
                    "target": str,
                    "text": str,
                    "kind": str,
                    "context": str,
                    "tag": str,
                },
            )
            db["links"].create_index(["run_id", "target"])
            db["links"].create_index(["run_id", "source"])
        if "probes" not in db.table_names():
            db["probes"].create(
                {
                    "run_id": int,
                    "host": str,
                    "url": str,
                    "status": int,
                    "final_url": str,
                    "title": str,
                    "text": str,
                },
                pk=("run_id", "host"),
            )
        if "findings" not in db.table_names():
            db["findings"].create(
                {
                    "run_id": int,
                    "fingerprint": str,
                    "check_name": str,
                    "code": str,
                    "url": str,
                    "key": str,
                    "severity": str,
                    "state": str,
                    "first_seen": str,
                    "body": str,
                },
                pk=("run_id", "fingerprint"),
            )
            db["findings"].create_index(["fingerprint"])
        self._add_columns("runs", {"pid": int})
        self._add_columns("pages", {"revalidated": int})

    def _add_columns(self, table: str, columns: dict[str, type]) -> None:
        """Add columns that newer versions need; stores written by older versions keep working."""
        have = set(self.db[table].columns_dict)
        for name, typ in columns.items():
            if name not in have:
                self.db[table].add_column(name, typ)

    # ------------------------------------------------------------------ runs
    def new_run(
        self,
        site: str,
        *,
        start_url: str | None = None,
        as_of: str,
        settings: dict[str, Any] | None = None,
        site_config: dict[str, Any] | None = None,
    ) -> int:
        table = self.db["runs"]
        table.insert(
            {
                "site": site,
                "start_url": start_url or site,
                "as_of": as_of,
                "started": _now(),
                "finished": None,
                "status": "running",
                "settings": _dumps(settings or {}),
                "stats": _dumps({}),
                "site_config": _dumps(site_config or {}),
            }
        )
        return int(table.last_pk)

    def finish_run(self, run_id: int, *, status: str = "finished", stats: dict[str, Any] | None = None) -> None:
        upd: dict[str, Any] = {"finished": _now(), "status": status}
        if stats is not None:
            upd["stats"] = _dumps(stats)
        self.db["runs"].update(run_id, upd)

    def update_run_stats(self, run_id: int, stats: dict[str, Any]) -> None:
        self.db["runs"].update(run_id, {"stats": _dumps(stats)})

    def set_run_status(self, run_id: int, status: str) -> None:
        self.db["runs"].update(run_id, {"status": status})

    def set_run_pid(self, run_id: int, pid: int | None) -> None:
        """Record which process is crawling the run (a 'running' run whose pid is dead was killed)."""
        self.db["runs"].update(run_id, {"pid": pid})

    def is_interrupted(self, run: dict[str, Any]) -> bool:
        """True for a run marked interrupted, or still 'running' while its process is gone."""
        if run.get("status") == "interrupted":
            return True
        return run.get("status") == "running" and not pid_alive(run.get("pid"))

    def resumable_run(self, site: str) -> dict[str, Any] | None:
        """The latest run of ``site`` if it was interrupted (killed or stopped) and can be resumed."""
        run = self.latest_run(site)
        return run if run is not None and self.is_interrupted(run) else None

    def previous_finished_run(self, run_id: int) -> dict[str, Any] | None:
        """The latest earlier finished run of the same site (its validators make requests conditional)."""
        cur = self.run(run_id)
        rows = list(self.db.query(
            "select * from runs where site = ? and id < ? and status = 'finished' order by id desc limit 1",
            [cur["site"], run_id]))
        return self._decode_run(rows[0]) if rows else None

    def run(self, run_id: int) -> dict[str, Any]:
        try:
            row = self.db["runs"].get(run_id)
        except sqlite_utils.db.NotFoundError:
            raise StoreError(f"no run {run_id} in {self.path}") from None
        return self._decode_run(row)

    @staticmethod
    def _decode_run(row: dict[str, Any]) -> dict[str, Any]:
        row = dict(row)
        for k in ("settings", "stats", "site_config"):
            row[k] = json.loads(row.get(k) or "{}")
        return row

    def runs(self, site: str | None = None) -> list[dict[str, Any]]:
        where, args = ("site = ?", [site]) if site else (None, [])
        return [self._decode_run(r) for r in self.db["runs"].rows_where(where, args, order_by="id")]

    def latest_run(self, site: str | None = None, *, status: str | None = None) -> dict[str, Any] | None:
        clauses, args = [], []
        if site:
            clauses.append("site = ?")
            args.append(site)
        if status:
            clauses.append("status = ?")
            args.append(status)
        rows = list(
            self.db["runs"].rows_where(" and ".join(clauses) or None, args, order_by="id desc", limit=1)
        )
        return self._decode_run(rows[0]) if rows else None

    def previous_run(self, run_id: int) -> dict[str, Any] | None:
        """The latest earlier run of the same site that has findings."""
        cur = self.run(run_id)
        rows = list(
            self.db.query(
                "select * from runs where site = ? and id < ? and id in "
                "(select distinct run_id from findings) order by id desc limit 1",
                [cur["site"], run_id],
            )
        )
        return self._decode_run(rows[0]) if rows else None

    # ------------------------------------------------------------------ pages
    def save_fetch(
        self,
        run_id: int,
        fetch: Fetch,
        facts: PageFacts | None = None,
        *,
        links: bool = True,
    ) -> None:
        """Store one fetched URL (and, for a page, its facts and links) at once."""
        self.save_fetches(run_id, [(fetch, facts)], links=links)

    def save_fetches(
        self,
        run_id: int,
        items: Iterable[tuple[Fetch, PageFacts | PreparedFacts | None]],
        *,
        links: bool = True,
        revalidated: Collection[str] = (),
    ) -> None:
        """Store fetched URLs; URLs in ``revalidated`` answered 304 and carry the previous run's facts."""
        page_rows: list[dict[str, Any]] = []
        link_rows: list[tuple[Any, ...]] = []
        now = _now()
        for fetch, facts in items:
            row = dict(fetch.__dict__)
            row["redirects"] = _dumps(row["redirects"])
            row["blocked"] = int(bool(row["blocked"]))
            row.update(run_id=run_id, fetched_at=now, kind=None, title=None, published=None,
                       column_name=None, facts=None, revalidated=int(fetch.url in revalidated))
            if isinstance(facts, PreparedFacts):
                row.update(kind=facts.kind, title=facts.title, published=facts.published, column_name=facts.column,
                           facts=facts.facts_json)
                if links:
                    link_rows.extend((run_id, fetch.url, *ln) for ln in facts.links)
            elif facts is not None:
                row.update(kind=facts.kind, title=facts.title, published=facts.published, column_name=facts.column,
                           facts=_facts_json(facts))
                if links:
                    link_rows.extend((run_id, fetch.url, ln.url, ln.text, ln.kind, ln.context, ln.tag)
                                     for ln in facts.links)
            page_rows.append(row)
        if not page_rows:
            return
        cols = list(page_rows[0])
        sql = (f"insert into pages ({', '.join(cols)}) values ({', '.join('?' * len(cols))}) "
               f"on conflict(run_id, url) do update set "
               + ", ".join(f"{c} = excluded.{c}" for c in cols if c not in ("run_id", "url")))
        conn = self.db.conn
        with conn:
            conn.execute("BEGIN")
            if links:
                conn.executemany("delete from links where run_id = ? and source = ?",
                                 [(run_id, r["url"]) for r in page_rows if r["facts"] is not None])
            conn.executemany(sql, [tuple(r[c] for c in cols) for r in page_rows])
            if link_rows:
                conn.executemany("insert into links (run_id, source, target, text, kind, context, tag) "
                                 "values (?, ?, ?, ?, ?, ?, ?)", link_rows)

    def validators(self, run_id: int, url: str) -> tuple[str, str, str] | None:
        """(final URL, ETag, Last-Modified) of a successful GET of ``url`` in the run, if it sent any."""
        rows = list(self.db.execute(
            "select coalesce(final_url, url), etag, last_modified from pages where run_id = ? and url = ? "
            "and method = 'GET' and status between 200 and 299 and error is null "
            "and (coalesce(etag, '') != '' or coalesce(last_modified, '') != '')", [run_id, url]).fetchall())
        if not rows:
            return None
        final, etag, lm = rows[0]
        return final, etag or "", lm or ""

    def cached_page(self, run_id: int, url: str) -> tuple[dict[str, Any], PageFacts | None] | None:
        """The stored fetch row of ``url`` in the run and its facts (links included), for a 304 answer."""
        row = self.get_fetch(run_id, url)
        if row is None:
            return None
        facts_json = row.pop("facts", None)
        if not facts_json:
            return row, None
        facts = PageFacts.from_dict(json.loads(facts_json))
        facts.links = [
            Link(url=r["target"], text=r["text"] or "", kind=r["kind"], context=r["context"] or "other",
                 tag=r["tag"] or "a")
            for r in self.db.query("select target, text, kind, context, tag from links where run_id = ? "
                                   "and source = ? order by rowid", [run_id, url])
        ]
        return row, facts

    def iter_resume_rows(self, run_id: int) -> Iterator[tuple[str, int, str | None]]:
        """(url, depth, facts JSON or None) of every URL the run stored, for resuming it."""
        for url, depth, facts in self.db.execute(
                "select url, depth, facts from pages where run_id = ? order by rowid", [run_id]):
            yield url, int(depth or 0), facts

    def fetched_urls(self, run_id: int) -> set[str]:
        return {r["url"] for r in self.db.query("select url from pages where run_id = ?", [run_id])}

    def get_fetch(self, run_id: int, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from pages where run_id = ? and url = ?", [run_id, url]))
        return self._decode_page(rows[0]) if rows else None

    @staticmethod
    def _decode_page(row: dict[str, Any]) -> dict[str, Any]:
        row = dict(row)
        for key in ("url", "final_url"):
            if isinstance(row.get(key), str):
                row[key] = sys.intern(row[key])
        row["redirects"] = json.loads(row.get("redirects") or "[]")
        row["blocked"] = bool(row.get("blocked"))
        return row

    def _page_columns(self) -> list[str]:
        """Every column of ``pages`` but the facts JSON (the bulk of the table)."""
        return [c.name for c in self.db["pages"].columns if c.name != "facts"]

    def iter_fetches(self, run_id: int, *, role: str | None = None) -> Iterator[FetchRow]:
        """Every requested URL of a run (without its page facts), as read-only mappings."""
        cols = self._page_columns()
        sql = f"select {', '.join(chr(34) + c + chr(34) for c in cols)} from pages where run_id = ?"
        args: list[Any] = [run_id]
        if role:
            sql += " and role = ?"
            args.append(role)
        index = {c: i for i, c in enumerate(cols)}
        repeated = [i for i, c in enumerate(cols) if c in _REPEATED]
        i_redirects, i_blocked = index.get("redirects"), index.get("blocked")
        no_redirects: list[str] = []
        for row in self.db.conn.execute(sql + " order by rowid", args):
            values = list(row)
            for i in repeated:  # the same addresses and labels recur on every row: keep one copy of each
                if isinstance(values[i], str):
                    values[i] = sys.intern(values[i])
            if i_redirects is not None:
                text = values[i_redirects]
                values[i_redirects] = json.loads(text) if text and text != "[]" else no_redirects
            if i_blocked is not None:
                values[i_blocked] = bool(values[i_blocked])
            yield FetchRow(index, tuple(values))

    def iter_pages(self, run_id: int, *, lazy: bool = True,
                   fetches: Mapping[str, Mapping[str, Any]] | None = None
                   ) -> Iterator[tuple[Mapping[str, Any], PageFacts]]:
        """Crawled HTML pages with their fetch rows and facts (links included).

        With ``lazy`` (the default) the bulky fields — ``body_text``, ``tables``, ``headings`` — are
        read from the store when a check asks for them and not kept, identical links share one
        object and repeated strings one copy, so a 100,000-URL run fits in about 100 MB.
        ``fetches`` (the run's rows by URL, from :meth:`iter_fetches`) lets pages share those rows.
        """
        links_by_source: dict[str, list[Link]] = {}
        shared: dict[tuple[str, str, str, str, str], Link] = {}
        cur = self.db.conn.execute(
            "select source, target, text, kind, context, tag from links where run_id = ? order by rowid", [run_id])
        for source, target, text, kind, context, tag in cur:  # plain tuples: this table is the largest
            source, target = sys.intern(source), sys.intern(target)
            key = (target, text or "", kind, context or "other", tag or "a")
            link = shared.get(key)
            if link is None:
                link = shared[key] = Link(url=key[0], text=key[1], kind=key[2], context=key[3], tag=key[4])
            links_by_source.setdefault(source, []).append(link)
        shared.clear()
        if fetches is None:
            fetches = {r["url"]: r for r in self.iter_fetches(run_id, role="page")}
        source = (self, run_id)
        for url, facts_json in self.db.conn.execute(
                "select url, facts from pages where run_id = ? and facts is not null order by rowid", [run_id]):
            row = fetches.get(url)
            if row is None:  # stored after the caller read its rows
                row = self.get_fetch(run_id, url) or {"url": url}
            data = json.loads(facts_json)
            links = links_by_source.pop(url, [])
            if lazy:
                for name in LAZY_FIELDS:
                    data.pop(name, None)
                facts: PageFacts = _stored_facts(source, data, row["url"])
            else:
                facts = PageFacts.from_dict(data)
            facts.links = links
            yield row, facts

    def page_field(self, run_id: int, url: str, name: str) -> Any:
        """One field of a stored page's facts (``body_text``, ``tables`` …), read on demand."""
        row = self.db.conn.execute(
            "select json_extract(facts, ?) from pages where run_id = ? and url = ?", [f"$.{name}", run_id, url]
        ).fetchone()
        value = row[0] if row else None
        if name == "body_text":
            return value or ""
        return json.loads(value) if isinstance(value, str) else (value or [])

    def iter_links(self, run_id: int, *, kind: str | None = None) -> Iterator[dict[str, Any]]:
        sql = "select * from links where run_id = ?"
        args: list[Any] = [run_id]
        if kind:
            sql += " and kind = ?"
            args.append(kind)
        cur = self.db.conn.execute(sql + " order by rowid", args)
        names = [d[0] for d in cur.description]
        urls = [i for i, n in enumerate(names) if n in ("source", "target")]
        for row in cur:
            values = list(row)
            for i in urls:  # the same addresses recur on every page: keep one copy of each
                if values[i] is not None:
                    values[i] = sys.intern(values[i])
            yield dict(zip(names, values))

    def links_to(self, run_id: int, targets: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """The links of a run that point at ``targets``: target -> [{source, text, kind, context, tag}]
        in crawl order.  Reads only those rows (by the (run_id, target) index), however large the run."""
        out: dict[str, list[dict[str, Any]]] = {}
        wanted = list(dict.fromkeys(targets))
        conn = self.db.conn
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            cur = conn.execute(
                "select target, source, text, kind, context, tag from links where run_id = ? and target in "
                f"({', '.join('?' * len(chunk))}) order by rowid", [run_id, *chunk])
            for target, source, text, kind, context, tag in cur:
                out.setdefault(target, []).append(
                    {"source": source, "text": text, "kind": kind, "context": context, "tag": tag})
        return out

    def count_pages(self, run_id: int) -> dict[str, int]:
        out = {}
        for r in self.db.query("select role, count(*) n from pages where run_id = ? group by role", [run_id]):
            out[r["role"]] = r["n"]
        return out

    # ------------------------------------------------------------------ probes (soft-404)
    def save_probe(self, run_id: int, host: str, url: str, status: int | None, final_url: str | None,
                   title: str, text: str) -> None:
        self.db["probes"].upsert(
            {"run_id": run_id, "host": host, "url": url, "status": status, "final_url": final_url,
             "title": title, "text": text[:4000]},
            pk=("run_id", "host"),
        )

    def probes(self, run_id: int) -> dict[str, dict[str, Any]]:
        return {r["host"]: dict(r) for r in self.db.query("select * from probes where run_id = ?", [run_id])}

    # ------------------------------------------------------------------ findings
    def save_findings(self, run_id: int, findings: list[Finding], *, as_of: str) -> list[Finding]:
        """Store this run's findings; mark each new or open against the previous run.

        Returns the findings with ``state`` and ``first_seen`` filled in.
        """
        prev = self.previous_run(run_id)
        earlier: dict[str, str] = {}
        if prev:
            for r in self.db.query(
                "select fingerprint, first_seen from findings where run_id = ?", [prev["id"]]
            ):
                earlier[r["fingerprint"]] = r["first_seen"]
        rows = []
        for f in findings:
            fp = f.fingerprint()
            if fp in earlier:
                f.state = "open"
                f.first_seen = earlier[fp]
            else:
                f.state = "new"
                f.first_seen = as_of
            rows.append(
                {
                    "run_id": run_id,
                    "fingerprint": fp,
                    "check_name": f.check,
                    "code": f.code,
                    "url": f.url,
                    "key": f.key,
                    "severity": f.severity,
                    "state": f.state,
                    "first_seen": f.first_seen,
                    "body": _dumps(f.to_json()),
                }
            )
        with self.db.conn:
            self.db.execute("BEGIN")
            self.db.execute("delete from findings where run_id = ?", [run_id])
            if rows:
                self.db["findings"].insert_all(rows, batch_size=500)
        return findings

    def findings(self, run_id: int) -> list[Finding]:
        return [
            Finding.from_json(json.loads(r["body"]))
            for r in self.db.query("select body from findings where run_id = ? order by rowid", [run_id])
        ]

    def fixed_findings(self, run_id: int) -> list[Finding]:
        """Findings of the previous run of this site that this run no longer has."""
        prev = self.previous_run(run_id)
        if not prev:
            return []
        now = {r["fingerprint"] for r in self.db.query("select fingerprint from findings where run_id = ?", [run_id])}
        out = []
        for r in self.db.query("select fingerprint, body from findings where run_id = ? order by rowid", [prev["id"]]):
            if r["fingerprint"] not in now:
                f = Finding.from_json(json.loads(r["body"]))
                f.state = "fixed"
                out.append(f)
        return out
