"""Settings of the online fetchers: endpoints, credentials, limits (env prefix ``MEDTRUST_``).

Every endpoint is configurable so tests (and mirrors) can point the fetchers elsewhere, for
example ``MEDTRUST_NVD_URL=http://127.0.0.1:8080/rest/json/cves/2.0``. List values are given
as JSON in the environment: ``MEDTRUST_OSV_ECOSYSTEMS='["PyPI", "Debian:12"]'``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024

#: NVD CVE API 2.0 (https://nvd.nist.gov/developers/vulnerabilities)
NVD_URL = "https://services.nvd.nist.gov/rest/json/cves/2.0"
#: OSV data dumps (https://google.github.io/osv.dev/data/#data-dumps)
OSV_URL = "https://osv-vulnerabilities.storage.googleapis.com"
#: CISA Known Exploited Vulnerabilities catalog, JSON
#: (https://www.cisa.gov/known-exploited-vulnerabilities-catalog)
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
#: FIRST EPSS daily scores (https://www.first.org/epss/data_stats)
EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
#: CSAF 2.0 §7.1.9 (requirement 9): provider metadata at a well-known URL
CISA_CSAF = "https://www.cisa.gov/.well-known/csaf/provider-metadata.json"


class FetchSettings(BaseSettings):
    """Endpoints, credentials and limits of the online fetchers."""

    model_config = SettingsConfigDict(env_prefix="MEDTRUST_", extra="ignore")

    feeds_cache_dir: Path | None = Field(
        default=None, description="Feed cache directory; default DATA_DIR/feeds-cache."
    )
    nvd_url: str = Field(default=NVD_URL, description="NVD CVE API 2.0 endpoint.")
    nvd_api_key: SecretStr | None = Field(
        default=None, description="NVD API key, sent as the apiKey header (raises the rate limit)."
    )
    nvd_results_per_page: int = Field(default=2000, ge=1, le=2000)
    nvd_window_days: int = Field(
        default=120, ge=1, le=120, description="Longest lastModStartDate..EndDate window."
    )
    osv_url: str = Field(default=OSV_URL, description="Base URL of the OSV data dumps.")
    osv_ecosystems: list[str] = Field(
        default_factory=lambda: ["Go", "Maven", "npm", "NuGet", "PyPI", "crates.io"],
        description="OSV ecosystems to download (folder names of the OSV bucket).",
    )
    osv_incremental_max: int = Field(
        default=1000,
        ge=0,
        description="Fetch changed OSV records one by one up to this many; else all.zip again.",
    )
    kev_url: str = Field(default=KEV_URL)
    epss_url: str = Field(default=EPSS_URL)
    csaf_providers: list[str] = Field(
        default_factory=lambda: [CISA_CSAF],
        description="provider-metadata.json URLs, base URLs or domains of CSAF providers.",
    )
    csaf_tlp_labels: list[str] = Field(
        default_factory=lambda: ["CLEAR", "WHITE"],
        description="TLP labels of CSAF feeds and documents that are downloaded.",
    )
    http_timeout_seconds: float = Field(default=60.0, gt=0)
    http_attempts: int = Field(default=4, ge=1, description="Attempts per request.")
    http_backoff_seconds: float = Field(default=2.0, ge=0)
    http_max_backoff_seconds: float = Field(default=120.0, ge=0)
    http_trust_env: bool = Field(default=True, description="Use proxy settings from the env.")
    max_download_bytes: int = Field(
        default=2048 * MIB, gt=0, description="Largest archive download (OSV all.zip)."
    )
    max_document_bytes: int = Field(
        default=128 * MIB, gt=0, description="Largest JSON/CSV document (NVD page, advisory)."
    )
    max_uncompressed_bytes: int = Field(
        default=1024 * MIB, gt=0, description="Largest decompressed size of a .gz download."
    )

    def tlp_allowed(self, label: str | None) -> bool:
        """Whether a TLP label (case-insensitive, ``TLP:`` prefix optional) may be fetched."""
        if label is None:
            return False
        wanted = {item.upper().removeprefix("TLP:") for item in self.csaf_tlp_labels}
        return label.strip().upper().removeprefix("TLP:") in wanted
