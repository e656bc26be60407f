"""Reading a shipped (or hospital) YAML data file into its pydantic schema, with one kind of error.

Rules, lexicons and knowledge tables are data validated by a schema. Whatever goes wrong — the file is
missing, the YAML does not parse, an item breaks the schema, a pattern does not compile — start-up stops
with a ``ConfigError`` naming the file, what it holds, and where in it the problem is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from yizhu.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def load_yaml_model(path: Path, model: type[M], what: str) -> M:
    """``model`` validated from the YAML at ``path``; ``what`` names the content in errors (e.g. "triage knowledge")."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: invalid {what} at {loc}: {first['msg']}") from exc
    except re.error as exc:  # a validator compiling a pattern
        raise ConfigError(f"{path}: invalid {what}: a pattern does not compile: {exc}") from exc
