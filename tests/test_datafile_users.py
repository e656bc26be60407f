"""Every YAML data file reader goes through ``yizhu.datafile``: a broken file — YAML that does not parse, a
value of the wrong type, a missing field — fails with one error naming the file and the place.

Each case starts from the shipped file (so the rest of it is valid) and breaks one thing."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
import yaml

from yizhu.errors import ConfigError, InputError, YizhuError

Data = Any


def _reader(module: str, name: str, folder: bool = False) -> Callable[[Path], object]:
    """The reader ``module.name`` called with the file (or, for a folder reader, the file's folder)."""

    def read(p: Path) -> object:
        return getattr(import_module(module), name)(p.parent if folder else p)

    return read


_qc_rules = _reader("yizhu.clinical.qc.rules", "load_rules")
_rx_rules = _reader("yizhu.clinical.rx.rules", "load_rules")
_rx_table = _reader("yizhu.clinical.rx.tables", "read_table")
_abbreviations = _reader("yizhu.clinical.qc.checks", "load_allowed")
_drug_stems = _reader("yizhu.safety.entities", "load_drug_stems")
_allergy_groups = _reader("yizhu.knowledge.allergy", "load_groups")
_overrides = _reader("yizhu.knowledge.overrides", "read_overrides", folder=True)
_dataset = _reader("yizhu.evaluation.dataset", "read_yizhu_dataset")
_intake = _reader("yizhu.evaluation.suites.intake", "load_cases")


SRC = Path(__file__).resolve().parents[1] / "src" / "yizhu"
OVERRIDE = [{"id": "local.metformin", "action": "disable", "target": "drug:metformin", "reason": "本院示例",
             "source": "本院药事会 2026 (synthetic)",
             "review": {"status": "reviewed", "reviewed_by": "王药师", "reviewed_on": "2026-03-01"}}]
DATASET = {"name": "demo", "cases": [{"id": "a", "inputs": {"text": "x"}}]}


def _first(d: dict[str, Any]) -> Any:
    return next(iter(d.values()))


def _set(key: str, value: Any) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        d[key] = value
    return f


def _del_in(get: Callable[[Data], dict[str, Any]], key: str) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        del get(d)[key]
    return f


# loader, the valid data it starts from, the file name, the error class, and two breakages with the place each names
LOADERS: dict[str, tuple[Callable[[Path], object], Callable[[], Data], str, type[YizhuError],
                         tuple[Callable[[Data], None], str], tuple[Callable[[Data], None], str]]] = {
    "qc rules": (_qc_rules, lambda: yaml.safe_load((SRC / "clinical/qc/rules.yaml").read_text("utf-8")), "rules.yaml",
                 ConfigError, (_set("rules", "x"), "rules"), (_del_in(lambda d: d["rules"][0], "source"), r"rules\.0\.source")),
    "rx rules": (_rx_rules, lambda: yaml.safe_load((SRC / "clinical/rx/rules/rules.yaml").read_text("utf-8")), "rules.yaml",
                 ConfigError, (_set("version", ["x"]), "version"), (_del_in(lambda d: d["rules"][0], "source"), r"rules\.0\.source")),
    "rx table": (_rx_table, lambda: yaml.safe_load((SRC / "clinical/rx/rules/paediatric_doses.yaml").read_text("utf-8")),
                 "paediatric_doses.yaml", ConfigError, (_set("entries", "x"), "entries"),
                 (_del_in(lambda d: _first(d["entries"]), "source"), r"entries\.[^ ]+\.source")),
    "abbreviations": (_abbreviations, lambda: yaml.safe_load((SRC / "clinical/qc/abbreviations.yaml").read_text("utf-8")),
                      "abbreviations.yaml", ConfigError, (_set("allowed", ["BP"]), "allowed"), (_del_in(lambda d: d, "source"), "source")),
    "drug stems": (_drug_stems, lambda: yaml.safe_load((SRC / "safety/drug_stems.yaml").read_text("utf-8")), "drug_stems.yaml",
                   ConfigError, (_set("stems", 5), "stems"), (_del_in(lambda d: d, "stop_chars"), "stop_chars")),
    "allergy groups": (_allergy_groups, lambda: yaml.safe_load((SRC / "knowledge/allergy_groups.yaml").read_text("utf-8")),
                       "allergy_groups.yaml", ConfigError, (_set("entries", ["x"]), "entries"),
                       (_del_in(lambda d: _first(d["entries"]), "aliases"), r"entries\.[^ ]+\.aliases")),
    "overrides": (_overrides, lambda: [dict(OVERRIDE[0])], "local.yaml", ConfigError,
                  (_set(0, {**OVERRIDE[0], "review": "yes"}), r"local\.yaml:1: .*override 'local\.metformin' at review"),
                  (_del_in(lambda d: d[0], "reason"), r"local\.yaml:1: .*at reason")),
    "eval dataset": (_dataset, lambda: {**DATASET, "cases": [dict(DATASET["cases"][0])]}, "demo.yaml", InputError,
                     (_set("cases", "x"), "cases"), (_del_in(lambda d: d["cases"][0], "id"), r"cases\.0\.id")),
    "intake cases": (_intake, lambda: yaml.safe_load((SRC / "evaluation/data/intake/intake-01-chest-stable.yaml").read_text("utf-8")),
                     "case.yaml", InputError, (_set("facts", "x"), "facts"), (_del_in(lambda d: d, "expect"), "expect")),
}


@pytest.mark.parametrize("name", LOADERS)
def test_the_unbroken_start_loads(tmp_path: Path, name: str) -> None:
    load, data, fname, _, _, _ = LOADERS[name]
    p = tmp_path / fname
    p.write_text(yaml.safe_dump(data(), allow_unicode=True), encoding="utf-8")
    assert load(p) is not None


@pytest.mark.parametrize("broken", ["bad-yaml", "wrong-type", "missing-field"])
@pytest.mark.parametrize("name", LOADERS)
def test_a_broken_file_names_the_file_and_the_place(tmp_path: Path, name: str, broken: str) -> None:
    load, data, fname, error, wrong_type, missing = LOADERS[name]
    p = tmp_path / fname
    if broken == "bad-yaml":
        text, place = yaml.safe_dump(data(), allow_unicode=True) + "oops: [\n", r"YAML error at line \d+, column \d+"
    else:
        d = data()
        breaking, place = wrong_type if broken == "wrong-type" else missing
        breaking(d)
        text = yaml.safe_dump(d, allow_unicode=True)
    p.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=place) as err:
        load(p)
    assert str(err.value).startswith(f"{p}:")
    assert "\n" not in str(err.value)
