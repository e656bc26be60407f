"""ONE-OFF check (issue #17): the packs compiled from the YAML sources load to the same objects as before.

Extract the pre-conversion JSONL into a folder and compare, kind by kind, items, order and types::

    mkdir -p /tmp/old && for f in drugs interactions guidelines diagnoses symptoms labs departments; do
      git show da149f4:src/yizhu/knowledge/packs/$f.jsonl > /tmp/old/$f.jsonl; done
    .venv/bin/python scripts/importers/check_same_objects.py /tmp/old

Exit 0 and one EQUAL line per kind when nothing changed. (da149f4 is the commit before the conversion.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from yizhu.knowledge.packs import KnowledgeBase
from yizhu.knowledge.schema import PACK_KINDS


def main(old_dir: str) -> int:
    """Compare every kind; returns 1 when any differs."""
    old = KnowledgeBase.load([Path(old_dir)])
    new = KnowledgeBase.load()
    bad = 0
    for kind in PACK_KINDS:
        a, b = old.pack(kind).items, new.pack(kind).items
        same = a == b and [type(x) for x in a] == [type(x) for x in b] and [x.model_dump() for x in a] == [
            x.model_dump() for x in b]
        bad += not same
        sys.stdout.write(f"{kind:<12} old {len(a):>5}  new {len(b):>5}  {'EQUAL' if same else 'DIFFER'}\n")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
