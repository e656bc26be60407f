"""Evaluation datasets as files: ``Case(id, inputs, expected, metadata)`` in a ``Dataset``.

In the style of pydantic-evals: a case is what goes in, what should come out and what it is
about (category, source, synthetic). A dataset file is YAML or JSON (a mapping with ``cases``) or
JSONL (one case a line; an optional first line ``{"_dataset": {...}}`` carries the header).
Public formats a hospital brings (CMExam, CBLUE, IMCS-V2, HealthBench) are turned into the same
shape by ``yizhu.evaluation.loaders``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from yizhu.datafile import read_yaml, validate_model
from yizhu.errors import InputError

M = TypeVar("M", bound=BaseModel)

#: Where the shipped synthetic example datasets live.
DATA_DIR = Path(__file__).parent / "data"


class Case(BaseModel):
    """One evaluation case: inputs for the system, the expected answer, and facts about the case."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    inputs: dict[str, Any] = Field(default_factory=dict)
    expected: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def category(self) -> str | None:
        """The breakdown key of a case (``metadata.category``), if any."""
        value = self.metadata.get("category")
        return str(value) if value not in (None, "") else None

    def fingerprint(self) -> str:
        """sha256 of the canonical JSON of the case: part of every cache key."""
        return sha256_json(self.model_dump(mode="json"))


class Dataset(BaseModel):
    """A named list of cases with where it came from."""

    model_config = ConfigDict(extra="forbid")

    name: str = "dataset"
    description: str = ""
    source: str = Field(default="", description="where the cases come from: benchmark and year, or 合成 (synthetic)")
    synthetic: bool = False
    format: str = Field(default="yizhu", description="the file layout it was loaded from")
    path: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict, description="dataset-level inputs, e.g. a RAG corpus")
    cases: list[Case] = Field(default_factory=list)

    @field_validator("cases")
    @classmethod
    def _unique_ids(cls, cases: list[Case]) -> list[Case]:
        seen: set[str] = set()
        for c in cases:
            if c.id in seen:
                raise ValueError(f"duplicate case id '{c.id}'; case ids must be unique within a dataset")
            seen.add(c.id)
        return cases

    def fingerprint(self) -> str:
        """sha256 over the cases and dataset-level inputs (not the path): identifies the data of a run."""
        return sha256_json({"extra": self.extra, "cases": [c.model_dump(mode="json") for c in self.cases]})

    def limited(self, limit: int | None) -> Dataset:
        """The first ``limit`` cases (all when ``None``)."""
        if limit is None or limit >= len(self.cases):
            return self
        return self.model_copy(update={"cases": self.cases[:limit]})


def sha256_json(obj: Any) -> str:
    """sha256 of canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: what a dataset is called in errors: the fix is in the format's docs
WHAT = "dataset (format: docs/evaluation.md)"


def _validate(path: Path, raw: Any, model: type[M], where: str = "") -> M:
    return validate_model(path, raw, model, WHAT, where=where, error=InputError)


def read_yizhu_dataset(path: Path) -> Dataset:
    """Read a dataset in yizhu's own layout (YAML, JSON or JSONL)."""
    text = _read(path)
    if path.suffix.lower() == ".jsonl":
        header: dict[str, Any] = {}
        cases: list[Case] = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{lineno}: not JSON ({exc}); each line must be one JSON object") from exc
            if isinstance(raw, dict) and "_dataset" in raw and not cases:
                header = dict(raw["_dataset"])
                continue
            cases.append(_validate(path, raw, Case, f":{lineno}"))
        return _validate(path, {"name": path.stem, **header, "cases": cases, "path": str(path)}, Dataset)
    raw = parse_structured(path, text)
    if isinstance(raw, list):
        raw = {"cases": raw}
    if not isinstance(raw, dict) or "cases" not in raw:
        raise InputError(f"{path}: expected a mapping with 'cases' (a list of cases); see docs/evaluation.md")
    return _validate(path, {"name": path.stem, **raw, "path": str(path)}, Dataset)


def write_dataset(dataset: Dataset, path: Path) -> Path:
    """Write a dataset in yizhu's layout; the suffix (.jsonl, .json, .yaml) picks the syntax."""
    header = dataset.model_dump(mode="json", exclude={"cases", "path"})
    cases = [c.model_dump(mode="json") for c in dataset.cases]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".jsonl":
        lines = [json.dumps({"_dataset": header}, ensure_ascii=False)]
        lines += [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in cases]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif path.suffix.lower() == ".json":
        path.write_text(json.dumps({**header, "cases": cases}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump({**header, "cases": cases}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _read(path: Path) -> str:
    if not path.exists():
        raise InputError(f"{path}: no such file; pass an existing dataset with --data")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; pass one dataset file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not UTF-8 or GB18030 text")


def read_text(path: Path) -> str:
    """A dataset file's text (UTF-8 with or without BOM, or GB18030); InputError with the fix otherwise."""
    return _read(path)


def parse_structured(path: Path, text: str) -> Any:
    """Parse JSON or YAML by suffix (JSON also for unknown suffixes that start with ``[`` or ``{``)."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return read_yaml(path, WHAT, text=text, error=InputError)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({str(exc).splitlines()[0]}); fix the file") from exc


def shipped_examples() -> list[Path]:
    """The shipped synthetic example datasets: the data files directly in ``DATA_DIR``, sorted (its
    sub-folders hold the evaluation sets and their generators, see ``yizhu.evaluation.data``)."""
    return sorted(p for p in DATA_DIR.iterdir() if p.is_file() and p.suffix != ".py")


def shipped(name: str) -> Path:
    """The path of a shipped synthetic example dataset by file name."""
    p = DATA_DIR / name
    if not p.is_file():
        known = ", ".join(x.name for x in shipped_examples())
        raise InputError(f"no shipped dataset '{name}'; shipped: {known}")
    return p
