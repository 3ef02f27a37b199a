"""Imports every ORM model module so that ``Base.metadata`` knows all tables.

Alembic's environment, the drift check and tests import this module. A new model module is
added here with one import line.
"""

from __future__ import annotations

from medtrust.storage import models  # noqa: F401
