"""病历生成: notes drafted by the LLM (or by rule without one), every sentence traced to its source and
checked (``yizhu.safety.grounding``) and QC'd before a clinician sees it.

    from yizhu.clinical.notes import draft_note, dialogue_context
    draft = draft_note("outpatient", dialogue_context(transcript), gateway=gateway)
    draft.sections[0].sentences[0].status      # supported | unsupported | contradicted

Note types: discharge (出院记录), outpatient (门诊病历), admission (入院记录), progress (首次病程记录).
Tasks ``notes.<type>`` register through the ``yizhu.tasks`` entry points.
"""

from yizhu.clinical.notes.engine import (
    AdmissionNoteTask,
    DischargeNoteTask,
    NoteTask,
    OutpatientNoteTask,
    ProgressNoteTask,
    dialogue_context,
    draft_note,
    draft_result,
    drafting,
)
from yizhu.clinical.notes.transcript import Turn, looks_like_transcript, parse_transcript
from yizhu.clinical.notes.types import NOTE_TYPES, SPECS, NoteDraft, SectionOut, SentenceOut, spec_for
from yizhu.clinical.notes.verify import verify_note

__all__ = [
    "NOTE_TYPES",
    "SPECS",
    "AdmissionNoteTask",
    "DischargeNoteTask",
    "NoteDraft",
    "NoteTask",
    "OutpatientNoteTask",
    "ProgressNoteTask",
    "SectionOut",
    "SentenceOut",
    "Turn",
    "dialogue_context",
    "draft_note",
    "draft_result",
    "drafting",
    "looks_like_transcript",
    "parse_transcript",
    "spec_for",
    "verify_note",
]
