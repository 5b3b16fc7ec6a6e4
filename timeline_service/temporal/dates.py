"""dateparser as the normaliser of free-form calendar strings.

Used the way a library should be: the language is known (no per-call
detection), ``RELATIVE_BASE`` is the publication day, ``PREFER_DATES_FROM``
follows the sentence's tense, parsers are reused, and results are cached per
(string, anchor day, preference). Only strings the grammar already knows to be
dates reach it, so the slow failed-parse path is never taken.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_LOCK = threading.Lock()

PREFER_BY_TENSE = {"past": "past", "future": "future"}


@lru_cache(maxsize=64)
def _parser(language: str, anchor: date | None, prefer: str, order: str) -> DateDataParser:
    # Imported on first use: dateparser costs about half a second to import, and
    # most articles are read without it (simple dates are computed directly).
    from dateparser.date import DateDataParser

    settings = {
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": order,
        "PARSERS": ["absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    return DateDataParser(languages=[language], settings=settings)


@lru_cache(maxsize=4096)
def parse_calendar(
    text: str, language: str, anchor: date | None, tense: str | None, order: str = "MDY"
) -> tuple[date, tuple[str, ...]] | None:
    """The date dateparser reads in ``text`` and the parts the text stated.

    Returns None when dateparser cannot read it. When the year is missing the
    returned year comes from ``anchor`` and the tense preference; callers that
    have no anchor must not use it.
    """
    prefer = PREFER_BY_TENSE.get(tense or "", "current_period")
    parser = _parser(language, anchor, prefer, order)
    try:
        with _LOCK:
            data = parser.get_date_data(text)
    except ValueError:
        if language == "en":
            raise
        # A language dateparser does not know; the grammar's strings are English.
        return parse_calendar(text, "en", anchor, tense, order)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), tuple(getattr(data, "parts", ()) or ())


def warm_up(language: str = "en") -> None:
    """Load dateparser's language data now rather than on the first article."""
    parse_calendar("February 24, 2022", language, None, None)
