"""Prescription-review evaluation sets (``cases.jsonl``, ``holdout.jsonl``) and the builders that write them."""
