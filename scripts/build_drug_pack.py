"""Build the drug, interaction and guideline packs from the tables in ``scripts/drug_pack/``.

Run ``.venv/bin/python scripts/build_drug_pack.py`` after editing a table; it validates every item
against ``yizhu.knowledge.schema``, checks that every interaction side resolves, writes
``src/yizhu/knowledge/packs/{drugs,interactions,guidelines}.jsonl`` and prints the counts
(``--check`` compares instead of writing, for CI and tests).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from drug_pack import (  # noqa: E402
    drugs_analgesic_gi_resp,
    drugs_antiinfective,
    drugs_cns,
    drugs_cv,
    drugs_heme_endo,
    drugs_other,
    dsl,
    guidelines,
    interactions,
)

from yizhu.knowledge.schema import DrugItem, GuidelineCard, InteractionItem  # noqa: E402

PACKS_DIR = ROOT / "src" / "yizhu" / "knowledge" / "packs"
VERSION = "1.0.0"
UPDATED = "2026-01-15"
_MODULES = (drugs_cv, drugs_heme_endo, drugs_antiinfective, drugs_analgesic_gi_resp, drugs_cns, drugs_other)

META: dict[str, dict[str, Any]] = {
    "drug": {
        "kind": "drug", "name": "Drugs (generics common in Chinese hospitals)", "version": VERSION,
        "description": "Generic drugs and common 中成药 with brands, salts, class tags, adult doses, special-population "
                       "cautions, contraindicated conditions, allergy groups, 高警示 and antimicrobial grade. "
                       "Curated summary; not a substitute for the label; hospitals should import their formulary.",
        "source": f"{dsl.LABEL}；{dsl.CHP}",
        "updated": UPDATED,
    },
    "interaction": {
        "kind": "interaction", "name": "Drug–drug interactions (pairs and class rules)", "version": VERSION,
        "description": "Clinically significant interactions as drug pairs or class rules (class:<tag> matches "
                       "DrugItem.class_tags), with severity, mechanism, effect and management in our own words.",
        "updated": UPDATED,
    },
    "guideline": {
        "kind": "guideline", "name": "Guideline cards", "version": VERSION,
        "description": "Short cards summarising Chinese (and key international) clinical guidelines in our own "
                       "words, for retrieval with citations.",
        "updated": UPDATED,
    },
}


def _strip(d: dict[str, Any]) -> dict[str, Any]:
    """Drop null and empty values so the pack stays compact (schema defaults fill them back)."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        if v is None or v == [] or v is False:
            continue
        out[k] = _strip(v) if isinstance(v, dict) else ([_strip(x) if isinstance(x, dict) else x for x in v]
                                                       if isinstance(v, list) else v)
    return out


def expand_rule(rule: InteractionItem, drugs: list[DrugItem]) -> set[tuple[str, str]]:
    """Every unordered pair of different drug ids that a pair or class rule covers."""
    def side(ref: str) -> list[str]:
        if ref.startswith("drug:"):
            return [ref]
        tag = ref.removeprefix("class:")
        return [d.id for d in drugs if tag in d.class_tags]

    a, b = (side(r) for r in rule.drugs)
    return {tuple(sorted((x, y))) for x, y in itertools.product(a, b) if x != y}  # type: ignore[misc]


_REVIEWED: list[bool] = []


def build() -> dict[str, list[Any]]:
    """Validate every table and return the items per kind (pydantic models)."""
    if not _REVIEWED:
        drugs_other.review_pregnancy_letters()
        _REVIEWED.append(True)
    drugs = [DrugItem.model_validate(_strip(d)) for d in dsl.DRUGS]
    ids = [d.id for d in drugs]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SystemExit(f"duplicate drug ids: {sorted(dup)}")
    tags = {t for d in drugs for t in d.class_tags}
    known = set(ids)
    rules = [InteractionItem.model_validate(_strip(r)) for r in interactions.build_rules(drugs)]
    for r in rules:
        for ref in r.drugs:
            if ref.startswith("drug:") and ref not in known:
                raise SystemExit(f"{r.id}: unknown drug {ref}")
            if ref.startswith("class:") and ref.removeprefix("class:") not in tags:
                raise SystemExit(f"{r.id}: unknown class {ref}")
        if not expand_rule(r, drugs):
            raise SystemExit(f"{r.id}: matches no pair of drugs")
    cards = [GuidelineCard.model_validate(_strip(c)) for c in guidelines.CARDS]
    for c in cards:
        for ref in c.related_drugs:
            if ref not in known:
                raise SystemExit(f"{c.id}: unknown drug {ref}")
    return {"drug": drugs, "interaction": rules, "guideline": cards}


def render(kind: str, items: Iterable[Any]) -> str:
    """One pack file as JSONL text: header line, then one compact object per item."""
    lines = [json.dumps({"_meta": META[kind]}, ensure_ascii=False)]
    for it in items:
        raw = it.model_dump(mode="json", exclude_defaults=True)
        raw.pop("kind", None)
        lines.append(json.dumps(raw, ensure_ascii=False))
    return "\n".join(lines) + "\n"


FILES = {"drug": "drugs.jsonl", "interaction": "interactions.jsonl", "guideline": "guidelines.jsonl"}


def main(argv: list[str] | None = None) -> int:
    """Build (or with --check, verify) the three pack files and print counts."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail if the pack files differ from the tables")
    args = ap.parse_args(argv)
    built = build()
    stale = []
    for kind, name in FILES.items():
        text = render(kind, built[kind])
        path = PACKS_DIR / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    drugs = built["drug"]
    pairs: set[tuple[str, str]] = set()
    for r in built["interaction"]:
        pairs |= expand_rule(r, drugs)
    n_class = sum(1 for r in built["interaction"] if r.is_class_rule)
    sys.stdout.write(
        f"drugs: {len(drugs)} (中成药 {sum(d.is_tcm for d in drugs)}, high_alert {sum(d.high_alert for d in drugs)}, "
        f"graded antimicrobials {sum(bool(d.antimicrobial_grade) for d in drugs)})\n"
        f"interactions: {len(built['interaction'])} rules ({n_class} class rules, "
        f"{len(built['interaction']) - n_class} pair rules) → {len(pairs)} distinct drug pairs\n"
        f"guideline cards: {len(built['guideline'])}\n"
    )
    if stale:
        sys.stderr.write(f"out of date: {', '.join(stale)}; run scripts/build_drug_pack.py\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
