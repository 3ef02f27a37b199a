"""Runtime settings, read from the environment (prefix ``MEDTRUST_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All knobs of a medtrust process. Build with :func:`get_settings` or directly in tests."""

    model_config = SettingsConfigDict(env_prefix="MEDTRUST_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"), description="Directory for the SQLite database and uploads."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is SQLite at DATA_DIR/medtrust.sqlite3.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Key for session cookies and CSRF tokens; generated into DATA_DIR if unset.",
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, description="Largest accepted upload, in bytes."
    )
    max_uncompressed_bytes: int = Field(
        default=200 * 1024 * 1024,
        description="Largest total uncompressed size accepted inside a zip container (xlsx).",
    )
    secure_cookies: bool = Field(
        default=False,
        description="Mark session cookies Secure (set true behind HTTPS).",
    )
    session_max_age_seconds: int = Field(default=8 * 3600)

    def resolved_database_url(self) -> str:
        """Return the configured URL, or the default SQLite file under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'medtrust.sqlite3').resolve()}"


def get_settings() -> Settings:
    """Read settings from the environment."""
    return Settings()
