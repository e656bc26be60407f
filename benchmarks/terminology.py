"""Terminology: extraction and normalisation throughput (one core) and accuracy on the labelled sets.

Corpus: the notes of the synthetic demo hospital (合成), repeated until ≥ 1 MB of UTF-8 text; diagnosis
strings: the diagnoses written in those records plus the evaluation set (distinct strings), and a
simulated year: 20,000 distinct variants of pack terms (qualifiers, pairs) drawn Zipf-like 500,000 times. Accuracy: src/yizhu/evaluation/data/terminology/*.

    .venv/bin/python benchmarks/terminology.py [--mb 1.0] [--year 500000] [--distinct 20000] [--icd …tsv]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from yizhu.evaluation.dataset import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
EVAL = DATA_DIR / "terminology"
DEFAULT_ICD = ROOT.parent / "shared" / "data" / "icd10" / "icd10_beijing_clinical_v601.tsv"


def corpus(min_bytes: int) -> list[str]:
    from yizhu.demo.generator import generate_hospital

    notes = [d.text for d in generate_hospital(n_patients=60).documents if d.text]
    out, size, i = [], 0, 0
    while size < min_bytes:
        t = notes[i % len(notes)]
        out.append(t)
        size += len(t.encode("utf-8"))
        i += 1
    return out


def diagnosis_strings() -> list[str]:
    from yizhu.demo.generator import generate_hospital
    from yizhu.knowledge.terminology.evaluate import load_dx_cases

    texts = {d.text for c in generate_hospital(n_patients=200).contexts for d in c.diagnoses}
    texts |= {c.text for c in load_dx_cases(EVAL / "dx_normalisation.tsv")}
    return sorted(texts)


def variants(kb: object, n: int, rnd: random.Random) -> list[str]:
    """Distinct diagnosis strings as clinicians write them: names, synonyms, qualifiers, pairs (合成)."""
    terms = sorted({t for item in kb.pack("diagnosis") for t in item.terms() if len(t) >= 2})  # type: ignore[attr-defined]
    quals = ["", "", "", "？", "待排", "可能", "病史", "（左侧）", "3级", " 术后", "急性发作"]
    out: set[str] = set()
    while len(out) < n:
        a = rnd.choice(terms) + rnd.choice(quals)
        out.add(a if rnd.random() < 0.8 else f"{a}，{rnd.choice(terms)}")
    return sorted(out)


def viterbi_ratio(model: object, ext: object, notes: list[str], fold_: object) -> dict[str, float]:
    """CPU seconds of the decoder in use and of the plain labels² Viterbi it replaced, on the same scores."""
    import numpy as np

    from yizhu.knowledge.terminology import crf_compiled as cc

    if cc._viterbi_jit is None:
        return {}
    plain = cc._jit(cc._viterbi_py, nogil=True)
    merged = cc.merge_layers([layer for _, layer in model.layers])  # type: ignore[attr-defined]
    jobs = []
    for text in notes:
        t = fold_(text)  # type: ignore[operator]
        em = merged.scores(t, merged.tag_codes(len(t), ext.mentions(text, t)), ext.all_matches(t), None)  # type: ignore[attr-defined]
        at = 0
        for _, layer in model.layers:  # type: ignore[attr-defined]
            w = len(layer.labels)
            jobs.append((np.ascontiguousarray(em[:, at:at + w]), layer))
            at += w
    times = {}
    for name, fn in (("plain", lambda e, lay: plain(e, lay.trans)), ("now", lambda e, lay: cc._viterbi_jit(e, lay._trans_t))):
        fn(*jobs[0])
        best = float("inf")
        for _ in range(3):
            c0 = time.process_time()
            for e, lay in jobs:
                fn(e, lay)
            best = min(best, time.process_time() - c0)
        times[name] = best
    same = all(np.array_equal(plain(e, lay.trans), cc._viterbi_jit(e, lay._trans_t)) for e, lay in jobs)
    return {"plain_cpu_s": round(times["plain"], 3), "now_cpu_s": round(times["now"], 3),
            "speedup": round(times["plain"] / times["now"], 2), "same_paths": same}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0, help="extraction corpus size (MB of UTF-8)")
    ap.add_argument("--year", type=int, default=500_000, help="diagnosis strings in the simulated year")
    ap.add_argument("--distinct", type=int, default=20_000, help="distinct strings in the simulated year")
    ap.add_argument("--icd", type=Path, default=DEFAULT_ICD, help="a full ICD table to import (optional)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the notes per extraction timing (best kept)")
    ap.add_argument("--model", type=Path, default=None,
                    help="a trained extractor model directory (<data_dir>/models/extractor/<version>); default: the "
                         "active one of the data directory, if any")
    args = ap.parse_args()

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from yizhu.knowledge.importers import import_file
    from yizhu.knowledge.packs import get_kb
    from yizhu.knowledge.terminology import DiagnosisNormaliser, DrugNormaliser, Extractor, terminology
    from yizhu.knowledge.terminology.evaluate import (
        eval_drugs,
        eval_dx,
        eval_extraction,
        load_dx_cases,
        load_extraction_cases,
    )
    from yizhu.knowledge.terminology.text import fold as fold_

    out: dict[str, object] = {}
    kb = get_kb()
    t0 = time.perf_counter()
    ext = Extractor.build(kb)
    out["extractor_build_s"] = round(time.perf_counter() - t0, 3)
    out["segmenter"] = ext.segmenter.backend if ext.segmenter else None

    notes = corpus(int(args.mb * 1_000_000))
    chars = sum(len(n) for n in notes)
    nbytes = sum(len(n.encode("utf-8")) for n in notes)
    ext.extract(notes[0])
    t0 = time.perf_counter()
    n_ents = sum(len(ext.extract(n)) for n in notes)
    dt = time.perf_counter() - t0
    out["extraction"] = {"notes": len(notes), "chars": chars, "mb": round(nbytes / 1e6, 2), "seconds": round(dt, 3),
                         "chars_per_s": round(chars / dt), "mb_per_s": round(nbytes / 1e6 / dt, 2),
                         "entities": n_ents}

    model_dir = args.model
    if model_dir is None:
        from yizhu.learn.store import active_model

        ref = active_model("extractor")
        model_dir = ref.path if ref is not None else None
    if model_dir is not None:
        from yizhu.knowledge.terminology.extract_model import ExtractorModel

        model = ExtractorModel.load(Path(model_dir))
        mext = ext.with_model(model)
        mext.extract(notes[0])

        def cpu(fn: object) -> tuple[float, int]:
            """Best CPU time of ``--repeat`` passes over the notes (a shared machine's noise only adds time)."""
            best, count = float("inf"), 0
            for _ in range(args.repeat):
                c0 = time.process_time()
                count = sum(len(fn(n)) for n in notes)  # type: ignore[operator]
                best = min(best, time.process_time() - c0)
            return best, count

        def reference(text: str) -> list[object]:  # the same model decoded by crfsuite over attribute strings
            from yizhu.knowledge.terminology.text import fold

            t = fold(text)
            return model.spans(t, ext.mentions(text, t), reference=True)

        rcpu, r_ents = cpu(ext.extract)
        c0, t0 = time.process_time(), time.perf_counter()
        m_ents = sum(len(mext.extract(n)) for n in notes)
        mdt = time.perf_counter() - t0
        mcpu = min(time.process_time() - c0, cpu(mext.extract)[0])
        refcpu, _ = cpu(reference)
        spans_cpu, _ = cpu(lambda text: model.spans(fold_(text), ext.mentions(text, fold_(text))))
        vit = viterbi_ratio(model, ext, notes, fold_)
        out["extraction_model"] = {"model": str(model_dir), "seconds": round(mdt, 3), "cpu_seconds": round(mcpu, 3),
                                   "chars_per_s": round(chars / mdt), "mb_per_s": round(nbytes / 1e6 / mdt, 2),
                                   "mb_per_cpu_s": round(nbytes / 1e6 / mcpu, 2), "entities": m_ents,
                                   "rules_entities": r_ents, "rules_mb_per_cpu_s": round(nbytes / 1e6 / rcpu, 2),
                                   "ratio_to_rules_cpu": round(rcpu / mcpu, 3),
                                   "model_spans_mb_per_cpu_s": round(nbytes / 1e6 / spans_cpu, 2),
                                   "crfsuite_spans_mb_per_cpu_s": round(nbytes / 1e6 / refcpu, 2),
                                   "speedup_vs_crfsuite": round(refcpu / spans_cpu, 2), "viterbi": vit}

    dx = DiagnosisNormaliser(kb)
    uniq = diagnosis_strings()
    t0 = time.perf_counter()
    for s in uniq:
        dx.normalise(s)
    dt = time.perf_counter() - t0
    out["normalisation_distinct"] = {"strings": len(uniq), "seconds": round(dt, 3),
                                     "per_s": round(len(uniq) / dt), "chars_per_s": round(sum(map(len, uniq)) / dt)}
    rnd = random.Random(7)
    pool = variants(kb, args.distinct, rnd)
    weights = [1 / (i + 1) ** 0.8 for i in range(len(pool))]
    year = rnd.choices(pool, weights=weights, k=args.year)
    dx2 = DiagnosisNormaliser(kb)
    t0 = time.perf_counter()
    for s in year:
        dx2.normalise(s)
    dt = time.perf_counter() - t0
    out["normalisation_year"] = {"strings": len(year), "distinct": len(set(year)), "seconds": round(dt, 2),
                                 "per_s": round(len(year) / dt), "chars_per_s": round(sum(map(len, year)) / dt)}

    acc: dict[str, object] = {}
    dx_cases = load_dx_cases(EVAL / "dx_normalisation.tsv")
    r = eval_dx(dx, dx_cases)
    acc["dx_pack"] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items() if k != "misses"}
    acc["dx_pack_misses"] = r["misses"]
    if args.icd and args.icd.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            rep = import_file(args.icd, "icd", data_dir=tmp)
            imp = time.perf_counter() - t0
            t0 = time.perf_counter()
            full = terminology(tmp).diagnoses
            build = time.perf_counter() - t0
            r = eval_dx(full, dx_cases)
            acc["dx_pack_plus_icd"] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()
                                       if k != "misses"}
            acc["dx_pack_plus_icd_misses"] = r["misses"]
            t0 = time.perf_counter()
            for s in uniq:
                full.normalise(s)
            dt = time.perf_counter() - t0
            out["normalisation_distinct_full_table"] = {"codes": full.size, "per_s": round(len(uniq) / dt)}
            out["icd_import"] = {"rows": rep.rows, "loaded": rep.loaded, "errors": len(rep.errors),
                                 "import_s": round(imp, 2), "normaliser_build_s": round(build, 2)}
            ext_full = terminology(tmp).extractor
            r = eval_extraction(ext_full, load_extraction_cases(EVAL / "extraction.txt"))
            acc["extraction_pack_plus_icd"] = {k: r[k] for k in ("strict", "lenient", "assertions")}
    r = eval_extraction(ext, load_extraction_cases(EVAL / "extraction.txt"))
    acc["extraction"] = {k: r[k] for k in ("strict", "lenient", "by_type", "assertions")}
    drug_cases = [tuple(line.split("\t")[:2]) for line in (EVAL / "drug_normalisation.tsv").read_text(encoding="utf-8")
                  .splitlines() if line and not line.startswith("#")]
    norm = DrugNormaliser(kb)
    r = eval_drugs(norm.match, drug_cases)  # type: ignore[arg-type]
    acc["drugs"] = {"cases": r["cases"], "accuracy": round(r["accuracy"], 3), "drug_terms": norm.size,
                    "misses": r["misses"]}
    out["accuracy"] = acc

    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    e = out["extraction"]
    print(f"extraction: {e['mb']} MB, {e['chars']:,} chars in {e['seconds']} s → {e['chars_per_s']:,} chars/s "  # type: ignore[index]
          f"= {e['mb_per_s']} MB/s on one core ({e['entities']:,} entities; segmenter {out['segmenter']})")  # type: ignore[index]
    if "extraction_model" in out:
        m = out["extraction_model"]
        print(f"extraction with the trained model: {m['mb_per_cpu_s']} MB per CPU-second on one core (wall "  # type: ignore[index]
              f"{m['mb_per_s']} MB/s; rules {m['rules_mb_per_cpu_s']} MB/CPU-s, model/rules speed "  # type: ignore[index]
              f"{m['ratio_to_rules_cpu']}; {m['entities']:,} entities)")  # type: ignore[index]
        print(f"  model spans alone (dictionary features + CRF): compiled {m['model_spans_mb_per_cpu_s']} MB/CPU-s, "  # type: ignore[index]
              f"crfsuite over attribute strings {m['crfsuite_spans_mb_per_cpu_s']} MB/CPU-s, "  # type: ignore[index]
              f"{m['speedup_vs_crfsuite']}x")  # type: ignore[index]
    for k in ("normalisation_distinct", "normalisation_year", "normalisation_distinct_full_table", "icd_import"):
        if k in out:
            print(f"{k}: {out[k]}")
    print(json.dumps(acc, ensure_ascii=False, indent=1, default=lambda x: round(x, 3)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
