"""How name-like a candidate is: surname prior × given-character likelihood, minus ordinary words.

The numbers are log-likelihood ratios learned from public lists (``data/name_model.yaml``, built by
``scripts/build_name_model.py`` from the given-name character counts of the ngender package and the
jieba dictionary): a given character scores high when it is far more frequent in given names than in
text (芳, 伟, 淑 …) and low when it is an ordinary text character (显, 适, 病 …). A candidate that spells a
common two-character word with its surname (舒适, 高明显, 安静) loses points: it is a word more often than a name.

The person recognizer asks for a score only where the context is weak (no label or title vouches for
the name), and takes a candidate when it reaches the threshold of that context.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, field_validator

from yizhu.privacy.recognizers._data import load_data

#: Score of a character the model does not list (the lowest bucket).
FLOOR = -4
#: Points lost by a candidate whose characters spell a common word (舒适, 明显).
WORD_PENALTY = 4.0


class NameModel(BaseModel):
    """The generated model: characters per log-ratio bucket, and common words."""

    model_config = ConfigDict(extra="forbid")

    source: str
    method: str
    given: dict[int, str]
    surname: dict[int, str]
    words: str

    @field_validator("given", "surname", mode="before")
    @classmethod
    def _strip(cls, v: dict[int, str | None]) -> dict[int, str]:
        return {k: "".join((s or "").split()) for k, s in v.items()}


class NameScorer:
    """Scores of name candidates by the generated model."""

    def __init__(self, model: NameModel | None = None) -> None:
        m = model or load_data("name_model.yaml", NameModel)
        self.given = {c: k for k, chars in m.given.items() for c in chars}
        self.surname = {c: k for k, chars in m.surname.items() for c in chars}
        self.words = frozenset(m.words.split())

    def given_score(self, chars: str) -> float:
        """Mean log-ratio of the given characters (the lowest bucket for an unknown one)."""
        if not chars:
            return float(FLOOR)
        g = self.given
        return sum(g.get(c, FLOOR) for c in chars) / len(chars)

    def score(self, surname: str, given: str) -> float:
        """Score of ``surname`` + ``given``: the given characters' mean ratio, helped a little by a
        frequent surname, minus :data:`WORD_PENALTY` when the surname and the first given character
        spell a common word (舒适, 高明显, 安静). Two given characters that spell a word are not
        penalised: given names are often words (远航, 桂花)."""
        s = 2.0 if len(surname) == 2 else min(self.surname.get(surname, FLOOR), 4) / 2
        total = self.given_score(given) + s / 2
        if len(surname) == 1 and given and surname + given[0] in self.words:
            total -= WORD_PENALTY
        return total

    def known_bad(self, given: str, bucket: int) -> bool:
        """True when a given character is listed at ``bucket`` or lower: the lists show it is an
        ordinary character (事, 哌), not merely one too rare to be listed."""
        g = self.given
        return any(c in g and g[c] <= bucket for c in given)

    def weakest(self, given: str) -> int:
        """The lowest ratio among the given characters (one ordinary character spoils a name)."""
        return min((self.given.get(c, FLOOR) for c in given), default=FLOOR)


@cache
def scorer() -> NameScorer:
    """The process-wide scorer of the shipped model."""
    return NameScorer()
