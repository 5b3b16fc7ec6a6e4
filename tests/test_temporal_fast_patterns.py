"""The fast pattern forms find exactly what their plain forms find."""

from __future__ import annotations

import re

import pytest

from timeline_service.extract.eventtypes import _CONCEPTS
from timeline_service.text.fast_patterns import Caseless, WordStarts, by_first_letter, trie

WORDS = ["say", "said", "says", "has learned", "a.m", "am", "an", "u.s.", "q"]
TEXTS = [
    "He said, she says; they say it has learned nothing at 5 a.m. in the U.S. Q1",
    "SAID Says sAiD — AM A.M. an An",
    "Preſident KELVIN \u212a ıstanbul İstanbul: said",
    "ß ẞ ς Σ σ émigré ÉMIGRÉ said",
    "",
]


def test_trie_matches_like_a_flat_alternation_longest_first() -> None:
    flat = re.compile("|".join(re.escape(w) for w in sorted(WORDS, key=lambda w: (-len(w), w))))
    factored = re.compile(trie(WORDS))
    for text in TEXTS:
        assert [m.span() for m in factored.finditer(text)] == [
            m.span() for m in flat.finditer(text)
        ]


def test_by_first_letter_picks_the_branch_a_flat_named_alternation_picks() -> None:
    """The event-type concepts, a table whose branches overlap ("military operation" is an
    operation before it is "military"), against their flat form on every test text."""
    pairs = [(name, branch) for name, (_, branches) in _CONCEPTS.items() for branch in branches]
    flat = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(f"(?P<{name}>{'|'.join(branches)})" for name, (_, branches) in _CONCEPTS.items())
        + r")(?![\w-])"
    )
    body, names = by_first_letter(pairs)
    factored = re.compile(rf"(?<![\w-]){body}(?![\w-])")
    texts = [t.lower() for t in TEXTS] + [
        "the military operation began; russian troops took part in the special military "
        "operation, talks with kyiv and talks. putin telephoned and phoned; no one said not "
        "to send more troops after the phone call, the call with lukashenko was a deal",
    ]
    found = 0
    for text in texts:
        got = [(names[m.lastindex or 0], m.span()) for m in factored.finditer(text)]
        assert got == [(m.lastgroup, m.span()) for m in flat.finditer(text)]
        found += len(got)
    assert found > 12
    assert names[factored.search("special military operation").lastindex or 0] == "operation"


def test_by_first_letter_refuses_branches_it_cannot_factor() -> None:
    for branch in ["(?:tele)?phone", "[ab]c", "a?b", "x(y)", "x(?P<y>z)", r"\w+"]:
        with pytest.raises(ValueError):
            by_first_letter([("n", branch)])


def test_trie_marks_are_tried_after_longer_words() -> None:
    pattern = re.compile(trie(["U.S", "U.S\0", "U.S. Army\0"], {"\0": r"(?!\w)"}))
    assert pattern.match("U.S. Army said").group() == "U.S. Army"
    assert pattern.match("U.S. Navy").group() == "U.S"


@pytest.mark.parametrize(
    "source",
    [
        r"(?<![\w-])(?:said|says|am|president|kelvin|istanbul)(?![\w-])",
        r"(?:,\s*)?(?<![\w-])(?:according to|as per)\s+",
        r"(?P<word>pr[ae]sident\w*)|(?P<other>émigré)",
    ],
)
def test_caseless_finds_what_ignorecase_finds(source: str) -> None:
    fast = Caseless(source)
    plain = re.compile(source, re.IGNORECASE)
    for text in TEXTS + [t.upper() for t in TEXTS] + [t.swapcase() for t in TEXTS]:
        assert [(m.span(), m.lastgroup) for m in fast.finditer(text)] == [
            (m.span(), m.lastgroup) for m in plain.finditer(text)
        ]
        for pos in range(0, len(text) + 1, 7):
            got, want = fast.search(text, pos), plain.search(text, pos)
            assert (got and got.span()) == (want and want.span())


def test_caseless_needles_only_skip_texts_without_a_match() -> None:
    fast = Caseless(r"(?:,\s*)?according to\s+", needles=("according to",))
    assert fast.search("no source here") is None
    match = fast.search("It rose, ACCORDING TO officials")
    assert match is not None and match.span() == (7, 22)


def test_caseless_refuses_upper_case_patterns() -> None:
    with pytest.raises(ValueError):
        Caseless(r"\Wsaid")


@pytest.mark.parametrize("inside", [r"\w", r"\w-", r"\w’'-"])
def test_word_starts_finds_what_a_leading_look_behind_finds(inside: str) -> None:
    source = trie([w + "\0" for w in ["said", "say", "u.s", "us"]] + ["u.s."], {"\0": r"(?!\w)"})
    plain = re.compile(rf"(?<![{inside}]){source}")
    fast = WordStarts(source, inside=inside)
    for text in [*TEXTS, "said U.S.us unsaid re-said 'said’ -say u.s.said", "said"]:
        lowered = text.lower()
        assert fast.spans(lowered) == [m.span() for m in plain.finditer(lowered)]
