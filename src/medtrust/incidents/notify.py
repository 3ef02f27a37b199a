"""Reminder channels: e-mail through a configured SMTP server and JSON webhooks (adapters).

Settings come from the environment with the ``MEDTRUST_`` prefix, like the main settings, in a
class of their own (:class:`IncidentNotificationSettings`). Nothing is sent unless a server or a
webhook is configured. Failures are returned as values, never raised, so that one unreachable
channel does not stop the others.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _split(value: str) -> tuple[str, ...]:
    return tuple(sorted({part.strip() for part in value.split(",") if part.strip()}))


class IncidentNotificationSettings(BaseSettings):
    """SMTP server, recipients, webhooks and thresholds of incident reminders."""

    model_config = SettingsConfigDict(env_prefix="MEDTRUST_", extra="ignore")

    smtp_host: str | None = Field(default=None, description="SMTP server; unset = no e-mail.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = Field(default="medtrust@localhost", description="Sender address.")
    smtp_starttls: bool = Field(default=False, description="Upgrade with STARTTLS before login.")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    incident_reminder_to: str = Field(
        default="", description="Comma-separated addresses; the incident's opener is added."
    )
    incident_webhook_urls: str = Field(default="", description="Comma-separated http(s) URLs.")
    incident_reminder_hours: str = Field(
        default="24,4,0",
        description="Hours before a deadline to remind at (0 = overdue), comma-separated.",
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    public_base_url: str | None = Field(
        default=None, description="Base URL of the web app, for links in reminders."
    )

    @field_validator("incident_reminder_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip() and (not part.strip().isdigit()):
                raise ValueError("reminder hours are whole non-negative numbers, e.g. 24,4,0")
        return value

    @field_validator("incident_webhook_urls")
    @classmethod
    def _urls(cls, value: str) -> str:
        for url in _split(value):
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"webhook URL must be http(s): {url}")
        return value

    @property
    def recipients(self) -> tuple[str, ...]:
        """Configured reminder addresses."""
        return _split(self.incident_reminder_to)

    @property
    def webhooks(self) -> tuple[str, ...]:
        """Configured webhook URLs."""
        return _split(self.incident_webhook_urls)

    @property
    def thresholds(self) -> tuple[int, ...]:
        """Reminder thresholds in hours, largest first."""
        values = {int(p) for p in self.incident_reminder_hours.split(",") if p.strip()}
        return tuple(sorted(values, reverse=True))


@dataclass(frozen=True, slots=True)
class Delivery:
    """Outcome of one channel for one reminder."""

    channel: str
    target: str
    ok: bool
    detail: str = ""


def send_mail(
    settings: IncidentNotificationSettings, *, to: Sequence[str], subject: str, body: str
) -> Delivery:
    """Send one plain-text e-mail; the outcome says why it failed."""
    target = ", ".join(to)
    if settings.smtp_host is None or not to:
        return Delivery("email", target, False, "no SMTP server or no recipients configured")
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = target
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username and settings.smtp_password is not None:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        return Delivery("email", target, False, f"{type(exc).__name__}: {exc}")
    return Delivery("email", target, True)


def post_webhooks(
    settings: IncidentNotificationSettings,
    payload: Mapping[str, Any],
    *,
    transport: httpx.BaseTransport | None = None,
) -> list[Delivery]:
    """POST the JSON payload to every configured webhook."""
    out = []
    with httpx.Client(timeout=settings.webhook_timeout_seconds, transport=transport) as client:
        for url in settings.webhooks:
            try:
                response = client.post(url, json=dict(payload))
            except httpx.HTTPError as exc:
                out.append(Delivery("webhook", url, False, f"{type(exc).__name__}: {exc}"))
                continue
            ok = response.is_success
            out.append(Delivery("webhook", url, ok, "" if ok else f"HTTP {response.status_code}"))
    return out
