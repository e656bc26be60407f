"""The process-wide gateway that task engines use, so ``run(ctx)`` needs no extra argument.

The app factory (and the CLI) install the gateway they built — with its audit sink — through
``use_gateway``; an engine asks ``current_gateway()``. Without an installed one, a gateway is built once
from the settings (no audit sink), which is what a script or notebook gets.
"""

from __future__ import annotations

import threading

from yizhu.llm.gateway import Gateway, build_gateway

_lock = threading.Lock()
_installed: Gateway | None = None


def use_gateway(gateway: Gateway | None) -> None:
    """Install (or with None, forget) the process gateway."""
    global _installed
    with _lock:
        _installed = gateway


def current_gateway() -> Gateway:
    """The installed gateway, or one built from the settings on first use."""
    global _installed
    with _lock:
        if _installed is None:
            from yizhu.config import get_settings

            _installed = build_gateway(get_settings())
        return _installed
