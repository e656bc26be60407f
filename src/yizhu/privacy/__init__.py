"""De-identification of Chinese clinical text (provisional exports while building)."""

from functools import lru_cache

from yizhu.privacy.analyzer import Analyzer, resolve_overlaps
from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.recognizers import default_recognizers
from yizhu.privacy.types import Entity, Explanation, PHIType


@lru_cache(maxsize=4)
def default_analyzer(scan: str = "combined") -> Analyzer:
    return Analyzer(default_recognizers(), scan=scan)  # type: ignore[arg-type]
