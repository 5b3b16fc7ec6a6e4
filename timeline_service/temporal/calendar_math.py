"""Calendar arithmetic on local dates: weekdays, months, quarters, seasons, weeks."""

from __future__ import annotations

from calendar import isleap
from datetime import date, timedelta


def add_months(d: date, months: int) -> tuple[int, int]:
    """(year, month) ``months`` away from ``d``'s month."""
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def weekday_near(anchor: date, weekday: int, direction: str | None, strict: bool = False) -> date:
    """The ``weekday`` (0 = Monday) on/before (past), on/after (future) or nearest
    to ``anchor``; ``strict`` excludes the anchor day itself."""
    back = (anchor.weekday() - weekday) % 7
    fwd = (weekday - anchor.weekday()) % 7
    if strict:
        back = back or 7
        fwd = fwd or 7
    if direction == "past":
        return anchor - timedelta(days=back)
    if direction == "future":
        return anchor + timedelta(days=fwd)
    return anchor - timedelta(days=back) if back <= fwd else anchor + timedelta(days=fwd)


def _leap_year(year: int, step: int) -> int:
    year += step
    while not isleap(year):
        year += step
    return year


def dateparser_year(anchor: date, month: int, day: int, prefer: str) -> int | None:
    """The year dateparser gives a month and day without one, read against ``anchor``
    (``RELATIVE_BASE``) with ``PREFER_DATES_FROM`` = ``prefer``; None for no such date.

    Past: this year's date, or last year's if it is after the anchor. Future: this
    year's, or next year's if it is not after the anchor (the anchor day itself moves a
    year too). Current period: this year's. The 29th of February moves to the previous
    or next leap year (the nearer one for the current period, the earlier on a tie).
    dateparser takes about a millisecond to work this out; the date engine's tests
    check this against it on month ends, leap days and the days around the anchor.
    """
    year = anchor.year
    if (month, day) == (2, 29) and not isleap(year):
        if prefer in ("past", "future"):
            year = _leap_year(year, -1 if prefer == "past" else 1)
        else:
            after, before = _leap_year(year, 1), _leap_year(year, -1)
            year = after if after - year < year - before else before
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if anchor < found:
        if prefer == "past":
            return _leap_year(year, -1) if (month, day) == (2, 29) else year - 1
    elif prefer == "future":
        return _leap_year(year, 1) if (month, day) == (2, 29) else year + 1
    return year


def year_for_month_day(anchor: date, month: int, day: int, direction: str | None) -> int | None:
    """The year that puts month/day on the side of ``anchor`` the tense allows
    (nearest when the tense is unknown); None for impossible dates."""
    options = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    if not options:
        return None
    if direction == "past":
        past = [o for o in options if o <= anchor]
        return max(past).year if past else None
    if direction == "future":
        fut = [o for o in options if o >= anchor]
        return min(fut).year if fut else None
    return min(options, key=lambda o: (abs((o - anchor).days), o > anchor)).year


def year_for_month(anchor: date, month: int, direction: str | None, strict: bool = False) -> int:
    """The year of the named month before/after/nearest ``anchor``'s month."""
    here = anchor.year * 12 + anchor.month - 1
    candidates = [(y, y * 12 + month - 1) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if direction == "past":
        ok = [c for c in candidates if c[1] < here or (c[1] == here and not strict)]
        return max(ok, key=lambda c: c[1])[0]
    if direction == "future":
        ok = [c for c in candidates if c[1] > here or (c[1] == here and not strict)]
        return min(ok, key=lambda c: c[1])[0]
    return min(candidates, key=lambda c: (abs(c[1] - here), c[1] > here))[0]


def quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def shift_quarter(year: int, q: int, n: int) -> tuple[int, int]:
    index = year * 4 + q - 1 + n
    return index // 4, index % 4 + 1


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def season_year(anchor: date, season: str, direction: str | None, shift: int = 0) -> int:
    """Year of the season instance (winter Y runs Dec Y to Feb Y+1) that has started
    by ``anchor`` (past), not yet ended (future) or contains/is nearest it."""
    start_month = SEASON_START_MONTH[season]

    def bounds(y: int) -> tuple[date, date]:
        s = date(y, start_month, 1)
        ey, em = add_months(s, 3)
        return s, date(ey, em, 1)

    years = range(anchor.year - 2, anchor.year + 2)
    if direction == "future":
        y = min(y for y in years if bounds(y)[1] > anchor)
    elif direction == "past" or shift < 0:
        y = max(y for y in years if bounds(y)[0] <= anchor)
    else:
        current = [y for y in years if bounds(y)[0] <= anchor < bounds(y)[1]]
        y = current[0] if current else min(years, key=lambda y: abs((bounds(y)[0] - anchor).days))
    if shift < 0 and bounds(y)[1] > anchor:
        y -= 1  # "last summer" means the last one that has ended
    if shift > 0:
        y = min(y for y in years if bounds(y)[0] > anchor)
    return y
