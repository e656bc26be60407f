"""Model backends (the Backend seam): built-ins register here the same way a plugin does."""

from yizhu.llm.backends import llamacpp, none, openai
from yizhu.llm.backends.base import Backend, backend_class, known_backends, register_backend

__all__ = ["Backend", "backend_class", "known_backends", "llamacpp", "none", "openai", "register_backend"]
