"""What the clinician did with a draft: accept, edit or reject, and how much they changed.

The edit distance (Levenshtein, in characters) between the draft text and the signed text is
computed here and stored with the feedback as a small JSON object in ``reason``::

    {"edit_distance": 12, "draft_chars": 480, "final_chars": 476, "edit_ratio": 0.025, "note": "…"}

``edit_ratio`` is ``edit_distance / max(draft_chars, 1)``; ``note`` is the clinician's own reason.
Value metrics read it back with :func:`parse_feedback_reason`.
"""

from __future__ import annotations

import json
from typing import Any


def levenshtein(a: str, b: str) -> int:
    """Edit distance in characters (bit-parallel, Hyyrö 2003): fast enough for whole notes."""
    if a == b:
        return 0
    # Common prefix and suffix cost nothing and are most of a lightly edited note.
    i = 0
    n = min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    j = 0
    while j < n - i and a[len(a) - 1 - j] == b[len(b) - 1 - j]:
        j += 1
    a, b = a[i : len(a) - j], b[i : len(b) - j]
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for k, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << k)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score


def edit_stats(draft: str, final: str) -> dict[str, Any]:
    """Distance, lengths and ratio between the draft and the text the clinician signed."""
    d = levenshtein(draft, final)
    return {
        "edit_distance": d,
        "draft_chars": len(draft),
        "final_chars": len(final),
        "edit_ratio": round(d / max(len(draft), 1), 4),
    }


def feedback_reason(stats: dict[str, Any], note: str | None) -> str:
    """The ``reason`` string stored with the feedback (JSON: the stats and the clinician's note)."""
    return json.dumps({**stats, "note": note or ""}, ensure_ascii=False, separators=(",", ":"))


def parse_feedback_reason(reason: str | None) -> dict[str, Any] | None:
    """The stats back out of a stored ``reason`` (None when it was not written by this module)."""
    if not reason or not reason.startswith("{"):
        return None
    try:
        data = json.loads(reason)
    except ValueError:
        return None
    return data if isinstance(data, dict) and "edit_distance" in data else None
