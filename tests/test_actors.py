"""The actor table: aliases, transliterations, offices resolved within the document."""

from __future__ import annotations

from datetime import date

import pytest

from timeline_service.extract.actors import ActorTable, load_table
from timeline_service.hookspecs import hookimpl
from timeline_service.plugins import ACTORS_FILES, actor_table, get_plugin_manager

ON = date(2022, 2, 24)


@pytest.fixture(scope="module")
def table() -> ActorTable:
    return load_table()


def names(table: ActorTable, text: str, on: date | None = ON) -> list[str | None]:
    return [h.actor for h in table.find(text, on=on)]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Alexander Lukashenko said", "Aleksandr Lukashenko"),
        ("President Aleksandr Lukashenko told the media", "Aleksandr Lukashenko"),
        ("Alyaksandr Lukashenka was re-elected", "Aleksandr Lukashenko"),
        ("the Donetsk and Lugansk republics", "Luhansk"),
        ("north of Kiev", "Kyiv"),
        ("the Kremlin’s spokesperson", "Kremlin"),
        ("The Kremlin said", "Kremlin"),
        ("Commander-in-Chief of the AFU Valery Zaluzhnyy", "Valerii Zaluzhnyi"),
        ("ask Zelenskyy", "Volodymyr Zelensky"),
        ("the U.S. said", "United States"),
        ("Wagner mercenaries", "Wagner Group"),
    ],
)
def test_aliases_and_transliterations(table: ActorTable, text: str, canonical: str) -> None:
    assert canonical in names(table, text)


def test_whole_words_only(table: ActorTable) -> None:
    assert names(table, "Xiamen and Putinism and us") == []
    assert names(table, "We are allies") == []


def test_an_office_resolves_to_the_holder_named_earlier(table: ActorTable) -> None:
    text = (
        "Minsk said Putin called Lukashenko. He said the Russian leader told him the aim. "
        "The Belarusian president added that his Belarusian counterpart had not called."
    )
    hits = {h.text: h.actor for h in table.find(text, on=ON)}
    assert hits["the Russian leader"] == "Vladimir Putin"
    assert hits["The Belarusian president"] == "Aleksandr Lukashenko"


def test_plural_offices_name_both_holders(table: ActorTable) -> None:
    text = "Putin and Lukashenko. The leaders of Belarus and Russia spoke over the phone."
    roles = [h.actor for h in table.find(text, on=ON) if h.how == "role"]
    assert roles == ["Aleksandr Lukashenko", "Vladimir Putin"]


def test_an_office_nobody_named_resolves_by_date(table: ActorTable) -> None:
    text = "The US president said sanctions would follow."
    assert names(table, text, on=date(2022, 2, 24)) == ["Joe Biden"]
    assert names(table, text, on=date(2018, 6, 1)) == ["Donald Trump"]
    unresolved = table.find(text, on=None)
    assert [(h.actor, h.country) for h in unresolved] == [(None, "United States")]


def test_an_office_is_not_given_to_a_named_person_who_did_not_hold_it(table: ActorTable) -> None:
    text = "Tsikhanouskaya spoke. The Belarusian leader replied."
    hits = {h.text: h.actor for h in table.find(text, on=ON)}
    assert hits["The Belarusian leader"] == "Aleksandr Lukashenko"
    assert hits["Tsikhanouskaya"] == "Sviatlana Tsikhanouskaya"


def test_demonyms_name_countries_and_canonical_keeps_first_reference_order(
    table: ActorTable,
) -> None:
    hits = table.find("Belarusian territory and Russian troops; Belarus again.", on=ON)
    assert table.canonical(hits) == ("Belarus", "Russia")


def test_comparison_widens_offices_and_metonyms(table: ActorTable) -> None:
    expanded, principals = table.comparable(("Vladimir Putin", "Kremlin", "Kyiv"))
    assert {"Russia", "Ukraine"} <= expanded
    assert principals == {"Vladimir Putin", "Kremlin"}


def test_the_table_is_extended_by_files_and_mappings(tmp_path) -> None:
    extra = tmp_path / "more.yaml"
    extra.write_text(
        "actors:\n  - {name: Ihor Klymenko, kind: person, aliases: [Klymenko, Igor Klimenko]}\n",
        encoding="utf-8",
    )
    table = load_table([extra], [{"BelTA": ["Belarusian state news agency Belta", "Belta"]}])
    assert names(table, "Igor Klimenko said, citing Belta") == ["Ihor Klymenko", "BelTA"]


class _AliasPlugin:
    @hookimpl
    def actor_aliases(self) -> dict[str, list[str]]:
        return {"Svetlana Tikhanovskaya Office": ["the opposition office in Vilnius"]}


def test_the_actor_aliases_hook_extends_the_table() -> None:
    pm = get_plugin_manager()
    plugin = _AliasPlugin()
    pm.register(plugin, name="test-actor-aliases")
    try:
        hits = actor_table().find("Later the opposition office in Vilnius said so.")
        assert [h.actor for h in hits] == ["Svetlana Tikhanovskaya Office"]
    finally:
        pm.unregister(plugin)
    assert actor_table().find("Later the opposition office in Vilnius said so.") == []


def test_extra_files_come_from_the_environment(tmp_path, monkeypatch) -> None:
    extra = tmp_path / "env.yaml"
    extra.write_text("actors:\n  - {name: Test Person, aliases: [Testperson]}\n", "utf-8")
    monkeypatch.setenv(ACTORS_FILES, str(extra))
    assert names(actor_table(), "Testperson spoke") == ["Test Person"]
    monkeypatch.delenv(ACTORS_FILES)
    assert names(actor_table(), "Testperson spoke") == []
