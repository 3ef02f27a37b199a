"""Incident reporting: regimes as data, the authority directory, and the obligations engine.

Typical use::

    from medtrust.incidents import load_directory, load_regimes, plan_obligations, read_facts

    plan = plan_obligations(read_facts(path), regimes=load_regimes(), directory=load_directory())
"""

from medtrust.incidents.directory import Directory, load_directory
from medtrust.incidents.engine import plan_obligations
from medtrust.incidents.errors import IncidentFactsError, RegimeDataError
from medtrust.incidents.facts import IncidentFacts
from medtrust.incidents.facts_file import parse_facts, read_facts
from medtrust.incidents.obligation import NotApplicable, Obligation, Plan, Stage
from medtrust.incidents.regimes import RegimeSet, load_regimes

__all__ = [
    "Directory",
    "IncidentFacts",
    "IncidentFactsError",
    "NotApplicable",
    "Obligation",
    "Plan",
    "RegimeDataError",
    "RegimeSet",
    "Stage",
    "load_directory",
    "load_regimes",
    "parse_facts",
    "plan_obligations",
    "read_facts",
]
