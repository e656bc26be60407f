"""Differential check: the entities found on fixed corpora are frozen, so speed work changes no output.

Every (type, start, end, recognizer, text) of the redact-mode analyzer on the synthetic demo hospital
(40 patients), the dev corpora (dev.txt, dev2.txt, markup stripped) and the synthetic labelled corpus
(seed 7, 200 notes) is hashed per corpus; ``tests/privacy/golden/deid_spans.json`` holds the hashes and
span counts taken before the speed work. All text is synthetic. Regenerate deliberately (an intended
change of output) with ``.venv/bin/python tests/privacy/test_deid_golden.py --write``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "deid_spans.json"
_MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]|\{\{(.+?)\}\}", re.S)
_HEADER = re.compile(r"^=== (\S+) (.*?) ===\s*$", re.M)


def _dev_docs(name: str) -> list[str]:
    from yizhu.evaluation.dataset import DATA_DIR

    path = DATA_DIR / "deid" / name / f"{name}.txt"
    parts = _HEADER.split(path.read_text(encoding="utf-8"))[1:]
    docs = []
    for i in range(0, len(parts), 3):
        body = parts[i + 2]
        body = re.sub(r"\Akeep:[^\n]*\n", "", body.lstrip("\n"))
        docs.append(_MARK.sub(lambda m: m.group(2) if m.group(1) else m.group(3), body))
    return docs


@functools.cache
def corpora() -> dict[str, list[str]]:
    from yizhu.demo.generator import generate_hospital
    from yizhu.evaluation.data.deid.synth import generate_corpus

    return {
        "demo40": [d.text for d in generate_hospital(n_patients=40).documents],
        "dev": _dev_docs("dev"),
        "dev2": _dev_docs("dev2"),
        "synth200": [n.text for n in generate_corpus(200, seed=7)],
    }


def fingerprint(texts: list[str]) -> dict[str, object]:
    from yizhu.privacy import deidentify

    h = hashlib.sha256()
    n = 0
    for t in texts:
        r = deidentify(t)
        for e in r.entities:
            h.update(f"{e.type}\t{e.start}\t{e.end}\t{e.recognizer}\t{e.text}\n".encode())
            n += 1
        h.update(b"\x00" + r.text.encode() + b"\x00")
    return {"docs": len(texts), "spans": n, "sha256": h.hexdigest()}


@pytest.mark.parametrize("name", ["demo40", "dev", "dev2", "synth200"])
def test_entities_unchanged(name: str) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert fingerprint(corpora()[name]) == golden[name]


if __name__ == "__main__" and "--write" in sys.argv:
    GOLDEN.write_text(
        json.dumps({k: fingerprint(v) for k, v in corpora().items()}, indent=1) + "\n", encoding="utf-8"
    )
