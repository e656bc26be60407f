"""Learn the extraction lexicon (``learned_lexicon.yaml``) from the TRAIN part of a labelled file.

The test part of yizhu's hash split (``yizhu.learn.split``) is dropped unread. With ``--dev`` only the
fit slice of the train part is read (salt ``yizhu-dev-v1``), so the result can be scored on the dev slice
(``scripts/extraction_errors.py --dev --learned FILE``) to choose the thresholds. What is kept and why:
``yizhu.knowledge.terminology.learned_lexicon``.

    .venv/bin/python scripts/learn_extraction_lexicon.py ../shared/data/cblue/CMeEE_dev_part.json \\
        --out src/yizhu/knowledge/terminology/learned_lexicon.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from yizhu.knowledge.packs import KnowledgeBase
from yizhu.knowledge.terminology.extract import Extractor
from yizhu.knowledge.terminology.extract_model import ExtractorTrainer
from yizhu.knowledge.terminology.learned_lexicon import LearnedLexicon
from yizhu.knowledge.terminology.ner_data import EXPORT
from yizhu.learn.split import split_records

_CONTEXT_TYPES = frozenset({"body_part", "department", "device", "microorganism"})
#: a learned procedure or exam must be named as one (…术, …检查, …造影, CT): care actions and routes of
#: administration (接种, 输液, 静注, 保暖) are not, and the grounding check of drafts would demand them from the source
_PROCEDURE_HEADS = ("术", "检查", "检测", "造影", "治疗", "疗法", "疗", "移植", "切除", "插管", "透析", "扫描", "置换", "分析",
                    "诊断", "活检", "穿刺", "显像", "试验", "实验", "超声", "超声心动图", "X线", "X线片", "胸片", "植入", "平扫",
                    "环缩术", "监护", "通气", "吸氧", "给氧")
_PUNCT = set("，。；：、,.;:（）()")


def _occurrences(texts: list[str], term: str) -> int:
    return sum(t.count(term) for t in texts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dev", action="store_true", help="learn from the fit slice of the train part only")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--purity", type=float, default=0.7, help="share of the annotations with the majority type")
    ap.add_argument("--precision", type=float, default=0.3, help="annotated ÷ occurrences in the text, for terms")
    ap.add_argument("--max-precision", type=float, default=0.2, help="annotated ÷ found, at most, for not-mentions")
    ap.add_argument("--no-not-mentions", action="store_true")
    ap.add_argument("--name", default="CMeEE (CBLUE) CMeEE_dev_part.json")
    ap.add_argument("--licence", default="research use (shared/data/cblue/README.md); aggregates with counts, "
                                        "no sentence is kept")
    a = ap.parse_args(argv)
    tr = ExtractorTrainer()
    td = tr.load(a.file)
    train, _test = split_records(td.records, tr.text_of)  # the test part is dropped here, unread
    part = "train part"
    if a.dev:
        train, _dev = split_records(train, tr.text_of, 0.2, salt="yizhu-dev-v1")
        part = "fit slice of the train part"
    export = EXPORT.get(tr.scheme) or {}
    texts = [r.text for r in train]
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for r in train:
        for s in r.spans:
            surface = r.text[s.start:s.end]
            by_type[surface][s.type] += 1
    terms = []
    for surface, types in sorted(by_type.items()):
        total = sum(types.values())
        typ, n = types.most_common(1)[0]
        if (total < a.min_count or len(surface.strip()) < 2 or surface.strip() != surface or _PUNCT & set(surface)
                or n / total < a.purity):
            continue
        if typ in ("procedure", "exam") and not (surface.endswith(_PROCEDURE_HEADS) or any(c.isascii() and c.isalpha()
                                                                                      for c in surface)):
            continue
        seen = _occurrences(texts, surface)
        if total / max(seen, 1) < a.precision:
            continue
        terms.append({"term": surface, "type": typ, "count": n, "seen": seen})
    meta = {"name": "yizhu learned extraction lexicon", "version": "1.0.0",
            "learned_from": f"{a.name}, {part} of the yizhu hash split (yizhu.learn.split)", "licence": a.licence,
            "method": (f"scripts/learn_extraction_lexicon.py: terms annotated >= {a.min_count} times, majority type "
                       f">= {a.purity}, annotated >= {a.precision} of their occurrences; not-mentions: body parts, "
                       f"departments, devices, organisms found by the dictionary >= 3 times and annotated <= "
                       f"{a.max_precision} of them, other types found >= 10 times and annotated <= 0.05"),
            "min_count": a.min_count, "built": dt.date.today().isoformat()}
    doc: dict = {"_meta": meta, "terms": terms, "not_mentions": []}
    kb = KnowledgeBase.load()
    if not a.no_not_mentions:
        with tempfile.TemporaryDirectory() as tmp:
            first = Path(tmp) / "terms.yaml"
            first.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
            ext = Extractor.build(kb, learned=first)
            found: Counter[str] = Counter()
            annotated: Counter[str] = Counter()
            typed: dict[str, Counter[str]] = defaultdict(Counter)
            for r in train:
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
            doc["not_mentions"] = []
            for w, n in sorted(found.items()):
                typ = typed[w].most_common(1)[0][0]
                context_word = typ in _CONTEXT_TYPES and n >= max(3, a.min_count)
                overwhelming = n >= 10 and annotated[w] / n <= 0.05
                if annotated[w] / n <= a.max_precision and w not in kept and (context_word or overwhelming):
                    doc["not_mentions"].append({"term": w, "type": typ, "found": n, "annotated": annotated[w]})
    LearnedLexicon.model_validate(doc)
    header = ("# Learned extraction lexicon: aggregates (surface, type, counts) learned from annotated text; see\n"
              "# yizhu/knowledge/terminology/learned_lexicon.py for what is kept and why. Generated by\n"
              "# scripts/learn_extraction_lexicon.py; do not edit by hand, re-run it.\n")
    body = [yaml.safe_dump({"_meta": meta}, allow_unicode=True, sort_keys=False, width=120).rstrip(), "terms:"]
    body += ["- " + json.dumps(t, ensure_ascii=False) for t in terms]  # one item a line (JSON is YAML flow style)
    body.append("not_mentions:" + ("" if doc["not_mentions"] else " []"))
    body += ["- " + json.dumps(t, ensure_ascii=False) for t in doc["not_mentions"]]
    a.out.write_text(header + "\n".join(body) + "\n", encoding="utf-8")
    print(f"{a.out}: {len(terms)} terms, {len(doc['not_mentions'])} not-mentions from {len(train)} records ({part})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
