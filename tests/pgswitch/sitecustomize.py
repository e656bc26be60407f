"""Loaded by every Python subprocess a test starts under YIZHU_TEST_DATABASE=postgresql (PYTHONPATH):
routes its SQLite file URLs to the same PostgreSQL schemas as the test's (yizhu_test_pg)."""

import os

if os.environ.get("YIZHU_TEST_PG_SERVER"):
    try:
        import yizhu_test_pg

        yizhu_test_pg.install(os.environ["YIZHU_TEST_PG_SERVER"])
    except ImportError:  # a Python without yizhu (e.g. a helper tool): nothing to route
        pass
