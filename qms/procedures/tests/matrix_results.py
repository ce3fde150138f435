"""Permission-matrix cases of the results pages (qms/organization/tests/matrix.py)."""

from qms.organization.tests.matrix import Case

CASES: list[Case] = []
