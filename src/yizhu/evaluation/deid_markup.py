"""The inline-markup layout of the realistic de-identification corpora (``evaluation/data/deid/*/…txt``).

Blind writers mark, in documents they write by hand (all synthetic), every identifier as ``[[TYPE:value]]`` and every
span that must survive as ``{{value}}``; a document opens with ``=== <id> <title> ===`` and an optional ``keep: a; b``
line lists terms that must survive wherever they occur. ``parse_markup`` strips the markup and returns each document's
text, its marked identifiers (offsets into the stripped text) and its negatives. ``TYPES`` maps the writers' type
names to the engine's PHI types (the ``phi-markup`` loader of ``yizhu.evaluation.loaders``), ``CLASSES`` groups them
as the targets of issue 13 are stated (names, identifiers, contact, …: ``scripts/eval_deid_realistic.py``).
"""

from __future__ import annotations

import re
from typing import Any

MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]|\{\{(.+?)\}\}", re.S)
HEADER = re.compile(r"^=== (\S+) (.*?) ===\s*$")
CLASSES = {
    "NAME": "names",
    "ID": "identifiers",
    "MRN": "identifiers",
    "INS": "identifiers",
    "BANK": "identifiers",
    "PLATE": "identifiers",
    "PHONE": "contact",
    "WECHAT": "contact",
    "QQ": "contact",
    "EMAIL": "contact",
    "URL": "contact",
    "IP": "contact",
    "ADDR": "addresses",
    "POSTCODE": "addresses",
    "ORG": "organisations",
    "DATE": "dates/times/ages",
    "TIME": "dates/times/ages",
    "AGE": "dates/times/ages",
    "BED": "beds",
}
#: The writers' type -> the engine's PHI type (``yizhu.privacy.types.PHIType``).
TYPES = {
    "NAME": "PERSON", "ID": "ID_CARD", "MRN": "RECORD_ID", "INS": "INSURANCE_ID", "BANK": "BANK_CARD", "PLATE": "PLATE",
    "PHONE": "PHONE", "WECHAT": "SOCIAL_ID", "QQ": "SOCIAL_ID", "EMAIL": "EMAIL", "URL": "URL", "IP": "IP",
    "ADDR": "ADDRESS", "POSTCODE": "POSTCODE", "ORG": "ORG", "DATE": "DATE", "TIME": "TIME", "AGE": "AGE", "BED": "BED",
}


class MarkupError(ValueError):
    """A corpus that breaks the layout (unbalanced markup, a keep term absent from its document)."""


def looks_like_markup(text: str) -> bool:
    """Whether ``text`` opens (after blank lines) with a document header of this layout."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return HEADER.match(first) is not None


def parse_markup(text: str) -> list[dict[str, Any]]:
    """The documents of a corpus: id, title, keep terms, marked text, stripped text, identifiers
    ``(TYPE, start, end, value)`` and negatives ``(start, end, value)``."""
    docs: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            cur = {"id": m.group(1), "title": m.group(2), "keep": [], "lines": []}
            docs.append(cur)
        elif cur is None:
            continue
        elif not cur["lines"] and line.startswith("keep:"):
            cur["keep"] = [t.strip() for t in line[5:].split(";") if t.strip()]
        else:
            cur["lines"].append(line)
    for d in docs:
        d["marked"] = "\n".join(d.pop("lines")).strip("\n") + "\n"
        d["text"], d["phi"], d["keeps"] = strip_markup(d["marked"], d["id"])
        for term in d["keep"]:
            if term not in d["text"]:
                raise MarkupError(f"{d['id']}: keep term {term!r} does not occur in the text")
    return docs


def strip_markup(marked: str, doc_id: str = "") -> tuple[str, list[tuple[str, int, int, str]], list[tuple[int, int, str]]]:
    """The text without markup, its identifiers and its negatives (offsets into the stripped text)."""
    out: list[str] = []
    phi: list[tuple[str, int, int, str]] = []
    keeps: list[tuple[int, int, str]] = []
    pos = n = 0
    for m in MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        n += m.start() - pos
        value = m.group(2) if m.group(1) else m.group(3)
        if m.group(1):
            phi.append((m.group(1), n, n + len(value), value))
        else:
            keeps.append((n, n + len(value), value))
        out.append(value)
        n += len(value)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "{{" in text:
        raise MarkupError(f"{doc_id or 'a document'}: unbalanced markup")
    return text, phi, keeps
