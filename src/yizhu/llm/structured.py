"""Structured output: pydantic model -> JSON schema -> constrained decoding or prompted JSON -> validate.

The schema always goes into the prompt (models follow it better when they can read it) and, where
the backend's profile supports it, also into the request for constrained decoding. The reply is
then parsed and validated with pydantic; grammars miss constraints such as numeric bounds, and
prompted JSON misses anything. A reply that fails is sent back with the validation errors, a
bounded number of times; one that never validates is a StructuredOutputError, never a guess.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from yizhu.llm.prompts import render_prompt

T = TypeVar("T", bound=BaseModel)
_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.S)


def schema_for(model: type[BaseModel]) -> tuple[dict[str, Any], str, str]:
    """(JSON schema, name, sha256 of the canonical schema) of a pydantic model."""
    schema = model.model_json_schema()
    canonical = json.dumps(schema, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    name = re.sub(r"[^A-Za-z0-9_-]", "_", model.__name__)[:64] or "output"
    return schema, name, hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def instruction(schema: dict[str, Any]) -> str:
    """The system-prompt text that asks for JSON matching the schema (versioned template)."""
    return render_prompt("structured.instruction", schema=json.dumps(schema, ensure_ascii=False)).user


def repair_message(errors: str) -> str:
    """The follow-up that shows the model why its reply failed."""
    return render_prompt("structured.repair", errors=errors).user


def extract_json(text: str) -> Any:
    """The JSON value in a reply: bare, inside a Markdown fence, or after stray prose.

    Raises ValueError when there is none.
    """
    candidates = [text.strip()]
    candidates += [m.group(1).strip() for m in _FENCE.finditer(text)]
    for c in candidates:
        if not c:
            continue
        try:
            return json.loads(c)
        except ValueError:
            pass
    decoder = json.JSONDecoder()
    for i, ch in enumerate(text):
        if ch in "{[":
            try:
                value, _ = decoder.raw_decode(text, i)
                return value
            except ValueError:
                continue
    raise ValueError("the reply contains no JSON value")


def validation_summary(exc: ValidationError, limit: int = 10) -> str:
    """Field paths and messages, without the offending values (they may hold patient data)."""
    lines = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(x) for x in err["loc"]) or "(root)"
        lines.append(f"- {loc}: {err['msg']}")
    more = len(exc.errors()) - limit
    if more > 0:
        lines.append(f"- … and {more} more")
    return "\n".join(lines)


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """Apply ``fn`` to every string inside a JSON value (keys too): re-identification of JSON."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {fn(k) if isinstance(k, str) else k: map_strings(v, fn) for k, v in value.items()}
    return value


class InvalidReply(ValueError):
    """A reply that failed; ``errors`` is safe to send back to the model that wrote it."""

    def __init__(self, errors: str) -> None:
        super().__init__(errors)
        self.errors = errors


def parse_reply(text: str, schema: type[T], restore: Callable[[str], str] | None) -> T:
    """Parse and validate one reply as the model wrote it; re-identify string by string.

    Raises InvalidReply. Its errors are computed on the reply as the model wrote it (surrogates,
    not the restored values), since field paths can contain dict keys taken from the reply.
    """
    try:
        value = extract_json(text)
    except ValueError as exc:
        raise InvalidReply(f"- {exc}") from exc
    restored = map_strings(value, restore) if restore is not None else value
    try:
        return schema.model_validate(restored)
    except ValidationError as exc:
        if restore is None:
            raise InvalidReply(validation_summary(exc)) from exc
        try:
            schema.model_validate(value)
        except ValidationError as own:
            raise InvalidReply(validation_summary(own)) from exc
        raise InvalidReply("- the values failed validation once re-identified; check every field") from exc
