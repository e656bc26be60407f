"""Evaluation of note drafting and the grounding check (synthetic, labelled data only).

Measures, on ``data/notes/`` (dialogues with gold notes, hand-written adversarial sentences) and on
synthetic admissions of the demo hospital:

* grounding recall on planted errors — every gold sentence (and every record-copied discharge
  sentence) is perturbed the ways a model goes wrong (negation flipped, number or duration changed,
  side swapped, a drug name one character off, a symptom invented); the check must flag each;
  plus the hand-written adversarial cases. Target ≥ 0.95.
* false-flag rate on correct sentences — the gold notes' sentences (clinical paraphrase of the
  dialogue) and the record-copied discharge sentences. Target ≤ 0.05.
* section completeness and ROUGE-L (character LCS F1) of the extractive (no-model) drafts against gold.

Run: ``python -m yizhu.evaluation.notes`` (``--json`` for the machine-readable report).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from yizhu.clinical.notes import dialogue_context, draft_note
from yizhu.clinical.notes.sources import build_sources
from yizhu.clinical.notes.verify import sources_from_text
from yizhu.core.parsing import parse_document
from yizhu.safety.entities import extract
from yizhu.safety.grounding import GroundingChecker, split_sentences

DATA = Path(__file__).parent / "data" / "notes"
TARGET_RECALL = 0.95
TARGET_FALSE_FLAG = 0.05
#: characters a hurried reader (or a model) swaps in drug names; used to plant look-alike drugs
LOOKALIKE = {"奇": "齐", "氯": "绿", "甲": "乙", "双": "丙", "布": "吡", "芬": "酚", "地": "帝", "洛": "络",
             "胍": "呱", "莫": "摩", "西": "昔", "林": "淋", "沙": "莎", "坦": "担", "普": "谱", "利": "力",
             "阿": "呵", "托": "拓", "伐": "代", "他": "它", "汀": "丁", "二": "三", "缓": "暖", "胰": "姨"}
INVENTED = ("伴胸痛", "伴呕吐", "伴腹泻", "伴咯血", "伴意识障碍")


def load_jsonl(name: str) -> list[dict[str, Any]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            if "_meta" not in obj:
                rows.append(obj)
    return rows


# ── planted errors ───────────────────────────────────────────────────────────────────────────

_NUM = re.compile(r"\d+(?:\.\d+)?")
_DUR = re.compile(r"(\d+)(天|周|月|年)")


def perturb(sentence: str, source_text: str) -> list[tuple[str, str]]:
    """(planted sentence, category) for each way this sentence can be made wrong."""
    out: list[tuple[str, str]] = []
    body = sentence.rstrip("。")
    mentions = extract(body)
    # negation flip
    if body.startswith("无"):
        out.append((body[1:] + "。", "negation"))
    elif "否认" in body:
        out.append((body.replace("否认", "有", 1) + "。", "negation"))
    else:
        pos = [m for m in mentions if m.type in ("symptom", "diagnosis") and not m.negated and not m.uncertain]
        if pos:
            m = pos[0]
            if body[max(0, m.start - 1): m.start] == "有":  # 仍有发热 → 仍无发热, not 仍有无发热
                out.append((body[: m.start - 1] + "无" + body[m.start:] + "。", "negation"))
            else:
                out.append((body[: m.start] + "无" + body[m.start:] + "。", "negation"))
    # changed number (with a unit after it: a dose, a duration, a vital sign, a lab value)
    for m in _NUM.finditer(body):
        tail = body[m.end(): m.end() + 6]
        if not re.match(r"\s*(?:[a-zA-Zμ℃%度天周月年岁次]|个月|/)", tail):
            continue
        v = float(m.group())
        new = str(int(v) + 2) if v.is_integer() else f"{v * 2:g}"
        out.append((body[: m.start()] + new + body[m.end():] + "。", "number"))
        break
    dm = _DUR.search(body)
    if dm:
        swap = {"天": "周", "周": "月", "月": "年", "年": "月"}[dm.group(2)]
        out.append((body[: dm.start(2)] + swap + body[dm.end(2):] + "。", "duration"))
    # laterality
    for a, b in (("左", "右"), ("右", "左")):
        if a in body:
            out.append((body.replace(a, b, 1) + "。", "laterality"))
            break
    # look-alike drug
    for m in mentions:
        if m.type != "drug":
            continue
        for i, ch in enumerate(m.text):
            if ch in LOOKALIKE:
                name = m.text[:i] + LOOKALIKE[ch] + m.text[i + 1:]
                out.append((body[: m.start] + name + body[m.end:] + "。", "drug"))
                break
        break
    # invented symptom
    for extra in INVENTED:
        if extra[1:] not in source_text:
            out.append((body + "，" + extra + "。", "invented"))
            break
    return [(t, c) for t, c in out if t.rstrip("。") != body]


# ── metrics ──────────────────────────────────────────────────────────────────────────────────


def rouge_l(candidate: str, reference: str) -> float:
    """Character-level ROUGE-L F1 (LCS), punctuation and whitespace removed."""
    a = re.sub(r"[\s\W_]", "", candidate)
    b = re.sub(r"[\s\W_]", "", reference)
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    lcs = prev[-1]
    p, r = lcs / len(a), lcs / len(b)
    return 0.0 if lcs == 0 else 2 * p * r / (p + r)


def _sections(text: str) -> dict[str, str]:
    doc = parse_document(text)
    return {s.name: s.text for s in doc.sections if s.name != "正文"}


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def evaluate(admissions: int = 10, seed: int = 20261123) -> dict[str, Any]:
    """Run every measurement; returns the report (also what ``main`` prints)."""
    t0 = time.perf_counter()
    dialogues = {d["id"]: d for d in load_jsonl("dialogues.jsonl")}
    planted: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    correct_n = correct_flagged = 0
    false_flags: list[dict[str, str]] = []
    missed: list[dict[str, str]] = []
    rouge: list[float] = []
    completeness: list[float] = []
    filled_of_gold: list[float] = []

    def plant(checker: GroundingChecker, sentence: str, source_text: str, origin: str,
              cited: list[tuple[str, int | None, int | None]] | None = None) -> None:
        for text, cat in perturb(sentence, source_text):
            planted[cat] += 1
            v = checker.check(text, cited)
            if v.status != "supported":
                caught[cat] += 1
            else:
                missed.append({"origin": origin, "category": cat, "sentence": text})

    for d in dialogues.values():
        sources = sources_from_text(d["transcript"])
        checker = GroundingChecker(sources)
        for name, body in _sections(d["gold"]).items():
            for a, b in split_sentences(body):
                s = body[a:b]
                correct_n += 1
                v = checker.check(s)
                if v.status != "supported":
                    correct_flagged += 1
                    false_flags.append({"origin": d["id"], "section": name, "sentence": s, "status": v.status,
                                        "why": "；".join(v.reasons)})
                plant(checker, s, d["transcript"], d["id"])
        draft = draft_note(d["type"], dialogue_context(d["transcript"]), use_llm=False)
        gold = _sections(d["gold"])
        mine = {s.name: "".join(x.text for x in s.sentences) for s in draft.sections}
        rouge.append(rouge_l("".join(mine.get(k, "") for k in gold), "".join(gold.values())))
        completeness.append(sum(1 for s in draft.sections if s.sentences) / len(draft.sections))
        filled_of_gold.append(sum(1 for k in gold if mine.get(k)) / len(gold))

    adv_rows = load_jsonl("adversarial.jsonl")
    adv_ok = 0
    for row in adv_rows:
        checker = GroundingChecker(sources_from_text(dialogues[row["dialogue"]]["transcript"]))
        v = checker.check(row["sentence"])
        if row["expected"] == "supported":
            correct_n += 1
            if v.status != "supported":
                correct_flagged += 1
                false_flags.append({"origin": row["id"], "sentence": row["sentence"], "status": v.status,
                                    "why": "；".join(v.reasons)})
            continue
        cat = "adversarial:" + row["category"]
        planted[cat] += 1
        if v.status != "supported":
            caught[cat] += 1
        else:
            missed.append({"origin": row["id"], "category": cat, "sentence": row["sentence"]})
        if v.status == row["expected"]:
            exact[cat] += 1
            adv_ok += 1

    # synthetic admissions: record-copied discharge drafts, their sentences and planted errors
    from yizhu.demo import generate_hospital

    hospital = generate_hospital(seed=seed)
    inpatients = [c for c in hospital.contexts if c.encounter and c.encounter.encounter_class.value == "inpatient"
                  and c.documents][:admissions]
    dis_complete: list[float] = []
    facts_total = facts_found = 0
    dis_sentences = 0
    for ctx in inpatients:
        draft = draft_note("discharge", ctx, use_llm=False)
        dis_complete.append(sum(1 for s in draft.sections if s.sentences) / len(draft.sections))
        text = draft.text
        for dx in ctx.diagnoses:
            if dx.code:
                facts_total += 1
                facts_found += f"{dx.text}（{dx.code}）" in text
        for o in ctx.medication_orders:
            if o.route in ("po", "ih") and o.status == "active":
                facts_total += 1
                facts_found += o.text.strip() in text
        S = build_sources(ctx)
        checker = GroundingChecker(S.grounding_sources())
        all_text = "\n".join(s.text for s in S)
        for sec in draft.sections:
            for s in sec.sentences:
                dis_sentences += 1
                correct_n += 1
                if s.status != "supported":
                    correct_flagged += 1
                    false_flags.append({"origin": f"discharge:{ctx.encounter.id if ctx.encounter else '?'}",
                                        "section": sec.name, "sentence": s.text, "status": s.status,
                                        "why": "；".join(s.reasons)})
                # checked as the engine checks it: against the spans the sentence cites
                cited = [(p.source, p.start, p.end) for p in s.provenance if p.kind == "span"] or None
                plant(checker, s.text, all_text, "discharge", cited)

    n_planted = sum(planted.values())
    report = {
        "grounding": {
            "planted": n_planted,
            "recall": _rate(sum(caught.values()), n_planted),
            "recall_by_category": {k: _rate(caught[k], planted[k]) for k in sorted(planted)},
            "planted_by_category": dict(sorted(planted.items())),
            "adversarial_exact_label": _rate(adv_ok, sum(1 for r in adv_rows if r["expected"] != "supported")),
            "correct_sentences": correct_n,
            "false_flag_rate": _rate(correct_flagged, correct_n),
            "targets": {"recall": TARGET_RECALL, "false_flag_rate": TARGET_FALSE_FLAG},
            "missed": missed[:20],
            "false_flags": false_flags[:20],
        },
        "extractive_dialogue": {
            "dialogues": len(dialogues),
            "rouge_l": round(sum(rouge) / len(rouge), 4) if rouge else None,
            "section_completeness": round(sum(completeness) / len(completeness), 4) if completeness else None,
            "gold_sections_filled": round(sum(filled_of_gold) / len(filled_of_gold), 4) if filled_of_gold else None,
        },
        "extractive_discharge": {
            "admissions": len(inpatients),
            "sentences": dis_sentences,
            "section_completeness": round(sum(dis_complete) / len(dis_complete), 4) if dis_complete else None,
            "record_facts_present": _rate(facts_found, facts_total),
        },
        "seconds": round(time.perf_counter() - t0, 2),
    }
    g = report["grounding"]
    report["pass"] = bool(g["recall"] is not None and g["recall"] >= TARGET_RECALL
                          and g["false_flag_rate"] is not None and g["false_flag_rate"] <= TARGET_FALSE_FLAG)
    return report


def main(argv: list[str] | None = None) -> int:
    """Print the report; exit 1 when a target is missed."""
    ap = argparse.ArgumentParser(prog="python -m yizhu.evaluation.notes", description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the whole report as JSON")
    ap.add_argument("--admissions", type=int, default=10, help="synthetic admissions to draft discharges for")
    args = ap.parse_args(argv)
    report = evaluate(admissions=args.admissions)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        g, e, d = report["grounding"], report["extractive_dialogue"], report["extractive_discharge"]
        lines = [
            f"grounding recall on planted errors: {g['recall']} ({g['planted']} planted; target ≥ {TARGET_RECALL})",
            "  by category: " + ", ".join(f"{k} {v}" for k, v in g["recall_by_category"].items()),
            f"  adversarial exact label: {g['adversarial_exact_label']}",
            f"false-flag rate on correct sentences: {g['false_flag_rate']} ({g['correct_sentences']} sentences; "
            f"target ≤ {TARGET_FALSE_FLAG})",
            f"extractive dialogue drafts: ROUGE-L {e['rouge_l']}, section completeness {e['section_completeness']}, "
            f"gold sections filled {e['gold_sections_filled']} ({e['dialogues']} dialogues)",
            f"extractive discharge drafts: section completeness {d['section_completeness']}, record facts present "
            f"{d['record_facts_present']} ({d['admissions']} admissions, {d['sentences']} sentences)",
            f"{'PASS' if report['pass'] else 'FAIL'} in {report['seconds']} s",
        ]
        sys.stdout.write("\n".join(lines) + "\n")
        for m in g["missed"][:10]:
            sys.stdout.write(f"  missed [{m['category']}] {m['sentence']}\n")
        for f in g["false_flags"][:10]:
            sys.stdout.write(f"  false flag [{f['status']}] {f['sentence']} — {f['why']}\n")
    return 0 if report["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
