"""yizhu (医助): the hospital's own clinical AI copilot."""

__version__ = "0.1.0"
