"""Shared helpers of the drafting class tests: a rule-path draft of a dialogue and the text of one section."""

from __future__ import annotations

from functools import cache

from yizhu.clinical.notes import dialogue_context, draft_note
from yizhu.clinical.notes.types import NoteDraft


@cache
def draft(kind: str, talk: str, pre: str | None = None) -> NoteDraft:
    """The rule-based (no LLM) draft (cached: drafting is deterministic and tests only read it) of ``kind`` from a dialogue transcript and an optional pre-consultation record."""
    return draft_note(kind, dialogue_context(talk, pre_consultation=pre), use_llm=False)


def section_text(d: NoteDraft, name: str) -> str:
    """The joined sentences of the draft's section ``name`` (empty when the section is absent)."""
    return "".join(s.text for sec in d.sections if sec.name == name for s in sec.sentences)
