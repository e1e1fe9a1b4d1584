"""The lexicon loader: word groups as lists, groups inside groups, and errors that say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.core.errors import DataFileError
from actions.core.lexicon import read_lexicon
from actions.core.triage import load_red_flags

PREGNANCY = {"phrases": ["pregnant"], "not_pregnant": ["not pregnant"]}
FLAG = {"level": "urgent", "reason": "Because.", "sources": ["TEST"]}


def write(tmp_path: Path, groups: dict[str, Any], phrases: list[str], **extra: Any) -> Path:
    data = {"groups": groups, "flags": {"test_flag": {**FLAG, "phrases": phrases}}, "pregnancy": PREGNANCY, **extra}
    path = tmp_path / "red_flags.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_a_group_is_a_list_of_alternatives_and_may_use_other_groups(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {"pee_words": ["pee", "wee"], "cannot": ["can'?t", "cannot"], "cannot_pee": ["{cannot} {pee_words}"]},
        ["{cannot_pee}"],
    )
    checker = load_red_flags(path)
    assert checker.assess("I can't wee").level == "urgent"
    assert checker.assess("I cannot pee").level == "urgent"
    assert checker.assess("I can wee").level == "none"
    assert read_lexicon(path).groups["cannot_pee"] == "(?:(?:can'?t|cannot) (?:pee|wee))"


def test_regex_counts_in_braces_are_not_group_references(tmp_path: Path) -> None:
    path = write(tmp_path, {"gap": ["(?:\\s+\\w+){0,2}\\s+"]}, ["numb{gap}bum"])
    assert load_red_flags(path).assess("numb round my bum").level == "urgent"


@pytest.mark.parametrize(
    "groups,phrases,item,field,message",
    [
        ({"a": ["x", "{missing}"]}, ["{a}"], "groups.a", "[1]", "unknown group {missing}"),
        ({"a": ["{b}"], "b": ["{a}"]}, ["{a}"], "groups.a", "(group)", "refers to itself"),
        ({"a": ["fine", "bad(("]}, ["{a}"], "groups.a", "[1]", "bad regular expression"),
        ({"a": []}, ["{a}"], "groups.a", "(group)", "non-empty list"),
        ({"a": "x|y"}, ["{a}"], "groups.a", "(group)", "non-empty list"),
        ({"a": ["x", False]}, ["{a}"], "groups.a", "[1]", "non-empty regular expression"),
        ({"a": ["x"]}, ["{nope} y"], "test_flag", "phrases", "unknown group {nope}"),
    ],
)
def test_schema_errors_name_the_file_the_item_and_the_field(
    tmp_path: Path, groups: dict[str, Any], phrases: list[str], item: str, field: str, message: str
) -> None:
    with pytest.raises(DataFileError, match=message) as error:
        read_lexicon(write(tmp_path, groups, phrases))
    assert (error.value.item, error.value.field) == (item, field)
    assert error.value.path.endswith("red_flags.yml")


def test_a_phrase_never_starts_inside_a_word(tmp_path: Path) -> None:
    path = write(tmp_path, {"weeks": ["[4-9] weeks"], "lost": ["no", "lost"]}, ["{weeks}", "{lost} control"])
    checker = load_red_flags(path)
    assert checker.assess("6 weeks").level == "urgent"
    assert checker.assess("I'm 36 weeks pregnant").level == "none"  # not "6 weeks" of pain
    assert checker.assess("no control").level == "urgent"
    assert checker.assess("piano control").level == "none"
