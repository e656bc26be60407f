"""Versioned model directories with model cards, under ``<data_dir>/models/<kind>/<version>/``.

Each version directory holds the trainer's own files plus ``card.json`` (a ``ModelCard``: data, date,
method, hyper-parameters, held-back metrics) and ``card.md`` (the same for people). ``<kind>/ACTIVE``
names the version in use; training writes a new version and makes it active, ``activate`` switches
back. Writes go to a temporary directory first and are renamed into place, so a crash never leaves a
half-written model active.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yizhu.errors import ConfigError, NotFoundError

CARD = "card.json"
ACTIVE = "ACTIVE"


class DataInfo(BaseModel):
    """What a model was trained and measured on."""

    model_config = ConfigDict(extra="forbid")

    file: str
    sha256: str
    layout: str
    records: int
    train: int
    held_back: int
    split: str = Field(description="How the held-back part was chosen (reproducible definition).")


class ModelCard(BaseModel):
    """The model card written beside every trained model."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    version: str
    created: datetime
    yizhu_version: str
    method: str
    data: DataInfo
    hyper_parameters: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, float] = Field(default_factory=dict, description="Measured on the held-back part.")
    metrics_note: str = ""
    train_seconds: float = 0.0
    train_cpu_seconds: float = Field(default=0.0, description="CPU time of the training process (all threads).")
    files: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def markdown(self) -> str:
        """The card for people."""
        lines = [f"# {self.kind} model {self.version}", "", f"- created: {self.created.isoformat()}",
                 f"- yizhu: {self.yizhu_version}", f"- method: {self.method}",
                 f"- data: {self.data.file} ({self.data.layout}, sha256 {self.data.sha256[:12]}…), "
                 f"{self.data.records} records: {self.data.train} train, {self.data.held_back} held back",
                 f"- split: {self.data.split}",
                 f"- training time: {self.train_seconds:.1f} s wall, {self.train_cpu_seconds:.1f} s CPU", "",
                 "## Held-back metrics", ""]
        lines += [f"- {k}: {v:.4f}" for k, v in self.metrics.items()]
        if self.metrics_note:
            lines += ["", self.metrics_note]
        lines += ["", "## Hyper-parameters", "", "```json", json.dumps(self.hyper_parameters, ensure_ascii=False,
                                                                          indent=2, default=str), "```"]
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ModelRef:
    """A trained model on disk."""

    kind: str
    version: str
    path: Path
    card: ModelCard
    active: bool


def models_root(data_dir: Path | str | None = None) -> Path:
    """``<data_dir>/models`` (data_dir from Settings by default)."""
    if data_dir is None:
        from yizhu.config import get_settings

        data_dir = get_settings().data_dir
    return Path(data_dir) / "models"


def new_version(now: datetime | None = None) -> str:
    """A sortable version id: UTC time to the second plus a short random tail."""
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + os.urandom(2).hex()


def read_card(path: Path) -> ModelCard:
    """The card of a version directory; a missing or invalid card is a ConfigError naming the file."""
    f = path / CARD
    try:
        return ModelCard.model_validate_json(f.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{f}: cannot read the model card ({exc.strerror})") from exc
    except ValueError as exc:
        raise ConfigError(f"{f}: not a valid model card ({str(exc).splitlines()[0]})") from exc


def write_model(kind: str, card: ModelCard, write_files: Any, root: Path, *, activate: bool = True) -> Path:
    """Create ``root/kind/card.version/``: ``write_files(tmpdir) -> list[str]`` writes the model files."""
    kind_dir = root / kind
    kind_dir.mkdir(parents=True, exist_ok=True)
    final = kind_dir / card.version
    if final.exists():
        raise ConfigError(f"{final}: a model with this version already exists")
    tmp = Path(tempfile.mkdtemp(prefix=f".{card.version}-", dir=kind_dir))
    try:
        files = list(write_files(tmp))
        card = card.model_copy(update={"files": files})
        (tmp / CARD).write_text(card.model_dump_json(indent=2), encoding="utf-8")
        (tmp / "card.md").write_text(card.markdown(), encoding="utf-8")
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if activate:
        set_active(kind, card.version, root)
    return final


def set_active(kind: str, version: str, root: Path) -> None:
    """Make ``version`` the model of ``kind`` in use (atomic replace of ``ACTIVE``)."""
    if not (root / kind / version / CARD).is_file():
        raise NotFoundError(f"no {kind} model version '{version}' under {root / kind}")
    tmp = root / kind / f".{ACTIVE}.tmp"
    tmp.write_text(version + "\n", encoding="utf-8")
    tmp.replace(root / kind / ACTIVE)


def active_model(kind: str, data_dir: Path | str | None = None) -> ModelRef | None:
    """The model of ``kind`` in use, or None when none was trained (or its directory is gone)."""
    root = models_root(data_dir)
    try:
        version = (root / kind / ACTIVE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = root / kind / version
    if not version or not (path / CARD).is_file():
        return None
    return ModelRef(kind, version, path, read_card(path), True)


def active_stamp(kind: str, data_dir: Path | str | None = None) -> tuple[int, int]:
    """A cheap fingerprint of the ACTIVE pointer (mtime, size), for caches that must notice a new model."""
    try:
        st = (models_root(data_dir) / kind / ACTIVE).stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return 0, 0


def list_models(data_dir: Path | str | None = None) -> list[ModelRef]:
    """Every trained model, by kind then newest first."""
    root = models_root(data_dir)
    out: list[ModelRef] = []
    if not root.is_dir():
        return out
    for kind_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            active = (kind_dir / ACTIVE).read_text(encoding="utf-8").strip()
        except OSError:
            active = ""
        versions = sorted((p for p in kind_dir.iterdir() if p.is_dir() and (p / CARD).is_file()), reverse=True)
        for v in versions:
            out.append(ModelRef(kind_dir.name, v.name, v, read_card(v), v.name == active))
    return out


def summary(data_dir: Path | str | None = None) -> list[dict[str, Any]]:
    """One JSON-ready row per trained model (for ``yizhu models list`` and ``kb stats``)."""
    return [{"kind": r.kind, "version": r.version, "active": r.active, "created": r.card.created.isoformat(),
             "method": r.card.method, "metrics": r.card.metrics, "data": r.card.data.file, "path": str(r.path)}
            for r in list_models(data_dir)]


def describe_active(kind: str, data_dir: Path | str | None = None) -> str:
    """'model <version> (micro_f1 0.63 held back)' or 'rules (no trained model)'."""
    try:
        ref = active_model(kind, data_dir)
    except ConfigError as exc:
        return f"rules (the active model is unreadable: {exc})"
    if ref is None:
        return "rules (no trained model)"
    first = next(iter(ref.card.metrics.items()), None)
    metric = f", {first[0]} {first[1]:.3f} held back" if first else ""
    return f"model {ref.version}{metric}"
