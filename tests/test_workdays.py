"""Working days on the official calendar (国务院 holiday and make-up-day schedule)."""

from __future__ import annotations

from datetime import date

import pytest

from govaudit.errors import UserError
from govaudit.workdays import WorkdaysError, is_workday, parse_days, site_calendar, working_days_between


def test_national_day_2025_counts_only_working_days():
    # 2025-10-01..08 are holidays; 10-09 (Thu) and 10-10 (Fri) work; 10-11 (Sat) is a make-up workday.
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 12)) == 3  # Sunday
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 13)) == 4


def test_make_up_sunday_before_national_day_is_a_workday():
    assert is_workday(date(2025, 9, 28))  # Sunday, 调休上班
    assert working_days_between(date(2025, 9, 26), date(2025, 9, 28)) == 1  # Sat off, Sun works


def test_same_day_is_zero_and_reverse_is_negative():
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    assert working_days_between(date(2025, 3, 7), date(2025, 3, 3)) == -4  # Fri back to Mon


def test_ordinary_week():
    # Mon 2025-03-03 -> Mon 2025-03-10: Tue..Fri + next Mon
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 10)) == 5


def test_unknown_year_is_a_clear_error_naming_the_year():
    with pytest.raises(WorkdaysError, match="2027") as exc:
        working_days_between(date(2026, 12, 30), date(2027, 1, 5))
    assert isinstance(exc.value, UserError)


def test_site_config_days_override_and_extend():
    hol, wrk = site_calendar({"holidays": ["2025-03-04"], "workdays": ["2025-03-08"]})
    # Tue 03-04 off, Sat 03-08 works: Mon 03-03 -> Sun 03-09 = Wed Thu Fri Sat
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 9), extra_holidays=hol, extra_workdays=wrk) == 4


def test_site_config_can_supply_a_year_the_package_does_not_know():
    hol = parse_days(["2027-01-01"])
    # Thu 2026-12-31 -> Mon 2027-01-04: Fri 01-01 off (config), weekend, Mon works
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 4), extra_holidays=hol) == 1


def test_malformed_site_config_day_is_a_clear_error():
    with pytest.raises(WorkdaysError, match="2025/10/01"):
        parse_days(["2025/10/01"], name="holidays")
