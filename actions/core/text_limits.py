"""Limits on what a single chat message may be, shared by the channel and the NLU."""

from __future__ import annotations

import re

MAX_MESSAGE_CHARS = 1500  # ~250 words: more than any symptom description needs


def truncate(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """The first `limit` characters, cut back to a word boundary where there is one."""
    if len(text) <= limit:
        return text
    # A word repeated over and over ("la la la ...") is read once: cut as it came, the flood
    # filled the whole part read and the complaint before it was taken for small talk.
    text = _REPEATED_WORD.sub(r"\1", text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


_REPEATED_WORD = re.compile(r"\b(\w+)(?:\s+\1\b){2,}")


# Longer than any word people type: "aaaa…" (50,000 characters) is no word, and the NLU read
# it as "next step" of a guided session.
MAX_WORD_CHARS = 40


def has_plausible_words(text: str) -> bool:
    """True if some word of the text has a letter or digit and is of a length people type."""
    return any(len(word) <= MAX_WORD_CHARS and has_words(word) for word in text.split())


def has_words(text: str) -> bool:
    """True if the text holds at least one letter or digit (emoji and '?!' do not)."""
    return any(ch.isalnum() for ch in text)


# C0/C1 control characters other than tab and newlines, and DEL. A NUL byte is refused by
# PostgreSQL text columns, and other controls only garble logs and terminals.
_CONTROL = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}


def clean_text(text: str) -> str:
    """The message with control characters removed and lone surrogates replaced by U+FFFD.

    A JSON body may carry "\\ud800" escapes: valid JSON, but not encodable as UTF-8, so the
    tracker store could not save the conversation."""
    text = text.translate(_CONTROL)
    if not _has_surrogate(text):
        return text
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
