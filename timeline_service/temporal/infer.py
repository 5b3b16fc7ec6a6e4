"""Publication date from the text itself, when no one told us."""

from __future__ import annotations

import re
from datetime import date, datetime

from .lexicon import MONTHS, WEEKDAYS
from .rules import MONTH, WEEKDAY, YEAR

_WEEKDAY_DATE = re.compile(
    rf"(?<![\w-])(?P<wd>{WEEKDAY}),?\s+(?:(?P<month>{MONTH})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"|(?:the\s+)?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{MONTH}))"
    rf"(?!\d)(?:,?\s+(?P<year>{YEAR}))?",
    re.IGNORECASE,
)


def infer_publication_date(text: str, *, not_after: date) -> date | None:
    """The day a weekday-plus-date pins, e.g. "on Thursday, February 24".

    With a stated year the date counts only if the weekday agrees. Without
    one, the latest year not after ``not_after`` whose calendar puts that
    weekday on that date is taken (looking back 28 years, one full cycle).
    The first expression that pins a day wins; None if none does.
    """
    if isinstance(not_after, datetime):
        not_after = not_after.date()
    for m in _WEEKDAY_DATE.finditer(text):
        wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
        month = MONTHS[(m["month"] or m["month2"]).lower().rstrip(".")]
        day = int(m["day"] or m["day2"])
        if m["year"]:
            try:
                d = date(int(m["year"]), month, day)
            except ValueError:
                continue
            if d.weekday() == wd and d <= not_after:
                return d
            continue
        for year in range(not_after.year, not_after.year - 29, -1):
            try:
                d = date(year, month, day)
            except ValueError:
                continue
            if d <= not_after and d.weekday() == wd:
                return d
    return None
