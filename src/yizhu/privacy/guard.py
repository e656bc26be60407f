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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from yizhu.config import Settings, get_settings
from yizhu.errors import InputError
from yizhu.privacy.deid import Deidentifier, DeidResult
from yizhu.privacy.known import registry_identifiers
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

    def protect(self, text: str, patient_key: str, *, known: Iterable[tuple[str, str]] = ()) -> str:
        """The text with every PHI span replaced by this patient's surrogate; remembers the mapping."""
        return self.protect_all([text], patient_key, known=known)[0]

    def protect_all(self, texts: Sequence[str], patient_key: str, *, known: Iterable[tuple[str, str]] = ()) -> list[str]:
        """Several texts (the messages of one request) de-identified together, as one document.

        A name found in any of them (姓名：王建国 in the system prompt) is replaced in all of them;
        ``known`` values (the record's identifiers) and the patient registry's values for
        ``patient_key`` are replaced wherever they occur; and an original value that still stands
        anywhere in the output is replaced too (fail closed).
        """
        if not patient_key:
            raise InputError("EgressGuard.protect needs a patient_key so surrogates stay consistent.")
        values = [*known, *registry_identifiers(self.settings, patient_key)]
        results = self._deid.run_many(
            list(texts), mode="surrogate", patient_key=patient_key, mapping=self.mapping, known=values, fail_closed=True
        )
        self.last = results[-1] if results else None
        return [r.text for r in results]

    def protect_messages(
        self, messages: Sequence[dict[str, Any]], patient_key: str, *, known: Iterable[tuple[str, str]] = ()
    ) -> list[dict[str, Any]]:
        """Chat messages (OpenAI shape), every string ``content`` protected together; others copied as is."""
        idx = [i for i, msg in enumerate(messages) if isinstance(msg.get("content"), str)]
        texts = self.protect_all([messages[i]["content"] for i in idx], patient_key, known=known)
        out = [dict(msg) for msg in messages]
        for i, t in zip(idx, texts, strict=True):
            out[i]["content"] = t
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
