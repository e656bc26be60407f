"""Configuration: read once at start-up, validated, passed down.

Sources, later ones winning: defaults, ``yizhu.toml`` (working directory or ``$YIZHU_CONFIG``),
environment variables prefixed ``YIZHU_``. This is the only module that reads ``os.environ``.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from yizhu.errors import ConfigError

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "dev-secret-not-for-production"}


class Settings(BaseSettings):
    """Every setting yizhu has, with a sensible embedded default."""

    model_config = SettingsConfigDict(env_prefix="YIZHU_", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is a SQLite file under data_dir"
    )
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 5 * 1024 * 1024
    #: a request body must arrive whole within this many seconds (a slow sender cannot hold a connection)
    body_timeout_s: float = 30.0
    secret_key: str = "dev-secret-not-for-production"
    #: Redis for the job queue and the API's rate limit counters (production); unset: jobs in process, counters in the database
    redis_url: str | None = None
    #: API rate limits over the defaults and yizhu.toml's [rate_limits]: {"default": "3000/minute", ...} (yizhu.api.ratelimit)
    rate_limits: dict[str, str] | None = None
    deid_key: str | None = Field(
        default=None,
        description="secret for de-identification: surrogates, date offsets and the encrypted mapping store",
    )
    knowledge_overrides: Path | None = Field(
        default=None,
        description="folder of hospital overrides to the shipped knowledge packs (docs/knowledge.md); "
        "default: <data_dir>/knowledge/overrides when that folder exists",
    )
    # Raw sections of yizhu.toml that other packages validate themselves (e.g. [models], [routes]).
    extra_sections: dict[str, Any] = Field(default_factory=dict, exclude=True)
    # Where database_url / data_dir came from ("YIZHU_DATABASE_URL", "yizhu.toml (PATH)", …); unset: default.
    origins: dict[str, str] = Field(default_factory=dict, exclude=True)

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force: explicit, or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'yizhu.db').as_posix()}"

    def locate_database(self, cwd: Path | None = None) -> tuple[str, str]:
        """(URL, how it was found), the same from any directory: an explicit URL (YIZHU_DATABASE_URL or
        yizhu.toml), else ``yizhu.db`` in an explicit data directory (YIZHU_DATA_DIR or yizhu.toml), else
        the nearest ``var/yizhu.db`` in the working directory or a parent, else ``./var/yizhu.db`` (which
        only ``yizhu init``, ``serve`` and ``import`` create)."""
        if self.database_url:
            return self.database_url, self.origins.get("database_url", "database_url setting")
        if "data_dir" in self.origins:
            path = (self.data_dir / "yizhu.db").absolute()
            return f"sqlite:///{path.as_posix()}", f"data directory from {self.origins['data_dir']}"
        here = (cwd or Path.cwd()).absolute()
        for d in (here, *here.parents):
            candidate = d / self.data_dir / "yizhu.db"
            if candidate.is_file():
                how = "the default data directory" if d == here else f"the nearest data directory above {here}"
                return f"sqlite:///{candidate.as_posix()}", how
        return f"sqlite:///{(here / self.data_dir / 'yizhu.db').as_posix()}", "the default data directory (none exists yet)"

    def locate_data_dir(self, cwd: Path | None = None) -> tuple[Path, str]:
        """(data directory, how it was found), the same way as the database: an explicit data directory
        (YIZHU_DATA_DIR or yizhu.toml), else the nearest ``var/`` holding a database or imported knowledge in
        the working directory or a parent, else ``./var`` (which may not exist yet)."""
        if "data_dir" in self.origins or self.data_dir.is_absolute():
            return self.data_dir, self.origins.get("data_dir", "data_dir setting")
        here = (cwd or Path.cwd()).absolute()
        for d in (here, *here.parents):
            candidate = d / self.data_dir
            if (candidate / "yizhu.db").is_file() or (candidate / "knowledge").is_dir():
                how = "the default data directory" if d == here else f"the nearest data directory above {here}"
                return candidate, how
        return here / self.data_dir, "the default data directory (none exists yet)"

    def knowledge_overrides_dir(self) -> Path | None:
        """The overrides folder in force: the setting, else ``<data_dir>/knowledge/overrides`` if it exists."""
        if self.knowledge_overrides is not None:
            return self.knowledge_overrides
        default = self.data_dir / "knowledge" / "overrides"
        return default if default.is_dir() else None

    def check_production(self) -> None:
        """Refuse placeholder secrets outside development."""
        if self.env == "production" and self.secret_key in PLACEHOLDER_SECRETS:
            raise ConfigError(
                "YIZHU_SECRET_KEY is a placeholder; set a long random value before running with "
                "YIZHU_ENV=production (e.g. `python -c 'import secrets;print(secrets.token_hex(32))'`)."
            )


def user_cache_dir() -> Path:
    """Where a command keeps rebuildable caches when no data directory exists (``$XDG_CACHE_HOME/yizhu``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "yizhu"


def config_path() -> Path | None:
    """The yizhu.toml in force, if any."""
    explicit = os.environ.get("YIZHU_CONFIG")
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"YIZHU_CONFIG points at {p}, which is not a file; fix the path or unset it.")
        return p
    p = Path("yizhu.toml")
    return p if p.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Build Settings from yizhu.toml, the environment and explicit overrides."""
    file_values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    origins: dict[str, str] = {}
    path = config_path()
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file.") from exc
        for key, value in raw.items():
            if isinstance(value, dict):
                extra[key] = value
            else:
                file_values[key] = value
    env_keys = {k[len("YIZHU_"):].lower() for k in os.environ if k.startswith("YIZHU_")}
    init = {k: v for k, v in file_values.items() if k not in env_keys}
    for key in ("database_url", "data_dir"):
        if key in env_keys and os.environ.get(f"YIZHU_{key.upper()}"):
            origins[key] = f"YIZHU_{key.upper()}"
        elif key in init and path is not None:
            origins[key] = f"{path.absolute()}"
            if key == "data_dir" and not Path(str(init[key])).is_absolute():
                init[key] = str(path.absolute().parent / str(init[key]))  # relative to the file, not the cwd
    init.update(overrides)
    try:
        settings = Settings(**init)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise ConfigError(f"setting '{loc}': {err['msg']}; fix it in yizhu.toml or YIZHU_{loc.upper()}.") from exc
    settings.extra_sections = extra
    settings.origins = origins
    return settings


def secret_from_env(name: str) -> str | None:
    """A secret named in yizhu.toml (e.g. a model's ``api_key_env``), read from the environment."""
    value = os.environ.get(name)
    return value if value else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
