"""Health checks of one configured model (``yizhu models check``, ``GET /v1/models/{name}/check``).
"""

from __future__ import annotations

import asyncio
import time

from yizhu.errors import (
    ModelCallError,
    ModelError,
)
from yizhu.llm.gateway.results import CheckReport, ProbeAnswer, capabilities_of
from yizhu.llm.prompts import render_prompt
from yizhu.llm.types import GenParams


class HealthMixin:
    """``check`` / ``acheck``: probe one model (reachable, answers, structured output, latency).

    Mixed into ``Gateway``.
    """

    def check(self, name: str) -> CheckReport:
        """Reachability, served model ids, capabilities and a tiny structured probe (blocking)."""
        return self._portal.call(self._check(name))

    async def acheck(self, name: str) -> CheckReport:
        """The same, async."""
        return await self._portal.run(self._check(name))

    async def _check(self, name: str) -> CheckReport:
        cfg = self.config.models.get(name)
        if cfg is None:
            self._runtime(name)  # raises with the known names
            raise AssertionError("unreachable")  # pragma: no cover
        rt = self._runtimes.get(name)
        report = CheckReport(
            name=name, backend=cfg.backend, endpoint=cfg.endpoint, ok=False, reachable=False, clinical=cfg.clinical, label=cfg.label
        )
        if rt is None:
            report.error = "backend none: no model to check"
            return report
        report.capabilities = capabilities_of(rt.backend)
        report.profile = getattr(getattr(rt.backend, "profile", None), "name", None)
        try:
            async with asyncio.timeout(cfg.timeout_s + 1.0):
                served = await rt.backend.list_models()
        except (ModelCallError, TimeoutError) as exc:
            report.error = str(exc) or f"no answer within {cfg.timeout_s:g} s"
            return report
        report.reachable = True
        report.served = [s.id for s in served]
        wanted = cfg.model or getattr(rt.backend, "model_id", None)
        if served and wanted:
            match = next((s for s in served if s.id == wanted), None)
            report.model_found = match is not None
            profile_default = getattr(getattr(rt.backend, "profile", None), "default_context", None)
            report.context_length = (match.context_length if match else None) or cfg.context_length or profile_default
        if report.model_found is False:
            report.error = f"the server does not serve '{wanted}'; set model to one of: {', '.join(report.served[:10])}"
        call = self._new_call(
            "check",
            "models.check",
            render_prompt("models.check_probe"),
            None,
            GenParams(temperature=0.0, max_tokens=64),
            name,
            ProbeAnswer,
        )
        t = time.perf_counter()
        try:
            completion, _ = await self._run(call)
            report.probe_ok = True
            report.probe_model_id = completion.model_id
        except ModelError as exc:
            report.probe_ok = False
            report.error = report.error or f"structured-output probe failed: {exc}"
        report.probe_latency_ms = round((time.perf_counter() - t) * 1000, 1)
        report.ok = bool(report.reachable and report.probe_ok and report.model_found is not False)
        return report
