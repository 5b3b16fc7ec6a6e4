"""Limits: the cost of reading a text stays linear in its size."""

from __future__ import annotations

from datetime import date

import pytest

from timeline_service.temporal import find_temporal_expressions
from timeline_service.temporal import tense as tense_module

PUBLISHED = date(2021, 6, 1)


def _run_on(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], int, int]:
    """Find expressions in ``text`` counting the tense reader's work: the size of
    each window it reads, how many windows exceed their cap and how many words it
    weighs as verb-group members."""
    sizes: list[int] = []
    over = 0
    roles = 0
    bounds = tense_module.sentence_bounds
    role = tense_module._word_role

    def recording_bounds(text: str, start: int, end: int) -> tuple[int, int]:
        nonlocal over
        lo, hi = bounds(text, start, end)
        assert lo <= start and end <= hi
        sizes.append(hi - lo)
        over += (hi - lo) > tense_module.window_cap(start, end)
        return lo, hi

    def counting_role(*args, **kwargs):
        nonlocal roles
        roles += 1
        return role(*args, **kwargs)

    monkeypatch.setattr(tense_module, "sentence_bounds", recording_bounds)
    monkeypatch.setattr(tense_module, "_word_role", counting_role)
    found = find_temporal_expressions(text, PUBLISHED)
    assert found
    return sizes, over, roles


@pytest.mark.parametrize(
    "unit", ["the talks were held on 3 March 2021, and ", "officials met on Monday and said "]
)
def test_tense_window_is_capped_without_sentence_breaks(unit, monkeypatch) -> None:
    # One run-on line, no sentence break anywhere: each expression must still
    # be read in a bounded window, not against the whole text.
    text = unit * 2000
    sizes, over, _ = _run_on(text, monkeypatch)
    assert len(sizes) >= 2000
    assert over == 0
    assert max(sizes) <= tense_module.window_cap(0, 40) < 2000


def test_tense_work_grows_linearly_with_the_text(monkeypatch) -> None:
    unit = "reports said the ministers will meet on Monday, after they had talked "
    _, _, small = _run_on(unit * 500, monkeypatch)
    monkeypatch.undo()
    _, _, large = _run_on(unit * 2000, monkeypatch)
    assert small > 0
    assert large <= 5 * small  # 4x the text; quadratic reading would be ~16x


def test_tense_still_read_in_a_long_sentence() -> None:
    filler = "with many words in a run-on clause " * 30
    text = f"The ministers will meet on Friday {filler} and nothing else"
    (friday,) = [e for e in find_temporal_expressions(text, PUBLISHED) if e.text == "Friday"]
    assert friday.tense == "future"
    assert friday.value == "2021-06-04"


def test_large_text_with_few_dates_is_read_once() -> None:
    text = "lorem ipsum dolor sit amet " * 40000 + " on Monday he said " + "x y z " * 1000
    found = find_temporal_expressions(text, PUBLISHED)
    assert [e.text for e in found] == ["Monday"]
    assert found[0].value == "2021-05-31"
