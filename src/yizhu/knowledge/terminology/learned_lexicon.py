"""A lexicon learned from annotated text: surfaces annotators marked, and surfaces they never mark.

``scripts/learn_extraction_lexicon.py`` builds it from the *train part* of a labelled file (yizhu's hash
split; the test part is never read) and writes ``learned_lexicon.yaml``. Each item says where it was
learned and how often it was seen, so a reviewer can judge it:

- ``terms``: a surface annotated as an entity at least ``min_count`` times, with one type in at least
  ``purity`` of them, and annotated at least ``precision`` (0.3) of the times it occurs in the text (so 手术 in
  "手术后" does not become a mention everywhere). ``count`` = times annotated, ``seen`` = times in the
  text. Added to the extractor's dictionary; where the curated packs already hold the same surface their
  type wins, except that a disease/symptom pair follows the annotators (休克, 低血糖 are findings the
  standards mark as symptoms), which changes no code.
- ``not_mentions``: a surface the dictionary extractor finds, as a whole mention, at least ``min_count``
  times, but that annotators marked in at most ``max_precision`` of those places (病理 is not the
  department in "病理改变", 有时 is not a symptom). Extracted no longer: it works like an ``ignore`` phrase.

Items are aggregates with counts, not copies of sentences: a surface seen once is never kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import load_yaml_model

LEARNED_PATH = Path(__file__).with_name("learned_lexicon.yaml")

LearnedType = Literal["disease", "symptom", "drug", "exam", "procedure", "lab", "drug_category", "body_part", "device",
                      "microorganism", "department"]


class LearnedMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    learned_from: str = Field(description="the data set and the part of it (e.g. CMeEE train part of the yizhu split)")
    licence: str = Field(description="how the data set may be used")
    method: str
    min_count: int = Field(ge=2)
    built: str


class LearnedTerm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = Field(min_length=2)
    type: LearnedType
    count: int = Field(ge=2, description="times annotated with this type")
    seen: int = Field(ge=1, description="times the surface occurs in the texts learned from")


class NotMention(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = Field(min_length=1)
    type: LearnedType = Field(description="the type the dictionary gave it")
    found: int = Field(ge=2, description="times the dictionary extractor found it as a mention")
    annotated: int = Field(ge=0, description="of those, times the annotators marked the same span")


class LearnedLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meta: LearnedMeta = Field(alias="_meta")
    terms: list[LearnedTerm] = Field(default_factory=list)
    not_mentions: list[NotMention] = Field(default_factory=list)


_cache: dict[Path, LearnedLexicon] = {}


def load_learned(path: Path = LEARNED_PATH) -> LearnedLexicon | None:
    """The learned lexicon at ``path`` (validated; cached), or None when there is no such file."""
    if not path.is_file():
        return None
    if path not in _cache:
        _cache[path] = load_yaml_model(path, LearnedLexicon, "learned extraction lexicon")
    return _cache[path]
