"""Long messages: cut to what the NLU reads, a flood of one word read once."""

from __future__ import annotations

from actions.core.text_limits import MAX_MESSAGE_CHARS, has_plausible_words, truncate


def test_a_long_message_is_cut_at_a_word_boundary() -> None:
    text = "my back aches " * 500
    short = truncate(text)
    assert len(short) <= MAX_MESSAGE_CHARS and text.startswith(short) and not short.endswith(" ach")


def test_a_flood_of_one_word_is_read_once_and_keeps_the_complaint() -> None:
    text = "my lower back is stiff and aches. " + "la " * 33_000 + "end"
    assert truncate(text) == "my lower back is stiff and aches. la end"


def test_short_messages_are_left_alone() -> None:
    assert truncate("no no no, my neck") == "no no no, my neck"


def test_letters_run_together_past_any_word_are_no_words() -> None:
    assert not has_plausible_words("a" * 50_000)
    assert not has_plausible_words("🙂🙂 ?!")
    assert has_plausible_words("a" * 50_000 + " my neck")
    assert has_plausible_words("supercalifragilisticexpialidocious back")
