"""The red-flag checker: negation, time, other people, combinations, pregnancy, and its figures."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.core.errors import DataFileError
from actions.core.safety import remembered_facts, turn_assessment
from actions.core.triage import (
    RED_FLAGS_FILE,
    Assessment,
    Facts,
    about_someone_else,
    concept_level_and_reason,
    default_checker,
    load_red_flags,
    normalise,
)
from scripts.triage_report import SETS, load_cases, turns_of

CHECK = default_checker()


def level(text: str, known: Facts | None = None) -> str:
    return CHECK.assess(text, known).level


def test_the_issue_examples() -> None:
    assert level("my back hurts and I can't feel anything when I wipe") == "emergency"
    assert level("no numbness, just a stiff lower back") == "none"
    result = CHECK.assess("I'm 30 weeks pregnant and my lower back aches")
    assert result.level == "none" and result.facts.pregnant is True and result.facts.pregnancy_weeks == 30


@pytest.mark.parametrize(
    "text",
    [
        "no numbness down there, my back is just stiff",
        "my bladder is fine, it's only my neck",
        "I don't have a fever, just tight shoulders",
        "not after a fall, it came on slowly",
        "had a fever last year, this is a new crick in my neck",
        "my dad had a stroke, I just have a headache from stress",
    ],
)
def test_denied_past_and_other_people_do_not_raise_flags(text: str) -> None:
    assert level(text) == "none", CHECK.assess(text).hits


def test_negation_in_one_clause_does_not_cancel_a_flag_in_another() -> None:
    assert level("no fever, but I can't feel my bum when I wipe") == "emergency"


def test_cancer_history_counts_even_when_it_was_years_ago() -> None:
    assert level("I had breast cancer five years ago and now my back hurts") == "urgent"


def test_combination_flags_need_every_part() -> None:
    assert level("headache, a fever of 39 and a stiff neck") == "emergency"
    assert level("headache and a stiff neck") == "none"
    assert level("I have osteoporosis and slipped on the stairs, back hurts") in ("urgent", "emergency")
    assert level("I slipped on the ice, my back is sore") == "none"


def test_facts_from_earlier_turns_complete_a_flag() -> None:
    assert level("I've started bleeding") == "none"
    # in pregnancy, any bleeding means the midwife now (table B); heavy bleeding is table A
    assert level("I've started bleeding", Facts(pregnant=True)) == "urgent"
    assert level("I've started bleeding heavily", Facts(pregnant=True)) == "emergency"
    # a minor fall at 70 or over can break a bone (table A)
    assert level("I slipped in the garden and my back aches", Facts(age=78)) == "emergency"
    assert level("I slipped in the garden and my back aches", Facts(age=48)) == "none"


def test_parse_data_round_trip_gives_the_same_answer_in_both_processes() -> None:
    parse_data = {"triage": CHECK.candidates("I've started bleeding heavily").as_dict()}
    assert turn_assessment(parse_data, remembered_facts("pregnant", None)).level == "emergency"
    assert turn_assessment(parse_data, remembered_facts("not_pregnant", None)).level == "none"
    assert Assessment.from_dict("garbage").level == "none"


def test_a_hit_names_its_concept_and_keeps_it_through_parse_data() -> None:
    hits = CHECK.assess("seventy-six, had a fall at home on Tuesday, lower back sore").hits
    assert [(hit.flag, hit.concept, hit.level) for hit in hits] == [
        ("older_fall_fracture_age_in_words", "older_fall_fracture", "emergency")
    ]
    again = Assessment.from_dict(CHECK.assess("I'm 67 and this back pain is new").as_dict())
    assert [(hit.flag, hit.concept) for hit in again.hits] == [("new_pain_over_50", "new_pain_age")]


def test_level_and_reason_of_a_concept() -> None:
    assert concept_level_and_reason("meningitis_signs")[0] == "emergency"
    assert concept_level_and_reason("pregnancy_warning_signs")[0] == "urgent"
    level_, reason = CHECK.concept_level_and_reason("older_fall_fracture")
    assert level_ == "emergency" and "A&E" in reason
    with pytest.raises(KeyError):
        CHECK.concept_level_and_reason("hay_fever")


def test_age_is_read_but_pregnancy_weeks_are_not_an_age() -> None:
    assert CHECK.facts_in("I'm 67 and my back hurts").age == 67
    assert CHECK.facts_in("I'm 30 weeks pregnant").age is None


def test_the_age_of_someone_else_is_not_the_users() -> None:
    assert CHECK.facts_in("my 76 year old mum fell last week, I hurt my back lifting her").age is None
    assert CHECK.facts_in("looking after my 80-year-old dad; I'm 45 and my back aches").age == 45
    assert level("my 76 year old mum fell last week and I hurt my back lifting her") == "none"


def test_a_decimal_point_does_not_split_a_clause() -> None:
    assert level("my back is killing me and I've got a 38.5 temp") == "urgent"
    assert level("my back is killing me and my temp is 38.5") == "urgent"
    assert level("my back hurts. no fever") == "none"


def test_every_flag_has_a_reason_and_a_source() -> None:
    for flag in CHECK.flags:
        assert flag.reason and flag.sources, flag.name


def test_broken_lexicon_names_the_file_flag_and_field(tmp_path: Path) -> None:
    data = yaml.safe_load(RED_FLAGS_FILE.read_text(encoding="utf-8"))
    data["flags"]["fever"]["level"] = "soonish"
    path = tmp_path / "red_flags.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_red_flags(path)
    assert (error.value.item, error.value.field) == ("fever", "level") and "red_flags.yml" in str(error.value)


@pytest.mark.parametrize(("flag", "value"), [("one_leg_neuro", "paragraph"), ("bowel_loss", "message")])
def test_unless_within_must_be_a_scope_and_needs_unless_phrases(tmp_path: Path, flag: str, value: str) -> None:
    data = yaml.safe_load(RED_FLAGS_FILE.read_text(encoding="utf-8"))
    data["flags"][flag]["unless_within"] = value  # bowel_loss has no unless phrases
    path = tmp_path / "red_flags.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_red_flags(path)
    assert (error.value.item, error.value.field) == (flag, "unless_within")


def test_bad_regex_is_reported_not_crashed(tmp_path: Path) -> None:
    data = yaml.safe_load(RED_FLAGS_FILE.read_text(encoding="utf-8"))
    data["flags"]["fever"]["phrases"] = ["fever(("]
    path = tmp_path / "red_flags.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError, match="fever"):
        load_red_flags(path)


def test_case_file_is_large_and_varied() -> None:
    cases = load_cases(SETS["development"])
    texts = [" | ".join(turns_of(c)).strip().lower() for c in cases]
    assert len(cases) >= 150 and len(set(texts)) == len(texts)


def test_a_carer_asking_for_someone_else_gets_their_red_flags_read() -> None:
    # The person being helped is the dad: his symptoms are the ones that count.
    assert level("my dad can't pee and his back is killing him") == "emergency"
    assert level("his face is drooping and his words are coming out wrong") == "emergency"
    # The writer's own complaint makes another person's history theirs alone.
    assert level("my mum had cancer, I just have a stiff neck") == "none"
    assert level("my son has a fever and my back hurts from carrying him") == "none"
    assert about_someone_else("my 80 year old mum fell and can't get up")
    assert not about_someone_else("my husband had a stroke and my back aches")


@pytest.mark.parametrize(
    "text",
    [
        # relatives named in dialect or another language, then the writer's own ache
        "ma granny had bowel cancer, ah've just got a sore neck",
        "me ma's got a kidney infection, I've a stiff back from the bus",
        "tito ko may lymphoma, ako naman masakit lang ang likod",
        "Dadi is on chemo, meri kamar dukh rahi hai",
        "Aunty had a DVT last month, my shoulders are tight from driving her about",
        "a friend of mine collapsed at work, my neck is stiff from worrying",
        # the writer's complaint found even after a mention of the other person's back
        "I'm his carer and my shoulders ache, he had a stroke",
        "ma brother's on chemo, ah'm fine masel, jist ma shooders are sore",
        "my uncle had a kidney infection, I've just got a bit of a stiff neck",
        "mi gato tiene un tumor, y yo tengo dolor de espalda",
    ],
)
def test_a_relatives_illness_is_not_the_writers_own_ache(text: str) -> None:
    assert level(text) == "none", CHECK.assess(text).hits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cancer is my star sign, my shoulders carry all my stress", "none"),
        ("I help at a cancer charity shop and my back aches from the bags", "none"),
        ("I had cancer two years ago and my back hurts now", "urgent"),
        ("cabin fever after a week indoors, my neck is stiff", "none"),
        ("I've got a fever and my lower back hurts", "urgent"),
        ("nearly had a stroke when I saw the bill, my shoulders are tight", "none"),
        ("I think I'm having a stroke, my back hurts", "emergency"),
        ("my legs went to jelly with the nerves before the interview, now my neck aches", "none"),
        ("my legs have gone to jelly and my back is killing me", "emergency"),
        ("my foot went dead on the bus. It's fine now, just my neck is stiff", "none"),
        ("my left leg went to sleep and it still hasn't woken up, my back aches", "urgent"),
        ("pins and needles down my right leg for a week, my back aches", "urgent"),
        # negation and time words of dialects and other languages
        ("mi knee nuh swell, nuh hot, jus mi back tight", "none"),
        ("calf non-tender after the flight, hip a bit sore", "none"),
        ("can't stop shivering and my back is killing me", "urgent"),
        ("had a hot swollen ankle a while ago, it's my neck now", "none"),
        ("do saal pehle pregnancy mein bleeding hui thi, meri kamar dukhti hai", "none"),
        ("had a lump on my back, got it removed, now just a stiff neck", "none"),
        ("coughing doesn't hurt, only bending does", "none"),
        ("nowhere near the worst headache of my life, just tension", "none"),
        ("out of nowhere a tearing pain through to my back", "emergency"),
        ("checked the red flags, legs fine, back stiff after a long flight", "none"),
        ("I'm a nurse, so I see incontinence every shift, and my back aches", "none"),
        ("I've got incontinence since my back went", "emergency"),
        ("my back hurts like a knife when I cough", "urgent"),
        ("lost weight when I was ill but it's back on now, stiff shoulders", "none"),
    ],
)
def test_lookalikes_denials_and_past_do_not_raise_flags_but_the_real_thing_does(text: str, expected: str) -> None:
    assert level(text) == expected, CHECK.assess(text).hits


def test_a_carers_pregnant_relative_counts_as_pregnant() -> None:
    assert level("my sister is pregnant and bleeding heavily and her back hurts") == "emergency"
    assert level("my sister is pregnant, I just have a stiff neck") == "none"


def test_a_relatives_age_counts_when_asking_for_them() -> None:
    assert CHECK.facts_in("my 76 year old mum has a stiff back").age == 76
    assert CHECK.facts_in("my 76 year old mum is fine, my back is stiff").age is None


# The label ids of the classifier that sits beside the lexicon: each is a concept of the lexicon.
EMERGENCY_LABELS = (
    "saddle_numbness", "bladder_retention_or_loss", "bowel_loss", "both_legs", "leg_weakness_worsening",
    "sexual_dysfunction_new", "major_trauma", "older_fall_fracture", "chest_pain", "tearing_pain", "collapse_faint",
    "sepsis_signs", "thunderclap_headache", "meningitis_signs", "stroke_signs", "head_injury", "pregnancy_emergency",
)  # fmt: skip
URGENT_LABELS = (
    "fever", "kidney_infection_signs", "infection_risk", "recent_infection_or_wound", "cancer_history", "weight_loss",
    "night_pain", "lump_or_deformity", "cough_sneeze_pain", "band_pain_upper_back", "one_leg_neuro", "not_improving",
    "widespread_pain_unwell", "new_pain_age", "pregnancy_warning_signs", "possible_dvt", "hot_swollen_joint",
)  # fmt: skip


def test_every_classifier_label_is_a_concept_with_its_level() -> None:
    assert set(CHECK.concepts) == set(EMERGENCY_LABELS) | set(URGENT_LABELS)
    for label in EMERGENCY_LABELS:
        assert concept_level_and_reason(label)[0] == "emergency", label
    for label in URGENT_LABELS:
        assert concept_level_and_reason(label)[0] == "urgent", label
    for flag in CHECK.flags:
        assert flag.level == concept_level_and_reason(flag.concept)[0], flag.name


def test_signs_of_a_stroke_or_a_child_with_meningitis_count_when_told_by_someone_else() -> None:
    assert level("my husband's face is drooping on one side") == "emergency"
    assert level("my toddler has a rash that doesn't fade under a glass") == "emergency"
    assert level("my mum had a stroke and I'm stressed, my shoulders are in knots") == "none"
    assert level("my dad's face was drooping and he's in hospital now being looked after") == "none"


def test_a_clot_in_the_leg_or_a_hot_joint_rules_out_points_there() -> None:
    dvt = CHECK.assess("my left calf is swollen, red and warm since a long flight")
    assert dvt.level == "urgent" and {hit.concept for hit in dvt.hits} == {"possible_dvt"}
    assert dvt.ruled_out == ("leg", "thigh", "calf", "knee", "ankle", "foot")
    joint = CHECK.assess("my knee is hot, red and swollen")
    assert [hit.concept for hit in joint.hits] == ["hot_swollen_joint"] and joint.ruled_out == ("knee",)


def test_a_situation_rules_out_points_without_a_doctor_and_survives_parse_data() -> None:
    injury = CHECK.candidates("sprained my ankle yesterday, it's swollen and bruised")
    assert injury.level == "none" and injury.ruled_out == ("ankle", "foot") and len(injury.advice) == 1
    again = Assessment.from_dict(injury.as_dict())
    assert (again.ruled_out, again.advice) == (injury.ruled_out, injury.advice)
    veins = turn_assessment({"triage": CHECK.candidates("I have varicose veins").as_dict()}, Facts())
    assert veins.ruled_out == ("calf", "knee") and veins.level == "none"
    assert CHECK.assess("my back is stiff").ruled_out == () and CHECK.assess("my back is stiff").advice == ()


def test_the_whole_message_prefilter_never_changes_what_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_possible` only skips flags that cannot match; reading every clause of every flag
    must find exactly the same on the development and held-out messages."""
    import actions.core.triage as triage

    texts = [text for name in ("development", "held-out") for case in load_cases(SETS[name])
             for text in (*turns_of(case), "\n".join(turns_of(case)))]  # fmt: skip
    fast = [(a.hits, a.situations) for a in map(CHECK.candidates, texts)]
    monkeypatch.setattr(triage, "_possible", lambda *_: True)
    slow = [(a.hits, a.situations) for a in map(CHECK.candidates, texts)]
    assert fast == slow


def test_every_zone_a_message_names_reaches_zones_the_catalogue_uses() -> None:
    from actions.core.catalogue import load_catalogue

    point_zones = set(load_catalogue().zones)
    for zone, targets in CHECK.lexicon.reach.items():
        assert targets and set(targets) <= point_zones, zone


def test_a_fresh_back_injury_rules_out_back_points_and_an_ankle_one_the_foot_too() -> None:
    back = CHECK.candidates("fell off the step yesterday and my back is swollen and bruised")
    assert set(back.ruled_out) == {"lower_back", "upper_back"}
    ankle = CHECK.candidates("went over on my ankle at netball, it's ballooned")
    assert ankle.ruled_out == ("ankle", "foot")


@pytest.mark.parametrize(
    "said",
    [
        "there was a radio programme about sepsis this morning, anyway my neck is stiff",
        "my sister asked if I had any numbness down below, I don't, my back is just stiff",
        "I had a kidney infection once, but that was years ago, now it's just my stiff back",
        "koi tingling nahi hai, bas kamar mein dard",  # Hindi: no tingling, just back pain
        "pins and needles in my foot after kneeling, gone in a minute, my knee aches though",
        "the crowd was at fever pitch and I jumped so much my calves ache",
        "got home and collapsed into an armchair, my back is stiff from the drive",
        "can't feel my legs after leg day, any points for sore quads",
        # 2026-12-03 (development set 3): a pet, a story, a what-if, an illness that is over
        "my cat has a fever, poor thing. my own back is stiff from cleaning up after her",
        "in the TV series the man had chest pain and died, so I worry, but my issue is a stiff neck",
        "what if I got a fever while doing acupressure, would that be bad? my shoulders ache",
        "I had a chest infection with a fever at christmas, fully better now, my back aches",
        "when i was like 11 i had a fever and a stiff neck, now my neck is just sore from my desk",
        "I read about a man whose back pain was cancer and it spooked me, my back is just stiff from rowing",
        "I've got World Cup fever, up all night watching, and my neck is stiff from the sofa",
        "my phone autocorrected 'fever' to 'forever', anyway my lower back aches",
    ],
)  # fmt: skip
def test_hearsay_passing_moments_and_lookalikes_raise_no_flag(said: str) -> None:
    assert level(said) == "none"


@pytest.mark.parametrize(
    "said,expected",
    [
        ("I was watching TV and now I can't feel my bum when I wipe", "emergency"),
        ("pins and needles in both legs and it's not going away", "emergency"),
        ("I've had a fever since yesterday and my back is killing me", "urgent"),
        ("my dog jumped up, I fell over and now I can't feel my bum when I wipe", "emergency"),
        ("I've had a fever for two days and I'm no better now, my back is killing me", "urgent"),
        ("I've got a fever with the chills and my back is aching", "urgent"),
        # 2026-12-03 (development set 2's misses): clinical weakness, a crush, an age said "being 80"
        ("physio note: reduced power in the left leg, worse since this morning, lumbar pain", "emergency"),
        ("the bookcase fell on top of me and pinned me down for ten minutes, my back is sore", "emergency"),
        ("being 82 I should know better, I lifted the coal scuttle and my back went", "emergency"),
    ],
)  # fmt: skip
def test_the_same_words_about_the_person_now_still_count(said: str, expected: str) -> None:
    assert level(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "Fever? Chills? Nope, just six hours of flat-pack furniture. Back is wrecked.",
        "Numb down there? no. Peeing? nah all normal, just a stiff lower back",
        "Worst headache of my life? No, this is a boring screen headache that crept in after lunch.",
        "Lost weight? I wish. My back is sore from the gym.",
        # the denial added must not make a flag of its own ("no bladder control")
        "Numb down there? No. Bladder control? Nope, all fine, just a stiff back",
    ],
)
def test_a_red_flag_asked_back_and_answered_no_is_denied(said: str) -> None:
    assert level(said) == "none"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # a real question to the assistant, or a doubt, is no denial
        ("Could this be a stroke? no idea, my face is drooping on one side", "emergency"),
        ("Fever? yes, 39.2 and shivering, and my back is killing me", "urgent"),
        ("numb down there? yes since this morning, and my back hurts", "emergency"),
    ],
)
def test_a_red_flag_asked_back_and_answered_yes_still_counts(said: str, expected: str) -> None:
    assert level(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "my sis had a kidney infection n was SO ill but thats her not me, mine is just the calf cramps",
        "mum - breast cancer, 2014, all clear. me: shoulders tight. stress. points pls",
    ],
)
def test_the_writer_saying_it_is_not_them_makes_a_relatives_illness_theirs(said: str) -> None:
    assert level(said) == "none"


@pytest.mark.parametrize(
    "said",
    [
        "numb bum after a 50 mile bike ride, it came back after like 20 mins off the bike. quads sore now",
        "I passed out once in high school during a heat wave, never again. My lower back is killing me",
        "I had a bad kidney infection in the 1990s with fevers. My old back is grumbling again",
        "My cancer scare in 2022 was a benign mole. Back's sore from the gym now.",
        "my legs are jelly after parkrun, walking about fine, just achy thighs",
    ],
)
def test_feeling_that_came_back_a_decade_ago_a_scare_and_tired_legs_raise_no_flag(said: str) -> None:
    assert level(said) == "none"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("my bum has been numb since yesterday and it hasn't come back, back is agony", "emergency"),
        ("the numbness down there came back after my op and my back hurts", "emergency"),
        ("had breast cancer in 2019 and now new back pain", "urgent"),
        ("legs like jelly since this morning and getting weaker, back pain", "emergency"),
    ],
)
def test_the_same_flags_now_still_count(said: str, expected: str) -> None:
    assert level(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "I have no fever, no problem with urine, and my legs are not numb. My lower back hurts after carrying a sofa",
        "im a nurse on the sepsis team, not me with sepsis, i just have sore feet from 12 hr shifts",
        "FHx: father died of ruptured AAA aged 70. Me: 41M, tension-type headache. Acupressure?",
        "The weak stream from our ancient shower means I hunch under it every morning, and my neck is stiff",
        "my grandad had a stroke but hes doing ok now. im 13 and i get headaches after screen time",
        "mi neck stiff from di drive, mafi fever, what to press",
        "My legs gave way to the pull of the sofa all weekend. Now my lower back is stiff.",
    ],
)
def test_a_denied_state_a_team_a_family_history_and_idioms_raise_no_flag(said: str) -> None:
    assert level(said) == "none"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("my legs are numb and weak and my back hurts", "emergency"),
        ("My dad is 87 and slipped off his bed. He's been lying there and can't get himself up", "emergency"),
        ("Minha avó tem 85 anos, she fell in the bathroom, her back hurts muito", "emergency"),
        ("Truck rolled over in the ditch Saturday night, my back's been hurtin' ever since", "emergency"),
        ("Ah banged me heed on the cupboard door an ah've been sick three times", "emergency"),
        ("I'm 76, bent down to stroke the cat, felt a crack in my back. My bones are thin, GP says", "emergency"),
    ],
)
def test_older_relatives_falls_rollovers_and_dialect_head_knocks_count(said: str, expected: str) -> None:
    assert level(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "I'm 82 and sleep badly. My friend from church had a stroke last week, I've no symptoms myself",
        "Spouse has pyelonephritis, on antibiotics. I'm asymptomatic apart from trapezius tension",
        "My inbox is giving me an aneurysm. Not literally. It's a tension headache.",
        "Office heating on sauna, I'm shivering under the air-con vent. Just a stiff neck from the draught.",
        "My wife had heavy bleeding in her last pregnancy, our son is five. She has a stiff neck",
        "The winter before lockdown my leg kept giving way from sciatica. Now just a crick in my neck",
        "ED registrar: a night shift of RTCs and falls from height in resus; my foot aches from standing",
    ],
)
def test_others_histories_jokes_the_cold_and_work_raise_no_flag(said: str) -> None:
    assert level(said) == "none"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I'm shivering and burning up with a temperature, lower back aching", "urgent"),
        ("I have an aneurysm and a sudden tearing pain in my back", "emergency"),
        ("I'm 30 weeks pregnant and bleeding heavily with clots", "emergency"),
        ("my leg keeps giving way since this morning and it's getting worse", "emergency"),
    ],
)
def test_the_same_words_about_the_person_now_count(said: str, expected: str) -> None:
    assert level(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I'm 80 and wrecked myself lifting a watering can. Sudden stabbing pain in my back", "emergency"),
        ("I'm 78, reached down for the washing and something went in my back", "emergency"),
        # not a back, not old, not a lift
        ("I am 79 and my hands are sore after lifting the big jam pan", "none"),
        ("Love being 30 with the back of a 90-year-old. Lifting a laundry basket put me out of action.", "none"),
        ("I'm 75 and my back is stiff from bending over in the garden", "none"),
    ],
)
def test_a_lift_or_small_strain_at_70_or_over_is_a_possible_fracture(said: str, expected: str) -> None:
    assert level(said) == expected


@pytest.mark.parametrize(
    ("said", "zone"),
    [
        ("the boom swung round and hit the side of my shoulder, it's swollen now", "shoulder"),
        ("banging my knee on the car door this morning, and there's a big bruise", "knee"),
        ("my calf was caught by a boot in the match and it's come up puffy", "calf"),
        ("I knelt on a plug and my knee is all swollen, or I was kneeling on it for ages", "knee"),
        ("tripped over the cat's bowl and my ankle is bruised and swollen", "ankle"),
    ],
)  # fmt: skip
def test_a_fresh_knock_told_in_other_words_rules_out_its_zone(said: str, zone: str) -> None:
    """red_flags.yml situations.fresh_injury: points on a swollen or bruised part are left out
    (2026-12-03: "banging", "hit the side of my shoulder", "kneeling on" were not read)."""
    situations = CHECK.candidates(said).situations
    assert situations and zone in situations[0].rules_out
    assert CHECK.assess(said).level == "none"


@pytest.mark.parametrize(
    ("said", "situation", "zone"),
    [
        ("grabbed a hot tray and scalded my wrist, it's blistered now, and my neck is stiff", "skin_damage", "wrist"),
        ("there's a graze on my knee from the pavement and my lower back aches", "skin_damage", "knee"),
        ("Mum had her hip replaced in March and her buttock muscles are tight", "joint_replacement", "hip"),
        ("I have peripheral neuropathy in my feet from diabetes and my ankles ache", "lost_sensation_area", "foot"),
        ("my ankle went over on the kerb and it's gone up like a balloon", "fresh_injury", "ankle"),
        # 2026-12-04 (blind set 8, read): the rest of the list, bruises, new scars, lines and devices
        ("there's a nasty bruise on my left wrist from the car door, and I've a tension headache", "skin_damage",
         "wrist"),
        ("the scar from my knee op three weeks ago is still pink, and my thigh is tight", "skin_damage", "knee"),
        ("walking the dog I went over on my ankle, it's all swollen now", "fresh_injury", "ankle"),
        ("napaso ako sa kamay ko while cooking, and my neck is stiff", "skin_damage", "hand"),
    ],
)  # fmt: skip
def test_skin_an_artificial_hip_or_lost_feeling_rules_out_the_place(said: str, situation: str, zone: str) -> None:
    """Reference section 1.0, "do not press over": broken, blistered or burnt skin, the hip
    area with an artificial joint, areas of lost sensation; none of them a reason for a doctor."""
    found = {hit.situation: hit.rules_out for hit in CHECK.candidates(said).situations}
    assert zone in found.get(situation, ())
    assert CHECK.assess(said).level == "none"


@pytest.mark.parametrize(
    "said",
    ["burning pain down my leg", "my knee is sore on the inside", "I cut down on sugar and my hip aches",
     "no blisters or broken skin, just a stiff wrist"],
)  # fmt: skip
def test_words_near_skin_damage_rule_nothing_out(said: str) -> None:
    assert not [hit for hit in CHECK.candidates(said).situations if hit.situation == "skin_damage"]


def test_the_back_of_a_hand_or_knee_is_not_the_back() -> None:
    said = "a bruise on the back of my hand and a sore back of the knee"
    assert not {"lower_back", "upper_back"} & set(CHECK.assess(said).ruled_out)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Denies saddle anaesthesia, sphincter disturbance, leg weakness, fever or weight loss. LBP 2/52.", "none"),
        ("no fever, and now my leg is numb and weak", "urgent"),
        ("When I was sixty I had sepsis after a chest infection; I'm 80 now and well. Stiff hands.", "none"),
        ("In my thirties a disc made my foot drag, long since recovered. Sore neck today.", "none"),
        ("I'm in my forties and I can't feel my bum or my privates", "emergency"),
        ("I once wet myself on a ride at the fair as a kid. Now: sore calves. Points?", "none"),
        ("asking for my daughter, her grandad has cancer and she can't sleep for worry", "none"),
        ("asking for my mum, her husband says her legs went numb and weak this morning", "emergency"),
        ("me dad can't hardly make water since yesterday and his back is bad", "emergency"),
    ],
)  # fmt: skip
def test_lists_a_denial_opens_times_of_life_and_a_relatives_relative(said: str, expected: str) -> None:
    """2026-12-03 evening (blind set 7, read as a development set): a denial reaches every
    item of its list, a time of life that is over is the past, and a carer's message about
    the cared-for person's relative is not the cared-for person's."""
    assert level(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("was pruning the hedge and fell, roughly 3 metres, my back is sore", "emergency"),
        ("no matter what I do, sitting or walking, my back won't settle, and it rouses me at 3am", "urgent"),
        ("neck, hips and knees all hurting at once, and I've gone off my food", "urgent"),
        ("since the long coach trip my lower leg is all big and red and warm", "urgent"),
        ("depois do voo a minha perna está inchada e vermelha", "urgent"),
        ("my dad's got lung cancer and I'm so stressed, can you help me sleep", "none"),
        ("Ìyá mi had breast cancer years ago. Me, my shoulders are tight from the desk.", "none"),
    ],
)  # fmt: skip
def test_heights_in_round_numbers_pain_nothing_eases_and_a_relatives_cancer(said: str, expected: str) -> None:
    """2026-12-04 (blind set 8, read as a development set): a fall of "about" so many metres,
    pain that rest or movement does not ease, aches all at once with no appetite, a limb that
    has got big, Portuguese swelling words, and a writer whose own complaint is stress or sleep
    (or written in Yoruba order, "Ìyá mi") beside a relative's cancer."""
    assert level(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Back in 2019 I had meningitis. My neck went stiff and I was vomiting. I made a full recovery. "
         "Today my lower back is tight from the garden.", "none"),
        ("I had sepsis once. It was a one-off. Now I'm shivering and confused again and my back hurts", "emergency"),
        ("had a fever fit as a toddler, never happened again. just period pain", "none"),
        ("Previous pyelonephritis, treated. Now: dysmenorrhoea as usual.", "none"),
        ("Masakit ang leeg ko, walang numbness, walang lagnat. Anong point?", "none"),
        ("the lecture was on cauda equina: saddle anaesthesia and retention. My own hamstrings are just sore", "none"),
        ("my uncle told the whole family about a man who couldn't feel his legs. I just have a crick in my neck",
         "none"),
        ("my grandad in my country has a high fever, the doctor is with him. I have only a stiff neck", "none"),
        ("the marquee collapsed at the wedding and my back aches from taking it down", "none"),
        ("queasy and clammy on the twisty bends, my stomach hates car trips", "none"),
        ("headache like a tight band around my forehead after a long week", "none"),
        ("both legs feel strong, just an ache in one buttock", "none"),
        ("my legs are totally dead from leg day yesterday, thighs sore", "none"),
        ("my partner had a stroke of bad luck, now he has a headache", "none"),
    ],
)  # fmt: skip
def test_a_story_that_is_over_a_lecture_a_thing_that_collapsed_and_a_band_round_the_head(
    said: str, expected: str
) -> None:
    """2026-12-04 (development set 4 of hard negatives, read): the sentences of a story that is
    over ("a full recovery", "a one-off") are the past unless they say now; a lecture, a story told
    at table or a relative abroad is not the writer; a thing collapses, travel sickness is clammy,
    a band round the forehead is a tension headache, legs said to feel strong are not weak."""
    assert level(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("My father had a stroke before. For me it is only tension in the shoulders", "none"),
        ("Mi bredda did have a stroke las' year, but mi jus' have a likkle headache", "none"),
        ("my dad had a stroke, his face is drooping and he can't lift his arm", "emergency"),
        ("This week has been a total car crash at work and I've got a tension headache", "none"),
        ("I was in a car crash this morning and my neck hurts", "emergency"),
        ("Previous breast cancer 15 years ago, discharged. Today: a tension-type headache", "none"),
        ("had breast cancer in 2020, all clear, but new pain in my spine for 3 weeks", "urgent"),
        ("type 2 diabetic with numb feet from neuropathy, can I press the sole of the foot?", "none"),
        ("my left foot went numb this morning and it still hasn't come back", "urgent"),
        ("dolor de espalda pero sin fiebre, sin entumecimiento, orino normal", "none"),
        ("fiebre alta y dolor de espalda desde ayer", "urgent"),
        ("I lost feeling in my bottom and couldn't pee, had surgery and made a near-complete recovery. "
         "Now my neck is tight from the desk.", "none"),
    ],
)  # fmt: skip
def test_an_old_stroke_a_day_that_was_a_car_crash_and_cancer_without_bone_pain(said: str, expected: str) -> None:
    """2026-12-04 (blind set 9, read as a development set): a relative's stroke "before" or "las'
    year" is over (a stroke seen now is not), a day that was "a total car crash" is no accident,
    a cancer counts with pain where it spreads to bone, numb feet of a known neuropathy are not
    new, fever in Spanish counts and "sin fiebre" denies it, a near-complete recovery is over."""
    assert level(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("my granddaddy fell off a ladder last winter. me, I just have a stiff neck", "none"),
        ("my meemaw has had cancer in her spine for a year, I'm her carer and I want points for her", "urgent"),
        ("I'm 81 and only asking about points for sleeping better; my brother broke his hip", "none"),
        ("I had a high temperature in feb with a water infection, now just a sore shoulder", "none"),
        ("I started in march with a fever that never went and my back hurts", "urgent"),
        ("kidney infection and fever, but antibiotics cleared it. Today it's only my neck", "none"),
        ("my bum went numb on the bike seat but it came good as soon as I got off", "none"),
        ("I had a nightmare about falling off a roof and woke with a crick in my neck", "none"),
        ("a car-crash of a week at work and my shoulders are in knots", "none"),
        ("I fell off a roof this morning and my back is agony", "emergency"),
        ("tengo fiebre de fútbol this week, neck sore from shouting", "none"),
        ("tengo fiebre de 39 y dolor de espalda", "urgent"),
        ("back's gone and I cyaan feel mi bottom when mi wipe", "emergency"),
        ("anak ko, 4 years, may lagnat and stiff ang leeg, ayaw sa ilaw", "emergency"),
        ("estou grávida de 32 semanas e o bebê mexe muito menos hoje, my back aches", "urgent"),
        ("at 33 weeks, bump keeps tightening every few minutes and my back aches", "urgent"),
    ],
)  # fmt: skip
def test_dialect_kin_a_month_gone_a_dream_and_pregnancy_in_other_words(said: str, expected: str) -> None:
    """2026-12-04 evening (blind set 10, read as a development set): grandparents in Southern US
    and other families' words, a writer who asks only for sleep, a month named as the time of an
    illness that is over ("in feb", not "started in march"), a cure by antibiotics, numbness that
    "came good", a fall in a dream, a day that was a "car-crash", a "fever" for a sport, a
    Jamaican "cyaan", a child's stiff neck and fever in Tagalog, fewer movements in Portuguese,
    a week of pregnancy told with the bump."""
    assert level(said) == expected


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        ("Nae fever, nae numbness doon below, an ma legs are grand", False),
        ("walang lagnat, at walang pamamanhid sa legs", False),
        ("To your questions: no, no tingling, my bladder works as usual", False),
        ("no fever but my bum is numb", True),
        ("no feeling in my bum and legs", True),
        ("no pee since this morning", True),
        ("zero improvement after six weeks", True),
        ("no fever, legs weak", True),
    ],
)
def test_the_classifier_is_not_shown_a_checklist_answered_no(sentence: str, shown: bool) -> None:
    """The classifier reads words without their negation: a sentence that only answers "no"
    (or "all normal") to a checklist is left to the lexicon, which reads the negation; a loss
    told with a "no" ("no feeling", "no pee", "zero improvement") is still shown to it."""
    text = f"My back is stiff from the garden. {sentence}. Which points?"
    assert (sentence.lower() in CHECK.firsthand(text).lower()) is shown


@pytest.mark.parametrize(
    ("said", "for_someone_else"),
    [
        ("my dad has crushing chest pain going into his back and I'm really anxious", True),
        ("my wife's lower back is killing her and I'm exhausted from driving her about", True),
        ("my mum's got cancer and I'm really stressed, can't sleep", False),
        ("my brother broke his leg, I'm so stressed, any points to help me relax?", False),
        ("points for sleep please, I'm exhausted since my grandad's stroke", False),
    ],
)
def test_a_carers_fear_alone_is_no_complaint_of_their_own(said: str, for_someone_else: bool) -> None:
    """A carer who is frightened or worn out is still asking about the person they look after;
    the writer's stress counts as their own complaint only with something asked for themselves
    (sleep, relaxing, points for stress)."""
    assert about_someone_else(normalise(said)) is for_someone_else


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I know the warning list: cancer, weight loss, a fever. None of those apply to me, just a stiff back", "none"),
        ("Chest pain, fainting, numb legs? I have none of those. My shoulders are tight from work", "none"),
        ("crushing chest pain and sweating. none of that is normal for me", "emergency"),
        ("I've got a fever. None of those other things though", "urgent"),
        ("I came off a motorbike at speed. In 1998. I was 19. Now I get a stiff neck at the desk", "none"),
        ("I fell off a ladder. This morning. My back is agony", "emergency"),
        ("Low back pain and a poor stream since yesterday, can't get it going. No prior history.", "emergency"),
        ("I broke my back in a fall from a roof, it is long time healed. Now only my knees ache", "none"),
        ("In my younger days I had numb legs from a slipped disc. Now just a tight neck", "none"),
    ],
)  # fmt: skip
def test_a_list_denied_by_the_next_sentence_and_a_bare_time_that_is_over(said: str, expected: str) -> None:
    """2026-12-04 evening (development set 3, read): "None of those." after a list of warning
    signs takes the list back (not "none of that is normal", nor "none of those other things");
    a sentence that is only a time that is over ("In 1998. I was 19.") dates the one before it;
    "long time healed" and "in my younger days" are over."""
    assert level(said) == expected
