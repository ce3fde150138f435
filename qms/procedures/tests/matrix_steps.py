"""Permission-matrix cases of the steps pages (qms/organization/tests/matrix.py)."""

from qms.organization.tests.matrix import Case

CASES: list[Case] = []
