"""The lexicon loader: word groups as lists, groups inside groups, and errors that say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.core.errors import DataFileError
from actions.core.lexicon import phrase_pattern, read_lexicon
from actions.core.triage import load_red_flags

PREGNANCY = {"phrases": ["pregnant"], "not_pregnant": ["not pregnant"]}
FLAG = {"level": "urgent", "reason": "Because.", "sources": ["TEST"]}


def write(tmp_path: Path, groups: dict[str, Any], phrases: list[str], **extra: Any) -> Path:
    data = {
        "groups": groups,
        "concepts": ["test_flag"],
        "flags": {"test_flag": {**FLAG, "phrases": phrases}},
        "pregnancy": PREGNANCY,
        **extra,
    }
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


def concept_file(tmp_path: Path, concepts: Any, flags: dict[str, Any]) -> Path:
    data = {"groups": {"x": ["x"]}, "concepts": concepts, "flags": flags, "pregnancy": PREGNANCY}
    path = tmp_path / "red_flags.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_a_flag_words_a_concept_which_defaults_to_its_own_name(tmp_path: Path) -> None:
    flags = {
        "falls": {**FLAG, "level": "emergency", "phrases": ["fell"]},
        "falls_in_words": {**FLAG, "level": "emergency", "concept": "falls", "phrases": ["tumbled"]},
    }
    lexicon = read_lexicon(concept_file(tmp_path, {"falls": "a fall"}, flags))
    assert [flag.concept for flag in lexicon.flags] == ["falls", "falls"]
    assert lexicon.concepts == {"falls": "a fall"}
    checker = load_red_flags(concept_file(tmp_path, ["falls"], flags))
    assert checker.assess("I tumbled").hits[0].concept == "falls"
    assert checker.concept_level_and_reason("falls") == ("emergency", "Because.")


@pytest.mark.parametrize(
    "concepts,flags,item,field,message",
    [
        (["a"], {"b": {**FLAG, "phrases": ["x"]}}, "b", "concept", "not in the concepts section"),
        (["a", "b"], {"a": {**FLAG, "phrases": ["x"]}}, "concepts.b", "(concept)", "no flag has this concept"),
        (
            ["a"],
            {"a": {**FLAG, "phrases": ["x"]}, "a2": {**FLAG, "level": "emergency", "concept": "a", "phrases": ["y"]}},
            "a2",
            "level",
            "share one level",
        ),
        (["a"], {"a": {**FLAG, "concept": "Not An Id", "phrases": ["x"]}}, "a", "concept", "must be a concept id"),
        ("a", {"a": {**FLAG, "phrases": ["x"]}}, "concepts", "(section)", "must list concept ids"),
    ],
)
def test_concepts_are_checked_against_the_flags(
    tmp_path: Path, concepts: Any, flags: dict[str, Any], item: str, field: str, message: str
) -> None:
    with pytest.raises(DataFileError, match=message) as error:
        read_lexicon(concept_file(tmp_path, concepts, flags))
    assert (error.value.item, error.value.field) == (item, field)


def full_file(tmp_path: Path, **sections: Any) -> Path:
    data = {
        "groups": {"x": ["x"]},
        "zones": {"knee": ["knees?"], "calf": ["calf", "calves"]},
        "concepts": ["a"],
        "flags": {"a": {**FLAG, "phrases": ["x"]}},
        "pregnancy": PREGNANCY,
    }
    for key, value in sections.items():
        if key == "flag":
            data["flags"]["a"].update(value)
        else:
            data[key] = value
    path = tmp_path / "red_flags.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "sections,item,field,message",
    [
        ({"flag": {"rules_out": ["elbow"]}}, "a", "rules_out", "unknown zone 'elbow'"),
        ({"flag": {"rules_out": "knee"}}, "a", "rules_out", "list of zone names"),
        ({"flag": {"only_named_zones": True}}, "a", "only_named_zones", "needs rules_out"),
        ({"flag": {"someone_else": "yes"}}, "a", "someone_else", "true or false"),
        ({"flag": {"within": "paragraph", "all_of": ["x"]}}, "a", "within", "message, sentence, clause"),
        ({"flag": {"within": "clause"}}, "a", "within", "there are none"),
        ({"zones": {"Knee": ["knee"]}}, "zones.Knee", "(zone)", "lower case"),
        ({"zones": {"knee": []}}, "zones.knee", "(zone)", "words that name it"),
        ({"situations": {"s": {"phrases": ["x"], "rules_out": ["knee"]}}}, "s", "advice", "one plain sentence"),
        ({"situations": {"s": {"advice": "Don't.", "phrases": ["x"]}}}, "s", "rules_out", "at least one zone"),
        ({"situations": {"s": {"advice": "Don't.", "rules_out": ["knee"]}}}, "s", "phrases", "phrases or all_of"),
    ],
)
def test_zones_and_situations_are_checked(
    tmp_path: Path, sections: dict[str, Any], item: str, field: str, message: str
) -> None:
    with pytest.raises(DataFileError, match=message) as error:
        read_lexicon(full_file(tmp_path, **sections))
    assert (error.value.item, error.value.field) == (item, field)


def test_a_flag_rules_out_zones_and_a_situation_gives_advice(tmp_path: Path) -> None:
    path = full_file(
        tmp_path,
        flag={"phrases": ["{x} hot"], "rules_out": ["knee", "calf"], "only_named_zones": True},
        situations={"bruise": {"advice": "Leave the bruise be.", "phrases": ["bruised"], "rules_out": ["calf"]}},
    )
    checker = load_red_flags(path)
    assert checker.assess("x hot, my knee").ruled_out == ("knee",)  # the zone named where it was found
    assert checker.assess("x hot").ruled_out == ("knee", "calf")  # none named: all of them
    found = checker.assess("my calf is bruised")
    assert (found.level, found.ruled_out, found.advice) == ("none", ("calf",), ("Leave the bruise be.",))
    assert checker.assess("my calf is not bruised").ruled_out == ()


def test_someone_else_and_within(tmp_path: Path) -> None:
    path = full_file(tmp_path, flag={"phrases": [], "all_of": ["droop\\w*", "face"], "within": "clause"})
    checker = load_red_flags(path)
    assert checker.assess("my face is drooping").level == "urgent"
    assert checker.assess("my face hurts; the plant is drooping").level == "none"  # not in one clause
    # A carer asking about him: his symptoms count. With a complaint of the writer's own,
    # they are his alone, unless the flag counts for anyone present (someone_else).
    assert checker.assess("his face is drooping").level == "urgent"
    assert checker.assess("his face is drooping, and my back is sore").level == "none"
    path = full_file(tmp_path, flag={"phrases": ["face is drooping"], "someone_else": True})
    assert load_red_flags(path).assess("his face is drooping, and my back is sore").level == "urgent"


@pytest.mark.parametrize(
    "phrase,text,found",
    [
        ("numb", "numb", True),
        ("numb", "benumb", False),
        ("'s bad", "it's bad", True),  # starts with a quote: may follow a word
        ("(?:no|'s) x", "piano x", False),
        ("(?:no|'s) x", "it's x", True),
        ("(?:\\d+|a few) weeks", "36 weeks", True),
        ("[4-9] weeks", "36 weeks", False),
        ("(?:very )?ill", "still", False),
        ("\\s+and", "x and", True),
    ],
)
def test_phrase_boundaries_whatever_the_first_character(phrase: str, text: str, found: bool) -> None:
    assert bool(phrase_pattern(phrase, {}).search(text)) is found


def test_classifier_cues_name_known_concepts_and_use_groups(tmp_path: Path) -> None:
    path = write(tmp_path, {"bleed": ["bleed\\w*", "spotting"]}, ["x"], classifier_cues={"test_flag": ["{bleed}"]})
    checker = load_red_flags(path)
    assert checker.classifier_reading_counts("test_flag", "pregnant and spotting")
    assert not checker.classifier_reading_counts("test_flag", "pregnant and my back aches")
    assert checker.classifier_reading_counts("another_concept", "anything")  # no cues: always counts
    with pytest.raises(DataFileError, match="not a concept") as error:
        read_lexicon(write(tmp_path, {}, ["x"], classifier_cues={"no_such_concept": ["x"]}))
    assert error.value.item == "classifier_cues.no_such_concept"
