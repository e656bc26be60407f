"""The third writer's de-identification corpora parse and hold what their READMEs promise.

`src/yizhu/evaluation/data/deid/dev2/dev2.txt` (dev: tune on it) and
`src/yizhu/evaluation/data/deid/heldout2/heldout2.txt` (held out: do not tune) are hand-written documents
with inline markup (`=== Xnnn 文书类型 ===`, optional `keep:` line, `[[TYPE:value]]` identifiers that must
be masked, `{{value}}` spans that must not be). This test does not run the engine: it checks that both
files parse (with the measuring script's own parser too), that they hold at least the promised numbers of
documents, names, other identifiers and negatives, that every synthetic number carries a valid check
character (GB 11643 for 18-digit ID numbers, the Hong Kong identity card's check digit, Luhn for bank
cards), and that the two halves name different people.

Measure the engine with
`.venv/bin/python scripts/eval_deid_realistic.py --file src/yizhu/evaluation/data/deid/dev2/dev2.txt`
(and the same with heldout2/heldout2.txt).
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEID = ROOT / "src" / "yizhu" / "evaluation" / "data" / "deid"
DEV2 = DEID / "dev2" / "dev2.txt"
HELDOUT2 = DEID / "heldout2" / "heldout2.txt"

MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]|\{\{(.+?)\}\}", re.S)
HEADER = re.compile(r"^=== (\S+) (.*?) ===\s*$")
TYPES = {"NAME", "ID", "PHONE", "ADDR", "POSTCODE", "MRN", "INS", "BANK", "PLATE", "WECHAT", "QQ",
         "EMAIL", "URL", "IP", "ORG", "DATE", "TIME", "AGE", "BED"}

# (file, documents at least, names at least, other identifiers at least, negatives at least)
FLOORS = {
    "dev2": (DEV2, 30, 200, 150, 150),
    "heldout2": (HELDOUT2, 38, 280, 200, 150),
}

GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
GB11643_CHECK = "10X98765432"
FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘ", "0123456789X")


def _documents(path: Path) -> list[tuple[str, str]]:
    docs: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = HEADER.match(line)
        if m:
            docs.append((m.group(1), []))
        elif docs:
            docs[-1][1].append(line)
    return [(doc_id, "\n".join(lines)) for doc_id, lines in docs]


def _marks(path: Path) -> tuple[Counter, int, list[tuple[str, str]]]:
    types: Counter = Counter()
    negatives = 0
    values: list[tuple[str, str]] = []
    for _doc_id, body in _documents(path):
        for m in MARK.finditer(body):
            if m.group(1):
                types[m.group(1)] += 1
                values.append((m.group(1), m.group(2)))
            else:
                negatives += 1
    return types, negatives, values


def _gb11643_ok(number: str) -> bool:
    body, check = number[:17], number[17]
    return GB11643_CHECK[sum(int(d) * w for d, w in zip(body, GB11643_WEIGHTS, strict=True)) % 11] == check


def _hkid_ok(value: str) -> bool:
    m = re.fullmatch(r"([A-Z])(\d{6})\(([0-9A])\)", value)
    assert m, value
    total = 36 * 9 + (ord(m.group(1)) - 55) * 8 + sum(int(d) * w for d, w in zip(m.group(2), range(7, 1, -1), strict=True))
    rest = total % 11
    expected = "0" if rest == 0 else ("A" if rest == 1 else str(11 - rest))
    return expected == m.group(3)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        x = int(ch) * (2 if i % 2 else 1)
        total += x - 9 if x > 9 else x
    return total % 10 == 0


@pytest.mark.parametrize("half", sorted(FLOORS))
def test_counts(half):
    path, min_docs, min_names, min_other, min_neg = FLOORS[half]
    docs = _documents(path)
    ids = [d for d, _ in docs]
    assert len(ids) == len(set(ids)), "document ids repeat"
    types, negatives, _ = _marks(path)
    assert set(types) <= TYPES, set(types) - TYPES
    assert len(docs) >= min_docs
    assert types["NAME"] >= min_names, types
    assert sum(types.values()) - types["NAME"] >= min_other, types
    assert negatives >= min_neg
    # the same spread of identifier kinds in both halves
    for kind in ("NAME", "ID", "PHONE", "ADDR", "MRN", "INS", "BANK", "ORG", "DATE", "TIME", "AGE", "BED",
                 "PLATE", "WECHAT", "QQ", "EMAIL", "POSTCODE"):
        assert types[kind] >= 1, kind


@pytest.mark.parametrize("half", sorted(FLOORS))
def test_markup_balanced_and_parsed_by_the_script(half):
    path = FLOORS[half][0]
    for doc_id, body in _documents(path):
        rest = MARK.sub("", body)
        assert "[[" not in rest and "]]" not in rest and "{{" not in rest and "}}" not in rest, doc_id
    spec = importlib.util.spec_from_file_location("eval_deid_realistic", ROOT / "scripts" / "eval_deid_realistic.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    parsed = script.parse(path)
    types, _, _ = _marks(path)
    assert len(parsed) == len(_documents(path))
    assert sum(len(d["phi"]) for d in parsed) == sum(types.values())
    for d in parsed:  # offsets index the plain text
        for _typ, start, end, value in d["phi"]:
            assert d["text"][start:end] == value


@pytest.mark.parametrize("half", sorted(FLOORS))
def test_synthetic_numbers_carry_valid_check_characters(half):
    _, _, values = _marks(FLOORS[half][0])
    checked = 0
    for typ, value in values:
        plain = re.sub(r"[\s-]", "", value.translate(FULLWIDTH))
        if typ == "ID" and re.fullmatch(r"\d{17}[\dX]", plain):
            assert _gb11643_ok(plain), value
            checked += 1
        elif typ == "ID" and re.fullmatch(r"[A-Z]\d{6}\([0-9A]\)", plain):
            assert _hkid_ok(plain), value
        elif typ == "BANK":
            assert _luhn_ok(re.sub(r"\D", "", plain)), value
            checked += 1
    assert checked >= 6


def test_the_halves_name_different_people():
    def names(path):
        return {re.sub(r"\s", "", v) for t, v in _marks(path)[2] if t == "NAME" and len(re.sub(r"\s", "", v)) > 1}

    shared = names(DEV2) & names(HELDOUT2)
    assert not shared, shared
