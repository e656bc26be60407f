"""Train the character-level person tagger (``yizhu.privacy.recognizers.person_tagger``).

Training data, all synthetic (合成) and reproducible from the repository alone:

* the gold NAME spans of the development corpora (``evaluation/data/deid/dev/dev.txt``, ``dev2/dev2.txt``,
  ``dev8/dev8.txt`` documents d8-01 … d8-30 only, and the retired held-out corpora ``realistic/heldout.txt``,
  ``heldout2/heldout2.txt`` … ``heldout6/heldout6.txt``, development data after their blind runs), less a held-back
  split of their documents (every fifth document of each, by position) that is kept for the metrics of the model
  card; dev8's last ten documents (d8-31 … d8-40) are never trained on (session deidnames5 keeps them as its own
  check);
* generated name-in-context lines: the sentence frames of ``scripts/data/person_tagger_frames.yaml``
  (running text, dialogue turns, tables and duty rosters, bed rosters, signatures, OCR spacing, minority
  names, and negative frames with clinical words that start with a surname character), their name
  slots filled with names drawn from the name model (surname by its prior, given characters by their
  name-likeness), names that are ordinary words, Tibetan/Mongolian parts, Uyghur names with ·, Yi
  and Dai names (``data/person_tagger.yaml``), Korean-Chinese names, compound surnames and spaced names;
* clinical lines (frames of the "clinical" category) filled with the drug, brand, diagnosis, symptom and
  lab names of the knowledge packs (never names, though many start with a surname character);
* running text, lists and sentence ends holding common words of the jieba dictionary that start with a
  surname character (水平, 连锁: never names where no cue puts a person), and colloquial speech about drugs;
* lines of the synthetic note generator (``evaluation/data/deid/synth.py``, seed 1234, not the seed 7
  of the published synthetic figures) with its PERSON spans.

Writes ``src/yizhu/privacy/recognizers/data/person_crf.bin`` and the model card ``person_crf.md``
beside it. Takes about a minute on one core:

    .venv/bin/python scripts/train_person_tagger.py [--frames 9000] [--iterations 120] [--seed 13]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.resources
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from yizhu.evaluation.data.deid.synth import generate_corpus
from yizhu.evaluation.dataset import DATA_DIR
from yizhu.evaluation.deid_markup import parse_markup
from yizhu.privacy.recognizers import person_tagger as pt
from yizhu.privacy.recognizers.namescore import FLOOR

ROOT = Path(__file__).resolve().parents[1]
FRAMES = ROOT / "scripts" / "data" / "person_tagger_frames.yaml"
#: The tunable corpora: the dev corpora and the held-out corpora retired to development data after their blind
#: runs (never the newest blind one); every fifth document of each is held back.
CORPORA = (DATA_DIR / "deid" / "dev" / "dev.txt", DATA_DIR / "deid" / "dev2" / "dev2.txt",
           DATA_DIR / "deid" / "realistic" / "heldout.txt", DATA_DIR / "deid" / "heldout2" / "heldout2.txt",
           DATA_DIR / "deid" / "heldout3" / "heldout3.txt", DATA_DIR / "deid" / "heldout4" / "heldout4.txt",
           DATA_DIR / "deid" / "heldout5" / "heldout5.txt", DATA_DIR / "deid" / "heldout6" / "heldout6.txt",
           DATA_DIR / "deid" / "dev8" / "dev8.txt")
#: Documents of a corpus never used at all (neither trained on nor in the held-back metrics): dev8's last ten,
#: the check session deidnames5 kept for itself.
UNUSED = frozenset(f"d8-{k:02d}" for k in range(31, 41))
HELD_BACK_EVERY = 5
CARD = pt.MODEL_PATH.with_suffix(".md")

_UYGHUR = ("古丽", "买买提", "艾力", "阿不都", "热依木", "吐尔逊", "迪丽", "热巴", "娜扎", "阿迪力", "艾合买提",
           "吾斯曼", "伊力哈木", "玉苏甫", "阿布拉", "木合塔尔", "热合曼", "阿娜尔", "古丽娜尔", "排尔哈提", "祖力",
           "胡玛尔", "古再丽", "热娜", "阿卜杜", "艾尔肯", "吐尔洪", "艾则孜", "帕提", "米热", "努尔", "阿依")
_KOREAN_SURNAMES = "金朴崔李郑姜赵尹张林韩申吴全玄"
_KOREAN_GIVEN = "哲洙日顺姬英爱东秀贤镇浩美玉成龙春花仁善淑熙永俊恩"


def common_words(starts: frozenset[str], least: int = 100) -> list[str]:
    """Common words of the jieba dictionary (jieba 0.42.1 ``dict.txt``, MIT) of two to four Chinese characters
    that start with a surname character and that jieba does not tag a person's name (水平, 连锁, 高兴): never
    names where no cue puts a person (the {WD} slot of the frames; session deidtagger)."""
    path = importlib.resources.files("jieba").joinpath("dict.txt")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        w, f, tag = line.split(" ")
        if 2 <= len(w) <= 4 and w[0] in starts and int(f) >= least and not tag.startswith("nr") \
                and all("\u4e00" <= c <= "\u9fff" for c in w):
            out.append(w)
    return sorted(out)


class Frames(BaseModel):
    """The frames file: a source line and frames by category."""

    model_config = ConfigDict(extra="forbid")

    source: str
    frames: dict[str, list[str]]


class Names:
    """Draws names of each kind from the name model and the person data."""

    def __init__(self, lex: pt.Lexicon, rng: random.Random) -> None:
        self.rng = rng
        sc = lex.score
        strong = sorted(c for c in lex.surnames if c not in lex.weak)
        self.surnames = strong + sorted(c for c in lex.surnames if c in lex.weak)
        self.sur_w = [2.0 ** min(sc.surname.get(c, FLOOR), 6) * (1.0 if c not in lex.weak else 0.3) for c in self.surnames]
        given = [(c, k) for c, k in sc.given.items() if k >= 0 and "\u4e00" <= c <= "\u9fff"]
        self.given = [c for c, _ in given]
        self.given_w = [2.0 ** (k - 1) for _, k in given]
        self.compounds = sorted(lex.compounds)
        self.words = sorted(lex.words)
        self.common = common_words(lex.surnames)
        ex = lex.extra
        self.yi_family, self.yi_given, self.dai_names = sorted(ex.yi_family), sorted(ex.yi_given), sorted(ex.dai)
        self.minority = sorted(p for p in lex.minority if p not in _UYGHUR and p not in {*ex.yi_family, *ex.yi_given,
                                                                                          *ex.dai})

    def han(self) -> str:
        r = self.rng
        s = r.choices(self.surnames, self.sur_w)[0]
        n = 1 if r.random() < 0.35 else 2
        return s + "".join(r.choices(self.given, self.given_w, k=n))

    def any(self) -> str:
        r = self.rng.random()
        if r < 0.70:
            return self.han()
        if r < 0.80:
            return self.word()
        if r < 0.86:
            return self.compound()
        if r < 0.90:
            return self.korean()
        if r < 0.94:
            return self.minority_name()
        if r < 0.97:
            return self.uyghur()
        if r < 0.99:
            return self.yi()
        return self.dai()

    def yi(self) -> str:
        """A Yi name: family name (家支名) + given name (吉克阿呷)."""
        return self.rng.choice(self.yi_family) + self.rng.choice(self.yi_given)

    def dai(self) -> str:
        """A Dai name: 岩 or 玉 + one character (岩温, 玉香)."""
        return self.rng.choice(self.dai_names)

    def word(self) -> str:
        return self.rng.choice(self.words)

    def compound(self) -> str:
        r = self.rng
        return r.choice(self.compounds) + "".join(r.choices(self.given, self.given_w, k=r.choice((1, 2))))

    def korean(self) -> str:
        r = self.rng
        return r.choice(_KOREAN_SURNAMES) + "".join(r.sample(_KOREAN_GIVEN, 2))

    def minority_name(self) -> str:
        r = self.rng
        return "".join(r.sample(self.minority, r.choice((1, 2, 2, 3))))

    def uyghur(self) -> str:
        r = self.rng
        return "·".join(r.sample(_UYGHUR, 2))

    def spaced(self) -> str:
        name = self.han() if self.rng.random() < 0.85 else self.compound()
        gap = self.rng.choice(("  ", " ", "\u3000", "  "))
        return gap.join(name) if len(name) <= 3 else name[:2] + gap + name[2:]


def substitute(doc: tuple[str, list[tuple[int, int]]], names: Names) -> tuple[str, list[tuple[int, int]]]:
    """A copy of a corpus document whose marked names are other names of the same length and kind (a surname for a
    surname, surname + given characters for a full name, given characters for a given name or nickname, doubled
    for a doubled one), the same name for the same name throughout: the tagger learns the contexts, not the names.
    Names with other characters (dotted, Latin) stay."""
    text, spans = doc
    r = names.rng
    given = lambda k: "".join(r.choices(names.given, names.given_w, k=k))  # noqa: E731
    sur = lambda: r.choices(names.surnames, names.sur_w)[0]  # noqa: E731
    chars = list(text)
    swap: dict[str, str] = {}
    for s, e in spans:
        old = text[s:e]
        if not all("\u4e00" <= c <= "\u9fff" for c in old):
            continue
        if old not in swap:
            if len(old) == 1:
                new = sur()
            elif len(old) == 2 and old[0] == old[1]:
                new = given(1) * 2
            elif old[0] in names.surnames:
                new = sur() + given(len(old) - 1)
            else:
                new = given(len(old))
            swap[old] = new
        chars[s:e] = swap[old]
    return "".join(chars), spans


def clinical_terms() -> dict[str, list[str]]:
    """Drug (generic and brand), diagnosis, symptom and lab names of the knowledge packs: text that is
    never a name, though many start with a surname character (曲松 in 头孢曲松, 孟鲁司特, 黄连)."""
    packs = ROOT / "src" / "yizhu" / "knowledge" / "packs"
    out: dict[str, list[str]] = {}
    for kind, key in (("drugs", "DRUG"), ("diagnoses", "DX"), ("symptoms", "SX"), ("labs", "LAB")):
        terms: set[str] = set()
        for line in (packs / f"{kind}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "_meta" in row:
                continue
            for v in (row.get("name"), *(row.get("synonyms") or ()), *(row.get("brands") or ())):
                if isinstance(v, str) and 2 <= len(v) <= 16 and "\u4e00" <= v[0] <= "\u9fff":
                    terms.add(v)
        out[key] = sorted(terms)
    return out


def fill(frame: str, names: Names, blocklist: list[str],
         terms: dict[str, list[str]] | None = None) -> tuple[str, list[tuple[int, int]]]:
    """The frame with its slots filled, and the spans of the names put in."""
    r = names.rng
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    n = 0
    while pos < len(frame):
        k = frame.find("{", pos)
        if k < 0:
            out.append(frame[pos:])
            break
        out.append(frame[pos:k])
        n += k - pos
        e = frame.index("}", k)
        slot = frame[k + 1:e]
        if terms and slot in terms:
            value = r.choice(terms[slot])
            out.append(value)
            n += len(value)
            pos = e + 1
            continue
        value, is_name = {
            "N": lambda: (names.any(), True),
            "W": lambda: (names.word(), True),
            "WD": lambda: (r.choice(names.common), False),
            "M": lambda: (names.minority_name(), True),
            "U": lambda: (names.uyghur(), True),
            "Y": lambda: (names.yi(), True),
            "DAI": lambda: (names.dai(), True),
            "K": lambda: (names.korean(), True),
            "P": lambda: (names.spaced(), True),
            "S": lambda: (r.choice(names.surnames[:60]), True),
            "C": lambda: (names.compound(), True),
            "B": lambda: (r.choice(("", "", "+", "加", "ICU-")) + str(r.randint(1, 60)) + "床", False),
            "D": lambda: (r.choice(("2026-11-%02d", "2026.11.%d", "11月%d日", "2026/11/%d")) % r.randint(1, 28), False),
            "T": lambda: (f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}", False),
            "A": lambda: (f"{r.randint(1, 92)}岁", False),
            "X": lambda: (r.choice("男女"), False),
            "R": lambda: (r.choice(("ZY", "MZ", "")) + str(r.randint(100000, 9999999)), False),
            "Q": lambda: ("1" + r.choice("3589") + "".join(r.choices("0123456789", k=9)), False),
            "BL": lambda: (r.choice(blocklist), False),
        }[slot]()
        if is_name:
            spans.append((n, n + len(value)))
        out.append(value)
        n += len(value)
        pos = e + 1
    return "".join(out), spans


def lines_of(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, list[str], int]]:
    """(line, BIO labels, line start) of every line of ``text``."""
    labels = ["O"] * len(text)
    for s, e in spans:
        labels[s] = "B"
        for i in range(s + 1, e):
            labels[i] = "I"
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((line, labels[pos:pos + len(line)], pos))
        pos += len(line) + 1
    return out


def corpus_docs() -> tuple[list[tuple[str, list[tuple[int, int]]]], list[tuple[str, list[tuple[int, int]]]]]:
    """(train, held back) documents of the tunable corpora as (text, name spans)."""
    train, held = [], []
    for path in CORPORA:
        for k, d in enumerate(parse_markup(path.read_text(encoding="utf-8"))):
            if d["id"] in UNUSED:
                continue
            doc = (d["text"], [(s, e) for typ, s, e, _ in d["phi"] if typ == "NAME"])
            (held if k % HELD_BACK_EVERY == HELD_BACK_EVERY - 1 else train).append(doc)
    return train, held


def evaluate(model: Path, docs: list[tuple[str, list[tuple[int, int]]]], lex: pt.Lexicon) -> dict[str, float]:
    """Name recall (every character covered) and precision of the tagger alone, as run in the engine
    (pre-filter windows only), on the held-back documents."""
    tagger = pt.PersonTagger(model, lex)
    gold = found = pred = right = 0
    for text, spans in docs:
        got = tagger.propose(text)
        cov = set()
        for s, e, _ in got:
            cov.update(range(s, e))
        gold += len(spans)
        found += sum(all(i in cov for i in range(s, e)) for s, e in spans)
        pred += len(got)
        right += sum(any(s < ge and gs < e for gs, ge in spans) for s, e, _ in got)
    return {"gold": gold, "recall": found / max(gold, 1), "predicted": pred, "precision": right / max(pred, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=9000, help="generated frame instances")
    ap.add_argument("--synth", type=int, default=300, help="synthetic notes (seed 1234)")
    ap.add_argument("--iterations", type=int, default=120)
    ap.add_argument("--swaps", type=int, default=0, help="copies of each corpus document with its names swapped")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=pt.MODEL_PATH)
    args = ap.parse_args(argv)

    import pycrfsuite

    t0 = time.process_time()
    rng = random.Random(args.seed)
    lex = pt.lexicon()
    frames = Frames.model_validate(yaml.safe_load(FRAMES.read_text(encoding="utf-8")))
    names = Names(lex, rng)
    blocklist = sorted(lex.blocklist)
    terms = clinical_terms()
    weights = {"running_text": 5, "dialogue": 3, "table": 2, "roster": 2, "signature": 2, "ocr": 1, "minority": 1,
               "negative": 3, "clinical": 4, "slots": 2,
               "ordinary": 3, "words": 4, "speech_drugs": 2}
    cats = sorted(frames.frames)
    train_docs, held = corpus_docs()
    docs: list[tuple[str, list[tuple[int, int]]]] = []
    for _ in range(args.frames):
        cat = rng.choices(cats, [weights.get(c, 1) for c in cats])[0]
        docs.append(fill(rng.choice(frames.frames[cat]), names, blocklist, terms))
    for note in generate_corpus(args.synth, seed=1234):
        docs.append((note.text, [(s.start, s.end) for s in note.spans if s.type == "PERSON"]))
    docs.extend(train_docs * 3)  # the hand-written corpora weigh more than generated text
    # copies with their names swapped for others (session deidnames6, --swaps; measured with 2 and 4 copies in place
    # of one plain copy: no gain on dev8 d8-31 … d8-40, heldout3 and heldout6 lost a name each; off by default)
    docs.extend(substitute(d, names) for d in train_docs * args.swaps)

    trainer = pycrfsuite.Trainer(verbose=False)
    n_chars = n_lines = 0
    for text, spans in docs:
        for line, labels, start in lines_of(text, spans):
            if not line.strip():
                continue
            if "B" not in labels and rng.random() < 0.5:
                continue  # half the name-less lines are enough to learn what is not a name
            trainer.append(pt.features(text, start, start + len(line), lex), labels)
            n_chars += len(line)
            n_lines += 1
    trainer.set_params({"c1": 0.15, "c2": 0.01, "max_iterations": args.iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 2})
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "person_crf.bin"
        trainer.train(str(model))
        metrics = evaluate(model, held, lex)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(model.read_bytes())
    took = time.process_time() - t0
    card = f"""# Model card: person tagger (`person_crf.bin`)

A linear-chain CRF (python-crfsuite, L-BFGS, c1 0.15, c2 0.01, {args.iterations} iterations, features seen at
least twice) labelling Chinese characters B/I/O for person names. Used by `phi.person.v1` as a proposer beside
the rules (`recognizers/person_tagger.py`); generated, not edited: rebuild with

    .venv/bin/python scripts/train_person_tagger.py --frames {args.frames} --synth {args.synth} --iterations {args.iterations} --seed {args.seed} --swaps {args.swaps}

- **Trained**: {dt.date.today().isoformat()}, {took:.0f} s CPU, {n_lines} lines, {n_chars} characters,
  {args.out.stat().st_size // 1024} KB.
- **Data** (all synthetic, 合成): the NAME spans of the corpora `dev/dev.txt`, `dev2/dev2.txt`, `dev8/dev8.txt`
  (d8-01 … d8-30; d8-31 … d8-40 never used) and the retired held-out corpora `realistic/heldout.txt`,
  `heldout2/heldout2.txt` … `heldout6/heldout6.txt` ({len(train_docs)} documents, every fifth document of each held back), {args.frames} lines generated from the frames of
  `scripts/data/person_tagger_frames.yaml` with names drawn from the name model (`data/name_model.yaml`) and the
  person data (`data/person.yaml`; Yi and Dai name parts: `data/person_tagger.yaml`), and {args.synth} notes of `evaluation/data/deid/synth.py` (seed 1234). The
  held-out corpora were retired to development data after their blind runs; a new blind held-out corpus
  (not in this repository) measures the model.
- **Features** per character: the character and its neighbours (±2) and bigrams, character classes, surname
  membership and prior (单姓, 复姓, weak surnames), minority name parts, the given-name log-ratio bucket of the
  character and its neighbours, whether surname + character spell a common word, blocklisted clinical words,
  cue words ending before it or starting after it (titles, roles, kinship, verbs of a person, sex), a dosage form
  right after it and a drug verb before it (吃, 服, 贴 …), and its place in the line (line start or end, after a
  colon, a column gap, a bed number, single spaces of OCR).
- **Negatives**: blocklisted clinical words, eponyms, drug, brand, diagnosis, symptom and lab names of the
  knowledge packs (also in colloquial speech and before dosage forms), and common jieba words that start with a
  surname character in running text, lists and sentence ends (frames of session deidtagger).
- **Held-back metrics** (the tagger alone, as the engine runs it — only in pre-filter windows — on the
  {len(held)} held-back documents of the {len(CORPORA)} corpora, {metrics['gold']} names): recall {metrics['recall']:.3f}, span precision
  {metrics['precision']:.3f} ({metrics['predicted']} spans).
- **Limits**: trained on synthetic text only; a name form none of the frames or corpora shows is learned only
  through the general features. The engine keeps a tagger span only where the rules' negative guards allow it.
"""
    if args.out == pt.MODEL_PATH:  # the shipped model gets its card; a trial model elsewhere does not
        CARD.write_text(card, encoding="utf-8")
    print(card)
    return 0


if __name__ == "__main__":
    sys.exit(main())
