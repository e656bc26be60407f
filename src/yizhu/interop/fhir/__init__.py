"""FHIR R4 import and export: a Bundle becomes ClinicalContexts, and a ClinicalContext a Bundle.

Why two layers of validation: ``fhir.resources.R4B`` (the installed model set closest to R4) checks
structure and datatypes, but not code values and it accepts numbers sent as JSON strings. So this
module also checks, against the HL7 FHIR R4 (4.0.1) value sets, every code it relies on to build a
context (gender, encounter class and status, medication status and intent, condition category and
status, quantity comparators, units of time, ...), and that the numbers it reads are JSON numbers.
Every failure is a :class:`~yizhu.errors.FHIRError` naming the bundle entry, the resource and the
field, and saying the fix::

    Bundle.entry[3] MedicationRequest/abc: field 'dosageInstruction.0.timing.repeat.frequency':
    Input should be a valid integer; fix the resource

Grouping: one ClinicalContext per Encounter. Resources without an encounter reference are
patient-level facts (allergies, problem list, results from elsewhere); they are copied into every
encounter context of their patient, and a patient without any encounter gets one patient-level
context (``encounter=None``). Resources that are valid but carry nothing to import (an
entered-in-error record, a refuted condition, a vital-sign observation, a PDF-only document) are
listed with the reason in ``ctx.extra["fhir_import"]["skipped"]``; a "no known allergy" record sets
``ctx.extra["fhir_import"]["no_known_allergies"]``.

Modules, in the order a bundle passes through them: ``validation`` (load and check the bundle),
``datatypes`` (read FHIR datatypes), ``resources`` (one function per resource type), ``importer``
(group into contexts); ``export`` goes the other way; ``valuesets`` holds the tables both share.
"""

from yizhu.interop.fhir.datatypes import xhtml_to_text
from yizhu.interop.fhir.export import context_to_bundle
from yizhu.interop.fhir.importer import bundle_to_context, bundle_to_contexts
from yizhu.interop.fhir.valuesets import CHINA_STANDARD_TIME

__all__ = ["CHINA_STANDARD_TIME", "bundle_to_context", "bundle_to_contexts", "context_to_bundle", "xhtml_to_text"]
