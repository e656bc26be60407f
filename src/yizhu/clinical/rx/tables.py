"""The rx data tables: ``rules/<name>.yaml`` other than ``rules.yaml`` (paediatric mg/kg limits, allergy-group
names, weekly-only drugs …), each a version, a description and entries keyed by name, every entry with its
source.

Parsing, name resolution, the patient facts and the checks all read these tables, and the rule loader
(``rules.py``) reads its YAML the same way (``yizhu.datafile``), so this module sits below all of them and
imports none.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import load_yaml_model
from yizhu.errors import ConfigError

RULES_DIR = Path(__file__).with_name("rules")


class TableEntry(BaseModel):
    """Every row of a data table names its source."""

    model_config = ConfigDict(extra="allow", frozen=True)

    source: str = Field(min_length=1)


class DataTable(BaseModel):
    """A YAML table: version, description and sourced entries keyed by name."""

    model_config = ConfigDict(extra="forbid")

    version: str
    description: str
    entries: dict[str, TableEntry]


@lru_cache(maxsize=16)
def table(name: str) -> dict[str, dict[str, Any]]:
    """The entries of ``rules/<name>.yaml`` as plain dicts (validated: each entry has a source)."""
    path = RULES_DIR / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in RULES_DIR.glob("*.yaml") if p.stem != "rules")
        raise ConfigError(f"no rx data table '{name}'; known tables: {', '.join(known)}")
    return read_table(path)


def read_table(path: Path) -> dict[str, dict[str, Any]]:
    """The entries of the data table at ``path`` as plain dicts; a broken file fails naming file and place."""
    dt = load_yaml_model(path, DataTable, "rx data table")
    return {k: v.model_dump() for k, v in dt.entries.items()}
