"""Dateline places and the time zones they stand for.

A dateline ("MINSK, Belarus") tells the reader where the story was filed, and so which
local day "Thursday" meant. This table covers the capitals and the news cities that
datelines name most often; it is data, not geography, so extend it freely.
"""

from __future__ import annotations

import re

# City (lower-case, as datelines spell it) -> IANA zone.
CITY_ZONES: dict[str, str] = {
    # Russia, Ukraine, Belarus and neighbours
    "moscow": "Europe/Moscow",
    "st. petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "st petersburg": "Europe/Moscow",
    "sochi": "Europe/Moscow",
    "belgorod": "Europe/Moscow",
    "rostov-on-don": "Europe/Moscow",
    "kaliningrad": "Europe/Kaliningrad",
    "yekaterinburg": "Asia/Yekaterinburg",
    "novosibirsk": "Asia/Novosibirsk",
    "vladivostok": "Asia/Vladivostok",
    "kyiv": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "kharkiv": "Europe/Kyiv",
    "kharkov": "Europe/Kyiv",
    "odesa": "Europe/Kyiv",
    "odessa": "Europe/Kyiv",
    "lviv": "Europe/Kyiv",
    "dnipro": "Europe/Kyiv",
    "zaporizhzhia": "Europe/Kyiv",
    "mariupol": "Europe/Kyiv",
    "kherson": "Europe/Kyiv",
    "donetsk": "Europe/Kyiv",
    "luhansk": "Europe/Kyiv",
    "lugansk": "Europe/Kyiv",
    "simferopol": "Europe/Simferopol",
    "minsk": "Europe/Minsk",
    "brest": "Europe/Minsk",
    "gomel": "Europe/Minsk",
    "homel": "Europe/Minsk",
    "vilnius": "Europe/Vilnius",
    "riga": "Europe/Riga",
    "tallinn": "Europe/Tallinn",
    "warsaw": "Europe/Warsaw",
    "krakow": "Europe/Warsaw",
    "chisinau": "Europe/Chisinau",
    "tbilisi": "Asia/Tbilisi",
    "yerevan": "Asia/Yerevan",
    "baku": "Asia/Baku",
    "stepanakert": "Asia/Baku",
    "astana": "Asia/Almaty",
    "almaty": "Asia/Almaty",
    "tashkent": "Asia/Tashkent",
    "bishkek": "Asia/Bishkek",
    "dushanbe": "Asia/Dushanbe",
    "ashgabat": "Asia/Ashgabat",
    # Europe
    "london": "Europe/London",
    "edinburgh": "Europe/London",
    "dublin": "Europe/Dublin",
    "paris": "Europe/Paris",
    "brussels": "Europe/Brussels",
    "amsterdam": "Europe/Amsterdam",
    "the hague": "Europe/Amsterdam",
    "luxembourg": "Europe/Luxembourg",
    "berlin": "Europe/Berlin",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "vienna": "Europe/Vienna",
    "bern": "Europe/Zurich",
    "geneva": "Europe/Zurich",
    "zurich": "Europe/Zurich",
    "davos": "Europe/Zurich",
    "rome": "Europe/Rome",
    "milan": "Europe/Rome",
    "vatican city": "Europe/Vatican",
    "madrid": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "lisbon": "Europe/Lisbon",
    "athens": "Europe/Athens",
    "sofia": "Europe/Sofia",
    "bucharest": "Europe/Bucharest",
    "budapest": "Europe/Budapest",
    "prague": "Europe/Prague",
    "bratislava": "Europe/Bratislava",
    "ljubljana": "Europe/Ljubljana",
    "zagreb": "Europe/Zagreb",
    "belgrade": "Europe/Belgrade",
    "sarajevo": "Europe/Sarajevo",
    "skopje": "Europe/Skopje",
    "tirana": "Europe/Tirane",
    "pristina": "Europe/Belgrade",
    "podgorica": "Europe/Podgorica",
    "copenhagen": "Europe/Copenhagen",
    "oslo": "Europe/Oslo",
    "stockholm": "Europe/Stockholm",
    "helsinki": "Europe/Helsinki",
    "reykjavik": "Atlantic/Reykjavik",
    "istanbul": "Europe/Istanbul",
    "ankara": "Europe/Istanbul",
    "nicosia": "Asia/Nicosia",
    "valletta": "Europe/Malta",
    # Middle East and Africa
    "jerusalem": "Asia/Jerusalem",
    "tel aviv": "Asia/Jerusalem",
    "gaza": "Asia/Gaza",
    "gaza city": "Asia/Gaza",
    "ramallah": "Asia/Hebron",
    "beirut": "Asia/Beirut",
    "damascus": "Asia/Damascus",
    "amman": "Asia/Amman",
    "baghdad": "Asia/Baghdad",
    "tehran": "Asia/Tehran",
    "riyadh": "Asia/Riyadh",
    "doha": "Asia/Qatar",
    "dubai": "Asia/Dubai",
    "abu dhabi": "Asia/Dubai",
    "kuwait city": "Asia/Kuwait",
    "muscat": "Asia/Muscat",
    "sanaa": "Asia/Aden",
    "cairo": "Africa/Cairo",
    "tripoli": "Africa/Tripoli",
    "tunis": "Africa/Tunis",
    "algiers": "Africa/Algiers",
    "rabat": "Africa/Casablanca",
    "khartoum": "Africa/Khartoum",
    "addis ababa": "Africa/Addis_Ababa",
    "nairobi": "Africa/Nairobi",
    "kampala": "Africa/Kampala",
    "kigali": "Africa/Kigali",
    "lagos": "Africa/Lagos",
    "abuja": "Africa/Lagos",
    "accra": "Africa/Accra",
    "dakar": "Africa/Dakar",
    "bamako": "Africa/Bamako",
    "kinshasa": "Africa/Kinshasa",
    "johannesburg": "Africa/Johannesburg",
    "pretoria": "Africa/Johannesburg",
    "cape town": "Africa/Johannesburg",
    # Asia and Oceania
    "kabul": "Asia/Kabul",
    "islamabad": "Asia/Karachi",
    "karachi": "Asia/Karachi",
    "new delhi": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "kolkata": "Asia/Kolkata",
    "dhaka": "Asia/Dhaka",
    "colombo": "Asia/Colombo",
    "kathmandu": "Asia/Kathmandu",
    "beijing": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai",
    "hong kong": "Asia/Hong_Kong",
    "taipei": "Asia/Taipei",
    "tokyo": "Asia/Tokyo",
    "seoul": "Asia/Seoul",
    "pyongyang": "Asia/Pyongyang",
    "ulaanbaatar": "Asia/Ulaanbaatar",
    "bangkok": "Asia/Bangkok",
    "hanoi": "Asia/Bangkok",
    "manila": "Asia/Manila",
    "jakarta": "Asia/Jakarta",
    "kuala lumpur": "Asia/Kuala_Lumpur",
    "singapore": "Asia/Singapore",
    "yangon": "Asia/Yangon",
    "sydney": "Australia/Sydney",
    "canberra": "Australia/Sydney",
    "melbourne": "Australia/Melbourne",
    "wellington": "Pacific/Auckland",
    "auckland": "Pacific/Auckland",
    # Americas
    "washington": "America/New_York",
    "washington, d.c.": "America/New_York",
    "washington, dc": "America/New_York",
    "new york": "America/New_York",
    "boston": "America/New_York",
    "atlanta": "America/New_York",
    "miami": "America/New_York",
    "chicago": "America/Chicago",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "denver": "America/Denver",
    "los angeles": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "ottawa": "America/Toronto",
    "toronto": "America/Toronto",
    "montreal": "America/Toronto",
    "vancouver": "America/Vancouver",
    "mexico city": "America/Mexico_City",
    "havana": "America/Havana",
    "caracas": "America/Caracas",
    "bogota": "America/Bogota",
    "lima": "America/Lima",
    "santiago": "America/Santiago",
    "buenos aires": "America/Argentina/Buenos_Aires",
    "brasilia": "America/Sao_Paulo",
    "sao paulo": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "united nations": "America/New_York",
}

_ACCENTS = str.maketrans("áàâäãåçéèêëíìîïñóòôöõúùûüýÿ", "aaaaaaceeeeiiiinooooouuuuyy")
_SPACES = re.compile(r"\s+")


def _key(name: str) -> str:
    return _SPACES.sub(" ", name.strip().strip(".").lower().translate(_ACCENTS))


def zone_for_place(name: str | None) -> str | None:
    """The IANA zone of a dateline place, or None when the table does not know it.

    Accepts a bare city ("MINSK") or a dateline ("Minsk, Belarus", "Washington, D.C."):
    the whole name is tried first, then each comma-separated part from the left.
    """
    if not name:
        return None
    key = _key(name)
    if key in CITY_ZONES:
        return CITY_ZONES[key]
    for part in key.split(","):
        zone = CITY_ZONES.get(part.strip())
        if zone:
            return zone
    return None


def is_known_place(name: str) -> bool:
    """Whether ``name`` (a city or a dateline) is in the table."""
    return zone_for_place(name) is not None
