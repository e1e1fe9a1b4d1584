"""Telegram wording without a server: HTML, 4,096-unit pieces, callback data, update reading."""

from __future__ import annotations

import pytest

from rasa_server.telegram_format import (
    MAX_CALLBACK_BYTES,
    ButtonPayloads,
    Incoming,
    RecentIds,
    button_title,
    inline_keyboard,
    read_update,
    split_message,
    to_html,
    to_plain,
    units,
)

BOT = "acu_test_bot"


def test_bold_becomes_html_and_everything_else_is_escaped() -> None:
    assert to_html("**1. BL23** <3 days & A&E") == "<b>1. BL23</b> &lt;3 days &amp; A&amp;E"
    assert to_plain(to_html("**Step 1** A&E <now>")) == "Step 1 A&E <now>"
    assert to_html("a ** lone marker") == "a ** lone marker"


def test_an_emoji_counts_two_units() -> None:
    assert units("🚨") == 2 and units("abc") == 3


def words(text: str) -> list[str]:
    return text.replace("**", "").split()


@pytest.mark.parametrize(
    "text",
    [
        "\n\n".join(f"**{i}. Point** " + "press gently & breathe. " * 40 for i in range(30)),  # many paragraphs
        "\n".join("🚨 line & more " * 30 for _ in range(40)),  # one paragraph of many lines
        "x" * 9000 + " & " + "y" * 5000,  # words longer than a message
        ("word " * 2000).strip(),  # one line, many words
    ],
)
def test_long_answers_are_split_under_the_limit_without_losing_words(text: str) -> None:
    pieces = split_message(text)
    assert len(pieces) > 1
    assert all(units(piece) <= 4096 for piece in pieces)
    # Every character kept, in order (pieces only ever break at whitespace or inside a giant word).
    assert "".join(words(to_plain("".join(pieces)))) == "".join(words(text))
    # Bold is only ever closed within the piece it opened in.
    assert all(piece.count("<b>") == piece.count("</b>") for piece in pieces)


def test_a_short_answer_stays_one_message() -> None:
    assert split_message("**Hello** there\n\nSecond paragraph") == ["<b>Hello</b> there\n\nSecond paragraph"]


def test_callback_data_stays_under_64_bytes_and_maps_back() -> None:
    payloads = ButtonPayloads()
    short = '/describe_symptom{"body_area":"lower back"}'
    long = '/describe_symptom{"body_area":"lower back","sensation":"stiff","side":"left","duration":"3 weeks"}'
    assert payloads.data_for(short) == short
    key = payloads.data_for(long)
    assert len(key.encode()) <= MAX_CALLBACK_BYTES and payloads.payload_for(key) == long
    assert ButtonPayloads().payload_for(key) is None  # forgotten (restart): caller falls back to the title


def test_inline_keyboard_one_button_a_row_and_the_title_found_again() -> None:
    keyboard = inline_keyboard(
        [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}], ButtonPayloads()
    )
    assert keyboard == {
        "inline_keyboard": [[{"text": "Yes", "callback_data": "/affirm"}], [{"text": "No", "callback_data": "/deny"}]]
    }
    assert button_title({"reply_markup": keyboard}, "/deny") == "No"
    assert button_title({}, "/deny") is None


def test_a_redelivered_update_id_is_taken_once() -> None:
    seen = RecentIds(remembered=2)
    assert seen.first_time(1) and not seen.first_time(1)
    assert seen.first_time(2) and seen.first_time(3)
    assert seen.first_time(1)  # forgotten after `remembered` newer ones


def message(text: str | None = None, chat_type: str = "private", **extra: object) -> dict:
    chat = {"id": 42, "type": "private"} if chat_type == "private" else {"id": -100, "type": chat_type}
    body = {"message_id": 5, "chat": chat, "from": {"id": 42, "is_bot": False}, **extra}
    if text is not None:
        body["text"] = text
    return {"update_id": 1, "message": body}


def test_a_private_message_is_the_chats_own_conversation() -> None:
    assert read_update(message("my back hurts"), BOT) == Incoming("my back hurts", "42", 42, 5)


@pytest.mark.parametrize(
    "text,heard",
    [
        ("/start", "/greet"),
        ("/start some-deep-link", "/greet"),
        ("/help", "/help"),
        (f"/help@{BOT}", "/help"),
        ("/stop", "/restart"),
        ("/where_is LI4", "where is LI4"),
    ],
)
def test_commands_map_to_what_the_assistant_understands(text: str, heard: str) -> None:
    incoming = read_update(message(text), BOT)
    assert isinstance(incoming, Incoming) and incoming.text == heard


def test_non_text_messages_are_read_as_no_text() -> None:
    incoming = read_update(message(None, sticker={"file_id": "x"}), BOT)
    assert isinstance(incoming, Incoming) and incoming.text is None


def test_edits_and_other_updates_are_not_answered() -> None:
    assert isinstance(read_update({"update_id": 2, "edited_message": message("x")["message"]}, BOT), str)
    assert isinstance(read_update({"update_id": 3, "my_chat_member": {}}, BOT), str)


def test_group_messages_are_answered_only_when_addressed_one_tracker_per_person() -> None:
    assert isinstance(read_update(message("my back hurts", "supergroup"), BOT), str)
    mentioned = read_update(message(f"@{BOT} my back hurts", "supergroup"), BOT)
    assert mentioned == Incoming("my back hurts", "-100:42", -100, 5, None, True)
    reply = message("and my neck", "supergroup", reply_to_message={"from": {"is_bot": True, "username": BOT}})
    assert isinstance(read_update(reply, BOT), Incoming)
    assert isinstance(read_update(message("/start@other_bot", "supergroup"), BOT), str)
    assert isinstance(read_update(message(None, "group", sticker={}), BOT), str)


def test_a_button_tap_is_read_with_its_data_and_callback_id() -> None:
    update = {
        "update_id": 9,
        "callback_query": {
            "id": "cb1",
            "from": {"id": 7},
            "data": "/deny",
            "message": {"message_id": 3, "chat": {"id": -100, "type": "group"}},
        },
    }
    assert read_update(update, BOT) == Incoming("/deny", "-100:7", -100, 3, "cb1", True)
