"""Word lists shared by detection and resolution (English news)."""

from __future__ import annotations

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

#: month words news writes, full and abbreviated, to their number
MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3,
    "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI",
}  # fmt: skip

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
    "tonight": "NI", "overnight": "NI", "midday": "MI",
}  # fmt: skip

# Local clock hours [start, end) of each TIMEX3 part of day; NI runs past midnight.
PART_OF_DAY_HOURS: dict[str, tuple[int, int]] = {
    "MO": (5, 12), "MI": (11, 14), "AF": (12, 18), "EV": (17, 22), "NI": (20, 30),
    "DT": (9, 17),
}  # fmt: skip

UNITS: dict[str, str] = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W",
    "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE",
    "century": "CE", "centurie": "CE", "millennium": "ML", "millennia": "ML",
}  # fmt: skip

TIME_UNITS = {"second", "minute", "hour"}

SMALL_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12, "a couple of": 2,
    "couple of": 2, "a pair of": 2, "half a": 0, "a half": 0,
}  # fmt: skip

VAGUE_NUMBERS = {
    "a few",
    "few",
    "several",
    "some",
    "many",
    "a number of",
    "dozens of",
    "hundreds of",
    "thousands of",
    "numerous",
    "countless",
}

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "twenty-first": 21, "twenty-second": 22,
    "twenty-third": 23, "twenty-fourth": 24, "twenty-fifth": 25, "twenty-sixth": 26,
    "twenty-seventh": 27, "twenty-eighth": 28, "twenty-ninth": 29,
    "thirty-first": 31, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": 4, "last": 4,
}  # fmt: skip

DECADE_WORDS: dict[str, int] = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
    "seventies": 7, "eighties": 8, "nineties": 9,
}  # fmt: skip


def number_value(words: str) -> int | None:
    """Read "24", "twenty four", "twenty-four", "a" or "a couple of"; None if vague."""
    w = " ".join(words.lower().replace("-", " ").split())
    if w.replace(".", "", 1).isdigit():
        return int(float(w)) if "." not in w else None
    if w in SMALL_NUMBERS:
        return SMALL_NUMBERS[w]
    total = 0
    for part in w.split():
        if part not in SMALL_NUMBERS or part in ("a", "an"):
            return None
        if part == "hundred":
            total = max(total, 1) * 100
        else:
            total += SMALL_NUMBERS[part]
    return total or None


def year_value(words: str) -> int | None:
    """Read "1990", "nineteen ninety-six", "nineteen oh five" or "two thousand and two"."""
    w = " ".join(words.lower().replace("-", " ").split())
    if w.isdigit():
        return int(w)
    parts = w.split()
    if parts[:2] == ["two", "thousand"]:
        rest = [p for p in parts[2:] if p != "and"]
        return 2000 + (number_value(" ".join(rest)) or 0 if rest else 0)
    head = SMALL_NUMBERS.get(parts[0])
    if head is None or len(parts) < 2:
        return None
    rest = [p for p in parts[1:] if p != "oh"]
    if rest == ["hundred"]:
        return head * 100
    tail = number_value(" ".join(rest))
    return None if tail is None else head * 100 + tail
