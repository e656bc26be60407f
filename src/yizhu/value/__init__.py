"""Value: what clinicians did with the AI's output, and the measures computed from it.

- ``feedback``: clinician feedback on a task run — accept, edit, reject or override, with the edited
  text, the item decided on and a reason — stored in its own table beside the audit log (``record_feedback``,
  ``list_feedback``, ``count_feedback``);
- ``edits``: how much a clinician changed a draft (character edit distance and ratio), stored with the
  feedback and read back for adoption and time-saved measures.

Engines never import this package; their adapters (``clinical/<task>/api.py``, the pages, the generic
task routes) record feedback through it.
"""

from yizhu.value.edits import edit_stats, feedback_reason, levenshtein, parse_feedback_reason
from yizhu.value.feedback import Decision, FeedbackRecord, count_feedback, list_feedback, record_feedback

__all__ = [
    "Decision",
    "FeedbackRecord",
    "count_feedback",
    "edit_stats",
    "feedback_reason",
    "levenshtein",
    "list_feedback",
    "parse_feedback_reason",
    "record_feedback",
]
