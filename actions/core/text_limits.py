"""Limits on what a single chat message may be, shared by the channel and the NLU."""

from __future__ import annotations

MAX_MESSAGE_CHARS = 1500  # ~250 words: more than any symptom description needs


def truncate(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """The first `limit` characters, cut back to a word boundary where there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def has_words(text: str) -> bool:
    """True if the text holds at least one letter or digit (emoji and '?!' do not)."""
    return any(ch.isalnum() for ch in text)
