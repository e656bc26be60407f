"""The FastAPI app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from yizhu import __version__
from yizhu.api import errors, openapi
from yizhu.api.guard import RequestGuard
from yizhu.api.idempotency import Idempotency
from yizhu.api.ratelimit import RateLimit
from yizhu.api.routes import deid, jobs, qc, records, tasks
from yizhu.api.services import make_gateway
from yizhu.clinical.intake.api import router as intake_router
from yizhu.clinical.notes.api import router as notes_router
from yizhu.clinical.rx import warm_up as rx_warm_up
from yizhu.clinical.rx.api import router as rx_router
from yizhu.clinical.triage.api import router as triage_router
from yizhu.config import Settings, get_settings
from yizhu.evaluation.api import router as eval_router
from yizhu.interop.cds_hooks import router as cds_router
from yizhu.knowledge.api import router as knowledge_router
from yizhu.llm.api import router as llm_router
from yizhu.value.api import router as value_router
from yizhu.web import docs_offline
from yizhu.web.admin_pages import router as admin_pages_router
from yizhu.web.doctor_pages import router as doctor_pages_router
from yizhu.web.eval_pages import router as eval_pages_router
from yizhu.web.intake_pages import router as intake_pages_router
from yizhu.web.launch import api_router as launch_api_router
from yizhu.web.launch import router as launch_router
from yizhu.web.note_pages import router as note_pages_router
from yizhu.web.pages import router as pages_router
from yizhu.web.qc_pages import router as qc_pages_router
from yizhu.web.rx_pages import router as rx_pages_router
from yizhu.web.sys_pages import router as sys_pages_router
from yizhu.web.value_pages import router as value_pages_router

#: every router of the service: API resources, CDS Hooks, then the pages
ROUTERS = (
    records.router, tasks.router, qc.router, deid.router, jobs.router, llm_router, notes_router, rx_router,
    triage_router, cds_router,
    eval_router, knowledge_router, pages_router, note_pages_router, rx_pages_router, eval_pages_router,
    intake_router, intake_pages_router, value_router, value_pages_router,
    launch_api_router, launch_router, admin_pages_router, qc_pages_router,
    sys_pages_router, doctor_pages_router,
)


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the app; the store is initialised (migrated) if no engine is given."""
    settings = settings or get_settings()
    if engine is None:
        from yizhu.store.db import init_db

        engine = init_db(settings.resolved_database_url)
    # Bad [models]/[routes] fail here, at start-up; engines reach it via yizhu.llm.runtime.current_gateway().
    gateway = make_gateway(engine, settings, install=True)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        gateway.close()
        queue = getattr(app.state, "jobs", None)
        if queue is not None:
            queue.close()

    app = FastAPI(
        lifespan=lifespan,
        title="yizhu 医助 API",
        version=__version__,
        description="Clinical AI copilot: records, tasks, audit. Authenticate with the X-API-Key header.",
        docs_url=None,  # /docs and /redoc are served with local assets (yizhu.web.docs_offline)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.gateway = gateway
    errors.install(app)
    openapi.install(app)
    docs_offline.install(app)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        """Liveness and version; no authentication."""
        return {"status": "ok", "version": __version__}

    for router in ROUTERS:
        app.include_router(router)
    rx_warm_up()  # load drug knowledge now, not on the first prescription
    # Outermost last: rate limits first (a caller over its limit costs one counter update), then the guard
    # reads and checks every body, then Idempotency-Key may replay.
    app.add_middleware(Idempotency, engine=engine)
    app.add_middleware(RequestGuard, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s)
    app.add_middleware(RateLimit, engine=engine, settings=settings)
    return app
