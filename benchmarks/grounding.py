"""How the grounding check (``yizhu note verify``) scales with the length of the source and the draft.

A hand-written outpatient visit (synthetic, 合成) is repeated with its numbers varied to make dialogues of
N turns and drafts of about N sentences; each size is verified end to end (parse, facts, grounding, omission
check). Near-linear means the time ratio for twice the input stays near 2 (a quadratic check gives 4).

    python benchmarks/grounding.py [--sizes 50,100,200,400,800] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import time

VISIT = [
    ("医生", "哪里不舒服？"),
    ("患者", "后脑勺疼，疼了{a}年了，这两天厉害了，昨天还吐了{b}次。"),
    ("医生", "拉肚子吗？发烧吗？"),
    ("患者", "没拉，也不发烧。"),
    ("医生", "平时吃什么药？"),
    ("患者", "吃拜新同，一天一片，一片30毫克。"),
    ("医生", "今天量的是{c}/96，心跳{d}。血常规白细胞7.{b}，CRP 1{a}。"),
    ("医生", "{a}天后回来复查。"),
]
DRAFT = "枕部头痛{a}年，近2天加重，1天前呕吐{b}次。无腹泻，无发热。口服硝苯地平30mg qd。BP {c}/96mmHg，HR {d}次/分。{a}天后复诊。"


def make(n_turns: int) -> tuple[str, str]:
    lines, draft = [], []
    k = 0
    while len(lines) < n_turns:
        v = {"a": 2 + k % 7, "b": 1 + k % 5, "c": 140 + k % 40, "d": 70 + k % 30}
        lines += [f"{who}：{text.format(**v)}" for who, text in VISIT]
        draft.append(DRAFT.format(**v))
        k += 1
    return "\n".join(lines[:n_turns]) + "\n", "现病史：" + "".join(draft) + "\n"


def run(sizes: list[int]) -> list[dict[str, float]]:
    from yizhu.clinical.notes.verify import verify_note

    verify_note(*make(16))  # warm: packs, lexicons, automata
    rows = []
    for n in sizes:
        source, draft = make(n)
        t0 = time.perf_counter()
        report = verify_note(source, draft)
        dt = time.perf_counter() - t0
        rows.append({"turns": n, "source_chars": len(source), "draft_chars": len(draft),
                     "sentences": len(report["sentences"]), "seconds": round(dt, 3),
                     "chars_per_s": round((len(source) + len(draft)) / dt)})
    for a, b in itertools.pairwise(rows):
        b["ratio_to_previous"] = round(b["seconds"] / a["seconds"], 2) if a["seconds"] else float("nan")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,100,200,400,800")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = run([int(x) for x in args.sizes.split(",")])
    first, last = rows[0], rows[-1]
    slope = math.log(last["seconds"] / first["seconds"]) / math.log(last["turns"] / first["turns"])
    if args.json:
        print(json.dumps({"rows": rows, "exponent": round(slope, 2)}, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        print(f"{r['turns']:>5} turns  {r['source_chars'] + r['draft_chars']:>7} chars  {r['sentences']:>5} sentences  "
              f"{r['seconds']:>7.3f} s  {r['chars_per_s']:>8} chars/s  x{r.get('ratio_to_previous', '')}")
    print(f"time ~ size^{slope:.2f} (1 = linear, 2 = quadratic)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
