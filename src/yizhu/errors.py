"""The one error hierarchy of yizhu.

    YizhuError
    ├── ConfigError          the user can fix it (bad setting, missing file, unknown name)
    │   ├── UnknownTask      no task is registered under the name a caller gave (404)
    │   └── UnknownModel     no model is configured under the name a caller gave (422)
    ├── InputError           bad input from a caller: unreadable file, invalid document, bad FHIR
    │   ├── FHIRError        a FHIR resource or bundle that fails validation (names resource and field)
    │   └── TooLargeError    valid input over a documented size limit (too many orders …): HTTP 413
    ├── NotFoundError        a requested record does not exist
    ├── AuthError            missing or invalid credentials
    │   └── PermissionDenied valid credentials, wrong role
    ├── StoreError           the database failed
    │   └── AuditIntegrityError  the audit chain does not verify
    ├── TaskError            a task engine failed at run time
    └── ModelError           a language-model call failed (names the model or task and what to do)
        ├── ModelCallError       one backend call failed: timeout, refused, 5xx, malformed reply
        ├── ModelUnavailable     no model on the task's route answered (``degraded`` says why)
        └── StructuredOutputError  no reply validated against the schema within the repair budget

Foreign exceptions are mapped at the boundary (``raise InputError(...) from exc``); the API turns
these into ``application/problem+json`` and the CLI into one line on stderr with exit code 2.
"""

from __future__ import annotations


class YizhuError(Exception):
    """Base of every error yizhu raises on purpose."""

    #: HTTP status the API uses for this error.
    status: int = 500
    #: Short title for problem+json.
    title: str = "Internal error"


class ConfigError(YizhuError):
    """A configuration problem the user can fix; the message says how."""

    status = 500
    title = "Configuration error"


class UnknownTask(ConfigError):
    """A caller named a task that is not registered."""

    status = 404
    title = "Unknown task"


class UnknownModel(ConfigError):
    """A caller named a model that is not configured."""

    status = 422
    title = "Unknown model"


class InputError(YizhuError):
    """The caller sent something we cannot use."""

    status = 422
    title = "Invalid input"


class FHIRError(InputError):
    """A FHIR resource failed validation; the message names the resource and field."""

    title = "Invalid FHIR resource"


class TooLargeError(InputError):
    """The input is over a documented limit (e.g. orders per review); the message names the limit."""

    status = 413
    title = "Request too large"


class NotFoundError(YizhuError):
    """A requested record does not exist."""

    status = 404
    title = "Not found"


class AuthError(YizhuError):
    """Missing or invalid credentials."""

    status = 401
    title = "Unauthorized"


class PermissionDenied(AuthError):
    """Valid credentials that lack the required role."""

    status = 403
    title = "Forbidden"


class StoreError(YizhuError):
    """The database failed."""

    status = 503
    title = "Storage error"


class AuditIntegrityError(StoreError):
    """The hash chain of the audit log does not verify."""

    status = 500
    title = "Audit log integrity failure"


class TaskError(YizhuError):
    """A task engine failed while running."""

    status = 500
    title = "Task failed"


class ModelError(YizhuError):
    """A language-model call failed; the message names the model or task and the fix."""

    status = 502
    title = "Model error"


class ModelCallError(ModelError):
    """One call to one backend failed; ``retryable`` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool = False, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after_s = retry_after_s


class ModelUnavailable(ModelError):
    """No model on the route answered; engines catch this and run their rule path.

    ``degraded`` is the flag the engine puts on its Result: ``no_llm`` when the route has no model
    (or ends in ``none``), ``llm_unavailable`` when models were tried and all failed.
    """

    status = 503
    title = "No model available"

    def __init__(self, message: str, *, degraded: str = "no_llm", attempts: list | None = None) -> None:
        super().__init__(message)
        self.degraded = degraded
        self.attempts = attempts or []


class StructuredOutputError(ModelError):
    """The model never produced output that validates against the schema: an error, never a guess."""

    title = "Invalid structured output"

    def __init__(self, message: str, *, attempts: list | None = None) -> None:
        super().__init__(message)
        self.attempts = attempts or []
