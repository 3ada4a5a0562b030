"""Working days on the official Chinese calendar.

Holidays and make-up working days (调休) come from ``chinesecalendar``, which
carries the State Council's published schedule (国务院办公厅 放假安排通知)
for 2004-2026.  A year the package does not know raises :class:`WorkdaysError`
instead of guessing: weekends-only would give a wrong count around 春节 and
国庆.  A site config may extend or override the calendar::

    holidays = ["2027-01-01"]          # days off (override the package)
    workdays = ["2027-02-20"]          # make-up working days

A year outside the package range is accepted only when the site config lists
at least one day of that year: the config then stands for that year's
schedule (Monday-Friday work, weekends rest, except the listed days).

Example::

    >>> from datetime import date
    >>> working_days_between(date(2025, 9, 30), date(2025, 10, 9))
    1
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

import chinese_calendar

from .errors import UserError

__all__ = [
    "WorkdaysError",
    "is_workday",
    "working_days_between",
    "parse_days",
    "site_calendar",
    "known_years",
]


class WorkdaysError(UserError):
    """The calendar cannot answer: an unknown year or a malformed day list."""


def known_years() -> tuple[int, int]:
    """First and last year the bundled official schedule covers (e.g. (2004, 2026))."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return min(years), max(years)


_KNOWN = known_years()


def parse_days(values: Iterable[Any] | None, *, name: str = "days") -> frozenset[_dt.date]:
    """Parse a list of YYYY-MM-DD strings (or dates) from a site config.

    >>> sorted(parse_days(["2027-01-01"]))
    [datetime.date(2027, 1, 1)]
    """
    out: set[_dt.date] = set()
    for v in values or ():
        if isinstance(v, _dt.datetime):
            out.add(v.date())
        elif isinstance(v, _dt.date):
            out.add(v)
        else:
            try:
                out.add(_dt.date.fromisoformat(str(v).strip()))
            except ValueError:
                raise WorkdaysError(f"site config {name}: {v!r} is not a date in YYYY-MM-DD form") from None
    return frozenset(out)


def site_calendar(site_config: Mapping[str, Any] | None) -> tuple[frozenset[_dt.date], frozenset[_dt.date]]:
    """(extra_holidays, extra_workdays) from a site config's ``holidays`` / ``workdays`` lists."""
    cfg = site_config or {}
    return (parse_days(cfg.get("holidays"), name="holidays"), parse_days(cfg.get("workdays"), name="workdays"))


def is_workday(
    day: _dt.date,
    *,
    extra_holidays: Iterable[_dt.date] = (),
    extra_workdays: Iterable[_dt.date] = (),
) -> bool:
    """True when ``day`` is an official working day (site-config days win).

    >>> is_workday(_dt.date(2025, 10, 11))   # make-up Saturday after 国庆
    True
    """
    hol = extra_holidays if isinstance(extra_holidays, (set, frozenset)) else set(extra_holidays)
    wrk = extra_workdays if isinstance(extra_workdays, (set, frozenset)) else set(extra_workdays)
    return _is_workday(day, frozenset(hol), frozenset(wrk))


def _is_workday(day: _dt.date, hol: frozenset[_dt.date], wrk: frozenset[_dt.date]) -> bool:
    if day in wrk:
        return True
    if day in hol:
        return False
    if _KNOWN[0] <= day.year <= _KNOWN[1]:
        return bool(chinese_calendar.is_workday(day))
    if any(d.year == day.year for d in hol | wrk):
        return day.weekday() < 5
    raise WorkdaysError(
        f"no official holiday schedule for {day.year} (known {_KNOWN[0]}-{_KNOWN[1]}, date {day.isoformat()}); "
        f"add that year's holidays/workdays to the site config or update chinesecalendar"
    )


def working_days_between(
    start: _dt.date,
    end: _dt.date,
    *,
    extra_holidays: Iterable[_dt.date] = (),
    extra_workdays: Iterable[_dt.date] = (),
) -> int:
    """Working days after ``start`` up to and including ``end``.

    0 when ``end`` is ``start`` or the next working day has not come yet;
    negative (the same count, signed) when ``end`` is before ``start``.

    >>> working_days_between(_dt.date(2025, 9, 30), _dt.date(2025, 10, 11))
    3
    """
    if end < start:
        return -working_days_between(end, start, extra_holidays=extra_holidays, extra_workdays=extra_workdays)
    hol, wrk = frozenset(extra_holidays), frozenset(extra_workdays)
    n = 0
    day = start + _dt.timedelta(days=1)
    one = _dt.timedelta(days=1)
    while day <= end:
        if _is_workday(day, hol, wrk):
            n += 1
        day += one
    return n
