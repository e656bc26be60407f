"""Write one side of yizhu's hash split of a labelled file (CHIP-CDN JSON, JSONL, CSV) to a file outside the repo.

The split is defined in ``yizhu.learn.split`` (sha256 of a salted text, 20 % held back); nothing of the
data is stored in the repository. Example (the figures in docs/terminology.md):

    .venv/bin/python scripts/split_labelled.py ../shared/data/cblue/CHIP-CDN_train.json --part test --out /tmp/cdn_test.json
    .venv/bin/yizhu eval run normalisation --data /tmp/cdn_test.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from yizhu.learn.split import DEFAULT_TEST_FRACTION, split_of


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--part", choices=("train", "test"), required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--test-fraction", type=float, default=DEFAULT_TEST_FRACTION)
    a = ap.parse_args(argv)
    raw = a.file.read_text(encoding="utf-8-sig")
    if raw.lstrip().startswith("["):
        recs = [r for r in json.loads(raw) if split_of(str(r.get("text", "")), a.test_fraction) == a.part]
        a.out.write_text(json.dumps(recs, ensure_ascii=False, indent=0), encoding="utf-8")
    else:
        lines = [ln for ln in raw.splitlines() if ln.strip()]
        keep = [ln for ln in lines if split_of(str(json.loads(ln).get("text", "")), a.test_fraction) == a.part]
        a.out.write_text("\n".join(keep) + "\n", encoding="utf-8")
        recs = keep
    print(f"{a.out}: {len(recs)} records ({a.part})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
