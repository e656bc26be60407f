"""Learn an extraction lexicon (terms annotators mark, words they never mark) from labelled records.

The rules behind the shipped ``learned_lexicon.yaml`` (see ``learned_lexicon``), as a function, so that
``scripts/learn_extraction_lexicon.py`` writes the shipped file and the extractor trainer can learn the
same lexicon *out of fold* (``cross_fit``): the dictionary features of each training fold then come from a
lexicon learned on the other folds, as they will for unseen text, instead of firing on every gold surface
of the sentence itself (stacking without cross-fitting teaches the CRF to trust them too much).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from yizhu.knowledge.terminology.learned_lexicon import LearnedLexicon
from yizhu.knowledge.terminology.ner_data import NerRecord

_CONTEXT_TYPES = frozenset({"body_part", "department", "device", "microorganism"})
#: a learned procedure or exam must be named as one (…术, …检查, …造影, CT): care actions and routes of
#: administration (接种, 输液, 静注, 保暖) are not, and the grounding check of drafts would demand them from the source
PROCEDURE_HEADS = ("术", "检查", "检测", "造影", "治疗", "疗法", "疗", "移植", "切除", "插管", "透析", "扫描", "置换", "分析",
                   "诊断", "活检", "穿刺", "显像", "试验", "实验", "超声", "超声心动图", "X线", "X线片", "胸片", "植入", "平扫",
                   "环缩术", "监护", "通气", "吸氧", "给氧")
_PUNCT = set("，。；：、,.;:（）()")


def learn_terms(records: Sequence[NerRecord], *, min_count: int = 2, purity: float = 0.7,
                precision: float = 0.3) -> list[dict[str, Any]]:
    """Surfaces annotated >= ``min_count`` times, ``purity`` of them with one type, in >= ``precision`` of the
    places they occur in the texts (``{"term", "type", "count", "seen"}``, sorted by term)."""
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        for s in r.spans:
            by_type[r.text[s.start:s.end]][s.type] += 1
    texts = [r.text for r in records]
    terms = []
    for surface, types in sorted(by_type.items()):
        total = sum(types.values())
        typ, n = types.most_common(1)[0]
        if (total < min_count or len(surface.strip()) < 2 or surface.strip() != surface or _PUNCT & set(surface)
                or n / total < purity):
            continue
        if typ in ("procedure", "exam") and not (surface.endswith(PROCEDURE_HEADS)
                                                 or any(c.isascii() and c.isalpha() for c in surface)):
            continue
        seen = sum(t.count(surface) for t in texts)
        if total / max(seen, 1) < precision:
            continue
        terms.append({"term": surface, "type": typ, "count": n, "seen": seen})
    return terms


def learn_doc(records: Sequence[NerRecord], export: dict[str, str], meta: dict[str, Any], *, kb: Any = None,
              min_count: int = 2, purity: float = 0.7, precision: float = 0.3, max_precision: float = 0.2,
              not_mentions: bool = True) -> dict[str, Any]:
    """The whole lexicon document (``_meta``, ``terms``, ``not_mentions``), validated by ``LearnedLexicon``.

    ``export``: our type → the records' scheme (mentions of types the scheme lacks are not judged);
    ``kb``: the knowledge packs the dictionary extractor is built from (for the not-mentions).
    """
    from yizhu.knowledge.packs import KnowledgeBase
    from yizhu.knowledge.terminology.extract import Extractor

    terms = learn_terms(records, min_count=min_count, purity=purity, precision=precision)
    doc: dict[str, Any] = {"_meta": meta, "terms": terms, "not_mentions": []}
    if not_mentions:
        with tempfile.TemporaryDirectory() as tmp:
            first = Path(tmp) / "terms.yaml"
            first.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
            ext = Extractor.build(kb or KnowledgeBase.load(), learned=first, segment=True)
            found: Counter[str] = Counter()
            annotated: Counter[str] = Counter()
            typed: dict[str, Counter[str]] = defaultdict(Counter)
            for r in records:
                gold = {(s.start, s.end) for s in r.spans}
                for e in ext.extract(r.text):
                    if e.type not in export and export:
                        continue
                    s, t = e.name_span
                    found[e.text[: t - s]] += 1
                    typed[e.text[: t - s]][e.type] += 1
                    annotated[e.text[: t - s]] += (s, t) in gold
        kept = {t["term"] for t in terms}
        # only context words (parts, departments, devices, organisms) unless the evidence is overwhelming:
        # a symptom, drug or test the annotators happen not to mark (咳, 心电图) must stay a mention for the
        # engines that read notes (grounding, QC, drafting)
        for w, n in sorted(found.items()):
            typ = typed[w].most_common(1)[0][0]
            context_word = typ in _CONTEXT_TYPES and n >= max(3, min_count)
            overwhelming = n >= 10 and annotated[w] / n <= 0.05
            if annotated[w] / n <= max_precision and w not in kept and (context_word or overwhelming):
                doc["not_mentions"].append({"term": w, "type": typ, "found": n, "annotated": annotated[w]})
    LearnedLexicon.model_validate(doc)
    return doc


def default_meta(learned_from: str, licence: str, *, min_count: int = 2, purity: float = 0.7, precision: float = 0.3,
                 max_precision: float = 0.2) -> dict[str, Any]:
    return {"name": "yizhu learned extraction lexicon", "version": "1.0.0", "learned_from": learned_from,
            "licence": licence,
            "method": (f"scripts/learn_extraction_lexicon.py: terms annotated >= {min_count} times, majority type "
                       f">= {purity}, annotated >= {precision} of their occurrences; not-mentions: body parts, "
                       f"departments, devices, organisms found by the dictionary >= 3 times and annotated <= "
                       f"{max_precision} of them, other types found >= 10 times and annotated <= 0.05"),
            "min_count": min_count, "built": dt.date.today().isoformat()}


def dump(doc: dict[str, Any]) -> str:
    """The YAML text of a lexicon document: one item a line (JSON is YAML flow style), reviewable in a diff."""
    header = ("# Learned extraction lexicon: aggregates (surface, type, counts) learned from annotated text; see\n"
              "# yizhu/knowledge/terminology/learned_lexicon.py for what is kept and why. Generated by\n"
              "# scripts/learn_extraction_lexicon.py; do not edit by hand, re-run it.\n")
    body = [yaml.safe_dump({"_meta": doc["_meta"]}, allow_unicode=True, sort_keys=False, width=120).rstrip(), "terms:"]
    body += ["- " + json.dumps(t, ensure_ascii=False) for t in doc["terms"]]
    body.append("not_mentions:" + ("" if doc["not_mentions"] else " []"))
    body += ["- " + json.dumps(t, ensure_ascii=False) for t in doc["not_mentions"]]
    return header + "\n".join(body) + "\n"
