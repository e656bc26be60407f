"""Curated clinical knowledge: pack schemas, the loader and the in-memory knowledge base."""
