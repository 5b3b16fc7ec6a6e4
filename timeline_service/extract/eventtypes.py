"""Event types: a small taxonomy in the spirit of CAMEO's top level, assigned by rules.

=============  ===========================================  ====================
type           what it covers                               CAMEO top level
=============  ===========================================  ====================
statement      public statements, comments, appeals,        01 02 03
               intentions ("will soon decide")
meeting        calls and meetings: phone calls, talks,      04
               visits, summits, negotiations
diplomatic     diplomatic acts: recognition, agreements,    05 06 07 10 16
               treaties, sanctions, aid, declarations
accusation     accusations and denials: accuse, blame,      11 12
               condemn, deny, "not taking part"
threat         threats and warnings                         13
military       military action and posture: invasion,       15 17 18 19 20
               attacks, strikes, shelling, drills
other          a dated happening none of the rules name     --
=============  ===========================================  ====================

Rules (see :func:`classify`): a sentence that reports speech ("X said that ...") is typed
by the speech act, unless its date belongs to the reported content and the content's
first event is asserted (not negated, not future, not modal): then the content's event
type wins ("Minsk said Putin called Lukashenko early on Thursday" is a meeting). Without a
reporting frame the first trigger word decides. Statement, accusation and threat are one
family (all speech acts) for merging; every other type is only compatible with itself.

The trigger lexicon below doubles as the concept vocabulary that merging compares
("take part", "participate" and "get involved" are one concept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.fast_patterns import Caseless, by_first_letter
from ..text.memo import story_cache

TYPES: dict[str, str] = {
    "statement": "Public statement, comment, appeal or stated intention",
    "meeting": "Call or meeting: phone call, talks, visit, summit, negotiations",
    "diplomatic": "Diplomatic act: recognition, agreement, treaty, sanctions, aid, declaration",
    "accusation": "Accusation or denial",
    "threat": "Threat or warning",
    "military": "Military action or posture: invasion, attack, strike, shelling, drills",
    "other": "Another dated happening",
}

SPEECH_TYPES = frozenset({"statement", "accusation", "threat"})
MATERIAL_TYPES = frozenset({"meeting", "military", "diplomatic"})


def family(event_type: str) -> str:
    """The merge family: speech acts merge with each other, other types only with their own."""
    return "speech" if event_type in SPEECH_TYPES else event_type


def compatible(a: str, b: str) -> bool:
    return family(a) == family(b)


# Concept -> (event type it triggers or None, branches over lower-cased text). A concept
# with a type is a trigger; every concept is a merge term. Each branch starts with a
# letter (see ``by_first_letter``); at one position the first branch that matches wins.
_CONCEPTS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "call": (
        "meeting",
        ("telephoned?", "phoned?", "phone call", "calls? with", "the call", "spoke by phone",
         "conversation"),
    ),
    "meet": ("meeting", ("met", "meet(?:s|ing|ings)?", "summit", "talks?(?= with)", "talks",
                         "visit(?:s|ed|ing)?")),
    "discuss": ("meeting", ("discuss(?:es|ed|ing|ion|ions)?", r"negotiat\w*", "consultations?")),
    "invade": ("military", ("invasion", r"invad\w*", "offensive", "incursion")),
    "attack": (
        "military",
        (r"attack\w*", r"assault\w*", "strikes?", "struck", "shell(?:ing|ed|s)", r"bomb\w*",
         "artillery", "airstrikes?", "fir(?:ed|ing) on", "hostilities", "fighting",
         r"clash\w*"),
    ),
    "missile": ("military", ("missiles?", "rockets?", "drones?", "ballistic")),
    "operation": (
        "military",
        ("military operations?", "ground operations?", "special military operations?",
         "combat operations?"),
    ),
    "drills": ("military", ("drills?", "military exercises?", "manoeuvres", "maneuvers")),
    "mobilize": ("military", (r"mobili[sz]\w*", r"deploy\w*", "troop build-?up", r"amass\w*")),
    "recognize": ("diplomatic", (r"recogni(?:[sz]\w*|tions?)", "independence", "sovereignty")),
    "agreement": ("diplomatic", ("agreements?", "treaty", "treaties", "accords?", "deal", "pact")),
    "sanction": ("diplomatic", (r"sanction\w*", r"embargo\w*")),
    "expel": ("diplomatic", (r"expel\w*", r"expuls\w*", "ambassadors?", "embass(?:y|ies)",
                             "diplomats?")),
    "aid": ("diplomatic", ("military aid", "humanitarian aid", "aid package", "support package")),
    "deny": ("accusation", ("den(?:y|ied|ies|ial)", r"refut\w*", r"reject\w*",
                            "dismiss(?:ed|es)?")),
    "accuse": (
        "accusation",
        (r"accus\w*", r"blam\w*", r"condemn\w*", r"slam\w*", r"critici[sz]\w*",
         r"provocation\w*"),
    ),
    "threaten": ("threat", (r"threaten\w*", "warn(?:s|ed|ing)?", "ultimatum")),
    "propose": (
        "statement",
        (r"suggest\w*", r"propos\w*", "urg(?:ed|es|e)", r"appeal\w*", "call(?:ed|s)? for",
         r"offer\w*"),
    ),
    # concepts that are not triggers
    "participate": (
        None,
        ("tak(?:e|es|ing|en) (?:no |an active |any )?(?:part|role)", "took (?:no )?part",
         r"particip\w*", r"involv\w*", "join(?:s|ed|ing)? (?:the|a) war",
         r"send\w* (?:\w+ )?troops"),
    ),
    "troops": (
        None,
        ("troops", "military", "army", "armed forces", "soldiers", "servicem[ae]n", "forces",
         "units", "serviceman"),
    ),
    "war": (None, ("war", "wars", "conflict", "operation", "hostilities")),
    "aim": (None, ("aims?", "goals?", "purpose", "objective")),
    "genocide": (None, ("genocide",)),
    "border": (None, ("borders?", "frontier", "crossings?")),
    "launch": (None, (r"launch\w*", "start(?:ed|s)?", "beg[ai]n")),
    "bloodshed": (None, ("bloodshed", "carnage", "massacre", "slaughter", r"casualt\w*",
                         "deaths?", "killed")),
    "threat": (None, ("threats?", "danger")),
    "ally": (None, ("all(?:y|ies|ied)", "alliance", "union state")),
    "decide": (None, (r"decid\w*", "decision")),
    "negative": (None, ("not", "no", "never", "n't", "nor", "none", "no one")),
}  # fmt: skip

_TRIGGER_ORDER = ("meeting", "military", "diplomatic", "accusation", "threat", "statement")

# One pass over a text finds every concept: the branches in table order, triggers first,
# so "military operation" is an operation before it is "military".
_CONCEPT_BRANCHES, _CONCEPT_OF_GROUP = by_first_letter(
    (name, branch) for name, (_, branches) in _CONCEPTS.items() for branch in branches
)
_CONCEPTS_RE = Caseless(rf"(?<![\w-]){_CONCEPT_BRANCHES}(?![\w-])")
CONCEPT_TYPES: dict[str, str] = {n: t for n, (t, _) in _CONCEPTS.items() if t}


@story_cache(8192)
def concept_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """Every concept word of ``text``: (concept, start, end), in order."""
    names = _CONCEPT_OF_GROUP
    return tuple((names[m.lastindex or 0], m.start(), m.end()) for m in _CONCEPTS_RE.finditer(text))


# "called Lukashenko": a call when a capitalised name follows (not "called for", "so-called").
_CALLED_NAME = re.compile(r"(?<![\w-])called (?=[A-Z][a-z])")
# Words that make the next event not asserted: negation, future, modality, purpose.
_NOT_ASSERTED = re.compile(
    r"(?<![\w-])(?:not|no|never|n't|nor|will|would|could|might|may|can|should|must|shall"
    r"|going to|plans? to|intends? to|wants? to|ready to|soon|unless|if)(?![\w-])",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"(?<![\w-])(?:not|no|never|n't|nor)(?![\w-])|n't", re.IGNORECASE)


@dataclass(frozen=True)
class Trigger:
    concept: str
    type: str
    start: int
    end: int


@story_cache(1024)  # a mention's content is typed, then asked for its head
def triggers(text: str) -> tuple[Trigger, ...]:
    """Every trigger word of ``text``, in order of position."""
    found = [
        Trigger(name, CONCEPT_TYPES[name], start, end)
        for name, start, end in concept_spans(text)
        if name in CONCEPT_TYPES
    ]
    found += [Trigger("call", "meeting", m.start(), m.end()) for m in _CALLED_NAME.finditer(text)]
    found.sort(key=lambda t: (t.start, _TRIGGER_ORDER.index(t.type)))
    return tuple(found)


def asserted(text: str, at: int, window: int = 6) -> bool:
    """Whether the event word at ``at`` is asserted: no negation, future or modal just before."""
    before = text[:at].split()[-window:]
    return _NOT_ASSERTED.search(" ".join(before)) is None


def negated_participation(text: str) -> bool:
    """Denials by content: "not taking part", "no way ... send troops", "never asked"."""
    for name, start, end in concept_spans(text):
        if name != "participate":
            continue
        before = " ".join(text[:start].split()[-8:]) + " " + text[start:end]
        if _NEGATION.search(before):
            return True
    return False


def speech_type(content: str) -> str:
    """The type of a speech act by what it says: accusation, threat or plain statement."""
    kinds = {t.type for t in triggers(content)}
    if "accusation" in kinds or negated_participation(content):
        return "accusation"
    if "threat" in kinds:
        return "threat"
    return "statement"


def _negated(text: str, at: int, window: int = 6) -> bool:
    return _NEGATION.search(" ".join(text[:at].split()[-window:])) is not None


@story_cache(8192)  # pure; a story's sentences recur in its updates and reposts
def classify(content: str, *, reported_speech: bool, date_in_content: bool) -> str:
    """The event type of a sentence (``content``: the reported part, or the whole sentence).

    With reported speech the speech act is typed, unless the date belongs to the content
    and the content's first event is a material one that is not negated.
    """
    found = triggers(content)
    if reported_speech:
        first = found[0] if found else None
        if (
            date_in_content
            and first is not None
            and first.type in MATERIAL_TYPES
            and not _negated(content, first.start)
        ):
            return first.type
        return speech_type(content)
    for kind in _TRIGGER_ORDER:
        if any(t.type == kind and not _negated(content, t.start) for t in found):
            return kind
    return "other"


def called_name(text: str) -> bool:
    """ "called Lukashenko": a phone call named by its verb."""
    return "called " in text and _CALLED_NAME.search(text) is not None


@story_cache(8192)  # pure, as classify
def head(content: str, event_type: str) -> str | None:
    """The concept that names the event itself, which mentions of one event share.

    For a material event, its first trigger of that type ("launched the offensive" ->
    ``invade``; "the launch of four ballistic missiles" -> ``missile``); for a denial by
    content, ``participate``; otherwise None.
    """
    if event_type in MATERIAL_TYPES:
        for trig in triggers(content):
            if trig.type == event_type:
                return trig.concept
        return None
    if event_type == "accusation" and negated_participation(content):
        return "participate"
    return None
