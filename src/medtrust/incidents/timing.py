"""Deadline arithmetic: hours exact, days and months as calendar periods.

Conventions (see ``docs/incidents.md``):

* **Hours** are elapsed time: the anchor instant plus N hours, computed in UTC, so a daylight-saving
  change inside the period neither adds nor removes an hour.
* **Days** are calendar days. The day of the anchor event is day 0 and is not counted; the period
  ends when the Nth following day ends (Regulation (EEC, Euratom) No 1182/71, Art. 3(1) second
  subparagraph and Art. 3(2)(b); MDCG 2023-3 for MDR/IVDR vigilance).
* **Months** end at the end of the day in the later month with the same date as the anchor day,
  or of that month's last day when it has no such date (Regulation 1182/71, Art. 3(2)(c)).
* Calendar days are those of the organisation's time zone when the facts name one, else of the
  offset the anchor timestamp was written with. No weekend or public-holiday extension is applied:
  deadlines shown are never later than the legal ones.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True, slots=True)
class Due:
    """When an obligation falls due.

    ``expires_at`` is the instant (UTC) at which the period has run out. ``day`` is set for day and
    month limits: the last calendar day of the period, in ``zone``.
    """

    expires_at: datetime
    zone: tzinfo
    day: date | None = None

    def isoformat(self) -> str:
        """ISO 8601: a date for calendar periods, a timestamp in ``zone`` for hour limits."""
        if self.day is not None:
            return self.day.isoformat()
        return self.expires_at.astimezone(self.zone).isoformat()


def require_aware(moment: datetime) -> datetime:
    """Return ``moment`` if it carries a time zone, else raise ``ValueError``."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError("timestamp has no time zone")
    return moment


def end_of_day(day: date, zone: tzinfo) -> datetime:
    """The instant (UTC) at which ``day`` ends in ``zone``."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def add_calendar_months(day: date, months: int) -> date:
    """The same date ``months`` later, clamped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def after_hours(anchor: datetime, hours: int, zone: tzinfo | None = None) -> Due:
    """An exact limit of ``hours`` elapsed hours after ``anchor``."""
    require_aware(anchor)
    expires = anchor.astimezone(UTC) + timedelta(hours=hours)
    return Due(expires_at=expires, zone=zone or _zone_of(anchor))


def after_days(anchor: datetime, days: int, zone: tzinfo | None = None) -> Due:
    """A limit of ``days`` calendar days; the anchor's day is day 0."""
    require_aware(anchor)
    tz = zone or _zone_of(anchor)
    last = anchor.astimezone(tz).date() + timedelta(days=days)
    return Due(expires_at=end_of_day(last, tz), zone=tz, day=last)


def after_months(anchor: datetime, months: int, zone: tzinfo | None = None) -> Due:
    """A limit of ``months`` calendar months after the anchor's day."""
    require_aware(anchor)
    tz = zone or _zone_of(anchor)
    last = add_calendar_months(anchor.astimezone(tz).date(), months)
    return Due(expires_at=end_of_day(last, tz), zone=tz, day=last)


def at_instant(anchor: datetime, zone: tzinfo | None = None) -> Due:
    """A limit that is the anchor instant itself (e.g. 'before the action is carried out')."""
    require_aware(anchor)
    return Due(expires_at=anchor.astimezone(UTC), zone=zone or _zone_of(anchor))


def describe_duration(delta: timedelta) -> str:
    """A short human form of a non-negative duration, e.g. ``2 d 3 h 15 min``."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    if hours or days:
        parts.append(f"{hours} h")
    parts.append(f"{mins} min")
    return " ".join(parts)


def _zone_of(moment: datetime) -> tzinfo:
    zone = moment.tzinfo
    if zone is None:  # pragma: no cover - guarded by require_aware
        raise ValueError("timestamp has no time zone")
    return zone
