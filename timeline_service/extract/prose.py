"""Whether a sentence of the body is prose: headings, captions and credits are not, so
they are never mentions."""

from __future__ import annotations

import re

from ..text.memo import story_cache
from .frames import REPORT_VERBS


def _ends_like_sentence(text: str) -> bool:
    """A stop (then closing quotes or brackets) or a closing quote, then only spaces."""
    tail = text.rstrip()
    return tail.endswith(('"', "”", "’")) or tail.rstrip('"”’)]').endswith((".", "!", "?", "…"))


_CAPTION = re.compile(
    r"^(?:(?:A|An|The)\s+)?(?:[\w’'-]+\s+){1,6}(?:patrols|stands|walks|looks"
    r"|attends|arrives|gestures|sits|poses|waits|shakes|rides|fires|passes|carries|inspects"
    r"|greets|leaves|prepares|drives|marches|gathers|watches|mourns|plays|lays|delivers"
    r"|holds|is seen|are seen|stand|walk|pose|gather|march|wait|attend|mourn|ride)\b"
)


@story_cache(8192)  # pure; a story's sentences recur in its updates and reposts
def is_text_sentence(sentence: str) -> bool:
    """A sentence of running text: ends like one and is not a photo caption."""
    words = sentence.split()
    if len(words) < 4 or not _ends_like_sentence(sentence):
        return False
    return not (len(words) <= 30 and _CAPTION.match(sentence) and not REPORT_VERBS.spans(sentence))
