"""Regular expressions shaped for the speed of Python's engine.

- A word list as one prefix-factored alternation: the engine tries the branches of
  ``a|b|c`` one by one at every position, so a flat list of a few hundred words costs
  several times more than the same list factored by common prefixes.
- Named alternatives factored by first letter (:func:`by_first_letter`): each
  alternative in a group is entered before its first letter is compared, so a list of
  grouped alternatives costs as much at every word as trying them all.
- Case-insensitive matching as case-sensitive matching of the lower-cased text, which
  runs about twice as fast and finds exactly the same spans (see :class:`Caseless`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping


def trie(words: Iterable[str], marks: Mapping[str, str] | None = None) -> str:
    """An alternation of ``words`` that prefers the longest match, like a flat
    alternation sorted longest first.

    A character in ``marks`` is emitted as its pattern (say, a boundary assertion) rather
    than literally, and is tried after the longer literal continuations.
    """
    marks = marks or {}
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [
            (marks[ch] if ch in marks else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items(), key=lambda item: (item[0] in marks, item[0]))
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(tree)


_CAPTURING = re.compile(r"(?<!\\)\((?:(?!\?)|\?P<)")  # "(" that opens a capturing group


def by_first_letter(branches: Iterable[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """One alternation of named ``(name, branch)`` pairs, factored by first letter.

    It finds what the flat ``(?P<a>b1|b2)|(?P<b>b3)`` finds: the first branch, in the given
    order, that matches at a position. But the engine compares one letter to pick the
    branches that may match there, instead of entering every group. Each branch starts
    with a letter that is matched literally and has no capturing group of its own.

    Returns the pattern (a non-capturing group) and the names of its groups: the branch
    that matched is ``names[m.lastindex]`` when the pattern holds the match's only groups.
    """
    runs: dict[str, list[tuple[str, list[str]]]] = {}
    for name, branch in branches:
        if not (branch[:1].isalpha() and branch[1:2] not in ("?", "*", "{")):
            raise ValueError(f"a branch starts with a literal letter: {branch!r}")
        if _CAPTURING.search(branch):
            raise ValueError(f"a branch has no capturing group: {branch!r}")
        letter_runs = runs.setdefault(branch[0], [])
        if not letter_runs or letter_runs[-1][0] != name:
            letter_runs.append((name, []))
        letter_runs[-1][1].append(branch[1:])
    names: list[str] = [""]  # group 0 is the whole match
    parts = []
    for letter, letter_runs in runs.items():
        groups = []
        for name, rests in letter_runs:
            names.append(name)
            groups.append("(" + "|".join(rests) + ")")
        parts.append(re.escape(letter) + "(?:" + "|".join(groups) + ")")
    return "(?:" + "|".join(parts) + ")", tuple(names)


_WORD_CHAR = re.compile(r"\w")


def word_starts(
    pattern: re.Pattern[str], text: str, inside: re.Pattern[str] = _WORD_CHAR
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text`` that no character matching ``inside`` comes
    just before: what ``finditer`` finds with the look-behind ``(?<!\\w)`` (by default)
    in front of the pattern. It is checked here rather than in the pattern because a
    leading look-behind stops the engine from skipping ahead to the pattern's first
    letters, which is most of its speed.

    ``pattern`` must start with a word character and never match the empty string.
    """
    search = pattern.search
    pos = 0
    while (m := search(text, pos)) is not None:
        start = m.start()
        if start and inside.match(text, start - 1):  # mid-word: try one further on
            pos = start + 1
            continue
        yield m
        pos = m.end()


class WordStarts:
    """``pattern`` where a word starts: the spans ``finditer`` finds for
    ``(?<![inside])pattern``, found faster.

    With the look-behind in front, the engine tries the pattern at every position; here it
    scans for the character just before a word (one not in ``inside``: a set it skips
    through, and far rarer than letters) and matches the pattern right after it.
    ``pattern`` must start with a character in ``inside`` and never match the empty
    string.
    """

    def __init__(self, pattern: str, inside: str = r"\w") -> None:
        self.pattern = pattern
        self._first = re.compile(pattern)
        self._after = re.compile(rf"[^{inside}]({pattern})")

    def spans(self, text: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        pos = 0
        if (m := self._first.match(text)) is not None:  # a word at the very start
            pos = m.end()
            found.append((0, pos))
        search = self._after.search
        # From one back: a match ending in a non-word character ("U.S.") leaves that
        # character to start the next word after it.
        while (m := search(text, max(0, pos - 1))) is not None:
            start, pos = m.span(1)
            found.append((start, pos))
        return found


# The only characters that lower-casing lengthens (U+0130) or that case-insensitive
# matching pairs with an ASCII letter other than its own upper case (U+0131, U+017F,
# U+212A). In a text without them, lower-casing keeps every offset, turns a character
# into an ASCII letter only if it is that letter in either case, and keeps word
# characters word characters.
_UNFOLDABLE = "\u0130\u0131\u017f\u212a"


class Caseless:
    """A case-insensitive pattern that runs on the lower-cased text where that is exact.

    The pattern must be written in lower case (no ``\\W``, ``\\S``, ``\\B``). A pattern
    with a non-ASCII letter always runs case-insensitively on the text as it is. The
    matches' offsets are those of the original text; their groups are lower-cased.

    ``needles`` (lower case), when given, are words one of which every match contains: a
    text without any of them is passed over without running the pattern, for patterns
    that the engine cannot skip through quickly (one starting with an optional part).
    """

    def __init__(self, pattern: str, needles: tuple[str, ...] = ()) -> None:
        bare = re.sub(r"\(\?P[<=]", "(", pattern)  # group syntax aside
        if bare != bare.lower():
            raise ValueError(f"a Caseless pattern is written in lower case: {pattern!r}")
        self.pattern = pattern
        self.needles = needles
        self._exact = re.compile(pattern, re.IGNORECASE)
        uncased = all(c.isascii() or c.upper() == c == c.casefold() for c in pattern)
        self._folded = re.compile(pattern) if uncased else None

    def _pick(self, text: str) -> tuple[re.Pattern[str] | None, str]:
        """The pattern to run and the text to run it on; no pattern: no match.

        Plain loops rather than ``any()`` over generators: this runs for every sentence.
        """
        if self._folded is None:
            return self._exact, text
        if not text.isascii():  # an ASCII text has none of them (and the check is free)
            for c in _UNFOLDABLE:
                if c in text:
                    return self._exact, text
        lowered = text.lower()
        if self.needles:
            for n in self.needles:
                if n in lowered:
                    break
            else:
                return None, lowered
        return self._folded, lowered

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        pattern, subject = self._pick(text)
        if pattern is None:
            return None
        return pattern.search(subject, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern, subject = self._pick(text)
        return iter(()) if pattern is None else pattern.finditer(subject)

    def word_starts(
        self, text: str, inside: re.Pattern[str] = _WORD_CHAR
    ) -> Iterator[re.Match[str]]:
        """:func:`word_starts`, case-insensitively (``inside`` sees the lower-cased text)."""
        pattern, subject = self._pick(text)
        return iter(()) if pattern is None else word_starts(pattern, subject, inside)
