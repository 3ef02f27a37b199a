"""Acceptance: validating NEMA's own example workbook (read with the xlsx reader).

The example is known to contain three inconsistencies (shared/reference/mds2.md §2.8): CSUP-1 is
answered N/A although it gates the section, CSUP-3 is N/A while CSUP-3.4 is answered, and
MLDP-2 = No while MLDP-2.5 = Yes. They must come out as warnings, not errors.
"""

from __future__ import annotations

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Severity
from medtrust.mds2.readers.registry import read_mds2_file
from medtrust.mds2.validator import validate
from tests.shared_data import shared_file


def test_nema_example_reports_its_known_inconsistencies_as_warnings() -> None:
    form = read_mds2_file(shared_file("mds2/nema-example-mds2-2019.xlsx"))
    assert len(form.answers) == 240

    report = validate(form, load_mds2_catalogue())

    assert report.ok, [i.message for i in report.errors]
    found = {(i.code, i.question_id) for i in report.issues}
    assert ("gate-violation", "CSUP-1") in found
    assert ("rule-violation", "CSUP-3.4") in found
    assert ("contradiction", "MLDP-2.5") in found
    assert all(i.severity is Severity.WARNING for i in report.issues)
    # the example is complete and every note it refers to (Note 1..8) exists
    codes = {code for code, _ in found}
    assert not codes & {"missing-questions", "missing-document-info", "unanswered"}
    assert not codes & {"dangling-note-reference", "note-missing"}
