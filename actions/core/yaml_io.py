"""Reading YAML data files with errors that say which file is broken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from actions.core.errors import DataFileError


def read_mapping(path: Path) -> dict[str, Any]:
    """Load a YAML file whose top level must be a mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(path, "(file)", "(file)", f"cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise DataFileError(path, "(file)", "(top level)", "must be a mapping")
    return data
