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
import sys
from pathlib import Path

from yizhu.knowledge.packs import KnowledgeBase
from yizhu.knowledge.terminology.extract_model import ExtractorTrainer
from yizhu.knowledge.terminology.lexicon_learning import default_meta, dump, learn_doc
from yizhu.knowledge.terminology.ner_data import EXPORT
from yizhu.learn.split import split_records


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
    meta = default_meta(f"{a.name}, {part} of the yizhu hash split (yizhu.learn.split)", a.licence,
                        min_count=a.min_count, purity=a.purity, precision=a.precision, max_precision=a.max_precision)
    doc = learn_doc(train, export, meta, kb=KnowledgeBase.load(), min_count=a.min_count, purity=a.purity,
                    precision=a.precision, max_precision=a.max_precision, not_mentions=not a.no_not_mentions)
    a.out.write_text(dump(doc), encoding="utf-8")
    print(f"{a.out}: {len(doc['terms'])} terms, {len(doc['not_mentions'])} not-mentions from {len(train)} records "
          f"({part})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
