"""Evaluation: datasets, suites, metrics and reports that prove each task safe and effective."""
