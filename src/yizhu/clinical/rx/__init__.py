"""智能审方: prescription review as rules-as-data plus registered checks over the drug knowledge packs."""

from yizhu.clinical.rx.document import (
    OrderDocument,
    document_to_context,
    load_payload,
    order_document_schema,
    parse_order_document,
)
from yizhu.clinical.rx.engine import (
    TASK_NAME,
    TASK_VERSION,
    RxReview,
    RxReviewTask,
    alert_finding,
    finding_alert,
    review,
    warm_up,
)
from yizhu.clinical.rx.rules import (
    ALERT_TYPES,
    SEVERITIES,
    Alert,
    RxRule,
    RxRuleSet,
    check,
    default_rules,
    load_rules,
)

__all__ = [
    "ALERT_TYPES",
    "SEVERITIES",
    "TASK_NAME",
    "TASK_VERSION",
    "Alert",
    "OrderDocument",
    "RxReview",
    "RxReviewTask",
    "RxRule",
    "RxRuleSet",
    "alert_finding",
    "check",
    "default_rules",
    "document_to_context",
    "finding_alert",
    "load_payload",
    "load_rules",
    "order_document_schema",
    "parse_order_document",
    "review",
    "warm_up",
]
