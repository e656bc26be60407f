"""docs/architecture.md stays true: every file it names exists, and every worked example it points at
(``tests/…py::test_name``) is a test that exists, so a seam's description cannot drift from the code
without this failing.

A named file is a backticked path ending in ``.py``, ``.yaml`` or ``/``, read relative to ``src/yizhu``
(the package map's convention) or to the repository root; paths with placeholders (``<kind>``, ``*``)
are descriptions, not files, and are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
_TICKED = re.compile(r"`([^`\s]+)`")
_TEST_REF = re.compile(r"^(tests/[\w/]+\.py)::(\w+)$")


def _named_paths(text: str) -> list[str]:
    out = []
    for token in _TICKED.findall(text):
        if _TEST_REF.match(token) or any(c in token for c in "<>*{}$"):
            continue
        if "/" in token and token.endswith((".py", ".yaml", "/")) and not token.startswith(("/", "http")):
            out.append(token)
    return out


def test_every_file_the_architecture_names_exists() -> None:
    missing = [p for p in _named_paths(DOC.read_text(encoding="utf-8"))
               if not (ROOT / "src" / "yizhu" / p).exists() and not (ROOT / p).exists()]
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"


def test_every_worked_example_is_a_test_that_exists() -> None:
    refs = [m.groups() for t in _TICKED.findall(DOC.read_text(encoding="utf-8")) if (m := _TEST_REF.match(t))]
    assert refs, "docs/architecture.md points at no worked example"
    missing = []
    for file, name in refs:
        path = ROOT / file
        names = ({n.name for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                  if isinstance(n, ast.FunctionDef)} if path.is_file() else set())
        if name not in names:
            missing.append(f"{file}::{name}")
    assert not missing, f"docs/architecture.md points at tests that do not exist: {missing}"
