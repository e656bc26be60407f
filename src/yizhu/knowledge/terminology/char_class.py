"""The character class a CRF feature reads: h (CJK), d (digit), a (ASCII letter), s (space), p (other).

The extractor model's features and the compiled CRF's look-up tables both need it, so it is a module of
its own that both import.
"""

from __future__ import annotations


def char_class(c: str) -> str:
    """The class of one character."""
    if "\u4e00" <= c <= "\u9fff":
        return "h"
    if c.isdigit():
        return "d"
    if c.isascii() and c.isalpha():
        return "a"
    if c.isspace():
        return "s"
    return "p"
