"""Deterministic train / held-back split by a hash of each record's text.

The split is a *definition*, not a file: ``split_of(text)`` is "test" when the first 8 bytes of
``sha256(SPLIT_SALT + "\\x1f" + text)`` read as a fraction of 2**64 fall below ``test_fraction``
(default 0.2). The same text always lands on the same side, on any machine, so duplicates never leak
from train into test, and a figure reported on "the test part" can be reproduced from the public file
without shipping any of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Literal, TypeVar

SPLIT_SALT = "yizhu-split-v1"
DEFAULT_TEST_FRACTION = 0.2

T = TypeVar("T")


def split_of(text: str, test_fraction: float = DEFAULT_TEST_FRACTION, salt: str = SPLIT_SALT) -> Literal["train", "test"]:
    """Which side of the split a record with this text belongs to."""
    h = hashlib.sha256((salt + "\x1f" + text).encode("utf-8")).digest()
    return "test" if int.from_bytes(h[:8], "big") / 2**64 < test_fraction else "train"


def split_records(records: Iterable[T], text_of: Callable[[T], str], test_fraction: float = DEFAULT_TEST_FRACTION,
                  salt: str = SPLIT_SALT) -> tuple[list[T], list[T]]:
    """(train, test) in input order."""
    train: list[T] = []
    test: list[T] = []
    for r in records:
        (test if split_of(text_of(r), test_fraction, salt) == "test" else train).append(r)
    return train, test
