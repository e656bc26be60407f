"""Drug names in real patient language: how many of the Drug mentions of IMCS-V2 (real online paediatric
consultations, ../shared/data/imcs) the prescription-review resolver maps to a drug-pack item or a carrier.

Research-use data read in place, never copied into the project; skipped (exit 0, saying why) where absent.
Coverage only: the dataset tags drug mentions but does not say which drug they are, so every resolution
other than an exact name match is listed for a person to adjudicate (``--list``).

Run: ``.venv/bin/python scripts/rx_names_imcs.py [--data ../shared/data/imcs/IMCS-V2_ner_train.jsonl] [--list]``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from yizhu.clinical.rx.resolve import DrugResolver
from yizhu.knowledge.packs import get_kb

_REPO = Path(__file__).resolve().parents[1]
#: ../shared/data beside the repository (a worktree one level deeper looks two levels up).
DEFAULT = next((p for p in (_REPO.parent / "shared", _REPO.parent.parent / "shared")
                if (p / "data" / "imcs").is_dir()), _REPO.parent / "shared") / "data" / "imcs" / "IMCS-V2_ner_train.jsonl"


def drug_mentions(path: Path) -> Counter[str]:
    """Every span tagged B-Drug/I-Drug, with how often it occurs."""
    spans: Counter[str] = Counter()
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text, bio = row["text"], row["bio"]
            i = 0
            while i < len(bio):
                if bio[i] == "B-Drug":
                    j = i + 1
                    while j < len(bio) and bio[j] == "I-Drug":
                        j += 1
                    spans[text[i:j]] += 1
                    i = j
                else:
                    i += 1
    return spans


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--list", action="store_true", help="list every resolution other than an exact name match")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        sys.stdout.write(f"skipped: {args.data} is not present (public research data, read in place)\n")
        return 0
    spans = drug_mentions(args.data)
    resolver = DrugResolver(get_kb())
    total = sum(spans.values())
    hit: Counter[str] = Counter()
    how: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    rows = []
    for s, n in spans.items():
        r = resolver.resolve(s)
        if r.known:
            hit[s] = n
            how[r.how or "?"] += n
            if r.how != "name":
                rows.append((n, s, r.how, "+".join(i.name for i in r.items) or r.carrier))
        else:
            missed[s] = n
    sys.stdout.write(
        f"IMCS-V2 Drug mentions: {total} ({len(spans)} distinct); resolved {sum(hit.values())} "
        f"({sum(hit.values()) / total:.1%}), {len(hit)} distinct; by: {dict(how.most_common())}\n"
        f"most frequent unresolved: {', '.join(f'{s}×{n}' for s, n in missed.most_common(20))}\n")
    if args.list:
        for n, s, h, what in sorted(rows, reverse=True):
            sys.stdout.write(f"{n:5d}  {s}  →  {what}  ({h})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
