"""Separate ``<think>…</think>`` reasoning from the clinical text of a reply.

DeepSeek-R1, QwQ and Qwen3 write their reasoning inline when the server runs without a reasoning
parser. A clinician must never see it as part of a note, but the audit keeps it, so the gateway
splits every reply (complete or streamed) into text and reasoning.
"""

from __future__ import annotations

OPEN = "<think>"
CLOSE = "</think>"


def split_think(text: str) -> tuple[str, str | None]:
    """(clinical text, reasoning) of a complete reply.

    Handles a reply whose opening tag was part of the prompt template (DeepSeek-R1 style: only
    ``</think>`` appears) and a reply cut off inside its reasoning (then there is no text).
    """
    splitter = ThinkSplitter()
    content, reasoning = splitter.feed(text)
    tail_c, tail_r = splitter.close()
    content += tail_c
    reasoning += tail_r
    if OPEN not in text and CLOSE in content:
        # the opening tag was in the prompt: everything before the close tag was reasoning
        before, _, after = content.partition(CLOSE)
        reasoning = before + reasoning
        content = after
    reasoning = reasoning.strip()
    if reasoning:
        content = content.strip()
    return content, (reasoning or None)


def _partial_suffix(buf: str, tag: str) -> int:
    """Length of the longest suffix of ``buf`` that is a proper prefix of ``tag``."""
    for n in range(min(len(tag) - 1, len(buf)), 0, -1):
        if buf.endswith(tag[:n]):
            return n
    return 0


class ThinkSplitter:
    """Incremental splitter for streamed content; tags may arrive split across chunks."""

    def __init__(self) -> None:
        self._buf = ""
        self._inside = False
        self._strip_next = False

    def feed(self, chunk: str) -> tuple[str, str]:
        """Consume one chunk; return the (text, reasoning) that is now certain."""
        self._buf += chunk
        text: list[str] = []
        reasoning: list[str] = []
        while self._buf:
            if self._inside:
                i = self._buf.find(CLOSE)
                if i >= 0:
                    reasoning.append(self._buf[:i])
                    self._buf = self._buf[i + len(CLOSE):]
                    self._inside = False
                    self._strip_next = True
                    continue
                keep = _partial_suffix(self._buf, CLOSE)
                reasoning.append(self._buf[: len(self._buf) - keep])
                self._buf = self._buf[len(self._buf) - keep:]
                break
            if self._strip_next:
                self._buf = self._buf.lstrip()
                if not self._buf:
                    break
                self._strip_next = False
            i = self._buf.find(OPEN)
            if i >= 0:
                text.append(self._buf[:i])
                self._buf = self._buf[i + len(OPEN):]
                self._inside = True
                continue
            keep = _partial_suffix(self._buf, OPEN)
            text.append(self._buf[: len(self._buf) - keep])
            self._buf = self._buf[len(self._buf) - keep:]
            break
        return "".join(text), "".join(reasoning)

    def close(self) -> tuple[str, str]:
        """Flush what is held back at the end of the stream."""
        rest, self._buf = self._buf, ""
        if self._inside:
            return "", rest
        return rest, ""
