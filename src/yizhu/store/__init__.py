"""Storage: SQLite by default, PostgreSQL by URL; small functions that take an Engine first.

engine = init_db()                      # migrate to head, from Settings.resolved_database_url
save_context(engine, ctx)               # patient, encounter, documents, items
run_id = record_run(engine, task=..., task_version=..., input_obj=ctx, output_obj=result,
                    actor="dr.wang", duration_ms=812)
verify_chain(engine).raise_for_problems()
"""

from yizhu.store.audit import (
    GENESIS_HASH,
    TaskRun,
    VerifyReport,
    canonical_json,
    count_runs,
    external_ref,
    get_run,
    input_hash,
    list_runs,
    load_output,
    record_run,
    verify_chain,
)
from yizhu.store.db import head_revision, init_db, make_engine, schema_revision
from yizhu.store.keys import (
    ApiKeyInfo,
    Role,
    authenticate_api_key,
    create_api_key,
    list_api_keys,
    revoke_api_key,
)
from yizhu.store.repo import (
    count_documents,
    count_encounters,
    count_patients,
    document_id_for,
    get_document,
    get_encounter,
    get_patient,
    list_documents,
    list_encounters,
    list_patients,
    load_context,
    save_context,
    save_document,
    save_encounter,
    save_patient,
)
from yizhu.store.sessions import Session, create_session, csrf_ok, end_session, get_session, session_principal

__all__ = [
    "GENESIS_HASH",
    "ApiKeyInfo",
    "Role",
    "Session",
    "TaskRun",
    "VerifyReport",
    "authenticate_api_key",
    "canonical_json",
    "count_documents",
    "count_encounters",
    "count_patients",
    "count_runs",
    "create_api_key",
    "create_session",
    "csrf_ok",
    "document_id_for",
    "end_session",
    "external_ref",
    "get_document",
    "get_encounter",
    "get_patient",
    "get_run",
    "get_session",
    "head_revision",
    "init_db",
    "input_hash",
    "list_api_keys",
    "list_documents",
    "list_encounters",
    "list_patients",
    "list_runs",
    "load_context",
    "load_output",
    "make_engine",
    "record_run",
    "revoke_api_key",
    "save_context",
    "save_document",
    "save_encounter",
    "save_patient",
    "schema_revision",
    "session_principal",
    "verify_chain",
]
