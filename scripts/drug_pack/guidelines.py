"""Guideline cards (filled in below)."""

from __future__ import annotations

from typing import Any

CARDS: list[dict[str, Any]] = []
