"""Reading a shipped (or hospital) YAML data file into its pydantic schema, with one kind of error.

Rules, lexicons and knowledge tables are data validated by a schema. Whatever goes wrong — the file is
missing, the YAML does not parse, an item breaks the schema, a pattern does not compile — start-up stops
with a ``ConfigError`` naming the file, what it holds, and where in it the problem is.

``load_yaml_model`` is the whole reader; its two halves serve the loaders whose file has another shape:
``read_yaml`` (the parsed data, with ``nodes=True`` also the YAML node, whose marks give line numbers)
and ``validate_model`` (data already read, e.g. one entry of a list). A reader of a caller's file (an
evaluation dataset) passes ``error=InputError``: the message is the same, the error says whose fault.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, overload

import yaml
from pydantic import AfterValidator, BaseModel, Field, ValidationError

from yizhu.errors import ConfigError, YizhuError

M = TypeVar("M", bound=BaseModel)


def _compiles(v: str) -> str:
    re.compile(v)
    return v


#: a regular expression in a data file: a pattern that does not compile is a schema error naming its place
Regex = Annotated[str, Field(min_length=1), AfterValidator(_compiles)]


def load_yaml_model(path: Path, model: type[M], what: str, *, error: type[YizhuError] = ConfigError) -> M:
    """``model`` validated from the YAML at ``path``; ``what`` names the content in errors (e.g. "triage knowledge")."""
    return validate_model(path, read_yaml(path, what, error=error), model, what, error=error)


@overload
def read_yaml(path: Path, what: str, *, text: str | None = ..., nodes: Literal[False] = ...,
              error: type[YizhuError] = ...) -> Any: ...
@overload
def read_yaml(path: Path, what: str, *, text: str | None = ..., nodes: Literal[True],
              error: type[YizhuError] = ...) -> tuple[Any, yaml.Node | None]: ...
def read_yaml(path: Path, what: str, *, text: str | None = None, nodes: bool = False,
              error: type[YizhuError] = ConfigError) -> Any:
    """The data of the YAML at ``path`` (or of ``text`` already read from it); with ``nodes`` also its node."""
    try:
        loader = yaml.SafeLoader(path.read_text(encoding="utf-8") if text is None else text)
        try:
            node = loader.get_single_node()
            data = None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise error(f"{path}: cannot read {what}: {_yaml_problem(exc)}") from exc
    return (data, node) if nodes else data


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error on one line, with the place: "YAML error at line 3, column 7: expected ',' or ']' …"."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"YAML error{where}: {' '.join(str(problem).split())}"


def validate_model(path: Path, raw: Any, model: type[M], what: str, *, where: str = "",
                   error: type[YizhuError] = ConfigError) -> M:
    """``model`` validated from ``raw`` read from ``path``; ``where`` (e.g. ":12") narrows the place."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise error(f"{path}{where}: invalid {what} at {loc}: {first['msg']}") from exc
    except re.error as exc:  # a validator compiling a pattern
        raise error(f"{path}{where}: invalid {what}: a pattern does not compile: {exc}") from exc
