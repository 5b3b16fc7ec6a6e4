"""Actors: who an article names, as canonical names, resolved within the document.

The table of names, aliases, transliterations and offices is data
(``data/actors.yaml``), extended by files named in ``TIMELINE_ACTORS_FILES`` and by the
``actor_aliases`` plugin hook. The code only knows the grammar of English news names:

- a name or alias ("Alexander Lukashenko", "Lukashenka", "Kiev", "the Kremlin");
- a title of office ("the Belarusian president", "Russia's leader", "the Presidents of
  Belarus and Russia"), resolved to a person already named in the document who held that
  office on the article's date, else to the table's holder of the office on that date;
- a demonym ("Belarusian territory"), which names the country.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..text.fast_patterns import Caseless, WordStarts, trie

DATA_FILE = Path(__file__).with_name("data") / "actors.yaml"

_WORD_BEFORE = r"(?<![\w’'-])"
_BEFORE_WORD = re.compile(r"[\w’'-]")  # what _WORD_BEFORE rules out
_TOKEN = re.compile(r"\w+")


_END = "\0"  # marks a phrase that must end on a word boundary
_WORD_AFTER = r"(?![\w-])"


#: Office holders remembered by (role, country, day) before the memo starts afresh.
_HOLDERS_LIMIT = 100_000


@dataclass(frozen=True)
class Role:
    """An office held between two dates (``end`` None: still held)."""

    role: str
    country: str
    start: date | None = None
    end: date | None = None

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Actor:
    """A canonical actor: a person, organization, place, group or country."""

    name: str
    kind: str = "person"
    stands_for: str | None = None
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Country:
    name: str
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    leader: str = "head_of_state"


@dataclass(frozen=True)
class ActorHit:
    """One reference to an actor in a text: span, words, and the canonical name (if known).

    ``how`` is ``name``, ``role`` or ``demonym``; ``actor`` is None for an office whose
    holder could not be resolved (then ``country`` still says whose office it is).
    """

    start: int
    end: int
    text: str
    actor: str | None
    how: str
    country: str | None = None


class _Lexicon:
    """Longest matches of a phrase table, whole words only: one prefix-factored regular
    expression, much faster than alternating hundreds of names or looking up n-grams.

    A phrase matches only from the start to the end of whole words; one ending in a
    period ("U.S.") needs no word end after it, but the phrase without its period, when
    also in the table, wins.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = set(phrases)
        keys = []
        for p in self.phrases:
            if not p or not _TOKEN.match(p):
                continue  # a phrase must start on a word
            if _TOKEN.match(p[-1]):
                keys.append(p + _END)
            elif p[-1] == "." and _TOKEN.match(p[-2:]) and p[:-1] not in self.phrases:
                keys.append(p)
        self._pattern = WordStarts(trie(keys, {_END: r"(?!\w)"}))

    def spans(self, text: str) -> list[tuple[int, int]]:
        return self._pattern.spans(text)


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _apostrophes(alias: str) -> set[str]:
    """Both apostrophes, and "the X" capitalised at a sentence start."""
    forms = {alias, alias.replace("'", "’"), alias.replace("’", "'")}
    forms |= {"The" + f[3:] for f in forms if f.startswith("the ")}
    return forms


@dataclass
class ActorTable:
    """The alias table and the office holders; builds its matchers lazily."""

    actors: dict[str, Actor] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    _compiled: tuple[re.Pattern[str], Caseless] | None = field(default=None, repr=False)
    _holders: dict[tuple[str, str, date | None], list[str]] = field(
        default_factory=dict, repr=False
    )
    _comparable: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = field(
        default_factory=dict, repr=False
    )
    _by_alias: dict[str, str] | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- building

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ActorTable:
        table = cls()
        table.add_data(data)
        return table

    def add_data(self, data: Mapping[str, Any]) -> None:
        """Merge a table in the ``actors.yaml`` format (later entries add aliases/roles)."""
        self.titles.update({str(k).lower(): str(v) for k, v in (data.get("titles") or {}).items()})
        for entry in data.get("countries") or ():
            country = Country(
                name=entry["name"],
                demonyms=tuple(entry.get("demonyms") or ()),
                capital=entry.get("capital"),
                leader=entry.get("leader") or "head_of_state",
            )
            self.countries[country.name] = country
            self.add_actor(Actor(country.name, kind="country"), entry.get("aliases") or ())
        for entry in data.get("actors") or ():
            roles = tuple(
                Role(r["role"], r["country"], _date(r.get("from")), _date(r.get("to")))
                for r in entry.get("roles") or ()
            )
            actor = Actor(
                entry["name"],
                kind=entry.get("kind") or "person",
                stands_for=entry.get("stands_for"),
                roles=roles,
            )
            self.add_actor(actor, entry.get("aliases") or ())

    def add_actor(self, actor: Actor, aliases: Iterable[str] = ()) -> None:
        known = self.actors.get(actor.name)
        if known is not None:
            actor = Actor(
                actor.name,
                kind=known.kind if actor.kind == "person" else actor.kind,
                stands_for=actor.stands_for or known.stands_for,
                roles=known.roles + tuple(r for r in actor.roles if r not in known.roles),
            )
        self.actors[actor.name] = actor
        self._comparable.clear()
        self._holders.clear()
        for alias in (actor.name, *aliases):
            for form in _apostrophes(str(alias)):
                self.aliases[form] = actor.name
        self._compiled = None
        self._by_alias = None

    def add_aliases(self, mapping: Mapping[str, Iterable[str]]) -> None:
        """Add ``{canonical: [alias, ...]}`` (the ``actor_aliases`` hook's format)."""
        for name, aliases in mapping.items():
            kind = self.actors[name].kind if name in self.actors else "person"
            self.add_actor(Actor(name, kind=kind), aliases)

    # ---------------------------------------------------------------- matching

    def _patterns(self) -> tuple[re.Pattern[str], Caseless]:
        if self._compiled is not None:
            return self._compiled
        demonyms = {d: c.name for c in self.countries.values() for d in c.demonyms}
        self._demonyms = demonyms
        country_words = dict(demonyms)
        for alias, name in self.aliases.items():
            if name in self.countries:
                country_words[alias] = name
        self._country_words = country_words
        titles = trie(self.titles)
        plural = trie(t + "s" for t in self.titles)
        dem = trie(demonyms)
        ctry = trie(a for a, n in self.aliases.items() if n in self.countries)
        det = r"(?:(?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+)?"
        by_demonym = rf"{det}(?P<dem>{dem})\s+(?i:(?P<t1>{titles}))"
        by_genitive = rf"{det}(?P<gen>{ctry})(?:'s|’s|’|')\s+(?i:(?P<t2>{titles}))"
        by_of = (
            rf"{det}(?i:(?P<t3>{plural}|{titles}))\s+of\s+(?:the\s+)?(?P<of1>{ctry})"
            rf"(?:\s+and\s+(?:the\s+)?(?P<of2>{ctry}))?"
        )
        role = rf"{_WORD_BEFORE}(?:{by_demonym}|{by_genitive}|{by_of}){_WORD_AFTER}"
        self._names = _Lexicon(self.aliases)
        self._demonym_words = _Lexicon(demonyms)
        self._compiled = (
            re.compile(role),
            Caseless(rf"{self._any_title()}{_WORD_AFTER}"),  # after a _WORD_BEFORE
        )
        return self._compiled

    def _any_title(self) -> str:
        """A title or its plural, plurals first: one prefix-factored alternation (which
        the engine can skip through) when that finds the same, as it does unless a title
        continues a plural with another word."""
        plurals = [t + "s" for t in self.titles]
        if any(
            t.startswith(p) and not re.match(r"[\w-]", t[len(p) :])
            for p in plurals
            for t in self.titles
            if len(t) > len(p)
        ):
            return f"(?:{trie(plurals)}|{trie(self.titles)})"
        return f"(?:{trie([*plurals, *self.titles])})"

    def _role_matches(self, text: str) -> list[re.Match[str]]:
        """Office phrases, searched only around title words (a cheap pre-filter)."""
        role_re, title_re = self._patterns()
        found: dict[tuple[int, int], re.Match[str]] = {}
        for t in title_re.word_starts(text, _BEFORE_WORD):
            lo, hi = max(0, t.start() - 80), min(len(text), t.end() + 80)
            for m in role_re.finditer(text, lo, hi):
                if m.start() <= t.start() and t.end() <= m.end():
                    found.setdefault(m.span(), m)
        return [found[k] for k in sorted(found)]

    def _title_role(self, title: str, country: str) -> str:
        word = title.lower()
        if word.endswith("s") and word[:-1] in self.titles:
            word = word[:-1]
        role = self.titles.get(word, "head_of_state")
        if role == "leader":
            return self.countries[country].leader if country in self.countries else "head_of_state"
        return role

    def holders(self, role: str, country: str, on: date | None) -> list[str]:
        """Who held the office on the day (any time, when the day is unknown)."""
        key = (role, country, on)
        found = self._holders.get(key)
        if found is None:
            if len(self._holders) >= _HOLDERS_LIMIT:  # one entry per office and day: bound it
                self._holders.clear()
            found = self._holders[key] = [
                a.name
                for a in self.actors.values()
                if any(r.role == role and r.country == country and r.held_on(on) for r in a.roles)
            ]
        return list(found)

    def holds(self, actor: str, role: str, country: str, on: date | None) -> bool:
        found = self.actors.get(actor)
        return found is not None and any(
            r.role == role and r.country == country and r.held_on(on) for r in found.roles
        )

    def find(self, text: str, *, on: date | None = None) -> list[ActorHit]:
        """Every actor reference in ``text``, offices resolved within the text, in order."""
        self._patterns()
        # (start, end, how, offices as (role, country))
        raw: list[tuple[int, int, str, list[tuple[str, str]]]] = [
            (start, end, "name", []) for start, end in self._names.spans(text)
        ]
        for m in self._role_matches(text):
            offices = []
            if m.group("dem"):
                country = self._demonyms[m.group("dem")]
                offices.append((self._title_role(m.group("t1"), country), country))
            elif m.group("gen"):
                country = self._country_words[m.group("gen")]
                offices.append((self._title_role(m.group("t2"), country), country))
            else:
                for g in ("of1", "of2"):
                    if m.group(g):
                        country = self._country_words[m.group(g)]
                        offices.append((self._title_role(m.group("t3"), country), country))
            # a role phrase may contain a country name ("President of Belarus"): the role wins
            start, end = m.span()
            raw = [r for r in raw if not (start <= r[0] and r[1] <= end)]
            raw.append((start, end, "role", offices))
        taken = bytearray(len(text))  # a demonym counts only outside names and roles
        for start, end, _, _ in raw:
            taken[start:end] = b"\1" * (end - start)
        for start, end in self._demonym_words.spans(text):
            if taken.find(1, start, end) < 0:
                raw.append((start, end, "demonym", []))
        raw.sort()

        named = [(s, self.aliases[text[s:e]]) for s, e, how, _ in raw if how == "name"]
        holding: dict[tuple[str, str], set[str]] = {}  # per office, the named who hold it
        hits: list[ActorHit] = []
        for s, e, how, offices in raw:
            words = text[s:e]
            if how == "name":
                hits.append(ActorHit(s, e, words, self.aliases[words], how))
            elif how == "demonym":
                country = self._demonyms[words]
                hits.append(ActorHit(s, e, words, country, how, country))
            else:
                for role, country in offices:
                    who = self._resolve_office(role, country, s, named, on, holding)
                    hits.append(ActorHit(s, e, words, who, how, country))
        return hits

    def _resolve_office(
        self,
        role: str,
        country: str,
        at: int,
        named: list[tuple[int, str]],
        on: date | None,
        holding: dict[tuple[str, str], set[str]],
    ) -> str | None:
        """Nearest earlier named holder, else any named holder, else the table's holder.

        ``holding`` remembers, per office, which of the ``named`` hold it: a text names
        the same office again and again, and its people each once per office is enough.
        """
        held = holding.get((role, country))
        if held is None:
            people = {n for _, n in named}
            held = {n for n in people if self.holds(n, role, country, on)}
            holding[(role, country)] = held
        if held:
            for pos, name in reversed(named):  # nearest first
                if pos < at and name in held:
                    return name
            for pos, name in named:
                if pos >= at and name in held:
                    return name
        if on is not None:
            holders = self.holders(role, country, on)
            if len(holders) == 1:
                return holders[0]
        return None

    def canonical(self, hits: Iterable[ActorHit]) -> tuple[str, ...]:
        """The distinct actors of some hits, in order of first reference.

        An unresolved office counts as its country; a person named by a role phrase does
        not also add the country.
        """
        seen: dict[str, None] = {}
        for hit in hits:
            name = hit.actor or hit.country
            if name:
                seen.setdefault(name, None)
        return tuple(seen)

    def expand(self, names: Iterable[str]) -> set[str]:
        """The names plus what they stand for ("Kremlin" -> also "Russia"), for comparing."""
        out = set()
        for name in names:
            out.add(name)
            actor = self.actors.get(name)
            if actor is not None and actor.stands_for:
                out.add(actor.stands_for)
        return out

    def comparable(self, names: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
        """What merging compares: the actors widened to what they stand for and to the
        countries of their offices, and the principals (people, organizations, groups)."""
        cached = self._comparable.get(names)
        if cached is None:
            expanded = self.expand(names)
            for name in names:
                actor = self.actors.get(name)
                if actor is not None:
                    expanded |= {r.country for r in actor.roles}
            principals = frozenset(
                n for n in names if self.kind(n) in ("person", "organization", "group")
            )
            cached = self._comparable[names] = (frozenset(expanded), principals)
        return cached

    def canonical_name(self, name: str) -> str | None:
        """The canonical name an alias or a canonical name stands for, whatever its case
        ("Lukashenka", "the kremlin"); None when the table does not know it."""
        if self._by_alias is None:
            index = {alias.casefold(): canon for alias, canon in self.aliases.items()}
            index.update({canon.casefold(): canon for canon in self.actors})
            self._by_alias = index
        return self._by_alias.get(name.strip().casefold())

    def kind(self, name: str) -> str:
        actor = self.actors.get(name)
        return actor.kind if actor else "person"


def load_table(
    extra_files: Iterable[str | os.PathLike[str]] = (),
    extra_aliases: Iterable[Mapping[str, Iterable[str]]] = (),
) -> ActorTable:
    """The built-in table, plus YAML/JSON files in the same format, plus alias mappings."""
    table = ActorTable.from_data(yaml.load(DATA_FILE.read_text("utf-8"), Loader=_LOADER))
    for path in extra_files:
        table.add_data(yaml.load(Path(path).read_text("utf-8"), Loader=_LOADER) or {})
    for mapping in extra_aliases:
        table.add_aliases(mapping)
    return table


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
