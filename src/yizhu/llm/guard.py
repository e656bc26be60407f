"""The privacy boundary between the gateway and a model marked ``external``.

Every message bound for an external model passes ``protect`` (surrogate de-identification by
yizhu.privacy) and every reply passes ``restore`` locally. The gateway owns the only path to a
backend, so engine code cannot skip this; the OpenAI backend refuses, as a second line, any
request to an external model that did not come through here (``ChatRequest.protected``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from yizhu.config import Settings
from yizhu.errors import ModelCallError
from yizhu.llm.types import Message


class Guard(Protocol):
    """What the gateway needs from yizhu.privacy.EgressGuard."""

    def protect(self, text: str, patient_key: str) -> str:
        """De-identify text (surrogates), remembering the mapping."""
        ...

    def restore(self, reply_text: str) -> str:
        """Put the original values back into a reply."""
        ...


GuardFactory = Callable[[], Guard]


def egress_guard_factory(settings: Settings) -> GuardFactory | None:
    """A factory of yizhu.privacy EgressGuards (one per call: mappings never cross calls), if installed."""
    try:
        from yizhu.privacy import EgressGuard
    except ImportError:
        return None

    def make() -> Guard:
        guard: Any = EgressGuard(settings=settings)
        return guard

    return make


def protect_messages(
    guard: Guard, messages: list[Message], patient_key: str, model: str, known: Sequence[tuple[str, str]] = ()
) -> list[Message]:
    """Every message de-identified, all together as one document (a name found in the system prompt
    is masked in the user message too, with ``known`` values masked everywhere); a failure means
    nothing is sent to that model."""
    try:
        protect_all = getattr(guard, "protect_all", None)
        if protect_all is not None:
            texts = protect_all([m.content for m in messages], patient_key, known=known)
            return [Message(role=m.role, content=t) for m, t in zip(messages, texts, strict=True)]
        return [Message(role=m.role, content=guard.protect(m.content, patient_key)) for m in messages]
    except Exception as exc:  # any failure of de-identification must stop the call, whatever its type
        raise ModelCallError(
            f"model '{model}' is external and de-identification failed ({type(exc).__name__}); nothing was sent"
        ) from exc


def protect_texts(guard: Guard, texts: list[str], patient_key: str, model: str) -> list[str]:
    """Texts for embedding, de-identified."""
    return [m.content for m in protect_messages(guard, [Message(role="user", content=t) for t in texts], patient_key, model)]


#: characters after which a streamed reply may be re-identified piecewise: surrogates (names,
#: numbers, dates, addresses) do not span them
BOUNDARIES = "\n。！？；，、!?;"
#: release text without a boundary after this many characters rather than hold it forever
MAX_HOLD = 400


class StreamRestorer:
    """Re-identify a streamed reply segment by segment, never inside a surrogate."""

    def __init__(self, restore: Callable[[str], str]) -> None:
        self._restore = restore
        self._buf = ""

    def feed(self, text: str) -> str:
        """Take a delta; return the re-identified text that is now safe to show."""
        self._buf += text
        cut = max(self._buf.rfind(ch) for ch in BOUNDARIES)
        if cut < 0:
            if len(self._buf) < MAX_HOLD:
                return ""
            cut = len(self._buf) - 1
        segment, self._buf = self._buf[: cut + 1], self._buf[cut + 1:]
        return self._restore(segment)

    def close(self) -> str:
        """The rest, at the end of the stream."""
        segment, self._buf = self._buf, ""
        return self._restore(segment) if segment else ""
