"""Loading blind cases: one YAML file per case, known gaps run as strict xfail.

Shared by the runners whose cases carry the common fields; a runner adds its own per-case checks through
``check`` (for example triage's allowed urgency values).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

REQUIRED_FIELDS = {"id", "title", "synthetic", "written_by", "situation", "input", "expect"}


def known_gaps(folder: Path) -> dict[str, str]:
    """Case id → why it fails today, from the folder's ``known_gaps.yaml``."""
    return yaml.safe_load((folder / "known_gaps.yaml").read_text(encoding="utf-8")) or {}


def load_case(path: Path, check: Callable[[Path, dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """One case, with its common fields checked (and the runner's own ``check``)."""
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = REQUIRED_FIELDS - set(case)
    assert not missing, f"{path.name}: missing fields {sorted(missing)}"
    assert case["synthetic"] is True
    assert path.name.startswith(case["id"] + "-"), f"{path.name}: id {case['id']} does not match the file name"
    if check is not None:
        check(path, case)
    return case


def case_params(cases: list[Path], gaps: dict[str, str],
                check: Callable[[Path, dict[str, Any]], None] | None = None) -> list[Any]:
    """pytest params for ``cases``, those listed in ``gaps`` marked strict xfail with their reason."""
    out = []
    for path in cases:
        case = load_case(path, check)
        marks = [pytest.mark.xfail(strict=True, reason=gaps[case["id"]])] if case["id"] in gaps else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out
