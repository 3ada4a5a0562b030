"""The site list of a scheduled audit (``govaudit run SITES.toml``).

A TOML file with optional ``[defaults]`` (politeness and site fields shared by
every site), an optional ``[report]`` (title, issuer, recipients of the
combined 通报) and one ``[[sites]]`` table per site.  See
docs/sites.example.toml for every key.

A file that cannot be read or parsed raises :class:`SiteConfigError` (with the
line).  A single bad ``[[sites]]`` entry does not: it is returned in
``SiteConfig.errors`` with the line of its ``[[sites]]`` header, and the other
sites still run.

Example::

    >>> cfg = parse_sites('[[sites]]\\nname = "发改局"\\nurl = "http://fgj.example.gov.cn/xxgk/"\\n')
    >>> cfg.sites[0].spec.name, cfg.sites[0].line, cfg.errors
    ('发改局', 1, [])
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .audit import SiteSpec
from .crawl import CrawlOptions
from .errors import UserError


class SiteConfigError(UserError):
    """The site list as a whole is unusable (missing, not TOML, no sites)."""

    exit_code = 2


#: per-site politeness and limits -> CrawlOptions field
OPTION_KEYS: dict[str, tuple[str, type | tuple[type, ...]]] = {
    "per_host_concurrency": ("per_host_concurrency", int),
    "delay": ("delay", (int, float)),
    "timeout": ("timeout", (int, float)),
    "retries": ("retries", int),
    "max_pages": ("max_pages", int),
    "max_depth": ("max_depth", int),
    "max_urls": ("max_urls", int),
    "exclude": ("exclude", str),
    "user_agent": ("user_agent", str),
    "obey_robots": ("obey_robots", bool),
    "check_external": ("check_external", bool),
}
SITE_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str, "url": str, "owner": str, "owner_type": str, "unit": str, "hosts": list, "prefixes": list,
    "plan": str, "params": dict,
}
OWNER_TYPES = ("government", "department")
REPORT_KEYS = ("title", "issuer", "recipients")


@dataclass
class SiteEntry:
    """One good ``[[sites]]`` entry: what to audit and how politely."""

    spec: SiteSpec
    options: CrawlOptions
    line: int
    slug: str  # folder name under OUT/sites/


@dataclass
class SiteConfig:
    sites: list[SiteEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "SITES.toml line 12: …" per bad entry
    report: dict[str, str] = field(default_factory=dict)


def site_lines(text: str) -> list[int]:
    """Line numbers (1-based) of the ``[[sites]]`` headers, in order.

    >>> site_lines('[defaults]\\ndelay = 1\\n\\n[[sites]]\\nurl = "x"\\n[[ sites ]]\\n')
    [4, 6]
    """
    pat = re.compile(r"^\s*\[\[\s*(sites|\"sites\")\s*\]\]")
    return [i for i, line in enumerate(text.splitlines(), 1) if pat.match(line)]


def slugify(name: str) -> str:
    """A folder name for a site (keeps Chinese; drops path separators and control characters).

    >>> slugify("县发改局 / 信息公开")
    '县发改局_信息公开'
    """
    s = re.sub(r"[\s/\\:*?\"<>|\x00-\x1f]+", "_", name).strip("._")
    return s[:80] or "site"


def _check_type(key: str, value: Any, typ: type | tuple[type, ...]) -> None:
    if isinstance(value, bool) and typ in (int, (int, float)):
        raise ValueError(f"{key} must be a number, not {value!r}")
    if not isinstance(value, typ):
        names = typ.__name__ if isinstance(typ, type) else " or ".join(t.__name__ for t in typ)
        kind = {"str": "a string", "list": "a list", "dict": "a table", "int": "a whole number",
                "bool": "true or false"}.get(names, names)
        raise ValueError(f"{key} must be {kind}, not {value!r}")


def _entry(raw: Any, defaults: dict[str, Any], base: CrawlOptions, base_dir: Path) -> tuple[SiteSpec, CrawlOptions]:
    from .audit import validate_url

    if not isinstance(raw, dict):
        raise ValueError("a [[sites]] entry must be a table")
    merged = {**defaults, **raw}
    unknown = sorted(set(merged) - set(SITE_KEYS) - set(OPTION_KEYS) - {"extra"})
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (known: {', '.join(sorted({*SITE_KEYS, *OPTION_KEYS}))})")
    if "url" not in raw:
        raise ValueError("no url (every site needs its start URL, e.g. url = \"http://www.example.gov.cn/xxgk/\")")
    for key, value in merged.items():
        if key in SITE_KEYS:
            _check_type(key, value, SITE_KEYS[key])
        elif key in OPTION_KEYS:
            _check_type(key, value, OPTION_KEYS[key][1])
    try:
        validate_url(merged["url"])
    except UserError as exc:
        raise ValueError(str(exc)) from None
    if merged.get("owner_type", "") not in ("", *OWNER_TYPES):
        raise ValueError(f"owner_type must be one of {', '.join(OWNER_TYPES)}, not {merged['owner_type']!r}")
    for key in ("hosts", "prefixes"):
        if not all(isinstance(x, str) for x in merged.get(key, [])):
            raise ValueError(f"{key} must be a list of strings")
    plan = None
    if merged.get("plan"):
        from .plan import load_plan

        path = Path(merged["plan"])
        path = path if path.is_absolute() else base_dir / path
        if not path.exists():
            raise ValueError(f"plan file {str(path)!r} does not exist")
        try:
            plan = load_plan(path)
        except Exception as exc:  # any unreadable plan is this entry's problem only
            raise ValueError(f"cannot read the plan {str(path)!r}: {exc}") from None
    opts = base.to_dict()
    for key, (attr, _typ) in OPTION_KEYS.items():
        if key in merged:
            opts[attr] = merged[key]
    opts["hosts"] = list(base.hosts)
    opts["prefixes"] = list(base.prefixes)
    spec = SiteSpec(url=merged["url"], name=merged.get("name", ""), owner=merged.get("owner", ""),
                    owner_type=merged.get("owner_type", ""), unit=merged.get("unit", ""),
                    hosts=list(merged.get("hosts", [])), prefixes=list(merged.get("prefixes", [])),
                    params=dict(merged.get("params", {})), plan=plan)
    return spec, CrawlOptions(**opts)


def parse_sites(text: str, *, source: str = "SITES.toml", base: CrawlOptions | None = None,
                base_dir: Path | None = None) -> SiteConfig:
    """Parse a site list; raise :class:`SiteConfigError` only when the whole file is unusable."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(f"{source} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"defaults", "report", "sites"})
    if unknown:
        raise SiteConfigError(f"{source}: unknown section {unknown[0]!r} (expected [defaults], [report], [[sites]])")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SiteConfigError(f"{source}: [defaults] must be a table")
    if "url" in defaults or "name" in defaults:
        raise SiteConfigError(f"{source}: [defaults] cannot set url or name (they belong to each [[sites]] entry)")
    report = data.get("report", {})
    if not isinstance(report, dict) or set(report) - set(REPORT_KEYS):
        raise SiteConfigError(f"{source}: [report] takes only {', '.join(REPORT_KEYS)}")
    raw_sites = data.get("sites")
    if not isinstance(raw_sites, list) or not raw_sites:
        raise SiteConfigError(f"{source}: no [[sites]] entries (each site is a [[sites]] table with a url)")
    lines = site_lines(text)
    cfg = SiteConfig(report={k: str(v) for k, v in report.items()})
    slugs: set[str] = set()
    names: set[str] = set()
    for i, raw in enumerate(raw_sites):
        line = lines[i] if i < len(lines) else 0
        where = f"{source} line {line}" if line else f"{source} site #{i + 1}"
        label = raw.get("name") or raw.get("url") or f"#{i + 1}" if isinstance(raw, dict) else f"#{i + 1}"
        try:
            spec, opts = _entry(raw, defaults, base or CrawlOptions(), base_dir or Path("."))
            if spec.name and spec.name in names:
                raise ValueError(f"the name {spec.name!r} is used twice")
        except ValueError as exc:
            cfg.errors.append(f"{where}: site {label!r}: {exc}")
            continue
        names.add(spec.name)
        slug = slugify(spec.name or spec.url.split("//", 1)[-1].split("/", 1)[0])
        while slug in slugs:
            slug += "_"
        slugs.add(slug)
        cfg.sites.append(SiteEntry(spec=spec, options=opts, line=line, slug=slug))
    return cfg


def load_sites(path: str | Path, *, base: CrawlOptions | None = None) -> SiteConfig:
    """Read and parse a site list file (relative plan paths are relative to the file)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteConfigError(f"no site list at {str(path)!r}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteConfigError(f"cannot read the site list {str(path)!r}: {exc}") from None
    return parse_sites(text, source=p.name, base=base, base_dir=p.resolve().parent)
