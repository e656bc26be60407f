"""Run the API as a real uvicorn server in its own process on loopback: for replica tests and the load
benchmark (benchmarks/load.py). Each process is one stateless replica: everything it knows lives in the
database named by ``database_url``, so any number of them can serve behind one load balancer."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Replica:
    """``python -m uvicorn yizhu.api.app:create_app --factory`` on 127.0.0.1; a context manager."""

    def __init__(self, database_url: str, data_dir: Path, *, workers: int = 1, log: Path | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.workers = workers
        self.port = free_port()
        self.log = log or data_dir / f"replica-{self.port}.log"
        self.env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 120.0) -> Replica:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "YIZHU_DATABASE_URL": self.database_url, "YIZHU_DATA_DIR": str(self.data_dir),
               "YIZHU_CONFIG": str(self.data_dir / "yizhu.toml"), **self.env}
        (self.data_dir / "yizhu.toml").touch()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "yizhu.api.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(self.workers), "--log-level", "warning", "--no-access-log"],
            env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise RuntimeError(f"replica on port {self.port} did not start: {tail}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def __enter__(self) -> Replica:
        return self.start()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
