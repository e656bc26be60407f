"""The queue tests use the real Redis of ``redis_url`` in tests/conftest.py."""
