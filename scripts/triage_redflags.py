"""Red-flag sensitivity and specificity of the triage engine on a case file (YAML: ``positive`` — text and
the flag that must fire — and ``none`` — texts where no flag may fire).

    .venv/bin/python scripts/triage_redflags.py [FILE]   # default: tests/clinical/triage/data/red_flags.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "clinical" / "triage" / "data" / "red_flags.yaml"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    from yizhu.clinical.triage import run_triage

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pos, neg = data.get("positive") or [], data.get("none") or []
    missed = [c for c in pos if c["flag"] not in [f["id"] for f in run_triage(c["text"], use_model=False)["red_flags"]]]
    alarms = [t for t in neg if run_triage(t, use_model=False)["red_flags"]]
    sens = (len(pos) - len(missed)) / len(pos) if pos else float("nan")
    spec = (len(neg) - len(alarms)) / len(neg) if neg else float("nan")
    print(f"{path.name}: sensitivity {sens:.3f} ({len(pos) - len(missed)}/{len(pos)}), "
          f"specificity {spec:.3f} ({len(neg) - len(alarms)}/{len(neg)})")
    for c in missed:
        print(f"  missed {c['flag']}: {c['text']}")
    for t in alarms:
        print(f"  false alarm: {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
