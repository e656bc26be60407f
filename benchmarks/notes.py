"""Tokens in/out and LLM calls per note type, with a real model (default: the embedded demo model).

Needs a configured model: `yizhu models add-demo` (Gemma 3 270M GGUF, llama-cpp-python) writes one
into yizhu.toml; or pass --config with any yizhu.toml whose [routes] reach a model. The demo model is
NOT clinically capable: its drafts are mostly flagged or fall back to the rule path; what this
measures is the cost shape (calls per section, tokens, prefix reuse), not quality.

    python benchmarks/notes.py --config yizhu.toml [--model demo-gemma] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", type=Path, help="yizhu.toml with [models.*] and [routes]")
    ap.add_argument("--model", help="a configured model name (default: the route of notes.<type>)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.config:
        os.environ["YIZHU_CONFIG"] = str(args.config.resolve())
    from yizhu.clinical.notes import dialogue_context, draft_note
    from yizhu.config import load_settings
    from yizhu.demo import generate_hospital
    from yizhu.evaluation.notes import load_jsonl
    from yizhu.llm import build_gateway

    gateway = build_gateway(load_settings())
    if not args.model and not gateway.has_model("notes.discharge"):
        sys.stderr.write("no model is configured: run `yizhu models add-demo` or pass --config\n")
        return 2
    hospital = generate_hospital(seed=20261123)
    adm = next(c for c in hospital.contexts if c.encounter and c.encounter.encounter_class.value == "inpatient")
    adm_note = adm.model_copy(update={"documents": [d for d in adm.documents if d.doc_type == "入院记录"]})
    dialogue = load_jsonl("dialogues.jsonl")[0]["transcript"]
    inputs = {
        "discharge": adm,
        "progress": adm_note,
        "outpatient": dialogue_context(dialogue),
        "admission": dialogue_context(dialogue),
    }
    rows = []
    for note_type, ctx in inputs.items():
        t0 = time.perf_counter()
        d = draft_note(note_type, ctx, gateway=gateway, model=args.model)
        u = d.usage
        rows.append({
            "type": note_type, "sections": len(d.sections), "llm_sections": sum(1 for s in d.sections if s.origin == "llm"),
            "llm_calls": u.llm_calls, "failed_calls": sum(1 for c in u.calls if "error" in c),
            "prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
            "seconds": round(time.perf_counter() - t0, 2), "model": d.model, "degraded": d.degraded,
            "grounding": d.counts(),
        })
    gateway.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(f"{'type':<11}{'calls':>6}{'failed':>7}{'tok in':>8}{'tok out':>8}{'s':>8}  degraded")
        for r in rows:
            print(f"{r['type']:<11}{r['llm_calls']:>6}{r['failed_calls']:>7}{r['prompt_tokens']:>8}"
                  f"{r['completion_tokens']:>8}{r['seconds']:>8}  {','.join(r['degraded'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
