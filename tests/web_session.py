"""Logging in through the login form, as a browser does, for page tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import Account

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: TestClient, path: str) -> str:
    """The CSRF token of the form on ``path``."""
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, account: Account) -> None:
    """Log ``account`` in through the form (its CSRF token included)."""
    response = client.post(
        "/login",
        data={
            "email": account.email,
            "password": account.password,
            "csrf_token": csrf(client, "/login"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
