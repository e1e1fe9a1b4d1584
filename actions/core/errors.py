"""Errors raised when a data file does not match its schema."""

from __future__ import annotations

from pathlib import Path


class DataFileError(ValueError):
    """A data file is malformed; the message names the file, the item and the field."""

    def __init__(self, path: Path | str, item: str, field: str, problem: str) -> None:
        self.path = str(path)
        self.item = item
        self.field = field
        self.problem = problem
        super().__init__(f"{self.path}: {item}: field '{field}': {problem}")
