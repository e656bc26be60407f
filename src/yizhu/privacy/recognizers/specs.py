"""The YAML recognizer files shipped with yizhu: where they are and how one is read and validated.

Kept apart from the package ``__init__`` (which builds recognizers from them) so a recognizer module that reads
the specs — ``number_label.py`` asks which labels the YAML rules already list — imports this module, not the
package that imports it back.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import ValidationError

from yizhu.errors import ConfigError
from yizhu.privacy.recognizers.schema import RecognizerSpec


def load_spec(path: Path) -> RecognizerSpec:
    """Read and validate one recognizer YAML file; errors name the file and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read recognizer YAML ({exc}); fix the file.") from exc
    try:
        return RecognizerSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise ConfigError(f"{path}: '{loc}': {err['msg']}; fix the recognizer file.") from exc


def builtin_spec_paths() -> list[Path]:
    """The YAML recognizers shipped with yizhu, sorted by file name."""
    root = Path(str(files("yizhu.privacy.recognizers")))
    return sorted(root.glob("*.yaml"))
