from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.incidents.timing import (
    add_calendar_months,
    after_days,
    after_hours,
    after_months,
    at_instant,
    describe_duration,
    require_aware,
)

BERLIN = ZoneInfo("Europe/Berlin")
CET = timezone(timedelta(hours=1))


def test_hours_are_elapsed_hours_across_spring_dst() -> None:
    # 28 Mar 2026 10:00 CET; clocks jump forward on 29 Mar 02:00 -> 03:00.
    due = after_hours(datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN), 24, BERLIN)
    assert due.expires_at == datetime(2026, 3, 29, 9, 0, tzinfo=UTC)
    assert due.isoformat() == "2026-03-29T11:00:00+02:00"  # 24 real hours, not 10:00 wall clock


def test_hours_are_elapsed_hours_across_autumn_dst() -> None:
    # 24 Oct 2026 12:00 CEST; clocks go back on 25 Oct 03:00 -> 02:00.
    due = after_hours(datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN), 72, BERLIN)
    assert due.expires_at == datetime(2026, 10, 27, 10, 0, tzinfo=UTC)
    assert due.isoformat() == "2026-10-27T11:00:00+01:00"


def test_hours_without_zone_keep_the_anchor_offset() -> None:
    due = after_hours(datetime(2026, 3, 2, 9, 30, tzinfo=CET), 72)
    assert due.isoformat() == "2026-03-05T09:30:00+01:00"
    assert due.day is None


def test_days_count_from_day_zero() -> None:
    due = after_days(datetime(2026, 1, 31, 23, 59, tzinfo=CET), 15)
    assert due.day == date(2026, 2, 15)
    assert due.expires_at == datetime(2026, 2, 15, 23, 0, tzinfo=UTC)  # midnight CET
    assert due.isoformat() == "2026-02-15"


def test_days_use_the_local_calendar_day_of_the_anchor() -> None:
    # 23:30 UTC on 1 March is already 2 March in Berlin: day 0 is 2 March there.
    anchor = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert after_days(anchor, 2, BERLIN).day == date(2026, 3, 4)
    assert after_days(anchor, 2).day == date(2026, 3, 3)


def test_two_days_over_february_end() -> None:
    assert after_days(datetime(2026, 2, 27, 9, 0, tzinfo=CET), 2).day == date(2026, 3, 1)
    assert after_days(datetime(2028, 2, 27, 9, 0, tzinfo=CET), 2).day == date(2028, 2, 29)


def test_day_limit_ends_at_local_midnight_after_dst_change() -> None:
    due = after_days(datetime(2026, 3, 20, 12, 0, tzinfo=BERLIN), 10, BERLIN)
    assert due.day == date(2026, 3, 30)
    assert due.expires_at == datetime(2026, 3, 30, 22, 0, tzinfo=UTC)  # 31 Mar 00:00 CEST


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),
        (date(2026, 3, 30), date(2026, 4, 30)),
    ],
)
def test_month_end_clamping(start: date, expected: date) -> None:
    assert add_calendar_months(start, 1) == expected
    anchor = datetime(start.year, start.month, start.day, 12, tzinfo=CET)
    assert after_months(anchor, 1).day == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 1, 1)), st.integers(0, 36))
def test_month_arithmetic_properties(start: date, months: int) -> None:
    result = add_calendar_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
    if result.day < start.day:  # clamped: it is the last day of its month
        assert (result + timedelta(days=1)).day == 1


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(BERLIN)
    ),
    st.integers(1, 500),
)
def test_hour_limits_are_exact_elapsed_time(anchor: datetime, hours: int) -> None:
    due = after_hours(anchor, hours, BERLIN)
    assert due.expires_at - anchor.astimezone(UTC) == timedelta(hours=hours)


def test_instant_limit_and_naive_refusal() -> None:
    moment = datetime(2026, 5, 1, 8, 0, tzinfo=CET)
    assert at_instant(moment).expires_at == moment
    with pytest.raises(ValueError, match="time zone"):
        require_aware(datetime(2026, 5, 1, 8, 0))
    with pytest.raises(ValueError, match="time zone"):
        after_hours(datetime(2026, 5, 1, 8, 0), 24)


def test_describe_duration() -> None:
    assert describe_duration(timedelta(days=2, hours=3, minutes=15)) == "2 d 3 h 15 min"
    assert describe_duration(timedelta(minutes=5)) == "5 min"
    assert describe_duration(timedelta(hours=1)) == "1 h 0 min"
