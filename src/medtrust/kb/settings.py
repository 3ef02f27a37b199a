"""Where the knowledge base lives (``MEDTRUST_KB_DIR``, default ``<data dir>/kb``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class KbSettings(BaseSettings):
    """Knowledge-base settings, read from the environment (prefix ``MEDTRUST_``)."""

    model_config = SettingsConfigDict(env_prefix="MEDTRUST_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="medtrust's data directory.")
    kb_dir: Path | None = Field(
        default=None, description="Knowledge-base directory; default DATA_DIR/kb."
    )

    def resolved_kb_dir(self) -> Path:
        """The configured directory, or ``data_dir / "kb"``."""
        return self.kb_dir if self.kb_dir is not None else self.data_dir / "kb"


def kb_dir() -> Path:
    """The knowledge-base directory from the environment."""
    return KbSettings().resolved_kb_dir()
