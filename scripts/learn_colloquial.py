"""Learn lay forms from the IMCS-V2 NER dialogues (train part only) into the shared colloquial lexicon.

For every entity surface the annotators marked in the TRAIN part of yizhu's hash split
(``yizhu.learn.split``; the test part is never read) that is seen at least ``--min-count`` times and is
neither a standard term nor a lay form the lexicon already has, the standard term is looked for:

- Drug: the drug normaliser (brand, salt, dose form → generic), only when it is not the surface itself;
- Symptom, Drug_Category, Medical_Examination: the closest standard name of that kind (symptom pack,
  lexicon drug classes, exams and lab names) when one character sequence contains the other in order
  (流鼻涕 ⊇ 流涕, 咳 ⊆ 咳嗽), they share the first character, and the best candidate is unique.

Found pairs are appended to ``knowledge/packs/colloquial.jsonl`` marked ``learned_from`` with their
``count`` (re-running replaces the earlier learned entries). Review the diff before committing.

    .venv/bin/python scripts/learn_colloquial.py ../shared/data/imcs/IMCS-V2_ner_train.jsonl --min-count 5
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from yizhu.knowledge.packs import get_kb
from yizhu.knowledge.terminology import normalise_drug
from yizhu.knowledge.terminology.colloquial import COLLOQUIAL_FILE, ColloquialEntry, load
from yizhu.knowledge.terminology.extract import load_lexicon
from yizhu.knowledge.terminology.ner_data import bio_to_spans
from yizhu.knowledge.terminology.text import key
from yizhu.learn.split import split_of

LEARNED_FROM = "IMCS-V2 NER (train split), train part of the yizhu hash split v1"
KIND = {"Symptom": "symptom", "Drug": "brand", "Drug_Category": "drug_category", "Medical_Examination": "exam"}


def _subseq(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


#: what a standard name may add to a lay form at its end (白细胞 → 白细胞计数, 肺功能 → 肺功能检查)
GENERIC_TAILS = ("检查", "计数", "药", "成像")


def _related(lay: str, std: str, known: set[str]) -> bool:
    """Whether ``lay`` is a lay way of saying ``std``: a decorated form (流清鼻涕 → 流涕, 退热药物 → 退热药)
    whose extra characters are not a term of their own (高热惊厥 is not 高热), or a clipped form with a
    character left out inside (鼻血 → 鼻出血) or a generic tail dropped (白细胞 → 白细胞计数)."""
    if len(lay) > len(std):
        if not _subseq(std, lay):
            return False
        extra = "".join(c for c in lay if c not in std)
        return not any(len(w) >= 2 and w in lay and w not in std for w in known) and extra != ""
    if std.startswith(lay):
        return std[len(lay):] in GENERIC_TAILS
    return len(lay) >= 2 and std[-1] == lay[-1] and _subseq(lay, std)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--out", type=Path, default=COLLOQUIAL_FILE)
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args(argv)

    counts: Counter[tuple[str, str]] = Counter()
    for line in a.file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if split_of(rec["text"]) != "train":
            continue
        for s, e, typ in bio_to_spans(rec["text"], rec["bio"], str(a.file)):
            if typ in KIND:
                counts[(typ, rec["text"][s:e])] += 1

    lines = a.out.read_text(encoding="utf-8").splitlines()
    curated = [ln for ln in lines if '"learned_from"' not in ln]
    tmp = a.out.with_suffix(".curated.tmp")
    tmp.write_text("\n".join(curated) + "\n", encoding="utf-8")
    lex = load([tmp])
    tmp.unlink()
    known_lay = {key(x.lay) for x in lex.entries}
    kb = get_kb()
    lexicon = load_lexicon()
    standards: dict[str, set[str]] = {
        "Symptom": {i.name for i in kb.pack("symptom")} | {x.standard for x in lex.entries if x.kind == "symptom"},
        "Drug_Category": {n[0] for n in lexicon.get("drug_category", [])}
        | {x.standard for x in lex.entries if x.kind == "drug_category"},
        "Medical_Examination": {n[0] for n in lexicon.get("exam", [])} | {i.name for i in kb.pack("lab")},
    }
    all_terms = {key(t) for names in standards.values() for t in names}
    all_terms |= {key(t) for i in kb.pack("symptom") for t in i.terms()}
    known_words = {t for t in all_terms if len(t) >= 2}
    known_words |= {key(t) for typ in ("body_part", "symptom") for names in lexicon.get(typ, []) for t in names}
    known_words |= {key(t) for i in kb.pack("diagnosis") for t in i.terms() if len(t) <= 4}
    learned: list[ColloquialEntry] = []
    for (typ, surface), n in counts.most_common():
        k = key(surface)
        if n < a.min_count or k in known_lay or k in all_terms or len(k) > 12:
            continue
        std: str | None = None
        if typ == "Drug":
            m = normalise_drug(surface)
            if m is not None and key(m.name) != k and m.via in ("brand", "synonym") and k not in key(m.name):
                std = m.name
        else:
            cands = [t for t in standards[typ] if t and t[0] == surface[0] and t != surface
                     and _related(surface, t, known_words) and abs(len(t) - len(surface)) <= 2]
            cands.sort(key=lambda t: (abs(len(t) - len(surface)), t))
            if len(cands) == 1 or (len(cands) > 1 and abs(len(cands[0]) - len(surface)) < abs(len(cands[1]) - len(surface))):
                std = cands[0]
        if std is None:
            continue
        learned.append(ColloquialEntry(
            lay=surface, standard=std, kind=KIND[typ],  # type: ignore[arg-type]
            source=("learned by yizhu (2026) from annotated dialogue mentions; standard term from the yizhu "
                    "drug pack" if typ == "Drug" else "learned by yizhu (2026) from annotated dialogue mentions; "
                    "standard term from the yizhu symptom/lab packs and extraction lexicon"),
            learned_from=LEARNED_FROM, count=n))
    out = [*curated, *(json.dumps(e.model_dump(exclude_none=True, exclude_defaults=True), ensure_ascii=False)
                       for e in learned)]
    for e in learned:
        print(f"{e.kind:<14} {e.lay} → {e.standard}  ({e.count})", file=sys.stderr)
    print(f"{len(learned)} learned entries (min count {a.min_count})", file=sys.stderr)
    if not a.dry_run:
        a.out.write_text("\n".join(out) + "\n", encoding="utf-8")
        load([a.out])  # validate the whole file
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
