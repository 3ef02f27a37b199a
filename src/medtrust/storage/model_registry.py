"""Imports every ORM model module so that ``Base.metadata`` knows all tables.

Alembic's environment, the drift check and tests import this module. A new model module is
added here with one import line.
"""

from __future__ import annotations

import medtrust.storage.compliance_models
import medtrust.storage.exposure_models
import medtrust.storage.incident_models
import medtrust.storage.inventory_models
import medtrust.storage.sbom_models  # noqa: F401
from medtrust.storage import models  # noqa: F401
