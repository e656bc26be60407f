"""The egress guard: what the model gateway wraps around every call to an ``external`` endpoint.

    guard = EgressGuard(settings)
    prompt = guard.protect(note_text, patient_key="P0001")   # surrogates, dates shifted
    reply = external_model(prompt)
    shown = guard.restore(reply)                             # real names and dates back

One guard per conversation (or per request): it accumulates the mapping of every message it
protected, so the reply can mention any of them. ``save()`` writes the mapping encrypted under
``data_dir/deid`` when a reply arrives in another process (a queued job); ``EgressGuard.resume``
reads it back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yizhu.config import Settings, get_settings
from yizhu.errors import InputError
from yizhu.privacy.deid import Deidentifier, DeidResult
from yizhu.privacy.mapping import Mapping, MappingStore


class EgressGuard:
    """De-identifies outbound text with consistent surrogates and re-identifies the replies."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        session_id: str | None = None,
        mapping: Mapping | None = None,
        deidentifier: Deidentifier | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.session_id = session_id or uuid.uuid4().hex
        self.mapping = mapping if mapping is not None else Mapping()
        self._deid = deidentifier or Deidentifier(self.settings)
        self.last: DeidResult | None = None

    def protect(self, text: str, patient_key: str) -> str:
        """The text with every PHI span replaced by this patient's surrogate; remembers the mapping."""
        if not patient_key:
            raise InputError("EgressGuard.protect needs a patient_key so surrogates stay consistent.")
        self.last = self._deid.run(text, mode="surrogate", patient_key=patient_key, mapping=self.mapping)
        return self.last.text

    def protect_messages(self, messages: Sequence[dict[str, Any]], patient_key: str) -> list[dict[str, Any]]:
        """Chat messages (OpenAI shape) with every string ``content`` protected; others copied as is."""
        out = []
        for msg in messages:
            new = dict(msg)
            if isinstance(msg.get("content"), str):
                new["content"] = self.protect(msg["content"], patient_key)
            out.append(new)
        return out

    def restore(self, reply_text: str) -> str:
        """A model's reply with surrogates swapped back for the real values (dates shifted back)."""
        return self.mapping.reverse(reply_text)

    def save(self) -> Path:
        """Write the mapping, encrypted, under ``data_dir/deid/<session_id>.map``."""
        return MappingStore(self.settings).save(self.session_id, self.mapping)

    @classmethod
    def resume(cls, session_id: str, settings: Settings | None = None) -> EgressGuard:
        """A guard with the mapping saved earlier under ``session_id``."""
        s = settings or get_settings()
        return cls(s, session_id=session_id, mapping=MappingStore(s).load(session_id))

    def forget(self) -> bool:
        """Delete the saved mapping of this session (after the reply has been restored)."""
        return MappingStore(self.settings).delete(self.session_id)
