"""Interoperability: FHIR R4 import/export (and, later, the CDS Hooks service)."""

from yizhu.interop.fhir import bundle_to_context, bundle_to_contexts, context_to_bundle

__all__ = ["bundle_to_context", "bundle_to_contexts", "context_to_bundle"]
