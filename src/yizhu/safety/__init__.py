"""Safety checks of generated text: grounding of every sentence in its cited sources.

    from yizhu.safety import GroundingChecker, SourceText
    checker = GroundingChecker([SourceText("turn:4", "没有。", speaker="patient"), ...])
    checker.check("无发热。", [("turn:4", None, None)]).status   # supported | unsupported | contradicted
"""

from yizhu.safety.entities import Mention, drug_key, extract
from yizhu.safety.grounding import (
    Evidence,
    Fact,
    FactExtractor,
    GroundingChecker,
    SentenceCheck,
    SourceText,
    check_sentence,
    split_sentences,
)

__all__ = [
    "Evidence",
    "Fact",
    "FactExtractor",
    "GroundingChecker",
    "Mention",
    "SentenceCheck",
    "SourceText",
    "check_sentence",
    "drug_key",
    "extract",
    "split_sentences",
]
